/**
 * The figures people ask Media Scan for, read from the derived tables (scan/totals.ts) and the
 * views over them; every amount a bigint in base units.
 */
import type { ScanDatabase } from "./database";

export interface NetworkTotals {
  events: bigint;
  transactions: bigint;
  bytesServed: bigint;
  receipts: bigint;
  /** Settled fees by mint (base58), with their split. */
  feesByMint: Record<string, { amount: bigint; provider: bigint; stakers: bigint; treasury: bigint }>;
  feesBurned: bigint;
  buybackBurned: bigint;
  /** Active stake summed over stakers (each staker's active stake after its latest change). */
  activeStake: bigint;
  stakers: bigint;
  providers: bigint;
  auctions: bigint;
  proposals: bigint;
}

const big = (value: unknown): bigint => BigInt(value === null || value === undefined ? 0 : String(value));

export async function networkTotals(db: Pick<ScanDatabase, "query">): Promise<NetworkTotals> {
  const [row] = await db.query(`
    select
      (select coalesce(sum(events), 0) from daily_activity)::text as events,
      (select coalesce(sum(transactions), 0) from daily_activity)::text as transactions,
      (select coalesce(sum(bytes), 0) from receipts_daily)::text as bytes_served,
      (select coalesce(sum(receipts), 0) from receipts_daily)::text as receipts,
      (select coalesce(sum(amount), 0) from burns_daily_totals where kind = 'fees')::text as fees_burned,
      (select coalesce(sum(amount), 0) from burns_daily_totals where kind = 'buyback')::text as buyback_burned,
      (select coalesce(sum(active), 0) from stakers)::text as active_stake,
      (select count(*) from stakers where active > 0)::text as stakers,
      (select count(*) from providers)::text as providers,
      (select count(*) from auctions)::text as auctions,
      (select count(*) from proposals)::text as proposals`);
  const fees = await db.query<{ mint: string; amount: string; provider_amount: string; staker_amount: string; treasury_amount: string }>(
    "select mint, amount::text, provider_amount::text, staker_amount::text, treasury_amount::text from fees_by_mint order by mint",
  );
  return {
    events: big(row.events),
    transactions: big(row.transactions),
    bytesServed: big(row.bytes_served),
    receipts: big(row.receipts),
    feesByMint: Object.fromEntries(
      fees.map((fee) => [
        fee.mint,
        { amount: big(fee.amount), provider: big(fee.provider_amount), stakers: big(fee.staker_amount), treasury: big(fee.treasury_amount) },
      ]),
    ),
    feesBurned: big(row.fees_burned),
    buybackBurned: big(row.buyback_burned),
    activeStake: big(row.active_stake),
    stakers: big(row.stakers),
    providers: big(row.providers),
    auctions: big(row.auctions),
    proposals: big(row.proposals),
  };
}

export interface ProviderRow {
  provider: string;
  operator: string;
  mediaPricePerGib: bigint;
  quotePricePerGib: bigint;
  active: boolean;
  operatorStake: bigint;
  escrows: bigint;
  bytesServed: bigint;
  revenue: bigint;
  receipts: bigint;
}

export async function providerTable(db: Pick<ScanDatabase, "query">): Promise<ProviderRow[]> {
  const rows = await db.query(`
    select provider, operator, media_price_per_gib::text, quote_price_per_gib::text, active, operator_stake::text,
      escrows::text, bytes_served::text, revenue::text, receipts::text
    from providers order by revenue desc, provider`);
  return rows.map((row) => ({
    provider: String(row.provider),
    operator: String(row.operator),
    mediaPricePerGib: big(row.media_price_per_gib),
    quotePricePerGib: big(row.quote_price_per_gib),
    active: row.active === true,
    operatorStake: big(row.operator_stake),
    escrows: big(row.escrows),
    bytesServed: big(row.bytes_served),
    revenue: big(row.revenue),
    receipts: big(row.receipts),
  }));
}

