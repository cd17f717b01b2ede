/**
 * Every config's pause switch (`PauseState` in the IDLs): a program is paused while the clock
 * is before `pausedUntil`. A pause lapses on its own after the on-chain `MAX_PAUSE_DURATION`
 * unless the config authority renews it, so "paused" is always a question about a time.
 */
import type { IdlTypes } from "@coral-xyz/anchor";
import type { AnyInts } from "./bigint";
import { type MediaStaking, STAKING_CONSTANTS } from "./generated/media_staking";

/** A config's `pause` field as Anchor decodes it (the same type in every IDL). */
export type PauseState = AnyInts<IdlTypes<MediaStaking>["pauseState"]>;

/**
 * `media_core::pause::MAX_PAUSE_DURATION`, in seconds: a pause nobody renews lapses after it
 * (every program's IDL carries the same value; one of them is enough).
 */
export const MAX_PAUSE_DURATION = BigInt(STAKING_CONSTANTS.maxPauseDuration.toString());

/** Whether a program whose config holds `pause` is paused at unix time `now`. */
export function isPausedAt(pause: PauseState, now: bigint | number): boolean {
  return BigInt(now) < BigInt(pause.pausedUntil.toString());
}

/**
 * Total seconds a program whose config holds `pause` has been paused up to unix time `now`
 * (the on-chain `PauseState::paused_seconds`).
 */
export function pausedSeconds(pause: PauseState, now: bigint | number): bigint {
  const until = BigInt(pause.pausedUntil.toString());
  const end = BigInt(now) < until ? BigInt(now) : until;
  const current = end - BigInt(pause.pausedSince.toString());
  return BigInt(pause.pausedBefore.toString()) + (current > 0n ? current : 0n);
}

/**
 * Seconds of `[from, now]` during which the program was not paused, given
 * `pausedAtFrom = pausedSeconds(pause, from)` recorded at `from` (the on-chain
 * `PauseState::unpaused_seconds_since`).
 */
export function unpausedSecondsSince(pause: PauseState, from: bigint | number, pausedAtFrom: bigint | number, now: bigint | number): bigint {
  const unpaused = BigInt(now) - BigInt(from) - (pausedSeconds(pause, now) - BigInt(pausedAtFrom));
  return unpaused > 0n ? unpaused : 0n;
}
