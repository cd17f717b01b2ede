/**
 * A reference model of the contributor economy (ECONOMY.md, "v2: contributor economy") in exact
 * integer arithmetic: the rewards pool releasing the "Staking and Rewards" allocation on its
 * halving schedule, Edge operators' pools (bound stake, commission and fee share with notice,
 * activity runs proven by settled receipts), delegations bound to them, and the two vaults
 * (emissions, fee share). Written from the spec, not from the programs: the story test and the
 * simulation run every step on-chain and here, and the accounts must agree to the base unit.
 *
 * The pure rules (schedule, release, sync, settle) are the SDK's mirrors (`sdk/src/emissions.ts`),
 * so the model and Media Scan share one implementation; this file adds the bookkeeping around
 * them: who holds what, and which instruction refuses what, in the order the programs check.
 */

import {
  BPS,
  MAX_PAUSE_DURATION,
  type DelegationState as SdkDelegation,
  type OperatorPoolState as SdkOperatorPool,
  type ProviderActivity,
  type RewardsPoolState as SdkRewardsPool,
  earnedBy,
  feeShare,
  releaseAt,
  pendingDelegationRewards,
  settleDelegation,
  syncOperatorPool,
  termsAt,
} from "../../sdk/src";

export type { ProviderActivity };

const BPS_NUMBER = Number(BPS);
const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** The `RewardsPool` as the model keeps it: the SDK's view plus its counters. */
export interface RewardsPoolState extends SdkRewardsPool {
  operators: bigint;
  delegations: bigint;
}

/** An `OperatorPool` as the model keeps it: the SDK's view plus its counters. */
export interface OperatorPoolState extends SdkOperatorPool {
  delegators: bigint;
  commissionClaimed: bigint;
}

/**
 * A `Delegation` as the model keeps it: `owner` and `operator` are position keys (`p3`), so a
 * self-bond is `owner === operator`, as the SDK's settle compares wallets.
 */
export interface DelegationState extends SdkDelegation {
  owner: string;
  operator: string;
  emissionsClaimed: bigint;
  feesClaimed: bigint;
  rebindAfter: bigint;
}

/** A position's key, as delegations name owners and operators. */
export const positionKey = (i: number) => `p${i}`;

// ---------------------------------------------------------------------------------------------
// The world around the rules.

export interface ContributorParams {
  minStake: bigint;
  unbondingPeriod: bigint;
  delegationCap: bigint;
  commissionNotice: bigint;
  activityWindow: bigint;
  initialRate: bigint;
  halvingPeriod: bigint;
}

/** A stake position (one per wallet), as far as delegation sees it. */
export interface PositionState {
  active: bigint;
  unbonding: bigint;
  unbondingEnd: bigint;
  delegated: bigint;
}

/** What the bandwidth `Provider` records of its activity (the fields the chain's account has). */
export interface ProviderState extends ProviderActivity {
  /** Bandwidth's paused seconds up to the last settlement. */
  settledPausedSeconds: bigint;
}

/** An Edge operator: its stake position, its provider's activity and its pool (once opened). */
export interface OperatorState {
  /** The operator's own position. */
  position: number;
  provider: ProviderState;
  /** When its provider last settled (0: never). */
  settledAt: bigint;
  pool?: OperatorPoolState;
}

/** One bandwidth pause: from `start` until `end` (when it was lifted, or will lapse). */
export interface PauseSpan {
  start: bigint;
  end: bigint;
}

/** An instruction's result: the name of the error it is refused with, or undefined when it succeeds. */
export type Outcome = string | undefined;

/** What each position was paid out of the emission vault and out of the fee-share vault. */
export interface Payouts {
  emissions: Map<number, bigint>;
  fees: Map<number, bigint>;
}

export class ContributorModel {
  now = 0n;
  pool: RewardsPoolState;
  emissionVault = 0n;
  feeShareVault = 0n;
  /** MEDIA ever sent to the emission vault (the allocation, and anything sent to it before the model started). */
  funded = 0n;
  positions: PositionState[] = [];
  delegations: (DelegationState | undefined)[] = [];
  operators: OperatorState[] = [];
  /** Bandwidth's pauses, in order. */
  bandwidthPauses: PauseSpan[] = [];
  /** What each position's wallet received from the two vaults, by position. */
  paid: Payouts = { emissions: new Map(), fees: new Map() };
  /** Floors taken so far (each loses less than one base unit): the bound on the books' dust. */
  roundings = 0n;

