/**
 * The protocol's constants as the tests compute with them (bigint base units, seconds), all
 * derived from the SDK's exports, which come from the interface crates: a test never restates
 * a seed, a default or a bound.
 */
import BN from "bn.js";
import {
  BANDWIDTH_BOUNDS,
  GOVERNANCE_BOUNDS,
  GOVERNANCE_DEFAULTS,
  MAX_PAUSE_DURATION as MAX_PAUSE_DURATION_BIG,
  MEDIA as MEDIA_BN,
  MEDIA_STAKING_IDL,
  STAKING_BOUNDS,
  STAKING_DEFAULTS,
  TREASURY_BOUNDS,
} from "../../sdk/src";

export { BPS, GIB, REWARD_SCALE, TREASURY_MAX_PRICE, TREASURY_PRICE_SCALE } from "../../sdk/src";

/** One MEDIA in base units. */
export const MEDIA = BigInt(MEDIA_BN.toString());
/** One unit of the tests' quote mint in base units (it has MEDIA's 6 decimals). */
export const QUOTE = MEDIA;

/** media_staking's genesis defaults. */
export const MIN_STAKE = BigInt(STAKING_DEFAULTS.minStake.toString());
export const UNBONDING_PERIOD = Number(STAKING_DEFAULTS.unbondingPeriod);
export const REWARD_DURATION = BigInt(STAKING_DEFAULTS.rewardDuration.toString());

/** media_governance's genesis defaults, in seconds. */
export const VOTING_PERIOD = Number(GOVERNANCE_DEFAULTS.votingPeriod);
export const TIMELOCK = Number(GOVERNANCE_DEFAULTS.timelock);
export const EXECUTION_WINDOW = Number(GOVERNANCE_DEFAULTS.executionWindow);

/** The custom code of a media_staking error, from its IDL. */
export function stakingErrorCode(name: string): number {
  const error = MEDIA_STAKING_IDL.errors.find((candidate) => candidate.name === name);
  if (!error) throw new Error(`media_staking has no error ${name}`);
  return error.code;
}

/** `media_core::pause::MAX_PAUSE_DURATION`, in seconds: a pause nobody renews lapses after it. */
export const MAX_PAUSE_DURATION = Number(MAX_PAUSE_DURATION_BIG);

type Bound = readonly [{ toString(): string }, { toString(): string }];
type BigintBounds<T> = { [K in keyof T as T[K] extends Bound ? K : never]: readonly [bigint, bigint] };
/** The `[min, max]` pairs of a generated `*_BOUNDS` table as bigints (single limits are left out). */
function bigintBounds<T extends Record<string, unknown>>(bounds: T): BigintBounds<T> {
  const pairs = Object.entries(bounds).filter((entry): entry is [string, Bound] => Array.isArray(entry[1]));
  const converted = pairs.map(([name, [min, max]]): [string, readonly [bigint, bigint]] => [name, [BigInt(min.toString()), BigInt(max.toString())]]);
  return Object.fromEntries(converted) as BigintBounds<T>;
}

/** The hard bounds of every parameter (the interface crates' `bounds` modules), per program. */
export const BOUNDS = {
  staking: bigintBounds(STAKING_BOUNDS),
  bandwidth: bigintBounds(BANDWIDTH_BOUNDS),
  treasury: bigintBounds(TREASURY_BOUNDS),
  governance: bigintBounds(GOVERNANCE_BOUNDS),
};

/** Seconds in an hour, a day and a week. */
export const HOUR = 3_600;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

/** A whole number as Anchor's raw `methods` take it, for tests that build an instruction by hand. */
export function bn(value: bigint | number): BN {
  return new BN(value.toString());
}
