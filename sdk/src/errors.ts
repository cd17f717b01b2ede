/**
 * Named errors for everything a send can run into, each with a hint that says what to do:
 * a MEDIA program's refusal (`MediaProgramError`), the SPL Token program's
 * (`MediaTokenError`), the Ed25519 precompile's refusal of a receipt's signature
 * (`ReceiptSignatureError`), and a precondition the SDK checks before sending
 * (`MediaPreconditionError`). `toMediaError` maps what a send throws, whatever its shape
 * (Anchor's `ProgramError`, web3.js's `SendTransactionError`, a confirmed transaction that failed
 * after `skipPreflight`, whose error is only in its status and logs).
 *
 * The programs log nothing when they refuse: the custom code is in the transaction's error and
 * in the runtime's `Program <id> failed: custom program error: 0x..` line, and the name and
 * message come from the failing program's IDL, here (Anchor's own `Program` translates the code
 * to the IDL's message, as a `ProgramError`).
 */
import type { Idl } from "@coral-xyz/anchor";
import { type Connection, Ed25519Program, type TransactionInstruction } from "@solana/web3.js";
import { MEDIA_BANDWIDTH_IDL } from "./generated/media_bandwidth";
import { MEDIA_GOVERNANCE_IDL } from "./generated/media_governance";
import { MEDIA_STAKING_IDL } from "./generated/media_staking";
import { MEDIA_TREASURY_IDL } from "./generated/media_treasury";
import type { MediaProgramIds } from "./programs";

const IDLS: Record<keyof MediaProgramIds, Idl> = {
  staking: MEDIA_STAKING_IDL as unknown as Idl,
  bandwidth: MEDIA_BANDWIDTH_IDL as unknown as Idl,
  treasury: MEDIA_TREASURY_IDL as unknown as Idl,
  governance: MEDIA_GOVERNANCE_IDL as unknown as Idl,
};

/** The IDL of the MEDIA program at `address` in the deployment `programIds` (by default the IDLs' own ids). */
function idlAt(address: string, programIds?: MediaProgramIds): Idl | undefined {
  const names = Object.keys(IDLS) as (keyof MediaProgramIds)[];
  const name = names.find((candidate) => (programIds ? programIds[candidate].toBase58() : IDLS[candidate].address) === address);
  return name ? IDLS[name] : undefined;
}

/** The SPL Token program (classic), whose failures `MediaTokenError` names. */
const TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";

/** Every error the SDK raises: a name, what to do next, and the transaction's logs if one ran. */
export class MediaError extends Error {
  constructor(
    message: string,
    /** What to do about it. */
    readonly hint: string,
    /** The transaction's logs (empty when nothing was sent). */
    readonly logs: string[] = [],
  ) {
    super(`${message}. ${hint}`);
    this.name = "MediaError";
  }
}

/** A program of the suite refused an instruction: the error's name, code and message from its IDL. */
export class MediaProgramError extends MediaError {
  constructor(
    /** The program that failed, e.g. `media_staking`. */
    readonly program: string,
    /** The error's name in the IDL, e.g. `StakeBelowMinimum`. */
    readonly errorName: string,
    /** Its custom error code (from 6000). */
    readonly code: number,
    logs: string[],
    message: string,
  ) {
    super(`${program}: ${errorName} (${code}): ${message}`, "The program's message says which rule refused it; nothing changed on-chain", logs);
    this.name = "MediaProgramError";
  }
}

/** The SPL Token program's errors by code (`spl_token::error::TokenError`), with what to do. */
const TOKEN_ERRORS: [name: string, hint: string][] = [
  ["NotRentExempt", "Fund the account to its rent-exempt minimum"],
  ["InsufficientFunds", "The paying token account holds less than the amount: top it up or send less"],
  ["InvalidMint", "The mint account is not a valid mint"],
  ["MintMismatch", "The token account holds another mint: pass an account of the config's mint"],
  ["OwnerMismatch", "The token account is not owned by the signing wallet: pass the signer's own token account"],
  ["FixedSupply", "The mint has no mint authority"],
  ["AlreadyInUse", "The account is already initialized"],
  ["InvalidNumberOfProvidedSigners", "Wrong number of multisig signers"],
  ["InvalidNumberOfRequiredSigners", "Wrong number of required multisig signers"],
  ["UninitializedState", "The token account is not initialized: create it first (e.g. its associated token account)"],
  ["NativeNotSupported", "Wrapped SOL is not supported here"],
  ["NonNativeHasBalance", "Close only empty token accounts"],
  ["InvalidInstruction", "The token instruction is malformed"],
  ["InvalidState", "The token account is in an invalid state"],
  ["Overflow", "The amount overflows"],
  ["AuthorityTypeNotSupported", "That authority type is not supported for this account"],
  ["MintCannotFreeze", "The mint has no freeze authority"],
  ["AccountFrozen", "The token account is frozen: its mint's freeze authority must thaw it"],
  ["MintDecimalsMismatch", "The decimals do not match the mint's"],
  ["NonNativeNotSupported", "Only wrapped SOL supports this"],
];

