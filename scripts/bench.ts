/**
 * `npm run bench`: compute units of every instruction exercised, measured in the bank from
 * transaction metadata (exact and deterministic), and the size of every program binary.
 * Prints the table and writes it to BENCHMARKS.md.
 *
 * Each program's scenarios live in scripts/bench/<program>.ts; the contributor economy's at
 * 1, 100 and 10,000 operators and delegators in scripts/bench/delegation.ts. Every measured
 * transaction is also captured and replayed by the CU profiler, which splits each row's own
 * CU into runtime charges and the program's instructions (scripts/bench/split.ts).
 * `npm run bench -- <group>...` runs only the named groups (`GROUPS`, and `throughput`) and
 * prints their rows, leaving BENCHMARKS.md as it is.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SYSVAR_CLOCK_PUBKEY } from "@solana/web3.js";
import { MEDIA_IDLS } from "../sdk/src";
import { DEPLOY_DIR, runtimeName } from "../tests/utils/bank";
import type { Measurement, Meter } from "./bench/meter";
import { SPLIT_HEADER, splitRows, splitSummary, splitTable } from "./bench/split";
import { CaptureMeter, withBenchMints } from "./profile-capture";
import { benchScale, benchScaleMarket, benchScanTiming } from "./bench/scale";
import { benchThroughput, throughputSection } from "./bench/throughput";
import { benchBandwidth } from "./bench/bandwidth";
import { benchStaking } from "./bench/staking";
import { benchGovernance } from "./bench/governance";
import { benchTreasury } from "./bench/treasury";
import { benchDelegation, scaleTable } from "./bench/delegation";
import { PROGRAMS, ROOT, kib } from "./lib";

/**
 * Whether `instruction` must read the clock: its rule depends on the time (the reward stream,
 * unbonding and vote-lock ends, the rolling quota and the dispute window, voting periods and
 * timelocks, auctions, the emission schedule, a pause's end), which its IDL says by listing the
 * Clock sysvar account. (An instruction that reads the clock only to check a pause that is on
 * lists no clock and does not count.)
 */
export function readsClock(program: string, instruction: string): boolean {
  const idl = MEDIA_IDLS[program.replace(/^media_/, "") as keyof typeof MEDIA_IDLS];
  const accounts = idl?.instructions.find((ix) => ix.name === instruction)?.accounts ?? [];
  return accounts.some((account) => "address" in account && account.address === SYSVAR_CLOCK_PUBKEY.toBase58());
}

/**
 * The issues' own-share budgets: 500 CU plus 1,200 per CPI, except `settle_receipt` (2,500
 * plus 1,200 per CPI), `cast_vote` (1,000 plus 1,200 per CPI) and `execute` (1,500 plus 1,200
 * per executed instruction, excluding what those consume, which "own" leaves out already);
 * plus 150 for an instruction that must read the clock (what the clock syscall costs, 140).
 */
export function ownBudget(program: string, instruction: string, cpis: number): number {
  const base: Record<string, number> = { settle_receipt: 2500, cast_vote: 1000, execute: 1500 };
  const clock = readsClock(program, instruction) ? 150 : 0;
  return (base[instruction] ?? 500) + 1200 * cpis + clock;
}

/** `npm run bench:scan`'s section of BENCHMARKS.md, which this script keeps as it is. */
const SCAN_BENCH = /<!-- scan-bench:start -->[\s\S]*?<!-- scan-bench:end -->/;

/**
 * The new BENCHMARKS.md: `table`, then the scan-bench section of `current` (the file being
 * replaced, if any) byte for byte.
 */
export function withKeptSection(table: string, current: string | undefined): string {
  const kept = current === undefined ? undefined : SCAN_BENCH.exec(current)?.[0];
  return kept ? `${table}\n${kept}\n` : table;
}

/** The CU scenario groups, in the order `npm run bench` runs them; `npm run bench -- <name>...` runs only those. */
const GROUPS: Record<string, (meter: Meter) => Promise<void>> = {
  staking: benchStaking,
  bandwidth: benchBandwidth,
  governance: benchGovernance,
  treasury: benchTreasury,
  scale: benchScale,
  "scale-market": benchScaleMarket,
  delegation: (meter) => benchDelegation(meter),
};

