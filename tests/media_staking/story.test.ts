/**
 * A staker's year, as the spec tells it: stake the minimum, top up, ask for part back, wait
 * out unbonding, change their mind on the rest, and earn rewards in proportion to stake.
 */
import { expect } from "chai";
import { type Bank, startBank, unixTimestamp, warpSeconds } from "../utils/bank";
import { expectProgramError, expectUnchanged, snapshot } from "../utils/assertions";
import { type Staker, type StakingWorld, big, fetchConfig, fetchStake, newStaker, setUpStaking } from "../utils/staking";
import { tokenBalance } from "../utils/token";
import { DAY, MEDIA, WEEK } from "../utils/constants";

describe("media_staking: a staker's story", () => {
  let bank: Bank;
  let world: StakingWorld;
  let alice: Staker;

  before(async () => {
    bank = await startBank();
    world = await setUpStaking(bank);
    alice = await newStaker(world, 1_000n * MEDIA);
  });

  it("stakes 25 MEDIA, then tops up to 100", async () => {
    await alice.stake(25n * MEDIA);
    await alice.stake(75n * MEDIA);
    expect(big((await fetchStake(world, alice)).active)).to.equal(100n * MEDIA);
    expect(await tokenBalance(bank, world.vault)).to.equal(100n * MEDIA);
  });

  it("requests a partial unstake; what stays active respects the minimum", async () => {
    // Leaving 20 MEDIA active would break the minimum.
    await expectProgramError(alice.requestUnstake(80n * MEDIA), "StakeBelowMinimum");
    await alice.requestUnstake(40n * MEDIA);
    const position = await fetchStake(world, alice);
    expect(big(position.active)).to.equal(60n * MEDIA);
    expect(big(position.unbonding)).to.equal(40n * MEDIA);
    const config = await fetchConfig(world);
    expect(big(config.totalActive)).to.equal(60n * MEDIA);
    expect(big(config.totalUnbonding)).to.equal(40n * MEDIA);
  });

  it("cannot withdraw before the 7-day unbonding period ends", async () => {
    await warpSeconds(bank, 7 * DAY - 10);
    const before = await snapshot(bank, [alice.tokenAccount, alice.stakeAccount, world.vault, world.config]);
    await expectProgramError(alice.withdraw(), "UnbondingNotFinished");
    await expectUnchanged(bank, before);
  });

  it("withdraws the unbonded 40 MEDIA once the period has passed", async () => {
    await warpSeconds(bank, 10);
    const walletBefore = await tokenBalance(bank, alice.tokenAccount);
    await alice.withdraw();
    expect(await tokenBalance(bank, alice.tokenAccount)).to.equal(walletBefore + 40n * MEDIA);
    expect(big((await fetchStake(world, alice)).unbonding)).to.equal(0n);
    expect(await tokenBalance(bank, world.vault)).to.equal(60n * MEDIA);
    await expectProgramError(alice.withdraw(), "NothingUnbonding");
  });

  it("rebonds: a new unstake request is cancelled back into active stake", async () => {
    await alice.requestUnstake(10n * MEDIA);
    await alice.cancelUnstake();
    const position = await fetchStake(world, alice);
    expect(big(position.active)).to.equal(60n * MEDIA);
    expect(big(position.unbonding)).to.equal(0n);
    expect(big((await fetchConfig(world)).totalUnbonding)).to.equal(0n);
  });

  it("earns rewards in proportion to stake across two funding rounds", async () => {
    // Given Bob with 120 MEDIA staked next to Alice's 60 (one third / two thirds)
    const bob = await newStaker(world, 500n * MEDIA);
    await bob.stake(120n * MEDIA);
    const sponsor = await newStaker(world, 1_000n * MEDIA);
    // When 90 MEDIA of rewards arrive and stream out over the 7-day reward period, Alice is owed 30 and Bob 60
    await sponsor.fundRewards(90n * MEDIA);
    await warpSeconds(bank, WEEK);
    // Then after Carol joins with 180 MEDIA, 36 more streamed over the next week split 6 / 12 / 18
    const carol = await newStaker(world, 500n * MEDIA);
    await carol.stake(180n * MEDIA);
    await sponsor.fundRewards(36n * MEDIA);
    await warpSeconds(bank, WEEK);

    const paid = async (staker: Staker) => {
      const before = await tokenBalance(bank, staker.tokenAccount);
      await staker.claimRewards();
      return (await tokenBalance(bank, staker.tokenAccount)) - before;
    };
    expect(await paid(alice)).to.equal(36n * MEDIA);
    expect(await paid(bob)).to.equal(72n * MEDIA);
    expect(await paid(carol)).to.equal(18n * MEDIA);
    await expectProgramError(alice.claimRewards(), "NoRewards");

    // The vault holds exactly every active stake plus the unclaimed reward reserve.
    const config = await fetchConfig(world);
    expect(await tokenBalance(bank, world.vault)).to.equal(big(config.totalActive) + big(config.totalUnbonding) + big(config.rewardReserve));
    expect(big(config.rewardReserve)).to.equal(0n);
    expect(big(config.totalRewardsFunded)).to.equal(126n * MEDIA);
  });

  it("keeps rewards funded while nothing is staked for the first stakers, streamed from when they stake", async () => {
    // Given a fresh economy where rewards arrive before anyone stakes, and a month passes
    const fresh = await setUpStaking(await startBank());
    const sponsor = await newStaker(fresh, 100n * MEDIA);
    await sponsor.fundRewards(10n * MEDIA);
    expect(big((await fetchConfig(fresh)).unstreamedRewards)).to.equal(10n * MEDIA);
    await warpSeconds(fresh.bank, 30 * DAY);
    // When the first staker arrives, then the whole period is still ahead of them
    const first = await newStaker(fresh, 100n * MEDIA);
    await first.stake(25n * MEDIA);
    const config = await fetchConfig(fresh);
    expect(big(config.unstreamedRewards)).to.equal(10n * MEDIA);
    expect(big(config.rewardPeriodEnd)).to.equal((await unixTimestamp(fresh.bank)) + BigInt(WEEK));
    const claimed = async () => {
      const before = await tokenBalance(fresh.bank, first.tokenAccount);
      await first.claimRewards();
      return (await tokenBalance(fresh.bank, first.tokenAccount)) - before;
    };
    // And they earn it as it streams: half after half the period, all of it at its end
    await warpSeconds(fresh.bank, WEEK / 2);
    expect(await claimed()).to.equal(5n * MEDIA);
    await warpSeconds(fresh.bank, WEEK);
    expect(await claimed()).to.equal(5n * MEDIA);
    expect(big((await fetchConfig(fresh)).rewardReserve)).to.equal(0n);
  });

  it("exposes the bandwidth quota: active * quota_bytes_per_media / 10^6", async () => {
    const config = await fetchConfig(world);
    const position = await fetchStake(world, alice);
    const quota = (big(position.active) * big(config.quotaBytesPerMedia)) / 1_000_000n;
    expect(quota).to.equal(60n * (1n << 30n));
  });
});
