/**
 * The contributor economy's emissions as media_staking computes them
 * (`media_staking_interface::emissions`), in exact bigint arithmetic: the halving schedule, the
 * release of the "Staking and Rewards" allocation into the level-1 accumulator, the lazy sync of
 * an operator's pool (activity, commission, fee share) into the level-2 accumulators, and the
 * settlement of a delegation. The SDK's reads, Media Scan and the economy's reference model use
 * these functions, so one rule lives in one place on each side of the wire.
 *
 * Every division rounds down, as on chain; every function is pure and returns new objects.
 * Field names are those of the decoded accounts (`economy.staking.rewardsPool()` and friends).
 */
import { STAKING_CONSTANTS } from "./generated/media_staking";
import { REWARD_SCALE, SECONDS_PER_YEAR } from "./rewards";

/** Basis points in a whole (commission and fee share are in basis points). */
const BPS = BigInt(STAKING_CONSTANTS.bps);

/** What the emission schedule reads from the `RewardsPool`. */
export interface EmissionSchedule {
  /** Base units per second at `scheduleStart`; halves every `halvingPeriod`. */
  initialRate: bigint;
  halvingPeriod: bigint;
  /** Start of the current schedule (re-anchored when governance changes it). */
  scheduleStart: bigint;
  /** What earlier schedules had scheduled up to `scheduleStart`. */
  scheduledBefore: bigint;
}

/** The `RewardsPool` fields the release and the syncs change or read. */
export interface RewardsPoolState extends EmissionSchedule {
  released: bigint;
  releasedAt: bigint;
  claimed: bigint;
  returned: bigint;
  totalBound: bigint;
  /** Released per bound base unit since genesis, scaled by `REWARD_SCALE` (level 1). */
  emissionPerStake: bigint;
  feeShareReceived: bigint;
  feeShareClaimed: bigint;
}

/** The bandwidth `Provider`'s activity, as the operator's settlements record it. */
export interface ProviderActivity {
  /** Start of the current activity run. */
  activeSince: bigint;
  /** Last settlement plus the bandwidth config's activity window. */
  activeUntil: bigint;
  /** MEDIA paid into staking's fee-share vault for this provider's delegators, ever. */
  feeSharePaid: bigint;
}

/** The `OperatorPool` fields the sync changes or reads. */
export interface OperatorPoolState {
  boundTotal: bigint;
  selfBound: bigint;
  emissionPerStakePaid: bigint;
  /** Emissions per bound unit after commission, scaled by `REWARD_SCALE` (level 2). */
  rewardPerBound: bigint;
  /** Fee share per delegated (not self-bonded) unit, scaled by `REWARD_SCALE` (level 2). */
  feePerDelegated: bigint;
  feeShareSeen: bigint;
  syncedAt: bigint;
  activeUntilSeen: bigint;
  commissionBps: number;
  feeShareBps: number;
  pendingCommissionBps: number;
  pendingFeeShareBps: number;
  /** 0 while no change is pending. */
  pendingEffectiveAt: bigint;
  commissionOwed: bigint;
  operatorFeesOwed: bigint;
  emissionsEarned: bigint;
  emissionsReturned: bigint;
}

/** The `Delegation` fields a settlement changes or reads. */
export interface DelegationState {
  /** Wallets, as `PublicKey` or base58 (compared by their base58). */
  owner: { toString(): string };
  operator: { toString(): string };
  bound: bigint;
  rewardPerBoundPaid: bigint;
  feePerDelegatedPaid: bigint;
  emissionsOwed: bigint;
  feesOwed: bigint;
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);
/** Length of `[from, to]`, 0 when empty. */
const span = (from: bigint, to: bigint) => (to > from ? to - from : 0n);

/** What `bound` stake earned while an accumulator (scaled by `REWARD_SCALE`) moved by `delta` (`rewards::earned`). */
export function earnedBy(bound: bigint, delta: bigint): bigint {
  return (bound * delta) / REWARD_SCALE;
}

/**
 * Base units a schedule starting at `rate` per second, halving every `halving` seconds, has
 * scheduled `elapsed` seconds after its start: `Σ_{i<k} (rate >> i) * halving + (rate >> k) *
 * (elapsed % halving)` with `k = elapsed / halving` (terms from the 64th halving on are 0).
 */
