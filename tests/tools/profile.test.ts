/**
 * `npm run profile` (scripts/profile.ts, tools/profile): every scenario of the four programs'
 * benches and of the contributor economy's (at its smallest scale), captured from the bench's
 * own code and replayed on the host in Solana 1.18's interpreter and cost table, reproduces the bench's own, invoked and total CU and CPI count
 * exactly, from the deployed binaries and from their debug-info build alike; the function and
 * line tables account for every own CU; and a replay that disagrees with the bank is reported.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { IDL_DIR } from "../../scripts/lib";
import { PublicKey } from "@solana/web3.js";
import { BENCH_GROUPS, type CapturedScenario, captureScenarios, scenarioTitle } from "../../scripts/profile-capture";
import { PROFILER, PROFILING_DIR, type ProfileReport, mismatch, ownSplit, replay } from "../../scripts/profile";
import { STAKING_SEEDS, stakeAccountPda } from "../../sdk/src";

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

/** The runtime's fixed charges (Solana 1.18): an invoke's base, the System program's, a rent read (100 + the 24-byte Rent). */
const INVOKE_BASE = 1000;
const SYSTEM_PROGRAM_CU = 150;
const RENT_READ = 124;
const SYSTEM_PROGRAM_ID = "11111111111111111111111111111111";

/**
 * From the bank's own logs of the measured transaction, independently of the profiler: the
 * programs the measured instruction invoked, and what its `sol_log_data` calls cost by their
 * "Program data:" lines (100 + 100 per field + 1 per byte of each field).
 */
function bankLogFigures(logs: string[], programId: string): { invoked: string[]; eventCharges: number } {
  const invoked: string[] = [];
  let eventCharges = 0;
  let depth = 0;
  let inTarget = false;
  for (const line of logs) {
    const invoke = /^Program (\w+) invoke \[(\d+)\]$/.exec(line);
    if (invoke) {
      depth = Number(invoke[2]);
      if (depth === 1) {
        inTarget = invoke[1] === programId;
        if (inTarget) {
          invoked.length = 0;
          eventCharges = 0;
        }
      }
      if (depth === 2 && inTarget) invoked.push(invoke[1]);
      continue;
    }
    if (/^Program \w+ (success|failed)/.test(line)) {
      depth--;
      continue;
    }
    const data = /^Program data: (.*)$/.exec(line);
    if (data && depth === 1 && inTarget) {
      const fields = data[1].split(" ").filter((field) => field.length > 0);
      eventCharges += 100 + 100 * fields.length + fields.reduce((sum, field) => sum + Buffer.from(field, "base64").length, 0);
    }
  }
  return { invoked, eventCharges };
}

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

  it("ownSplit succeeds when given any bench scenario: the runtime charges and the executed instructions add up to the bank's own CU", () => {
    for (const { scenario, report } of scenarios) {
      const title = scenarioTitle(scenario.measurement);
      const split = ownSplit(title, report);
      expect([title, split.runtime + split.instructions]).to.deep.equal([title, scenario.measurement.own]);
      expect(
        Object.values(split.charges).reduce((sum, units) => sum + units, 0),
        title,
      ).to.equal(split.runtime);
      expect(split.instructions, title).to.be.greaterThan(0);
    }
  });

  it("ownSplit succeeds when given any bench scenario: invoke charges are 1,000 per invoke the bank logged plus 150 per System call, event charges 100 + 100 per field + 1 per byte of the bank's Program data lines", () => {
    for (const { scenario, report } of scenarios) {
      const title = scenarioTitle(scenario.measurement);
      const { invoked, eventCharges } = bankLogFigures(scenario.logs, scenario.capture.programId);
      const systemCalls = invoked.filter((id) => id === SYSTEM_PROGRAM_ID).length;
      const split = ownSplit(title, report);
      expect([title, split.charges.invoke]).to.deep.equal([title, INVOKE_BASE * invoked.length + SYSTEM_PROGRAM_CU * systemCalls]);
      expect([title, split.charges.events]).to.deep.equal([title, eventCharges]);
    }
  });

  it("ownSplit succeeds when given the first stake: one curve check per bump the canonical search tries (256 minus the stake account's bump, found here in JavaScript), and one rent read", () => {
    const { scenario, report } = find("media_staking", "stake", "first stake");
    // The stake account is the only PDA the first stake creates; its owner is the signer whose stake account the instruction lists.
    const programId = new PublicKey(scenario.capture.programId);
    const signers = scenario.capture.instruction.accounts.filter((a) => a.isSigner).map((a) => new PublicKey(a.address));
    const addresses = new Set(scenario.capture.instruction.accounts.map((a) => a.address));
    const staker = signers.find((signer) => addresses.has(stakeAccountPda(signer, programId).toBase58()));
    if (!staker) throw new Error("no signer of the first stake owns a stake account it lists");
    const [, bump] = PublicKey.findProgramAddressSync([STAKING_SEEDS.stake, staker.toBuffer()], programId);
    const curveChecks = report.charges.find((c) => c.what === "sol_curve_validate_point (edwards)");
    expect(curveChecks?.count).to.equal(256 - bump);
    const split = ownSplit("first stake", report);
    expect(split.charges.pda).to.be.greaterThan(0);
    // The rent of the new account through its syscall; the clock comes from the Clock sysvar account.
    expect(split.charges.sysvars).to.equal(RENT_READ);
  });

  it("ownSplit succeeds when given a stake top-up: no PDA search, no sysvar syscall (the clock is read from its account), one invoke base", () => {
    const split = ownSplit("top-up", find("media_staking", "stake", "top-up").report);
    expect(split.charges).to.include({ pda: 0, sysvars: 0, invoke: INVOKE_BASE });
  });

  it("ownSplit fails when the parts do not add up to the own CU: the error names both figures", () => {
    const { report } = find("media_staking", "stake", "top-up");
    const tampered: ProfileReport = { ...report, replay: { ...report.replay, instructions: report.replay.instructions + 1 } };
    expect(() => ownSplit("tampered top-up", tampered)).to.throw(/^tampered top-up: runtime charges \d+ \+ instructions \d+ != the bench's own CU \d+$/);
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

  it("the command line succeeds when given --json: standard output is the JSON report alone, its progress goes to standard error", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "..", "..", "scripts", "profile.ts"), "media_treasury.set_paused", "--json"], {
      encoding: "utf8",
    });
    expect(run.status, run.stderr).to.equal(0);
    const profiles = JSON.parse(run.stdout) as { title: string; report: ProfileReport }[];
    expect(profiles.map((p) => p.title)).to.deep.equal(["media_treasury.set_paused (pause)"]);
    expect(profiles[0].report.replay.own).to.equal(profiles[0].report.bench.own);
    expect(run.stderr).to.include("captured media_treasury.set_paused (pause)");
  });
});
