import { AnchorError, type Idl } from "@coral-xyz/anchor";
import { MEDIA_BANDWIDTH_IDL } from "./generated/media_bandwidth";
import { MEDIA_GOVERNANCE_IDL } from "./generated/media_governance";
import { MEDIA_STAKING_IDL } from "./generated/media_staking";
import { MEDIA_TREASURY_IDL } from "./generated/media_treasury";

const IDLS = [MEDIA_STAKING_IDL, MEDIA_BANDWIDTH_IDL, MEDIA_TREASURY_IDL, MEDIA_GOVERNANCE_IDL] as unknown as Idl[];

/** A program of the suite refused an instruction: the error's name, code and message from its IDL. */
export class MediaProgramError extends Error {
  constructor(
    /** The program that failed, e.g. `media_staking`. */
    readonly program: string,
    /** The error's name in the IDL, e.g. `StakeBelowMinimum`. */
    readonly errorName: string,
    /** Its custom error code (from 6000). */
    readonly code: number,
    /** The transaction's logs. */
    readonly logs: string[],
    message: string,
  ) {
    super(`${program}: ${errorName} (${code}): ${message}`);
    this.name = "MediaProgramError";
  }
}

/**
 * Turns what a failed send throws into a `MediaProgramError` when one of the MEDIA programs
 * refused it (the error is returned unchanged otherwise). Works on Anchor's `AnchorError`
 * and on any error carrying the transaction's `logs`.
 */
export function toMediaError(error: unknown): unknown {
  const logs: string[] | undefined = error instanceof AnchorError ? error.logs : (error as { logs?: string[] } | null)?.logs;
  const parsed = error instanceof AnchorError ? error : logs ? AnchorError.parse(logs) : null;
  if (!parsed) return error;
  const failing = parsed.program.toBase58();
  const idl = IDLS.find((candidate) => candidate.address === failing);
  if (!idl) return error;
  const { code, number } = parsed.error.errorCode;
  return new MediaProgramError(idl.metadata.name, code, number, logs ?? [], parsed.error.errorMessage);
}

/** Runs `send`, translating a program refusal into a `MediaProgramError`. */
export async function withMediaErrors<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toMediaError(error);
  }
}
