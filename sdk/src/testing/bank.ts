/**
 * An in-process bank with the four MEDIA programs preloaded from the package's own binaries,
 * for a dApp's test suite: no validator, no toolchain, no clone of the programs' repository.
 *
 * ```ts
 * const bank = await startTestBank();  // LiteSVM; { runtime: "bankrun" } for Solana 1.18
 * const dev = await devGenesis(bank.economy); // or startTestEconomy() for both
 * await bank.warp(dev.periods.staking.unbondingPeriod); // the clock moves; nothing else does
 * ```
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Wallet } from "@coral-xyz/anchor";
import type { Keypair, PublicKey } from "@solana/web3.js";
import { AccountLayout } from "@solana/spl-token";
import { MEDIA_PROGRAMS } from "../constants";
import { MediaEconomy } from "../economy";
import { MEDIA_PROGRAM_KEYS, type MediaProgramIds, resolveProgramIds } from "../programs";
import { PROGRAMS_DIR } from "./programs-dir";
import { RuntimeProvider } from "./provider";
import { type LoadedProgram, type Runtime, type RuntimeName, TestKitOptionError, startBankrun, startLiteSvm } from "./runtime";

/** Unix time of a fresh bank's clock, so that tests see the same dates on every run. */
export const TEST_BANK_START_TIME = 1_800_000_000n;

export interface TestBankOptions {
  /** "litesvm" (default: the current Agave runtime) or "bankrun" (Solana 1.18). */
  runtime?: RuntimeName;
  /** Where `<program>.so` are read from (default: the package's own, `PROGRAMS_DIR`). */
  programsDir?: string;
  /** The clock's unix time at start (default `TEST_BANK_START_TIME`). */
  startTime?: bigint;
  /**
   * The ids the binaries in `programsDir` were built for, when not the default ones (a custom
   * deployment): the programs load there and `economy` targets them.
   */
  programIds?: Partial<MediaProgramIds>;
}

/** A bank with the four programs, a funded payer (their upgrade authority) and the SDK over it. */
export interface TestBank {
  runtime: Runtime;
  /** An Anchor `Provider`: anything that takes one (the SDK, `Program`, spl-token reads) runs on the bank. */
  provider: RuntimeProvider;
  /** Pays for and signs every transaction unless told otherwise; the programs' upgrade authority. */
  payer: Keypair;
  economy: MediaEconomy;
  /** The clock's unix time. */
  now(): Promise<bigint>;
  /** Moves the clock forward by `seconds`; returns the new unix time. */
  warp(seconds: number | bigint): Promise<bigint>;
  /** Sets the clock's unix time. */
  setUnixTimestamp(timestamp: bigint): Promise<void>;
  /** A token account's balance in base units (0 when the account does not exist, e.g. once closed). */
  tokenBalance(account: PublicKey): Promise<bigint>;
  /** An account's lamports (0 when it does not exist). */
  lamports(address: PublicKey): Promise<bigint>;
}

/** A program binary the kit needs is not where it looks. */
export class ProgramBinaryMissingError extends Error {
  constructor(
    readonly program: string,
    readonly programsDir: string,
  ) {
    super(
      `${program}.so is not in ${programsDir}: the installed @media-network/sdk ships it there, so reinstall the package; ` +
        "in the programs' repository, run `npm run build`; or pass `programsDir` to startTestBank",
    );
    this.name = "ProgramBinaryMissingError";
  }
}

/** Reads the four programs' binaries from `programsDir`, to be loaded at `programIds`. */
export function loadMediaPrograms(programsDir: string = PROGRAMS_DIR, programIds: MediaProgramIds = resolveProgramIds()): LoadedProgram[] {
  return MEDIA_PROGRAMS.map(({ name }) => {
    const path = join(programsDir, `${name}.so`);
    if (!existsSync(path)) throw new ProgramBinaryMissingError(name, programsDir);
    return { programId: programIds[MEDIA_PROGRAM_KEYS[name]], elf: readFileSync(path) };
  });
}

/** Starts a fresh bank: every call is independent, so test files never share state. */
export async function startTestBank(options: TestBankOptions = {}): Promise<TestBank> {
  const runtimeName = options.runtime ?? "litesvm";
  if (runtimeName !== "litesvm" && runtimeName !== "bankrun") throw new TestKitOptionError("runtime", `must be "litesvm" or "bankrun", not "${runtimeName}"`);
  const programIds = resolveProgramIds({ programIds: options.programIds });
  const programs = loadMediaPrograms(options.programsDir, programIds);
  const { runtime, payer } = await (runtimeName === "litesvm" ? startLiteSvm : startBankrun)(programs);
  await runtime.setUnixTimestamp(options.startTime ?? TEST_BANK_START_TIME);
  const provider = new RuntimeProvider(runtime, new Wallet(payer));
  return {
    runtime,
    provider,
    payer,
    economy: new MediaEconomy(provider, { programIds }),
    now: () => runtime.unixTimestamp(),
    async warp(seconds) {
      const target = (await runtime.unixTimestamp()) + BigInt(seconds);
      await runtime.setUnixTimestamp(target);
      return target;
    },
    setUnixTimestamp: (timestamp) => runtime.setUnixTimestamp(timestamp),
    async tokenBalance(account) {
      const found = await runtime.getAccount(account);
      return found ? AccountLayout.decode(found.data).amount : 0n;
    },
    async lamports(address) {
      return (await runtime.getAccount(address))?.lamports ?? 0n;
    },
  };
}