/** Runs group `name` with its own seeded mints, so that its rows measure the same addresses every run. */
async function runGroup(name: string, meter: Meter): Promise<void> {
  await withBenchMints(name, () => GROUPS[name](meter));
}

const budgetOf = (m: Measurement) => ownBudget(m.program, m.instruction, m.cpis);

/** A measurement as a row of the compute-unit table. */
function row(m: Measurement): string {
  const budget = budgetOf(m);
  return `| ${m.program} | ${m.instruction} | ${m.scenario} | ${m.total} | ${m.own} | ${m.invoked} | ${m.cpis} | ${budget} | ${m.own <= budget ? "ok" : "over"} |`;
}

/**
 * The meter of the CU groups: it captures every measured transaction for the profiler, which
 * replays Solana 1.18 (bankrun's runtime); on another runtime the replay could not agree, so
 * the bench refuses to start rather than fail after the measurements.
 */
function cuMeter(): CaptureMeter {
  if (runtimeName() !== "bankrun")
    throw new Error(`the CU bench measures Solana 1.18 in solana-bankrun, which its profiler replays: unset MEDIA_RUNTIME (it is ${runtimeName()})`);
  return new CaptureMeter([]);
}

/** `npm run bench -- throughput` measures the throughput section alone (LiteSVM wall time). */
const THROUGHPUT = "throughput";

/** Runs only the named groups and prints their rows; BENCHMARKS.md, which needs every group, is left as it is. */
async function runGroups(names: string[]): Promise<void> {
  const unknown = names.filter((name) => !GROUPS[name] && name !== THROUGHPUT);
  if (unknown.length > 0) throw new Error(`unknown bench group(s) ${unknown.join(", ")}: one of ${[...Object.keys(GROUPS), THROUGHPUT].join(", ")}`);
  if (names.includes(THROUGHPUT)) console.log(["", ...throughputSection(await benchThroughput())].join("\n"));
  const groups = names.filter((name) => name !== THROUGHPUT);
  if (groups.length === 0) return console.log("\n(only some groups ran: BENCHMARKS.md not written)");
  const meter = cuMeter();
  for (const name of groups) await runGroup(name, meter);
  const splits = splitRows(meter);
  console.log(
    [
      "",
      "| program | instruction | scenario | total CU | own CU | invoked CU | CPIs | own budget | |",
      "|---|---|---|---:|---:|---:|---:|---:|---|",
      ...meter.results.map(row),
      "",
      ...SPLIT_HEADER,
      ...splitTable(meter.results, splits, budgetOf),
      "",
      splitSummary(meter.results, splits, budgetOf),
    ].join("\n"),
  );
  const scaled = scaleTable(meter.results, ownBudget);
  if (scaled.length > 0) console.log(["", ...scaled].join("\n"));
  console.log("\n(only some groups ran: BENCHMARKS.md not written)");
}

