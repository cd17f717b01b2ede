/**
 * `npm run bench`'s bookkeeping: the own-CU budgets (with the clock allowance) and the
 * BENCHMARKS.md section `npm run bench:scan` owns, which a rewrite must keep byte for byte.
 */
import { expect } from "chai";
import { ownBudget, withKeptSection } from "../../scripts/bench";

describe("bench: budgets and BENCHMARKS.md", () => {
  it("ownBudget succeeds when an instruction must read the clock: 150 more", () => {
    expect(ownBudget("media_bandwidth", "settle_receipt", 3)).to.equal(2500 + 3 * 1200 + 150);
    expect(ownBudget("media_staking", "stake", 1)).to.equal(500 + 1200 + 150);
    expect(ownBudget("media_governance", "cast_vote", 1)).to.equal(1000 + 1200 + 150);
    expect(ownBudget("media_bandwidth", "register_provider", 1)).to.equal(500 + 1200);
    expect(ownBudget("media_treasury", "burn_fees", 2)).to.equal(500 + 2 * 1200);
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
