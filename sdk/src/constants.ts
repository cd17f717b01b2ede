import { PublicKey } from "@solana/web3.js";
import BN from "bn.js";
import { MEDIA_BANDWIDTH_IDL } from "./generated/media_bandwidth";
import { MEDIA_GOVERNANCE_IDL } from "./generated/media_governance";
import { MEDIA_STAKING_IDL } from "./generated/media_staking";
import { MEDIA_TREASURY_IDL } from "./generated/media_treasury";

/**
 * Program ids: the `address` of each generated IDL, which the build takes from the program's
 * `declare_id!` (`npm run keys:sync` changes them, `npm run keys:check` checks them against
 * `Anchor.toml`). The SDK keeps no copy of its own.
 */
export const MEDIA_STAKING_PROGRAM_ID = new PublicKey(MEDIA_STAKING_IDL.address);
export const MEDIA_BANDWIDTH_PROGRAM_ID = new PublicKey(MEDIA_BANDWIDTH_IDL.address);
export const MEDIA_TREASURY_PROGRAM_ID = new PublicKey(MEDIA_TREASURY_IDL.address);
export const MEDIA_GOVERNANCE_PROGRAM_ID = new PublicKey(MEDIA_GOVERNANCE_IDL.address);

/** The four programs by crate name (the name of their `.so` and IDL), in deploy order. */
export const MEDIA_PROGRAMS: readonly { name: string; programId: PublicKey }[] = [
  { name: "media_staking", programId: MEDIA_STAKING_PROGRAM_ID },
  { name: "media_bandwidth", programId: MEDIA_BANDWIDTH_PROGRAM_ID },
  { name: "media_treasury", programId: MEDIA_TREASURY_PROGRAM_ID },
  { name: "media_governance", programId: MEDIA_GOVERNANCE_PROGRAM_ID },
];

/** MEDIA has 6 decimals: one MEDIA is 1,000,000 base units. */
export const MEDIA_DECIMALS = 6;
export const MEDIA = new BN(1_000_000);

/** Converts a decimal MEDIA amount ("24.999999") to base units, exactly (no floats). */
export function mediaToBaseUnits(amount: string | number): BN {
  const text = typeof amount === "number" ? amount.toFixed(MEDIA_DECIMALS) : amount.trim();
  const match = /^(\d+)(?:\.(\d{0,6}))?$/.exec(text);
  if (!match) throw new Error(`"${amount}" is not a MEDIA amount with at most ${MEDIA_DECIMALS} decimals`);
  return new BN(match[1]).mul(MEDIA).add(new BN((match[2] ?? "").padEnd(MEDIA_DECIMALS, "0")));
}

/** The staking defaults of the spec (ECONOMY.md), used by genesis. */
export const STAKING_DEFAULTS = {
  minStake: new BN(25).mul(MEDIA),
  unbondingPeriod: new BN(7 * 24 * 60 * 60),
  quotaBytesPerMedia: new BN(1).shln(30),
  /** Seconds over which funded rewards stream out to stakers. */
  rewardDuration: new BN(7 * 24 * 60 * 60),
} as const;

/** PDA seeds of media_staking. */
export const STAKING_SEEDS = {
  config: Buffer.from("config"),
  vault: Buffer.from("vault"),
  stake: Buffer.from("stake"),
} as const;
