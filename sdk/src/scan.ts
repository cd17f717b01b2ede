import type { IdlAccounts } from "@coral-xyz/anchor";
import type { MediaPrograms } from "./programs";
import { governancePda } from "./governance";
import { bandwidthConfigPda } from "./bandwidth";
import type { MediaBandwidth } from "./generated/media_bandwidth";
import { treasuryConfigPda } from "./treasury";
import { stakingConfigPda } from "./pdas";
import { rewardStreamAt, stakingApr } from "./rewards";

const big = (value: { toString(): string }) => BigInt(value.toString());

/** Network totals, all in base units (MEDIA and quote have 6 decimals) or bytes. */
export interface MediaScanReport {
  /** Unix time the report's rolling quotas and reward stream were computed at. */
  at: bigint;
  staking: {
    totalActive: bigint;
    totalUnbonding: bigint;
    /** Wallets with active stake (the staking config's counter). */
    stakers: number;
    /** Rewards funded directly (`fund_rewards`), ever. */
    rewardsFunded: bigint;
    /** Rewards that arrived in the staking vault (fees, buybacks) and were folded in, ever. */
    rewardsReceived: bigint;
    /** Funded rewards still in the vault (unclaimed, still streaming, dust). */
    rewardReserve: bigint;
    /** Rewards per second of the current reward period, scaled by `REWARD_SCALE`. */
    rewardRate: bigint;
    /** When the current reward period ends. */
    rewardPeriodEnd: bigint;
    /** Staking APR over the current reward period (0.12 = 12%), null while nothing is staked. */
    apr: number | null;
  };
  bandwidth: {
    activeProviders: number;
    /**
     * Bytes in the providers' rolling quota windows at `at`, from the config's quota ring
     * (`networkQuotaUse`): at least this, and at most `quotaUsedNowMax`. The two are equal
     * unless updates from about one window ago are still decaying, and differ by at most an
     * eighth of those updates' bytes. (Each provider's own figure rounds down, so the
     * providers' figures may sum to up to one byte per provider less.)
     */
    quotaUsedNow: bigint;
    quotaUsedNowMax: bigint;
    /** Bytes ever settled (the config's lifetime counter). */
    bytesServed: bigint;
    openEscrows: number;
    /** Fees ever paid by consumers, per mint: lifetime counters that survive escrow closes. */
    feesPaid: { media: bigint; quote: bigint };
    /** The protocol's share of those fees, per mint. */
    protocolRevenue: { media: bigint; quote: bigint };
    /** Refunded to consumers by closes, per mint. */
    refunded: { media: bigint; quote: bigint };
  };
  /** Staking rewards by source, ever. */
  rewardsBySource: {
    /** `fund_rewards` (grants, the foundation). */
    funded: bigint;
    /** The stakers' share of MEDIA fees. */
    fees: bigint;
    /** The stakers' share of buyback MEDIA (quote revenue). */
    buybacks: bigint;
  };
  treasury: {
    /** MEDIA burned by the protocol: fee burns plus the burned part of buybacks. */
    totalBurned: bigint;
    feesBurned: bigint;
    /** MEDIA taken in by buyback auctions: burned plus sent to stakers. */
    boughtBack: bigint;
    buybackBurned: bigint;
    buybackToStakers: bigint;
    quoteSold: bigint;
    /** The auctions' reference price (MEDIA per quote unit, scaled by `TREASURY_PRICE_SCALE`). */
    referencePrice: bigint;
    lastClearingPrice: bigint;
  };
  governance: {
    proposals: number;
    /** Proposals whose voting opened and that are not finalized or cancelled yet. */
    openProposals: number;
  };
}

/** The bandwidth config's quota ring, as Anchor decodes it. */
export type NetworkQuota = IdlAccounts<MediaBandwidth>["bandwidthConfig"]["networkQuota"];

/**
 * The providers' rolling quota use at unix time `now` from the bandwidth config's quota ring
 * (`media_bandwidth_interface::quota::NetworkQuota::use_at`, mirrored): each slot sums the
 * providers whose quota was last updated in it, `used` and `used * updatedAt`, so a slot
 * wholly within the last `window` seconds sums exactly to
 * `(usedTime + (window - now) * used) / window`, an older one to nothing, and the one that
 * straddles `now - window` lies between that (at least 0) and `used * (last + window - now) / window`.
 */
export function networkQuotaUse(quota: NetworkQuota, now: bigint, window: bigint): { atLeast: bigint; atMost: bigint } {
  let atLeast = 0n;
  let atMost = 0n;
  for (const slot of quota.slots) {
    const used = big(slot.used);
    if (used === 0n) continue;
    const lastExpiry = big(slot.last) + window;
    if (lastExpiry <= now) continue;
    const summed = big(slot.usedTime) + used * (window - now);
    const linear = summed > 0n ? summed / window : 0n;
    atLeast += linear;
    atMost += big(slot.start) + window >= now ? linear : (used * (lastExpiry - now)) / window;
  }
  return { atLeast, atMost };
}