export function scheduledBy(rate: bigint, halving: bigint, elapsed: bigint): bigint {
  if (elapsed <= 0n || halving <= 0n) return 0n;
  const periods = elapsed / halving;
  const whole = periods < 64n ? periods : 64n;
  let total = 0n;
  for (let i = 0n; i < whole; i += 1n) total += (rate >> i) * halving;
  if (periods < 64n) total += (rate >> periods) * (elapsed % halving);
  return total;
}

/** Everything the pool's schedules have scheduled by unix time `t` (`scheduled_before` plus the current schedule). */
export function scheduledAt(schedule: EmissionSchedule, t: bigint): bigint {
  return schedule.scheduledBefore + scheduledBy(schedule.initialRate, schedule.halvingPeriod, t - schedule.scheduleStart);
}

/** The emission rate (base units per second) at unix time `t`: `initial_rate >> k`, `k` the halvings since the schedule's start. */
export function emissionRateAt(schedule: EmissionSchedule, t: bigint): bigint {
  const elapsed = t > schedule.scheduleStart ? t - schedule.scheduleStart : 0n;
  const halvings = schedule.halvingPeriod > 0n ? elapsed / schedule.halvingPeriod : 0n;
  return halvings < 64n ? schedule.initialRate >> halvings : 0n;
}

/** What the emission vault owes: released and neither claimed nor returned. */
export function emissionsOwed(pool: Pick<RewardsPoolState, "released" | "claimed" | "returned">): bigint {
  return pool.released - pool.claimed - pool.returned;
}

/** A release: the pool after it, and what it released (into the accumulator, or straight back as returned). */
export interface Release<P> {
  pool: P;
  amount: bigint;
  /** Whether the amount was returned because no stake was bound. */
  returned: boolean;
}

/**
 * `release(pool, vault_amount, now)`: moves what the schedule made due since `releasedAt` into
 * the level-1 accumulator, never more than the vault holds beyond what it owes (a shortfall is
 * not carried over). While nothing is bound the amount is returned: it stays in the vault.
 *
 * @param vaultAmount the emission vault's token balance.
 */
export function releaseAt<P extends RewardsPoolState>(pool: P, vaultAmount: bigint, now: bigint): Release<P> {
  if (now <= pool.releasedAt) return { pool, amount: 0n, returned: false };
  const due = scheduledAt(pool, now) - scheduledAt(pool, pool.releasedAt);
  const available = max(vaultAmount - emissionsOwed(pool), 0n);
  const amount = min(due, available);
  const next = { ...pool, released: pool.released + amount, releasedAt: now };
  if (pool.totalBound === 0n) return { pool: { ...next, returned: pool.returned + amount }, amount, returned: true };
  return { pool: { ...next, emissionPerStake: pool.emissionPerStake + (amount * REWARD_SCALE) / pool.totalBound }, amount, returned: false };
}

/** The commission and fee share (basis points) in effect at unix time `t`: the pending terms once their notice is over. */
export function termsAt(pool: OperatorPoolState, t: bigint): { commissionBps: bigint; feeShareBps: bigint } {
  if (pool.pendingEffectiveAt !== 0n && t >= pool.pendingEffectiveAt) {
    return { commissionBps: BigInt(pool.pendingCommissionBps), feeShareBps: BigInt(pool.pendingFeeShareBps) };
  }
  return { commissionBps: BigInt(pool.commissionBps), feeShareBps: BigInt(pool.feeShareBps) };
}

/**
 * Seconds of `[syncedAt, now]` the operator is credited as active: its overlap with the current
 * run `[activeSince, activeUntil]`, plus, when a new run started after the last sync, the part
 * of the run known then (up to `activeUntilSeen`), never more.
 */
export function creditedActivity(syncedAt: bigint, activeUntilSeen: bigint, activity: ProviderActivity, now: bigint): bigint {
  let credited = span(max(syncedAt, activity.activeSince), min(now, activity.activeUntil));
  if (activity.activeSince > syncedAt) credited += span(syncedAt, min(min(activeUntilSeen, activity.activeSince), now));
  return credited;
}

/** A sync's result: the pool after it and the figures the program adds to the `RewardsPool` and its events. */
export interface OperatorSync<O> {
  pool: O;
  /** Emissions the pool's stake earned since the last sync, before the activity split. */
  gross: bigint;
  /** The part earned while active (credited to the pool). */
  active: bigint;
  /** The idle part, returned to the rewards pool. */
  returned: bigint;
  /** The operator's commission on `active`. */
  commission: bigint;
  /** Fee share that arrived since the last sync. */
  feeShare: bigint;
}

