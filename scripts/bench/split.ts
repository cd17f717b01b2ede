/**
 * Where each row's own CU goes: the runtime's charges (invoke base and built-in programs, CPI
 * bytes, PDA search syscalls, sysvar reads, event logging, the rest) against the program's own
 * executed instructions, from the CU profiler's replay of the very transaction the bench
 * measured (scripts/profile.ts). Charges are what no instruction-level change removes; when
 * they alone exceed a row's budget, code cannot meet that budget, and otherwise what is left
 * of the budget is what the instructions may use.
 */
import { CHARGE_KINDS, CHARGE_KIND_TITLES, type OwnSplit, ownSplit, replay } from "../profile";
import { type CaptureMeter, scenarioTitle } from "../profile-capture";
import type { Measurement } from "./meter";

/** A row's split, or why the profiler could not replay it. */
export type RowSplit = { split: OwnSplit } | { unreplayed: string };

/**
 * Replays every scenario `meter` captured (deployed binaries only: no debug-info build is
 * needed for the charges) and splits its own CU. Throws if any replay disagrees with the bench
 * or its parts do not add up to the own CU.
 */
export function splitRows(meter: CaptureMeter): Map<Measurement, RowSplit> {
  const rows = new Map<Measurement, RowSplit>();
  const started = performance.now();
  process.stderr.write(`Replaying ${meter.captured.length} measured instructions in the CU profiler...\n`);
  for (const scenario of meter.captured) {
    rows.set(scenario.measurement, { split: ownSplit(scenarioTitle(scenario.measurement), replay(scenario, null)) });
  }
  for (const { measurement, reason } of meter.uncaptured) rows.set(measurement, { unreplayed: reason });
  process.stderr.write(`  replayed in ${((performance.now() - started) / 1000).toFixed(1)} s; every split adds up to the bench's own CU\n`);
  return rows;
}

/**
 * Whether the budget can be met by code: the charges alone exceed it, or the instructions
 * exceed what the charges leave of it (by how much), or the row is within it.
 */
export function verdict(split: OwnSplit, budget: number): string {
  const room = budget - split.runtime;
  if (room < 0) return `charges alone over by ${-room}`;
  if (split.instructions > room) return `instructions over by ${split.instructions - room}`;
  return `ok, ${room - split.instructions} to spare`;
}

export const SPLIT_HEADER = [
  `| program | instruction | scenario | own CU | ${CHARGE_KINDS.map((kind) => CHARGE_KIND_TITLES[kind]).join(" | ")} | runtime charges | instructions | own budget | budget − charges | |`,
  `|---|---|---|---:|${CHARGE_KINDS.map(() => "---:|").join("")}---:|---:|---:|---:|---|`,
];

/** The split table's rows, one per measurement in bench order. */
export function splitTable(results: readonly Measurement[], rows: Map<Measurement, RowSplit>, budget: (m: Measurement) => number): string[] {
  return results.map((m) => {
    const head = `| ${m.program} | ${m.instruction} | ${m.scenario} | ${m.own} |`;
    const row = rows.get(m);
    if (!row) throw new Error(`${scenarioTitle(m)} was measured but neither captured nor listed as uncaptured`);
    if ("unreplayed" in row) return `${head} ${CHARGE_KINDS.map(() => "").join(" | ")} | | | ${budget(m)} | | not replayed: ${row.unreplayed} |`;
    const { split } = row;
    return `${head} ${CHARGE_KINDS.map((kind) => split.charges[kind]).join(" | ")} | ${split.runtime} | ${split.instructions} | ${budget(m)} | ${budget(m) - split.runtime} | ${verdict(split, budget(m))} |`;
  });
}

/** How many rows fall in each verdict class, for the section's summary line. */
export function splitSummary(results: readonly Measurement[], rows: Map<Measurement, RowSplit>, budget: (m: Measurement) => number): string {
  let chargesOver = 0;
  let instructionsOver = 0;
  let within = 0;
  let unreplayed = 0;
  for (const m of results) {
    const row = rows.get(m);
    if (!row || "unreplayed" in row) unreplayed++;
    else if (row.split.runtime > budget(m)) chargesOver++;
    else if (row.split.own > budget(m)) instructionsOver++;
    else within++;
  }
  return `Of ${results.length} rows: ${chargesOver} whose charges alone exceed the budget, ${instructionsOver} whose instructions exceed what the charges leave, ${within} within budget, ${unreplayed} not replayed.`;
}
