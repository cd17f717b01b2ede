/**
 * What events do not carry, read from the chain once per indexing pass: the MEDIA mint's supply
 * and authority (from the mint account: the supply `getTokenSupply` reports), the chain's clock,
 * the quota parameters (the staking config's `quota_bytes_per_media`, the bandwidth config's
 * `quota_window`; the bandwidth program logs no event when its config is created), and the
 * contributor economy's rewards pool, its two vaults and the bandwidth activity window (the
 * emission rate, pool balance and bound stake the dashboard's APRs come from), and each operator's
 * activity run as staking reads it (its provider account and the bandwidth pause, which no event
 * carries whole). The snapshot is read BEFORE the pass and written after it,
 * so a stored snapshot at slot S means: every transaction up to S is indexed, and the supply
 * at S was this. The dashboard shows its supply series and "indexed through" from these rows.
 * Which S a snapshot may claim is the indexer's decision (scan/indexer.ts, `readClaimableSnapshot`):
 * a read may be answered in a slot that is still open, so the reads record the slots they
 * were answered at (`readSlots`).
 */
import { BorshAccountsCoder, type Idl } from "@coral-xyz/anchor";
import { type Connection, PublicKey, SYSVAR_CLOCK_PUBKEY } from "@solana/web3.js";
import {
  GENESIS_ALLOCATIONS,
  MEDIA_BANDWIDTH_IDL,
  activeUntilAt,
  MEDIA_STAKING_IDL,
  type MediaProgramIds,
  allocationAccount,
  bandwidthConfigPda,
  devGenesisAllocations,
  emissionVaultPda,
  feeShareVaultPda,
  type PauseState,
  providerPda,
  rewardsPoolPda,
  stakingConfigPda,
} from "../sdk/src";
import type { ScanDatabase } from "./database";

export interface ChainSnapshot {
  /**
   * The slot the supply was read at (the configs and the clock were read at or just before it);
   * the indexer replaces it with the slot the snapshot can claim before writing it.
   */
  slot: number;
  /** The first and the last slot any of the reads was answered at: their state includes no transaction after `last`. */
  readSlots: ReadSlots;
  /** The chain's clock (unix seconds) when the configs were read. */
  unixTimestamp: bigint;
  /** Null while the staking program has no config (nothing to read a mint from). */
  mediaMint: string | null;
  mediaSupply: bigint | null;
  quotaBytesPerMedia: bigint | null;
  quotaWindow: bigint | null;
  /** The MEDIA mint's authority (base58), null once genesis removed it (the supply is fixed). */
  mintAuthority: string | null;
  /** The rewards pool's fields (snake_case, integers as decimal strings), null before `initialize_rewards_pool`. */
  rewardsPool: Record<string, string> | null;
  emissionVaultBalance: bigint | null;
  feeShareVaultBalance: bigint | null;
  /** The bandwidth config's activity window (seconds after a settlement an operator counts as active). */
  activityWindow: bigint | null;
  /**
   * The genesis allocations whose accounts exist, with their balances: the emission vault's, and
   * (when the deployer is known) those of the deployer's named accounts and faucet.
   */
  allocations: { name: string; holder: string; account: string; balance: string }[];
  /** The bandwidth config's pause switch, null before bandwidth has a config. */
  bandwidthPause: PauseState | null;
  /** The activity run of each known operator's provider (base58 operator -> run), see `OperatorRun`. */
  operatorRuns: Record<string, OperatorRun>;
}

/**
 * An operator's activity run as media_staking reads it at the snapshot's clock: the provider
 * account's fields, and the run's end with the bandwidth pause applied (`activeUntilAt`, the
 * on-chain `Provider::active_until_at`): a pause that began before the run ended extends it.
 * Decimal strings, as the snapshot row stores them.
 */
export interface OperatorRun {
  provider: string;
  active_since: string;
  /** The run's end at the snapshot's clock, pause included: the operator earns while it is >= the clock. */
  active_until: string;
  /** The end recorded at the provider's last settlement (before any later pause). */
  recorded_active_until: string;
  settled_paused_seconds: string;
}

/** The slots a snapshot's reads were answered at (each RPC answer's context slot). */
export class ReadSlots {
  first = Number.POSITIVE_INFINITY;
  last = Number.NEGATIVE_INFINITY;

  saw(slot: number): void {
    this.first = Math.min(this.first, slot);
    this.last = Math.max(this.last, slot);
  }
}

/** At most this many accounts per `getMultipleAccountsInfo` call (the RPC's limit). */
const ACCOUNTS_PER_CALL = 100;

/** Every allocation name a genesis may hold (production and development), each once. */
const ALLOCATION_LINES = [...GENESIS_ALLOCATIONS, ...devGenesisAllocations()].filter(
  (allocation, i, all) => all.findIndex((other) => other.name === allocation.name) === i,
);

