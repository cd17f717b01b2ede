/**
 * The contributor economy as one story (issue 15's proof): two Edge operators self-stake and
 * open their pools, two holders delegate to the first and one to the second, the operators
 * serve traffic (settled receipts), everybody earns emissions and fee share per the
 * commission, a commission change waits out its notice while a delegator leaves, that
 * delegator redelegates through unbonding, and an operator goes idle and stops earning.
 *
 * Every step runs on-chain and in the reference model (`contributors-chain.ts`): after each one
 * every contributor account agrees with the model to the base unit, and every invariant holds
 * (supply fixed, the pool never negative, released = claimed + claimable + returned + dust).
 */
import { expect } from "chai";
import { given } from "../utils/bank";
import { DAY, MEDIA, setUpEconomy } from "../utils/economy";
import { type ChainWorldExtras, chainWorld } from "./contributors-chain";
import type { ContributorWorld } from "./simulation-contributors";

const HOUR = 3_600n;
/** `value` lies in [low, high] (bigints: chai's `within` takes numbers). */
const within = (value: bigint, low: bigint, high: bigint) => expect(value >= low && value <= high, `${value} within [${low}, ${high}]`).to.equal(true);
const OWN = 1_000n * MEDIA;

describe("economy: the contributor story of two operators and three delegators", function () {
  this.timeout(600_000);
  const cast = given(async (bank) => {
    const economy = await setUpEconomy(bank);
    return { world: await chainWorld(economy) };
  });
  let world: ContributorWorld & ChainWorldExtras;
  // Positions and operators, by index.
  let [a, b, alice, bob, carol, whale, consumer] = [0, 0, 0, 0, 0, 0, 0];
  let [opA, opB] = [0, 0];
  let start = 0n;
  const at = (day: number, hours = 0n) => start + BigInt(day) * BigInt(DAY) + hours * HOUR;
  let checks = 0;
  const step = async (where: string) => {
    await world.check(where);
    checks++;
  };
  const pending = (i: number) => world.model.pendingRewards(i);

  before(() => {
    world = cast.world;
    start = world.model.now;
  });

  it("an operator self-stakes: stakes 1,000 MEDIA, opens its pool (10% commission, 20% fee share), registers and binds its own stake", async () => {
    a = await world.addWallet(OWN + 100n * MEDIA);
    b = await world.addWallet(OWN + 100n * MEDIA);
    await world.stake(a, OWN);
    await world.stake(b, OWN);
    opA = await world.addOperator(a, 1_000, 2_000);
    opB = await world.addOperator(b, 500, 2_000);
    await step("operators open");
    expect(await world.delegate(a, opA)).to.equal(undefined);
    expect(await world.delegate(b, opB)).to.equal(undefined);
    const pool = world.model.operators[opA].pool!;
    expect([pool.boundTotal, pool.selfBound, pool.delegators]).to.deep.equal([OWN, OWN, 0n]);
    expect(world.model.pool.totalBound).to.equal(2n * OWN);
    await step("self-bonds");
  });

  it("two holders delegate to it and one to the other operator; a delegation beyond ten times the operator's own stake is refused", async () => {
    [alice, bob, carol, whale, consumer] = [
      await world.addWallet(3_000n * MEDIA),
      await world.addWallet(2_000n * MEDIA),
      await world.addWallet(1_000n * MEDIA),
      await world.addWallet(9_000n * MEDIA),
      await world.addWallet(10_000n * MEDIA),
    ];
    await world.stake(alice, 3_000n * MEDIA);
    await world.stake(bob, 2_000n * MEDIA);
    await world.stake(carol, 1_000n * MEDIA);
    await world.stake(whale, 9_000n * MEDIA);
    expect(await world.delegate(alice, opA)).to.equal(undefined);
    expect(await world.delegate(bob, opA)).to.equal(undefined);
    expect(await world.delegate(carol, opB)).to.equal(undefined);
    await step("delegations");
    // 5,000 + 9,000 delegated would exceed 10 x 1,000 of the operator's own: refused, nothing changes
    expect(await world.delegate(whale, opA)).to.equal("DelegationCapExceeded");
    // And bound stake cannot unbond: undelegate first
    expect(await world.requestUnstake(alice, 1_000n * MEDIA)).to.equal("StakeDelegated");
    expect(world.model.operators[opA].pool!.delegators).to.equal(2n);
    await step("refusals");
  });

  it("the operators serve traffic for five days: every receipt pays the delegators' fee share into the fee vault", async () => {
    for (let day = 0; day < 5; day++) {
      await world.goTo(at(day, 4n));
      await world.serve(opA, consumer, 20n * MEDIA);
      await world.serve(opB, consumer, 10n * MEDIA);
      await step(`traffic day ${day}`);
    }
    // 20% of the provider's part (90% of each receipt after the protocol fee) for 5 days
    expect(world.model.operators[opA].provider.feeSharePaid).to.equal(5n * ((20n * MEDIA * 9_000n) / 10_000n / 5n));
  });

  it("everybody earns emissions and fee share per the commission", async () => {
    await world.goTo(at(5));
    const poolA = () => world.model.operators[opA].pool!;
    for (const i of [a, alice, bob, b, carol]) expect(await world.claimDelegationRewards(i)).to.equal(undefined);
    expect(await world.claimCommission(opA)).to.equal(undefined);
    expect(await world.claimCommission(opB)).to.equal(undefined);
    await step("claims");
    const emissions = (i: number) => world.model.delegations[i]!.emissionsClaimed;
    const fees = (i: number) => world.model.delegations[i]!.feesClaimed;
    // Emissions follow stake: Alice's 3,000 earn 1.5 times Bob's 2,000 and 3 times the operator's own 1,000 (floors aside)
    within(emissions(alice) * 2n - emissions(bob) * 3n, -3n, 3n);
    within(emissions(alice) - emissions(a) * 3n, -3n, 3n);
    // The operator keeps 10% of everything its pool earned while active, its own stake's included
    within(poolA().commissionClaimed * 10n - poolA().emissionsEarned, -10n * 10n, 0n);
    // The fee share goes to the delegators pro rata, none to the self-bond
    expect(fees(a)).to.equal(0n);
    within(fees(alice) * 2n - fees(bob) * 3n, -3n, 3n);
    within(fees(alice) + fees(bob), world.model.operators[opA].provider.feeSharePaid - 2n, world.model.operators[opA].provider.feeSharePaid);
    expect(emissions(alice) > 0n && fees(alice) > 0n).to.equal(true);
    // And the pool released exactly what the schedule says: the first year's rate, every second since genesis
    const pool = world.model.pool;
    expect(pool.released).to.equal(pool.initialRate * (pool.releasedAt - pool.scheduleStart));
  });

  it("a commission change waits out its notice while a delegator leaves, and that delegator redelegates through unbonding", async () => {
    await world.goTo(at(5, 1n));
    expect(await world.setCommission(opA, 3_000, 1_000)).to.equal(undefined);
    const poolA = () => world.model.operators[opA].pool!;
    const effectiveAt = poolA().pendingEffectiveAt;
    expect(effectiveAt).to.equal(world.model.now + world.model.commissionNotice());
    expect(world.model.commissionNotice() >= world.model.params.unbondingPeriod).to.equal(true);
    await step("change scheduled");
    // Bob leaves at once: he stops earning, and may not bind elsewhere before his unbonding runs
    await world.goTo(at(5, 2n));
    expect(await world.undelegate(bob)).to.equal(undefined);
    const bobLeft = pending(bob);
    expect(await world.delegate(bob, opB)).to.equal("RebindTooSoon");
    await step("bob leaves");
    // Alice stays: until the notice runs out her operator keeps 10%
    let day = 5;
    for (; at(day + 1, 4n) < effectiveAt; day++) {
      await world.goTo(at(day + 1, 4n));
      await world.serve(opA, consumer, 20n * MEDIA);
      await world.serve(opB, consumer, 10n * MEDIA);
      await step(`notice day ${day}`);
    }
    expect(pending(bob)).to.deep.equal(bobLeft);
    const earnedBefore = poolA().emissionsEarned;
    const commissionBefore = poolA().commissionOwed + poolA().commissionClaimed;
    await world.goTo(effectiveAt - 1n);
    await world.syncOperator(opA);
    expect(poolA().commissionBps).to.equal(1_000);
    const atTen = poolA().commissionOwed + poolA().commissionClaimed - commissionBefore;
    within(atTen * 10n - (poolA().emissionsEarned - earnedBefore), -10n * 10n, 0n);
    await step("notice runs");
    // Once due, the next sync applies the new terms; the interval from then on pays 30%
    await world.goTo(effectiveAt);
    await world.syncOperator(opA);
    expect([poolA().commissionBps, poolA().feeShareBps, poolA().pendingEffectiveAt]).to.deep.equal([3_000, 1_000, 0n]);
    const earnedAt = poolA().emissionsEarned;
    const commissionAt = poolA().commissionOwed + poolA().commissionClaimed;
    await world.goTo(effectiveAt + DAY_SECONDS);
    await world.syncOperator(opA);
    const atThirty = poolA().commissionOwed + poolA().commissionClaimed - commissionAt;
    within(atThirty * 10n - (poolA().emissionsEarned - earnedAt) * 3n, -30n, 0n);
    await step("new terms");
    // Bob's unbonding is over: he binds to the other operator
    await world.goTo(world.model.delegations[bob]!.rebindAfter);
    expect(await world.delegate(bob, opB)).to.equal(undefined);
    expect(world.model.operators[opB].pool!.delegators).to.equal(2n);
    await step("bob redelegates");
  });

  it("an operator goes idle: once its activity window has run it stops earning, and its share returns to the pool", async () => {
    // Operator A keeps serving daily; B stops
    const idleFrom = world.model.operators[opB].provider.activeUntil;
    const windowEnd = idleFrom + DAY_SECONDS;
    let t = world.model.now;
    while (t < windowEnd) {
      t += DAY_SECONDS;
      await world.goTo(t);
      const paidBefore = world.model.operators[opA].provider.feeSharePaid;
      await world.serve(opA, consumer, 20n * MEDIA);
      // The new terms' fee share: 10% of the provider's 18 MEDIA
      expect(world.model.operators[opA].provider.feeSharePaid - paidBefore).to.equal((18n * MEDIA) / 10n);
      await step(`A alone ${t - start}`);
    }
    await world.syncOperator(opB);
    const poolB = () => world.model.operators[opB].pool!;
    const [carolIdle, bobIdle, returnedBefore, earnedBefore] = [pending(carol), pending(bob), poolB().emissionsReturned, poolB().emissionsEarned];
    const aliceBefore = pending(alice);
    await world.goTo(t + 2n * DAY_SECONDS);
    await world.serve(opA, consumer, 20n * MEDIA);
    await world.syncOperator(opB);
    await step("B idle");
    expect(pending(carol)).to.deep.equal(carolIdle);
    expect(pending(bob)).to.deep.equal(bobIdle);
    expect(poolB().emissionsEarned).to.equal(earnedBefore);
    expect(poolB().emissionsReturned > returnedBefore).to.equal(true);
    expect(pending(alice).emissions > aliceBefore.emissions).to.equal(true);
    // Serving again starts a new run: it earns from then on
    await world.serve(opB, consumer, 10n * MEDIA);
    await world.goTo(world.model.now + DAY_SECONDS);
    await world.syncOperator(opB);
    expect(poolB().emissionsEarned > earnedBefore).to.equal(true);
    await step("B back");
  });

  it("at the end everyone claims: what was released is claimed or returned, to the floors' dust", async () => {
    await world.releaseEmissions();
    for (const i of [a, b, alice, bob, carol]) await world.claimDelegationRewards(i);
    for (const k of [opA, opB]) await world.claimCommission(k);
    await step("final claims");
    const pool = world.model.pool;
    const dust = pool.released - pool.claimed - pool.returned;
    expect(dust >= 0n && dust <= world.model.dustBound(), `dust ${dust}`).to.equal(true);
    expect(world.model.emissionVault).to.equal(world.model.funded - pool.claimed);
    expect(checks).to.be.greaterThan(30);
  });
});

const DAY_SECONDS = BigInt(DAY);
