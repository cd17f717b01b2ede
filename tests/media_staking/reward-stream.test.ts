/**
 * Rewards stream out over the reward period, so stake earns only for the time it is staked.
 *
 * The attack this closes (issue 14, item 4): a sniper staked 9,000 MEDIA right before a
 * 10,000 MEDIA funding, next to an honest staker's 1,000 staked for weeks, and claimed 9,000 at
 * once. Now the funding streams over 7 days and the sniper, leaving after an hour, earns an
 * hour's worth of its 90%. Also: rewards funded into an empty pool wait for stakers, fees the
 * bandwidth program pays straight into the staking vault are folded into the stream, and
 * nothing is ever paid beyond what arrived.
 */
import { Keypair, type TransactionInstruction } from "@solana/web3.js";
import { expect } from "chai";
import { MEDIA_STAKING_PROGRAM_ID, REWARD_SCALE, claimableRewards, rewardStreamAt, stakingApr, stakingVaultPda } from "../../sdk/src";
import { eventsOf, expectProgramError, expectUnchanged, snapshot, expectRefused } from "../utils/assertions";
import { GIB, PRICES, newConsumer, newOperator, openEscrow, send, settle, settleAccounts, settleInstructions, setUpBandwidth } from "../utils/bandwidth";
import { startBank, unixTimestamp, warpSeconds, given } from "../utils/bank";
import { expectStakingVaultSynced } from "../utils/economy";
import { type Staker, type StakingWorld, big, fetchConfig, fetchStake, newStaker, setUpStaking, syncRewards } from "../utils/staking";
import { createTokenAccount, tokenBalance } from "../utils/token";
import { MEDIA } from "../utils/constants";

const HOUR = 3_600n;
const DAY = 24n * HOUR;
const WEEK = 7n * DAY;

/** What `staker` received from one claim. */
async function claimed(world: StakingWorld, staker: Staker): Promise<bigint> {
  const before = await tokenBalance(world.bank, staker.tokenAccount);
  await staker.claimRewards();
  return (await tokenBalance(world.bank, staker.tokenAccount)) - before;
}

