/**
 * A staker's year, as the spec tells it: stake the minimum, top up, ask for part back, wait
 * out unbonding, change their mind on the rest, and earn rewards in proportion to stake.
 */
import { expect } from "chai";
import { startBank, unixTimestamp, warpSeconds, given } from "../utils/bank";
import { expectProgramError, expectRefused } from "../utils/assertions";
import { type Staker, big, fetchConfig, fetchStake, newStaker, setUpStaking } from "../utils/staking";
import { tokenBalance } from "../utils/token";
import { DAY, GIB, MEDIA, MIN_STAKE, UNBONDING_PERIOD, WEEK } from "../utils/constants";

describe("media_staking: a staker's story", () => {
  const cast = given(async (bank) => {
    const world = await setUpStaking(bank);
    const alice = await newStaker(world, 1_000n * MEDIA);
    return { world, alice };
  });

  it("stakes 25 MEDIA, then tops up to 100", async () => {
    await cast.alice.stake(MIN_STAKE);
    await cast.alice.stake(75n * MEDIA);
    expect(big((await fetchStake(cast.world, cast.alice)).active)).to.equal(100n * MEDIA);
    expect(await tokenBalance(cast.bank, cast.world.vault)).to.equal(100n * MEDIA);
  });

  it("requests a partial unstake; what stays active respects the minimum", async () => {
    // Leaving 20 MEDIA active would break the minimum.
    await expectProgramError(cast.alice.requestUnstake(80n * MEDIA), "StakeBelowMinimum");
    await cast.alice.requestUnstake(40n * MEDIA);
    const position = await fetchStake(cast.world, cast.alice);
    expect(big(position.active)).to.equal(60n * MEDIA);
    expect(big(position.unbonding)).to.equal(40n * MEDIA);
    const config = await fetchConfig(cast.world);
    expect(big(config.totalActive)).to.equal(60n * MEDIA);
    expect(big(config.totalUnbonding)).to.equal(40n * MEDIA);
  });

  it("cannot withdraw before the unbonding period ends", async () => {
    await warpSeconds(cast.bank, UNBONDING_PERIOD - 10);
    await expectRefused(cast.bank, [cast.alice.tokenAccount, cast.alice.stakeAccount, cast.world.vault, cast.world.config], "UnbondingNotFinished", () =>
      cast.alice.withdraw(),
    );
  });

  it("withdraws the unbonded 40 MEDIA once the period has passed", async () => {
    await warpSeconds(cast.bank, 10);
    const walletBefore = await tokenBalance(cast.bank, cast.alice.tokenAccount);
    await cast.alice.withdraw();
    expect(await tokenBalance(cast.bank, cast.alice.tokenAccount)).to.equal(walletBefore + 40n * MEDIA);
    expect(big((await fetchStake(cast.world, cast.alice)).unbonding)).to.equal(0n);
    expect(await tokenBalance(cast.bank, cast.world.vault)).to.equal(60n * MEDIA);
    await expectProgramError(cast.alice.withdraw(), "NothingUnbonding");
  });

  it("rebonds: a new unstake request is cancelled back into active stake", async () => {
    await cast.alice.requestUnstake(10n * MEDIA);
    await cast.alice.cancelUnstake();
    const position = await fetchStake(cast.world, cast.alice);
    expect(big(position.active)).to.equal(60n * MEDIA);
    expect(big(position.unbonding)).to.equal(0n);
    expect(big((await fetchConfig(cast.world)).totalUnbonding)).to.equal(0n);
  });

  it("earns rewards in proportion to stake across two funding rounds", async () => {
    // Given Bob with 120 MEDIA staked next to Alice's 60 (one third / two thirds)
    const bob = await newStaker(cast.world, 500n * MEDIA);
    await bob.stake(120n * MEDIA);
    const sponsor = await newStaker(cast.world, 1_000n * MEDIA);
    // When 90 MEDIA of rewards arrive and stream out over the 7-day reward period, Alice is owed 30 and Bob 60
    await sponsor.fundRewards(90n * MEDIA);
    await warpSeconds(cast.bank, WEEK);
    // Then after Carol joins with 180 MEDIA, 36 more streamed over the next week split 6 / 12 / 18
    const carol = await newStaker(cast.world, 500n * MEDIA);
    await carol.stake(180n * MEDIA);
    await sponsor.fundRewards(36n * MEDIA);
    await warpSeconds(cast.bank, WEEK);

    const paid = async (staker: Staker) => {
      const before = await tokenBalance(cast.bank, staker.tokenAccount);
      await staker.claimRewards();
      return (await tokenBalance(cast.bank, staker.tokenAccount)) - before;
    };
    expect(await paid(cast.alice)).to.equal(36n * MEDIA);
    expect(await paid(bob)).to.equal(72n * MEDIA);
    expect(await paid(carol)).to.equal(18n * MEDIA);
    await expectProgramError(cast.alice.claimRewards(), "NoRewards");

    // The vault holds exactly every active stake plus the unclaimed reward reserve.
    const config = await fetchConfig(cast.world);
    expect(await tokenBalance(cast.bank, cast.world.vault)).to.equal(big(config.totalActive) + big(config.totalUnbonding) + big(config.rewardReserve));
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
    await first.stake(MIN_STAKE);
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
    const config = await fetchConfig(cast.world);
    const position = await fetchStake(cast.world, cast.alice);
    const quota = (big(position.active) * big(config.quotaBytesPerMedia)) / 1_000_000n;
    expect(quota).to.equal(60n * GIB);
  });
});
