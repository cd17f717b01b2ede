/** Measuring one instruction's compute units from its transaction's logs. */
import type { PublicKey } from "@solana/web3.js";
import type { Bank } from "../../tests/utils/bank";

export interface Measurement {
  program: string;
  instruction: string;
  scenario: string;
  total: number;
  own: number;
  invoked: number;
  cpis: number;
}

/**
 * Own/invoked split of the top-level instruction of `programId` in `logs`. A callee logs its
 * own consumption, which excludes the 1,000 CU the runtime charges the caller per invoke;
 * "own" is the total minus the callees' consumption, so that base counts as ours.
 */
export function splitComputeUnits(logs: string[], programId: string) {
  // Frames open on "invoke [depth]" and close on "success"/"failed". Built-in programs (System,
  // the loaders) log no "consumed" line, so a frame's consumption may be missing.
  const stack: string[] = [];
  let total = 0;
  let invoked = 0;
  let cpis = 0;
  let inTarget = false;
  for (const line of logs) {
    const invoke = /^Program (\w+) invoke \[(\d+)\]$/.exec(line);
    if (invoke) {
      stack.push(invoke[1]);
      if (stack.length === 1) inTarget = invoke[1] === programId;
      if (stack.length === 2 && inTarget) cpis++;
      continue;
    }
    const consumed = /^Program (\w+) consumed (\d+) of \d+ compute units$/.exec(line);
    if (consumed) {
      if (stack.length === 1 && consumed[1] === programId) total = Number(consumed[2]);
      if (stack.length === 2 && inTarget) invoked += Number(consumed[2]);
      continue;
    }
    if (/^Program \w+ (success|failed)/.test(line)) stack.pop();
  }
  return { total, own: total - invoked, invoked, cpis };
}

/** Collects measurements across scenarios. */
export class Meter {
  readonly results: Measurement[] = [];

  /** Sends one transaction through `send`, and records the CU of `programId`'s instruction. */
  async measure(bank: Bank, program: { name: string; id: PublicKey }, instruction: string, scenario: string, send: () => Promise<string>): Promise<void> {
    const signature = await send();
    const { logs } = bank.provider.record(signature);
    this.results.push({ program: program.name, instruction, scenario, ...splitComputeUnits(logs, program.id.toBase58()) });
    process.stderr.write(`  ${program.name}.${instruction} (${scenario})\n`);
  }
}
