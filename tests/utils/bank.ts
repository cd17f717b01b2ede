/**
 * Starting an in-process bank with the real SBF programs from `target/deploy`, and moving
 * its clock. Every test file starts its own bank, so tests never share state.
 *
 * `MEDIA_RUNTIME` picks the runtime: `bankrun` (default; Solana 1.18 through solana-bankrun)
 * or `litesvm` (the current Agave runtime). Tests see the same `Bank` either way.
 */
import { Wallet } from "@coral-xyz/anchor";
import type { Keypair } from "@solana/web3.js";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { MEDIA_PROGRAMS, MediaEconomy, type MediaPrograms } from "../../sdk/src";
import { RuntimeProvider } from "./provider";
import { type Runtime, startBankrun, startLiteSvm } from "./runtime";

export const DEPLOY_DIR = join(__dirname, "..", "..", "target", "deploy");

const PROGRAMS = MEDIA_PROGRAMS;

/**
 * A bank with the four programs loaded, a funded payer, and the SDK over it: `clients` is what
 * tests drive the programs through; `programs` (its Anchor programs) is for decoding accounts
 * and for instructions a test forges on purpose.
 */
export interface Bank {
  runtime: Runtime;
  provider: RuntimeProvider;
  payer: Keypair;
  clients: MediaEconomy;
  programs: MediaPrograms;
}

/** Genesis time of every test bank: tests warp relative to it. */
export const GENESIS_UNIX_TIMESTAMP = 1_800_000_000n;

/** The runtime chosen by `MEDIA_RUNTIME`. */
export function runtimeName(): "bankrun" | "litesvm" {
  const name = process.env.MEDIA_RUNTIME ?? "bankrun";
  if (name !== "bankrun" && name !== "litesvm") throw new Error(`MEDIA_RUNTIME must be bankrun or litesvm, not "${name}"`);
  return name;
}

/** Starts a bank on `runtime` (by default the one `MEDIA_RUNTIME` names). */
export async function startBank(runtime: "bankrun" | "litesvm" = runtimeName()): Promise<Bank> {
  for (const { name } of PROGRAMS) {
    if (!existsSync(join(DEPLOY_DIR, `${name}.so`))) {
      throw new Error(`${name}.so is missing from target/deploy: run \`npm run build\` first.`);
    }
  }
  const start = runtime === "litesvm" ? startLiteSvm : startBankrun;
  const started = await start(DEPLOY_DIR, PROGRAMS);
  const provider = new RuntimeProvider(started.runtime, new Wallet(started.payer));
  const clients = new MediaEconomy(provider);
  const bank: Bank = { runtime: started.runtime, provider, payer: started.payer, clients, programs: clients.programs };
  await started.runtime.setUnixTimestamp(GENESIS_UNIX_TIMESTAMP);
  return bank;
}

/**
 * The cast of a `describe`: before its tests, a fresh bank (on `runtime`, by default the one
 * `MEDIA_RUNTIME` names) and `setUp` run on it. Returns what `setUp` built, with the bank as
 * `bank`, for the tests to read (`cast.alice`) once the hook has run.
 */
export function given<T extends object>(setUp: (bank: Bank) => Promise<T>, runtime?: "bankrun" | "litesvm"): T & { bank: Bank } {
  const cast = {} as T & { bank: Bank };
  before(async () => {
    const bank = await startBank(runtime);
    Object.assign(cast, { bank }, await setUp(bank));
  });
  return cast;
}

/** The bank's current unix timestamp. */
export function unixTimestamp(bank: Bank): Promise<bigint> {
  return bank.runtime.unixTimestamp();
}

/** Sets the clock's unix timestamp. */
export function setUnixTimestamp(bank: Bank, timestamp: bigint): Promise<void> {
  return bank.runtime.setUnixTimestamp(timestamp);
}

/** Moves the clock forward by `seconds`. */
export async function warpSeconds(bank: Bank, seconds: number | bigint): Promise<bigint> {
  const target = (await unixTimestamp(bank)) + BigInt(seconds);
  await setUnixTimestamp(bank, target);
  return target;
}
