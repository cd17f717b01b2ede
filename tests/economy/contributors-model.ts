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

import { BPS, REWARD_SCALE } from "../utils/constants";

// ---------------------------------------------------------------------------------------------
// The pure rules of the spec.

/** Base units the schedule releases over `elapsed` seconds from its start: `rate` halving every `halving`. */
export function scheduledBy(rate: bigint, halving: bigint, elapsed: bigint): bigint {
  if (elapsed <= 0n || halving <= 0n) return 0n;
  const periods = elapsed / halving;
  let total = 0n;
  for (let i = 0n; i < periods && i < 64n; i++) total += (rate >> i) * halving;
  return total + (periods < 64n ? (rate >> periods) * (elapsed % halving) : 0n);
}

/** Rewards earned by `amount` while an accumulator moved by `delta` (scaled by REWARD_SCALE), rounded down. */
export const earned = (amount: bigint, delta: bigint): bigint => (amount * delta) / REWARD_SCALE;

const min = (...values: bigint[]) => values.reduce((a, b) => (b < a ? b : a));
const max = (...values: bigint[]) => values.reduce((a, b) => (b > a ? b : a));
/** Length of the intersection of [a, b] and [c, d] (0 when they do not meet). */
const overlap = (a: bigint, b: bigint, c: bigint, d: bigint) => max(0n, min(b, d) - max(a, c));

export interface RewardsPoolState {
  initialRate: bigint;
  halvingPeriod: bigint;
  scheduleStart: bigint;
  scheduledBefore: bigint;
  released: bigint;
  releasedAt: bigint;
  claimed: bigint;
  returned: bigint;
  totalBound: bigint;
  emissionPerStake: bigint;
  feeShareReceived: bigint;
  feeShareClaimed: bigint;
  operators: bigint;
  delegations: bigint;
}

/** What the pool's schedule has released by unix time `t`, earlier schedules included. */
export const scheduledAt = (pool: RewardsPoolState, t: bigint): bigint =>
  pool.scheduledBefore + scheduledBy(pool.initialRate, pool.halvingPeriod, t - pool.scheduleStart);

/**
 * `release`: what the schedule made due since the last release, at most what the vault holds
 * beyond what it owes, spread over all bound stake (or returned when nothing is bound).
 * Returns the amount released.
 */
export function release(pool: RewardsPoolState, vaultAmount: bigint, now: bigint): bigint {
  if (now <= pool.releasedAt) return 0n;
  const due = scheduledAt(pool, now) - scheduledAt(pool, pool.releasedAt);
  const owed = pool.released - pool.claimed - pool.returned;
  const amount = min(due, max(0n, vaultAmount - owed));
  if (pool.totalBound === 0n) pool.returned += amount;
  else pool.emissionPerStake += (amount * REWARD_SCALE) / pool.totalBound;
  pool.released += amount;
  pool.releasedAt = now;
  return amount;
}

export interface OperatorPoolState {
  boundTotal: bigint;
  selfBound: bigint;
  delegators: bigint;
  emissionPerStakePaid: bigint;
  rewardPerBound: bigint;
  feePerDelegated: bigint;
  feeShareSeen: bigint;
  syncedAt: bigint;
  activeUntilSeen: bigint;
  commissionBps: bigint;
  feeShareBps: bigint;
  pendingCommissionBps: bigint;
  pendingFeeShareBps: bigint;
  pendingEffectiveAt: bigint;
  commissionOwed: bigint;
  operatorFeesOwed: bigint;
  commissionClaimed: bigint;
  emissionsEarned: bigint;
  emissionsReturned: bigint;
}

/** The bandwidth provider's activity, as `settle_receipt` keeps it. */
export interface ProviderActivity {
  activeSince: bigint;
  activeUntil: bigint;
  feeSharePaid: bigint;
}

