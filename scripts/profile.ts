/**
 * `npm run profile -- <words...> | --all  [--json] [--top N]`: where a benchmark scenario's compute units
 * go. The scenario (every bench scenario whose "program.instruction (scenario)" title contains
 * all the words) is captured from the bench's own code (scripts/profile-capture.ts), replayed by
 * `media-profile` (tools/profile) in Solana 1.18's interpreter and cost table, and printed per
 * syscall charge, per function and per source line. The replay's own, invoked and total CU
 * must equal the bench's; the run fails if they do not.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Capture, type CapturedScenario, captureScenarios, scenarioTitle } from "./profile-capture";
import { DEPLOY_DIR, IDL_DIR, ROOT } from "./lib";

/** The host tool `npm run build` compiles. */
export const PROFILER = join(ROOT, "target", "release", "media-profile");
/** The debug-info variant of each program `npm run build` writes (same code as target/deploy). */
export const PROFILING_DIR = join(ROOT, "target", "bpfel-unknown-none", "profiling");

export interface ProfileReport {
  bench: { total: number; own: number; invoked: number; cpis: number };
  replay: { total: number; own: number; invoked: number; instructions: number; cpis: number; error: string | null };
  debugBuild: { used: boolean; own: number; invoked: number; sameCodeAsDeployed: boolean };
  charges: { what: string; units: number; count: number; kind: "own" | "invoked" }[];
  functions: { name: string; own: number; inclusive: number; calls: number }[];
  lines: { file: string; line: number; function: string; units: number }[];
  logs: string[];
}

export interface ScenarioProfile {
  title: string;
  report: ProfileReport;
}

function instructionsOf(program: string): string[] {
  const path = join(IDL_DIR, `${program}.json`);
  if (!existsSync(path)) return [];
  return (JSON.parse(readFileSync(path, "utf8")) as { instructions: { name: string }[] }).instructions.map((ix) => ix.name);
}

/**
 * Replays one captured scenario with `media-profile`: the deployed program, and for names and
 * lines `debugElf` (by default the debug-info build of the same program; null when only the
 * charges matter, which spares the second program's load and its DWARF).
 */
