#!/usr/bin/env bash
# Packs the SDK as it would be published (npm pack), installs the tarball into a fresh
# project outside the repository, and type-checks and runs a small program against it.
# Needs the npm registry for the SDK's dependencies. Usage: npm run sdk:pack-check
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "==> Building and packing @media-network/sdk"
(cd sdk && npx tsc -p tsconfig.json && npm pack --silent --pack-destination "$work" >/dev/null)
tarball=$(ls "$work"/*.tgz)
echo "    $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB)"

echo "==> Installing it into a fresh project in $work/app"
mkdir "$work/app" && cd "$work/app"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "$tarball" typescript@5.9.3 @types/node@20.19.25 >/dev/null
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "esModuleInterop": true, "skipLibCheck": false, "types": ["node"] } }
JSON
cat > index.ts <<'TS'
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import { Connection, Keypair } from "@solana/web3.js";
import { readFileSync } from "node:fs";
import {
  MEDIA_STAKING_IDL,
  MediaEconomy,
  type MediaScanReport,
  type StakePosition,
  mediaToBaseUnits,
  signReceipt,
  stakeAccountPda,
  verifyReceipt,
} from "@media-network/sdk";

// Nothing here reaches the network: constructing clients and signing receipts is local.
const provider = new AnchorProvider(new Connection("http://127.0.0.1:8899"), new Wallet(Keypair.generate()), {});
const economy = new MediaEconomy(provider);
const owner = Keypair.generate();
const amount: bigint = BigInt(mediaToBaseUnits("24.999999").toString());
const receipt = signReceipt(owner, stakeAccountPda(owner.publicKey), 0n, 1n << 30n, 1_000n);
const position: StakePosition | null = null;
const report: MediaScanReport | null = null;
// The JSON IDL ships next to the code, written from the same generated module at pack time.
const json = JSON.parse(readFileSync(require.resolve("@media-network/sdk/idl/media_staking.json"), "utf8"));
console.log(
  JSON.stringify({
    program: economy.staking.programId.toBase58() === MEDIA_STAKING_IDL.address,
    instructions: economy.programs.staking.idl.instructions.length,
    amount: amount.toString(),
    receiptVerifies: verifyReceipt(receipt),
    typed: position === null && report === null,
    idlJson: JSON.stringify(json) === JSON.stringify(MEDIA_STAKING_IDL) && json.instructions[0].name === "initialize_config",
  }),
);
TS
echo "==> Type-checking and running a program that uses it"
npx tsc -p tsconfig.json
output=$(node index.js)
echo "    $output"
expected='{"program":true,"instructions":16,"amount":"24999999","receiptVerifies":true,"typed":true,"idlJson":true}'
if [ "$output" != "$expected" ]; then
  echo "error: expected $expected" >&2
  exit 1
fi
echo "The packed SDK installs and works in a fresh project."
