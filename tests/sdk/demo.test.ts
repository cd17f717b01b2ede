/** The main job (`npm run demo`) runs the whole economy and checks its report against the chain. */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

describe("sdk: npm run demo", () => {
  it("runs the economy on an in-process bank and every Media Scan figure checks out", function () {
    this.timeout(180_000);
    const run = spawnSync(process.execPath, ["--require", "tsx/cjs", join(__dirname, "..", "..", "scripts", "demo.ts")], {
      encoding: "utf8",
      env: { ...process.env, MEDIA_RUNTIME: "litesvm" },
    });
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/Done: \d+ wallets, every figure checked against the chain\./);
    expect(run.stdout).not.to.include("FAIL");
    expect(run.stdout).to.include("StakeBelowMinimum");
  });
});
