/**
 * Staking rewards as the program computes them (`programs/media_staking/src/rewards.rs`), for
 * clients that show pending rewards, the reward rate and APR without sending a transaction.
 *
 * New rewards (funded, or fees paid straight into the staking vault) stream out linearly over
 * `rewardDuration`; what has streamed is spread over the active stake through the accumulator
 * `rewardPerStake` (rewards per staked base unit, scaled by `REWARD_SCALE`). While nothing is
 * staked nothing streams and the period end moves with the clock. Every division rounds down.
 */
import type BN from "bn.js";
import { STAKING_CONSTANTS } from "./generated/media_staking";

/** Scale of the staking reward accumulator and of reward rates. */
export const REWARD_SCALE = BigInt(STAKING_CONSTANTS.rewardScale.toString());
/** Seconds in a (365-day) year, for APR. */
export const SECONDS_PER_YEAR = 365n * 24n * 60n * 60n;

type Num = BN | bigint | number;
const big = (value: Num): bigint => BigInt(value.toString());

/** The reward fields of a decoded `StakingConfig`. */
export interface RewardConfig {
  totalActive: Num;
  rewardPerStake: Num;
  unstreamedRewards: Num;
  rewardPeriodEnd: Num;
  rewardUpdatedAt: Num;
}

/** The reward fields of a decoded `StakeAccount`. */
export interface RewardPosition {
  active: Num;
  rewardPerStakePaid: Num;
  rewardsOwed: Num;
}

/** The stream brought up to `now`, as the next staking instruction at `now` would. */
export interface RewardStream {
  /** `rewardPerStake` at `now`. */
  rewardPerStake: bigint;
  /** Rewards still to stream after `now`. */
  unstreamed: bigint;
  /** When they will have streamed (later if the pool stays empty). */
  periodEnd: bigint;
  /** Rewards per second from `now` on, scaled by `REWARD_SCALE` (0 once the period is over). */
  rewardRate: bigint;
}

/**
 * The reward stream at unix time `now`: the on-chain `update` applied to `config`. (Tokens
 * that arrived in the vault since the last staking instruction are not in it yet: the next
 * instruction that holds the vault folds them in and restarts the period.)
 */
export function rewardStreamAt(config: RewardConfig, now: Num): RewardStream {
  const at = big(now);
  const last = big(config.rewardUpdatedAt);
  let acc = big(config.rewardPerStake);
  let unstreamed = big(config.unstreamedRewards);
  let end = big(config.rewardPeriodEnd);
  const totalActive = big(config.totalActive);
  if (at > last && unstreamed > 0n) {
    if (totalActive === 0n) {
      end = (end > last ? end : last) + (at - last);
    } else {
      const streamed = at >= end ? unstreamed : (unstreamed * (at - last)) / (end - last);
      unstreamed -= streamed;
      acc += (streamed * REWARD_SCALE) / totalActive;
    }
  }
  const from = at > last ? at : last;
  const rewardRate = unstreamed > 0n && end > from ? (unstreamed * REWARD_SCALE) / (end - from) : 0n;
  return { rewardPerStake: acc, unstreamed, periodEnd: end, rewardRate };
}

/** Rewards `claim_rewards` would pay `position` at unix time `now`. */
export function claimableRewards(config: RewardConfig, position: RewardPosition, now: Num): bigint {
  const { rewardPerStake } = rewardStreamAt(config, now);
  return big(position.rewardsOwed) + (big(position.active) * (rewardPerStake - big(position.rewardPerStakePaid))) / REWARD_SCALE;
}

/**
 * Staking APR at unix time `now`, as a fraction (0.12 = 12%): the current reward rate over a
 * year, divided by the active stake (`rewardRate * SECONDS_PER_YEAR / REWARD_SCALE /
 * totalActive`). Null while nothing is staked.
 */
export function stakingApr(config: RewardConfig, now: Num): number | null {
  const totalActive = big(config.totalActive);
  if (totalActive === 0n) return null;
  const { rewardRate } = rewardStreamAt(config, now);
  // Parts per billion keep the float conversion exact enough for display.
  return Number((rewardRate * SECONDS_PER_YEAR * 1_000_000_000n) / (REWARD_SCALE * totalActive)) / 1e9;
}
