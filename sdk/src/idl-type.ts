/**
 * The type of a generated IDL as Anchor's TypeScript client sees it. The SDK keeps each IDL
 * once, as the build wrote it (snake_case names, `sdk/src/generated/`); Anchor's `Program`
 * renames it at runtime (`convertIdlToCamelCase`), and {@link CamelCaseIdl} is that renaming at
 * the type level, so `Program<MediaStaking>` types `methods.initializeConfig` and
 * `account.stakingConfig` without a second, camelCase copy. `npm run idl:sync` refuses an IDL
 * with a name this renames differently from Anchor's function.
 */

import type { DecodeType, Idl, IdlTypes } from "@coral-xyz/anchor";

type SnakeToCamel<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<SnakeToCamel<Tail>>}` : S;

/** `SEED_CONFIG` → `seedConfig`, `media_mint` → `mediaMint`, `StakingConfig` → `stakingConfig`. */
export type CamelCaseName<S extends string> =
  S extends Uppercase<S> ? SnakeToCamel<Lowercase<S>> : S extends `${string}_${string}` ? SnakeToCamel<S> : Uncapitalize<S>;

/** The keys whose values Anchor renames. */
type NameKey = "name" | "path" | "account" | "relations" | "generic";

type CamelCaseValue<V> = V extends string ? CamelCaseName<V> : { -readonly [K in keyof V]: V[K] extends string ? CamelCaseName<V[K]> : V[K] };

/** A `const` IDL, writable and with Anchor's camelCase names. */
export type CamelCaseIdl<T> = T extends string | number | boolean
  ? T
  : { -readonly [K in keyof T]: K extends NameKey ? CamelCaseValue<T[K]> : CamelCaseIdl<T[K]> };

/**
 * The arguments of instruction `N` of the (camelCase) IDL type `I`, by name, as Anchor's client
 * takes them: an SDK type for an instruction's arguments is this, never a hand-written copy.
 */
export type InstructionArgs<I extends Idl, N extends I["instructions"][number]["name"]> = {
  [A in Extract<I["instructions"][number], { name: N }>["args"][number] as A["name"]]: DecodeType<A["type"], IdlTypes<I>>;
};
