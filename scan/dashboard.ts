/**
 * What the Media Scan dashboard shows, as JSON: network totals, per-day series, the providers
 * table (stake, prices, quota use, revenue, flags), auctions and proposals, every amount a
 * decimal string in base units (bytes for traffic). And, for every figure, the events behind
 * it (`figureEvidence`): the dashboard links each number to that list.
 */
import { GENESIS_ALLOCATIONS, type OperatorPoolState, type RewardsPoolState, emissionRateAt, operatorPoolApr } from "../sdk/src";
import type { ScanDatabase } from "./database";

type Db = Pick<ScanDatabase, "query">;

/** The MEDIA mint as the staking (and treasury) config's creation logged it. */
const MEDIA_MINT = `(select m.data->>'media_mint' from events m where m.name = 'ConfigInitialized' and m.data ? 'media_mint' limit 1)`;
const STAKE_CHANGES = `e.name in ('Staked', 'UnstakeRequested', 'UnstakeCancelled', 'Withdrawn')`;
const num = (field: string) => `(e.data->>'${field}')::numeric`;

/** A figure's events: the filter on `events e`, and (for a sum) what each event adds. */
interface FigureDefinition {
  label: string;
  /** The unit of `sum`: bytes, MEDIA or quote base units, or a count. */
  unit: "bytes" | "media" | "quote" | "count";
  where: string;
  /** Summed over the listed events, it equals the figure (when the figure is a sum). */
  sum?: string;
  /** What the sum is, when it is not the figure itself. */
  sumLabel?: string;
  /** The figure is read from the chain snapshots (scan/snapshot.ts): list them too. */
  snapshots?: boolean;
  /** Parameters the figure needs (`provider`, `auction`, `proposal`, `operator`), in `$1`, `$2` order. */
  needs?: ("provider" | "auction" | "proposal" | "operator")[];
}

const OPERATOR_OF = `(select r.data->>'operator' from events r where r.name = 'ProviderRegistered' and r.data->>'provider' = $1 limit 1)`;

