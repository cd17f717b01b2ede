/**
 * What the scan tests share: a localnet running a scripted economy (genesis over RPC, a stake,
 * a provider, an escrow, two settled receipts, a fee burn), the chain's own figures to compare
 * the indexer's with, and a PostgreSQL server the test starts itself.
 */
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import { transfer } from "@solana/spl-token";
import type { Keypair, PublicKey } from "@solana/web3.js";
import { GIB, MediaEconomy, providerPda, transactionInvocations } from "../../sdk/src";
import type { LocalnetOptions } from "../../localnet/server";
import { type ScanDatabase, openDatabase } from "../../scan/database";
import { PROGRAM_NAMES, type ProgramName } from "../../scan/decode";
import { Indexer, type SourceTransaction } from "../../scan/indexer";
import { rpcTokenBalance } from "../utils/rpc";
import { STORY, type StoryNet, type StoryWallet, fundedWallet, startStoryNet, storyCast } from "../localnet/clients/story";

export interface ScanEconomy {
  story: StoryNet;
  operator: MediaEconomy;
  operatorTokenAccount: PublicKey;
  /** Settles a receipt for `bytes` more on the story's escrow. */
  settle(bytes: bigint): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The story's economy, with 4 GiB settled in two receipts and the treasury's fees burned, on a
 * localnet started with `localnet` (a test's clock, for one).
 */
export async function startScanEconomy(localnet: LocalnetOptions = {}): Promise<ScanEconomy> {
  const story = await startStoryNet(localnet);
  try {
    const cast = await storyCast(story);
    const economyOf = (wallet: Keypair) => new MediaEconomy(new AnchorProvider(story.net.connection, new Wallet(wallet), { commitment: "confirmed" }));
    const operator = economyOf(cast.operator.keypair);
    const consumer = economyOf(cast.consumer.keypair);
    await operator.staking.stake(STORY.stake, { tokenAccount: cast.operator.tokenAccount });
    await operator.bandwidth.registerProvider(STORY.prices);
    const escrow = await consumer.bandwidth.openEscrow(cast.operator.keypair.publicKey, story.mediaMint);
    await consumer.bandwidth.deposit(escrow, STORY.deposit, cast.consumer.tokenAccount);
    const channel = await consumer.bandwidth.receiptChannel(escrow, cast.consumer.keypair);
    const settle = async (bytes: bigint) => {
      await operator.bandwidth.settleReceipt(channel.pay(bytes), { providerTokenAccount: cast.operator.tokenAccount, treasuryVault: story.treasuryMediaVault });
    };
    await settle(STORY.bytes);
    await settle(3n * GIB);
    await operator.treasury.burnFees();
    return { story, operator, operatorTokenAccount: cast.operator.tokenAccount, settle, stop: () => story.stop() };
  } catch (error) {
    await story.stop();
    throw error;
  }
}

/**
 * A wall clock for the localnet (`LocalnetOptions.now`) that follows real time until a test
 * holds it: the localnet's slot then stays open until the test moves it on (`nextSlot`), so
 * what lands in one slot is the test's choice, not the timer's.
 */
export class HoldableClock {
  private heldAt: number | undefined;
  readonly now = (): number => this.heldAt ?? Date.now();

  hold(): void {
    this.heldAt = Date.now();
  }

  release(): void {
    this.heldAt = undefined;
  }
}

/** The chain's own figures: config counters and the operator's balance (all it ever earned). */
export async function chainFigures(economy: ScanEconomy) {
  const [bandwidth, treasury, staking] = await Promise.all([
    economy.operator.bandwidth.fetchConfig(),
    economy.operator.treasury.fetchConfig(),
    economy.operator.staking.fetchConfig(),
  ]);
  return {
    bytesServed: bandwidth.bytesServed,
    feesPaidMedia: bandwidth.feesPaidMedia,
    protocolRevenueMedia: bandwidth.protocolRevenueMedia,
    stakerRewardsPaid: bandwidth.stakerRewardsPaid,
    totalFeesBurned: treasury.totalFeesBurned,
    totalBuybackBurned: treasury.totalBuybackBurned,
    totalActive: staking.totalActive,
    operatorBalance: await rpcTokenBalance(economy.story.net.connection, economy.operatorTokenAccount),
  };
}

/**
 * Runs `use` over a PostgreSQL server started for it, into which the indexer has caught up with
 * `rpc`; skips the test, saying what to install, when the server binaries are absent.
 */
export async function withIndexedPostgres(test: Mocha.Context, rpc: string, use: (postgres: ScanDatabase) => Promise<void>): Promise<void> {
  const bin = postgresBinaries();
  if (!bin) {
    console.log("    skipped: no PostgreSQL server binaries under /usr/lib/postgresql (install Debian's postgresql package: npm run setup)");
    test.skip();
  }
  const server = await startPostgres(bin as string);
  try {
    const postgres = await openDatabase(server.url);
    try {
      await new Indexer({ rpc, database: postgres }).catchUp();
      await use(postgres);
    } finally {
      await postgres.close();
    }
  } finally {
    server.stop();
  }
}

/** Debian's PostgreSQL server binaries (newest version installed), or undefined when absent. */
export function postgresBinaries(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], "bin") : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface PostgresServer {
  url: string;
  stop(): void;
}

/**
 * A PostgreSQL server in a temp folder on a free loopback port, trusting local connections,
 * with `settings` (`name=value`) on its command line.
 * PostgreSQL refuses to run as root, so as root its files belong to, and it runs as, the
 * `postgres` user (or `nobody`).
 */
export async function startPostgres(bin: string, settings: string[] = []): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), "media-scan-pg-"));
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? (existsSync("/var/lib/postgresql") ? "postgres" : "nobody") : undefined;
  const run = (command: string, args: string[]) =>
    user
      ? execFileSync("runuser", ["-u", user, "--", join(bin, command), ...args], { stdio: "pipe" })
      : execFileSync(join(bin, command), args, { stdio: "pipe" });
  if (user) {
    const id = (name: string, flag: string) => Number(execFileSync("id", [flag, name]).toString().trim());
    chownSync(dir, id(user, "-u"), id(user, "-g"));
  }
  const data = join(dir, "data");
  const port = await freePort();
  try {
    run("initdb", ["-D", data, "-U", "scan", "--auth=trust", "--no-sync", "-E", "UTF8"]);
    run("pg_ctl", [
      "start",
      "-D",
      data,
      "-w",
      "-l",
      join(dir, "server.log"),
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off${settings.map((setting) => ` -c ${setting}`).join("")}`,
    ]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new Error(`could not start PostgreSQL from ${bin}: ${(error as Error).message}\n${stderr}`);
  }
  return {
    url: `postgres://scan@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        run("pg_ctl", ["stop", "-D", data, "-m", "immediate", "-w"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The fake-usage scene's cast: an honest provider with two consumers, and an attacker that pays itself through a puppet consumer. */
export interface FakeUsageEconomy {
  story: StoryNet;
  honest: { provider: string; escrows: string[]; consumers: string[] };
  attacker: {
    operator: string;
    provider: string;
    puppet: string;
    escrow: string;
    /** The puppet's open_escrow and deposit, both paid by the operator. */
    fundingSignatures: string[];
    updateSignature: string;
    listPrice: bigint;
    settled: bigint[];
  };
  stop(): Promise<void>;
}

/** Moves the localnet's clock forward by `seconds` through `surfnet_timeTravel`. */
export async function travel(story: StoryNet, seconds: number): Promise<void> {
  const { connection } = story.net;
  const now = (await connection.getBlockTime(await connection.getSlot("confirmed"))) ?? Math.floor(Date.now() / 1000);
  await timeTravel(story, { absoluteTimestamp: (now + seconds) * 1000 });
}

/** Closes the localnet's current slot: its clock moves to the start of the next one (`surfnet_timeTravel`). */
export async function nextSlot(story: StoryNet): Promise<void> {
  await timeTravel(story, { absoluteSlot: (await story.net.connection.getSlot("processed")) + 1 });
}

async function timeTravel(story: StoryNet, target: { absoluteTimestamp: number } | { absoluteSlot: number }): Promise<void> {
  const response = await fetch(story.net.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "surfnet_timeTravel", params: [target] }),
  });
  const body = (await response.json()) as { error?: unknown };
  if (body.error) throw new Error(`surfnet_timeTravel failed: ${JSON.stringify(body.error)}`);
}

