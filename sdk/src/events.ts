import { BorshCoder, EventParser, type Idl } from "@coral-xyz/anchor";
import type { Connection, Context, Logs, PublicKey } from "@solana/web3.js";
import { toBigints } from "./bigint";
import { MEDIA_BANDWIDTH_IDL, type MediaBandwidth } from "./generated/media_bandwidth";
import { MEDIA_GOVERNANCE_IDL, type MediaGovernance } from "./generated/media_governance";
import { MEDIA_STAKING_IDL, type MediaStaking } from "./generated/media_staking";
import { MEDIA_TREASURY_IDL, type MediaTreasury } from "./generated/media_treasury";
import type { MediaProgramIds } from "./programs";
import { type MediaTransactionEvent, leavesFieldsToInstruction, parseTransactionEvents } from "./transaction-events";

/**
 * A decoded event: its camelCase name (`rewardsClaimed`) and fields (`unbondingEnd`), as
 * Anchor's `Program` names them, every integer field a bigint (decimal when printed).
 */
export interface MediaEvent {
  name: string;
  data: Record<string, unknown>;
}

/** The name of an event any of the four programs emits, camelCase (`staked`, `receiptSettled`, ...). */
export type MediaEventName =
  | MediaStaking["events"][number]["name"]
  | MediaBandwidth["events"][number]["name"]
  | MediaTreasury["events"][number]["name"]
  | MediaGovernance["events"][number]["name"];

/** An event with where it came from, as `MediaEconomy.onEvent` and `MediaEconomy.parseEvents` deliver it. */
export interface MediaEventInContext extends MediaEvent {
  /** The program that emitted it: `staking`, `bandwidth`, `treasury` or `governance`. */
  program: keyof MediaProgramIds;
  /** The transaction's signature (empty when decoding logs without one). */
  signature: string;
  /** The slot it was seen at (0 when unknown). */
  slot: number;
}

const SNAKE = /_([a-z0-9])/g;

/**
 * A name as Anchor's client renames it (the runtime twin of `CamelCaseName`):
 * `SEED_CONFIG` → `seedConfig`, `unbonding_end` → `unbondingEnd`, `RewardsClaimed` → `rewardsClaimed`.
 */
export function camelCaseName(name: string): string {
  if (name === name.toUpperCase() && /[A-Z]/.test(name)) return name.toLowerCase().replace(SNAKE, (_, c: string) => c.toUpperCase());
  if (name.includes("_")) return name.replace(SNAKE, (_, c: string) => c.toUpperCase());
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** `staked` → `Staked`: an event's name as the IDL spells it (the inverse of `camelCaseName` for events). */
export function pascalCaseName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** `value` with every plain object's keys camelCased (see `camelCaseName`), however deep. */
export function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [camelCaseName(key), camelKeys(inner)]));
  }
  return value;
}

/**
 * Decodes the events a program logged in a transaction's `logs` (from `getTransaction`'s
 * `meta.logMessages`, a simulation, or a logs subscription). `idl` is the program's Anchor IDL,
 * in either form (as the build wrote it, or a `Program`'s camelCase `idl`): names come out
 * camelCase either way, and integers as bigint. Fields an event leaves to its instruction (who
 * staked, the amount asked for) are not in the logs: `parseTransactionEvents` adds them.
 */
export function parseEvents(programId: PublicKey, idl: Idl, logs: string[]): MediaEvent[] {
  const parser = new EventParser(programId, new BorshCoder(idl));
  return [...parser.parseLogs(logs)].map((event) => ({
    name: camelCaseName(event.name),
    data: toBigints(camelKeys(event.data)) as Record<string, unknown>,
  }));
}

/** The four programs' Anchor IDLs, as the build wrote them, by program. */
export const MEDIA_IDLS: Readonly<Record<keyof MediaProgramIds, Idl>> = {
  staking: MEDIA_STAKING_IDL as unknown as Idl,
  bandwidth: MEDIA_BANDWIDTH_IDL as unknown as Idl,
  treasury: MEDIA_TREASURY_IDL as unknown as Idl,
  governance: MEDIA_GOVERNANCE_IDL as unknown as Idl,
};

/** Every event name each program can emit (camelCase), to check a subscription's name against. */
export function mediaEventNames(): Record<keyof MediaProgramIds, string[]> {
  const names = {} as Record<keyof MediaProgramIds, string[]>;
  for (const [program, idl] of Object.entries(MEDIA_IDLS) as [keyof MediaProgramIds, Idl][])
    names[program] = (idl.events ?? []).map((e) => camelCaseName(e.name));
  return names;
}

