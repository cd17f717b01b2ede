/**
 * Derived tables: the totals the dashboard reads most, per day and per provider, kept by the
 * indexer in the same database transaction as the events they derive from, so a page reads a
 * few hundred summed rows instead of aggregating every event on each request.
 *
 * They stay exact the way the events do:
 * - Event totals (activity, burns, stake) add only the rows an insert really wrote: the events'
 *   `insert ... on conflict do nothing returning *` feeds them, so a transaction delivered or
 *   indexed twice adds nothing the second time. Sums and counts do not depend on the order events
 *   arrive in; the "latest" figures (a staker's active stake) keep the row with the greatest
 *   (slot, id), the order the views used, and replace it only with a greater one.
 * - Receipt totals (bytes, fees, revenue, the signals' inputs) follow receipt_context, which is
 *   rewritten when a late event changes a receipt's context (its consumer, its escrow's opening):
 *   every row deleted from it subtracts, every row inserted adds, in the statement that moves it.
 *   So they always equal receipt_context summed, whatever the order or repetition.
 * - All of it runs inside the indexer's write transaction: after a crash they hold exactly the
 *   committed events. A database indexed before these tables fills them once when opened.
 */

/** The UTC day of an event's block time (an event without one counts on 1970-01-01, as event_days says). */
export const dayOf = (alias: string) => `(to_timestamp(coalesce(${alias}.block_time, 0)) at time zone 'UTC')::date`;

/** Bumped when a derived table's definition changes: a database without this mark refills them. */
export const DERIVED_VERSION = "1";

export const DERIVED_TABLES = `
-- Per day: events and transactions indexed (a transaction on the day of its block time).
create table if not exists daily_activity (
  day date primary key,
  events bigint not null,
  transactions bigint not null
);

-- Per day and mint: the settled receipts, their bytes and the fees' split.
create table if not exists receipts_daily (
  day date not null,
  mint text not null,
  receipts bigint not null,
  bytes numeric not null,
  amount numeric not null,
  provider_amount numeric not null,
  staker_amount numeric not null,
  treasury_amount numeric not null,
  primary key (day, mint)
);

-- Per provider, day and mint: what it served and earned, and the bytes from escrows opened
-- less than an hour before the receipt (the new-escrow-volume signal's input).
create table if not exists provider_receipts_daily (
  provider text not null,
  day date not null,
  mint text not null,
  receipts bigint not null,
  bytes numeric not null,
  amount numeric not null,
  provider_amount numeric not null,
  new_escrow_bytes numeric not null,
  primary key (provider, day, mint)
);

-- Per provider and mint over all time: the providers table's revenue, bytes and receipts.
create table if not exists provider_totals (
  provider text not null,
  mint text not null,
  receipts bigint not null,
  bytes numeric not null,
  amount numeric not null,
  provider_amount numeric not null,
  primary key (provider, mint)
);

-- Per provider and consumer (null while the escrow's opening is not indexed): what it paid,
-- the concentration signal's input.
create table if not exists provider_consumer_totals (
  provider text not null,
  consumer text,
  receipts bigint not null,
  bytes numeric not null,
  amount numeric not null
);
create unique index if not exists provider_consumer_totals_key on provider_consumer_totals (provider, coalesce(consumer, ''));

-- Every transaction that opened or funded an escrow, and who paid its fee (the self-dealing
-- signal's links): a join of events and transactions made once, when both are written.
create table if not exists escrow_fee_payers (
  id bigint primary key,
  escrow text,
  name text not null,
  signature text not null,
  slot bigint not null,
  fee_payer text
);
create index if not exists escrow_fee_payers_escrow on escrow_fee_payers (escrow, slot, id);
create index if not exists escrow_fee_payers_payer on escrow_fee_payers (fee_payer);

-- Per day and kind ('fees' from FeesBurned, 'buyback' from AuctionTaken): MEDIA burned.
create table if not exists burns_daily_totals (
  day date not null,
  kind text not null,
  burns bigint not null,
  amount numeric not null,
  primary key (day, kind)
);

-- Per day: stake moved (Staked, UnstakeRequested, UnstakeCancelled, Withdrawn).
create table if not exists stake_daily_totals (
  day date primary key,
  changes bigint not null,
  staked numeric not null,
  unstake_requested numeric not null,
  withdrawn numeric not null
);

-- Per staker: its totals, and its active stake after its latest change that reports one
-- (active_slot, active_id: that change, so an older one indexed later does not replace it).
create table if not exists staker_totals (
  owner text primary key,
  staked numeric not null,
  unstake_requested numeric not null,
  withdrawn numeric not null,
  first_slot bigint not null,
  last_slot bigint not null,
  active numeric,
  active_slot bigint,
  active_id bigint
);

-- Per staker and day: its active stake after its last change that day (the staked series sums
-- each staker's latest row up to a day).
create table if not exists staker_day_active (
  owner text not null,
  day date not null,
  active numeric not null,
  slot bigint not null,
  id bigint not null,
  primary key (owner, day)
);
`;

