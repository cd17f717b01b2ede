/**
 * `npm run profile` (scripts/profile.ts, tools/profile): every scenario of the four programs'
 * benches and of the contributor economy's (at its smallest scale), captured from the bench's
 * own code and replayed on the host in Solana 1.18's interpreter and cost table, reproduces the bench's own, invoked and total CU and CPI count
 * exactly, from the deployed binaries and from their debug-info build alike; the function and
 * line tables account for every own CU; and a replay that disagrees with the bank is reported.
 */
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { IDL_DIR } from "../../scripts/lib";
import { BENCH_GROUPS, type CapturedScenario, captureScenarios, scenarioTitle } from "../../scripts/profile-capture";
import { PROFILER, PROFILING_DIR, type ProfileReport, mismatch, replay } from "../../scripts/profile";

/** The contributor economy's instructions: each must have a replayed scenario. */
const ECONOMY_INSTRUCTIONS = [
  "initialize_rewards_pool",
  "release_emissions",
  "open_operator",
  "set_commission",
  "delegate",
  "undelegate",
  "sync_operator",
  "claim_delegation_rewards",
  "claim_commission",
  "set_emission_schedule",
  "set_delegation_params",
];

const instructionsOf = (program: string) =>
  (JSON.parse(readFileSync(join(IDL_DIR, `${program}.json`), "utf8")) as { instructions: { name: string }[] }).instructions.map((ix) => ix.name);

describe("tools: the CU profiler", function () {
  // Four bench runs and the contributor economy's at one scale on bankrun (about a minute each
  // on a loaded machine), then one host replay per scenario.
  this.timeout(900_000);
  const scenarios: { scenario: CapturedScenario; report: ProfileReport }[] = [];

  before(async () => {
    if (!existsSync(PROFILER)) throw new Error(`${PROFILER} is missing: run \`npm run build\` first (it compiles the profiler).`);
    for (const scenario of await captureScenarios([], BENCH_GROUPS, instructionsOf)) scenarios.push({ scenario, report: replay(scenario) });
  });

  const find = (program: string, instruction: string, words = "") => {
    const found = scenarios.find(({ scenario: { measurement: m } }) => m.program === program && m.instruction === instruction && m.scenario.includes(words));
    if (!found) throw new Error(`no ${program}.${instruction} scenario "${words}" in the bench`);
    return found;
  };

  it("replay succeeds when given every bench scenario of the four programs: own, invoked, total CU and CPIs equal the bench's", () => {
    expect(scenarios.length).to.be.greaterThan(30);
    const problems = scenarios.map(({ scenario, report }) => [scenarioTitle(scenario.measurement), mismatch(report)]).filter(([, problem]) => problem);
    expect(problems).to.deep.equal([]);
  });

  it("replay succeeds when given CPIs (settle_receipt MEDIA: three token transfers): invoked CU is the callees' logged consumption, 1,000 CU per invoke is own", () => {
    const { report } = find("media_bandwidth", "settle_receipt", "MEDIA");
    expect(report.replay.cpis).to.equal(3);
    expect(report.bench.invoked).to.be.greaterThan(0);
    expect(report.replay.invoked).to.equal(report.bench.invoked);
    const base = report.charges.find((c) => c.what === "invoke (base)");
    expect(base).to.include({ units: 3000, count: 3, kind: "own" });
  });

  it("replay succeeds when given the contributor economy: every delegation and emission instruction, and settle_receipt paying a fee share (four token transfers)", () => {
    for (const instruction of ECONOMY_INSTRUCTIONS) expect(mismatch(find("media_staking", instruction).report), instruction).to.equal(null);
    expect(mismatch(find("media_bandwidth", "set_activity_window").report)).to.equal(null);
    const { report } = find("media_bandwidth", "settle_receipt", "fee share");
    expect(report.replay.cpis).to.equal(4);
    expect(mismatch(report)).to.equal(null);
  });

  it("replay succeeds when given a System create_account and a token transfer (first stake): the built-in's 150 CU count as own", () => {
    const { report } = find("media_staking", "stake", "first stake");
    expect(report.replay.cpis).to.equal(2);
    expect(report.charges.find((c) => c.what === "System program (built-in)")).to.include({ units: 150, kind: "own" });
    expect(mismatch(report)).to.equal(null);
  });

  it("replay succeeds when given a CPI into another of the programs (first cast_vote locks the stake through staking)", () => {
    const { report } = find("media_governance", "cast_vote", "first vote");
    expect(report.replay.cpis).to.equal(1);
    expect(report.replay.invoked).to.be.greaterThan(0);
    expect(mismatch(report)).to.equal(null);
  });

  it("replay succeeds when given an event (sol_log_data): the log charges are part of own and the bench agrees", () => {
    const { report } = find("media_staking", "stake", "top-up");
    const logData = report.charges.filter((c) => c.what.startsWith("sol_log_data"));
    expect(logData.reduce((sum, c) => sum + c.units, 0)).to.be.greaterThan(200);
    expect(mismatch(report)).to.equal(null);
  });

  it("profile succeeds when given any scenario: the function table and the line table each add up to the own CU", () => {
    for (const { scenario, report } of scenarios) {
      const title = scenarioTitle(scenario.measurement);
      const byFunction = report.functions.reduce((sum, f) => sum + f.own, 0);
      const byLine = report.lines.reduce((sum, l) => sum + l.units, 0);
      expect([title, byFunction, byLine]).to.deep.equal([title, report.replay.own, report.replay.own]);
      expect(report.debugBuild.used, title).to.equal(true);
    }
  });

  it("profile succeeds when given settle_receipt: its lines name the repository's sources", () => {
    const { report } = find("media_bandwidth", "settle_receipt", "MEDIA");
    const ours = report.lines.filter((l) => l.file.startsWith("programs/") || l.file.startsWith("crates/"));
    expect(ours.reduce((sum, l) => sum + l.units, 0)).to.be.greaterThan(report.replay.own / 2);
    expect(report.lines.some((l) => l.file === "programs/media_bandwidth/src/instructions/settle_receipt.rs")).to.equal(true);
  });

  it("replay fails when the bank reported other callee CU: the mismatch names both figures", () => {
    const { scenario } = find("media_bandwidth", "settle_receipt", "MEDIA");
    const tampered: CapturedScenario = {
      ...scenario,
      capture: { ...scenario.capture, callees: scenario.capture.callees.map((c, i) => (i === 0 ? { ...c, consumed: (c.consumed ?? 0) + 1 } : c)) },
    };
    expect(mismatch(replay(tampered))).to.match(/^replay own\/invoked\/total\/CPIs \d+\/\d+\/\d+\/3 != bench/);
  });

  it("replay fails when the debug-info binary is not the deployed program's code: the report says it ran different code", () => {
    const { scenario } = find("media_staking", "stake", "top-up");
    // The governance build's entrypoint parses the staking instruction as its own and fails
    // or runs other instructions; either way it is not the code the bench measured.
    const report = replay(scenario, join(PROFILING_DIR, "libmedia_governance.so"));
    expect(report.debugBuild.sameCodeAsDeployed).to.equal(false);
    expect(mismatch(report)).to.match(/debug-info build ran different code/);
  });
});
