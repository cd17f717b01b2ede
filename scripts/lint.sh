#!/usr/bin/env bash
# The gates the repository declares, run by `npm test`: rustfmt's width (rustfmt.toml), the
# denied clippy lints (Cargo.toml, with -D warnings), and Biome's TypeScript lint and format
# (biome.json). Debian's clippy and rustfmt for the pinned rustc come with scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
# Debian's cargo subcommands, not a rustup toolchain's that may come first on PATH.
export PATH="/usr/bin:$PATH" RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
fail() { echo "lint: $1" >&2; exit 1; }
cargo fmt --check >/dev/null 2>&1 || { cargo fmt --check | head -40; fail "Rust code is not formatted: run \`cargo fmt\` (with /usr/bin first on PATH)."; }
cargo clippy --quiet --workspace --all-targets -- -D warnings || fail "clippy found the problems above."
npx --no-install biome check . || fail "Biome found the problems above: \`npx biome check --write .\` fixes formatting and safe lints."
echo "lint: rustfmt, clippy and Biome clean"