/**
 * `sync(pool, emission_per_stake, provider_activity, now)`: credits the operator pool with what
 * its bound stake earned at level 1 since the last sync, split by activity (the idle part is
 * returned), less commission at the terms in effect at the last sync; spreads the fee share that
 * arrived over the delegated stake (or owes it to the operator when nobody is delegated); then
 * applies a pending change whose notice is over.
 */
export function syncOperatorPool<O extends OperatorPoolState>(pool: O, emissionPerStake: bigint, activity: ProviderActivity, now: bigint): OperatorSync<O> {
  const s0 = pool.syncedAt;
  const gross = earnedBy(pool.boundTotal, emissionPerStake - pool.emissionPerStakePaid);
  const elapsed = now - s0;
  const credited = min(creditedActivity(s0, pool.activeUntilSeen, activity, now), elapsed > 0n ? elapsed : 0n);
  let active: bigint;
  if (elapsed <= 0n) active = activity.activeUntil >= now ? gross : 0n;
  else active = (gross * credited) / elapsed;
  const returned = gross - active;
  const { commissionBps } = termsAt(pool, s0);
  const commission = (active * commissionBps) / BPS;
  const next: O = {
    ...pool,
    commissionOwed: pool.commissionOwed + commission,
    emissionsEarned: pool.emissionsEarned + active,
    emissionsReturned: pool.emissionsReturned + returned,
  };
  if (gross > 0n) next.rewardPerBound = pool.rewardPerBound + ((active - commission) * REWARD_SCALE) / pool.boundTotal;
  const feeShare = activity.feeSharePaid - pool.feeShareSeen;
  const delegated = pool.boundTotal - pool.selfBound;
  if (delegated > 0n) next.feePerDelegated = pool.feePerDelegated + (feeShare * REWARD_SCALE) / delegated;
  else next.operatorFeesOwed = pool.operatorFeesOwed + feeShare;
  next.feeShareSeen = activity.feeSharePaid;
  if (pool.pendingEffectiveAt !== 0n && now >= pool.pendingEffectiveAt) {
    next.commissionBps = pool.pendingCommissionBps;
    next.feeShareBps = pool.pendingFeeShareBps;
    next.pendingCommissionBps = 0;
    next.pendingFeeShareBps = 0;
    next.pendingEffectiveAt = 0n;
  }
  next.syncedAt = now;
  next.activeUntilSeen = activity.activeUntil;
  next.emissionPerStakePaid = emissionPerStake;
  return { pool: next, gross, active, returned, commission, feeShare };
}

/** A release of the rewards pool then a sync of one operator pool, as every instruction holding both does them. */
export function releaseAndSync<P extends RewardsPoolState, O extends OperatorPoolState>(
  rewardsPool: P,
  emissionVaultAmount: bigint,
  operatorPool: O,
  activity: ProviderActivity,
  now: bigint,
): { rewardsPool: P; operatorPool: O; release: Release<P>; sync: OperatorSync<O> } {
  const release = releaseAt(rewardsPool, emissionVaultAmount, now);
  const sync = syncOperatorPool(operatorPool, release.pool.emissionPerStake, activity, now);
  const after = {
    ...release.pool,
    returned: release.pool.returned + sync.returned,
    feeShareReceived: release.pool.feeShareReceived + sync.feeShare,
  };
  return { rewardsPool: after, operatorPool: sync.pool, release, sync };
}

const sameKey = (a: DelegationState["owner"], b: DelegationState["operator"]) => String(a) === String(b);

/**
 * Settles a delegation against its (just synced) operator pool: emissions on its bound stake,
 * and fee share unless it is the operator's own position (a self-bond never earns fee share);
 * both checkpoints move to the pool's current values.
 */
export function settleDelegation<D extends DelegationState>(delegation: D, pool: Pick<OperatorPoolState, "rewardPerBound" | "feePerDelegated">): D {
  const self = sameKey(delegation.owner, delegation.operator);
  return {
    ...delegation,
    emissionsOwed: delegation.emissionsOwed + earnedBy(delegation.bound, pool.rewardPerBound - delegation.rewardPerBoundPaid),
    feesOwed: self ? delegation.feesOwed : delegation.feesOwed + earnedBy(delegation.bound, pool.feePerDelegated - delegation.feePerDelegatedPaid),
    rewardPerBoundPaid: pool.rewardPerBound,
    feePerDelegatedPaid: pool.feePerDelegated,
  };
}