  constructor(
    readonly params: ContributorParams,
    now: bigint,
    allocation: bigint,
  ) {
    this.now = now;
    this.pool = {
      initialRate: params.initialRate,
      halvingPeriod: params.halvingPeriod,
      scheduleStart: now,
      scheduledBefore: 0n,
      released: 0n,
      releasedAt: now,
      claimed: 0n,
      returned: 0n,
      totalBound: 0n,
      emissionPerStake: 0n,
      feeShareReceived: 0n,
      feeShareClaimed: 0n,
      operators: 0n,
      delegations: 0n,
    };
    this.emissionVault = allocation;
    this.funded = allocation;
  }

  /** Runs `operation` as a transaction: a refusal leaves the whole model as it was. */
  private atomically(operation: () => Outcome): Outcome {
    const saved = structuredClone({
      pool: this.pool,
      emissionVault: this.emissionVault,
      feeShareVault: this.feeShareVault,
      positions: this.positions,
      delegations: this.delegations,
      operators: this.operators,
      paid: this.paid,
    });
    const outcome = operation();
    if (outcome !== undefined) Object.assign(this, saved);
    return outcome;
  }

  /** The operator index whose position is `position`, if any. */
  operatorOf(position: number): number | undefined {
    const index = this.operators.findIndex((operator) => operator.position === position);
    return index < 0 ? undefined : index;
  }

  private releaseNow(): bigint {
    this.roundings += 1n;
    const release = releaseAt(this.pool, this.emissionVault, this.now);
    this.pool = release.pool;
    return release.amount;
  }

  private syncPool(k: number): void {
    const operator = this.operators[k];
    const sync = syncOperatorPool(operator.pool!, this.pool.emissionPerStake, this.activityOf(k), this.now);
    operator.pool = sync.pool;
    this.roundings += 3n;
    this.pool.returned += sync.returned;
    this.pool.feeShareReceived += sync.feeShare;
  }

  /** The operator index of a delegation's `operator` key. */
  operatorIndex(delegation: DelegationState): number {
    return this.operators.findIndex((operator) => positionKey(operator.position) === delegation.operator);
  }

  /** Settles position `i`'s delegation against its (just synced) pool. */
  private settleWith(i: number, k: number): DelegationState {
    this.roundings += 2n;
    const settled = settleDelegation(this.delegations[i]!, this.operators[k].pool!);
    this.delegations[i] = settled;
    return settled;
  }

  /** Sync of position `i`'s delegation's pool, then its settlement. */
  private settle(i: number): DelegationState {
    const k = this.operatorIndex(this.delegations[i]!);
    this.syncPool(k);
    return this.settleWith(i, k);
  }

  // ---- staking positions (the v1 instructions, as far as delegation sees them) ----

  addPosition(): number {
    this.positions.push({ active: 0n, unbonding: 0n, unbondingEnd: 0n, delegated: 0n });
    this.delegations.push(undefined);
    return this.positions.length - 1;
  }

  stake(i: number, amount: bigint): Outcome {
    const position = this.positions[i];
    if (position.active + amount < this.params.minStake) return "StakeBelowMinimum";
    position.active += amount;
    return undefined;
  }

  /** `request_unstake`: never below what is bound to an operator (checked before the amounts, as the program does). */
  requestUnstake(i: number, amount: bigint): Outcome {
    const position = this.positions[i];
    if (amount === 0n) return "ZeroAmount";
    if (amount <= position.active && position.active - amount < position.delegated) return "StakeDelegated";
    if (amount > position.active) return "InsufficientActiveStake";
    const left = position.active - amount;
    if (left !== 0n && left < this.params.minStake) return "StakeBelowMinimum";
    position.active = left;
    position.unbonding += amount;
    position.unbondingEnd = this.now + this.params.unbondingPeriod;
    return undefined;
  }

  // ---- bandwidth: what settle_receipt does to the provider's activity and the fee share ----

  addOperator(position: number): number {
    this.operators.push({ position, provider: { activeSince: 0n, activeUntil: 0n, feeSharePaid: 0n, settledPausedSeconds: 0n }, settledAt: 0n });
    return this.operators.length - 1;
  }

  /** Whether bandwidth is paused now (a pause lapses at its end). */
  bandwidthPaused(): boolean {
    const last = this.bandwidthPauses.at(-1);
    return last !== undefined && this.now < last.end;
  }

