/**
 * Decodes the MEDIA events of one transaction from its logs and invocations, with where each
 * came from: the top-level instruction that ran it and its position among the transaction's
 * events, so a transaction indexed twice yields the same keys.
 */
import { PublicKey } from "@solana/web3.js";
import BN from "bn.js";
import {
  type Invocation,
  type MediaProgramIds,
  completeEvent,
  decodeInvocation,
  leavesFieldsToInstruction,
  mediaCoder,
  mediaEventLines,
  pascalCaseName,
} from "../sdk/src";

export type ProgramName = keyof MediaProgramIds;
export const PROGRAM_NAMES: readonly ProgramName[] = ["staking", "bandwidth", "treasury", "governance"];

/** JSON-safe event fields: keys base58, integers decimal strings, enums their variant name, byte arrays hex. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface DecodedEvent {
  program: ProgramName;
  /** The top-level instruction (0-based) during which the event was logged. */
  instructionIndex: number;
  /** The event's position among the transaction's MEDIA events (0-based). */
  eventIndex: number;
  /** As the IDL names it: `ReceiptSettled`. */
  name: string;
  /** Fields as the IDL names them (snake_case). */
  data: Record<string, JsonValue>;
}

/** Plain JSON of a decoded field; an enum (`{ for: {} }`) becomes its variant name. */
export function jsonOf(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (BN.isBN(value)) return (value as BN).toString(10);
  if (typeof value === "bigint") return value.toString(10);
  if (value instanceof PublicKey) return value.toBase58();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === "number" && Number.isInteger(item) && item >= 0 && item < 256))
      return Buffer.from(value as number[]).toString("hex");
    return value.map(jsonOf);
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    const isEnum = entries.length === 1 && entries[0][1] !== null && typeof entries[0][1] === "object" && Object.keys(entries[0][1] as object).length === 0;
    if (isEnum) return entries[0][0];
    // Anchor's coder camel-cases some paths and not others; store the IDL's snake_case.
    return Object.fromEntries(entries.map(([key, inner]) => [key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`), jsonOf(inner)]));
  }
  return value as JsonValue;
}

/** A decoder for the four programs at `programIds`. */
export class MediaEventDecoder {
  constructor(readonly programIds: MediaProgramIds) {}

  /**
   * The MEDIA events in a successful transaction, in the order logged: its `logs`
   * (`meta.logMessages`) and, to make each event whole (the fields it leaves to its
   * instruction, see the SDK's `EVENT_FIELDS_FROM_INSTRUCTION`), its `invocations`.
   */
  decode(logs: readonly string[], invocations: readonly Invocation[] = []): DecodedEvent[] {
    const events: DecodedEvent[] = [];
    for (const line of mediaEventLines(this.programIds, { logs, invocations })) {
      const decoded = mediaCoder(line.program).events.decode(line.payload);
      if (!decoded) continue;
      const name = pascalCaseName(decoded.name);
      // Only an event that leaves fields to its instruction needs the instruction decoded.
      const instruction = leavesFieldsToInstruction(line.program, name) && line.invocation && decodeInvocation(line.program, line.invocation);
      events.push({
        program: line.program,
        instructionIndex: line.instructionIndex,
        eventIndex: events.length,
        name,
        data: jsonOf(completeEvent(line.program, name, decoded.data as Record<string, unknown>, instruction || undefined)) as Record<string, JsonValue>,
      });
    }
    return events;
  }
}