/** Derived tables that follow receipt_context, and those that follow the events. */
const RECEIPT_TABLES = ["receipts_daily", "provider_receipts_daily", "provider_totals", "provider_consumer_totals"];
const EVENT_TABLES = ["daily_activity", "burns_daily_totals", "stake_daily_totals", "staker_totals", "staker_day_active"];

/** `set column = table.column + excluded.column` for each column: an upsert that adds. */
const adding = (table: string, columns: string[]) => columns.map((column) => `${column} = ${table}.${column} + excluded.${column}`).join(", ");

/**
 * Statements that add `source`'s rows to the receipt tables: `source` has receipt_context's
 * columns and `sign` (1 for a row written, -1 for a row removed). Each groups by its key, so
 * one statement touches each key once.
 */
export function receiptTotalsStatements(source: string): string[] {
  const sums = "sum(sign)::bigint, sum(sign * bytes), sum(sign * amount), sum(sign * provider_amount)";
  return [
    `insert into receipts_daily (day, mint, receipts, bytes, amount, provider_amount, staker_amount, treasury_amount)
      select day, mint, ${sums}, sum(sign * staker_amount), sum(sign * treasury_amount) from ${source} group by day, mint
      on conflict (day, mint) do update set ${adding("receipts_daily", ["receipts", "bytes", "amount", "provider_amount", "staker_amount", "treasury_amount"])}`,
    `insert into provider_receipts_daily (provider, day, mint, receipts, bytes, amount, provider_amount, new_escrow_bytes)
      select provider, day, mint, ${sums}, sum(sign * case when block_time - opened_at < 3600 then bytes else 0 end)
      from ${source} group by provider, day, mint
      on conflict (provider, day, mint) do update set ${adding("provider_receipts_daily", ["receipts", "bytes", "amount", "provider_amount", "new_escrow_bytes"])}`,
    `insert into provider_totals (provider, mint, receipts, bytes, amount, provider_amount)
      select provider, mint, ${sums} from ${source} group by provider, mint
      on conflict (provider, mint) do update set ${adding("provider_totals", ["receipts", "bytes", "amount", "provider_amount"])}`,
    `insert into provider_consumer_totals (provider, consumer, receipts, bytes, amount)
      select provider, consumer, sum(sign)::bigint, sum(sign * bytes), sum(sign * amount) from ${source} group by provider, consumer
      on conflict (provider, coalesce(consumer, '')) do update set ${adding("provider_consumer_totals", ["receipts", "bytes", "amount"])}`,
  ];
}

/**
 * A key whose receipts were all removed (moved to another consumer, or rewritten) leaves no
 * row, as a `group by` would. `$1`: the providers whose receipts were removed (the per-provider
 * tables are read by that key prefix; the per-day table is a few rows a day).
 */
export const EMPTIED_RECEIPT_ROWS: { sql: string; byProvider: boolean }[] = RECEIPT_TABLES.map((table) =>
  table === "receipts_daily"
    ? { sql: `delete from ${table} where receipts = 0`, byProvider: false }
    : { sql: `delete from ${table} where provider = any($1::text[]) and receipts = 0`, byProvider: true },
);

/**
 * The latest of a group's rows by (slot, id) among those with a non-null `value`: one element
 * of `array_agg`, so a batch contributes its own latest and the upsert compares it to the stored one.
 */
const latest = (value: string, of: string) => `(array_agg(${of} order by slot desc, id desc) filter (where ${value} is not null))[1]`;

/** On conflict: take the incoming latest only when it is later than the stored one. */
const later = (table: string) =>
  `excluded.active_slot is not null and (${table}.active_slot is null or (excluded.active_slot, excluded.active_id) > (${table}.active_slot, ${table}.active_id))`;

/**
 * Statements that add `source`'s events to the event tables: `source` has the events'
 * columns and `day` (event_days). Each event must be in `source` once, and only once ever.
 */
