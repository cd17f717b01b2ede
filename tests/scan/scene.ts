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
import type { Keypair, PublicKey } from "@solana/web3.js";
import { GIB, MediaEconomy } from "../../sdk/src";
import { rpcTokenBalance } from "../utils/rpc";
import { STORY, type StoryNet, startStoryNet, storyCast } from "../localnet/clients/story";

export interface ScanEconomy {
  story: StoryNet;
  operator: MediaEconomy;
  operatorTokenAccount: PublicKey;
  /** Settles a receipt for `bytes` more on the story's escrow. */
  settle(bytes: bigint): Promise<void>;
  stop(): Promise<void>;
}

/** The story's economy, with 4 GiB settled in two receipts and the treasury's fees burned. */
export async function startScanEconomy(): Promise<ScanEconomy> {
  const story = await startStoryNet();
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
 * A PostgreSQL server in a temp folder on a free loopback port, trusting local connections.
 * PostgreSQL refuses to run as root, so as root its files belong to, and it runs as, the
 * `postgres` user (or `nobody`).
 */
export async function startPostgres(bin: string): Promise<PostgresServer> {
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
    run("pg_ctl", ["start", "-D", data, "-w", "-l", join(dir, "server.log"), "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`]);
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