/** Every (signature, event index) stored more than once, and the event count: what a resumed run must keep at zero and exact. */
export async function eventKeys(db: Pick<ScanDatabase, "query">): Promise<string[]> {
  const rows = await db.query<{ key: string }>("select signature || ':' || event_index as key from events order by slot, signature, event_index");
  return rows.map((row) => row.key);
}

/** A receipt paid under the provider's list price at the time, and the price event it is judged against. */
export interface UnderpricedReceipt {
  signature: string;
  escrow: string;
  bytes: bigint;
  amount: bigint;
  listPricePerGib: bigint;
  priceSignature: string;
}

/** Signatures of the settlements behind a signal, and the escrows they drew on. */
export type FakeUsageSignal =
  | { signal: "underpriced"; provider: string; receipts: UnderpricedReceipt[] }
  | { signal: "concentration"; provider: string; consumer: string; amount: bigint; total: bigint; consumers: bigint; escrows: string[]; signatures: string[] }
  | {
      signal: "new-escrow-volume";
      provider: string;
      day: string;
      bytes: bigint;
      newEscrowBytes: bigint;
      escrows: { escrow: string; opened: string }[];
      signatures: string[];
    }
  | {
      signal: "self-dealing";
      provider: string;
      operator: string;
      consumer: string;
      escrow: string;
      /** The escrow's openings and deposits whose fee the operator paid. */
      links: string[];
      bytes: bigint;
      amount: bigint;
      signatures: string[];
    };

type Evidence = Record<string, unknown>;
const json = (value: unknown): Evidence => (typeof value === "string" ? JSON.parse(value) : (value as Evidence));
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/**
 * Every fake-usage signal in the indexed data, each with its evidence (the views
 * `underpriced_receipts`, `revenue_concentration`, `new_escrow_volume`, `self_dealing`).
 */
export async function fakeUsageSignals(db: Pick<ScanDatabase, "query">): Promise<FakeUsageSignal[]> {
  const rows = await db.query<{ signal: string; provider: string; day: string | null; evidence: unknown }>(
    "select signal, provider, day::text as day, evidence from fake_usage_signals order by provider, signal, day",
  );
  return rows.map((row): FakeUsageSignal => {
    const evidence = json(row.evidence);
    switch (row.signal) {
      case "underpriced":
        return {
          signal: "underpriced",
          provider: row.provider,
          receipts: (evidence.receipts as Evidence[]).map((receipt) => ({
            signature: String(receipt.signature),
            escrow: String(receipt.escrow),
            bytes: big(receipt.bytes),
            amount: big(receipt.amount),
            listPricePerGib: big(receipt.list_price_per_gib),
            priceSignature: String(receipt.price_signature),
          })),
        };
      case "concentration":
        return {
          signal: "concentration",
          provider: row.provider,
          consumer: String(evidence.consumer),
          amount: big(evidence.amount),
          total: big(evidence.total),
          consumers: big(evidence.consumers),
          escrows: strings(evidence.escrows),
          signatures: strings(evidence.signatures),
        };
      case "new-escrow-volume":
        return {
          signal: "new-escrow-volume",
          provider: row.provider,
          day: String(row.day),
          bytes: big(evidence.bytes),
          newEscrowBytes: big(evidence.new_escrow_bytes),
          escrows: (evidence.escrows as Evidence[]).map((escrow) => ({ escrow: String(escrow.escrow), opened: String(escrow.opened) })),
          signatures: strings(evidence.signatures),
        };
      case "self-dealing":
        return {
          signal: "self-dealing",
          provider: row.provider,
          operator: String(evidence.operator),
          consumer: String(evidence.consumer),
          escrow: String(evidence.escrow),
          links: strings(evidence.links),
          bytes: big(evidence.bytes),
          amount: big(evidence.amount),
          signatures: strings(evidence.signatures),
        };
      default:
        throw new Error(`unknown fake-usage signal ${row.signal}: the database's schema is newer than this scan; update it`);
    }
  });
}
