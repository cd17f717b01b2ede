/**
 * `npm run genesis -- --initial-price <MEDIA per quote unit> [--cluster devnet|localnet|<url>] [--keypair path] [--mint <MEDIA mint>]`
 *
 * Genesis of the MEDIA economy on the deployed programs (see migrations/lib/genesis.ts):
 * creates or adopts the MEDIA mint, mints its fixed supply once into the named allocations and
 * sets the mint authority to none, initializes every config with the spec's defaults, and
 * hands every authority to the governance PDA. Idempotent: re-running skips what exists.
 * Prints a summary of addresses and of where each allocation sits.
 */
import { resolve } from "node:path";
import { PublicKey } from "@solana/web3.js";
import { KEYS_DIR, checkAnchorTomlIds, connect, loadWallet, commandLine, resolveCluster } from "./lib/cluster";
import { parseInitialPrice, runGenesis } from "./lib/genesis";
import { MEDIA } from "../sdk/src";

/** Whole MEDIA, with thousands separators (allocations are whole MEDIA). */
const formatMedia = (units: bigint) => (units / MEDIA).toLocaleString("en-US");

const USAGE = `usage: npm run genesis -- [options]

  --cluster C              devnet (default: Anchor.toml [provider]), localnet, testnet, mainnet-beta or an RPC URL
  --ws-url URL             websocket endpoint, if not the RPC URL's port + 1
  --keypair PATH           the deployer: pays and holds the authorities until the hand-over
  --initial-price P        the buyback auctions' initial price, MEDIA per quote unit (e.g. 20 if 1 USDC
                           buys 20 MEDIA); required unless the treasury config exists. Env: MEDIA_INITIAL_PRICE
  --mint ADDRESS           adopt this MEDIA mint: a fresh one (supply 0) whose mint authority is the deployer, since
                           genesis mints the whole fixed supply itself and then sets the authority to none
                           (default: create one, keypair in .keys/media-mint-keypair.json)
  --quote-mint ADDRESS     adopt this quote mint (default: create a devnet stand-in, .keys/quote-mint-keypair.json)
  --pause-authority A      who may pause the programs (default: the governance PDA), e.g. a guardian multisig
  --keep-authority         initialize only; the deployer keeps every authority (no hand-over)
  --keys-dir DIR           where created mints' keypairs are kept (default .keys/)
  --json                   print the summary as JSON`;

async function main() {
  const flags = commandLine(
    ["--cluster", "--ws-url", "--keypair", "--mint", "--quote-mint", "--pause-authority", "--keys-dir", "--initial-price"],
    ["--keep-authority", "--json"],
    USAGE,
  );
  if (!flags) return;
  const cluster = resolveCluster(flags.get("--cluster"));
  checkAnchorTomlIds(cluster);
  const payer = loadWallet(flags.get("--keypair"));
  const json = flags.has("--json");
  const log = (line: string) => (json ? console.error(line) : console.log(line));
  const key = (flag: string) => (flags.has(flag) ? new PublicKey(flags.get(flag) as string) : undefined);
  const priceText = flags.get("--initial-price") ?? process.env.MEDIA_INITIAL_PRICE;
  const initialPrice = priceText === undefined ? undefined : parseInitialPrice(priceText);
  log(`Genesis on ${cluster.name} (${cluster.url}), deployer ${payer.publicKey.toBase58()}`);
  const summary = await runGenesis({
    connection: connect(cluster.url, flags.get("--ws-url")),
    payer,
    keysDir: resolve(flags.get("--keys-dir") ?? KEYS_DIR),
    mediaMint: key("--mint"),
    quoteMint: key("--quote-mint"),
    pauseAuthority: key("--pause-authority"),
    initialPrice,
    keepAuthority: flags.has("--keep-authority"),
    log,
  });
  if (json) {
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  const done = summary.steps.filter((s) => s.done).length;
  console.log(`\n${done} steps done, ${summary.steps.length - done} already in place.\n`);
  const rows: [string, string][] = [
    ["MEDIA mint", summary.mediaMint],
    ["quote mint", summary.quoteMint],
    ["governance PDA (authority)", summary.governance],
    ["pause authority", summary.pauseAuthority],
    ["media_staking", summary.staking.programId],
    ["  config", summary.staking.config],
    ["  vault", summary.staking.vault],
    ["  rewards pool", summary.staking.rewardsPool],
    ["  emission vault", summary.staking.emissionVault],
    ["media_bandwidth", summary.bandwidth.programId],
    ["  config", summary.bandwidth.config],
    ["media_treasury", summary.treasury.programId],
    ["  config", summary.treasury.config],
    ["  MEDIA vault", summary.treasury.mediaVault],
    ["  quote vault", summary.treasury.quoteVault],
    ["media_governance", summary.governanceProgram.programId],
    ["  config", summary.governanceProgram.config],
  ];
  for (const [label, address] of rows) console.log(`${label.padEnd(28)} ${address}`);
  console.log(`\nMEDIA genesis supply ${formatMedia(BigInt(summary.genesisSupply))} MEDIA (mint authority: none), allocated to:`);
  for (const allocation of summary.allocations) {
    const holder = allocation.holder === "emission vault" ? " (moved to the rewards pool's emission vault)" : "";
    console.log(`  ${allocation.name.padEnd(26)} ${formatMedia(BigInt(allocation.amount)).padStart(12)} MEDIA  ${allocation.account}${holder}`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
