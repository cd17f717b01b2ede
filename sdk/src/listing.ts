/**
 * Listing accounts over `getProgramAccounts` with `memcmp` filters: the filters' offsets come
 * from the IDL's account layouts (fixed-size, `#[repr(C)]` without padding, so Borsh offsets
 * are byte offsets), never restated by hand.
 */
import { type Idl, utils } from "@coral-xyz/anchor";
import type { GetProgramAccountsFilter, PublicKey } from "@solana/web3.js";

type IdlTypeDef = NonNullable<Idl["types"]>[number];
type FieldType = unknown;

const PRIMITIVE_SIZES: Record<string, number> = { bool: 1, u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, u64: 8, i64: 8, u128: 16, i128: 16, pubkey: 32 };

function sizeOf(idl: Idl, type: FieldType): number {
  if (typeof type === "string") {
    const size = PRIMITIVE_SIZES[type];
    if (size === undefined) throw new Error(`${type} has no fixed size in an account layout`);
    return size;
  }
  const t = type as { array?: [FieldType, number]; defined?: { name: string } };
  if (t.array) return sizeOf(idl, t.array[0]) * t.array[1];
  if (t.defined) {
    const def = typeDef(idl, t.defined.name);
    if (def.type.kind === "struct") return ((def.type.fields ?? []) as { type: FieldType }[]).reduce((sum, field) => sum + sizeOf(idl, field.type), 0);
    if (def.type.kind === "enum" && def.type.variants.every((variant) => !variant.fields)) return 1;
  }
  throw new Error(`${JSON.stringify(type)} has no fixed size in an account layout`);
}

function typeDef(idl: Idl, name: string): IdlTypeDef {
  const def = (idl.types ?? []).find((candidate) => candidate.name === name);
  if (!def) throw new Error(`the IDL ${idl.metadata.name} has no type ${name}`);
  return def;
}

/** Byte offset of `field` in an account of type `account` (after its 8-byte discriminator). */
export function accountFieldOffset(idl: Idl, account: string, field: string): number {
  const def = typeDef(idl, account);
  if (def.type.kind !== "struct") throw new Error(`${account} is not a struct`);
  let offset = 8;
  for (const candidate of (def.type.fields ?? []) as { name: string; type: FieldType }[]) {
    if (candidate.name === field) return offset;
    offset += sizeOf(idl, candidate.type);
  }
  throw new Error(`${account} has no field ${field}`);
}

/** A `memcmp` filter matching `value` (an address, a bool or a byte) at `field` of `account`. */
export function fieldFilter(idl: Idl, account: string, field: string, value: PublicKey | boolean | number): GetProgramAccountsFilter {
  const bytes = typeof value === "boolean" ? Uint8Array.of(value ? 1 : 0) : typeof value === "number" ? Uint8Array.of(value) : value.toBytes();
  return { memcmp: { offset: accountFieldOffset(idl, account, field), bytes: utils.bytes.bs58.encode(bytes) } };
}
