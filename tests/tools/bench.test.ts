/**
 * `npm run bench`'s bookkeeping: the own-CU budgets (with the clock allowance), the
 * BENCHMARKS.md section `npm run bench:scan` owns, which a rewrite must keep byte for byte, the
 * split of own CU into runtime charges and instructions (its verdict, and the rows it cannot
 * replay), and the throughput decomposition's arithmetic.
 */
import { createTransferInstruction } from "@solana/spl-token";
import { Transaction } from "@solana/web3.js";
import { expect } from "chai";
import { ownBudget, withKeptSection } from "../../scripts/bench";
import type { Meter } from "../../scripts/bench/meter";
import { splitRows, splitTable, splitSummary, verdict } from "../../scripts/bench/split";
import { KINDS, type Kind, decompose } from "../../scripts/bench/throughput";
import { type OwnSplit, chargeKind } from "../../scripts/profile";
import { CaptureMeter, captureScenarios } from "../../scripts/profile-capture";
import { MEDIA as MEDIA_BN, MEDIA_STAKING_PROGRAM_ID, STAKING_DEFAULTS, bigintOf } from "../../sdk/src";
import { startBank } from "../../tests/utils/bank";
import { newStaker, setUpStaking } from "../../tests/utils/staking";
import { createTokenAccount } from "../../tests/utils/token";

const MEDIA = bigintOf(MEDIA_BN);

/** A split with `runtime` CU of charges (all events, for the arithmetic) and `instructions`. */
const splitOf = (runtime: number, instructions: number): OwnSplit => ({
  own: runtime + instructions,
  charges: { invoke: 0, cpiBytes: 0, pda: 0, sysvars: 0, events: runtime, other: 0 },
  runtime,
  instructions,
});

describe("bench: budgets and BENCHMARKS.md", () => {
  it("ownBudget succeeds when an instruction must read the clock: 150 more", () => {
    expect(ownBudget("media_bandwidth", "settle_receipt", 3)).to.equal(2500 + 3 * 1200 + 150);
    expect(ownBudget("media_staking", "stake", 1)).to.equal(500 + 1200 + 150);
    expect(ownBudget("media_governance", "cast_vote", 1)).to.equal(1000 + 1200 + 150);
    expect(ownBudget("media_bandwidth", "register_provider", 1)).to.equal(500 + 1200);
    expect(ownBudget("media_treasury", "burn_fees", 2)).to.equal(500 + 2 * 1200);
    // A spend reads the clock only when it reaches into a running auction's lot: no clock account, no allowance.
    expect(ownBudget("media_treasury", "spend", 1)).to.equal(500 + 1200);
  });

  it("a rewrite succeeds when BENCHMARKS.md has a scan-bench section: the section is kept verbatim", () => {
    const section = "<!-- scan-bench:start -->\n## Media Scan indexing\n\n| events | /s |\n|---:|---:|\n| 10,000 | 1234 |  \n\n<!-- scan-bench:end -->";
    const current = `# Benchmarks\n\nold table\n\n${section}\n\ntrailing notes\n`;
    const rewritten = withKeptSection("# Benchmarks\n\nnew table\n", current);
    expect(rewritten.startsWith("# Benchmarks\n\nnew table\n")).to.equal(true);
    expect(rewritten).to.include(section);
    expect(rewritten).not.to.include("old table");
    // Rewriting again keeps it again, unchanged.
    expect(withKeptSection("# Benchmarks\n\nnew table\n", rewritten)).to.equal(rewritten);
  });

  it("a rewrite succeeds when there is no file or no section: the table alone", () => {
    expect(withKeptSection("table\n", undefined)).to.equal("table\n");
    expect(withKeptSection("table\n", "# Benchmarks\nno section\n")).to.equal("table\n");
  });
});

