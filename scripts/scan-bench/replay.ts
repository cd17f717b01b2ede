/**
 * Synthetic history for the scan bench, made of real transactions: one recorded transaction of
 * the scripted economy per kind (its logs, as `getTransaction` returned them) is copied with a
 * fresh signature, a new slot and block time, and its wallets and accounts swapped for those of
 * a larger generated network (the 32 key bytes rewritten inside each encoded event, and in its
 * invocations' accounts and data), then goes
 * through the indexer's own decode and write path (`Indexer.ingest`).
 */
import { randomBytes } from "node:crypto";
import { utils } from "@coral-xyz/anchor";
import type { Connection } from "@solana/web3.js";
import type { ScanDatabase } from "../../scan/database";
import { MediaEventDecoder, type ProgramName } from "../../scan/decode";
import type { SourceTransaction } from "../../scan/indexer";
import { type MediaProgramIds, transactionInvocations } from "../../sdk/src";
import type { Role } from "./economy";

type Kind = Role["kind"];
const KINDS: readonly Kind[] = ["operator", "provider", "consumer", "escrow"];

/** A recorded transaction and which of its keys play which part. */
export interface Template {
  /** `ReceiptSettled/operator`: its first event, and who paid its fee. */
  key: string;
  program: ProgramName;
  source: SourceTransaction;
  events: number;
  /** The recorded key of each part it names (base58 and bytes). */
  parts: Partial<Record<Kind, { base58: string; bytes: Buffer }>>;
  feePayer: Kind | undefined;
}

/**
 * One transaction of each kind (first event and fee payer), the one with the fewest events, and
 * every genesis transaction, read back from the RPC by the signatures the catch-up indexed into `db`.
 */
export async function recordTemplates(
  connection: Connection,
  db: ScanDatabase,
  roles: Map<string, Role>,
  programIds: MediaProgramIds,
): Promise<Map<string, Template>> {
  const rows = await db.query<{ signature: string; program: string; name: string; fee_payer: string | null; events: number }>(`
    select e.signature, e.program, e.name, t.fee_payer, t.event_count as events
    from events e join transactions t on t.signature = e.signature
    where e.event_index = 0 order by e.name, t.fee_payer, t.event_count, e.slot`);
  const decoder = new MediaEventDecoder(programIds);
  const templates = new Map<string, Template>();
  for (const row of rows) {
    const feePayer = row.fee_payer ? roles.get(row.fee_payer)?.kind : undefined;
    // Every transaction of whoever ran genesis (no part in the economy) is kept: configs and parameters.
    const key = feePayer ? `${row.name}/${feePayer}` : `${row.name}/genesis/${row.signature}`;
    if (templates.has(key)) continue;
    const transaction = await connection.getTransaction(row.signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    if (!transaction?.meta?.logMessages) throw new Error(`the localnet no longer returns ${row.signature}`);
    const source: SourceTransaction = {
      signature: row.signature,
      slot: transaction.slot,
      blockTime: transaction.blockTime ?? null,
      failed: false,
      feePayer: row.fee_payer,
      logs: transaction.meta.logMessages,
      invocations: transactionInvocations(transaction),
    };
    const parts: Template["parts"] = {};
    const named = [row.fee_payer, ...decoder.decode(source.logs, source.invocations).flatMap((event) => Object.values(event.data))];
    for (const value of named) {
      const role = typeof value === "string" ? roles.get(value) : undefined;
      if (!role || parts[role.kind]) continue;
      parts[role.kind] = { base58: value as string, bytes: Buffer.from(utils.bytes.bs58.decode(value as string)) };
    }
    templates.set(key, { key, program: row.program as ProgramName, source, events: Number(row.events), parts, feePayer });
  }
  return templates;
}

/** Keys of one generated participant set: whatever parts a template names. */
type Keys = Partial<Record<Kind, Buffer>>;

interface Planned {
  time: number;
  template: Template;
  keys: Keys;
}

export interface WorldShape {
  events: number;
  providers: number;
  escrows: number;
  consumers: number;
  receipts: number;
  days: number;
}

/** 2026-01-01T00:00:00Z: where the generated history starts. */
const START = 1_767_225_600;
const DAY = 86_400;
const SLOT_SECONDS = 0.4;

/** A small seeded generator, so every run builds the same network. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function template(templates: Map<string, Template>, key: string): Template {
  const found = templates.get(key);
  if (!found) throw new Error(`the scripted economy recorded no ${key} transaction (recorded: ${[...templates.keys()].join(", ")})`);
  return found;
}

/**
 * A network of about `events` events over `days` days: providers (one per 2,000 events) stake
 * and register in the first half, a twentieth of them raise their price later; escrows (one per
 * 40 events, a hundredth opened and funded by their provider's operator) open after their
 * provider registered, consumers holding one or two; a fee burn a day; the rest are receipts
 * from escrows already open, at uniform times (so older escrows settle more).
 */
export function planHistory(templates: Map<string, Template>, events: number, days = 180, seed = 19): { plan: Planned[]; shape: WorldShape } {
  const random = seeded(seed);
  const span = days * DAY;
  const plan: Planned[] = [];
  let planned = 0;
  const add = (time: number, key: string, keys: Keys) => {
    const chosen = template(templates, key);
    plan.push({ time: Math.floor(time), template: chosen, keys });
    planned += chosen.events;
  };
  // What genesis logged (configs, parameters), once, before anything else.
  for (const recorded of templates.values()) if (recorded.feePayer === undefined) add(START - DAY, recorded.key, {});
  const providerCount = Math.max(4, Math.ceil(events / 2000));
  const providers = Array.from({ length: providerCount }, (_, i) => ({
    operator: randomBytes(32),
    provider: randomBytes(32),
    registered: i < 4 ? START + i * 600 : START + random() * span * 0.5,
  }));
  for (const provider of providers) {
    const keys = { operator: provider.operator, provider: provider.provider };
    add(provider.registered - 120, "Staked/operator", keys);
    // Registration opens the operator's pool in the same transaction: OperatorOpened is its first event.
    add(provider.registered, "OperatorOpened/operator", keys);
    if (random() < 0.05) add(provider.registered + random() * (START + span - provider.registered), "ProviderUpdated/operator", keys);
  }
  const escrowCount = Math.max(8, Math.ceil(events / 40));
  const consumerCount = Math.ceil(escrowCount * 0.8);
  const consumers = Array.from({ length: consumerCount }, () => randomBytes(32));
  const escrows: { opened: number; keys: Keys }[] = [];
  for (let i = 0; i < escrowCount; i++) {
    const provider = providers[Math.floor(random() * providers.length)];
    const consumer = consumers[i < consumerCount ? i : Math.floor(random() * consumerCount)];
    const opened = provider.registered + 3600 + random() * (START + span - provider.registered - 3600);
    const keys = { operator: provider.operator, provider: provider.provider, consumer, escrow: randomBytes(32) };
    const payer = random() < 0.01 ? "operator" : "consumer";
    add(opened, `EscrowOpened/${payer}`, keys);
    add(opened + 30, `EscrowFunded/${payer}`, keys);
    escrows.push({ opened: opened + 30, keys });
  }
  escrows.sort((a, b) => a.opened - b.opened);
  const keeper = { operator: providers[0].operator };
  for (let day = 0; day < days; day++) add(START + day * DAY + DAY / 2, "FeesBurned/operator", keeper);

  const receipt = template(templates, "ReceiptSettled/operator");
  let receipts = 0;
  while (planned + receipt.events <= events) {
    const time = escrows[0].opened + 60 + random() * (START + span - escrows[0].opened - 60);
    // Escrows open before `time`: binary search on their sorted opening times.
    let low = 0;
    let high = escrows.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (escrows[middle].opened < time - 60) low = middle + 1;
      else high = middle;
    }
    add(time, "ReceiptSettled/operator", escrows[Math.floor(random() * low)].keys);
    receipts += 1;
  }
  plan.sort((a, b) => a.time - b.time);
  return { plan, shape: { events: planned, providers: providerCount, escrows: escrowCount, consumers: consumerCount, receipts, days } };
}

