/**
 * The SDK README's examples are the files in sdk/examples/, verbatim (they import the package by
 * its name, which the repository's tsconfig maps to sdk/src); this runs each of them against a bank.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MediaEconomy } from "../../sdk/src";
import { receiptsExample } from "../../sdk/examples/receipts";
import { scanExample } from "../../sdk/examples/scan";
import { stakeExample } from "../../sdk/examples/stake";
import { given } from "../utils/bank";
import { newConsumer, newOperator, openEscrow, setUpBandwidth } from "../utils/bandwidth";
import { newStaker } from "../utils/staking";
import { tokenBalance } from "../utils/token";
import { MEDIA, MIN_STAKE, stakingErrorCode } from "../utils/constants";

const SDK = join(__dirname, "..", "..", "sdk");

describe("sdk: the README's examples", () => {
  const cast = given(async (bank) => {
    const world = await setUpBandwidth(bank);
    const economy = new MediaEconomy(bank.provider);
    return { world, economy };
  });

  it("embeds every example file verbatim", () => {
    const readme = readFileSync(join(SDK, "README.md"), "utf8");
    const blocks = [...readme.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```\n<!-- end example -->/g)];
    expect(blocks.map((b) => b[1])).to.deep.equal(["examples/stake.ts", "examples/receipts.ts", "examples/scan.ts"]);
    for (const [, file, code] of blocks) {
      const source = readFileSync(join(SDK, file), "utf8");
      expect(code, `${file} differs from the README`).to.equal(source);
    }
  });

  it("stake.ts: stakes 25 MEDIA and names the refusal of a below-minimum unstake", async () => {
    const staker = await newStaker(cast.world.staking, 100n * MEDIA);
    const logs: string[] = [];
    const log = console.log;
    console.log = (line: string) => logs.push(line);
    try {
      const position = await stakeExample(cast.economy, staker.wallet, staker.tokenAccount);
      expect(position?.active).to.equal(MIN_STAKE);
    } finally {
      console.log = log;
    }
    expect(logs).to.include(`media_staking refused: StakeBelowMinimum (${stakingErrorCode("StakeBelowMinimum")})`);
  });

  it("receipts.ts: the consumer's two receipts settle once, for their cumulative amount", async () => {
    const operator = await newOperator(cast.world);
    const consumer = await newConsumer(cast.world);
    const escrow = await openEscrow(cast.world, consumer, operator, cast.world.mediaMint, 100n * MEDIA);
    const before = await tokenBalance(cast.bank, escrow.vault);
    const { settled, paid } = await receiptsExample(cast.economy, consumer.wallet, escrow.escrow, {
      operator: operator.wallet,
      tokenAccount: operator.mediaAccount,
      treasuryVault: cast.world.treasuryMediaVault,
    });
    expect(settled?.cumulativeBytes).to.equal(15n << 30n);
    expect(paid).to.equal(30n * MEDIA);
    expect(before - (await tokenBalance(cast.bank, escrow.vault))).to.equal(paid);
  });

  it("scan.ts: reports the totals the previous examples produced", async () => {
    const logs: string[] = [];
    const log = console.log;
    console.log = (line: string) => logs.push(line);
    try {
      const report = await scanExample(cast.economy, await cast.bank.runtime.unixTimestamp());
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
