/**
 * The repository's tests on the SDK's testing kit (`sdk/src/testing`): every test file starts
 * its own bank, so tests never share state.
 *
 * `MEDIA_RUNTIME` picks the runtime: `bankrun` (default here; Solana 1.18 through
 * solana-bankrun) or `litesvm` (the current Agave runtime). Tests see the same `Bank` either way.
 */
import { join } from "node:path";
import type { MediaEconomy, MediaPrograms } from "../../sdk/src";
import { type RuntimeName, type TestBank, TEST_BANK_START_TIME, startTestBank } from "../../sdk/src/testing";

/**
 * The suites load the programs the build just wrote to target/deploy (under whatever ids it was
 * given, e.g. by keys:sync in a copy of the repository), not the SDK package's copy of them.
 */
export const DEPLOY_DIR = join(__dirname, "..", "..", "target", "deploy");

/**
 * A kit bank with the names the tests use: `clients` (the SDK, the kit's `economy`) is what tests
 * drive the programs through; `programs` (its Anchor programs) is for decoding accounts and for
 * instructions a test forges on purpose.
 */
export interface Bank extends TestBank {
  clients: MediaEconomy;
  programs: MediaPrograms;
}

/** Genesis time of every test bank: tests warp relative to it. */
export const GENESIS_UNIX_TIMESTAMP = TEST_BANK_START_TIME;

/** The runtime chosen by `MEDIA_RUNTIME`. */
export function runtimeName(): RuntimeName {
  const name = process.env.MEDIA_RUNTIME ?? "bankrun";
  if (name !== "bankrun" && name !== "litesvm") throw new Error(`MEDIA_RUNTIME must be bankrun or litesvm, not "${name}"`);
  return name;
}

/** Starts a bank on `runtime` (by default the one `MEDIA_RUNTIME` names). */
export async function startBank(runtime: RuntimeName = runtimeName()): Promise<Bank> {
  const bank = await startTestBank({ runtime, programsDir: DEPLOY_DIR });
  return { ...bank, clients: bank.economy, programs: bank.economy.programs };
}

/**
 * The cast of a `describe`: before its tests, a fresh bank (on `runtime`, by default the one
 * `MEDIA_RUNTIME` names) and `setUp` run on it. Returns what `setUp` built, with the bank as
 * `bank`, for the tests to read (`cast.alice`) once the hook has run.
 */
export function given<T extends object>(setUp: (bank: Bank) => Promise<T>, runtime?: RuntimeName): T & { bank: Bank } {
  const cast = {} as T & { bank: Bank };
  before(async () => {
    const bank = await startBank(runtime);
    Object.assign(cast, { bank }, await setUp(bank));
  });
  return cast;
}

/** The bank's current unix timestamp. */
export function unixTimestamp(bank: Bank): Promise<bigint> {
  return bank.now();
}

/** Sets the clock's unix timestamp. */
export function setUnixTimestamp(bank: Bank, timestamp: bigint): Promise<void> {
  return bank.setUnixTimestamp(timestamp);
}

/** Moves the clock forward by `seconds`. */
export function warpSeconds(bank: Bank, seconds: number | bigint): Promise<bigint> {
  return bank.warp(seconds);
}
