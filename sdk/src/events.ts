import { BorshCoder, EventParser, type Idl } from "@coral-xyz/anchor";
import type { PublicKey } from "@solana/web3.js";

/** A decoded event: its camelCase name and fields, as Anchor's client decodes them. */
export interface MediaEvent {
  name: string;
  data: Record<string, unknown>;
}

/**
 * Decodes the events a program logged in a transaction's `logs` (from `getTransaction`'s
 * `meta.logMessages`, or a simulation). `idl` is the program's Anchor IDL.
 */
export function parseEvents(programId: PublicKey, idl: Idl, logs: string[]): MediaEvent[] {
  const parser = new EventParser(programId, new BorshCoder(idl));
  return [...parser.parseLogs(logs)].map((event) => ({ name: event.name, data: event.data as Record<string, unknown> }));
}