/**
 * The events of the four programs (at `programIds`) in a transaction's `logs`, program by
 * program (staking, bandwidth, treasury, governance), each program's in the order logged.
 */
export function parseMediaEvents(programIds: MediaProgramIds, logs: string[], context: { signature?: string; slot?: number } = {}): MediaEventInContext[] {
  return (Object.keys(MEDIA_IDLS) as (keyof MediaProgramIds)[]).flatMap((program) =>
    parseEvents(programIds[program], MEDIA_IDLS[program], logs).map((event) => ({
      ...event,
      program,
      signature: context.signature ?? "",
      slot: context.slot ?? 0,
    })),
  );
}

/** Stops a subscription made by `subscribeMediaEvents` (or `MediaEconomy.onEvent`). */
export type Unsubscribe = () => Promise<void>;

/** How `subscribeMediaEvents` (and `MediaEconomy.onEvent`) deliver events. */
export interface SubscribeOptions {
  /**
   * Deliver every event whole, as `parseTransactionEvents` reads it: an event that leaves
   * fields to its instruction (`EVENT_FIELDS_FROM_INSTRUCTION`) is delivered once its
   * transaction is fetched ("confirmed"), so later than its logs and possibly after events of
   * later transactions. If the node still has no record of the transaction after a few tries,
   * the event is delivered as logged.
   */
  whole?: boolean;
}

/** How long `whole` delivery waits for a node to return a transaction it notified. */
const WHOLE_FETCH_TRIES = 10;
const WHOLE_FETCH_PAUSE_MS = 200;

/**
 * Calls `callback` with every event named `name` (camelCase, e.g. `receiptSettled`; `"*"` for
 * all) that the four programs at `programIds` emit in successful transactions, over
 * `connection.onLogs` (the `logsSubscribe` RPC method, one subscription per program, each on
 * the transactions that mention it). Failed transactions emit nothing. Returns the function
 * that unsubscribes. Events come as logged unless `options.whole`: the fields an event leaves
 * to its instruction (see `EVENT_FIELDS_FROM_INSTRUCTION`) need the transaction.
 */
export function subscribeMediaEvents(
  connection: Connection,
  programIds: MediaProgramIds,
  name: MediaEventName | "*",
  callback: (event: MediaEventInContext) => void,
  options: SubscribeOptions = {},
): Unsubscribe {
  const known = mediaEventNames();
  if (name !== "*" && !Object.values(known).some((names) => names.includes(name))) {
    throw new Error(`no MEDIA program emits an event "${name}": use one of ${Object.values(known).flat().join(", ")}, or "*"`);
  }
  if (typeof connection.onLogs !== "function") {
    throw new Error(
      "this provider's connection has no logs subscription (onLogs): connect to an RPC endpoint with a WebSocket, or read events with parseEvents",
    );
  }
  const wanted = (event: MediaEvent) => name === "*" || event.name === name;
  // A transaction still being fetched for `whole` delivers nothing once unsubscribed.
  let subscribed = true;
  const ids = (Object.keys(MEDIA_IDLS) as (keyof MediaProgramIds)[]).map((program) =>
    connection.onLogs(
      programIds[program],
      (logs: Logs, context: Context) => {
        if (logs.err) return;
        const logged = parseEvents(programIds[program], MEDIA_IDLS[program], logs.logs)
          .filter(wanted)
          .map((event) => ({ ...event, program, signature: logs.signature, slot: context.slot }));
        const incomplete = options.whole && logged.some((event) => leavesFieldsToInstruction(program, pascalCaseName(event.name)));
        if (!incomplete) {
          for (const event of logged) callback(event);
          return;
        }
        void wholeEvents(connection, programIds, logs.signature).then((whole) => {
          if (!subscribed) return;
          const delivered = whole?.filter((event) => event.program === program && wanted(event));
          for (const event of delivered ?? logged) callback(event);
        });
      },
      "confirmed",
    ),
  );
  return async () => {
    subscribed = false;
    await Promise.all(ids.map((id) => connection.removeOnLogsListener(id)));
  };
}

/** The events of `signature` read whole, or undefined if the node never returns it. */
async function wholeEvents(connection: Connection, programIds: MediaProgramIds, signature: string): Promise<MediaTransactionEvent[] | undefined> {
  for (let attempt = 1; attempt <= WHOLE_FETCH_TRIES; attempt++) {
    const transaction = await connection.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 }).catch(() => null);
    if (transaction) return parseTransactionEvents(programIds, transaction);
    await new Promise((resolve) => setTimeout(resolve, WHOLE_FETCH_PAUSE_MS));
  }
  return undefined;
}