  /** Bandwidth's `set_paused` by its authority: starts or renews a pause (it lapses after the maximum), or lifts it. */
  setBandwidthPaused(paused: boolean): void {
    const last = this.bandwidthPauses.at(-1);
    if (paused && last && this.bandwidthPaused()) last.end = this.now + MAX_PAUSE_DURATION;
    else if (paused) this.bandwidthPauses.push({ start: this.now, end: this.now + MAX_PAUSE_DURATION });
    else if (last && this.bandwidthPaused()) last.end = this.now;
  }

  /** Seconds bandwidth was paused up to `t`. */
  private pausedSecondsAt(t: bigint): bigint {
    return this.bandwidthPauses.reduce((sum, { start, end }) => sum + max(0n, min(end, t) - start), 0n);
  }

  /**
   * Operator `k`'s activity as staking reads it now. Nobody settles under a bandwidth pause, so
   * the run must not run out under one: the last pause since the settlement pushes the run's end
   * back by its length so far if it began before that end; earlier ones since the settlement
   * count whole (the program keeps only their total).
   */
  activityOf(k: number): ProviderActivity {
    const { provider, settledAt } = this.operators[k];
    // A pause that starts in the second of the settlement came after it (bandwidth refuses a settlement while paused)
    const since = this.bandwidthPauses.filter(({ start }) => start >= settledAt && start <= this.now);
    const last = since.pop();
    let activeUntil = provider.activeUntil + since.reduce((sum, { start, end }) => sum + (end - start), 0n);
    if (last && last.start <= activeUntil) activeUntil += min(last.end, this.now) - last.start;
    return { activeSince: provider.activeSince, activeUntil, feeSharePaid: provider.feeSharePaid };
  }

  /**
   * A settled MEDIA (or quote) receipt paying the provider `providerPart` (after the protocol
   * fee): the activity run extends; the fee share of a MEDIA receipt goes to the fee vault when
   * someone is delegated. Returns the fee share taken.
   */
  settleReceipt(k: number, providerPart: bigint, isMedia: boolean): bigint {
    if (this.bandwidthPaused()) throw new Error("model: bandwidth refuses settlements while paused");
    const operator = this.operators[k];
    const provider = operator.provider;
    if (this.now > this.activityOf(k).activeUntil) provider.activeSince = this.now;
    provider.activeUntil = this.now + this.params.activityWindow;
    provider.settledPausedSeconds = this.pausedSecondsAt(this.now);
    operator.settledAt = this.now;
    const pool = operator.pool!;
    const fee = feeShare(providerPart, Number(termsAt(pool, this.now).feeShareBps), isMedia, pool.boundTotal - pool.selfBound);
    provider.feeSharePaid += fee;
    this.feeShareVault += fee;
    return fee;
  }

  // ---- the new staking instructions ----

  releaseEmissions(): Outcome {
    this.releaseNow();
    return undefined;
  }

  openOperator(k: number, commissionBps: number, feeShareBps: number): Outcome {
    const operator = this.operators[k];
    if (commissionBps > BPS_NUMBER || feeShareBps > BPS_NUMBER) return "InvalidCommission";
    if (this.positions[operator.position].active < this.params.minStake) return "StakeBelowMinimum";
    if (operator.pool) return "AlreadyInitialized";
    operator.pool = {
      boundTotal: 0n,
      selfBound: 0n,
      delegators: 0n,
      emissionPerStakePaid: this.pool.emissionPerStake,
      rewardPerBound: 0n,
      feePerDelegated: 0n,
      feeShareSeen: operator.provider.feeSharePaid,
      syncedAt: this.now,
      activeUntilSeen: operator.provider.activeUntil,
      commissionBps,
      feeShareBps,
      pendingCommissionBps: 0,
      pendingFeeShareBps: 0,
      pendingEffectiveAt: 0n,
      commissionOwed: 0n,
      operatorFeesOwed: 0n,
      commissionClaimed: 0n,
      emissionsEarned: 0n,
      emissionsReturned: 0n,
    };
    this.pool.operators += 1n;
    return undefined;
  }

  /** The notice a commission change waits: never shorter than unbonding. */
  commissionNotice(): bigint {
    return max(this.params.commissionNotice, this.params.unbondingPeriod);
  }

