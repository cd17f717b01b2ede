/**
 * Delegation to Edge operators, told as one operator's story: it self-bonds, a holder delegates,
 * the operator serves (its provider is active), the pool releases emissions and everybody is
 * paid per the commission and fee share, exact to the base unit. Every refusal names its error
 * and leaves every account it touched byte-identical.
 */
import { expect } from "chai";
import { delegationPda, operatorPoolPda, stakeAccountPda } from "../../sdk/src/generated/media_staking";
import { eventsOf, expectRefused } from "../utils/assertions";
import { sendInstruction, unsigned } from "../utils/tamper";
import { given } from "../utils/bank";
import { DAY, MEDIA, REWARD_SCALE, UNBONDING_PERIOD } from "../utils/constants";
import { big } from "../utils/staking";
import { mintTo, tokenBalance } from "../utils/token";
import {
  claimCommissionInstruction,
  claimDelegationRewardsInstruction,
  delegate,
  delegateInstruction,
  fetchDelegation,
  fetchOperatorPool,
  fetchRewardsPool,
  newHolder,
  newPoolOperator,
  openOperatorInstruction,
  releaseEmissionsInstruction,
  send,
  setProviderActivity,
  setUpDelegation,
  syncOperatorInstruction,
  undelegateInstruction,
} from "./delegation-world";

/** Base units per second: with 400 MEDIA bound, 1,000 s release exactly 1 MEDIA. */
const RATE = 1_000n;
const PARAMS = { initialRate: RATE, halvingPeriod: 365n * BigInt(DAY), delegationCap: 10, commissionNotice: 3_600n };
const SCALE = BigInt(REWARD_SCALE.toString());

