/**
 * The Media Scan schema: one raw `events` table (every decoded event, keyed by its signature
 * and position, so indexing a transaction twice changes nothing), the per-program cursors, and
 * views for what people ask. Plain PostgreSQL: the same text runs on PGlite and on a server.
 * Amounts are `numeric` (u64 and u128 do not fit `bigint`), in base units.
 */
import { MEDIA } from "../sdk/src";
import { DERIVED_TABLES, DROP_REPLACED_VIEWS, EMPTIED_RECEIPT_ROWS, FILL_DERIVED, asCtes, dayOf, receiptTotalsStatements } from "./totals";

/** Base units per MEDIA: the quota rate is bytes per whole MEDIA. */
const MEDIA_UNITS = MEDIA.toString();
export const SCHEMA_VERSION = 1;

export const SCHEMA = `
create table if not exists scan_meta (
  key text primary key,
  value text not null
);

create table if not exists events (
  id bigserial,
  signature text not null,
  slot bigint not null,
  block_time bigint,
  program text not null,
  instruction_index integer not null,
  event_index integer not null,
  name text not null,
  data jsonb not null,
  primary key (signature, event_index)
);
create index if not exists events_name on events (name, slot);
create index if not exists events_program on events (program, slot);
-- The views join events to events on these keys; without them each lookup scans every event.
create index if not exists events_by_provider on events ((data->>'provider'), name, slot, id);
create index if not exists events_by_auction on events ((data->>'auction_id'), name, slot, id);
create index if not exists events_by_proposal on events ((data->>'proposal'), name, slot, id);
create index if not exists events_by_escrow on events ((data->>'escrow'), name, slot, id);
create index if not exists events_by_owner on events ((data->>'owner'), name, slot, id);

-- Every transaction the indexer has read (with or without events), so a failed one is not fetched again.
create table if not exists transactions (
  signature text primary key,
  slot bigint not null,
  block_time bigint,
  failed boolean not null,
  event_count integer not null
);
-- Added after the first release: rows indexed before it have no fee payer.
alter table transactions add column if not exists fee_payer text;

-- Per program: the newest signature whose transaction (and every older one) is indexed.
create table if not exists cursors (
  program text primary key,
  program_id text not null,
  signature text not null,
  slot bigint not null,
  updated_at timestamptz not null default now()
);

-- Each receipt with what the fake-usage signals judge it against: the rows of the view
-- receipt_context_live (below), written with the events by refreshReceiptContext. Before
-- this table, receipt_context was that view: replace it (and the views over it, made again below).
do $$ begin
  if exists (select 1 from pg_views where viewname = 'receipt_context' and schemaname = current_schema()) then
    drop view receipt_context cascade;
  end if;
end $$;

create table if not exists receipt_context (
  signature text not null,
  slot bigint not null,
  block_time bigint,
  day date,
  escrow text,
  provider text,
  mint text,
  bytes numeric,
  amount numeric,
  provider_amount numeric,
  staker_amount numeric,
  treasury_amount numeric,
  id bigint not null,
  consumer text,
  opened_signature text,
  opened_at bigint,
  escrow_price_per_gib numeric,
  operator text,
  list_price_per_gib numeric,
  price_signature text
);
create unique index if not exists receipt_context_id on receipt_context (id);
create index if not exists receipt_context_escrow on receipt_context (escrow, slot, id);
create index if not exists receipt_context_provider on receipt_context (provider, consumer);
create index if not exists receipt_context_signature on receipt_context (signature);
-- The signals' own filters, so each reads only the receipts it flags.
create index if not exists receipt_context_underpriced on receipt_context (provider, slot, id) where amount * 1073741824 < bytes * list_price_per_gib;
create index if not exists receipt_context_own_consumer on receipt_context (escrow) where consumer = operator;
-- A provider's receipts of one day: the evidence behind its per-day totals.
create index if not exists receipt_context_provider_day on receipt_context (provider, day);

-- The derived tables (scan/totals.ts), and the views they replace dropped once so they are made again over them.
${DERIVED_TABLES}
${DROP_REPLACED_VIEWS}

create or replace view event_days as
  select e.*, ${dayOf("e")} as day from events e;

create or replace view receipts as
  select signature, slot, block_time, day,
    data->>'escrow' as escrow, data->>'provider' as provider, data->>'mint' as mint,
    (data->>'bytes')::numeric as bytes, (data->>'amount')::numeric as amount,
    (data->>'provider_amount')::numeric as provider_amount,
    (data->>'staker_amount')::numeric as staker_amount,
    (data->>'treasury_amount')::numeric as treasury_amount, id
  from event_days where name = 'ReceiptSettled';

-- The views below over derived tables read their sums, kept with the events (scan/totals.ts).
create or replace view bytes_served_daily as
  select day, provider, sum(bytes) as bytes, sum(receipts)::bigint as receipts from provider_receipts_daily group by day, provider;

create or replace view fees_by_mint as
  select mint, sum(receipts)::bigint as receipts, sum(bytes) as bytes, sum(amount) as amount,
    sum(provider_amount) as provider_amount, sum(staker_amount) as staker_amount, sum(treasury_amount) as treasury_amount
  from receipts_daily group by mint;

-- What the protocol keeps from fees: the treasury's cut and the stakers' cut, per mint and day.
create or replace view protocol_revenue_daily as
  select day, mint, treasury_amount, staker_amount, treasury_amount + staker_amount as revenue from receipts_daily;

create or replace view burns as
  select signature, slot, block_time, day, 'fees' as kind, (data->>'amount')::numeric as amount
    from event_days where name = 'FeesBurned'
  union all
  select signature, slot, block_time, day, 'buyback' as kind, (data->>'media_burned')::numeric as amount
    from event_days where name = 'AuctionTaken';

create or replace view burns_daily as
  select day, kind, amount, burns from burns_daily_totals;

create or replace view stake_changes as
  select signature, slot, id, day, name, data->>'owner' as owner,
    (data->>'amount')::numeric as amount, (data->>'active')::numeric as active
  from event_days where name in ('Staked', 'UnstakeRequested', 'UnstakeCancelled', 'Withdrawn');

-- Each staker's figures: active stake after its latest change, and its totals.
create or replace view stakers as
  select owner, active, staked, unstake_requested, withdrawn, first_slot, last_slot from staker_totals;

create or replace view stake_daily as
  select day, staked, unstake_requested, withdrawn from stake_daily_totals;

create or replace view providers as
  select r.data->>'provider' as provider, r.data->>'operator' as operator, r.slot as registered_slot,
    coalesce(
      (select (u.data->>'media_price_per_gib')::numeric from events u where u.name = 'ProviderUpdated' and u.data->>'provider' = r.data->>'provider' order by u.slot desc, u.id desc limit 1),
      (r.data->>'media_price_per_gib')::numeric) as media_price_per_gib,
    coalesce(
      (select (u.data->>'quote_price_per_gib')::numeric from events u where u.name = 'ProviderUpdated' and u.data->>'provider' = r.data->>'provider' order by u.slot desc, u.id desc limit 1),
      (r.data->>'quote_price_per_gib')::numeric) as quote_price_per_gib,
    coalesce(
      (select (u.data->>'active')::boolean from events u where u.name = 'ProviderUpdated' and u.data->>'provider' = r.data->>'provider' order by u.slot desc, u.id desc limit 1),
      true) as active,
    (select (s.data->>'active')::numeric from events s where s.name in ('Staked', 'UnstakeRequested', 'UnstakeCancelled')
      and s.data->>'owner' = r.data->>'operator' order by s.slot desc, s.id desc limit 1) as operator_stake,
    (select count(*) from events o where o.name = 'EscrowOpened' and o.data->>'provider' = r.data->>'provider') as escrows,
    coalesce(x.bytes_served, 0) as bytes_served, coalesce(x.revenue, 0) as revenue, coalesce(x.receipts, 0) as receipts
  from events r
  left join (
    select provider, sum(bytes) as bytes_served, sum(provider_amount) as revenue, sum(receipts)::bigint as receipts from provider_totals group by provider
  ) x on x.provider = r.data->>'provider'
  where r.name = 'ProviderRegistered';

create or replace view auctions as
  select (s.data->>'auction_id')::numeric as auction_id, s.signature, s.slot,
    (s.data->>'lot')::numeric as lot, (s.data->>'start_price')::numeric as start_price,
    (s.data->>'floor_price')::numeric as floor_price, (s.data->>'reference_price')::numeric as reference_price,
    (s.data->>'auction_start')::bigint as auction_start, (s.data->>'auction_end')::bigint as auction_end,
    (select count(*) from events t where t.name = 'AuctionTaken' and t.data->>'auction_id' = s.data->>'auction_id') as fills,
    (select coalesce(sum((t.data->>'quote_amount')::numeric), 0) from events t where t.name = 'AuctionTaken' and t.data->>'auction_id' = s.data->>'auction_id') as quote_paid,
    (select coalesce(sum((t.data->>'media_in')::numeric), 0) from events t where t.name = 'AuctionTaken' and t.data->>'auction_id' = s.data->>'auction_id') as media_sold,
    (select coalesce(sum((t.data->>'media_burned')::numeric), 0) from events t where t.name = 'AuctionTaken' and t.data->>'auction_id' = s.data->>'auction_id') as media_burned,
    -- The clearing price: what the last fill paid per MEDIA.
    (select (t.data->>'price')::numeric from events t where t.name = 'AuctionTaken' and t.data->>'auction_id' = s.data->>'auction_id' order by t.slot desc, t.id desc limit 1) as clearing_price
  from events s where s.name = 'AuctionStarted';

create or replace view proposals as
  select p.data->>'proposal' as proposal, (p.data->>'id')::numeric as proposal_id, p.data->>'proposer' as proposer,
    p.signature, p.slot, (p.data->>'instruction_count')::integer as instruction_count,
    coalesce(
      (select case when x.name = 'ProposalFinalized' then x.data->>'state' when x.name = 'ProposalExecuted' then 'Executed' else 'Cancelled' end
        from events x where x.name in ('ProposalFinalized', 'ProposalExecuted', 'ProposalCancelled') and x.data->>'proposal' = p.data->>'proposal'
        order by x.slot desc, x.id desc limit 1),
      case when exists (select 1 from events v where v.name = 'VotingStarted' and v.data->>'proposal' = p.data->>'proposal') then 'Voting' else 'Draft' end) as state,
    (select count(*) from events v where v.name = 'VoteCast' and v.data->>'proposal' = p.data->>'proposal') as votes,
    (select coalesce(sum((v.data->>'weight')::numeric), 0) from events v where v.name = 'VoteCast' and v.data->>'proposal' = p.data->>'proposal' and v.data->>'side' = 'For') as votes_for,
    (select coalesce(sum((v.data->>'weight')::numeric), 0) from events v where v.name = 'VoteCast' and v.data->>'proposal' = p.data->>'proposal' and v.data->>'side' = 'Against') as votes_against,
    (select coalesce(sum((v.data->>'weight')::numeric), 0) from events v where v.name = 'VoteCast' and v.data->>'proposal' = p.data->>'proposal' and v.data->>'side' = 'Abstain') as votes_abstain
  from events p where p.name = 'ProposalCreated';

create or replace view votes as
  select data->>'proposal' as proposal, data->>'voter' as voter, data->>'stake_account' as stake_account,
    data->>'side' as side, (data->>'weight')::numeric as weight, signature, slot, day
  from event_days where name = 'VoteCast';

-- The network per day: bytes served, fees, burns and stake moved.
create or replace view daily as
  select d.day, coalesce(r.bytes_served, 0) as bytes_served, coalesce(r.fees, 0) as fees, coalesce(b.burned, 0) as burned,
    coalesce(s.staked, 0) as staked, d.events
  from daily_activity d
  left join (select day, sum(bytes) as bytes_served, sum(amount) as fees from receipts_daily group by day) r on r.day = d.day
  left join (select day, sum(amount) as burned from burns_daily_totals group by day) b on b.day = d.day
  left join stake_daily_totals s on s.day = d.day
  where d.events > 0;

-- Per provider and day: bytes, receipts and what the provider earned (the escrows it drew on
-- are distinct per day, not a sum: counted from that day's receipts).
create or replace view provider_daily as
  select t.day, t.provider, sum(t.bytes) as bytes, sum(t.provider_amount) as revenue, sum(t.receipts)::bigint as receipts,
    (select count(distinct c.escrow) from receipt_context c where c.provider = t.provider and c.day = t.day) as escrows
  from provider_receipts_daily t group by t.day, t.provider;

-- Fake-usage signals. Each receipt with what it is judged against: the escrow it settled
-- (the latest opening of that address before it) and the provider's list price for the
-- receipt's mint at that moment (its registration or latest update before it). This view
-- computes it; the table receipt_context holds its rows, written with the events
-- (refreshReceiptContext in scan/schema.ts), so the signals do not redo these lookups per receipt.
create or replace view receipt_context_live as
  select r.*, o.consumer, o.opened_signature, o.opened_at, o.escrow_price_per_gib,
    reg.operator, p.list_price_per_gib, p.price_signature
  from receipts r
  -- A provider's address derives from its operator: its first registration names it.
  left join lateral (
    select g.data->>'operator' as operator from events g where g.name = 'ProviderRegistered' and g.data->>'provider' = r.provider
    order by g.slot, g.id limit 1) reg on true
  left join lateral (
    select e.data->>'consumer' as consumer, e.signature as opened_signature, e.block_time as opened_at,
      (e.data->>'price_per_gib')::numeric as escrow_price_per_gib
    from events e where e.data->>'escrow' = r.escrow and e.name = 'EscrowOpened' and (e.slot, e.id) <= (r.slot, r.id)
    order by e.slot desc, e.id desc limit 1) o on true
  left join lateral (
    select u.signature as price_signature,
      case when r.mint = (select m.data->>'media_mint' from events m where m.name = 'ConfigInitialized' and m.data ? 'media_mint' limit 1)
        then (u.data->>'media_price_per_gib')::numeric else (u.data->>'quote_price_per_gib')::numeric end as list_price_per_gib
    from events u where u.data->>'provider' = r.provider and u.name in ('ProviderRegistered', 'ProviderUpdated') and (u.slot, u.id) <= (r.slot, r.id)
    order by u.slot desc, u.id desc limit 1) p on true;

-- A database indexed before the table: fill it once.
insert into receipt_context select * from receipt_context_live where not exists (select 1 from receipt_context);
${FILL_DERIVED}

-- Receipts that paid less than the provider's list price at the time (the program only holds
-- them to the escrow's price, recorded when it opened): amount < ceil(bytes * price / GiB).
create or replace view underpriced_receipts as
  select * from receipt_context where amount * 1073741824 < bytes * list_price_per_gib;

-- What each consumer paid each provider.
create or replace view provider_consumers as
  select provider, consumer, sum(amount) as amount, sum(bytes) as bytes, count(*) as receipts,
    jsonb_agg(distinct escrow) as escrows, jsonb_agg(signature order by slot, id) as signatures
  from receipt_context group by provider, consumer;

-- A provider whose top consumer paid at least 80% of its fees. Sums first; the escrows and
-- signatures only of the pairs it flags.
create or replace view revenue_concentration as
  select r.provider, r.consumer as top_consumer, r.amount as top_amount, r.total_amount, r.consumers, e.escrows, e.signatures
  from (
    select c.*, row_number() over (partition by provider order by amount desc, consumer) as rank,
      sum(amount) over (partition by provider) as total_amount, count(*) over (partition by provider) as consumers
    from (select provider, consumer, amount from provider_consumer_totals) c) r
  cross join lateral (
    select jsonb_agg(distinct x.escrow) as escrows, jsonb_agg(x.signature order by x.slot, x.id) as signatures
    from receipt_context x where x.provider = r.provider and x.consumer is not distinct from r.consumer) e
  where r.rank = 1 and r.total_amount > 0 and r.amount * 10 >= r.total_amount * 8;

-- A provider-day where most bytes came from escrows opened less than an hour before the receipt.
-- Sums from the per-day table; the escrows and signatures only of the days it flags.
create or replace view new_escrow_volume as
  select t.provider, t.day, t.bytes, t.new_escrow_bytes, e.escrows, e.signatures
  from (select provider, day, sum(bytes) as bytes, sum(new_escrow_bytes) as new_escrow_bytes from provider_receipts_daily group by provider, day) t
  cross join lateral (
    select jsonb_agg(distinct jsonb_build_object('escrow', c.escrow, 'opened', c.opened_signature)) as escrows,
      jsonb_agg(c.signature order by c.slot, c.id) as signatures
    from receipt_context c where c.provider = t.provider and c.day = t.day and c.block_time - c.opened_at < 3600) e
  where t.new_escrow_bytes * 2 > t.bytes;

-- Every transaction that opened or funded an escrow, and who paid its fee (kept with the events).
create or replace view escrow_payers as
  select escrow, name, signature, slot, id, fee_payer from escrow_fee_payers;

-- Receipts paid from an escrow linked to the provider's own operator (who is also its stake's
-- owner): opened by it (the program now refuses that), or opened or funded by a transaction
-- whose fee the operator paid. Deposits carry no funder and token transfers are not indexed,
-- so tokens handed to a consumer wallet in a separate transfer are not a link here.
create or replace view self_dealing as
  -- The few escrows an operator paid to open or fund first (each a small table lookup), then
  -- their receipts by escrow: not every receipt joined to every payer.
  with operators as materialized (select distinct g.data->>'operator' as operator from events g where g.name = 'ProviderRegistered'),
  linked as materialized (select distinct p.escrow, p.fee_payer from escrow_payers p where p.fee_payer in (select operator from operators)),
  candidates as materialized (
    select o.id from receipt_context o where o.consumer = o.operator
    union
    -- offset 0: one index probe per linked escrow; joined, the planner may read every receipt instead.
    select x.id from linked k cross join lateral (
      select r.id from receipt_context r where r.escrow = k.escrow and r.operator = k.fee_payer offset 0) x)
  select c.provider, c.operator, c.consumer, c.escrow, l.links, sum(c.bytes) as bytes, sum(c.amount) as amount,
    jsonb_agg(c.signature order by c.slot, c.id) as signatures
  from candidates q
  join receipt_context c on c.id = q.id
  left join lateral (
    select jsonb_agg(p.signature order by p.slot, p.id) as links from escrow_payers p
    where p.escrow = c.escrow and p.fee_payer = c.operator and (p.slot, p.id) <= (c.slot, c.id)) l on true
  where c.consumer = c.operator or l.links is not null
  group by c.provider, c.operator, c.consumer, c.escrow, l.links;

-- Every signal in one list: what is flagged, its figure, and the transactions behind it.
create or replace view fake_usage_signals as
  select 'underpriced' as signal, provider, null::date as day,
    jsonb_build_object('receipts', jsonb_agg(jsonb_build_object('signature', signature, 'escrow', escrow, 'bytes', bytes::text, 'amount', amount::text,
      'list_price_per_gib', list_price_per_gib::text, 'price_signature', price_signature) order by slot, id)) as evidence
    from underpriced_receipts group by provider
  union all
  select 'concentration', provider, null, jsonb_build_object('consumer', top_consumer, 'amount', top_amount::text, 'total', total_amount::text,
      'consumers', consumers::text, 'escrows', escrows, 'signatures', signatures)
    from revenue_concentration
  union all
  select 'new-escrow-volume', provider, day, jsonb_build_object('bytes', bytes::text, 'new_escrow_bytes', new_escrow_bytes::text,
      'escrows', escrows, 'signatures', signatures)
    from new_escrow_volume
  union all
  select 'self-dealing', provider, null, jsonb_build_object('operator', operator, 'consumer', consumer, 'escrow', escrow,
      'links', coalesce(links, '[]'::jsonb), 'bytes', bytes::text, 'amount', amount::text, 'signatures', signatures)
    from self_dealing;

-- One row per indexing pass (scan/snapshot.ts): what events do not carry, read from the chain
-- before the pass and written after it, so a row at slot S means every transaction up to S is
-- indexed. media_supply is the MEDIA mint's supply at S (its account, as getTokenSupply reports it).
create table if not exists snapshots (
  slot bigint primary key,
  block_time bigint not null,
  taken_at timestamptz not null default now(),
  media_mint text,
  media_supply numeric,
  quota_bytes_per_media numeric,
  quota_window bigint
);

-- Added with the contributor economy (before the views over snapshots, which list its columns).
-- What the snapshot reads of it once per pass (scan/snapshot.ts): the mint's authority (null
-- once genesis removed it: the supply is fixed), the rewards pool and its two vaults, and the
-- bandwidth activity window that decides which operators earn.
alter table snapshots add column if not exists mint_authority text;
alter table snapshots add column if not exists emission_vault_balance numeric;
alter table snapshots add column if not exists fee_share_vault_balance numeric;
alter table snapshots add column if not exists rewards_pool jsonb;
alter table snapshots add column if not exists activity_window bigint;
alter table snapshots add column if not exists allocations jsonb;
-- Added with the pause rule of the activity window: the bandwidth pause switch, and each known
-- operator's activity run as staking reads it (scan/snapshot.ts, OperatorRun), its end with the
-- pause applied at the snapshot's clock.
alter table snapshots add column if not exists bandwidth_pause jsonb;
alter table snapshots add column if not exists operator_runs jsonb;

-- The latest snapshot: the dashboard's "now" (chain clock) and "indexed through".
create or replace view latest_snapshot as
  select * from snapshots order by slot desc limit 1;

-- The MEDIA mint's supply at the end of each day (the day's last snapshot).
create or replace view supply_daily as
  select distinct on (day) day, slot, block_time, media_mint, media_supply
  from (select s.*, (to_timestamp(s.block_time) at time zone 'UTC')::date as day from snapshots s where s.media_supply is not null) d
  order by day, slot desc;

-- Active stake over time: each change moves its owner's active stake by a delta; their running
-- sum is the network's total active stake after that change.
create or replace view active_stake_series as
  select signature, slot, id, day, owner, name, active, delta, sum(delta) over (order by slot, id) as total_active
  from (select c.*, c.active - coalesce(lag(c.active) over (partition by c.owner order by c.slot, c.id), 0) as delta
    from stake_changes c where c.active is not null) d;

-- Per day: bytes, fees and protocol revenue by mint (MEDIA or quote), burns by kind, and at the
-- day's end the supply (last snapshot so far) and the total active stake (last change so far).
create or replace view daily_series as
  with media as (select data->>'media_mint' as mint from events where name = 'ConfigInitialized' and data ? 'media_mint' limit 1),
  r as (
    select day, sum(bytes) as bytes, sum(receipts)::bigint as receipts,
      sum(case when mint = (select mint from media) then amount else 0 end) as fees_media,
      sum(case when mint = (select mint from media) then 0 else amount end) as fees_quote,
      sum(case when mint = (select mint from media) then treasury_amount + staker_amount else 0 end) as revenue_media,
      sum(case when mint = (select mint from media) then 0 else treasury_amount + staker_amount end) as revenue_quote
    from receipts_daily group by day),
  b as (select day, sum(case when kind = 'fees' then amount else 0 end) as fees, sum(case when kind = 'buyback' then amount else 0 end) as buyback
    from burns_daily_totals group by day),
  -- Each staker's active stake moves by (its last figure of the day - its last figure before);
  -- the running sum of those moves is the network's active stake at each day's end.
  staked as materialized (
    select day, sum(delta) over (order by day) as total_active
    from (select day, sum(delta) as delta from (
      select day, active - coalesce(lag(active) over (partition by owner order by day), 0) as delta from staker_day_active) m group by day) d),
  supply as materialized (select day, media_supply, slot from supply_daily),
  days as (select day from daily_activity where events > 0 union select day from supply)
  select d.day, coalesce(r.bytes, 0) as bytes_served, coalesce(r.receipts, 0) as receipts,
    coalesce(r.fees_media, 0) as fees_media, coalesce(r.fees_quote, 0) as fees_quote,
    coalesce(r.revenue_media, 0) as revenue_media, coalesce(r.revenue_quote, 0) as revenue_quote,
    coalesce(b.fees, 0) as burned_fees, coalesce(b.buyback, 0) as burned_buyback,
    (select s.media_supply from supply s where s.day <= d.day order by s.day desc limit 1) as supply,
    coalesce((select t.total_active from staked t where t.day <= d.day order by t.day desc limit 1), 0) as staked
  from days d left join r on r.day = d.day left join b on b.day = d.day;

-- Each provider's quota: what its latest settlement left in its rolling window (quota_used,
-- at that receipt's block time), decayed linearly to the latest snapshot's clock as
-- settle_receipt decays it, against the quota its operator's active stake gives.
create or replace view provider_quota as
  select p.provider, p.operator, coalesce(p.operator_stake, 0) as operator_stake, q.signature as quota_signature,
    coalesce(q.quota_used, 0) as quota_used, q.block_time as quota_updated_at, s.slot as at_slot, s.block_time as at, s.quota_window,
    div(coalesce(p.operator_stake, 0) * coalesce(s.quota_bytes_per_media, 0), ${MEDIA_UNITS}) as quota,
    case when q.quota_used is null or s.quota_window is null then 0
      when s.block_time - q.block_time <= 0 then q.quota_used
      when s.block_time - q.block_time >= s.quota_window then 0
      else div(q.quota_used * (s.quota_window - (s.block_time - q.block_time)), s.quota_window) end as quota_used_now
  from providers p
  left join latest_snapshot s on true
  left join lateral (
    select e.signature, e.block_time, (e.data->>'quota_used')::numeric as quota_used from events e
    where e.name = 'ReceiptSettled' and e.data->>'provider' = p.provider order by e.slot desc, e.id desc limit 1) q on true;

-- The contributor economy (media_staking's rewards pool, operator pools and delegations).
create index if not exists events_by_operator on events ((data->>'operator'), name, slot, id);

-- Each bind, top-up or unbind: the position's bound stake after it (0 after an undelegate).
create or replace view delegation_changes as
  select signature, slot, id, block_time, day, name, data->>'owner' as owner, data->>'operator' as operator,
    (data->>'amount')::numeric as amount,
    case when name = 'Delegated' then (data->>'bound')::numeric else 0 end as bound
  from event_days where name in ('Delegated', 'Undelegated');

-- Each position's latest state (the operator it names is the last one bound) and its claims.
create or replace view delegations as
  select l.owner, l.operator, l.bound, l.owner = l.operator as self_bond, l.slot as changed_slot, l.signature as changed_signature,
    coalesce(c.emissions_claimed, 0) as emissions_claimed, coalesce(c.fees_claimed, 0) as fees_claimed
  from (select distinct on (owner) * from delegation_changes order by owner, slot desc, id desc) l
  left join (
    select data->>'owner' as owner, sum((data->>'emissions')::numeric) as emissions_claimed, sum((data->>'fees')::numeric) as fees_claimed
    from events where name = 'DelegationRewardsClaimed' group by data->>'owner'
  ) c on c.owner = l.owner;

-- Each operator pool: the stake bound to it (its own bond and delegators'), its terms as of the
-- latest snapshot's clock (the latest scheduled change applies from its effective time; until
-- then it is pending), what was claimed through it, and the end of its activity run as staking
-- reads it at that clock (from the snapshot: the provider's recorded end, extended by a bandwidth
-- pause the run reached; the operator earns while it is not before the clock).
create or replace view operator_pools as
  select o.data->>'operator' as operator, o.slot as opened_slot, o.signature as opened_signature,
    coalesce(d.bound_total, 0) as bound_total, coalesce(d.self_bound, 0) as self_bound,
    coalesce(d.bound_total, 0) - coalesce(d.self_bound, 0) as delegated, coalesce(d.delegators, 0) as delegators,
    case when l.effective_at is null then (o.data->>'commission_bps')::integer
      when l.effective_at <= coalesce(s.block_time, 0) then l.pending_commission_bps else l.commission_bps end as commission_bps,
    case when l.effective_at is null then (o.data->>'fee_share_bps')::integer
      when l.effective_at <= coalesce(s.block_time, 0) then l.pending_fee_share_bps else l.fee_share_bps end as fee_share_bps,
    case when l.effective_at > coalesce(s.block_time, 0) then l.pending_commission_bps end as pending_commission_bps,
    case when l.effective_at > coalesce(s.block_time, 0) then l.pending_fee_share_bps end as pending_fee_share_bps,
    case when l.effective_at > coalesce(s.block_time, 0) then l.effective_at end as pending_effective_at,
    coalesce(c.commission_claimed, 0) as commission_claimed, coalesce(c.operator_fees_claimed, 0) as operator_fees_claimed,
    coalesce(d.emissions_claimed, 0) as delegator_emissions_claimed, coalesce(d.fees_claimed, 0) as delegator_fees_claimed,
    a.last_settled_at, (s.operator_runs->(o.data->>'operator')->>'active_until')::bigint as active_until
  from events o
  left join latest_snapshot s on true
  left join (
    select operator, sum(bound) as bound_total, sum(case when self_bond then bound else 0 end) as self_bound,
      count(*) filter (where bound > 0 and not self_bond) as delegators,
      sum(emissions_claimed) as emissions_claimed, sum(fees_claimed) as fees_claimed
    from delegations group by operator
  ) d on d.operator = o.data->>'operator'
  left join lateral (
    select (c.data->>'commission_bps')::integer as commission_bps, (c.data->>'fee_share_bps')::integer as fee_share_bps,
      (c.data->>'pending_commission_bps')::integer as pending_commission_bps, (c.data->>'pending_fee_share_bps')::integer as pending_fee_share_bps,
      (c.data->>'effective_at')::bigint as effective_at
    from events c where c.name = 'CommissionChangeScheduled' and c.data->>'operator' = o.data->>'operator'
    order by c.slot desc, c.id desc limit 1) l on true
  left join (
    select data->>'operator' as operator, sum((data->>'commission')::numeric) as commission_claimed, sum((data->>'fees')::numeric) as operator_fees_claimed
    from events where name = 'CommissionClaimed' group by data->>'operator'
  ) c on c.operator = o.data->>'operator'
  -- Activity: the operator's provider's latest settlement (its block time stands for the clock).
  left join lateral (
    select max(r.block_time) as last_settled_at from receipts r
    where r.provider = (select g.data->>'provider' from events g where g.name = 'ProviderRegistered' and g.data->>'operator' = o.data->>'operator' limit 1)
  ) a on true
  where o.name = 'OperatorOpened';

insert into scan_meta (key, value) values ('schema_version', '${SCHEMA_VERSION}') on conflict (key) do nothing;
`;