export const FIGURES: Readonly<Record<string, FigureDefinition>> = {
  "bytes-served": { label: "Bytes served", unit: "bytes", where: "e.name = 'ReceiptSettled'", sum: num("bytes") },
  receipts: { label: "Receipts settled", unit: "count", where: "e.name = 'ReceiptSettled'", sum: "1" },
  "fees-media": { label: "Fees paid in MEDIA", unit: "media", where: `e.name = 'ReceiptSettled' and e.data->>'mint' = ${MEDIA_MINT}`, sum: num("amount") },
  "fees-quote": { label: "Fees paid in quote", unit: "quote", where: `e.name = 'ReceiptSettled' and e.data->>'mint' <> ${MEDIA_MINT}`, sum: num("amount") },
  "revenue-media": {
    label: "Protocol revenue in MEDIA (treasury + stakers)",
    unit: "media",
    where: `e.name = 'ReceiptSettled' and e.data->>'mint' = ${MEDIA_MINT}`,
    sum: `${num("treasury_amount")} + ${num("staker_amount")}`,
  },
  "revenue-quote": {
    label: "Protocol revenue in quote (buybacks)",
    unit: "quote",
    where: `e.name = 'ReceiptSettled' and e.data->>'mint' <> ${MEDIA_MINT}`,
    sum: `${num("treasury_amount")} + ${num("staker_amount")}`,
  },
  "burned-fees": { label: "MEDIA burned from fees", unit: "media", where: "e.name = 'FeesBurned'", sum: num("amount") },
  "burned-buyback": { label: "MEDIA burned by buybacks", unit: "media", where: "e.name = 'AuctionTaken'", sum: num("media_burned") },
  burned: {
    label: "MEDIA burned by the protocol",
    unit: "media",
    where: "e.name in ('FeesBurned', 'AuctionTaken')",
    sum: `case when e.name = 'FeesBurned' then ${num("amount")} else ${num("media_burned")} end`,
  },
  supply: {
    label: "MEDIA supply: getTokenSupply of the mint before each indexing pass, and the protocol's burns that lowered it",
    unit: "media",
    where: "e.name in ('FeesBurned', 'AuctionTaken')",
    sum: `case when e.name = 'FeesBurned' then ${num("amount")} else ${num("media_burned")} end`,
    sumLabel: "Burned by these events",
    snapshots: true,
  },
  staked: { label: "Active stake (changes)", unit: "media", where: `${STAKE_CHANGES} and e.name <> 'Withdrawn'` },
  stakers: { label: "Stakers with active stake (stake changes)", unit: "count", where: STAKE_CHANGES },
  providers: { label: "Providers (registrations and updates)", unit: "count", where: "e.name in ('ProviderRegistered', 'ProviderUpdated')" },
  auctions: { label: "Buyback auctions", unit: "count", where: "e.name in ('AuctionStarted', 'AuctionTaken')" },
  proposals: {
    label: "Governance proposals",
    unit: "count",
    where: "e.name in ('ProposalCreated', 'InstructionAdded', 'VotingStarted', 'VoteCast', 'ProposalFinalized', 'ProposalExecuted', 'ProposalCancelled')",
  },
  "provider-stake": { label: "Operator's stake", unit: "media", where: `${STAKE_CHANGES} and e.data->>'owner' = ${OPERATOR_OF}`, needs: ["provider"] },
  "provider-price": {
    label: "Provider's prices",
    unit: "media",
    where: "e.name in ('ProviderRegistered', 'ProviderUpdated') and e.data->>'provider' = $1",
    needs: ["provider"],
  },
  "provider-quota": {
    label: "Quota use (settlements, and the operator's stake that sets the quota)",
    unit: "bytes",
    where: `(e.name = 'ReceiptSettled' and e.data->>'provider' = $1) or (${STAKE_CHANGES} and e.data->>'owner' = ${OPERATOR_OF})`,
    needs: ["provider"],
  },
  "provider-bytes": {
    label: "Bytes served by the provider",
    unit: "bytes",
    where: "e.name = 'ReceiptSettled' and e.data->>'provider' = $1",
    sum: num("bytes"),
    needs: ["provider"],
  },
  "provider-revenue-media": {
    label: "Provider's revenue in MEDIA",
    unit: "media",
    where: `e.name = 'ReceiptSettled' and e.data->>'provider' = $1 and e.data->>'mint' = ${MEDIA_MINT}`,
    sum: num("provider_amount"),
    needs: ["provider"],
  },
  "provider-revenue-quote": {
    label: "Provider's revenue in quote",
    unit: "quote",
    where: `e.name = 'ReceiptSettled' and e.data->>'provider' = $1 and e.data->>'mint' <> ${MEDIA_MINT}`,
    sum: num("provider_amount"),
    needs: ["provider"],
  },
  "provider-flags": {
    label: "Fake-usage signals: the transactions in their evidence",
    unit: "count",
    // Every string anywhere in the provider's signals' evidence that names an indexed transaction.
    where: `e.signature in (select v #>> '{}' from fake_usage_signals f, jsonb_path_query(f.evidence, 'lax $.**') v
      where f.provider = $1 and jsonb_typeof(v) = 'string')`,
    needs: ["provider"],
  },
  auction: {
    label: "Auction",
    unit: "count",
    where: "e.name in ('AuctionStarted', 'AuctionTaken') and e.data->>'auction_id' = $1",
    needs: ["auction"],
  },
  proposal: { label: "Proposal", unit: "count", where: "e.data->>'proposal' = $1", needs: ["proposal"] },
  "genesis-supply": {
    label: "Genesis supply: the mint's supply (read before each indexing pass, mint authority none) plus the protocol's burns",
    unit: "media",
    where: "e.name in ('FeesBurned', 'AuctionTaken')",
    sum: `case when e.name = 'FeesBurned' then ${num("amount")} else ${num("media_burned")} end`,
    sumLabel: "Burned by these events",
    snapshots: true,
  },
  "emission-pool": {
    label: "Rewards pool: the emission vault's balance (read before each indexing pass), its releases and the claims paid from it",
    unit: "media",
    where: "e.name in ('RewardsPoolInitialized', 'EmissionsReleased', 'EmissionScheduleUpdated', 'DelegationRewardsClaimed', 'CommissionClaimed')",
  },
  "emission-rate": {
    label: "Emission rate in base units per second (the schedule's current rate; its setting and changes)",
    unit: "media",
    where: "e.name in ('RewardsPoolInitialized', 'EmissionScheduleUpdated')",
  },
  bound: { label: "Stake bound to operators, their own included (binds, top-ups and unbinds)", unit: "media", where: "e.name in ('Delegated', 'Undelegated')" },
  "emissions-claimed": {
    label: "Emissions paid: delegators' emissions and operators' commission",
    unit: "media",
    where: "e.name in ('DelegationRewardsClaimed', 'CommissionClaimed')",
    sum: `case when e.name = 'DelegationRewardsClaimed' then ${num("emissions")} else ${num("commission")} end`,
  },
  "fee-share-claimed": {
    label: "Fee share paid: to delegators, and to operators while nobody was delegated",
    unit: "media",
    where: "e.name in ('DelegationRewardsClaimed', 'CommissionClaimed')",
    sum: num("fees"),
  },
  delegated: {
    label: "Stake delegated to operators (binds, top-ups and unbinds of positions other than the operators' own)",
    unit: "media",
    where: "e.name in ('Delegated', 'Undelegated') and e.data->>'owner' <> e.data->>'operator'",
  },
  operators: { label: "Operator pools (openings and commission changes)", unit: "count", where: "e.name in ('OperatorOpened', 'CommissionChangeScheduled')" },
  operator: {
    label: "Operator pool: its opening, terms, delegations and claims",
    unit: "count",
    where:
      "e.name in ('OperatorOpened', 'CommissionChangeScheduled', 'Delegated', 'Undelegated', 'DelegationRewardsClaimed', 'CommissionClaimed') and e.data->>'operator' = $1",
    needs: ["operator"],
  },
};

