import type { IdlAccounts } from "@coral-xyz/anchor";
import { PublicKey } from "@solana/web3.js";
import { type MediaPrograms, programIdsOf } from "./programs";
import { type DelegationView, type OperatorPoolView, type RewardsPoolAccount, StakingClient, delegationView, operatorPoolView } from "./clients/staking";
import { emissionRateAt, emissionsOwed, releaseAt, scheduledAt } from "./emissions";
import { emissionVaultPda, feeShareVaultPda, rewardsPoolPda } from "./pdas";
import { governancePda } from "./governance";
import { bandwidthConfigPda, providerActivityAt } from "./bandwidth";
import type { MediaBandwidth } from "./generated/media_bandwidth";
import { treasuryConfigPda } from "./treasury";
import { stakingConfigPda } from "./pdas";
import { SECONDS_PER_YEAR, rewardStreamAt, stakingApr } from "./rewards";
import { toBigints } from "./bigint";
import { type GenesisAllocation, allocationAccount, allocationsTotal } from "./genesis";

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
  /** The fixed MEDIA supply: what the mint holds now, and what genesis minted (when told). */
  supply: SupplyReport;
  /** The rewards pool and its emission schedule; null before `initialize_rewards_pool`. */
  emissions: EmissionsReport | null;
}

/** A genesis allocation as Media Scan reports it: its share and what its holder holds now. */
export interface AllocationReport extends GenesisAllocation {
  /** The token account holding it (null when the scan was not told the deployer of a deployer-held allocation). */
  account: PublicKey | null;
  /** That account's balance at the time of the scan (0 when it is gone, null when unknown). */
  balance: bigint | null;
}

export interface SupplyReport {
  mint: PublicKey;
  /** The mint's supply now (`getTokenSupply`). */
  mintSupply: bigint;
  /** Null once genesis removed it: nobody can mint, so supply + burned = genesis supply forever. */
  mintAuthority: PublicKey | null;
  /** What genesis minted (the allocations' sum), when the scan was told the allocations. */
  genesisSupply: bigint | null;
  /** `genesisSupply - mintSupply`: every burn, the protocol's and anyone else's. */
  burned: bigint | null;
  allocations: AllocationReport[];
}

export interface EmissionsReport {
  /** The emission vault's balance ("Staking and Rewards": unreleased plus released and unclaimed). */
  poolBalance: bigint;
  /** What the pool can still emit: the vault's balance beyond what it owes. */
  unreleased: bigint;
  /** Base units per second now: `initial_rate >> k` after `k` halvings. */
  emissionRate: bigint;
  initialRate: bigint;
  halvingPeriod: bigint;
  scheduleStart: bigint;
  /** Scheduled by now, released into the accumulator (or returned), claimed, returned, ever. */
  scheduled: bigint;
  released: bigint;
  claimed: bigint;
  returned: bigint;
  /** Released but not claimed or returned: what delegators and operators may still claim (dust included). */
  owed: bigint;
  /** What a `release_emissions` now would release. */
  releasable: bigint;
  /** Stake bound to operators, network-wide, and the positions and pools behind it. */
  totalBound: bigint;
  delegations: bigint;
  operators: bigint;
  feeShareVaultBalance: bigint;
  feeShareReceived: bigint;
  feeShareClaimed: bigint;
  /** Gross emission APR per bound unit at the current rate, before commission (null while nothing is bound). */
  apr: number | null;
}

/** Options of `mediaScan`. */
export interface MediaScanOptions {
  /**
   * The genesis allocations the mint's supply was minted into (`GENESIS_ALLOCATIONS` for a
   * production genesis, `devGenesisAllocations(supply)` for a development one): the supply
   * report sums them into the genesis supply and reads each holder's balance.
   */
  allocations?: readonly GenesisAllocation[];
  /** The wallet that ran genesis, whose named accounts hold the allocations other than the emission vault's. */
  deployer?: PublicKey;
}