/** An event as the indexer writes it: what decides which receipts' context it changes. */
export interface WrittenEvent {
  signature: string;
  name: string;
  data: Record<string, unknown>;
}

/**
 * Keeps the table receipt_context equal to the view receipt_context_live after `events` were
 * written (in the same database transaction): the rows of the batch's receipts, and of every
 * receipt whose context an event of the batch can change (a later opening of its escrow, a
 * registration or price update of its provider, the MEDIA mint's config), are computed again
 * by the view. Events usually arrive in chain order, so the second set is empty; it keeps the
 * table right when they do not (an RPC that lists programs out of order, a re-index).
 * Every row it removes is subtracted from the receipt totals (scan/totals.ts) and every row it
 * writes is added, in the statement that moves it, so they stay receipt_context summed.
 */
export async function refreshReceiptContext(db: { query(sql: string, params?: unknown[]): Promise<unknown[]> }, events: WrittenEvent[]): Promise<void> {
  const text = (value: unknown) => (typeof value === "string" ? [value] : []);
  const receipts = [...new Set(events.filter((event) => event.name === "ReceiptSettled").map((event) => event.signature))];
  const escrows = [...new Set(events.filter((event) => event.name === "EscrowOpened").flatMap((event) => text(event.data.escrow)))];
  const providers = [
    ...new Set(events.filter((event) => event.name === "ProviderRegistered" || event.name === "ProviderUpdated").flatMap((event) => text(event.data.provider))),
  ];
  const everything = events.some((event) => event.name === "ConfigInitialized" && "media_mint" in event.data);
  const refresh = async (where: string, params: unknown[]) => {
    const [removed] = (await db.query(
      `with gone as (delete from receipt_context where ${where} returning *),
        changes as (select -1 as sign, g.* from gone g),
        ${asCtes(receiptTotalsStatements("changes"), "subtract")}
      select count(*)::integer as rows, coalesce(array_agg(distinct provider), '{}') as providers from gone`,
      params,
    )) as { rows: number; providers: string[] }[];
    await db.query(
      `with added as (insert into receipt_context select * from receipt_context_live where ${where} returning *),
        changes as (select 1 as sign, a.* from added a),
        ${asCtes(receiptTotalsStatements("changes"), "add")}
      select count(*) from added`,
      params,
    );
    // Rewritten rows cancel out; a key whose receipts all moved elsewhere is left at zero: drop it.
    if (removed.rows > 0) {
      for (const { sql, byProvider } of EMPTIED_RECEIPT_ROWS) await db.query(sql, byProvider ? [removed.providers] : []);
    }
  };
  if (everything) return refresh("true", []);
  if (receipts.length) await refresh("signature = any($1::text[])", [receipts]);
  if (escrows.length) await refresh("escrow = any($1::text[])", [escrows]);
  if (providers.length) await refresh("provider = any($1::text[])", [providers]);
}