/** The rewards pool fields the dashboard reads (emission rate, supply owed, bound stake). */
const REWARDS_POOL_FIELDS = [
  "initial_rate",
  "halving_period",
  "schedule_start",
  "scheduled_before",
  "released",
  "released_at",
  "claimed",
  "returned",
  "total_bound",
  "fee_share_received",
  "fee_share_claimed",
  "operators",
  "delegations",
] as const;
/** SPL token account: mint (32), owner (32), then the amount (u64). */
const TOKEN_AMOUNT_OFFSET = 64;
const tokenAmount = (data: Buffer | undefined): bigint | null =>
  data && data.length >= TOKEN_AMOUNT_OFFSET + 8 ? data.readBigUInt64LE(TOKEN_AMOUNT_OFFSET) : null;

const stakingCoder = new BorshAccountsCoder(MEDIA_STAKING_IDL as unknown as Idl);
const bandwidthCoder = new BorshAccountsCoder(MEDIA_BANDWIDTH_IDL as unknown as Idl);
const big = (value: { toString(): string }) => BigInt(value.toString());

/**
 * Reads the clock, the configs, the rewards pool and its vaults in one call, then the mint and
 * the allocations' accounts. `deployer` is the wallet that ran genesis (whose named accounts hold
 * the allocations other than the emission vault's); without it only the emission vault's is read.
 */
export async function readSnapshot(
  connection: Connection,
  programIds: MediaProgramIds,
  deployer?: PublicKey | null,
  operators: readonly PublicKey[] = [],
): Promise<ChainSnapshot> {
  const { context, value } = await connection.getMultipleAccountsInfoAndContext(
    [
      SYSVAR_CLOCK_PUBKEY,
      stakingConfigPda(programIds.staking),
      bandwidthConfigPda(programIds.bandwidth),
      rewardsPoolPda(programIds.staking),
      emissionVaultPda(programIds.staking),
      feeShareVaultPda(programIds.staking),
    ],
    "confirmed",
  );
  const readSlots = new ReadSlots();
  readSlots.saw(context.slot);
  const [clock, staking, bandwidth, rewardsPool, emissionVault, feeShareVault] = value;
  if (!clock) throw new Error("the RPC returned no Clock sysvar account: is --rpc a Solana JSON-RPC endpoint?");
  // Clock: slot, epoch_start_timestamp, epoch, leader_schedule_epoch (8 bytes each), unix_timestamp.
  const snapshot: ChainSnapshot = {
    slot: context.slot,
    readSlots,
    unixTimestamp: clock.data.readBigInt64LE(32),
    mediaMint: null,
    mediaSupply: null,
    quotaBytesPerMedia: null,
    quotaWindow: null,
    mintAuthority: null,
    rewardsPool: null,
    emissionVaultBalance: tokenAmount(emissionVault?.data),
    feeShareVaultBalance: tokenAmount(feeShareVault?.data),
    activityWindow: null,
    allocations: [],
    bandwidthPause: null,
    operatorRuns: {},
  };
  if (rewardsPool) {
    const pool = stakingCoder.decode("RewardsPool", rewardsPool.data);
    snapshot.rewardsPool = Object.fromEntries(REWARDS_POOL_FIELDS.map((field) => [field, String(pool[field])]));
  }
  if (staking) {
    const config = stakingCoder.decode("StakingConfig", staking.data);
    snapshot.mediaMint = (config.media_mint as PublicKey).toBase58();
    snapshot.quotaBytesPerMedia = big(config.quota_bytes_per_media);
    const mint = await connection.getAccountInfoAndContext(new PublicKey(snapshot.mediaMint), "confirmed");
    if (!mint.value) throw new Error(`no MEDIA mint at ${snapshot.mediaMint}`);
    snapshot.slot = Math.max(snapshot.slot, mint.context.slot);
    readSlots.saw(mint.context.slot);
    // SPL mint: mint authority (COption: u32 tag, key), then the supply (u64).
    snapshot.mediaSupply = mint.value.data.readBigUInt64LE(36);
    snapshot.mintAuthority = mint.value.data.readUInt32LE(0) === 1 ? new PublicKey(mint.value.data.subarray(4, 36)).toBase58() : null;
    snapshot.allocations = await readAllocations(connection, new PublicKey(snapshot.mediaMint), programIds, deployer ?? null, readSlots);
  }
  if (bandwidth) {
    const config = bandwidthCoder.decode("BandwidthConfig", bandwidth.data);
    snapshot.quotaWindow = big(config.quota_window);
    snapshot.activityWindow = config.activity_window === undefined ? null : big(config.activity_window);
    const pause = config.pause as Record<string, { toString(): string }>;
    snapshot.bandwidthPause = { pausedUntil: big(pause.paused_until), pausedSince: big(pause.paused_since), pausedBefore: big(pause.paused_before) };
  }
  snapshot.operatorRuns = await readOperatorRuns(connection, programIds, operators, snapshot, readSlots);
  return snapshot;
}

/**
 * The activity runs of `operators`' providers (those with a provider account), evaluated at the
 * snapshot's clock and bandwidth pause, a hundred accounts per call.
 */
