/**
 * What events do not carry, read from the chain once per indexing pass: the MEDIA mint's supply
 * (`getTokenSupply`), the chain's clock, and the quota parameters (the staking config's
 * `quota_bytes_per_media`, the bandwidth config's `quota_window`; the bandwidth program logs no
 * event when its config is created). The snapshot is read BEFORE the pass and written after it,
 * so a stored snapshot at slot S means: every transaction up to S is indexed, and the supply
 * at S was this. The dashboard shows its supply series and "indexed through" from these rows.
 */
import { BorshAccountsCoder, type Idl } from "@coral-xyz/anchor";
import { type Connection, PublicKey, SYSVAR_CLOCK_PUBKEY } from "@solana/web3.js";
import { MEDIA_BANDWIDTH_IDL, MEDIA_STAKING_IDL, type MediaProgramIds, bandwidthConfigPda, stakingConfigPda } from "../sdk/src";
import type { ScanDatabase } from "./database";

export interface ChainSnapshot {
  /** The slot the supply was read at (the configs and the clock were read at or just before it). */
  slot: number;
  /** The chain's clock (unix seconds) when the configs were read. */
  unixTimestamp: bigint;
  /** Null while the staking program has no config (nothing to read a mint from). */
  mediaMint: string | null;
  mediaSupply: bigint | null;
  quotaBytesPerMedia: bigint | null;
  quotaWindow: bigint | null;
}

const stakingCoder = new BorshAccountsCoder(MEDIA_STAKING_IDL as unknown as Idl);
const bandwidthCoder = new BorshAccountsCoder(MEDIA_BANDWIDTH_IDL as unknown as Idl);
const big = (value: { toString(): string }) => BigInt(value.toString());

/** Reads the clock and both configs in one call, then the mint's supply. */
export async function readSnapshot(connection: Connection, programIds: MediaProgramIds): Promise<ChainSnapshot> {
  const { context, value } = await connection.getMultipleAccountsInfoAndContext(
    [SYSVAR_CLOCK_PUBKEY, stakingConfigPda(programIds.staking), bandwidthConfigPda(programIds.bandwidth)],
    "confirmed",
  );
  const [clock, staking, bandwidth] = value;
  if (!clock) throw new Error("the RPC returned no Clock sysvar account: is --rpc a Solana JSON-RPC endpoint?");
  // Clock: slot, epoch_start_timestamp, epoch, leader_schedule_epoch (8 bytes each), unix_timestamp.
  const snapshot: ChainSnapshot = {
    slot: context.slot,
    unixTimestamp: clock.data.readBigInt64LE(32),
    mediaMint: null,
    mediaSupply: null,
    quotaBytesPerMedia: null,
    quotaWindow: null,
  };
  if (staking) {
    const config = stakingCoder.decode("StakingConfig", staking.data);
    snapshot.mediaMint = (config.media_mint as PublicKey).toBase58();
    snapshot.quotaBytesPerMedia = big(config.quota_bytes_per_media);
    const supply = await connection.getTokenSupply(new PublicKey(snapshot.mediaMint), "confirmed");
    snapshot.slot = Math.max(snapshot.slot, supply.context.slot);
    snapshot.mediaSupply = BigInt(supply.value.amount);
  }
  if (bandwidth) snapshot.quotaWindow = big(bandwidthCoder.decode("BandwidthConfig", bandwidth.data).quota_window);
  return snapshot;
}

export async function writeSnapshot(database: Pick<ScanDatabase, "query">, snapshot: ChainSnapshot): Promise<void> {
  await database.query(
    `insert into snapshots (slot, block_time, media_mint, media_supply, quota_bytes_per_media, quota_window) values ($1, $2, $3, $4, $5, $6)
     on conflict (slot) do update set block_time = excluded.block_time, media_mint = excluded.media_mint, media_supply = excluded.media_supply,
       quota_bytes_per_media = excluded.quota_bytes_per_media, quota_window = excluded.quota_window, taken_at = now()`,
    [
      snapshot.slot,
      snapshot.unixTimestamp.toString(),
      snapshot.mediaMint,
      snapshot.mediaSupply?.toString() ?? null,
      snapshot.quotaBytesPerMedia?.toString() ?? null,
      snapshot.quotaWindow?.toString() ?? null,
    ],
  );
}