/**
 * "Media Scan": the network's totals, read from the four configs in one RPC call
 * (`getMultipleAccountsInfo`), whatever the number of stake accounts, providers, escrows or
 * proposals. Lifetime figures are the configs' counters, so history does not vanish when
 * escrows close; counts are counters the instructions keep (stakers with active stake, active
 * providers, open escrows, proposals in voting), and quota use is the bandwidth config's
 * quota ring. It works over any RPC endpoint, the project's localnet, or an in-process bank.
 *
 * @param now unix time for the rolling quota decay and the reward stream (the cluster's clock is best).
 */
export async function mediaScan(programs: MediaPrograms, now: bigint): Promise<MediaScanReport> {
  const { staking, bandwidth, treasury, governance } = programs;
  // The governance PDA is its config account.
  const addresses = [
    stakingConfigPda(staking.programId),
    bandwidthConfigPda(bandwidth.programId),
    treasuryConfigPda(treasury.programId),
    governancePda(governance.programId),
  ];
  const [stakingInfo, bandwidthInfo, treasuryInfo, governanceInfo] = await staking.provider.connection.getMultipleAccountsInfo(addresses);
  if (!stakingInfo) throw new Error(`no staking config at ${addresses[0].toBase58()}: initialize media_staking first (genesis)`);
  const stakingConfig = staking.coder.accounts.decode<IdlAccounts<typeof staking.idl>["stakingConfig"]>("stakingConfig", stakingInfo.data);
  // A program not initialized yet contributes zeros.
  const bandwidthConfig = bandwidthInfo
    ? bandwidth.coder.accounts.decode<IdlAccounts<typeof bandwidth.idl>["bandwidthConfig"]>("bandwidthConfig", bandwidthInfo.data)
    : null;
  const treasuryConfig = treasuryInfo
    ? treasury.coder.accounts.decode<IdlAccounts<typeof treasury.idl>["treasuryConfig"]>("treasuryConfig", treasuryInfo.data)
    : null;
  const governanceConfig = governanceInfo
    ? governance.coder.accounts.decode<IdlAccounts<typeof governance.idl>["governanceConfig"]>("governanceConfig", governanceInfo.data)
    : null;
  const counter = (value: { toString(): string } | undefined) => (value === undefined ? 0n : big(value));
  const quota = bandwidthConfig ? networkQuotaUse(bandwidthConfig.networkQuota, now, big(bandwidthConfig.quotaWindow)) : { atLeast: 0n, atMost: 0n };
  const stream = rewardStreamAt(stakingConfig, now);
  return {
    at: now,
    staking: {
      totalActive: big(stakingConfig.totalActive),
      totalUnbonding: big(stakingConfig.totalUnbonding),
      stakers: Number(stakingConfig.stakers.toString()),
      rewardsFunded: big(stakingConfig.totalRewardsFunded),
      rewardsReceived: big(stakingConfig.totalRewardsReceived),
      rewardReserve: big(stakingConfig.rewardReserve),
      rewardRate: stream.rewardRate,
      rewardPeriodEnd: stream.periodEnd,
      apr: stakingApr(stakingConfig, now),
    },
    bandwidth: {
      activeProviders: Number(counter(bandwidthConfig?.activeProviders)),
      quotaUsedNow: quota.atLeast,
      quotaUsedNowMax: quota.atMost,
      bytesServed: counter(bandwidthConfig?.bytesServed),
      openEscrows: Number(counter(bandwidthConfig?.openEscrows)),
      feesPaid: { media: counter(bandwidthConfig?.feesPaidMedia), quote: counter(bandwidthConfig?.feesPaidQuote) },
      protocolRevenue: { media: counter(bandwidthConfig?.protocolRevenueMedia), quote: counter(bandwidthConfig?.protocolRevenueQuote) },
      refunded: { media: counter(bandwidthConfig?.refundedMedia), quote: counter(bandwidthConfig?.refundedQuote) },
    },
    rewardsBySource: {
      funded: big(stakingConfig.totalRewardsFunded),
      fees: counter(bandwidthConfig?.stakerRewardsPaid),
      buybacks: counter(treasuryConfig?.totalBuybackToStakers),
    },
    treasury: {
      totalBurned: counter(treasuryConfig?.totalBurned),
      feesBurned: counter(treasuryConfig?.totalFeesBurned),
      boughtBack: counter(treasuryConfig?.totalBoughtBack),
      buybackBurned: counter(treasuryConfig?.totalBuybackBurned),
      buybackToStakers: counter(treasuryConfig?.totalBuybackToStakers),
      quoteSold: counter(treasuryConfig?.totalQuoteSold),
      referencePrice: counter(treasuryConfig?.referencePrice),
      lastClearingPrice: counter(treasuryConfig?.lastClearingPrice),
    },
    governance: {
      proposals: governanceConfig ? Number(governanceConfig.proposalCount.toString()) : 0,
      openProposals: Number(counter(governanceConfig?.proposalsVoting)),
    },
  };
}