export async function readOperatorRuns(
  connection: Connection,
  programIds: MediaProgramIds,
  operators: readonly PublicKey[],
  at: Pick<ChainSnapshot, "unixTimestamp" | "bandwidthPause">,
  readSlots?: ReadSlots,
): Promise<Record<string, OperatorRun>> {
  const runs: Record<string, OperatorRun> = {};
  for (let start = 0; start < operators.length; start += ACCOUNTS_PER_CALL) {
    const batch = operators.slice(start, start + ACCOUNTS_PER_CALL);
    const providers = batch.map((operator) => providerPda(operator, programIds.bandwidth));
    const { context, value: infos } = await connection.getMultipleAccountsInfoAndContext(providers, "confirmed");
    readSlots?.saw(context.slot);
    infos.forEach((info, i) => {
      if (!info) return;
      const account = bandwidthCoder.decode("Provider", info.data);
      const run = { activeUntil: big(account.active_until), settledPausedSeconds: big(account.settled_paused_seconds) };
      const activeUntil = at.bandwidthPause ? activeUntilAt(run, at.bandwidthPause, at.unixTimestamp) : run.activeUntil;
      runs[batch[i].toBase58()] = {
        provider: providers[i].toBase58(),
        active_since: String(account.active_since),
        active_until: activeUntil.toString(),
        recorded_active_until: run.activeUntil.toString(),
        settled_paused_seconds: run.settledPausedSeconds.toString(),
      };
    });
  }
  return runs;
}

/** The operators that opened a pool, as indexed so far. */
export async function indexedOperators(database: Pick<ScanDatabase, "query">): Promise<PublicKey[]> {
  const rows = await database.query("select distinct data->>'operator' as operator from events where name = 'OperatorOpened'");
  return rows.map((row) => new PublicKey(String(row.operator)));
}

/** The allocation lines of `mint` whose accounts exist, with their balances (see `ChainSnapshot.allocations`). */
export async function readAllocations(connection: Connection, mint: PublicKey, programIds: MediaProgramIds, deployer: PublicKey | null, readSlots?: ReadSlots) {
  const lines = await Promise.all(
    ALLOCATION_LINES.map(async (allocation) => {
      const { name, holder } = allocation;
      if (holder === "emission vault") return { name, holder, account: emissionVaultPda(programIds.staking) };
      return deployer ? { name, holder, account: await allocationAccount(deployer, mint, allocation) } : null;
    }),
  );
  const known = lines.filter((line) => line !== null);
  const { context, value: infos } = await connection.getMultipleAccountsInfoAndContext(
    known.map((line) => line.account),
    "confirmed",
  );
  readSlots?.saw(context.slot);
  return known.flatMap((line, i) => {
    const balance = tokenAmount(infos[i]?.data);
    return balance === null ? [] : [{ name: line.name, holder: line.holder, account: line.account.toBase58(), balance: balance.toString() }];
  });
}

export async function writeSnapshot(database: Pick<ScanDatabase, "query">, snapshot: ChainSnapshot): Promise<void> {
  await database.query(
    `insert into snapshots (slot, block_time, media_mint, media_supply, quota_bytes_per_media, quota_window,
       mint_authority, rewards_pool, emission_vault_balance, fee_share_vault_balance, activity_window, allocations,
       bandwidth_pause, operator_runs)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     on conflict (slot) do update set block_time = excluded.block_time, media_mint = excluded.media_mint, media_supply = excluded.media_supply,
       quota_bytes_per_media = excluded.quota_bytes_per_media, quota_window = excluded.quota_window, mint_authority = excluded.mint_authority,
       rewards_pool = excluded.rewards_pool, emission_vault_balance = excluded.emission_vault_balance,
       fee_share_vault_balance = excluded.fee_share_vault_balance, activity_window = excluded.activity_window,
       allocations = excluded.allocations, bandwidth_pause = excluded.bandwidth_pause, operator_runs = excluded.operator_runs,
       taken_at = now()`,
    [
      snapshot.slot,
      snapshot.unixTimestamp.toString(),
      snapshot.mediaMint,
      snapshot.mediaSupply?.toString() ?? null,
      snapshot.quotaBytesPerMedia?.toString() ?? null,
      snapshot.quotaWindow?.toString() ?? null,
      snapshot.mintAuthority,
      snapshot.rewardsPool === null ? null : JSON.stringify(snapshot.rewardsPool),
      snapshot.emissionVaultBalance?.toString() ?? null,
      snapshot.feeShareVaultBalance?.toString() ?? null,
      snapshot.activityWindow?.toString() ?? null,
      JSON.stringify(snapshot.allocations),
      snapshot.bandwidthPause === null
        ? null
        : JSON.stringify({
            paused_until: snapshot.bandwidthPause.pausedUntil.toString(),
            paused_since: snapshot.bandwidthPause.pausedSince.toString(),
            paused_before: snapshot.bandwidthPause.pausedBefore.toString(),
          }),
      JSON.stringify(snapshot.operatorRuns),
    ],
  );
}