const DATA = "Program data: ";

/** The template's transaction with a fresh signature, `time`'s slot and block time, and `keys` in place of its own. */
export function instantiate({ time, template: { source, parts, feePayer }, keys }: Planned): SourceTransaction {
  const swaps: [Buffer, Buffer][] = [];
  for (const kind of KINDS) {
    const part = parts[kind];
    const key = keys[kind];
    if (part && key) swaps.push([part.bytes, key]);
  }
  const swapped = (data: Uint8Array) => {
    const bytes = Buffer.from(data);
    for (const [from, to] of swaps) {
      for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + 32)) to.copy(bytes, at);
    }
    return bytes;
  };
  const logs = source.logs.map((line) => (line.startsWith(DATA) ? DATA + swapped(Buffer.from(line.slice(DATA.length), "base64")).toString("base64") : line));
  const accounts = new Map(swaps.map(([from, to]) => [utils.bytes.bs58.encode(from), utils.bytes.bs58.encode(to)]));
  const invocations = source.invocations.map((invocation) => ({
    ...invocation,
    accounts: invocation.accounts.map((account) => accounts.get(account) ?? account),
    data: swapped(invocation.data),
  }));
  const payer = feePayer && keys[feePayer];
  return {
    signature: utils.bytes.bs58.encode(randomBytes(64)),
    slot: Math.floor((time - START) / SLOT_SECONDS),
    blockTime: time,
    failed: false,
    feePayer: payer ? utils.bytes.bs58.encode(payer) : source.feePayer,
    logs,
    invocations,
  };
}

export interface ReplayReport {
  events: number;
  transactions: number;
  seconds: number;
}

/**
 * Writes `plan` in time order through `ingest` (the indexer's decode and write path), in windows
 * of up to `window` consecutive transactions of one program, as a catch-up writes them.
 */
export async function replay(
  plan: Planned[],
  ingest: (program: ProgramName, transactions: SourceTransaction[]) => Promise<number>,
  window: number,
  progress: (done: number, events: number, seconds: number) => void,
): Promise<ReplayReport> {
  const started = performance.now();
  let events = 0;
  let lastLine = started;
  for (let start = 0; start < plan.length; ) {
    const program = plan[start].template.program;
    let end = start + 1;
    while (end < plan.length && end - start < window && plan[end].template.program === program) end++;
    events += await ingest(program, plan.slice(start, end).map(instantiate));
    start = end;
    if (performance.now() - lastLine >= 2000) {
      lastLine = performance.now();
      progress(start, events, (lastLine - started) / 1000);
    }
  }
  return { events, transactions: plan.length, seconds: (performance.now() - started) / 1000 };
}

/** Used by `ScanDatabase` callers that only need the shape: the database's events count. */
export async function indexedEvents(db: ScanDatabase): Promise<number> {
  const [row] = await db.query<{ count: string }>("select count(*)::text as count from events");
  return Number(row.count);
}
