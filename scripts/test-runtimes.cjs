#!/usr/bin/env node
// @ts-check
/*
 * Runs the mocha suite once per runtime (solana-bankrun: Solana 1.18; LiteSVM: current
 * Agave), then prints the combined totals as the last line: "N passed, N failed".
 * Exits non-zero if any test failed or a run did not finish. Extra arguments go to mocha;
 * MEDIA_RUNTIMES=bankrun (or litesvm) limits the runtimes. The build tools' tests
 * (tests/tools, ignored in .mocharc.json) use no runtime: `npm run test:tools` runs them once.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const { mkdtempSync, readFileSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

const runtimes = (process.env.MEDIA_RUNTIMES ?? "bankrun,litesvm").split(",").filter(Boolean);
const work = mkdtempSync(join(tmpdir(), "media-tests-"));
const totals = { passes: 0, failures: 0, pending: 0 };
let incomplete = false;
try {
  for (const runtime of runtimes) {
    process.stdout.write(`\n==> Tests on ${runtime}\n`);
    const statsFile = join(work, `${runtime}.json`);
    const run = spawnSync("npx", ["mocha", ...process.argv.slice(2)], {
      stdio: "inherit",
      env: { ...process.env, MEDIA_RUNTIME: runtime, MEDIA_TEST_STATS: statsFile },
    });
    let stats;
    try {
      stats = JSON.parse(readFileSync(statsFile, "utf8"));
    } catch {
      process.stdout.write(`${runtime}: the run ended before reporting (exit ${run.status})\n`);
      incomplete = true;
      continue;
    }
    totals.passes += stats.passes;
    totals.failures += stats.failures;
    totals.pending += stats.pending;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.stdout.write(`${totals.passes} passed, ${totals.failures} failed${totals.pending ? `, ${totals.pending} skipped` : ""}\n`);
process.exit(totals.failures > 0 || incomplete ? 1 : 0);
