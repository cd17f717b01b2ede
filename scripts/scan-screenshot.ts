/**
 * `npm run scan:screenshot`: docs/media-scan.png, the Media Scan dashboard over a demo economy.
 *
 * An in-process localnet gets genesis (as an operator runs it); Media Scan (`startMediaScan`,
 * what `npm run scan` runs) follows it from the start; then eight days of an economy play out,
 * the clock moved a day at a time (`surfnet_timeTravel`): three Edge providers and stakers,
 * consumers paying by receipts in MEDIA and in the quote token, daily fee burns, a buyback
 * auction, a governance vote, an unstake, and a provider that pays itself through a puppet
 * consumer (flagged). Headless Chromium then photographs the page.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import { createAssociatedTokenAccount, mintTo, transfer } from "@solana/spl-token";
import { type Keypair, PublicKey } from "@solana/web3.js";
import BN from "bn.js";
import { GIB, MEDIA, MediaEconomy, VoteSide } from "../sdk/src";
import { openDatabase } from "../scan/database";
import { startMediaScan } from "../scan/service";
import { type StoryNet, type StoryWallet, fundedWallet, startStoryNet } from "../tests/localnet/clients/story";
import { launchChromium } from "../tests/utils/chromium";

process.env.MEDIA_RUNTIME ??= "litesvm";

const OUTPUT = join(__dirname, "..", "docs", "media-scan.png");
const DAY = 24 * 3600;
const DAYS = 8;
/** Prices per GiB in base units: 0.08 to 0.12 MEDIA, and in the quote token. */
const PROVIDERS = [
  { name: "edge-eu", stake: 3_000n * MEDIA, media: 100_000n, quote: 5_000n },
  { name: "edge-us", stake: 2_000n * MEDIA, media: 120_000n, quote: 6_000n },
  { name: "edge-ap", stake: 1_200n * MEDIA, media: 80_000n, quote: 4_000n },
];
/** Two consumers per provider, each with its share of the day's traffic (in halves), none above 80% of its provider's. */
const CONSUMER_SCALES = [2n, 3n, 2n, 3n, 3n, 2n];
/** GiB each consumer's traffic grows by, day by day. */
const TRAFFIC = [30n, 42n, 38n, 55n, 61n, 74n, 69n, 88n];

let stepNumber = 0;
const step = (text: string) => console.log(`[${++stepNumber}] ${text}`);

/** Moves the localnet's clock to `unixSeconds` (`surfnet_timeTravel`). */
async function travelTo(story: StoryNet, unixSeconds: number): Promise<void> {
  const response = await fetch(story.net.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "surfnet_timeTravel", params: [{ absoluteTimestamp: unixSeconds * 1000 }] }),
  });
  const body = (await response.json()) as { error?: unknown };
  if (body.error) throw new Error(`surfnet_timeTravel failed: ${JSON.stringify(body.error)}`);
}

async function chainTime(story: StoryNet): Promise<number> {
  const { connection } = story.net;
  return (await connection.getBlockTime(await connection.getSlot("confirmed"))) ?? Math.floor(Date.now() / 1000);
}

async function quoteAccount(story: StoryNet, wallet: StoryWallet, amount: bigint): Promise<PublicKey> {
  const { connection } = story.net;
  const mint = new PublicKey(story.genesis.quoteMint);
  const account = await createAssociatedTokenAccount(connection, wallet.keypair, mint, wallet.keypair.publicKey, { commitment: "confirmed" });
  if (amount > 0n) await mintTo(connection, story.authority, mint, account, story.authority, amount, [], { commitment: "confirmed" });
  return account;
}