async function main() {
  const only = process.argv.slice(2);
  if (only.length > 0) return runGroups(only);
  console.log("Measuring compute units in solana-bankrun (Solana 1.18 runtime)...");
  // Every measured transaction is captured as well, for the profiler's replay of its own CU.
  const meter = cuMeter();
  for (const name of Object.keys(GROUPS)) await runGroup(name, meter);
  const splits = splitRows(meter);
  console.log("Measuring Media Scan and throughput in LiteSVM (wall time)...");
  const scans = await benchScanTiming();
  const throughput = await benchThroughput();

  const rows = meter.results.map(row);
  // The issues' binary size budgets.
  const sizeBudget: Record<string, number> = { media_staking: 32, media_bandwidth: 48, media_treasury: 32, media_governance: 48 };
  const sizes = PROGRAMS.map((program) => {
    const bytes = statSync(join(DEPLOY_DIR, `${program}.so`)).size;
    const budget = sizeBudget[program] * 1024;
    return `| ${program}.so | ${bytes} | ${kib(bytes)} | ${kib(budget)} | ${bytes <= budget ? "ok" : "over"} |`;
  });
  const table = [
    "# Benchmarks",
    "",
    "Generated by `npm run bench` from transaction metadata in solana-bankrun (Solana 1.18",
    "runtime, legacy SPL Token). Compute units are exact and deterministic. *Own* is the",
    "program's share: the total minus what invoked programs consumed (the 1,000 CU base of",
    "each invoke counts as ours; built-in programs such as System log no consumption, so",
    "theirs counts as ours too). *Budget* is the issue's own-share budget: 500 CU plus 1,200",
    "per CPI; `settle_receipt` 2,500, `cast_vote` 1,000 and `execute` 1,500 plus 1,200 per CPI;",
    "plus 150 for an instruction that must read the clock.",
    "",
    "## Compute units",
    "",
    "| program | instruction | scenario | total CU | own CU | invoked CU | CPIs | own budget | |",
    "|---|---|---|---:|---:|---:|---:|---:|---|",
    ...rows,
    "",
    "## Own CU: runtime charges and program instructions",
    "",
    "Each row's own CU as the CU profiler (`npm run profile`) splits it, replaying the very",
    "instruction measured above in Solana 1.18's interpreter and cost table; the parts add up to",
    "the own CU exactly (the bench fails otherwise). *Runtime charges* are what the runtime bills",
    "outside the program's instructions: *invoke base + built-ins* (1,000 per CPI, 150 per System",
    "call), *CPI bytes* (1 per 250 bytes of instruction data and of each account passed, a program",
    "account by its whole ELF), *PDA search* (`sol_sha256` and curve checks of a canonical-bump",
    "search), *sysvars* (clock 140, rent 124), *events* (`sol_log_data`: 100 + 100 per field + 1",
    "per byte), *other* (memory syscalls, plain logs). *Instructions* are the program's executed",
    "SBF instructions, 1 CU each. *Budget − charges* is what the budget leaves the instructions:",
    "negative when the charges alone exceed it, so that no change of code meets that budget",
    "without removing a charge (a CPI, a PDA search, an event field, a sysvar read).",
    "",
    ...SPLIT_HEADER,
    ...splitTable(meter.results, splits, budgetOf),
    "",
    splitSummary(meter.results, splits, budgetOf),
    "",
    "## Contributor economy at scale",
    "",
    "Own CU of every delegation and emission instruction, and of `settle_receipt` paying the",
    "delegators' fee share, with 1, 100 and 10,000 operators and as many delegators (bound to",
    "the measured operator) written into the bank beforehand (scripts/bench/delegation.ts). Two",
    "accumulator levels and a lazy sync per operator keep every instruction O(1): nothing reads",
    "or loops over the other accounts. *Spread* is the largest own CU minus the smallest: what",
    "there is comes from 128-bit accumulator arithmetic, whose cost varies with the operands'",
    "magnitude (the bound stake grows with the crowd), not from the number of accounts.",
    "",
    ...scaleTable(meter.results, ownBudget),
    "",
    "## Media Scan",
    "",
    "Wall time of the SDK's `mediaScan` over stake positions written into a LiteSVM bank, median",
    "of 5 runs on this machine: indicative, unlike the compute units above. It reads the four",
    "configs in one `getMultipleAccountsInfo` call (counters kept by the instructions), so it",
    "stays flat; listing every stake account, as it counted stakers before, grows with them.",
    "",
    "| stake accounts | Media Scan (ms) | listing every stake account (ms) |",
    "|---:|---:|---:|",
    ...scans.map((t) => `| ${t.accounts.toLocaleString("en-US")} | ${t.milliseconds} | ${t.listingMilliseconds.toLocaleString("en-US")} |`),
    "",
    ...throughputSection(throughput),
    "",
    "## Binary sizes",
    "",
    "| program | bytes | size | budget | |",
    "|---|---:|---:|---:|---|",
    ...sizes,
    "",
  ].join("\n");
  const path = join(ROOT, "BENCHMARKS.md");
  // `npm run bench:scan` owns its section: it is carried over byte for byte.
  writeFileSync(path, withKeptSection(table, existsSync(path) ? readFileSync(path, "utf8") : undefined));
  console.log(`\n${table}`);
  console.log("Wrote BENCHMARKS.md");
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
