/**
 * The derived tables (scan/totals.ts) recomputed from scratch in TypeScript, from nothing but the
 * raw `events` and `transactions` rows: each receipt joined to its escrow's latest opening by a
 * walk in (slot, id) order, each figure summed here. A test compares them with the tables the
 * indexer kept, row for row.
 */
import { expect } from "chai";
import type { ScanDatabase } from "../../scan/database";

type Rows = Record<string, string>[];
/** Each derived table's rows, every value as text (null as "null"), sorted. */
export type DerivedTables = Record<string, Rows>;

/** Each table, its key columns (the sort order), and its other columns. */
const TABLES: Record<string, { key: string[]; values: string[] }> = {
  daily_activity: { key: ["day"], values: ["events", "transactions"] },
  receipts_daily: { key: ["day", "mint"], values: ["receipts", "bytes", "amount", "provider_amount", "staker_amount", "treasury_amount"] },
  provider_receipts_daily: { key: ["provider", "day", "mint"], values: ["receipts", "bytes", "amount", "provider_amount", "new_escrow_bytes"] },
  provider_totals: { key: ["provider", "mint"], values: ["receipts", "bytes", "amount", "provider_amount"] },
  provider_consumer_totals: { key: ["provider", "consumer"], values: ["receipts", "bytes", "amount"] },
  burns_daily_totals: { key: ["day", "kind"], values: ["burns", "amount"] },
  stake_daily_totals: { key: ["day"], values: ["changes", "staked", "unstake_requested", "withdrawn"] },
  staker_totals: { key: ["owner"], values: ["staked", "unstake_requested", "withdrawn", "first_slot", "last_slot", "active", "active_slot", "active_id"] },
  staker_day_active: { key: ["owner", "day"], values: ["active", "slot", "id"] },
  escrow_fee_payers: { key: ["id"], values: ["escrow", "name", "signature", "slot", "fee_payer"] },
};

const text = (value: unknown): string => (value === null || value === undefined ? "null" : String(value));
const sortRows = (table: string, rows: Rows): Rows => {
  const { key } = TABLES[table];
  const keyOf = (row: Record<string, string>) => key.map((column) => row[column]).join("\u0000");
  return [...rows].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
};

/** What the indexer kept in the derived tables. */
export async function derivedTables(db: Pick<ScanDatabase, "query">): Promise<DerivedTables> {
  const tables: DerivedTables = {};
  for (const [table, { key, values }] of Object.entries(TABLES)) {
    const columns = [...key, ...values].map((column) => (column === "day" ? "day::text as day" : `${column}::text as ${column}`));
    const rows = await db.query(`select ${columns.join(", ")} from ${table}`);
    tables[table] = sortRows(
      table,
      rows.map((row) => Object.fromEntries(Object.entries(row).map(([column, value]) => [column, text(value)]))),
    );
  }
  return tables;
}

interface RawEvent {
  signature: string;
  slot: string;
  id: string;
  block_time: string | null;
  name: string;
  data: Record<string, unknown>;
}

/** The UTC day of a block time, as event_days dates an event (none: the epoch). */
const dayOf = (blockTime: string | null) => new Date(Number(blockTime ?? 0) * 1000).toISOString().slice(0, 10);
const big = (value: unknown): bigint => BigInt(String(value));
/** Compares (slot, id) pairs as the views order events. */
const after = (a: { slot: bigint; id: bigint }, b: { slot: bigint; id: bigint }) => a.slot > b.slot || (a.slot === b.slot && a.id > b.id);

/** Sums into `map[key]`, creating the row from `key` on first use. */
function add(map: Map<string, Record<string, bigint | string | null>>, key: Record<string, string | null>, sums: Record<string, bigint>): void {
  const id = JSON.stringify(key);
  const row = map.get(id) ?? { ...key, ...Object.fromEntries(Object.keys(sums).map((column) => [column, 0n])) };
  for (const [column, value] of Object.entries(sums)) row[column] = (row[column] as bigint) + value;
  map.set(id, row);
}