describe("bench: own CU split into runtime charges and instructions", function () {
  this.timeout(300_000);

  it("chargeKind succeeds when given every charge name media-profile gives: each lands in its kind", () => {
    const kinds = Object.fromEntries(
      [
        "invoke (base)",
        "System program (built-in)",
        "invoke (9 bytes of instruction data)",
        "invoke (account AKnL4NNf3DGWZJS6cPknBuEGnVsV4A4m5tgebLHaRSZ9: 165 bytes)",
        "invoke (executable TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA: 133352 bytes)",
        "sol_sha256 (base)",
        "sol_sha256 (slices)",
        "sol_curve_validate_point (edwards)",
        "sol_create_program_address",
        "sol_try_find_program_address (next bump)",
        "sol_get_clock_sysvar",
        "sol_get_rent_sysvar",
        "sol_log_data (base)",
        "sol_log_data (2 fields)",
        "sol_log_data (64 bytes)",
        "sol_memcpy_",
        "sol_log_",
      ].map((what) => [what, chargeKind(what)]),
    );
    expect(kinds).to.deep.equal({
      "invoke (base)": "invoke",
      "System program (built-in)": "invoke",
      "invoke (9 bytes of instruction data)": "cpiBytes",
      "invoke (account AKnL4NNf3DGWZJS6cPknBuEGnVsV4A4m5tgebLHaRSZ9: 165 bytes)": "cpiBytes",
      "invoke (executable TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA: 133352 bytes)": "cpiBytes",
      "sol_sha256 (base)": "pda",
      "sol_sha256 (slices)": "pda",
      "sol_curve_validate_point (edwards)": "pda",
      sol_create_program_address: "pda",
      "sol_try_find_program_address (next bump)": "pda",
      sol_get_clock_sysvar: "sysvars",
      sol_get_rent_sysvar: "sysvars",
      "sol_log_data (base)": "events",
      "sol_log_data (2 fields)": "events",
      "sol_log_data (64 bytes)": "events",
      sol_memcpy_: "other",
      sol_log_: "other",
    });
  });

  it("verdict succeeds when the charges alone exceed the budget: code cannot meet it, by how much", () => {
    expect(verdict(splitOf(1_900, 600), 1_850)).to.equal("charges alone over by 50");
  });

  it("verdict succeeds when the instructions exceed what the charges leave: by how much", () => {
    expect(verdict(splitOf(1_400, 700), 1_850)).to.equal("instructions over by 250");
  });

  it("verdict succeeds when the row is within budget, exactly at it included: what is left", () => {
    expect(verdict(splitOf(250, 200), 500)).to.equal("ok, 50 to spare");
    expect(verdict(splitOf(250, 250), 500)).to.equal("ok, 0 to spare");
  });

  it("splitRows succeeds when a measured instruction follows a token transfer in its transaction: the row says it was not replayed and why, and the profile refuses it", async () => {
    // Given a scenario the capture cannot see: a transfer changes the staker's token account
    // before the top-up reads it, in the same transaction.
    const group = {
      program: "media_staking",
      group: "untranslatable",
      run: async (meter: Meter) => {
        const bank = await startBank("bankrun");
        const world = await setUpStaking(bank);
        const staker = await newStaker(world, 1_000n * MEDIA);
        await staker.stake(bigintOf(STAKING_DEFAULTS.minStake));
        const other = await createTokenAccount(bank, world.mediaMint, staker.wallet.publicKey);
        await meter.measure(bank, { name: "media_staking", id: MEDIA_STAKING_PROGRAM_ID }, "stake", "top-up after a transfer in its transaction", async () => {
          const tx = new Transaction().add(
            createTransferInstruction(staker.tokenAccount, other, staker.wallet.publicKey, 1n),
            await bank.clients.staking.stakeInstruction(MEDIA, staker.wallet.publicKey, staker.tokenAccount),
          );
          return bank.provider.sendAndConfirm(tx, [staker.wallet]);
        });
      },
    };
    const meter = new CaptureMeter([]);
    await group.run(meter);
    // When the bench splits its rows
    const rows = splitRows(meter);
    // Then the row is measured, not replayed, and says why; nothing invented stands in its cells
    expect(meter.results).to.have.length(1);
    expect(meter.results[0].own).to.be.greaterThan(0);
    const [row] = splitTable(meter.results, rows, () => 1_850);
    expect(row).to.match(/\| not replayed: it follows an instruction of TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA in its transaction/);
    const cells = row
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim());
    expect(cells.slice(0, 4)).to.deep.equal(["media_staking", "stake", "top-up after a transfer in its transaction", String(meter.results[0].own)]);
    expect(cells.slice(4, 12)).to.deep.equal(new Array(8).fill(""));
    expect(cells.slice(12, 14)).to.deep.equal(["1850", ""]);
    expect(splitSummary(meter.results, rows, () => 1_850)).to.match(/, 1 not replayed\.$/);
    // And the profiler refuses to profile it
    let refused: unknown;
    await captureScenarios([], [group], () => ["stake"]).catch((error) => {
      refused = error;
    });
    expect(String(refused)).to.match(
      /media_staking\.stake \(top-up after a transfer in its transaction\) cannot be replayed: it follows an instruction of Tokenkeg/,
    );
  });
});

describe("bench: the throughput decomposition", () => {
  it("decompose succeeds when given a chain of references: each step is one kind less the one before, and the steps add up to the measured kind's time", () => {
    const micros = Object.fromEntries(KINDS.map((kind, i) => [kind, 100 + 37 * i])) as Record<Kind, number>;
    const steps = decompose(micros, [
      ["feeOnly", "fee"],
      ["verify", "verify"],
      ["verifyTransfers", "transfers"],
      ["settle", "program"],
    ]);
    expect(steps.map((s) => s.what)).to.deep.equal(["fee", "verify", "transfers", "program"]);
    expect(steps[0].micros).to.equal(micros.feeOnly);
    expect(steps[1].micros).to.equal(micros.verify - micros.feeOnly);
    expect(steps.reduce((sum, s) => sum + s.micros, 0)).to.equal(micros.settle);
  });
});