/** The SPL Token program refused a transfer, burn or account operation inside a MEDIA instruction. */
export class MediaTokenError extends MediaError {
  constructor(
    /** The token program's error name, e.g. `InsufficientFunds`. */
    readonly errorName: string,
    /** Its code (`TokenError` as a number). */
    readonly code: number,
    hint: string,
    logs: string[],
  ) {
    super(`SPL Token: ${errorName} (${code})`, hint, logs);
    this.name = "MediaTokenError";
  }
}

/** The Ed25519 precompile's errors by code (`PrecompileError`). */
const PRECOMPILE_ERRORS = ["InvalidPublicKey", "InvalidRecoveryId", "InvalidSignature", "InvalidDataOffsets", "InvalidInstructionDataSize"];

/**
 * A receipt's signature does not verify: the Ed25519 precompile refused the transaction, or the
 * SDK's own check (`verifyReceipt`) did before sending it.
 */
export class ReceiptSignatureError extends MediaError {
  constructor(
    /** The precompile's error (`InvalidSignature`, ...), or `InvalidSignature` for the SDK's check. */
    readonly reason: string,
    logs: string[] = [],
    detail = "",
    /** The index of the refused verify instruction in its transaction (none for the SDK's check). */
    readonly instruction?: number,
  ) {
    super(
      `the receipt's Ed25519 signature was refused (${reason})${detail ? `: ${detail}` : ""}`,
      "Ask the consumer to sign it again (signReceipt / ReceiptChannel) for this escrow's address and nonce with the key the escrow names, and do not alter it afterwards",
      logs,
    );
    this.name = "ReceiptSignatureError";
  }
}

/** Something the SDK checks before sending is not so (a missing token account, a short balance): nothing was sent. */
export class MediaPreconditionError extends MediaError {
  constructor(
    /** Which check failed: `TokenAccountMissing`, `InsufficientBalance`, `MintMismatch`, `OwnerMismatch`. */
    readonly check: string,
    message: string,
    hint: string,
  ) {
    super(message, hint);
    this.name = "MediaPreconditionError";
  }
}

/** What a failed send tells about where it failed. */
interface Failure {
  logs: string[];
  /** The top-level instruction that failed and its custom code, when the error says. */
  instruction?: number;
  custom?: number;
}

function failureOf(error: unknown): Failure {
  const shaped = error as { logs?: string[]; transactionLogs?: string[]; transactionError?: { message?: string }; err?: unknown } | null;
  const logs = shaped?.logs ?? shaped?.transactionLogs ?? [];
  const text = `${String(error)} ${shaped?.transactionError?.message ?? ""} ${shaped?.err ? JSON.stringify(shaped.err) : ""}`;
  const processing = /Error processing Instruction (\d+): custom program error: 0x([0-9a-fA-F]+)/.exec(text);
  if (processing) return { logs, instruction: Number(processing[1]), custom: Number.parseInt(processing[2], 16) };
  const status = /"InstructionError":\[(\d+),\{"Custom":(\d+)\}\]/.exec(text);
  if (status) return { logs, instruction: Number(status[1]), custom: Number(status[2]) };
  return { logs };
}

/**
 * The program that raised a custom error, and the code, from a transaction's logs: the first
 * `Program <id> failed: custom program error: 0x..` line is the innermost failing program's
 * (its callers then fail with the same code, each on its own later line).
 */
function customFailure(logs: string[]): { program: string; code: number } | undefined {
  for (const line of logs) {
    const match = /^Program (\w+) failed: custom program error: 0x([0-9a-fA-F]+)$/.exec(line);
    if (match) return { program: match[1], code: Number.parseInt(match[2], 16) };
  }
  return undefined;
}

/** The token program's custom code from the logs, also when it failed with a message only. */
function tokenFailure(logs: string[], failed: { program: string; code: number } | undefined): number | undefined {
  if (failed?.program === TOKEN_PROGRAM) return failed.code;
  if (logs.some((line) => line === "Program log: Error: insufficient funds")) return 1;
  return undefined;
}