/** Per operator and per delegation: stake bound, terms, what is claimable, APRs (`mediaScanContributors`). */
export interface ContributorsReport {
  at: bigint;
  /** Every operator pool, most bound stake first. */
  operators: OperatorPoolView[];
  /** Every delegation that is bound, most bound stake first (self-bonds included). */
  delegations: DelegationView[];
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
 * "Media Scan": the network's totals, read from the four configs, the rewards pool and its two
 * vaults in one RPC call (`getMultipleAccountsInfo`) and the MEDIA mint (with the allocations'
 * accounts, when given) in a second, whatever the number of stake accounts, providers, escrows,
 * operators, delegations or proposals. Lifetime figures are the configs' counters, so history does not vanish when
 * escrows close; counts are counters the instructions keep (stakers with active stake, active
 * providers, open escrows, proposals in voting), and quota use is the bandwidth config's
 * quota ring. It works over any RPC endpoint, the project's localnet, or an in-process bank.
 *
 * @param now unix time for the rolling quota decay, the reward stream and the emission schedule (the cluster's clock is best).
 */
export async function mediaScan(programs: MediaPrograms, now: bigint, options: MediaScanOptions = {}): Promise<MediaScanReport> {
  const { staking, bandwidth, treasury, governance } = programs;
  const connection = staking.provider.connection;
  // The governance PDA is its config account.
  const addresses = [
    stakingConfigPda(staking.programId),
    bandwidthConfigPda(bandwidth.programId),
    treasuryConfigPda(treasury.programId),
    governancePda(governance.programId),
    rewardsPoolPda(staking.programId),
    emissionVaultPda(staking.programId),
    feeShareVaultPda(staking.programId),
  ];
  const [stakingInfo, bandwidthInfo, treasuryInfo, governanceInfo, poolInfo, emissionVaultInfo, feeShareVaultInfo] =
    await connection.getMultipleAccountsInfo(addresses);
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
  // The mint and the allocations' holders: one more call, once the config named the mint.
  const allocations = options.allocations ?? [];
  const holders = await Promise.all(
    allocations.map((allocation) => {
      if (allocation.holder === "emission vault") return emissionVaultPda(staking.programId);
      return options.deployer ? allocationAccount(options.deployer, stakingConfig.mediaMint, allocation) : null;
    }),
  );
  const known = holders.filter((holder): holder is PublicKey => holder !== null);
  const [mintInfo, ...holderInfos] = await connection.getMultipleAccountsInfo([stakingConfig.mediaMint, ...known]);
  if (!mintInfo) throw new Error(`no MEDIA mint at ${stakingConfig.mediaMint.toBase58()}`);
  const balances = new Map(known.map((holder, i) => [holder.toBase58(), tokenAmount(holderInfos[i]?.data)]));
  const genesisSupply = options.allocations ? allocationsTotal(allocations) : null;
  const mintSupply = mintInfo.data.readBigUInt64LE(MINT_SUPPLY_OFFSET);
  const pool = poolInfo ? toBigints(staking.coder.accounts.decode<IdlAccounts<typeof staking.idl>["rewardsPool"]>("rewardsPool", poolInfo.data)) : null;
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
    supply: {
      mint: stakingConfig.mediaMint,
      mintSupply,
      // COption<Pubkey>: a u32 tag (1 = some), then the key.
      mintAuthority: mintInfo.data.readUInt32LE(0) === 1 ? new PublicKey(mintInfo.data.subarray(4, 36)) : null,
      genesisSupply,
      burned: genesisSupply === null ? null : genesisSupply - mintSupply,
      allocations: allocations.map((allocation, i) => {
        const account = holders[i];
        return { ...allocation, account, balance: account ? (balances.get(account.toBase58()) ?? 0n) : null };
      }),
    },
    emissions: pool && emissionsReport(pool, tokenAmount(emissionVaultInfo?.data), tokenAmount(feeShareVaultInfo?.data), now),
  };
}

/** SPL mint: mint authority (COption, 36 bytes), then the supply (u64). */
const MINT_SUPPLY_OFFSET = 36;
/** SPL token account: mint (32), owner (32), then the amount (u64). */
const TOKEN_AMOUNT_OFFSET = 64;
const tokenAmount = (data: Buffer | undefined): bigint => (data && data.length >= TOKEN_AMOUNT_OFFSET + 8 ? data.readBigUInt64LE(TOKEN_AMOUNT_OFFSET) : 0n);

/** The rewards pool's figures at `now` (the emission mirrors do the arithmetic). */
export function emissionsReport(pool: RewardsPoolAccount, emissionVaultBalance: bigint, feeShareVaultBalance: bigint, now: bigint): EmissionsReport {
  const owed = emissionsOwed(pool);
  const rate = emissionRateAt(pool, now);
  return {
    poolBalance: emissionVaultBalance,
    unreleased: emissionVaultBalance > owed ? emissionVaultBalance - owed : 0n,
    emissionRate: rate,
    initialRate: pool.initialRate,
    halvingPeriod: pool.halvingPeriod,
    scheduleStart: pool.scheduleStart,
    scheduled: scheduledAt(pool, now),
    released: pool.released,
    claimed: pool.claimed,
    returned: pool.returned,
    owed,
    releasable: releaseAt(pool, emissionVaultBalance, now).amount,
    totalBound: pool.totalBound,
    delegations: pool.delegations,
    operators: pool.operators,
    feeShareVaultBalance,
    feeShareReceived: pool.feeShareReceived,
    feeShareClaimed: pool.feeShareClaimed,
    apr: pool.totalBound === 0n ? null : Number((rate * SECONDS_PER_YEAR * 1_000_000_000n) / pool.totalBound) / 1e9,
  };
}

/**
 * Media Scan's contributors: every operator pool (stake bound, delegated stake, terms in effect
 * and pending with their effective time, commission claimable, APR of a delegated unit and of
 * the operator's own bond) and every bound delegation (claimable emissions and fee share, APR),
 * at unix time `now`. It lists program accounts (`getProgramAccounts`), so it grows with the
 * number of operators and delegations, unlike `mediaScan`. Empty before `initialize_rewards_pool`.
 */
export async function mediaScanContributors(programs: MediaPrograms, now: bigint): Promise<ContributorsReport> {
  const client = new StakingClient(programs.staking, programIdsOf(programs));
  const [pool, operatorPools, delegations, providers, bandwidthConfig, emissionVault] = await Promise.all([
    client.fetchRewardsPool(),
    client.listOperatorPools(),
    client.listDelegations({ boundOnly: true }),
    programs.bandwidth.account.provider.all(),
    programs.bandwidth.account.bandwidthConfig.fetchNullable(bandwidthConfigPda(programs.bandwidth.programId)),
    client.rewardsPool(now),
  ]);
  if (!pool) return { at: now, operators: [], delegations: [] };
  const vault = emissionVault?.emissionVaultBalance ?? 0n;
  const pause = bandwidthConfig?.pause ?? null;
  const activity = new Map(providers.map(({ account }) => [account.operator.toBase58(), providerActivityAt(account, pause, now)]));
  const byOperator = new Map(operatorPools.map(({ account }) => [account.operator.toBase58(), account]));
  const descending = (left: bigint, right: bigint) => (left === right ? 0 : left > right ? -1 : 1);
  return {
    at: now,
    operators: operatorPools
      .map(({ address, account }) => operatorPoolView(address, account, pool, activity.get(account.operator.toBase58()) ?? null, now, vault))
      .sort((a, b) => descending(a.account.boundTotal, b.account.boundTotal)),
    delegations: delegations
      .flatMap(({ address, account }) => {
        const operatorPool = byOperator.get(account.operator.toBase58());
        if (!operatorPool) return [];
        return [delegationView(address, account, operatorPool, pool, activity.get(account.operator.toBase58()) ?? null, now, vault)];
      })
      .sort((a, b) => descending(a.bound, b.bound)),
  };
}