async function main(): Promise<void> {
  const started = Date.now();
  step("localnet with genesis");
  const story = await startStoryNet();
  const folder = mkdtempSync(join(tmpdir(), "media-scan-screenshot-"));
  const database = await openDatabase(join(folder, "db"));
  const scan = await startMediaScan({ rpc: story.net.url, ws: story.net.localnet?.wsUrl, database, port: 0 });
  try {
    await scan.caughtUp;
    const { connection } = story.net;
    const economyOf = (wallet: Keypair) => new MediaEconomy(new AnchorProvider(connection, new Wallet(wallet), { commitment: "confirmed" }));
    const quote = new PublicKey(story.genesis.quoteMint);
    const quoteVault = new PublicKey(story.genesis.treasury.quoteVault);

    // web3.js caches a blockhash for the token program's helpers: fund every wallet before the clock moves.
    step("wallets: providers, stakers, consumers, a taker and an attacker with its puppet");
    const operators: ((typeof PROVIDERS)[number] & { wallet: StoryWallet })[] = [];
    for (const provider of PROVIDERS) operators.push({ ...provider, wallet: await fundedWallet(story, provider.stake) });
    const stakers = [];
    for (const amount of [500n, 800n, 1_200n, 650n]) stakers.push({ amount: amount * MEDIA, wallet: await fundedWallet(story, amount * MEDIA) });
    const consumers = [];
    for (let i = 0; i < CONSUMER_SCALES.length; i++) consumers.push(await fundedWallet(story, 2_000n * MEDIA));
    const dapp = await fundedWallet(story, 0n);
    const dappQuote = await quoteAccount(story, dapp, 500n * MEDIA);
    const operatorQuote: PublicKey[] = [];
    for (const operator of operators) operatorQuote.push(await quoteAccount(story, operator.wallet, 0n));
    const taker = await fundedWallet(story, 5_000n * MEDIA);
    const takerQuote = await quoteAccount(story, taker, 0n);
    const attacker = await fundedWallet(story, 500n * MEDIA + 200n * MEDIA);
    const puppet = await fundedWallet(story, 0n);
    await transfer(connection, attacker.keypair, attacker.tokenAccount, puppet.tokenAccount, attacker.keypair, 200n * MEDIA, [], { commitment: "confirmed" });

    step("providers stake and register; stakers stake; consumers open and fund escrows");
    const settleFor = (index: number, mint: "media" | "quote") => ({
      providerTokenAccount: mint === "media" ? operators[index].wallet.tokenAccount : operatorQuote[index],
      treasuryVault: mint === "media" ? story.treasuryMediaVault : quoteVault,
    });
    for (const operator of operators) {
      const economy = economyOf(operator.wallet.keypair);
      await economy.staking.stake(operator.stake, { tokenAccount: operator.wallet.tokenAccount });
      await economy.bandwidth.registerProvider({ media: operator.media, quote: operator.quote });
    }
    for (const staker of stakers.slice(0, 3)) await economyOf(staker.wallet.keypair).staking.stake(staker.amount, { tokenAccount: staker.wallet.tokenAccount });
    const channels = [];
    for (const [i, consumer] of consumers.entries()) {
      const provider = i % operators.length;
      const scale = CONSUMER_SCALES[i];
      const economy = economyOf(consumer.keypair);
      const escrow = await economy.bandwidth.openEscrow(operators[provider].wallet.keypair.publicKey, story.mediaMint);
      await economy.bandwidth.deposit(escrow, 2_000n * MEDIA, consumer.tokenAccount);
      channels.push({ provider, mint: "media" as const, scale, channel: await economy.bandwidth.receiptChannel(escrow, consumer.keypair) });
    }
    {
      const economy = economyOf(dapp.keypair);
      const escrow = await economy.bandwidth.openEscrow(operators[1].wallet.keypair.publicKey, quote);
      await economy.bandwidth.deposit(escrow, 500n * MEDIA, dappQuote);
      channels.push({ provider: 1, mint: "quote" as const, scale: 2n, channel: await economy.bandwidth.receiptChannel(escrow, dapp.keypair) });
    }

    let proposal: PublicKey | undefined;
    let attackerSettles: ((bytes: bigint) => Promise<string>) | undefined;
    // The first receipts come hours after the escrows opened, as honest traffic does.
    const start = (await chainTime(story)) + 2 * 3600;
    for (let day = 0; day < DAYS; day++) {
      await travelTo(story, start + day * DAY);
      step(
        `day ${day + 1}: receipts, fee burn${day === 2 ? ", a new staker" : ""}${day === 3 ? ", a proposal and votes" : ""}${day === 4 ? ", a buyback auction" : ""}${day === 5 ? ", an unstake and a self-dealing provider" : ""}`,
      );
      for (const { provider, mint, scale, channel } of channels) {
        const gib = (TRAFFIC[day] * scale) / 2n;
        await economyOf(operators[provider].wallet.keypair).bandwidth.settleReceipt(channel.pay(gib * GIB), settleFor(provider, mint));
      }
      if (day === 2) await economyOf(stakers[3].wallet.keypair).staking.stake(stakers[3].amount, { tokenAccount: stakers[3].wallet.tokenAccount });
      if (day === 3) {
        const proposer = economyOf(stakers[2].wallet.keypair);
        const raise = await proposer.programs.staking.methods
          .setMinStake(new BN((50n * MEDIA).toString()))
          .accounts({ authority: proposer.governance.address() })
          .instruction();
        proposal = await proposer.governance.propose([raise], { uri: "ipfs://media/raise-minimum-to-50", hash: new Array(32).fill(1) });
        for (const [i, staker] of stakers.slice(0, 3).entries()) {
          await economyOf(staker.wallet.keypair).governance.castVote(proposal, i === 1 ? VoteSide.Against : VoteSide.For);
        }
      }
      if (day === 4) {
        const treasury = economyOf(taker.keypair).treasury;
        await treasury.startAuction();
        await travelTo(story, start + day * DAY + 3 * 3600);
        const lot = (await treasury.fetchConfig()).lotRemaining;
        const now = BigInt(await chainTime(story));
        const cost = await treasury.costAt(lot / 2n, now);
        await treasury.take(lot / 2n, cost + cost / 50n, { takerMediaAccount: taker.tokenAccount, takerQuoteAccount: takerQuote });
      }
      if (day === 5) {
        await economyOf(stakers[3].wallet.keypair).staking.requestUnstake(200n * MEDIA);
        const economy = economyOf(attacker.keypair);
        await economy.staking.stake(500n * MEDIA, { tokenAccount: attacker.tokenAccount });
        await economy.bandwidth.registerProvider({ media: 100_000n, quote: 5_000n });
        const escrow = await economy.bandwidth.openEscrow(attacker.keypair.publicKey, story.mediaMint, { signer: puppet.keypair });
        await economy.bandwidth.deposit(escrow, 200n * MEDIA, puppet.tokenAccount, { signer: puppet.keypair });
        const channel = await economy.bandwidth.receiptChannel(escrow, puppet.keypair);
        await economy.bandwidth.updateProvider({ media: 1_000_000n, quote: 50_000n });
        attackerSettles = (bytes) =>
          economy.bandwidth.settleReceipt(channel.pay(bytes), { providerTokenAccount: attacker.tokenAccount, treasuryVault: story.treasuryMediaVault });
      }
      await attackerSettles?.(150n * GIB);
      await economyOf(taker.keypair).treasury.burnFees();
    }

    step("waiting for Media Scan to index the last transaction");
    const ids = scan.indexer.programIds;
    const newest = await Promise.all(
      [ids.staking, ids.bandwidth, ids.treasury, ids.governance].map((id) => connection.getSignaturesForAddress(id, { limit: 1 }, "confirmed")),
    );
    const lastSlot = Math.max(...newest.flat().map((info) => info.slot));
    const chromium = await launchChromium();
    try {
      const tab = await chromium.browser.newPage();
      await tab.setViewport({ width: 1440, height: 900, deviceScaleFactor: 1 });
      await tab.goto(scan.dashboard.url, { waitUntil: "load" });
      await tab.waitForFunction(`document.body.dataset.ready === "1" && Number(document.body.dataset.indexedSlot) >= ${lastSlot}`, { timeout: 120_000 });
      mkdirSync(join(OUTPUT, ".."), { recursive: true });
      await tab.screenshot({ path: OUTPUT as `${string}.png`, fullPage: true });
    } finally {
      await chromium.close();
    }
    console.log(`wrote ${OUTPUT} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await scan.stop();
    await database.close();
    await story.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`${error.name}: ${error.message}`);
  process.exit(1);
});