/** `idl`'s error with custom `code`, as a `MediaProgramError`. */
function programErrorOf(idl: Idl, code: number, logs: string[]): MediaProgramError | undefined {
  const known = idl.errors?.find((candidate) => candidate.code === code);
  return known ? new MediaProgramError(idl.metadata.name, known.name, code, logs, known.msg ?? known.name) : undefined;
}

/**
 * Turns what a failed send throws into a named error: `MediaProgramError` when one of the MEDIA
 * programs refused it (its custom code named from that program's IDL), `MediaTokenError` when
 * the token program did, `ReceiptSignatureError` when the Ed25519 precompile did
 * (`instructions`, the transaction's instructions, say which instruction is a verify and, when
 * the error carries no logs, which program failed). `programIds` names the deployment's
 * programs (by default the IDLs' ids). Anything else is returned unchanged.
 */
export function toMediaError(error: unknown, instructions: readonly TransactionInstruction[] = [], programIds?: MediaProgramIds): unknown {
  if (error instanceof MediaError) return error;
  const failure = failureOf(error);
  const { logs } = failure;
  const failed = customFailure(logs);
  if (failed) {
    const idl = idlAt(failed.program, programIds);
    const named = idl && programErrorOf(idl, failed.code, logs);
    if (named) return named;
  }
  const token = tokenFailure(logs, failed);
  if (token !== undefined) {
    const [name, hint] = TOKEN_ERRORS[token] ?? [`TokenError${token}`, "See the SPL Token program's error list"];
    return new MediaTokenError(name, token, hint, logs);
  }
  if (failure.instruction !== undefined && failure.custom !== undefined) {
    const failing = instructions[failure.instruction];
    const ed25519 =
      failing?.programId.equals(Ed25519Program.programId) || logs.some((line) => line.startsWith(`Program ${Ed25519Program.programId.toBase58()} failed`));
    if (ed25519) return new ReceiptSignatureError(PRECOMPILE_ERRORS[failure.custom] ?? `PrecompileError${failure.custom}`, logs, "", failure.instruction);
    // No logs: the status names the top-level instruction, whose program raised the code
    // unless it came from a program it called (then `explainMediaError` reads the logs).
    const idl = failing && !failed ? idlAt(failing.programId.toBase58(), programIds) : undefined;
    const named = idl && programErrorOf(idl, failure.custom, logs);
    if (named) return named;
  }
  return error;
}

/** The signature of a transaction that was sent and confirmed but failed (skipPreflight), from the error. */
function failedSignature(error: unknown): string | undefined {
  const shaped = error as { signature?: string } | null;
  if (typeof shaped?.signature === "string") return shaped.signature;
  return /(?:Raw transaction|Transaction|signature) ([1-9A-HJ-NP-Za-km-z]{64,88}) failed/.exec(String(error))?.[1];
}

/**
 * `toMediaError`, after reading the logs of a transaction that confirmed with an error (sent
 * with `skipPreflight`: the error that reaches the client then names only the signature and
 * status) from `connection`.
 */
export async function explainMediaError(
  error: unknown,
  connection?: Connection,
  instructions: readonly TransactionInstruction[] = [],
  sentSignature?: string,
  programIds?: MediaProgramIds,
): Promise<unknown> {
  const mapped = toMediaError(error, instructions, programIds);
  if (mapped instanceof MediaError && mapped === error) return mapped;
  // Without logs the status names only the top-level program, not a program it called: read them.
  if ((mapped !== error && failureOf(error).logs.length > 0) || !connection) return mapped;
  const signature = failedSignature(error) ?? sentSignature;
  if (!signature || typeof connection.getTransaction !== "function") return mapped;
  const transaction = await connection.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 }).catch(() => null);
  if (!transaction?.meta?.err) return mapped;
  const status = {
    logs: transaction.meta.logMessages ?? [],
    err: transaction.meta.err,
    toString: () => `Transaction ${signature} failed: ${JSON.stringify(transaction.meta?.err)}`,
  };
  const explained = toMediaError(status, instructions, programIds);
  return explained === status ? mapped : explained;
}

/**
 * Runs `send`, translating a refusal into a named error (see `toMediaError`). `signature`, read
 * after a failure, is the transaction's signature if it was signed: with `skipPreflight` a failed
 * transaction may confirm, and some clients lose its signature and logs on the way (Anchor 0.30's
 * provider with web3.js ≥ 1.95 throws `Unknown action 'undefined'` instead), so its logs are read
 * back by signature.
 */
export async function withMediaErrors<T>(
  send: () => Promise<T>,
  connection?: Connection,
  instructions: readonly TransactionInstruction[] = [],
  signature?: () => string | undefined,
  programIds?: MediaProgramIds,
): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw await explainMediaError(error, connection, instructions, signature?.(), programIds);
  }
}
