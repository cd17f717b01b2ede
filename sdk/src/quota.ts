/** Bandwidth quota of an active stake: `active * quotaBytesPerMedia / 10^6` bytes per window. */
export function quotaBytes(activeStake: bigint, quotaBytesPerMedia: bigint): bigint {
  return (activeStake * quotaBytesPerMedia) / 1_000_000n;
}
