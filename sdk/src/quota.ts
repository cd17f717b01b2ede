import { STAKING_CONSTANTS } from "./generated/media_staking";

const MEDIA = BigInt(STAKING_CONSTANTS.media.toString());

/** Bandwidth quota of an active stake: `active * quotaBytesPerMedia / MEDIA` bytes per window. */
export function quotaBytes(activeStake: bigint, quotaBytesPerMedia: bigint): bigint {
  return (activeStake * quotaBytesPerMedia) / MEDIA;
}
