import type { PublicKey } from "@solana/web3.js";
import { MEDIA_BANDWIDTH_PROGRAM_ID } from "./generated/media_bandwidth";
import { MEDIA_GOVERNANCE_PROGRAM_ID } from "./generated/media_governance";
import { MEDIA_STAKING_PROGRAM_ID, STAKING_CONSTANTS } from "./generated/media_staking";
import { MEDIA_TREASURY_PROGRAM_ID } from "./generated/media_treasury";

/**
 * Program ids, seeds, defaults and bounds come from the generated modules
 * (`sdk/src/generated/`; re-exported here for media_staking and the program ids, by
 * `bandwidth.ts`, `treasury.ts` and `governance.ts` for the others), which `npm run idl:sync` writes from the IDLs the build derives from
 * the interface crates: the same Rust constants the programs are built from. A program id is
 * its IDL's `address`, taken from the program's `declare_id!` (`npm run keys:sync` changes
 * them, `npm run keys:check` checks them against `Anchor.toml`). The SDK keeps no copy of its own.
 */
export {
  MEDIA_STAKING_PROGRAM_ID,
  STAKING_BOUNDS,
  STAKING_CONSTANTS,
  STAKING_DEFAULTS,
  STAKING_SEEDS,
} from "./generated/media_staking";
export { MEDIA_BANDWIDTH_PROGRAM_ID } from "./generated/media_bandwidth";
export { MEDIA_TREASURY_PROGRAM_ID } from "./generated/media_treasury";
export { MEDIA_GOVERNANCE_PROGRAM_ID } from "./generated/media_governance";

/** The four programs by crate name (the name of their `.so` and IDL), in deploy order. */
export const MEDIA_PROGRAMS: readonly { name: string; programId: PublicKey }[] = [
  { name: "media_staking", programId: MEDIA_STAKING_PROGRAM_ID },
  { name: "media_bandwidth", programId: MEDIA_BANDWIDTH_PROGRAM_ID },
  { name: "media_treasury", programId: MEDIA_TREASURY_PROGRAM_ID },
  { name: "media_governance", programId: MEDIA_GOVERNANCE_PROGRAM_ID },
];

/** One MEDIA in base units. */
export const MEDIA: bigint = STAKING_CONSTANTS.media;
/** MEDIA's decimals: one MEDIA is 10^decimals base units. */
export const MEDIA_DECIMALS = MEDIA.toString().length - 1;

/** Converts a decimal MEDIA amount ("24.999999") to base units, exactly (no floats). */
export function mediaToBaseUnits(amount: string | number): bigint {
  const text = typeof amount === "number" ? amount.toFixed(MEDIA_DECIMALS) : amount.trim();
  const match = new RegExp(`^(\\d+)(?:\\.(\\d{0,${MEDIA_DECIMALS}}))?$`).exec(text);
  if (!match) throw new Error(`"${amount}" is not a MEDIA amount with at most ${MEDIA_DECIMALS} decimals`);
  return BigInt(match[1]) * MEDIA + BigInt((match[2] ?? "").padEnd(MEDIA_DECIMALS, "0"));
}

/** Formats base units as a decimal MEDIA amount ("24.999999"), exactly. */
export function mediaFromBaseUnits(amount: bigint): string {
  const sign = amount < 0n ? "-" : "";
  const abs = amount < 0n ? -amount : amount;
  const fraction = (abs % MEDIA).toString().padStart(MEDIA_DECIMALS, "0").replace(/0+$/, "");
  return `${sign}${abs / MEDIA}${fraction ? `.${fraction}` : ""}`;
}

/** A whole number as a bigint (a generated constant, a decoded field, a number). */
export function bigintOf(value: bigint | number | { toString(): string }): bigint {
  return typeof value === "bigint" ? value : BigInt(value.toString());
}