describe("media_staking: rewards stream over the reward period (no sniping)", () => {
  const cast = given(async (bank) => {
    const world = await setUpStaking(bank);
    const honest = await newStaker(world, 1_000n * MEDIA);
    const sniper = await newStaker(world, 9_000n * MEDIA);
    const sponsor = await newStaker(world, 20_000n * MEDIA);
    return { world, honest, sniper, sponsor };
  });

  it("a cast.sniper who stakes 9,000 MEDIA just before a 10,000 MEDIA funding earns only for the hour it stays", async () => {
    // Given an cast.honest staker with 1,000 MEDIA staked for three weeks
    await cast.honest.stake(1_000n * MEDIA);
    await warpSeconds(cast.bank, 3n * WEEK);
    // When the cast.sniper stakes 9,000 MEDIA right before a 10,000 MEDIA funding
    await cast.sniper.stake(9_000n * MEDIA);
    const funding = await cast.sponsor.fundRewards(10_000n * MEDIA);
    const fundedAt = await unixTimestamp(cast.bank);
    // Then the funding starts a 7-day period at 10,000 MEDIA / 7 days
    const started = eventsOf(cast.bank, funding, cast.bank.programs.staking as never).find((e) => e.name === "rewardPeriodStarted");
    expect(started?.data.added.toString()).to.equal((10_000n * MEDIA).toString());
    expect(started?.data.periodEnd.toString()).to.equal((fundedAt + WEEK).toString());
    expect(started?.data.rewardRate.toString()).to.equal(((10_000n * MEDIA * REWARD_SCALE) / WEEK).toString());
    // And nothing is there to take at once (the old rule paid the cast.sniper 9,000 MEDIA here)
    const untouched = await snapshot(cast.bank, [cast.sniper.tokenAccount, cast.sniper.stakeAccount, cast.world.vault, cast.world.config]);
    await expectProgramError(cast.sniper.claimRewards(), "NoRewards");
    await expectUnchanged(cast.bank, untouched);

    // When the cast.sniper claims and leaves an hour later
    await warpSeconds(cast.bank, HOUR);
    const config = await fetchConfig(cast.world);
    const expected = claimableRewards(config, await fetchStake(cast.world, cast.sniper), fundedAt + HOUR);
    const sniped = await claimed(cast.world, cast.sniper);
    await cast.sniper.requestUnstake(9_000n * MEDIA);
    // Then it got an hour of the stream at 90%: 10,000 * 1h / 7d * 0.9 = 53.57 MEDIA, nowhere near 9,000
    expect(sniped).to.equal(expected);
    const fair = (10_000n * MEDIA * HOUR * 9n) / (WEEK * 10n);
    expect(sniped <= fair && sniped >= fair - 2n, `cast.sniper got ${sniped}, an hour's 90% is ${fair}`).to.equal(true);
    expect(sniped < 60n * MEDIA).to.equal(true);

    // When the period runs out
    await warpSeconds(cast.bank, WEEK);
    // Then the cast.honest staker gets everything else: its 10% of the first hour and all of the rest
    const honestPay = await claimed(cast.world, cast.honest);
    const hourStreamed = (10_000n * MEDIA * HOUR) / WEEK;
    expect(honestPay > 10_000n * MEDIA - hourStreamed).to.equal(true);
    // And the two claims never exceed the funding: only rounding dust stays in the vault
    const after = await fetchConfig(cast.world);
    expect(sniped + honestPay <= 10_000n * MEDIA).to.equal(true);
    expect(big(after.rewardReserve)).to.equal(10_000n * MEDIA - sniped - honestPay);
    expect(big(after.rewardReserve) < 3n, `dust ${after.rewardReserve}`).to.equal(true);
    expect(big(after.unstreamedRewards)).to.equal(0n);
    await expectStakingVaultSynced(cast.bank, "after the period");
  });

  it("the SDK shows the reward rate, period end and APR the program works by", async () => {
    // Given a fresh 7,000 MEDIA funding over the cast.honest staker's 1,000 MEDIA
    await cast.sponsor.fundRewards(7_000n * MEDIA);
    const now = await unixTimestamp(cast.bank);
    const config = await fetchConfig(cast.world);
    const stream = rewardStreamAt(config, now);
    expect(stream.periodEnd).to.equal(now + WEEK);
    expect(stream.rewardRate).to.equal((big(config.unstreamedRewards) * REWARD_SCALE) / WEEK);
    const apr = stakingApr(config, now) ?? 0;
    const expectedApr = (Number(big(config.unstreamedRewards)) / Number(big(config.totalActive))) * (365 / 7);
    expect(apr).to.be.closeTo(expectedApr, 1e-6);
    // Then what the SDK computes for an instant is what a claim at that instant pays
    await warpSeconds(cast.bank, 2n * DAY + 17n);
    const at = await unixTimestamp(cast.bank);
    const predicted = claimableRewards(await fetchConfig(cast.world), await fetchStake(cast.world, cast.honest), at);
    expect(await claimed(cast.world, cast.honest)).to.equal(predicted);
  });
});

describe("media_staking: rewards funded into an empty pool wait for the first stakers", () => {
  it("streams them from the first stake, whatever time passed before", async () => {
    const bank = await startBank();
    const world = await setUpStaking(bank);
    const sponsor = await newStaker(world, 700n * MEDIA);
    const first = await newStaker(world, 100n * MEDIA);
    // Given 700 MEDIA funded while nothing is staked, and ten days without stake
    await sponsor.fundRewards(700n * MEDIA);
    await warpSeconds(bank, 10n * DAY);
    await syncRewards(world);
    expect(big((await fetchConfig(world)).unstreamedRewards)).to.equal(700n * MEDIA);
    // When the first staker arrives
    await first.stake(100n * MEDIA);
    const stakedAt = await unixTimestamp(bank);
    expect(big((await fetchConfig(world)).rewardPeriodEnd)).to.equal(stakedAt + WEEK);
    // Then a day later a seventh has streamed to it, and at the end all of it
    await warpSeconds(bank, DAY);
    expect(await claimed(world, first)).to.equal(100n * MEDIA);
    await warpSeconds(bank, WEEK);
    expect(await claimed(world, first)).to.equal(600n * MEDIA);
    expect(big((await fetchConfig(world)).rewardReserve)).to.equal(0n);
  });
});

