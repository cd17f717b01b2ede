/**
 * The SDK's emission mirrors (sdk/src/emissions.ts) against figures worked out by hand from the
 * rules in ECONOMY.md ("v2: contributor economy"): the halving schedule, the release, the
 * operator pool's sync (activity, commission, fee share, pending terms), a delegation's
 * settlement and the APRs. The chain comparison lives in delegation-chain.test.ts.
 */
import { expect } from "chai";
import {
  type DelegationState,
  type OperatorPoolState,
  REWARD_SCALE,
  type RewardsPoolState,
  creditedActivity,
  emissionRateAt,
  operatorPoolApr,
  pendingCommission,
  pendingDelegationRewards,
  releaseAndSync,
  releaseAt,
  scheduledAt,
  scheduledBy,
  settleDelegation,
  syncOperatorPool,
  termsAt,
} from "../../sdk/src";

const YEAR = 365n * 24n * 60n * 60n;
const OPERATOR = "operator";

function rewardsPool(overrides: Partial<RewardsPoolState> = {}): RewardsPoolState {
  return {
    initialRate: 100n,
    halvingPeriod: 10n,
    scheduleStart: 0n,
    scheduledBefore: 0n,
    released: 0n,
    releasedAt: 0n,
    claimed: 0n,
    returned: 0n,
    totalBound: 0n,
    emissionPerStake: 0n,
    feeShareReceived: 0n,
    feeShareClaimed: 0n,
    ...overrides,
  };
}

function operatorPool(overrides: Partial<OperatorPoolState> = {}): OperatorPoolState {
  return {
    boundTotal: 1000n,
    selfBound: 250n,
    emissionPerStakePaid: 0n,
    rewardPerBound: 0n,
    feePerDelegated: 0n,
    feeShareSeen: 0n,
    syncedAt: 0n,
    activeUntilSeen: 6n,
    commissionBps: 1000,
    feeShareBps: 2000,
    pendingCommissionBps: 0,
    pendingFeeShareBps: 0,
    pendingEffectiveAt: 0n,
    commissionOwed: 0n,
    operatorFeesOwed: 0n,
    emissionsEarned: 0n,
    emissionsReturned: 0n,
    ...overrides,
  };
}

function delegation(owner: string, bound: bigint): DelegationState {
  return { owner, operator: OPERATOR, bound, rewardPerBoundPaid: 0n, feePerDelegatedPaid: 0n, emissionsOwed: 0n, feesOwed: 0n };
}

