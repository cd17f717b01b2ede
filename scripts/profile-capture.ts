/**
 * Captures benchmark scenarios for the CU profiler: runs the bench's own scenario code
 * (scripts/bench/<program>.ts) with a Meter that, for the scenarios asked for, records the
 * accounts just before the measured transaction, the instruction, the sysvars, the accounts
 * after it, and what each program the instruction invoked consumed by the bank's logs.
 */
import { PublicKey, SYSVAR_CLOCK_PUBKEY, SYSVAR_INSTRUCTIONS_PUBKEY, SYSVAR_RENT_PUBKEY, type Transaction, VersionedTransaction } from "@solana/web3.js";
import { utils } from "@coral-xyz/anchor";
import type { Bank } from "../tests/utils/bank";
import { benchBandwidth } from "./bench/bandwidth";
import { benchDelegation } from "./bench/delegation";
import { benchGovernance } from "./bench/governance";
import { type Measurement, Meter, splitComputeUnits } from "./bench/meter";
import { benchStaking } from "./bench/staking";
import { benchTreasury } from "./bench/treasury";
import { seedMintKeys } from "../tests/utils/token";

/** An account as the profiler reads it: decimal lamports, base58 owner, hex data. */
export interface CapturedAccount {
  lamports: string;
  owner: string;
  executable: boolean;
  data: string;
}

/** What `media-profile` replays (tools/profile/src/capture.rs). */
export interface Capture {
  bench: Pick<Measurement, "total" | "own" | "invoked" | "cpis">;
  programId: string;
  elf: string;
  debugElf: string | null;
  instruction: { data: string; accounts: { address: string; isSigner: boolean; isWritable: boolean }[] };
  accounts: Record<string, CapturedAccount>;
  accountsAfter: Record<string, CapturedAccount>;
  clock: string;
  rent: string;
  callees: { programId: string; consumed: number | null }[];
}

export interface CapturedScenario {
  measurement: Measurement;
  /** The bank's logs of the measured transaction. */
  logs: string[];
  /** Program name as in target/deploy (media_staking, ...). */
  program: string;
  capture: Omit<Capture, "elf" | "debugElf">;
}

/**
 * Runs `run` with the mints of bench group `group` (`npm run bench`'s group names): a seeded
 * key sequence, so that the rows whose PDAs derive from a mint (open_escrow, the treasury's
 * initialize_config) search the same bumps in every run, of the bench and of the profiler.
 */
export async function withBenchMints<T>(group: string, run: () => Promise<T>): Promise<T> {
  seedMintKeys(`bench/${group}`);
  try {
    return await run();
  } finally {
    seedMintKeys(undefined);
  }
}

/** The bench's scenario groups (`group`: the bench's name for it), in the order `npm run bench` runs them. */
export const BENCH_GROUPS: { program: string; group: string; run: (meter: Meter) => Promise<void> }[] = [
  { program: "media_staking", group: "staking", run: benchStaking },
  { program: "media_bandwidth", group: "bandwidth", run: benchBandwidth },
  { program: "media_governance", group: "governance", run: benchGovernance },
  { program: "media_treasury", group: "treasury", run: benchTreasury },
  // The contributor economy at one operator and one delegator (the bench's scaling runs are the same code at 100 and 10,000).
  { program: "media_staking", group: "delegation", run: (meter) => benchDelegation(meter, [1]) },
];

/** Programs whose instructions only verify (precompiles) or set limits: no state changes. */
const STATELESS_PROGRAMS = new Set([
  "Ed25519SigVerify111111111111111111111111111",
  "KeccakSecp256k11111111111111111111111111111",
  "ComputeBudget111111111111111111111111111111",
]);

/** How scenarios are named: "<program>.<instruction> (<scenario>)", as in BENCHMARKS.md. */
export function scenarioTitle(m: Pick<Measurement, "program" | "instruction" | "scenario">): string {
  return `${m.program}.${m.instruction} (${m.scenario})`;
}

/**
 * Every word of the query occurs in the title, case-insensitively; the "media_" of program
 * names is left out on both sides, so "MEDIA" selects scenarios about the MEDIA token only.
 */
