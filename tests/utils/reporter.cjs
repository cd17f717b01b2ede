// Mocha's spec reporter, closed by one line in the form CI reads: "N passed, N failed",
// prefixed with the runtime ("bankrun: 71 passed, 0 failed"). With MEDIA_TEST_STATS set,
// the totals are also written there as JSON for scripts/test-runtimes.cjs to add up.
const Mocha = require("mocha");
const { writeFileSync } = require("node:fs");

class SpecWithTotals extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats;
      const runtime = process.env.MEDIA_RUNTIME ?? "bankrun";
      process.stdout.write(`${runtime}: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ""}\n`);
      if (process.env.MEDIA_TEST_STATS) {
        writeFileSync(process.env.MEDIA_TEST_STATS, JSON.stringify({ runtime, passes, failures, pending }));
      }
    });
  }
}

module.exports = SpecWithTotals;