  setCommission(k: number, commissionBps: number, feeShareBps: number): Outcome {
    return this.atomically(() => {
      if (commissionBps > BPS_NUMBER || feeShareBps > BPS_NUMBER) return "InvalidCommission";
      this.releaseNow();
      this.syncPool(k);
      const pool = this.operators[k].pool!;
      pool.pendingCommissionBps = commissionBps;
      pool.pendingFeeShareBps = feeShareBps;
      pool.pendingEffectiveAt = this.now + this.commissionNotice();
      return undefined;
    });
  }

  /** `delegate` by the owner of position `i` to operator `k`: binds the whole active stake. */
  delegate(i: number, k: number): Outcome {
    return this.atomically(() => {
      const position = this.positions[i];
      const operator = this.operators[k];
      const key = positionKey(operator.position);
      if (position.active < this.params.minStake) return "StakeBelowMinimum";
      let delegation = this.delegations[i];
      if (delegation && this.now < delegation.rebindAfter) return "RebindTooSoon";
      if (delegation && delegation.bound > 0n && delegation.operator !== key) return "AlreadyDelegated";
      const isSelf = operator.position === i;
      const added = position.active - (delegation?.bound ?? 0n);
      if (added === 0n) return "ZeroAmount";
      const { boundTotal, selfBound } = operator.pool!;
      if (!isSelf && boundTotal - selfBound + added > this.params.delegationCap * this.positions[operator.position].active) return "DelegationCapExceeded";
      this.releaseNow();
      this.syncPool(k);
      const pool = operator.pool!;
      if (!delegation) {
        delegation = {
          owner: positionKey(i),
          operator: key,
          bound: 0n,
          rewardPerBoundPaid: 0n,
          feePerDelegatedPaid: 0n,
          emissionsOwed: 0n,
          feesOwed: 0n,
          emissionsClaimed: 0n,
          feesClaimed: 0n,
          rebindAfter: 0n,
        };
        this.delegations[i] = delegation;
      }
      const wasBound = delegation.bound > 0n;
      if (wasBound) delegation = this.settleWith(i, k);
      else {
        delegation.operator = key;
        delegation.rewardPerBoundPaid = pool.rewardPerBound;
        delegation.feePerDelegatedPaid = pool.feePerDelegated;
      }
      delegation.bound += added;
      pool.boundTotal += added;
      if (isSelf) pool.selfBound += added;
      else if (!wasBound) pool.delegators += 1n;
      if (!wasBound) this.pool.delegations += 1n;
      this.pool.totalBound += added;
      position.delegated = delegation.bound;
      return undefined;
    });
  }

  undelegate(i: number): Outcome {
    return this.atomically(() => {
      const delegation = this.delegations[i];
      if (!delegation || delegation.bound === 0n) return "NotDelegated";
      this.releaseNow();
      const settled = this.settle(i);
      const k = this.operatorIndex(settled);
      const pool = this.operators[k].pool!;
      const bound = settled.bound;
      pool.boundTotal -= bound;
      if (this.operators[k].position === i) pool.selfBound -= bound;
      else pool.delegators -= 1n;
      this.pool.totalBound -= bound;
      this.pool.delegations -= 1n;
      settled.bound = 0n;
      settled.rebindAfter = this.now + this.params.unbondingPeriod;
      this.positions[i].delegated = 0n;
      return undefined;
    });
  }

  syncOperatorPool(k: number): Outcome {
    this.releaseNow();
    this.syncPool(k);
    return undefined;
  }

  /** `claim_delegation_rewards`: emissions from the emission vault, fee share from the fee vault. */
  claimDelegationRewards(i: number): Outcome {
    return this.atomically(() => {
      if (!this.delegations[i]) return "AccountNotInitialized";
      this.releaseNow();
      const delegation = this.settle(i);
      const { emissionsOwed: emissions, feesOwed: fees } = delegation;
      if (emissions === 0n && fees === 0n) return "NoRewards";
      this.payOut(i, emissions, fees);
      delegation.emissionsClaimed += emissions;
      delegation.feesClaimed += fees;
      delegation.emissionsOwed = 0n;
      delegation.feesOwed = 0n;
      return undefined;
    });
  }