describe("sdk: emission mirrors (hand-computed)", () => {
  describe("schedule", () => {
    it("sums whole halving periods then the part of the current one", () => {
      // 100/s for 10 s, 50/s for 10 s, 25/s for 5 s
      expect(scheduledBy(100n, 10n, 25n)).to.equal(1000n + 500n + 125n);
      expect(scheduledBy(100n, 10n, 0n)).to.equal(0n);
      expect(scheduledBy(100n, 10n, -5n)).to.equal(0n);
    });

    it("schedules about 1,000,000 MEDIA in the first year at the default rate, and under 2,000,000 ever", () => {
      expect(scheduledBy(31_709n, YEAR, YEAR)).to.equal(999_975_024_000n);
      // A year and a half: the second year runs at 15,854/s.
      expect(scheduledBy(31_709n, YEAR, YEAR + YEAR / 2n)).to.equal(999_975_024_000n + 15_854n * (YEAR / 2n));
      expect(scheduledBy(31_709n, YEAR, 200n * YEAR)).to.equal(1_999_571_616_000n);
    });

    it("counts no term from the 64th halving on", () => {
      expect(scheduledBy(1n, 10n, 1000n)).to.equal(10n);
      expect(scheduledBy(2n ** 63n, 1n, 70n)).to.equal(2n ** 64n - 1n);
    });

    it("adds earlier schedules and reads the current rate", () => {
      const schedule = { initialRate: 100n, halvingPeriod: 10n, scheduleStart: 50n, scheduledBefore: 7_000n };
      expect(scheduledAt(schedule, 75n)).to.equal(7_000n + 1625n);
      expect(emissionRateAt(schedule, 49n)).to.equal(100n);
      expect(emissionRateAt(schedule, 65n)).to.equal(50n);
      expect(emissionRateAt(schedule, 50n + 64n * 10n)).to.equal(0n);
    });
  });

  describe("release", () => {
    it("returns what is released while nothing is bound, then feeds the accumulator", () => {
      const first = releaseAt(rewardsPool(), 10_000n, 5n);
      expect(first.amount).to.equal(500n);
      expect(first.returned).to.equal(true);
      expect(first.pool).to.include({ released: 500n, returned: 500n, releasedAt: 5n, emissionPerStake: 0n });

      // 5 s more at 100/s over 1,000 bound units: half a unit per bound unit.
      const second = releaseAt({ ...first.pool, totalBound: 1000n }, 10_000n, 10n);
      expect(second.amount).to.equal(500n);
      expect(second.pool).to.include({ released: 1000n, returned: 500n, emissionPerStake: REWARD_SCALE / 2n });
    });

    it("never releases more than the vault holds beyond what it owes, and carries no shortfall", () => {
      // Owes 400 (released 1000, claimed 100, returned 500); the vault holds 700: 300 available.
      const pool = rewardsPool({ released: 1000n, claimed: 100n, returned: 500n, releasedAt: 10n, totalBound: 1000n });
      const short = releaseAt(pool, 700n, 20n);
      expect(short.amount).to.equal(300n);
      expect(short.pool.releasedAt).to.equal(20n);
      // The 200 not released at 20 is not due again later.
      expect(releaseAt(short.pool, 10_000n, 25n).amount).to.equal(25n * 5n);
    });

    it("does nothing at or before the last release", () => {
      const pool = rewardsPool({ releasedAt: 10n, totalBound: 5n });
      expect(releaseAt(pool, 10_000n, 10n)).to.deep.equal({ pool, amount: 0n, returned: false });
    });
  });

  describe("operator sync", () => {
    it("credits the active part less commission, returns the idle part and spreads the fee share", () => {
      // gross 500 over [0, 10]; active until 6: 300 credited, 200 returned; 10% commission.
      const { pool, gross, active, returned, commission, feeShare } = syncOperatorPool(
        operatorPool(),
        REWARD_SCALE / 2n,
        { activeSince: 0n, activeUntil: 6n, feeSharePaid: 75n },
        10n,
      );
      expect({ gross, active, returned, commission, feeShare }).to.deep.equal({ gross: 500n, active: 300n, returned: 200n, commission: 30n, feeShare: 75n });
      expect(pool.rewardPerBound).to.equal((270n * REWARD_SCALE) / 1000n);
      expect(pool.feePerDelegated).to.equal((75n * REWARD_SCALE) / 750n);
      expect(pool).to.include({ commissionOwed: 30n, emissionsEarned: 300n, emissionsReturned: 200n, feeShareSeen: 75n, syncedAt: 10n, activeUntilSeen: 6n });
      expect(pool.emissionPerStakePaid).to.equal(REWARD_SCALE / 2n);
    });

    it("credits a new run and the part of the run known at the last sync, never more", () => {
      // Known at the last sync: active until 4. A new run from 7 to 12: [0,4] + [7,10] = 7 s.
      expect(creditedActivity(0n, 4n, { activeSince: 7n, activeUntil: 12n, feeSharePaid: 0n }, 10n)).to.equal(7n);
      // A run still going: the whole span.
      expect(creditedActivity(0n, 4n, { activeSince: 0n, activeUntil: 12n, feeSharePaid: 0n }, 10n)).to.equal(10n);
      // Idle all along.
      expect(creditedActivity(5n, 4n, { activeSince: 0n, activeUntil: 4n, feeSharePaid: 0n }, 10n)).to.equal(0n);
    });

    it("with no time elapsed credits everything if active now, nothing otherwise", () => {
      const pool = operatorPool({ syncedAt: 10n });
      expect(syncOperatorPool(pool, REWARD_SCALE, { activeSince: 0n, activeUntil: 10n, feeSharePaid: 0n }, 10n).active).to.equal(1000n);
      expect(syncOperatorPool(pool, REWARD_SCALE, { activeSince: 0n, activeUntil: 9n, feeSharePaid: 0n }, 10n).returned).to.equal(1000n);
    });

    it("owes the fee share to the operator while nobody is delegated", () => {
      const { pool } = syncOperatorPool(operatorPool({ selfBound: 1000n }), 0n, { activeSince: 0n, activeUntil: 10n, feeSharePaid: 40n }, 10n);
      expect(pool).to.include({ operatorFeesOwed: 40n, feePerDelegated: 0n, feeShareSeen: 40n });
    });

    it("charges the interval the terms in effect at its start, then applies a change whose notice is over", () => {
      const pool = operatorPool({ pendingCommissionBps: 5000, pendingFeeShareBps: 0, pendingEffectiveAt: 5n });
      expect(termsAt(pool, 4n)).to.deep.equal({ commissionBps: 1000n, feeShareBps: 2000n });
      expect(termsAt(pool, 5n)).to.deep.equal({ commissionBps: 5000n, feeShareBps: 0n });
      const synced = syncOperatorPool(pool, REWARD_SCALE / 2n, { activeSince: 0n, activeUntil: 20n, feeSharePaid: 0n }, 10n);
      expect(synced.commission).to.equal(50n);
      expect(synced.pool).to.include({ commissionBps: 5000, feeShareBps: 0, pendingCommissionBps: 0, pendingFeeShareBps: 0, pendingEffectiveAt: 0n });
      // Before the notice is over the change stays pending.
      expect(syncOperatorPool(pool, 0n, { activeSince: 0n, activeUntil: 20n, feeSharePaid: 0n }, 4n).pool.pendingEffectiveAt).to.equal(5n);
    });
  });

  describe("delegations", () => {
    const synced = syncOperatorPool(operatorPool(), REWARD_SCALE / 2n, { activeSince: 0n, activeUntil: 6n, feeSharePaid: 75n }, 10n).pool;

    it("pays delegators emissions and fee share, the operator's own bond emissions only", () => {
      // 0.27 emissions and 0.1 fee share per unit
      expect(settleDelegation(delegation("alice", 500n), synced)).to.include({ emissionsOwed: 135n, feesOwed: 50n });
      expect(settleDelegation(delegation("bob", 250n), synced)).to.include({ emissionsOwed: 67n, feesOwed: 25n });
      expect(settleDelegation(delegation(OPERATOR, 250n), synced)).to.include({ emissionsOwed: 67n, feesOwed: 0n });
      // Paid out: 135 + 67 + 67 + commission 30 = 299 of 300 credited, 1 unit of dust.
    });

    it("settles only what accrued since its checkpoints", () => {
      const once = settleDelegation(delegation("alice", 500n), synced);
      expect(settleDelegation(once, synced)).to.deep.equal(once);
    });

    it("pendingDelegationRewards and pendingCommission release, sync and settle as a claim would", () => {
      // 1000 bound network-wide, all with this operator; 100/s for 10 s from 0: 1 per unit.
      const pool = rewardsPool({ totalBound: 1000n });
      const activity = { activeSince: 0n, activeUntil: 10n, feeSharePaid: 0n };
      const start = operatorPool({ activeUntilSeen: 10n });
      expect(pendingDelegationRewards(start, delegation("alice", 500n), pool, activity, 10n, 10_000n)).to.deep.equal({ emissions: 450n, fees: 0n });
      expect(pendingCommission(start, pool, activity, 10n, 10_000n)).to.deep.equal({ commission: 100n, fees: 0n });
      // Without the vault's balance: assumed to cover the schedule. With 600 in it: 0.6 per unit.
      expect(pendingDelegationRewards(start, delegation("alice", 500n), pool, activity, 10n).emissions).to.equal(450n);
      expect(pendingDelegationRewards(start, delegation("alice", 500n), pool, activity, 10n, 600n).emissions).to.equal(270n);
      const both = releaseAndSync(pool, 10_000n, start, activity, 10n);
      expect(both.rewardsPool).to.include({ released: 1000n, returned: 0n });
    });

    it("releaseAndSync returns the idle part and counts the fee share received", () => {
      const { rewardsPool: after } = releaseAndSync(
        rewardsPool({ totalBound: 1000n }),
        10_000n,
        operatorPool(),
        { activeSince: 0n, activeUntil: 6n, feeSharePaid: 75n },
        10n,
      );
      expect(after).to.include({ released: 1000n, returned: 400n, feeShareReceived: 75n });
    });
  });

  describe("APR", () => {
    it("per delegated unit after commission, and per operator bond with its commission", () => {
      const pool = rewardsPool({ initialRate: 31_709n, halvingPeriod: YEAR, totalBound: 1_000_000_000n });
      const operator = operatorPool({ boundTotal: 1_000_000_000n, selfBound: 250_000_000n });
      const apr = operatorPoolApr(pool, operator, { activeUntil: 100n }, 100n);
      // 999,975.024 MEDIA a year over 1,000 MEDIA bound: 999.975024 per unit; 90% to delegators.
      expect(apr.active).to.equal(true);
      expect(apr.delegator).to.be.closeTo(999.975024 * 0.9, 1e-6);
      // The operator's 250 keeps its own share and 10% of the other 750's: (250 + 75) / 250.
      expect(apr.operator).to.be.closeTo(999.975024 * 1.3, 1e-6);
      expect(operatorPoolApr(pool, operator, { activeUntil: 99n }, 100n)).to.deep.equal({ delegator: 0, operator: 0, active: false });
      expect(operatorPoolApr({ ...pool, totalBound: 0n }, operator, null, 100n).delegator).to.equal(null);
    });
  });
});
