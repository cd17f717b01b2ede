/** Assertions shared by every test: named program errors, unchanged accounts, events. */
import { BorshCoder, EventParser, type Idl, type Program } from "@coral-xyz/anchor";
import { PublicKey, SYSVAR_CLOCK_PUBKEY } from "@solana/web3.js";
import { expect } from "chai";
import { MediaProgramError, MediaTokenError, ReceiptSignatureError, toMediaError } from "../../sdk/src";
import type { Bank } from "./bank";

/**
 * How a test names the SPL Token program's error (`TokenError`, e.g. `SplToken.MintMismatch`):
 * where the token program refuses an input itself, the MEDIA programs do not check it again, and
 * the SDK names the token program's code (`MediaTokenError`).
 */
export type TokenErrorName = `SplToken.${string}`;

const TOKEN_PREFIX = "SplToken.";

/**
 * Awaits `promise` and requires it to fail with the error named `name`: the custom code the
 * failing program returned, named from its IDL (the programs log no error text), or the token
 * program's error when `name` is a `TokenErrorName`. Returns the error for further checks.
 */
export async function expectProgramError(promise: Promise<unknown>, name: string | TokenErrorName): Promise<MediaProgramError | MediaTokenError> {
  let outcome: unknown;
  try {
    await promise;
  } catch (error) {
    outcome = error;
  }
  if (outcome === undefined) expect.fail(`expected the transaction to fail with ${name}, but it succeeded`);
  const named = toMediaError(outcome);
  const tokenError = name.startsWith(TOKEN_PREFIX);
  if (!(named instanceof (tokenError ? MediaTokenError : MediaProgramError))) {
    const logs = (outcome as { logs?: string[] }).logs?.join("\n") ?? "";
    expect.fail(`expected ${tokenError ? "token" : "program"} error ${name}, got: ${String(outcome)}\n${logs}`);
  }
  expect(named.errorName, named.message).to.equal(tokenError ? name.slice(TOKEN_PREFIX.length) : name);
  return named;
}

/** Raw state of accounts (lamports, owner, data), to prove an instruction changed nothing. */
export type AccountSnapshot = Map<string, string>;

export async function snapshot(bank: Bank, addresses: PublicKey[]): Promise<AccountSnapshot> {
  const state = new Map<string, string>();
  for (const address of addresses) {
    // The Clock sysvar moves with the slot, whatever the transaction did: no program writes it.
    if (address.equals(SYSVAR_CLOCK_PUBKEY)) continue;
    const account = await bank.runtime.getAccount(address);
    state.set(address.toBase58(), account ? `${account.lamports}|${account.owner.toBase58()}|${Buffer.from(account.data).toString("hex")}` : "absent");
  }
  return state;
}

/** Requires every account of `before` to be byte-identical now. */
export async function expectUnchanged(bank: Bank, before: AccountSnapshot): Promise<void> {
  const after = await snapshot(
    bank,
    [...before.keys()].map((key) => new PublicKey(key)),
  );
  for (const [key, state] of before) expect(after.get(key), `account ${key} changed`).to.equal(state);
}

/**
 * Requires `attempt` to fail with the error `name` (see `expectProgramError`) and every account of `touched` to be
 * byte-identical afterwards: how every hostile input must be refused. Returns the error.
 */
export async function expectRefused(
  bank: Bank,
  touched: PublicKey[],
  name: string | TokenErrorName,
  attempt: () => Promise<unknown>,
): Promise<MediaProgramError | MediaTokenError> {
  const before = await snapshot(bank, touched);
  const error = await expectProgramError(attempt(), name);
  await expectUnchanged(bank, before);
  return error;
}

/** The events `program` logged in a transaction, decoded as the Anchor client does (camelCase). */
export function eventsOf(bank: Bank, signature: string, program: Program<Idl>) {
  const parser = new EventParser(program.programId, new BorshCoder(program.idl));
  return [...parser.parseLogs(bank.provider.record(signature).logs)];
}

/** The Ed25519 precompile's errors, by custom code. */
const PRECOMPILE_ERRORS = ["InvalidPublicKey", "InvalidRecoveryId", "InvalidSignature", "InvalidDataOffsets", "InvalidInstructionDataSize"];

/**
 * Like `expectProgramError`, for a transaction whose Ed25519 verify instruction (at
 * `verifyIndex`) an attacker tampered with. Runtimes that verify precompiles before running
 * programs (LiteSVM, today's Agave) refuse such a transaction at the precompile, with the
 * precompile's own named error; solana-bankrun's 1.18 runtime does not, so there the
 * program's own check must refuse it with `programError`. Returns who refused.
 */
export async function expectReceiptRefused(bank: Bank, promise: Promise<unknown>, programError: string, verifyIndex = 0): Promise<string> {
  if (bank.runtime.name === "bankrun") {
    await expectProgramError(promise, programError);
    return programError;
  }
  let outcome: unknown;
  try {
    await promise;
  } catch (error) {
    outcome = error;
  }
  if (outcome === undefined) expect.fail(`expected the receipt to be refused (${programError}), but it settled`);
  const named = toMediaError(outcome);
  if (named instanceof MediaProgramError) {
    expect(named.errorName).to.equal(programError);
    return programError;
  }
  if (outcome instanceof ReceiptSignatureError) {
    expect(outcome.instruction, "the refused verify instruction").to.equal(verifyIndex);
    return `Ed25519 precompile: ${outcome.reason}`;
  }
  const precompile = new RegExp(`Error processing Instruction ${verifyIndex}: custom program error: 0x([0-9a-f]+)`).exec(String(outcome));
  if (!precompile) expect.fail(`expected ${programError} or an Ed25519 precompile refusal, got: ${String(outcome)}`);
  const name = PRECOMPILE_ERRORS[Number.parseInt(precompile[1], 16)];
  expect(name, `unknown precompile error 0x${precompile[1]}`).to.be.a("string");
  return `Ed25519 precompile: ${name}`;
}