/** What a claim would pay. */
export interface PendingRewards {
  /** Emissions, paid from the emission vault. */
  emissions: bigint;
  /** Fee share, paid from the fee-share vault. */
  fees: bigint;
}

/**
 * What `claim_delegation_rewards` would pay `delegation` at unix time `now`: the release, the
 * sync of its operator's pool and its settlement, applied to the accounts as read.
 *
 * @param emissionVaultAmount the emission vault's balance: a release never exceeds what the vault
 *   holds beyond what it owes. Omitted, the vault is taken to cover the schedule.
 */
export function pendingDelegationRewards(
  pool: OperatorPoolState,
  delegation: DelegationState,
  rewardsPool: RewardsPoolState,
  provider: ProviderActivity,
  now: bigint,
  emissionVaultAmount?: bigint,
): PendingRewards {
  const vault = emissionVaultAmount ?? coveringVault(rewardsPool, now);
  const { operatorPool } = releaseAndSync(rewardsPool, vault, pool, provider, now);
  const settled = settleDelegation(delegation, operatorPool);
  return { emissions: settled.emissionsOwed, fees: settled.feesOwed };
}

/**
 * What `claim_commission` would pay the operator at unix time `now`: its commission (emission
 * vault) and the fee share that arrived while nobody was delegated (fee-share vault).
 */
export function pendingCommission(
  pool: OperatorPoolState,
  rewardsPool: RewardsPoolState,
  provider: ProviderActivity,
  now: bigint,
  emissionVaultAmount?: bigint,
): { commission: bigint; fees: bigint } {
  const vault = emissionVaultAmount ?? coveringVault(rewardsPool, now);
  const { operatorPool } = releaseAndSync(rewardsPool, vault, pool, provider, now);
  return { commission: operatorPool.commissionOwed, fees: operatorPool.operatorFeesOwed };
}

/** A vault balance that covers everything due at `now` (for callers that did not read the vault). */
function coveringVault(pool: RewardsPoolState, now: bigint): bigint {
  return emissionsOwed(pool) + scheduledAt(pool, now) - scheduledAt(pool, pool.releasedAt);
}

/** A fraction as a float, through parts per billion (exact enough for display). */
const ratio = (numerator: bigint, denominator: bigint) => Number((numerator * 1_000_000_000n) / denominator) / 1e9;

/**
 * Emission APRs of one operator's pool at unix time `now` at the current emission rate, as
 * fractions (0.12 = 12%), under the terms in effect at `now`: every bound unit network-wide
 * earns `rate * SECONDS_PER_YEAR / totalBound` a year while its operator is active.
 *
 * - `delegator`: what a delegated unit earns after commission (fee share not included: it
 *   follows traffic, not a rate).
 * - `operator`: what the operator's own bond earns, its commission on the delegated stake
 *   included: `(selfBound + commission * delegated) / selfBound` times the unit rate.
 *
 * Both are 0 while the operator is idle at `now` (`activeUntil < now`: its share returns to the
 * pool) and null while nothing is bound network-wide (or, for `operator`, the operator has no
 * bond of its own).
 */
export function operatorPoolApr(
  rewardsPool: Pick<RewardsPoolState, keyof EmissionSchedule | "totalBound">,
  pool: OperatorPoolState,
  provider: Pick<ProviderActivity, "activeUntil"> | null,
  now: bigint,
): { delegator: number | null; operator: number | null; active: boolean } {
  const active = provider !== null && provider.activeUntil >= now;
  if (rewardsPool.totalBound === 0n) return { delegator: null, operator: null, active };
  const yearly = active ? emissionRateAt(rewardsPool, now) * SECONDS_PER_YEAR : 0n;
  const { commissionBps } = termsAt(pool, now);
  const delegator = ratio(yearly * (BPS - commissionBps), BPS * rewardsPool.totalBound);
  const delegated = pool.boundTotal - pool.selfBound;
  const operator =
    pool.selfBound === 0n ? null : ratio(yearly * (pool.selfBound * BPS + commissionBps * delegated), BPS * rewardsPool.totalBound * pool.selfBound);
  return { delegator, operator, active };
}
