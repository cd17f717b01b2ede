/** Assertions shared by every test: named program errors, unchanged accounts, events. */
import { AnchorError, BorshCoder, EventParser, type Idl, type Program } from "@coral-xyz/anchor";
import { PublicKey } from "@solana/web3.js";
import { expect } from "chai";
import type { Bank } from "./bank";

/**
 * Awaits `promise` and requires it to fail with the program error named `name` (as Anchor's
 * client reports it from the IDL). Returns the error for further checks.
 */
export async function expectProgramError(promise: Promise<unknown>, name: string): Promise<AnchorError> {
  let outcome: unknown;
  try {
    await promise;
  } catch (error) {
    outcome = error;
  }
  if (outcome === undefined) expect.fail(`expected the transaction to fail with ${name}, but it succeeded`);
  // Transactions sent without the methods builder are not translated by Anchor: parse their logs.
  const logs = (outcome as { logs?: string[] }).logs;
  if (!(outcome instanceof AnchorError) && logs) outcome = AnchorError.parse(logs) ?? outcome;
  if (!(outcome instanceof AnchorError)) {
    const logs = (outcome as { logs?: string[] }).logs?.join("\n") ?? "";
    expect.fail(`expected program error ${name}, got: ${String(outcome)}\n${logs}`);
  }
  expect(outcome.error.errorCode.code, outcome.error.errorMessage).to.equal(name);
  return outcome;
}

/** Raw state of accounts (lamports, owner, data), to prove an instruction changed nothing. */
export type AccountSnapshot = Map<string, string>;

export async function snapshot(bank: Bank, addresses: PublicKey[]): Promise<AccountSnapshot> {
  const state = new Map<string, string>();
  for (const address of addresses) {
    const account = await bank.runtime.getAccount(address);
    state.set(
      address.toBase58(),
      account ? `${account.lamports}|${account.owner.toBase58()}|${Buffer.from(account.data).toString("hex")}` : "absent",
    );
  }
  return state;
}

/** Requires every account of `before` to be byte-identical now. */
export async function expectUnchanged(bank: Bank, before: AccountSnapshot): Promise<void> {
  const after = await snapshot(bank, [...before.keys()].map((key) => new PublicKey(key)));
  for (const [key, state] of before) expect(after.get(key), `account ${key} changed`).to.equal(state);
}

/** The events `program` logged in a transaction, decoded as the Anchor client does (camelCase). */
export function eventsOf(bank: Bank, signature: string, program: Program<Idl>) {
  const parser = new EventParser(program.programId, new BorshCoder(program.idl));
  return [...parser.parseLogs(bank.provider.record(signature).logs)];
}
