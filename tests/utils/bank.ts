/**
 * Starting the in-process bank with the real SBF programs from `target/deploy`, and moving
 * its clock. Every test file starts its own bank, so tests never share state.
 */
import { Wallet } from "@coral-xyz/anchor";
import { Keypair, PublicKey } from "@solana/web3.js";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Clock, type ProgramTestContext, start } from "solana-bankrun";
import {
  MEDIA_BANDWIDTH_PROGRAM_ID,
  MEDIA_GOVERNANCE_PROGRAM_ID,
  MEDIA_STAKING_PROGRAM_ID,
  MEDIA_TREASURY_PROGRAM_ID,
  mediaPrograms,
  type MediaPrograms,
} from "../../sdk/src";
import { BankrunProvider } from "./provider";

export const DEPLOY_DIR = join(__dirname, "..", "..", "target", "deploy");

const PROGRAMS: { name: string; programId: PublicKey }[] = [
  { name: "media_staking", programId: MEDIA_STAKING_PROGRAM_ID },
  { name: "media_bandwidth", programId: MEDIA_BANDWIDTH_PROGRAM_ID },
  { name: "media_treasury", programId: MEDIA_TREASURY_PROGRAM_ID },
  { name: "media_governance", programId: MEDIA_GOVERNANCE_PROGRAM_ID },
];

/** A bank with the four programs loaded, a funded payer, and Anchor clients over it. */
export interface Bank {
  context: ProgramTestContext;
  provider: BankrunProvider;
  payer: Keypair;
  programs: MediaPrograms;
}

/** Genesis time of every test bank: tests warp relative to it. */
export const GENESIS_UNIX_TIMESTAMP = 1_800_000_000n;

export async function startBank(): Promise<Bank> {
  for (const { name } of PROGRAMS) {
    if (!existsSync(join(DEPLOY_DIR, `${name}.so`))) {
      throw new Error(`${name}.so is missing from target/deploy: run \`npm run build\` first.`);
    }
  }
  // solana-bankrun loads `<name>.so` from SBF_OUT_DIR; its runtime logs every instruction at
  // debug level unless told otherwise (set RUST_LOG=debug to see them).
  process.env.SBF_OUT_DIR = DEPLOY_DIR;
  process.env.RUST_LOG ??= "error";
  const context = await start(PROGRAMS, []);
  const provider = new BankrunProvider(context, new Wallet(context.payer));
  const bank: Bank = { context, provider, payer: context.payer, programs: mediaPrograms(provider) };
  await setUnixTimestamp(bank, GENESIS_UNIX_TIMESTAMP);
  return bank;
}

/** The bank's current unix timestamp. */
export async function unixTimestamp(bank: Bank): Promise<bigint> {
  return (await bank.context.banksClient.getClock()).unixTimestamp;
}

/** Sets the clock's unix timestamp (slots keep advancing on their own). */
export async function setUnixTimestamp(bank: Bank, timestamp: bigint): Promise<void> {
  const clock = await bank.context.banksClient.getClock();
  bank.context.setClock(
    new Clock(clock.slot, clock.epochStartTimestamp, clock.epoch, clock.leaderScheduleEpoch, timestamp),
  );
}

/** Moves the clock forward by `seconds`. */
export async function warpSeconds(bank: Bank, seconds: number | bigint): Promise<bigint> {
  const target = (await unixTimestamp(bank)) + BigInt(seconds);
  await setUnixTimestamp(bank, target);
  return target;
}