export function replay(scenario: CapturedScenario, debugElf: string | null = join(PROFILING_DIR, `lib${scenario.program}.so`)): ProfileReport {
  if (!existsSync(PROFILER)) throw new Error(`${PROFILER} is missing: run \`npm run build\` (it compiles the profiler).`);
  if (debugElf !== null && !existsSync(debugElf)) {
    throw new Error(`${debugElf} is missing: run \`npm run build\` (it builds the debug-info variant of the programs).`);
  }
  const capture: Capture = { ...scenario.capture, elf: join(DEPLOY_DIR, `${scenario.program}.so`), debugElf };
  const dir = mkdtempSync(join(tmpdir(), "media-profile-"));
  try {
    const path = join(dir, "capture.json");
    writeFileSync(path, JSON.stringify(capture));
    const result = spawnSync(PROFILER, [path], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`media-profile failed on ${scenarioTitle(scenario.measurement)}: ${result.stderr || result.error?.message}`);
    return JSON.parse(result.stdout) as ProfileReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Captures and replays every bench scenario the query selects. */
export async function profileScenarios(query: string[]): Promise<ScenarioProfile[]> {
  const captured = await captureScenarios(query, undefined, instructionsOf);
  return captured.map((scenario) => ({ title: scenarioTitle(scenario.measurement), report: replay(scenario) }));
}

/** The replay's figures differ from the bench's: a description of how, or null when equal. */
export function mismatch(report: ProfileReport): string | null {
  const { bench, replay: r } = report;
  if (r.error) return `the replay failed: ${r.error}`;
  if (r.own !== bench.own || r.invoked !== bench.invoked || r.total !== bench.total || r.cpis !== bench.cpis) {
    return `replay own/invoked/total/CPIs ${r.own}/${r.invoked}/${r.total}/${r.cpis} != bench ${bench.own}/${bench.invoked}/${bench.total}/${bench.cpis}`;
  }
  if (!report.debugBuild.sameCodeAsDeployed || report.debugBuild.own !== r.own) {
    return `the debug-info build ran different code (own ${report.debugBuild.own}) than the deployed program (own ${r.own}): rebuild with \`npm run build\``;
  }
  return null;
}

/**
 * The kinds of runtime charge in an instruction's own CU, in the order tables show them: what
 * the runtime bills for an invoke (its 1,000 CU base, and a built-in callee such as System,
 * which logs no consumption of its own), the bytes an invoke passes (instruction data, and
 * every account's data at 1 CU per 250 bytes, a program account by its whole ELF), a PDA
 * search's hashing and curve checks, sysvar reads, `sol_log_data` (100 + 100 per field + 1 per
 * byte), and the rest (memory syscalls the compiler emits, plain logs).
 */
export const CHARGE_KINDS = ["invoke", "cpiBytes", "pda", "sysvars", "events", "other"] as const;
export type ChargeKind = (typeof CHARGE_KINDS)[number];

/** What each kind is called in tables. */
export const CHARGE_KIND_TITLES: Record<ChargeKind, string> = {
  invoke: "invoke base + built-ins",
  cpiBytes: "CPI bytes",
  pda: "PDA search",
  sysvars: "sysvars",
  events: "events",
  other: "other",
};

/** The kind of an own charge, by the name `media-profile` gives it (tools/profile/src/vm.rs, cpi.rs). */
export function chargeKind(what: string): ChargeKind {
  if (what === "invoke (base)" || / \(built-in\)$/.test(what)) return "invoke";
  if (what.startsWith("invoke (")) return "cpiBytes";
  if (/^sol_(sha256|curve_validate_point|create_program_address|try_find_program_address)\b/.test(what)) return "pda";
  if (/^sol_get_\w+_sysvar$/.test(what)) return "sysvars";
  if (what.startsWith("sol_log_data")) return "events";
  return "other";
}

/** An instruction's own CU split into the runtime's charges, by kind, and the program's executed instructions. */
export interface OwnSplit {
  own: number;
  charges: Record<ChargeKind, number>;
  /** Every own charge: the sum of `charges`. */
  runtime: number;
  /** Executed SBF instructions, 1 CU each. */
  instructions: number;
}

/**
 * The split of `report`'s own CU. Throws unless the replay equals the bench and the parts add
 * up to the bench's own CU exactly: a split that does not is a profiler bug, never a figure.
 */
export function ownSplit(title: string, report: ProfileReport): OwnSplit {
  const problem = mismatch(report);
  if (problem) throw new Error(`${title}: ${problem}`);
  const charges = Object.fromEntries(CHARGE_KINDS.map((kind) => [kind, 0])) as Record<ChargeKind, number>;
  for (const charge of report.charges) if (charge.kind === "own") charges[chargeKind(charge.what)] += charge.units;
  const runtime = CHARGE_KINDS.reduce((sum, kind) => sum + charges[kind], 0);
  const { instructions } = report.replay;
  if (runtime + instructions !== report.bench.own) {
    throw new Error(`${title}: runtime charges ${runtime} + instructions ${instructions} != the bench's own CU ${report.bench.own}`);
  }
  return { own: report.bench.own, charges, runtime, instructions };
}

const sourceCache = new Map<string, string[]>();
function sourceLine(file: string, line: number): string {
  const path = join(ROOT, file);
  if (!sourceCache.has(path)) sourceCache.set(path, existsSync(path) ? readFileSync(path, "utf8").split("\n") : []);
  return (sourceCache.get(path)?.[line - 1] ?? "").trim();
}

const pad = (value: number | string, width: number) => String(value).padStart(width);
const percent = (part: number, whole: number) => `${((100 * part) / Math.max(whole, 1)).toFixed(1).padStart(5)}%`;

export function render(profile: ScenarioProfile, top: number): string {
  const { report } = profile;
  const { replay: r, bench } = report;
  const out: string[] = [];
  out.push(`\n${profile.title}`);
  out.push(`  bench:  own ${bench.own}  invoked ${bench.invoked}  total ${bench.total}  CPIs ${bench.cpis}`);
  out.push(
    `  replay: own ${r.own}  invoked ${r.invoked}  total ${r.total}  CPIs ${r.cpis}  (${r.instructions} instructions + ${r.own - r.instructions} in syscalls and invokes)`,
  );
  const problem = mismatch(report);
  out.push(problem ? `  MISMATCH: ${problem}` : "  replay = bench; the debug-info build ran the same code");
  if (!problem) {
    const split = ownSplit(profile.title, report);
    const kinds = CHARGE_KINDS.filter((kind) => split.charges[kind] > 0).map((kind) => `${CHARGE_KIND_TITLES[kind]} ${split.charges[kind]}`);
    out.push(`  own ${split.own} = runtime charges ${split.runtime} (${kinds.join(", ") || "none"}) + instructions ${split.instructions}`);
  }
  out.push("\n  Charges outside instructions (own unless marked)");
  const charged = [...report.charges].sort((a, b) => b.units - a.units);
  for (const c of charged.filter((c) => c.units > 0)) {
    out.push(`  ${pad(c.units, 7)}  ${c.kind === "invoked" ? "invoked: " : ""}${c.what}${c.count > 1 ? ` ×${c.count}` : ""}`);
  }
  const free = charged.filter((c) => c.units === 0).reduce((n, c) => n + c.count, 0);
  if (free > 0) out.push(`        0  ${free} invoke data/account charges under 250 bytes`);
  out.push("\n  Functions (own CU: instructions + the charges their calls incur; inclusive: with callees)");
  out.push(`  ${pad("own", 7)} ${pad("incl.", 7)} ${pad("share", 6)} ${pad("calls", 5)}  function`);
  for (const f of report.functions.slice(0, top)) {
    out.push(`  ${pad(f.own, 7)} ${pad(f.inclusive, 7)} ${percent(f.own, r.own)} ${pad(f.calls, 5)}  ${f.name}`);
  }
  out.push("\n  Source lines (own CU of the instructions compiled from each; innermost line in programs/ or crates/)");
  for (const l of report.lines.slice(0, top)) {
    const where = l.line > 0 ? `${l.file}:${l.line}` : l.file;
    out.push(`  ${pad(l.units, 7)} ${percent(l.units, r.own)}  ${where}  ${sourceLine(l.file, l.line).slice(0, 70)}`);
  }
  return out.join("\n");
}

async function main() {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const topAt = args.indexOf("--top");
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 15;
  const query = args.filter((a, i) => !a.startsWith("--") && (topAt < 0 || i !== topAt + 1));
  if (query.length === 0 && !args.includes("--all")) {
    console.error("usage: npm run profile -- <words of the scenario title, e.g. settle_receipt MEDIA> | --all  [--top N] [--json]");
    process.exit(2);
  }
  const profiles = await profileScenarios(query);
  if (profiles.length === 0) {
    console.error(`No bench scenario matches "${query.join(" ")}". Titles are "program.instruction (scenario)" as in BENCHMARKS.md.`);
    process.exit(1);
  }
  if (json) console.log(JSON.stringify(profiles, null, 2));
  else for (const profile of profiles) console.log(render(profile, top));
  if (profiles.some((p) => mismatch(p.report))) process.exit(1);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