/** (commission, fee share) in bps in effect at `t`: the pending change once its notice ran. */
export function termsAt(pool: OperatorPoolState, t: bigint): [bigint, bigint] {
  if (pool.pendingEffectiveAt !== 0n && t >= pool.pendingEffectiveAt) return [pool.pendingCommissionBps, pool.pendingFeeShareBps];
  return [pool.commissionBps, pool.feeShareBps];
}

/** What one `sync` did, for the rewards pool's totals. */
export interface SyncResult {
  gross: bigint;
  active: bigint;
  returned: bigint;
  commission: bigint;
  newFee: bigint;
}

/**
 * `sync`: the operator pool's share of the accumulator since its last sync, credited for the
 * time its provider was active (the rest returned), commission taken at the terms in effect at
 * the last sync, fee share spread over delegated stake; a pending change applies once due.
 */
export function syncOperator(pool: OperatorPoolState, emissionPerStake: bigint, provider: ProviderActivity, now: bigint): SyncResult {
  const s0 = pool.syncedAt;
  const gross = earned(pool.boundTotal, emissionPerStake - pool.emissionPerStakePaid);
  let credited = overlap(s0, now, provider.activeSince, provider.activeUntil);
  // A new run started after the last sync: the run known then counts up to where it ended, never more.
  if (provider.activeSince > s0) credited += max(0n, min(pool.activeUntilSeen, provider.activeSince, now) - s0);
  const span = now - s0;
  const active = span === 0n ? (provider.activeUntil >= now ? gross : 0n) : (gross * credited) / span;
  const returned = gross - active;
  const [commissionBps] = termsAt(pool, s0);
  const commission = (active * commissionBps) / BPS;
  if (pool.boundTotal > 0n) pool.rewardPerBound += ((active - commission) * REWARD_SCALE) / pool.boundTotal;
  pool.commissionOwed += commission;
  pool.emissionsEarned += active;
  pool.emissionsReturned += returned;
  const newFee = provider.feeSharePaid - pool.feeShareSeen;
  const delegated = pool.boundTotal - pool.selfBound;
  if (delegated > 0n) pool.feePerDelegated += (newFee * REWARD_SCALE) / delegated;
  else pool.operatorFeesOwed += newFee;
  pool.feeShareSeen = provider.feeSharePaid;
  if (pool.pendingEffectiveAt !== 0n && now >= pool.pendingEffectiveAt) {
    pool.commissionBps = pool.pendingCommissionBps;
    pool.feeShareBps = pool.pendingFeeShareBps;
    pool.pendingCommissionBps = 0n;
    pool.pendingFeeShareBps = 0n;
    pool.pendingEffectiveAt = 0n;
  }
  pool.syncedAt = now;
  pool.activeUntilSeen = provider.activeUntil;
  pool.emissionPerStakePaid = emissionPerStake;
  return { gross, active, returned, commission, newFee };
}

export interface DelegationState {
  /** Index of the operator last bound (kept after undelegate); -1 before the first bind. */
  operator: number;
  bound: bigint;
  rewardPerBoundPaid: bigint;
  feePerDelegatedPaid: bigint;
  emissionsOwed: bigint;
  feesOwed: bigint;
  emissionsClaimed: bigint;
  feesClaimed: bigint;
  rebindAfter: bigint;
}

/** Settles a delegation against its (synced) pool; a self-bond never earns fee share. */
export function settleDelegation(delegation: DelegationState, pool: OperatorPoolState, isSelfBond: boolean): void {
  delegation.emissionsOwed += earned(delegation.bound, pool.rewardPerBound - delegation.rewardPerBoundPaid);
  if (!isSelfBond) delegation.feesOwed += earned(delegation.bound, pool.feePerDelegated - delegation.feePerDelegatedPaid);
  delegation.rewardPerBoundPaid = pool.rewardPerBound;
  delegation.feePerDelegatedPaid = pool.feePerDelegated;
}

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

/** A stake position (one per wallet). */
export interface PositionState {
  active: bigint;
  unbonding: bigint;
  unbondingEnd: bigint;
  delegated: bigint;
}

