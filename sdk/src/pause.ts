/**
 * Every config's pause switch (`PauseState` in the IDLs): a program is paused while the clock
 * is before `pausedUntil`. A pause lapses on its own after the on-chain `MAX_PAUSE_DURATION`
 * unless the config authority renews it, so "paused" is always a question about a time.
 */
import type BN from "bn.js";

/** A config's `pause` field as Anchor decodes it. */
export interface PauseState {
  pausedUntil: BN;
  pausedSince: BN;
  pausedBefore: BN;
}

/** Whether a program whose config holds `pause` is paused at unix time `now`. */
export function isPausedAt(pause: PauseState, now: bigint | number): boolean {
  return BigInt(now) < BigInt(pause.pausedUntil.toString());
}
