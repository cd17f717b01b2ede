import type { MediaPrograms } from "./programs";
import { decayedQuota } from "./bandwidth";
import { governancePda } from "./governance";
import { bandwidthConfigPda } from "./bandwidth";
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
    /** Wallets with active stake. */
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
    /** Bytes in the providers' rolling quota windows right now (decayed to `at`). */
    quotaUsedNow: bigint;
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
    /** Proposals in their voting period. */
    openProposals: number;
  };
}

/**
 * "Media Scan": the network's totals, read from program accounts. Lifetime figures come from
 * the configs' counters, so history does not vanish when escrows close; counts come from
 * `getProgramAccounts` (one call per account type), so this works over any RPC endpoint, the
 * project's localnet, or an in-process LiteSVM bank.
 *
 * @param now unix time for the rolling quota decay and the reward stream (the cluster's clock is best).
 */
export async function mediaScan(programs: MediaPrograms, now: bigint): Promise<MediaScanReport> {
  const { staking, bandwidth, treasury, governance } = programs;
  const [stakingConfig, bandwidthConfig, treasuryConfig, governanceConfig, stakes, providers, escrows, proposals] = await Promise.all([
    staking.account.stakingConfig.fetch(stakingConfigPda(staking.programId)),
    bandwidth.account.bandwidthConfig.fetchNullable(bandwidthConfigPda(bandwidth.programId)),
    treasury.account.treasuryConfig.fetchNullable(treasuryConfigPda(treasury.programId)),
    // The governance PDA is its config account.
    governance.account.governanceConfig.fetchNullable(governancePda(governance.programId)),
    staking.account.stakeAccount.all(),
    bandwidth.account.provider.all(),
    bandwidth.account.escrow.all(),
    governance.account.proposal.all(),
  ]);
  // A program not initialized yet contributes zeros.
  const window = bandwidthConfig ? big(bandwidthConfig.quotaWindow) : 1n;
  const counter = (value: { toString(): string } | undefined) => (value === undefined ? 0n : big(value));
  const stream = rewardStreamAt(stakingConfig, now);
  return {
    at: now,
    staking: {
      totalActive: big(stakingConfig.totalActive),
      totalUnbonding: big(stakingConfig.totalUnbonding),
      stakers: stakes.filter(({ account }) => big(account.active) > 0n).length,
      rewardsFunded: big(stakingConfig.totalRewardsFunded),
      rewardsReceived: big(stakingConfig.totalRewardsReceived),
      rewardReserve: big(stakingConfig.rewardReserve),
      rewardRate: stream.rewardRate,
      rewardPeriodEnd: stream.periodEnd,
      apr: stakingApr(stakingConfig, now),
    },
    bandwidth: {
      activeProviders: providers.filter(({ account }) => account.active).length,
      quotaUsedNow: providers.reduce((sum, { account }) => sum + decayedQuota(big(account.quotaUsed), now - big(account.quotaUpdatedAt), window), 0n),
      bytesServed: counter(bandwidthConfig?.bytesServed),
      openEscrows: escrows.length,
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
      openProposals: proposals.filter(({ account }) => "voting" in account.state).length,
    },
  };
}