describe("media_staking: fees paid into the staking vault join the stream", () => {
  const cast = given(async (bank) => {
    const world = await setUpBandwidth(bank);
    return { world };
  });

  it("settle_receipt pays the stakers' share into the vault; the next staking instruction folds and streams it", async () => {
    // Given an operator with 100 MEDIA staked (the only stake) and a consumer paying it in MEDIA
    const operator = await newOperator(cast.world, 100n * MEDIA);
    const consumer = await newConsumer(cast.world, 1_000n * MEDIA, 0n);
    const escrow = await openEscrow(cast.world, consumer, operator, cast.world.mediaMint, 100n * MEDIA);
    const configBefore = await fetchConfig(cast.world.staking);
    // When two receipts settle
    const vaultBefore = await tokenBalance(cast.bank, stakingVaultPda());
    await settle(cast.world, escrow, escrow.channel.payAtPrice(20n * GIB, PRICES.media));
    await settle(cast.world, escrow, escrow.channel.payAtPrice(40n * GIB, PRICES.media));
    const fees = (await tokenBalance(cast.bank, stakingVaultPda())) - vaultBefore;
    expect(fees > 0n).to.equal(true);
    // Then the staking config has not seen them yet: the vault holds more than it owes
    const unsynced = await fetchConfig(cast.world.staking);
    expect(big(unsynced.rewardReserve)).to.equal(big(configBefore.rewardReserve));
    expect(await tokenBalance(cast.bank, stakingVaultPda())).to.equal(
      big(unsynced.totalActive) + big(unsynced.totalUnbonding) + big(unsynced.rewardReserve) + fees,
    );

    // When anyone syncs (any staking instruction holding the vault does the same)
    const sync = await syncRewards(cast.world.staking);
    // Then they are counted as received (not funded) and stream over the reward period
    const synced = await fetchConfig(cast.world.staking);
    expect(big(synced.totalRewardsReceived) - big(configBefore.totalRewardsReceived)).to.equal(fees);
    expect(big(synced.totalRewardsFunded)).to.equal(big(configBefore.totalRewardsFunded));
    expect(big(synced.unstreamedRewards)).to.equal(fees);
    const [started] = eventsOf(cast.bank, sync, cast.bank.programs.staking as never);
    expect(started.name).to.equal("rewardPeriodStarted");
    expect(started.data.received.toString()).to.equal(fees.toString());
    await expectStakingVaultSynced(cast.bank, "after the sync");
    // And a second sync with nothing new changes nothing but the stream's clock
    await syncRewards(cast.world.staking);
    expect(big((await fetchConfig(cast.world.staking)).rewardReserve)).to.equal(big(synced.rewardReserve));

    // When the period runs out, the operator (the only staker) gets all of it but rounding dust
    await warpSeconds(cast.bank, WEEK);
    const paid = await claimed(cast.world.staking, operator);
    expect(paid <= fees && paid >= fees - 1n, `paid ${paid} of ${fees}`).to.equal(true);
    await expectStakingVaultSynced(cast.bank, "after the claim");
  });

  it("refuses a staking vault other than the one the staking config names: InvalidVault, nothing moves", async () => {
    const operator = await newOperator(cast.world, 50n * MEDIA);
    const consumer = await newConsumer(cast.world, 1_000n * MEDIA, 0n);
    const escrow = await openEscrow(cast.world, consumer, operator, cast.world.mediaMint, 10n * MEDIA);
    // An attacker's own MEDIA account where the staking vault goes
    const attacker = Keypair.generate();
    const decoy = await createTokenAccount(cast.bank, cast.world.mediaMint, attacker.publicKey);
    const receipt = escrow.channel.payAtPrice(GIB, PRICES.media);
    const instructions: TransactionInstruction[] = await settleInstructions(cast.world, escrow, receipt);
    const settleIx = instructions[instructions.length - 1];
    const slot = settleIx.keys.findIndex((k) => k.pubkey.equals(stakingVaultPda()));
    expect(slot).to.equal(9);
    settleIx.keys[slot] = { ...settleIx.keys[slot], pubkey: decoy };
    await expectRefused(cast.bank, [...settleAccounts(cast.world, escrow), decoy], "InvalidVault", () => send(cast.world, instructions, [operator.wallet]));
    // The staking program itself takes no part in a settlement any more
    expect(settleIx.keys.some((k) => k.pubkey.equals(MEDIA_STAKING_PROGRAM_ID))).to.equal(false);
  });
});