export function eventTotalsStatements(source: string): string[] {
  const stake = `(select owner, slot, id, day, name, amount, active from (select data->>'owner' as owner, slot, id, day, name,
      (data->>'amount')::numeric as amount, (data->>'active')::numeric as active from ${source}
      where name in ('Staked', 'UnstakeRequested', 'UnstakeCancelled', 'Withdrawn')) c)`;
  const amountOf = (event: string) => `sum(case when name = '${event}' then amount else 0 end)`;
  return [
    `insert into daily_activity (day, events, transactions) select day, count(*), 0 from ${source} group by day
      on conflict (day) do update set events = daily_activity.events + excluded.events`,
    `insert into burns_daily_totals (day, kind, burns, amount)
      select day, kind, count(*), sum(amount) from (
        select day, 'fees' as kind, (data->>'amount')::numeric as amount from ${source} where name = 'FeesBurned'
        union all
        select day, 'buyback' as kind, (data->>'media_burned')::numeric as amount from ${source} where name = 'AuctionTaken') b
      group by day, kind
      on conflict (day, kind) do update set ${adding("burns_daily_totals", ["burns", "amount"])}`,
    `insert into stake_daily_totals (day, changes, staked, unstake_requested, withdrawn)
      select day, count(*), ${amountOf("Staked")}, ${amountOf("UnstakeRequested")}, ${amountOf("Withdrawn")} from ${stake} s group by day
      on conflict (day) do update set ${adding("stake_daily_totals", ["changes", "staked", "unstake_requested", "withdrawn"])}`,
    `insert into staker_totals (owner, staked, unstake_requested, withdrawn, first_slot, last_slot, active, active_slot, active_id)
      select owner, ${amountOf("Staked")}, ${amountOf("UnstakeRequested")}, ${amountOf("Withdrawn")}, min(slot), max(slot),
        ${latest("active", "active")}, ${latest("active", "slot")}, ${latest("active", "id")}
      from ${stake} s group by owner
      on conflict (owner) do update set ${adding("staker_totals", ["staked", "unstake_requested", "withdrawn"])},
        first_slot = least(staker_totals.first_slot, excluded.first_slot), last_slot = greatest(staker_totals.last_slot, excluded.last_slot),
        active = case when ${later("staker_totals")} then excluded.active else staker_totals.active end,
        active_slot = case when ${later("staker_totals")} then excluded.active_slot else staker_totals.active_slot end,
        active_id = case when ${later("staker_totals")} then excluded.active_id else staker_totals.active_id end`,
    `insert into staker_day_active (owner, day, active, slot, id)
      select owner, day, ${latest("active", "active")}, ${latest("active", "slot")}, ${latest("active", "id")}
      from ${stake} s where active is not null group by owner, day
      on conflict (owner, day) do update set active = excluded.active, slot = excluded.slot, id = excluded.id
        where (excluded.slot, excluded.id) > (staker_day_active.slot, staker_day_active.id)`,
  ];
}

/** Adds `source`'s transactions (columns of `transactions`) to daily_activity. Each must be new. */
export function transactionTotalsStatement(source: string): string {
  return `insert into daily_activity (day, events, transactions) select ${dayOf("t")}, 0, count(*) from ${source} t group by 1
    on conflict (day) do update set transactions = daily_activity.transactions + excluded.transactions`;
}

/**
 * Records the escrow openings and deposits among the events `where` selects (alias `e`), with
 * their transaction's fee payer. Run after both are written; an event already recorded is kept.
 */
export function escrowFeePayersStatement(where: string): string {
  return `insert into escrow_fee_payers (id, escrow, name, signature, slot, fee_payer)
    select e.id, e.data->>'escrow', e.name, e.signature, e.slot, t.fee_payer from events e join transactions t on t.signature = e.signature
    where e.name in ('EscrowOpened', 'EscrowFunded') and ${where}
    on conflict (id) do nothing`;
}

/** Events whose transaction the escrow fee payers table records. */
export const ESCROW_EVENTS: readonly string[] = ["EscrowOpened", "EscrowFunded"];

/** `statements` as data-modifying CTEs after `with` entries already written: run once each, in one statement. */
export function asCtes(statements: string[], prefix: string): string {
  return statements.map((statement, i) => `${prefix}${i} as (${statement})`).join(",\n");
}

/**
 * Fills every derived table from the raw tables, once per database (or again after
 * DERIVED_VERSION changes): a database indexed before the tables existed. Runs in the schema's
 * own statement list, after receipt_context is filled and the views exist.
 */
export const FILL_DERIVED = `
do $$ begin
  if not exists (select 1 from scan_meta where key = 'derived_version' and value = '${DERIVED_VERSION}') then
    ${[...RECEIPT_TABLES, ...EVENT_TABLES].map((table) => `delete from ${table};`).join("\n    ")}
    ${receiptTotalsStatements("(select 1 as sign, c.* from receipt_context c) filled").join(";\n    ")};
    ${eventTotalsStatements("event_days").join(";\n    ")};
    ${transactionTotalsStatement("transactions")};
    delete from escrow_fee_payers;
    ${escrowFeePayersStatement("true")};
    insert into scan_meta (key, value) values ('derived_version', '${DERIVED_VERSION}') on conflict (key) do update set value = excluded.value;
  end if;
end $$;
`;

/** Views the derived tables replaced: dropped once before the first fill, so they are made again over the tables whatever their old columns' types. */
export const REPLACED_VIEWS = [
  "bytes_served_daily",
  "fees_by_mint",
  "protocol_revenue_daily",
  "burns_daily",
  "stakers",
  "stake_daily",
  "daily",
  "provider_daily",
  "providers",
  "revenue_concentration",
  "new_escrow_volume",
  "daily_series",
];

export const DROP_REPLACED_VIEWS = `
do $$ begin
  if not exists (select 1 from scan_meta where key = 'derived_version' and value = '${DERIVED_VERSION}') then
    ${REPLACED_VIEWS.map((view) => `drop view if exists ${view} cascade;`).join("\n    ")}
  end if;
end $$;
`;
