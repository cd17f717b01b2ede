import type { MediaPrograms } from "./programs";
import { decayedQuota } from "./bandwidth";
import { ProposalState, governancePda } from "./governance";
import { bandwidthConfigPda } from "./bandwidth";
import { treasuryConfigPda } from "./treasury";
import { stakingConfigPda } from "./pdas";

const big = (value: { toString(): string }) => BigInt(value.toString());

/** Network totals, all in base units (MEDIA and quote have 6 decimals) or bytes. */
export interface MediaScanReport {
  /** Unix time the report's rolling quotas were computed at. */
  at: bigint;
  staking: {
    totalActive: bigint;
    totalUnbonding: bigint;
    /** Wallets with active stake. */
    stakers: number;
    rewardsFunded: bigint;
    /** Funded rewards still in the vault (unclaimed, undistributed, dust). */
    rewardReserve: bigint;
  };
  bandwidth: {
    activeProviders: number;
    /** Bytes in the providers' rolling quota windows right now (decayed to `at`). */
    quotaUsedNow: bigint;
    /** Bytes ever settled by providers. */
    bytesServed: bigint;
    openEscrows: number;
    /** Paid out of escrows that are still open, per mint (base58). */
    paidByMint: Record<string, bigint>;
  };
  treasury: {
    /** MEDIA burned by the protocol: fee burns plus buybacks. */
    totalBurned: bigint;
    feesBurned: bigint;
    boughtBack: bigint;
    quoteSold: bigint;
    lastClearingPrice: bigint;
  };
  governance: {
    proposals: number;
    /** Proposals in their voting period. */
    openProposals: number;
  };
}

/**
 * "Media Scan": the network's totals, read from program accounts. Config totals are read
 * directly; per-account figures come from `getProgramAccounts` (one call per account type),
 * so this works over any RPC endpoint, the project's localnet, or an in-process LiteSVM bank.
 *
 * @param now unix time for the rolling quota decay (the cluster's clock is best).
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
  const paidByMint: Record<string, bigint> = {};
  for (const { account } of escrows) {
    const mint = account.mint.toBase58();
    paidByMint[mint] = (paidByMint[mint] ?? 0n) + big(account.paid);
  }
  return {
    at: now,
    staking: {
      totalActive: big(stakingConfig.totalActive),
      totalUnbonding: big(stakingConfig.totalUnbonding),
      stakers: stakes.filter(({ account }) => big(account.active) > 0n).length,
      rewardsFunded: big(stakingConfig.totalRewardsFunded),
      rewardReserve: big(stakingConfig.rewardReserve),
    },
    bandwidth: {
      activeProviders: providers.filter(({ account }) => account.active).length,
      quotaUsedNow: providers.reduce((sum, { account }) => sum + decayedQuota(big(account.quotaUsed), now - big(account.quotaUpdatedAt), window), 0n),
      bytesServed: providers.reduce((sum, { account }) => sum + big(account.totalBytes), 0n),
      openEscrows: escrows.length,
      paidByMint,
    },
    treasury: {
      totalBurned: treasuryConfig ? big(treasuryConfig.totalBurned) : 0n,
      feesBurned: treasuryConfig ? big(treasuryConfig.totalFeesBurned) : 0n,
      boughtBack: treasuryConfig ? big(treasuryConfig.totalBoughtBack) : 0n,
      quoteSold: treasuryConfig ? big(treasuryConfig.totalQuoteSold) : 0n,
      lastClearingPrice: treasuryConfig ? big(treasuryConfig.lastClearingPrice) : 0n,
    },
    governance: {
      proposals: governanceConfig ? Number(governanceConfig.proposalCount.toString()) : 0,
      openProposals: proposals.filter(({ account }) => account.state === ProposalState.Voting).length,
    },
  };
}
