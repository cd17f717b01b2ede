/**
 * The SDK README's examples are the files in sdk/examples/, verbatim (with the package name
 * for the relative import); this runs each of them against a bank.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MediaEconomy } from "../../sdk/src";
import { receiptsExample } from "../../sdk/examples/receipts";
import { scanExample } from "../../sdk/examples/scan";
import { stakeExample } from "../../sdk/examples/stake";
import { type Bank, startBank } from "../utils/bank";
import { type BandwidthWorld, newConsumer, newOperator, openEscrow, setUpBandwidth } from "../utils/bandwidth";
import { newStaker } from "../utils/staking";
import { tokenBalance } from "../utils/token";
import { MEDIA } from "../utils/constants";

const SDK = join(__dirname, "..", "..", "sdk");

describe("SDK README examples", () => {
  let bank: Bank;
  let world: BandwidthWorld;
  let economy: MediaEconomy;

  before(async () => {
    bank = await startBank();
    world = await setUpBandwidth(bank);
    economy = new MediaEconomy(bank.provider);
  });

  it("embeds every example file verbatim", () => {
    const readme = readFileSync(join(SDK, "README.md"), "utf8");
    const blocks = [...readme.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```\n<!-- end example -->/g)];
    expect(blocks.map((b) => b[1])).to.deep.equal(["examples/stake.ts", "examples/receipts.ts", "examples/scan.ts"]);
    for (const [, file, code] of blocks) {
      const source = readFileSync(join(SDK, file), "utf8").replaceAll('from "../src"', 'from "@media-network/sdk"');
      expect(code, `${file} differs from the README`).to.equal(source);
    }
  });

  it("stake.ts: stakes 25 MEDIA and names the refusal of a below-minimum unstake", async () => {
    const staker = await newStaker(world.staking, 100n * MEDIA);
    const logs: string[] = [];
    const log = console.log;
    console.log = (line: string) => logs.push(line);
    try {
      const position = await stakeExample(economy, staker.wallet, staker.tokenAccount);
      expect(position?.active).to.equal(25n * MEDIA);
    } finally {
      console.log = log;
    }
    expect(logs).to.include(`media_staking refused: StakeBelowMinimum (6100)`);
  });

  it("receipts.ts: the consumer's two receipts settle once, for their cumulative amount", async () => {
    const operator = await newOperator(world);
    const consumer = await newConsumer(world);
    const escrow = await openEscrow(world, consumer, operator, world.mediaMint, 100n * MEDIA);
    const before = await tokenBalance(bank, escrow.vault);
    const { settled, paid } = await receiptsExample(economy, consumer.wallet, escrow.escrow, {
      operator: operator.wallet,
      tokenAccount: operator.mediaAccount,
      treasuryVault: world.treasuryMediaVault,
    });
    expect(settled?.cumulativeBytes).to.equal(15n << 30n);
    expect(paid).to.equal(30n * MEDIA);
    expect(before - (await tokenBalance(bank, escrow.vault))).to.equal(paid);
  });

  it("scan.ts: reports the totals the previous examples produced", async () => {
    const logs: string[] = [];
    const log = console.log;
    console.log = (line: string) => logs.push(line);
    try {
      const report = await scanExample(economy, await bank.runtime.unixTimestamp());
      expect(report.staking.totalActive).to.equal(50n * MEDIA);
      expect(report.staking.stakers).to.equal(2);
      expect(report.bandwidth.activeProviders).to.equal(1);
      expect(report.bandwidth.bytesServed).to.equal(15n << 30n);
      expect(report.bandwidth.quotaUsedNow).to.equal(15n << 30n);
    } finally {
      console.log = log;
    }
    expect(logs[0]).to.equal(`${50n * MEDIA} staked by 2 stakers`);
  });
});