/** The derived tables as they should be, recomputed from the raw `events` and `transactions`. */
export async function recomputeFromEvents(db: Pick<ScanDatabase, "query">): Promise<DerivedTables> {
  const events = await db.query<RawEvent & Record<string, unknown>>(
    // Ordered by the columns, not by their text output (where "18003" sorts before "3").
    "select e.signature, e.slot::text as slot, e.id::text as id, e.block_time::text as block_time, e.name, e.data from events e order by e.slot, e.id",
  );
  const transactions = await db.query<{ signature: string; block_time: string | null; fee_payer: string | null }>(
    "select signature, block_time::text as block_time, fee_payer from transactions",
  );
  const feePayers = new Map(transactions.map((transaction) => [transaction.signature, transaction.fee_payer]));
  const tables: Record<string, Map<string, Record<string, bigint | string | null>>> = Object.fromEntries(
    Object.keys(TABLES).map((table) => [table, new Map()]),
  );
  for (const transaction of transactions) add(tables.daily_activity, { day: dayOf(transaction.block_time) }, { events: 0n, transactions: 1n });

  const openings = new Map<string, { consumer: string | null; openedAt: bigint | null }>();
  const stakers = new Map<string, Record<string, bigint | string | null>>();
  const stakerDays = new Map<string, Record<string, bigint | string | null>>();
  for (const event of events) {
    const data = typeof event.data === "string" ? JSON.parse(event.data) : event.data;
    const day = dayOf(event.block_time);
    const at = { slot: big(event.slot), id: big(event.id) };
    add(tables.daily_activity, { day }, { events: 1n, transactions: 0n });
    if (event.name === "EscrowOpened" || event.name === "EscrowFunded") {
      tables.escrow_fee_payers.set(event.id, {
        id: event.id,
        escrow: data.escrow ?? null,
        name: event.name,
        signature: event.signature,
        slot: event.slot,
        fee_payer: feePayers.get(event.signature) ?? null,
      });
    }
    switch (event.name) {
      case "EscrowOpened":
        openings.set(String(data.escrow), { consumer: data.consumer ?? null, openedAt: event.block_time === null ? null : big(event.block_time) });
        break;
      case "ReceiptSettled": {
        const bytes = big(data.bytes);
        const amount = big(data.amount);
        const providerAmount = big(data.provider_amount);
        const opening = openings.get(String(data.escrow));
        const fresh = event.block_time !== null && opening?.openedAt != null && big(event.block_time) - opening.openedAt < 3600n;
        const { provider, mint } = data as { provider: string; mint: string };
        add(
          tables.receipts_daily,
          { day, mint },
          {
            receipts: 1n,
            bytes,
            amount,
            provider_amount: providerAmount,
            staker_amount: big(data.staker_amount),
            treasury_amount: big(data.treasury_amount),
          },
        );
        add(
          tables.provider_receipts_daily,
          { provider, day, mint },
          { receipts: 1n, bytes, amount, provider_amount: providerAmount, new_escrow_bytes: fresh ? bytes : 0n },
        );
        add(tables.provider_totals, { provider, mint }, { receipts: 1n, bytes, amount, provider_amount: providerAmount });
        add(tables.provider_consumer_totals, { provider, consumer: opening?.consumer ?? null }, { receipts: 1n, bytes, amount });
        break;
      }
      case "FeesBurned":
        add(tables.burns_daily_totals, { day, kind: "fees" }, { burns: 1n, amount: big(data.amount) });
        break;
      case "AuctionTaken":
        add(tables.burns_daily_totals, { day, kind: "buyback" }, { burns: 1n, amount: big(data.media_burned) });
        break;
      case "Staked":
      case "UnstakeRequested":
      case "UnstakeCancelled":
      case "Withdrawn": {
        const amount = data.amount === undefined || data.amount === null ? 0n : big(data.amount);
        const moved = (name: string) => (event.name === name ? amount : 0n);
        add(
          tables.stake_daily_totals,
          { day },
          { changes: 1n, staked: moved("Staked"), unstake_requested: moved("UnstakeRequested"), withdrawn: moved("Withdrawn") },
        );
        const owner = String(data.owner);
        const staker = stakers.get(owner) ?? {
          owner,
          staked: 0n,
          unstake_requested: 0n,
          withdrawn: 0n,
          first_slot: at.slot,
          last_slot: at.slot,
          active: null,
          active_slot: null,
          active_id: null,
        };
        staker.staked = (staker.staked as bigint) + moved("Staked");
        staker.unstake_requested = (staker.unstake_requested as bigint) + moved("UnstakeRequested");
        staker.withdrawn = (staker.withdrawn as bigint) + moved("Withdrawn");
        staker.last_slot = at.slot;
        // Events arrive here in (slot, id) order: the last one with a figure is the latest.
        if (data.active !== undefined && data.active !== null) {
          staker.active = big(data.active);
          staker.active_slot = at.slot;
          staker.active_id = at.id;
          const previous = stakerDays.get(`${owner}/${day}`);
          if (!previous || after(at, { slot: previous.slot as bigint, id: previous.id as bigint }))
            stakerDays.set(`${owner}/${day}`, { owner, day, active: big(data.active), slot: at.slot, id: at.id });
        }
        stakers.set(owner, staker);
        break;
      }
    }
  }
  for (const staker of stakers.values()) tables.staker_totals.set(String(staker.owner), staker);
  for (const row of stakerDays.values()) tables.staker_day_active.set(`${row.owner}/${row.day}`, row);

  const result: DerivedTables = {};
  for (const [table, rows] of Object.entries(tables)) {
    const { key, values } = TABLES[table];
    result[table] = sortRows(
      table,
      [...rows.values()].map((row) => Object.fromEntries([...key, ...values].map((column) => [column, text(row[column])]))),
    );
  }
  return result;
}

/** Every derived table equals its recomputation from the raw events, row for row; returns the tables. */
export async function expectDerivedTablesExact(db: Pick<ScanDatabase, "query">): Promise<DerivedTables> {
  const kept = await derivedTables(db);
  const recomputed = await recomputeFromEvents(db);
  for (const table of Object.keys(TABLES)) expect(kept[table], table).to.deep.equal(recomputed[table]);
  return kept;
}