  /** `claim_commission`: the operator's commission (emission vault) and fees that arrived while nobody was delegated (fee vault). */
  claimCommission(k: number): Outcome {
    return this.atomically(() => {
      this.releaseNow();
      this.syncPool(k);
      const pool = this.operators[k].pool!;
      const { commissionOwed: commission, operatorFeesOwed: fees } = pool;
      if (commission === 0n && fees === 0n) return "NoRewards";
      this.payOut(this.operators[k].position, commission, fees);
      pool.commissionClaimed += commission;
      pool.commissionOwed = 0n;
      pool.operatorFeesOwed = 0n;
      return undefined;
    });
  }

  private payOut(position: number, emissions: bigint, fees: bigint) {
    this.emissionVault -= emissions;
    this.feeShareVault -= fees;
    if (this.emissionVault < 0n || this.feeShareVault < 0n) throw new Error("model: a vault would go negative");
    this.pool.claimed += emissions;
    this.pool.feeShareClaimed += fees;
    this.paid.emissions.set(position, (this.paid.emissions.get(position) ?? 0n) + emissions);
    this.paid.fees.set(position, (this.paid.fees.get(position) ?? 0n) + fees);
  }

  // ---- reads ----

  /**
   * What position `i` could claim if its pool synced now, without changing anything: its owed
   * emissions and fees plus its share of the pool's unsynced accumulator moves.
   */
  pendingRewards(i: number): { emissions: bigint; fees: bigint } {
    const delegation = this.delegations[i];
    if (!delegation) return { emissions: 0n, fees: 0n };
    const operator = this.operators[this.operatorIndex(delegation)];
    return pendingDelegationRewards(operator.pool!, delegation, this.pool, this.activityOf(this.operatorIndex(delegation)), this.now, this.emissionVault);
  }

  /**
   * The pool's books as the invariants see them, without syncing anything: emissions claimable
   * (owed, plus what every pool and delegation has not yet taken from the accumulators) and fee
   * share still to claim.
   */
  books(): { claimableEmissions: bigint; claimableFees: bigint } {
    let claimableEmissions = 0n;
    let claimableFees = 0n;
    for (const operator of this.operators) {
      const pool = operator.pool;
      if (!pool) continue;
      claimableEmissions += pool.commissionOwed + earnedBy(pool.boundTotal, this.pool.emissionPerStake - pool.emissionPerStakePaid);
      claimableFees += pool.operatorFeesOwed + (operator.provider.feeSharePaid - pool.feeShareSeen);
    }
    for (const delegation of this.delegations) {
      if (!delegation) continue;
      const pool = this.operators[this.operatorIndex(delegation)].pool!;
      claimableEmissions += delegation.emissionsOwed + earnedBy(delegation.bound, pool.rewardPerBound - delegation.rewardPerBoundPaid);
      claimableFees += delegation.feesOwed;
      if (delegation.owner !== delegation.operator) claimableFees += earnedBy(delegation.bound, pool.feePerDelegated - delegation.feePerDelegatedPaid);
    }
    return { claimableEmissions, claimableFees };
  }

  /** Every floor the books' dust can come from: those taken so far and those `books()` takes. */
  dustBound(): bigint {
    const reads = this.operators.filter((operator) => operator.pool).length + this.delegations.filter((delegation) => delegation).length;
    return this.roundings + BigInt(reads);
  }

  /**
   * The model's own invariants (the same the chain's accounts must satisfy): the emission vault
   * never negative and equal to funded - claimed; released = claimed + claimable + returned +
   * dust with 0 <= dust <= `dustBound()`; fee vault = fee share paid in - claimed, and what is
   * still claimable never exceeds it.
   */
  checkBooks(where: string): void {
    const fail = (what: string) => {
      throw new Error(`contributor model invariant: ${what} (${where})`);
    };
    const { claimableEmissions, claimableFees } = this.books();
    const dustBound = this.dustBound();
    if (this.emissionVault < 0n) fail("emission vault negative");
    if (this.emissionVault !== this.funded - this.pool.claimed) fail("emission vault != funded - claimed");
    const dust = this.pool.released - this.pool.claimed - claimableEmissions - this.pool.returned;
    if (dust < 0n || dust > dustBound) fail(`released - claimed - claimable - returned = ${dust}, outside [0, ${dustBound}]`);
    const paidIn = this.operators.reduce((sum, operator) => sum + operator.provider.feeSharePaid, 0n);
    if (this.feeShareVault !== paidIn - this.pool.feeShareClaimed) fail("fee vault != fee share paid - claimed");
    if (claimableFees > this.feeShareVault) fail("claimable fee share exceeds the fee vault");
  }
}
