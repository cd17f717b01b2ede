#!/usr/bin/env bash
# One-time (and idempotent) set-up of a fresh Debian 12 machine: Debian's Rust and LLVM 22,
# the pinned sbpf-linker, npm dependencies, the Rust crates (the property tests' too), then a
# build of the programs.
# Re-running is quick: every step checks first and skips what is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=toolchain.env
source scripts/toolchain.env
TOOLCHAIN_DIR="${MEDIA_TOOLCHAIN_DIR:-$HOME/.cache/media-network/toolchain}"
step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

step "Debian packages: $DEBIAN_PACKAGES"
missing=()
for package in $DEBIAN_PACKAGES; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
else
  echo "already installed"
fi
if ! /usr/bin/rustc --version | grep -q "rustc $RUST_VERSION"; then
  echo "error: /usr/bin/rustc is $(/usr/bin/rustc --version), expected $RUST_VERSION (rustc-web)." >&2
  echo "The programs are built with Debian's rustc-web $RUST_VERSION (LLVM 22); see README.md." >&2
  exit 1
fi
echo "$(/usr/bin/rustc --version)"

step "sbpf-linker $SBPF_LINKER_VERSION (links upstream BPF bitcode into SBPF v0) in $TOOLCHAIN_DIR"
# sbpf-linker 0.1.9 prints its version, then exits non-zero; only the printed line counts.
linker_version() { "$TOOLCHAIN_DIR/bin/sbpf-linker" --version 2>/dev/null | head -n 1 || true; }
if [ "$(linker_version)" = "sbpf-linker $SBPF_LINKER_VERSION" ]; then
  echo "already installed"
else
  echo "compiling it from source (about 2 minutes on 2 cores)"
  LLVM_PREFIX="$LLVM_PREFIX" LLVM_SYS_221_PREFIX="$LLVM_PREFIX" RUSTC=/usr/bin/rustc \
    /usr/bin/cargo install --locked --quiet "sbpf-linker@$SBPF_LINKER_VERSION" \
    --no-default-features --features "$SBPF_LINKER_FEATURES" --root "$TOOLCHAIN_DIR"
  if [ "$(linker_version)" != "sbpf-linker $SBPF_LINKER_VERSION" ]; then
    echo "error: $TOOLCHAIN_DIR/bin/sbpf-linker did not install as version $SBPF_LINKER_VERSION" >&2
    exit 1
  fi
  echo "installed $(linker_version)"
fi

step "npm dependencies"
stamp=node_modules/.media-lock-hash
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ]; then
  echo "up to date with package-lock.json"
else
  # `npm install` rather than `npm ci`: litesvm lists prebuilt binaries for other platforms
  # that the registry reachable here does not serve, so the lockfile cannot record them and
  # `npm ci` refuses it. With the lockfile present, `npm install` installs its versions.
  npm install --no-audit --no-fund
  echo "$lock_hash" > "$stamp"
fi

step "Rust crates in Cargo.lock, dev-dependencies included (the host tests then run offline)"
RUSTC=/usr/bin/rustc /usr/bin/cargo fetch --locked --quiet
echo "fetched"

step "Build programs, IDLs and TypeScript types"
npm run --silent build

printf '\nSet-up complete. Run the tests with: npm test\n'