/**
 * A scripted economy with one honest provider and one attacker:
 * - honest: two consumers open escrows at its list price, two hours pass, then it settles
 *   1 GiB from each at that price;
 * - attacker: the program refuses an operator as its own consumer, so it hands MEDIA to a
 *   puppet wallet; it stakes, registers at the story's price, opens and funds the puppet's
 *   escrow paying both fees (locking that price), raises its list price tenfold, and settles
 *   2 GiB from the puppet's escrow at the locked price, minutes after opening it.
 */
export async function startFakeUsageEconomy(): Promise<FakeUsageEconomy> {
  const story = await startStoryNet();
  try {
    const { connection } = story.net;
    const economyOf = (wallet: Keypair) => new MediaEconomy(new AnchorProvider(connection, new Wallet(wallet), { commitment: "confirmed" }));
    const settleOptions = (wallet: StoryWallet) => ({ providerTokenAccount: wallet.tokenAccount, treasuryVault: story.treasuryMediaVault });

    const honestWallet = await fundedWallet(story, STORY.stake);
    const honest = economyOf(honestWallet.keypair);
    await honest.staking.stake(STORY.stake, { tokenAccount: honestWallet.tokenAccount });
    await honest.bandwidth.registerProvider(STORY.prices);
    const channels = [];
    const consumers: string[] = [];
    const escrows: string[] = [];
    for (let i = 0; i < 2; i++) {
      const wallet = await fundedWallet(story, STORY.deposit);
      const consumer = economyOf(wallet.keypair);
      const escrow = await consumer.bandwidth.openEscrow(honestWallet.keypair.publicKey, story.mediaMint);
      await consumer.bandwidth.deposit(escrow, STORY.deposit, wallet.tokenAccount);
      channels.push(await consumer.bandwidth.receiptChannel(escrow, wallet.keypair));
      consumers.push(wallet.keypair.publicKey.toBase58());
      escrows.push(escrow.toBase58());
    }
    // web3.js caches a blockhash for its own sends (token accounts, transfers): make the
    // attacker's wallets and hand the puppet its MEDIA before the clock jumps.
    const attackerWallet = await fundedWallet(story, STORY.stake + STORY.deposit);
    const puppet = await fundedWallet(story, 0n);
    await transfer(connection, attackerWallet.keypair, attackerWallet.tokenAccount, puppet.tokenAccount, attackerWallet.keypair, STORY.deposit, [], {
      commitment: "confirmed",
    });
    await travel(story, 2 * 3600);
    for (const channel of channels) await honest.bandwidth.settleReceipt(channel.pay(GIB), settleOptions(honestWallet));

    const attacker = economyOf(attackerWallet.keypair);
    await attacker.staking.stake(STORY.stake, { tokenAccount: attackerWallet.tokenAccount });
    await attacker.bandwidth.registerProvider(STORY.prices);
    const escrow = await attacker.bandwidth.openEscrow(attackerWallet.keypair.publicKey, story.mediaMint, { signer: puppet.keypair });
    const [{ signature: openSignature }] = await connection.getSignaturesForAddress(escrow, { limit: 1 }, "confirmed");
    const depositSignature = await attacker.bandwidth.deposit(escrow, STORY.deposit, puppet.tokenAccount, { signer: puppet.keypair });
    const channel = await attacker.bandwidth.receiptChannel(escrow, puppet.keypair);
    const listPrice = STORY.prices.media * 10n;
    const updateSignature = await attacker.bandwidth.updateProvider({ media: listPrice, quote: STORY.prices.quote * 10n });
    const settled = [GIB, GIB];
    for (const bytes of settled) await attacker.bandwidth.settleReceipt(channel.pay(bytes), settleOptions(attackerWallet));

    return {
      story,
      honest: { provider: providerPda(honestWallet.keypair.publicKey).toBase58(), escrows, consumers },
      attacker: {
        operator: attackerWallet.keypair.publicKey.toBase58(),
        provider: providerPda(attackerWallet.keypair.publicKey).toBase58(),
        puppet: puppet.keypair.publicKey.toBase58(),
        escrow: escrow.toBase58(),
        fundingSignatures: [openSignature, depositSignature],
        updateSignature,
        listPrice,
        settled,
      },
      stop: () => story.stop(),
    };
  } catch (error) {
    await story.stop();
    throw error;
  }
}

/**
 * Each program's transactions as the indexer receives them, newest first (as
 * getSignaturesForAddress lists them), read through `indexer`'s connection: tests feed them to
 * `Indexer.ingest` in the orders they want to prove.
 */
export async function programTransactions(indexer: Indexer): Promise<Map<ProgramName, SourceTransaction[]>> {
  const byProgram = new Map<ProgramName, SourceTransaction[]>();
  for (const program of PROGRAM_NAMES) {
    const listed = await indexer.connection.getSignaturesForAddress(indexer.programIds[program], { limit: 1000 }, "confirmed");
    const transactions: SourceTransaction[] = [];
    for (const { signature } of listed) {
      const transaction = await indexer.connection.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
      if (!transaction) throw new Error(`the localnet returns no transaction ${signature}`);
      transactions.push({
        signature,
        slot: transaction.slot,
        blockTime: transaction.blockTime ?? null,
        failed: transaction.meta?.err != null,
        feePayer: transaction.transaction.message.staticAccountKeys[0].toBase58(),
        logs: transaction.meta?.logMessages ?? [],
        invocations: transactionInvocations(transaction),
      });
    }
    byProgram.set(program, transactions);
  }
  return byProgram;
}