export type FigureParams = Partial<Record<"provider" | "auction" | "proposal" | "operator" | "day", string>>;

/** A figure or its parameters that the dashboard does not know. */
export class UnknownFigureError extends Error {
  override name = "UnknownFigureError";
}

export interface EvidenceEvent {
  signature: string;
  slot: string;
  blockTime: string | null;
  program: string;
  name: string;
  data: Record<string, unknown>;
  /** What this event adds to the figure, when the figure is a sum. */
  contributes: string | null;
}

export interface FigureEvidence {
  figure: string;
  label: string;
  unit: FigureDefinition["unit"];
  params: FigureParams;
  /** The first `limit` events, oldest first. */
  events: EvidenceEvent[];
  /** The sum of `contributes` over ALL the figure's events (null when the figure is not a sum). */
  sum: string | null;
  /** How many events and distinct transactions the figure has in all (more than listed when truncated). */
  eventCount: string;
  transactionCount: string;
  sumLabel: string;
  /** For a figure read from the chain: the snapshots (newest first, at most `limit`). */
  snapshots?: { slot: string; at: string; mediaSupply: string }[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The events behind `figure` (optionally only those of one UTC day), oldest first. */
export async function figureEvidence(db: Db, figure: string, params: FigureParams = {}, limit = 2000): Promise<FigureEvidence> {
  const definition = Object.hasOwn(FIGURES, figure) ? FIGURES[figure] : undefined;
  if (!definition) throw new UnknownFigureError(`unknown figure "${figure}": one of ${Object.keys(FIGURES).join(", ")}`);
  const values: string[] = [];
  for (const need of definition.needs ?? []) {
    const value = params[need];
    if (!value) throw new UnknownFigureError(`figure "${figure}" needs ?${need}=...`);
    values.push(value);
  }
  let where = `(${definition.where})`;
  if (params.day !== undefined) {
    if (!DAY.test(params.day)) throw new UnknownFigureError(`day "${params.day}": expected YYYY-MM-DD`);
    values.push(params.day);
    where += ` and (to_timestamp(coalesce(e.block_time, 0)) at time zone 'UTC')::date = $${values.length}::date`;
  }
  const snapshots = definition.snapshots
    ? await db.query<{ slot: string; at: string; media_supply: string }>(
        `select slot::text, block_time::text as at, media_supply::text from snapshots
         where media_supply is not null ${params.day !== undefined ? "and (to_timestamp(block_time) at time zone 'UTC')::date = $1::date" : ""}
         order by slot desc limit ${params.day !== undefined ? "$2" : "$1"}`,
        params.day !== undefined ? [params.day, String(limit)] : [String(limit)],
      )
    : undefined;
  const [totals] = await db.query<{ events: string; transactions: string; sum: string | null }>(
    `select count(*)::text as events, count(distinct e.signature)::text as transactions,
       ${definition.sum ? `coalesce(sum(${definition.sum}), 0)::text` : "null"} as sum
     from events e where ${where}`,
    values,
  );
  values.push(String(limit));
  const rows = await db.query<{
    signature: string;
    slot: string;
    block_time: string | null;
    program: string;
    name: string;
    data: unknown;
    contributes: string | null;
  }>(
    `select e.signature, e.slot::text, e.block_time::text, e.program, e.name, e.data, ${definition.sum ? `(${definition.sum})::text` : "null"} as contributes
     from events e where ${where} order by e.slot, e.id limit $${values.length}`,
    values,
  );
  const events = rows.map((row) => ({
    signature: row.signature,
    slot: row.slot,
    blockTime: row.block_time,
    program: row.program,
    name: row.name,
    data: (typeof row.data === "string" ? JSON.parse(row.data) : row.data) as Record<string, unknown>,
    contributes: row.contributes,
  }));
  return {
    figure,
    label: definition.label,
    unit: definition.unit,
    params,
    events,
    sum: totals.sum,
    eventCount: totals.events,
    transactionCount: totals.transactions,
    sumLabel: definition.sumLabel ?? "Sum over all its events",
    ...(snapshots ? { snapshots: snapshots.map((row) => ({ slot: row.slot, at: row.at, mediaSupply: row.media_supply })) } : {}),
  };
}

export interface DashboardData {
  /** The latest snapshot: every transaction up to `slot` is indexed; `at` is the chain's clock then. */
  indexedThrough: { slot: string; at: string } | null;
  mediaMint: string | null;
  totals: Record<string, string>;
  series: {
    day: string;
    bytesServed: string;
    receipts: string;
    feesMedia: string;
    feesQuote: string;
    revenueMedia: string;
    revenueQuote: string;
    burnedFees: string;
    burnedBuyback: string;
    supply: string | null;
    staked: string;
  }[];
  providers: {
    provider: string;
    operator: string;
    active: boolean;
    stake: string;
    mediaPricePerGib: string;
    quotePricePerGib: string;
    quota: string;
    quotaUsedNow: string;
    bytesServed: string;
    revenueMedia: string;
    revenueQuote: string;
    receipts: string;
    escrows: string;
    flags: string[];
  }[];
  auctions: {
    auctionId: string;
    lot: string;
    startPrice: string;
    floorPrice: string;
    clearingPrice: string | null;
    fills: string;
    quotePaid: string;
    mediaSold: string;
    mediaBurned: string;
    auctionStart: string;
    auctionEnd: string;
  }[];
  proposals: {
    proposal: string;
    proposalId: string;
    proposer: string;
    state: string;
    votes: string;
    votesFor: string;
    votesAgainst: string;
    votesAbstain: string;
  }[];
  /** The contributor economy as of the latest snapshot (null before `initialize_rewards_pool`). */
  emissions: {
    /** Null while the mint can still mint (before genesis removes its authority). */
    mintAuthority: string | null;
    poolBalance: string;
    /** Base units per second at the snapshot's clock. */
    emissionRate: string;
    released: string;
    claimed: string;
    returned: string;
    totalBound: string;
    /** Gross APR of a bound unit at the current rate (fraction), null while nothing is bound. */
    apr: number | null;
  } | null;
  operators: {
    operator: string;
    boundTotal: string;
    selfBound: string;
    delegated: string;
    delegators: string;
    commissionBps: number;
    feeShareBps: number;
    /** The change waiting for its effective time (unix seconds), or null. */
    pending: { commissionBps: number; feeShareBps: number; effectiveAt: string } | null;
    /** Whether its provider settled within the activity window of the snapshot's clock (it earns emissions). */
    active: boolean;
    /** APR at the current rate (fractions): a delegated unit after commission, the operator's own bond with its commission. */
    aprDelegator: number | null;
    aprOperator: number | null;
    commissionClaimed: string;
    delegatorEmissionsClaimed: string;
    delegatorFeesClaimed: string;
  }[];
  /**
   * The genesis allocations whose accounts the latest snapshot found (the emission vault's, and
   * the deployer's named accounts once genesis is indexed), with the production table's amount.
   */
  allocations: { name: string; holder: string; account: string; balance: string; amount: string | null }[];
  /** Every bound position (the operators' own bonds included), most stake first, with its APR at the current rate. */
  delegations: {
    owner: string;
    operator: string;
    bound: string;
    selfBond: boolean;
    /** The operator's delegator APR, or its operator APR for its own bond. */
    apr: number | null;
    emissionsClaimed: string;
    feesClaimed: string;
  }[];
}

const str = (value: unknown): string => (value === null || value === undefined ? "0" : String(value));
const strOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

export async function dashboardData(db: Db): Promise<DashboardData> {
  const [latest] = await db.query("select slot::text, block_time::text, media_mint, media_supply::text, allocations from latest_snapshot");
  const [totals] = await db.query(`
    with media as (select ${MEDIA_MINT} as mint)
    select
      (select coalesce(sum(events), 0) from daily_activity)::text as events,
      (select coalesce(sum(transactions), 0) from daily_activity)::text as transactions,
      (select coalesce(sum(bytes), 0) from receipts_daily)::text as bytes_served,
      (select coalesce(sum(receipts), 0) from receipts_daily)::text as receipts,
      (select coalesce(sum(amount), 0) from receipts_daily where mint = (select mint from media))::text as fees_media,
      (select coalesce(sum(amount), 0) from receipts_daily where mint <> (select mint from media))::text as fees_quote,
      (select coalesce(sum(treasury_amount + staker_amount), 0) from receipts_daily where mint = (select mint from media))::text as revenue_media,
      (select coalesce(sum(treasury_amount + staker_amount), 0) from receipts_daily where mint <> (select mint from media))::text as revenue_quote,
      (select coalesce(sum(amount), 0) from burns_daily_totals where kind = 'fees')::text as burned_fees,
      (select coalesce(sum(amount), 0) from burns_daily_totals where kind = 'buyback')::text as burned_buyback,
      (select coalesce(sum(amount), 0) from burns_daily_totals)::text as burned,
      (select coalesce(sum(active), 0) from stakers)::text as staked,
      (select count(*) from stakers where active > 0)::text as stakers,
      (select count(*) from providers)::text as providers,
      (select count(*) from auctions)::text as auctions,
      (select count(*) from proposals)::text as proposals,
      (select coalesce(sum(case when name = 'DelegationRewardsClaimed' then (data->>'emissions')::numeric else (data->>'commission')::numeric end), 0)
        from events where name in ('DelegationRewardsClaimed', 'CommissionClaimed'))::text as emissions_claimed,
      (select coalesce(sum((data->>'fees')::numeric), 0) from events where name in ('DelegationRewardsClaimed', 'CommissionClaimed'))::text as fee_share_claimed,
      (select coalesce(sum(delegated), 0) from operator_pools)::text as delegated,
      (select count(*) from operator_pools)::text as operators`);
  const [pool] = await db.query(
    "select block_time::text, mint_authority, rewards_pool, emission_vault_balance::text from snapshots where rewards_pool is not null order by slot desc limit 1",
  );
  const operatorRows = await db.query(`select operator, bound_total::text, self_bound::text, delegated::text, delegators::text, commission_bps, fee_share_bps,
      pending_commission_bps, pending_fee_share_bps, pending_effective_at::text, active_until::text, commission_claimed::text,
      delegator_emissions_claimed::text, delegator_fees_claimed::text from operator_pools order by bound_total desc, operator`);
  const delegationRows = await db.query(`select owner, operator, bound::text, self_bond, emissions_claimed::text, fees_claimed::text
      from delegations where bound > 0 order by bound desc, owner`);
  const emissions = pool ? emissionsOf(pool) : null;
  const series = await db.query(`select day::text, bytes_served::text, receipts::text, fees_media::text, fees_quote::text, revenue_media::text,
      revenue_quote::text, burned_fees::text, burned_buyback::text, supply::text, staked::text from daily_series order by day`);
  const providers = await db.query(`
    select p.provider, p.operator, p.active, coalesce(p.operator_stake, 0)::text as stake, p.media_price_per_gib::text, p.quote_price_per_gib::text,
      q.quota::text, q.quota_used_now::text, p.bytes_served::text, p.receipts::text, p.escrows::text,
      (select coalesce(sum(r.provider_amount), 0) from provider_totals r where r.provider = p.provider and r.mint = ${MEDIA_MINT})::text as revenue_media,
      (select coalesce(sum(r.provider_amount), 0) from provider_totals r where r.provider = p.provider and r.mint <> ${MEDIA_MINT})::text as revenue_quote,
      coalesce(f.flags, '[]'::jsonb) as flags
    from providers p left join provider_quota q on q.provider = p.provider
    -- The signals once for all providers (the view joins every receipt to its context).
    left join (select provider, jsonb_agg(distinct signal) as flags from fake_usage_signals group by provider) f on f.provider = p.provider
    order by p.bytes_served desc, p.provider`);
  const auctions = await db.query(`select auction_id::text, lot::text, start_price::text, floor_price::text, clearing_price::text, fills::text,
      quote_paid::text, media_sold::text, media_burned::text, auction_start::text, auction_end::text from auctions order by auction_id desc`);
  const proposals = await db.query(`select proposal, proposal_id::text, proposer, state, votes::text, votes_for::text, votes_against::text, votes_abstain::text
      from proposals order by proposal_id desc`);
  const operators = operatorRows.map((row) => {
    const at = emissions?.at ?? 0n;
    const active = row.active_until !== null && row.active_until !== undefined && BigInt(String(row.active_until)) >= at;
    const state = operatorState(row);
    const apr = emissions ? operatorPoolApr(emissions.pool, state, active ? { activeUntil: at } : null, at) : null;
    return {
      operator: String(row.operator),
      boundTotal: str(row.bound_total),
      selfBound: str(row.self_bound),
      delegated: str(row.delegated),
      delegators: str(row.delegators),
      commissionBps: Number(row.commission_bps),
      feeShareBps: Number(row.fee_share_bps),
      pending:
        row.pending_effective_at === null || row.pending_effective_at === undefined
          ? null
          : {
              commissionBps: Number(row.pending_commission_bps),
              feeShareBps: Number(row.pending_fee_share_bps),
              effectiveAt: String(row.pending_effective_at),
            },
      active,
      aprDelegator: apr?.delegator ?? null,
      aprOperator: apr?.operator ?? null,
      commissionClaimed: str(row.commission_claimed),
      delegatorEmissionsClaimed: str(row.delegator_emissions_claimed),
      delegatorFeesClaimed: str(row.delegator_fees_claimed),
    };
  });
  const flags = (value: unknown): string[] => (typeof value === "string" ? JSON.parse(value) : ((value as string[] | null) ?? []));
  return {
    indexedThrough: latest ? { slot: String(latest.slot), at: String(latest.block_time) } : null,
    mediaMint: latest ? strOrNull(latest.media_mint) : null,
    totals: {
      events: str(totals.events),
      transactions: str(totals.transactions),
      "bytes-served": str(totals.bytes_served),
      receipts: str(totals.receipts),
      "fees-media": str(totals.fees_media),
      "fees-quote": str(totals.fees_quote),
      "revenue-media": str(totals.revenue_media),
      "revenue-quote": str(totals.revenue_quote),
      "burned-fees": str(totals.burned_fees),
      "burned-buyback": str(totals.burned_buyback),
      burned: str(totals.burned),
      ...(latest?.media_supply ? { supply: String(latest.media_supply) } : {}),
      staked: str(totals.staked),
      stakers: str(totals.stakers),
      providers: str(totals.providers),
      auctions: str(totals.auctions),
      proposals: str(totals.proposals),
      ...(latest?.media_supply ? { "genesis-supply": (BigInt(String(latest.media_supply)) + BigInt(str(totals.burned))).toString() } : {}),
      ...(emissions
        ? {
            "emission-pool": emissions.report.poolBalance,
            "emission-rate": emissions.report.emissionRate,
            bound: emissions.report.totalBound,
          }
        : {}),
      "emissions-claimed": str(totals.emissions_claimed),
      "fee-share-claimed": str(totals.fee_share_claimed),
      delegated: str(totals.delegated),
      operators: str(totals.operators),
    },
    series: series.map((row) => ({
      day: String(row.day),
      bytesServed: str(row.bytes_served),
      receipts: str(row.receipts),
      feesMedia: str(row.fees_media),
      feesQuote: str(row.fees_quote),
      revenueMedia: str(row.revenue_media),
      revenueQuote: str(row.revenue_quote),
      burnedFees: str(row.burned_fees),
      burnedBuyback: str(row.burned_buyback),
      supply: strOrNull(row.supply),
      staked: str(row.staked),
    })),
    providers: providers.map((row) => ({
      provider: String(row.provider),
      operator: String(row.operator),
      active: row.active === true,
      stake: str(row.stake),
      mediaPricePerGib: str(row.media_price_per_gib),
      quotePricePerGib: str(row.quote_price_per_gib),
      quota: str(row.quota),
      quotaUsedNow: str(row.quota_used_now),
      bytesServed: str(row.bytes_served),
      revenueMedia: str(row.revenue_media),
      revenueQuote: str(row.revenue_quote),
      receipts: str(row.receipts),
      escrows: str(row.escrows),
      flags: flags(row.flags),
    })),
    auctions: auctions.map((row) => ({
      auctionId: str(row.auction_id),
      lot: str(row.lot),
      startPrice: str(row.start_price),
      floorPrice: str(row.floor_price),
      clearingPrice: strOrNull(row.clearing_price),
      fills: str(row.fills),
      quotePaid: str(row.quote_paid),
      mediaSold: str(row.media_sold),
      mediaBurned: str(row.media_burned),
      auctionStart: str(row.auction_start),
      auctionEnd: str(row.auction_end),
    })),
    proposals: proposals.map((row) => ({
      proposal: String(row.proposal),
      proposalId: str(row.proposal_id),
      proposer: String(row.proposer),
      state: String(row.state),
      votes: str(row.votes),
      votesFor: str(row.votes_for),
      votesAgainst: str(row.votes_against),
      votesAbstain: str(row.votes_abstain),
    })),
    emissions: emissions?.report ?? null,
    allocations: allocationsOf(latest?.allocations),
    operators,
    delegations: delegationRows.map((row) => {
      const operator = operators.find((candidate) => candidate.operator === String(row.operator));
      const selfBond = row.self_bond === true;
      return {
        owner: String(row.owner),
        operator: String(row.operator),
        bound: str(row.bound),
        selfBond,
        apr: (selfBond ? operator?.aprOperator : operator?.aprDelegator) ?? null,
        emissionsClaimed: str(row.emissions_claimed),
        feesClaimed: str(row.fees_claimed),
      };
    }),
  };
}

/** The snapshot's allocation lines, with the production table's amount for each name it has. */
function allocationsOf(value: unknown): DashboardData["allocations"] {
  const lines = (typeof value === "string" ? JSON.parse(value) : (value ?? [])) as Omit<DashboardData["allocations"][number], "amount">[];
  return lines.map((line) => ({ ...line, amount: GENESIS_ALLOCATIONS.find((allocation) => allocation.name === line.name)?.amount.toString() ?? null }));
}

/** The rewards pool as the latest snapshot read it, and its figures at that snapshot's clock. */
function emissionsOf(row: Record<string, unknown>): { at: bigint; pool: RewardsPoolState; report: NonNullable<DashboardData["emissions"]> } {
  const fields = (typeof row.rewards_pool === "string" ? JSON.parse(row.rewards_pool) : row.rewards_pool) as Record<string, string>;
  const n = (name: string) => BigInt(fields[name] ?? "0");
  const at = BigInt(String(row.block_time));
  const pool: RewardsPoolState = {
    initialRate: n("initial_rate"),
    halvingPeriod: n("halving_period"),
    scheduleStart: n("schedule_start"),
    scheduledBefore: n("scheduled_before"),
    released: n("released"),
    releasedAt: n("released_at"),
    claimed: n("claimed"),
    returned: n("returned"),
    totalBound: n("total_bound"),
    emissionPerStake: 0n,
    feeShareReceived: n("fee_share_received"),
    feeShareClaimed: n("fee_share_claimed"),
  };
  const rate = emissionRateAt(pool, at);
  return {
    at,
    pool,
    report: {
      mintAuthority: row.mint_authority === null || row.mint_authority === undefined ? null : String(row.mint_authority),
      poolBalance: str(row.emission_vault_balance),
      emissionRate: rate.toString(),
      released: pool.released.toString(),
      claimed: pool.claimed.toString(),
      returned: pool.returned.toString(),
      totalBound: pool.totalBound.toString(),
      apr: pool.totalBound === 0n ? null : Number((rate * 365n * 86_400n * 1_000_000_000n) / pool.totalBound) / 1e9,
    },
  };
}

/** An operator_pools row as the terms and stake the APR reads (the accumulators do not matter to it). */
function operatorState(row: Record<string, unknown>): OperatorPoolState {
  return {
    boundTotal: BigInt(str(row.bound_total)),
    selfBound: BigInt(str(row.self_bound)),
    emissionPerStakePaid: 0n,
    rewardPerBound: 0n,
    feePerDelegated: 0n,
    feeShareSeen: 0n,
    syncedAt: 0n,
    activeUntilSeen: 0n,
    commissionBps: Number(row.commission_bps),
    feeShareBps: Number(row.fee_share_bps),
    pendingCommissionBps: 0,
    pendingFeeShareBps: 0,
    pendingEffectiveAt: 0n,
    commissionOwed: 0n,
    operatorFeesOwed: 0n,
    emissionsEarned: 0n,
    emissionsReturned: 0n,
  };
}

/**
 * Changes whenever the indexer writes: every window of transactions moves a cursor, every pass
 * ends with a snapshot. Both tables are tiny or keyed, so checking twice a second costs nothing
 * however many events are indexed.
 */
export async function dataVersion(db: Db): Promise<string> {
  const [row] = await db.query<{ version: string }>(
    `select coalesce((select max(updated_at) from cursors)::text, '-') || '|' || coalesce((select max(slot) from snapshots), 0)::text as version`,
  );
  return row.version;
}