describe("media_staking: delegation", () => {
  const cast = given(async (bank) => {
    const world = await setUpDelegation(bank, PARAMS);
    // An operator with 100 MEDIA of its own, 10% commission and 20% fee share; a holder with 300.
    const operator = await newPoolOperator(world, 100n * MEDIA, { commissionBps: 1_000, feeShareBps: 2_000 });
    const holder = await newHolder(world, 1_000n * MEDIA, 300n * MEDIA);
    const stranger = await newHolder(world, 1_000n * MEDIA, 100n * MEDIA);
    return { world, operator, holder, stranger };
  });
  const operatorKey = () => cast.operator.wallet.publicKey;

  it("open_operator succeeded: the pool holds the terms and the rewards pool counts it", async () => {
    const pool = await fetchOperatorPool(cast.world, operatorKey());
    expect(pool.operator.toBase58()).to.equal(operatorKey().toBase58());
    expect([pool.commissionBps, pool.feeShareBps]).to.deep.equal([1_000, 2_000]);
    expect(pool.feeShareVault.toBase58()).to.equal(cast.world.feeShareVault.toBase58());
    expect(big((await fetchRewardsPool(cast.world)).operators)).to.equal(1n);
  });

  it("delegate succeeds: the operator self-bonds and a holder delegates, within the cap", async () => {
    await delegate(cast.world, cast.operator, cast.operator);
    const signature = await delegate(cast.world, cast.holder, cast.operator);
    const pool = await fetchOperatorPool(cast.world, operatorKey());
    expect(big(pool.boundTotal)).to.equal(400n * MEDIA);
    expect(big(pool.selfBound)).to.equal(100n * MEDIA);
    expect(big(pool.delegators)).to.equal(1n);
    const rewards = await fetchRewardsPool(cast.world);
    expect(big(rewards.totalBound)).to.equal(400n * MEDIA);
    expect(big(rewards.delegations)).to.equal(2n);
    const stake = await cast.bank.programs.staking.account.stakeAccount.fetch(cast.holder.stakeAccount);
    expect(big(stake.delegated)).to.equal(300n * MEDIA);
    // The stake stays the holder's: active (its vote weight) is unchanged, nothing moved to the operator
    expect(big(stake.active)).to.equal(300n * MEDIA);
    const operatorStake = await cast.bank.programs.staking.account.stakeAccount.fetch(cast.operator.stakeAccount);
    expect(big(operatorStake.active)).to.equal(100n * MEDIA);
    const [event] = eventsOf(cast.bank, signature, cast.bank.programs.staking as never);
    expect(event.name).to.equal("delegated");
    expect(big(event.data.amount)).to.equal(300n * MEDIA);
    expect(event.data.operator.toBase58()).to.equal(operatorKey().toBase58());
  });

  it("request_unstake fails below the bound stake: StakeDelegated, accounts unchanged", async () => {
    await expectRefused(cast.bank, [cast.holder.stakeAccount, cast.world.config], "StakeDelegated", () => cast.holder.requestUnstake(MEDIA));
  });

  it("delegate fails when bound to another operator: AlreadyDelegated, accounts unchanged", async () => {
    const other = await newPoolOperator(cast.world, 100n * MEDIA);
    const touched = [cast.holder.stakeAccount, delegationPda(cast.holder.wallet.publicKey), other.pool, cast.world.rewardsPool];
    await expectRefused(cast.bank, touched, "AlreadyDelegated", () => delegate(cast.world, cast.holder, other));
  });

  it("delegate fails with nothing new to bind: ZeroAmount, accounts unchanged", async () => {
    const touched = [cast.holder.stakeAccount, delegationPda(cast.holder.wallet.publicKey), operatorPoolPda(operatorKey())];
    await expectRefused(cast.bank, touched, "ZeroAmount", () => delegate(cast.world, cast.holder, cast.operator));
  });

  it("delegate fails past delegation_cap times the operator's own stake: DelegationCapExceeded", async () => {
    // 300 delegated of a 1,000 cap: 701 more is one MEDIA too many, 700 fits.
    const whale = await newHolder(cast.world, 2_000n * MEDIA, 701n * MEDIA);
    const touched = [whale.stakeAccount, operatorPoolPda(operatorKey()), cast.world.rewardsPool];
    await expectRefused(cast.bank, touched, "DelegationCapExceeded", () => delegate(cast.world, whale, cast.operator));
  });

  it("sync_operator fails with another operator's provider: ProviderMismatch, accounts unchanged", async () => {
    const other = await newPoolOperator(cast.world, 100n * MEDIA);
    const ix = await cast.bank.programs.staking.methods
      .syncOperator()
      .accountsPartial({ operatorPool: operatorPoolPda(operatorKey()), provider: other.provider })
      .instruction();
    await expectRefused(cast.bank, [operatorPoolPda(operatorKey()), cast.world.rewardsPool], "ProviderMismatch", () => send(cast.bank, ix));
  });

  it("release_emissions fails with another vault: InvalidRewardsPoolVault, accounts unchanged", async () => {
    const ix = await cast.bank.programs.staking.methods.releaseEmissions().accountsPartial({ emissionVault: cast.world.feeShareVault }).instruction();
    await expectRefused(cast.bank, [cast.world.rewardsPool], "InvalidRewardsPoolVault", () => send(cast.bank, ix));
  });

  it("claims pay emissions per stake after commission, and fee share to delegators only", async () => {
    // Given the operator active for the next 10 days, and 0.6 MEDIA of fee share paid in
    const now = await cast.bank.now();
    await setProviderActivity(cast.bank, cast.operator.provider, { activeSince: now, activeUntil: now + 10n * BigInt(DAY), feeSharePaid: 600_000n });
    await mintTo(cast.bank, cast.world.mediaMint, cast.world.feeShareVault, 600_000n);
    const releasedBefore = big((await fetchRewardsPool(cast.world)).released);
    // When 1,000 seconds pass: 1,000,000 base units are due over 400 MEDIA bound
    await cast.bank.warp(1_000);
    const holderBefore = await tokenBalance(cast.bank, cast.holder.tokenAccount);
    const signature = await send(
      cast.bank,
      await claimDelegationRewardsInstruction(cast.world, cast.holder.wallet.publicKey, cast.holder.tokenAccount, operatorKey()),
      cast.holder.wallet,
    );
    // Then the holder is paid 300/400 of 90% of it, and all of the fee share (it is the only delegator)
    const released = big((await fetchRewardsPool(cast.world)).released) - releasedBefore;
    expect(released).to.equal(RATE * 1_000n);
    const perBound = ((released - released / 10n) * SCALE) / (400n * MEDIA);
    const emissions = (300n * MEDIA * perBound) / SCALE;
    expect(emissions).to.equal(675_000n);
    expect(await tokenBalance(cast.bank, cast.holder.tokenAccount)).to.equal(holderBefore + emissions + 600_000n);
    const [event] = eventsOf(cast.bank, signature, cast.bank.programs.staking as never);
    expect(event.name).to.equal("delegationRewardsClaimed");
    expect([big(event.data.emissions), big(event.data.fees)]).to.deep.equal([675_000n, 600_000n]);

    // The operator's self-bond earns emissions but no fee share; its commission is 10%
    const operatorBefore = await tokenBalance(cast.bank, cast.operator.tokenAccount);
    await send(cast.bank, await claimDelegationRewardsInstruction(cast.world, operatorKey(), cast.operator.tokenAccount, operatorKey()), cast.operator.wallet);
    await send(cast.bank, await claimCommissionInstruction(cast.world, operatorKey(), cast.operator.tokenAccount), cast.operator.wallet);
    expect(await tokenBalance(cast.bank, cast.operator.tokenAccount)).to.equal(operatorBefore + 225_000n + 100_000n);

    // Everything released was paid: released = claimed + returned (+ no dust here)
    const rewards = await fetchRewardsPool(cast.world);
    expect(big(rewards.claimed)).to.equal(big(rewards.released) - big(rewards.returned));
    expect(big(rewards.feeShareClaimed)).to.equal(600_000n);
    expect(await tokenBalance(cast.bank, cast.world.feeShareVault)).to.equal(0n);
  });

  it("claim_delegation_rewards fails with nothing owed: NoRewards, accounts unchanged", async () => {
    const ix = await claimDelegationRewardsInstruction(cast.world, cast.holder.wallet.publicKey, cast.holder.tokenAccount, operatorKey());
    const touched = [delegationPda(cast.holder.wallet.publicKey), cast.holder.tokenAccount, cast.world.emissionVault];
    await expectRefused(cast.bank, touched, "NoRewards", () => send(cast.bank, ix, cast.holder.wallet));
  });

  it("an idle operator's share returns to the pool", async () => {
    // The run ended 10 days after it started; 20 days later the pool syncs: it was idle throughout.
    await cast.bank.warp(20 * DAY);
    const before = await fetchRewardsPool(cast.world);
    const poolBefore = await fetchOperatorPool(cast.world, operatorKey());
    await send(cast.bank, await syncOperatorInstruction(cast.world, operatorKey()));
    const pool = await fetchOperatorPool(cast.world, operatorKey());
    const after = await fetchRewardsPool(cast.world);
    // All 400 bound MEDIA are this operator's: its gross is the release, to the accumulator's floor.
    const gross = (400n * MEDIA * (big(after.emissionPerStake) - big(before.emissionPerStake))) / SCALE;
    expect(big(after.released) - big(before.released) - gross).to.be.oneOf([0n, 1n]);
    // Active from the last sync (1,000 s into the run) to day 10, of the 20 days since: that
    // fraction is credited, the rest returned.
    const span = BigInt(20 * DAY);
    const credited = BigInt(10 * DAY - 1_000);
    const returned = gross - (gross * credited) / span;
    expect(big(pool.emissionsReturned) - big(poolBefore.emissionsReturned)).to.equal(returned);
    expect(big(after.returned) - big(before.returned)).to.equal(returned);
  });

  it("undelegate succeeds: the position stops earning and may rebind only after unbonding", async () => {
    const signature = await send(cast.bank, await undelegateInstruction(cast.world, cast.holder.wallet.publicKey, operatorKey()), cast.holder.wallet);
    const now = await cast.bank.now();
    const delegation = await fetchDelegation(cast.world, cast.holder.wallet.publicKey);
    expect(big(delegation.bound)).to.equal(0n);
    expect(big(delegation.rebindAfter)).to.equal(now + BigInt(UNBONDING_PERIOD));
    const pool = await fetchOperatorPool(cast.world, operatorKey());
    expect(big(pool.boundTotal)).to.equal(100n * MEDIA);
    expect(big(pool.delegators)).to.equal(0n);
    const [event] = eventsOf(cast.bank, signature, cast.bank.programs.staking as never);
    expect(event.name).to.equal("undelegated");
    // Unbound stake may leave
    await cast.holder.requestUnstake(MEDIA);
  });

  it("undelegate fails when unbound: NotDelegated, accounts unchanged", async () => {
    const ix = await undelegateInstruction(cast.world, cast.holder.wallet.publicKey, operatorKey());
    const touched = [cast.holder.stakeAccount, delegationPda(cast.holder.wallet.publicKey), operatorPoolPda(operatorKey())];
    await expectRefused(cast.bank, touched, "NotDelegated", () => send(cast.bank, ix, cast.holder.wallet));
  });

  it("delegate fails before the unbonding period has passed: RebindTooSoon; then succeeds", async () => {
    const touched = [cast.holder.stakeAccount, delegationPda(cast.holder.wallet.publicKey), operatorPoolPda(operatorKey())];
    await expectRefused(cast.bank, touched, "RebindTooSoon", () => delegate(cast.world, cast.holder, cast.operator));
    await cast.bank.warp(UNBONDING_PERIOD);
    await delegate(cast.world, cast.holder, cast.operator);
    expect(big((await fetchDelegation(cast.world, cast.holder.wallet.publicKey)).bound)).to.equal(299n * MEDIA);
  });

  it("open_operator fails above 10,000 bps: InvalidCommission; below the minimum stake: StakeBelowMinimum", async () => {
    const wallet = cast.stranger.wallet.publicKey;
    const pool = operatorPoolPda(wallet);
    await expectRefused(cast.bank, [pool, cast.world.rewardsPool], "InvalidCommission", async () =>
      send(cast.bank, await openOperatorInstruction(cast.world, wallet, 10_001, 0), cast.stranger.wallet),
    );
    // A stake account whose active stake went back to zero
    const poor = await newHolder(cast.world, 100n * MEDIA, 25n * MEDIA);
    await poor.requestUnstake(25n * MEDIA);
    await expectRefused(cast.bank, [operatorPoolPda(poor.wallet.publicKey), cast.world.rewardsPool], "StakeBelowMinimum", async () =>
      send(cast.bank, await openOperatorInstruction(cast.world, poor.wallet.publicKey, 0, 0), poor.wallet),
    );
  });

  it("delegate fails while paused: ProgramPaused; undelegate and claims stay open", async () => {
    await cast.bank.clients.staking.setPaused(true);
    const touched = [cast.stranger.stakeAccount, delegationPda(cast.stranger.wallet.publicKey), operatorPoolPda(operatorKey())];
    await expectRefused(cast.bank, touched, "ProgramPaused", () => delegate(cast.world, cast.stranger, cast.operator));
    await send(cast.bank, await undelegateInstruction(cast.world, cast.holder.wallet.publicKey, operatorKey()), cast.holder.wallet);
    await send(cast.bank, await releaseEmissionsInstruction(cast.world));
    await cast.bank.clients.staking.setPaused(false);
  });

  it("delegate fails with another wallet's stake account as the operator's: StakeOwnerMismatch", async () => {
    const ix = await delegateInstruction(cast.world, cast.stranger.wallet.publicKey, operatorKey());
    ix.keys[7] = { ...ix.keys[7], pubkey: stakeAccountPda(cast.holder.wallet.publicKey) };
    const touched = [cast.stranger.stakeAccount, operatorPoolPda(operatorKey()), cast.world.rewardsPool];
    await expectRefused(cast.bank, touched, "StakeOwnerMismatch", () => send(cast.bank, ix, cast.stranger.wallet));
  });

  it("delegate tops a bound position up to its active stake", async () => {
    await delegate(cast.world, cast.stranger, cast.operator);
    const before = await fetchOperatorPool(cast.world, operatorKey());
    await cast.stranger.stake(10n * MEDIA);
    const signature = await delegate(cast.world, cast.stranger, cast.operator);
    const [event] = eventsOf(cast.bank, signature, cast.bank.programs.staking as never);
    expect([big(event.data.amount), big(event.data.bound)]).to.deep.equal([10n * MEDIA, 110n * MEDIA]);
    const after = await fetchOperatorPool(cast.world, operatorKey());
    expect(big(after.boundTotal) - big(before.boundTotal)).to.equal(10n * MEDIA);
    expect(big(after.delegators)).to.equal(big(before.delegators), "still one position");
  });

  describe("forged accounts", () => {
    const pool = () => operatorPoolPda(operatorKey());
    const touched = () => [pool(), cast.world.rewardsPool, delegationPda(cast.holder.wallet.publicKey), cast.holder.tokenAccount];

    it("sync_operator fails with a delegation as the pool: InvalidDiscriminator; with a staking account as the provider: InvalidAccountOwner", async () => {
      const asPool = await cast.bank.programs.staking.methods
        .syncOperator()
        .accountsPartial({ operatorPool: delegationPda(cast.holder.wallet.publicKey), provider: cast.operator.provider })
        .instruction();
      await expectRefused(cast.bank, touched(), "InvalidDiscriminator", () => send(cast.bank, asPool));
      const asProvider = await cast.bank.programs.staking.methods.syncOperator().accountsPartial({ operatorPool: pool(), provider: pool() }).instruction();
      await expectRefused(cast.bank, touched(), "InvalidAccountOwner", () => send(cast.bank, asProvider));
    });

    it("claim_delegation_rewards fails with the vaults swapped: InvalidRewardsPoolVault; paying into a vault: DuplicateAccount", async () => {
      const holder = cast.holder.wallet.publicKey;
      const swapped = await claimDelegationRewardsInstruction(cast.world, holder, cast.holder.tokenAccount, operatorKey());
      const [emission, fee] = [4, 5].map((i) => swapped.keys[i].pubkey);
      swapped.keys[4] = { ...swapped.keys[4], pubkey: fee };
      swapped.keys[5] = { ...swapped.keys[5], pubkey: emission };
      await expectRefused(cast.bank, [...touched(), cast.world.emissionVault, cast.world.feeShareVault], "InvalidRewardsPoolVault", () =>
        send(cast.bank, swapped, cast.holder.wallet),
      );
      const intoVault = await claimDelegationRewardsInstruction(cast.world, holder, cast.world.feeShareVault, operatorKey());
      await expectRefused(cast.bank, [...touched(), cast.world.feeShareVault], "DuplicateAccount", () => send(cast.bank, intoVault, cast.holder.wallet));
    });

    it("undelegate fails naming another operator's pool: InvalidPda; unsigned: MissingSigner", async () => {
      // The stranger's position is bound to the operator (the top-up above)
      const other = await newPoolOperator(cast.world, 100n * MEDIA);
      const owner = cast.stranger.wallet.publicKey;
      const mine = [pool(), cast.world.rewardsPool, delegationPda(owner), cast.stranger.stakeAccount];
      const elsewhere = await undelegateInstruction(cast.world, owner, other.wallet.publicKey);
      await expectRefused(cast.bank, [...mine, other.pool], "InvalidPda", () => send(cast.bank, elsewhere, cast.stranger.wallet));
      const forged = unsigned(await undelegateInstruction(cast.world, owner, operatorKey()), cast.stranger.wallet);
      await expectRefused(cast.bank, mine, "MissingSigner", () => sendInstruction(cast.bank, forged));
    });
  });
});