/** An Edge operator: its stake position, its provider's activity and its pool (once opened). */
export interface OperatorState {
  /** The operator's own position. */
  position: number;
  provider: ProviderActivity;
  pool?: OperatorPoolState;
}

export type Outcome = string | undefined;

/** Fee-share vault and emission vault balances, and what has been paid out of them to whom. */
export interface Payouts {
  emissions: Map<number, bigint>;
  fees: Map<number, bigint>;
}

export class ContributorModel {
  now = 0n;
  pool: RewardsPoolState;
  emissionVault = 0n;
  feeShareVault = 0n;
  /** MEDIA ever sent to the emission vault (the allocation and any top-up). */
  funded = 0n;
  positions: PositionState[] = [];
  delegations: (DelegationState | undefined)[] = [];
  operators: OperatorState[] = [];
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
    return release(this.pool, this.emissionVault, this.now);
  }

  private syncPool(k: number): SyncResult {
    const operator = this.operators[k];
    const pool = operator.pool!;
    const result = syncOperator(pool, this.pool.emissionPerStake, operator.provider, this.now);
    this.roundings += 3n;
    this.pool.returned += result.returned;
    this.pool.feeShareReceived += result.newFee;
    return result;
  }

  /** Sync of `delegation`'s pool, then its settlement. */
  private settle(position: number): DelegationState {
    const delegation = this.delegations[position]!;
    const k = delegation.operator;
    this.syncPool(k);
    this.roundings += 2n;
    settleDelegation(delegation, this.operators[k].pool!, this.operators[k].position === position);
    return delegation;
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

  /** `request_unstake`: never below what is bound to an operator. */
  requestUnstake(i: number, amount: bigint): Outcome {
    const position = this.positions[i];
    if (amount > position.active) return "InsufficientActiveStake";
    const left = position.active - amount;
    if (left !== 0n && left < this.params.minStake) return "StakeBelowMinimum";
    if (left < position.delegated) return "StakeDelegated";
    position.active = left;
    position.unbonding += amount;
    position.unbondingEnd = this.now + this.params.unbondingPeriod;
    return undefined;
  }

  // ---- bandwidth: what settle_receipt does to the provider's activity and the fee share ----

  addOperator(position: number): number {
    this.operators.push({ position, provider: { activeSince: 0n, activeUntil: 0n, feeSharePaid: 0n } });
    return this.operators.length - 1;
  }

  /**
   * A settled MEDIA (or quote) receipt paying the provider `providerPart` (after the protocol
   * fee): the activity run extends; the fee share of a MEDIA receipt goes to the fee vault when
   * someone is delegated. Returns the fee share taken.
   */
  settleReceipt(k: number, providerPart: bigint, isMedia: boolean): bigint {
    const operator = this.operators[k];
    const provider = operator.provider;
    if (this.now > provider.activeUntil) provider.activeSince = this.now;
    provider.activeUntil = this.now + this.params.activityWindow;
    const pool = operator.pool!;
    const delegated = pool.boundTotal - pool.selfBound;
    if (!isMedia || delegated === 0n) return 0n;
    const fee = (providerPart * termsAt(pool, this.now)[1]) / BPS;
    provider.feeSharePaid += fee;
    this.feeShareVault += fee;
    return fee;
  }

  /** The stake a settlement's quota counts for operator `k`: its own plus delegated, capped. */
  quotaStake(k: number): bigint {
    const operator = this.operators[k];
    const own = this.positions[operator.position].active;
    const pool = operator.pool;
    const delegated = pool ? pool.boundTotal - pool.selfBound : 0n;
    return own + min(delegated, this.params.delegationCap * own);
  }

  // ---- the new staking instructions ----

  /** MEDIA sent to the emission vault by anyone: simply available to later releases. */
  topUp(amount: bigint): void {
    this.emissionVault += amount;
    this.funded += amount;
  }

  releaseEmissions(): Outcome {
    this.releaseNow();
    return undefined;
  }

  openOperator(k: number, commissionBps: bigint, feeShareBps: bigint): Outcome {
    const operator = this.operators[k];
    if (commissionBps > BPS || feeShareBps > BPS) return "InvalidCommission";
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
      pendingCommissionBps: 0n,
      pendingFeeShareBps: 0n,
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

  setCommission(k: number, commissionBps: bigint, feeShareBps: bigint): Outcome {
    return this.atomically(() => {
      if (commissionBps > BPS || feeShareBps > BPS) return "InvalidCommission";
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
      const pool = operator.pool!;
      if (position.active < this.params.minStake) return "StakeBelowMinimum";
      let delegation = this.delegations[i];
      if (delegation && this.now < delegation.rebindAfter) return "RebindTooSoon";
      if (delegation && delegation.bound > 0n && delegation.operator !== k) return "AlreadyDelegated";
      const isSelf = operator.position === i;
      const added = position.active - (delegation?.bound ?? 0n);
      if (!isSelf && pool.boundTotal - pool.selfBound + added > this.params.delegationCap * this.positions[operator.position].active)
        return "DelegationCapExceeded";
      this.releaseNow();
      this.syncPool(k);
      if (!delegation) {
        delegation = {
          operator: k,
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
      this.roundings += 2n;
      if (wasBound) settleDelegation(delegation, pool, isSelf);
      else {
        delegation.operator = k;
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
      this.settle(i);
      const k = delegation.operator;
      const pool = this.operators[k].pool!;
      const bound = delegation.bound;
      pool.boundTotal -= bound;
      if (this.operators[k].position === i) pool.selfBound -= bound;
      else pool.delegators -= 1n;
      this.pool.totalBound -= bound;
      this.pool.delegations -= 1n;
      delegation.bound = 0n;
      delegation.rebindAfter = this.now + this.params.unbondingPeriod;
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
      const delegation = this.delegations[i];
      if (!delegation) return "AccountNotInitialized";
      this.releaseNow();
      this.settle(i);
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

  /** `set_emission_schedule`: releases up to now under the old schedule, then re-anchors. */
  setEmissionSchedule(initialRate: bigint, halvingPeriod: bigint): Outcome {
    this.releaseNow();
    this.pool.scheduledBefore = scheduledAt(this.pool, this.now);
    this.pool.scheduleStart = this.now;
    this.pool.initialRate = initialRate;
    this.pool.halvingPeriod = halvingPeriod;
    return undefined;
  }

  // ---- reads ----

  /**
   * What position `i` could claim if its pool synced now, without changing anything: its owed
   * emissions and fees plus its share of the pool's unsynced accumulator moves.
   */
  pendingRewards(i: number): { emissions: bigint; fees: bigint } {
    const delegation = this.delegations[i];
    if (!delegation) return { emissions: 0n, fees: 0n };
    const operator = this.operators[delegation.operator];
    const rewardsPool = structuredClone(this.pool);
    release(rewardsPool, this.emissionVault, this.now);
    const pool = structuredClone(operator.pool!);
    syncOperator(pool, rewardsPool.emissionPerStake, operator.provider, this.now);
    const settled = structuredClone(delegation);
    settleDelegation(settled, pool, operator.position === i);
    return { emissions: settled.emissionsOwed, fees: settled.feesOwed };
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
      claimableEmissions += pool.commissionOwed + earned(pool.boundTotal, this.pool.emissionPerStake - pool.emissionPerStakePaid);
      claimableFees += pool.operatorFeesOwed + (operator.provider.feeSharePaid - pool.feeShareSeen);
    }
    for (const [i, delegation] of this.delegations.entries()) {
      if (!delegation) continue;
      const operator = this.operators[delegation.operator];
      const pool = operator.pool!;
      claimableEmissions += delegation.emissionsOwed + earned(delegation.bound, pool.rewardPerBound - delegation.rewardPerBoundPaid);
      claimableFees += delegation.feesOwed;
      if (operator.position !== i) claimableFees += earned(delegation.bound, pool.feePerDelegated - delegation.feePerDelegatedPaid);
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