export function matches(query: string[], title: string): boolean {
  const lower = title.replace(/^media_/, "").toLowerCase();
  return query.every((word) => lower.includes(word.replace(/^media_/i, "").toLowerCase()));
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

async function readAccount(bank: Bank, address: PublicKey): Promise<CapturedAccount> {
  const account = await bank.provider.runtime.getAccount(address);
  if (!account) return { lamports: "0", owner: PublicKey.default.toBase58(), executable: false, data: "" };
  return { lamports: account.lamports.toString(), owner: account.owner.toBase58(), executable: account.executable, data: hex(account.data) };
}

interface CompiledView {
  keys: PublicKey[];
  isSigner: (i: number) => boolean;
  isWritable: (i: number) => boolean;
  instructions: { programIdIndex: number; accounts: number[]; data: Uint8Array }[];
}

function compiled(tx: Transaction | VersionedTransaction): CompiledView {
  if (tx instanceof VersionedTransaction) {
    const message = tx.message;
    return {
      keys: message.staticAccountKeys,
      isSigner: (i) => message.isAccountSigner(i),
      isWritable: (i) => message.isAccountWritable(i),
      instructions: message.compiledInstructions.map((ix) => ({ programIdIndex: ix.programIdIndex, accounts: ix.accountKeyIndexes, data: ix.data })),
    };
  }
  const message = tx.compileMessage();
  return {
    keys: message.accountKeys,
    isSigner: (i) => message.isAccountSigner(i),
    isWritable: (i) => message.isAccountWritable(i),
    instructions: message.instructions.map((ix) => ({ programIdIndex: ix.programIdIndex, accounts: ix.accounts, data: utils.bytes.bs58.decode(ix.data) })),
  };
}

/**
 * The Instructions sysvar as the runtime builds it for a transaction: the instruction count,
 * each instruction's offset, each instruction (accounts with signer/writable flags, program id,
 * data), and the index of the instruction executing.
 */
function instructionsSysvar(view: CompiledView, current: number): Buffer {
  const bodies = view.instructions.map((ix) => {
    const parts: Buffer[] = [u16(ix.accounts.length)];
    for (const index of ix.accounts) {
      parts.push(Buffer.from([(view.isSigner(index) ? 1 : 0) | (view.isWritable(index) ? 2 : 0)]), view.keys[index].toBuffer());
    }
    parts.push(view.keys[ix.programIdIndex].toBuffer(), u16(ix.data.length), Buffer.from(ix.data));
    return Buffer.concat(parts);
  });
  let offset = 2 + 2 * bodies.length;
  const offsets = bodies.map((body) => {
    const at = offset;
    offset += body.length;
    return u16(at);
  });
  return Buffer.concat([u16(bodies.length), ...offsets, ...bodies, u16(current)]);
}

function u16(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16LE(value);
  return out;
}

/** Depth-2 frames inside the last depth-1 frame of `programId`: each callee and its logged CU. */
function calleesOf(logs: string[], programId: string): Capture["callees"] {
  let callees: Capture["callees"] = [];
  let depth = 0;
  let inTarget = false;
  for (const line of logs) {
    const invoke = /^Program (\w+) invoke \[(\d+)\]$/.exec(line);
    if (invoke) {
      depth = Number(invoke[2]);
      if (depth === 1) {
        inTarget = invoke[1] === programId;
        if (inTarget) callees = [];
      }
      if (depth === 2 && inTarget) callees.push({ programId: invoke[1], consumed: null });
      continue;
    }
    const consumed = /^Program (\w+) consumed (\d+) of \d+ compute units$/.exec(line);
    if (consumed && depth === 2 && inTarget) callees[callees.length - 1].consumed = Number(consumed[2]);
    if (/^Program \w+ (success|failed)/.test(line)) depth--;
  }
  return callees;
}

/** A measured scenario the profiler cannot replay, and why. */
export interface UncapturedScenario {
  measurement: Measurement;
  reason: string;
}

/**
 * A Meter that also captures the scenarios `query` selects (every scenario, for an empty
 * query). A selected scenario whose state the capture cannot see is measured all the same and
 * listed in `uncaptured` with the reason.
 */
export class CaptureMeter extends Meter {
  readonly captured: CapturedScenario[] = [];
  readonly uncaptured: UncapturedScenario[] = [];

  constructor(private readonly query: string[]) {
    super();
  }

  override async measure(
    bank: Bank,
    program: { name: string; id: PublicKey },
    instruction: string,
    scenario: string,
    send: () => Promise<string>,
  ): Promise<void> {
    if (!matches(this.query, scenarioTitle({ program: program.name, instruction, scenario }))) return super.measure(bank, program, instruction, scenario, send);
    const runtime = bank.provider.runtime;
    const processTransaction = runtime.process.bind(runtime);
    const before = new Map<string, { view: CompiledView; accounts: Record<string, CapturedAccount>; clock: string; rent: string }>();
    runtime.process = async (tx) => {
      const view = compiled(tx);
      const accounts: Record<string, CapturedAccount> = {};
      for (const key of view.keys) accounts[key.toBase58()] = await readAccount(bank, key);
      const clock = (await readAccount(bank, SYSVAR_CLOCK_PUBKEY)).data;
      const rent = (await readAccount(bank, SYSVAR_RENT_PUBKEY)).data;
      const result = await processTransaction(tx);
      const signature = utils.bytes.bs58.encode(tx instanceof VersionedTransaction ? tx.signatures[0] : (tx.signature ?? new Uint8Array(64)));
      before.set(signature, { view, accounts, clock, rent });
      return result;
    };
    let signature: string;
    try {
      signature = await send();
    } finally {
      runtime.process = processTransaction;
    }
    const { logs } = bank.provider.record(signature);
    const measurement: Measurement = { program: program.name, instruction, scenario, ...splitComputeUnits(logs, program.id.toBase58()) };
    this.results.push(measurement);
    const state = before.get(signature);
    const uncaptured = (reason: string) => {
      this.uncaptured.push({ measurement, reason });
      process.stderr.write(`  ${scenarioTitle(measurement)}: not captured (${reason})\n`);
    };
    if (!state) return uncaptured("its transaction was not sent through the bank's runtime");
    const { view } = state;
    const index = view.instructions.map((ix) => view.keys[ix.programIdIndex].equals(program.id)).lastIndexOf(true);
    const stateful = view.instructions.slice(0, index).find((earlier) => !STATELESS_PROGRAMS.has(view.keys[earlier.programIdIndex].toBase58()));
    if (stateful) {
      return uncaptured(
        `it follows an instruction of ${view.keys[stateful.programIdIndex].toBase58()} in its transaction, which may change state the capture cannot see`,
      );
    }
    const ix = view.instructions[index];
    if (view.keys.some((key) => key.equals(SYSVAR_INSTRUCTIONS_PUBKEY))) {
      state.accounts[SYSVAR_INSTRUCTIONS_PUBKEY.toBase58()] = {
        lamports: "0",
        owner: "Sysvar1111111111111111111111111111111111111",
        executable: false,
        data: hex(instructionsSysvar(view, index)),
      };
    }
    const accountsAfter: Record<string, CapturedAccount> = {};
    for (const key of view.keys) accountsAfter[key.toBase58()] = await readAccount(bank, key);
    this.captured.push({
      measurement,
      logs,
      program: program.name,
      capture: {
        bench: { total: measurement.total, own: measurement.own, invoked: measurement.invoked, cpis: measurement.cpis },
        programId: program.id.toBase58(),
        instruction: {
          data: hex(ix.data),
          accounts: ix.accounts.map((i) => ({ address: view.keys[i].toBase58(), isSigner: view.isSigner(i), isWritable: view.isWritable(i) })),
        },
        accounts: state.accounts,
        accountsAfter,
        clock: state.clock,
        rent: state.rent,
        callees: calleesOf(logs, program.id.toBase58()),
      },
    });
    process.stderr.write(`  captured ${scenarioTitle(measurement)}\n`);
  }
}

/**
 * Runs the bench groups that can contain a match for `query` (a word naming a program or an
 * instruction narrows them) and returns every matching scenario's capture.
 */
export async function captureScenarios(query: string[], groups = BENCH_GROUPS, instructionsOf: (program: string) => string[]): Promise<CapturedScenario[]> {
  const words = query.map((w) => w.toLowerCase());
  const namesOf = (program: string) => [program, program.replace(/^media_/, ""), ...instructionsOf(program)];
  // Words that name a program or an instruction narrow the groups; other words only filter
  // scenario titles.
  const naming = words.filter((w) => groups.some((g) => namesOf(g.program).includes(w)));
  const candidates = groups.filter((g) => naming.every((w) => namesOf(g.program).includes(w)));
  const meter = new CaptureMeter(query);
  // The profile replays Solana 1.18, the runtime bankrun embeds and the bench measures on.
  const runtime = process.env.MEDIA_RUNTIME;
  process.env.MEDIA_RUNTIME = "bankrun";
  try {
    for (const group of candidates) {
      process.stderr.write(`Running the ${group.program} bench scenarios (solana-bankrun)...\n`);
      await withBenchMints(group.group, () => group.run(meter));
    }
  } finally {
    if (runtime === undefined) delete process.env.MEDIA_RUNTIME;
    else process.env.MEDIA_RUNTIME = runtime;
  }
  if (meter.uncaptured.length > 0) {
    throw new Error(meter.uncaptured.map(({ measurement, reason }) => `${scenarioTitle(measurement)} cannot be replayed: ${reason}`).join("\n"));
  }
  return meter.captured;
}
