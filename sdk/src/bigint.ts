/**
 * bigint at the SDK's boundary. Anchor decodes `u64`/`i64` (and wider) fields as `BN`; the SDK
 * hands every decoded account and event out with those fields as `bigint` ({@link Bigints},
 * {@link toBigints}), so a dApp never meets `BN`, compares with `===`, and prints decimals.
 */
import type { PublicKey } from "@solana/web3.js";
import BN from "bn.js";

/** `T` with every `BN` (however deep, in arrays and nested structs) replaced by `To`. */
type ReplaceBN<T, To> = T extends BN
  ? To
  : T extends PublicKey | Uint8Array | string | number | boolean | bigint | null | undefined
    ? T
    : T extends readonly (infer U)[]
      ? ReplaceBN<U, To>[]
      : T extends object
        ? { [K in keyof T]: ReplaceBN<T[K], To> }
        : T;

/** `T` with every `BN` (however deep, in arrays and nested structs) as `bigint`. */
export type Bigints<T> = ReplaceBN<T, bigint>;

/** `T` with every `BN` widened to `BN | bigint`: what the SDK's pure helpers accept. */
export type AnyInts<T> = ReplaceBN<T, BN | bigint>;

/** `value` with every `BN` in it converted to `bigint` (a new object; keys and other values kept). */
export function toBigints<T>(value: T): Bigints<T> {
  return convert(value) as Bigints<T>;
}

function convert(value: unknown): unknown {
  if (BN.isBN(value)) return BigInt((value as BN).toString());
  if (Array.isArray(value)) return value.map(convert);
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, convert(inner)]));
  }
  return value;
}

/** A whole number the SDK takes as an amount, a count or a time: bigint (or a safe-integer number). */
export type Int = bigint | number;
