import { type IdlAccounts, Program } from "@coral-xyz/anchor";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { type Bigints, toBigints } from "../bigint";
import type { PublicKey, TransactionInstruction } from "@solana/web3.js";
import type { InstructionArgs } from "../idl-type";
import { type Actor as BaseActor, type Amount, ClientBase, type WithAmounts, toBN } from "./base";
import { STAKING_DEFAULTS } from "../constants";
import { type MediaStaking, STAKING_CONSTANTS } from "../generated/media_staking";
import {
  delegationPda,
  emissionVaultPda,
  feeShareVaultPda,
  operatorPoolPda,
  rewardsPoolPda,
  stakeAccountPda,
  stakingConfigPda,
  stakingVaultPda,
} from "../pdas";
import { voteAuthorityPda } from "../governance";
import { MediaPreconditionError } from "../errors";
// `initialize_rewards_pool`'s arguments, declared once with genesis, which passes them.
import type { RewardsPoolParams } from "../genesis";
import { programDataPda } from "../loader";
import { type MediaProgramIds, retargetIdl } from "../programs";
import { MEDIA_BANDWIDTH_IDL, type MediaBandwidth } from "../generated/media_bandwidth";
import { bandwidthConfigPda, providerActivityAt, providerPda } from "../bandwidth";
import {
  type PendingRewards,
  emissionRateAt,
  operatorPoolApr,
  pendingCommission,
  pendingDelegationRewards,
  releaseAt,
  scheduledAt,
  termsAt,
} from "../emissions";
import { quotaBytes } from "../quota";
import { claimableRewards, type RewardStream, rewardStreamAt } from "../rewards";

/** Who acts, and with which MEDIA token account (their associated one by default). */
export interface Actor extends BaseActor {
  tokenAccount?: PublicKey;
}

/** media_staking's config as the SDK returns it: every amount and time a bigint. */
export type StakingConfigAccount = Bigints<IdlAccounts<MediaStaking>["stakingConfig"]>;
/** A stake account as the SDK returns it: every amount and time a bigint. */
export type StakeAccountState = Bigints<IdlAccounts<MediaStaking>["stakeAccount"]>;

/** `initialize_config`'s arguments: any values within `STAKING_BOUNDS` (`{ ...STAKING_DEFAULTS, minStake: 10_000_000n }`). */
export type StakingParams = WithAmounts<InstructionArgs<MediaStaking, "initializeConfig">>;

/** The singleton `RewardsPool` as the SDK returns it: every amount and time a bigint. */
export type RewardsPoolAccount = Bigints<IdlAccounts<MediaStaking>["rewardsPool"]>;
/** An operator's `OperatorPool` as the SDK returns it. */
export type OperatorPoolAccount = Bigints<IdlAccounts<MediaStaking>["operatorPool"]>;
/** A stake position's `Delegation` as the SDK returns it. */
export type DelegationAccount = Bigints<IdlAccounts<MediaStaking>["delegation"]>;

/** The bandwidth `Provider` fields staking reads for an operator's activity and fee share. */
export interface OperatorActivity {
  activeSince: bigint;
  activeUntil: bigint;
  feeSharePaid: bigint;
}

/** The rewards pool with its vaults and schedule read at one time. */
export interface RewardsPoolView {
  address: PublicKey;
  account: RewardsPoolAccount;
  /** Unix time the figures are for. */
  at: bigint;
  emissionVaultBalance: bigint;
  feeShareVaultBalance: bigint;
  /** Everything the schedules have scheduled by `at`. */
  scheduled: bigint;
  /** Base units per second at `at`. */
  emissionRate: bigint;
  /** What a release at `at` would move out of the vault's spare balance (`release_emissions`). */
  releasable: bigint;
  /** What the emission vault holds beyond what it owes: the pool's balance still to emit. */
  unreleased: bigint;
}

/** An operator's pool with what a sync at `at` would show. */
export interface OperatorPoolView {
  address: PublicKey;
  operator: PublicKey;
  account: OperatorPoolAccount;
  at: bigint;
  /** The operator's provider activity (null before it registers as a provider). */
  activity: OperatorActivity | null;
  /** Whether its provider counts as active at `at` (it earns emissions). */
  active: boolean;
  /** Stake bound by delegators (not the operator's own). */
  delegated: bigint;
  /** The terms in effect at `at`, and the change waiting for its notice (null when none). */
  commissionBps: number;
  feeShareBps: number;
  pending: { commissionBps: number; feeShareBps: number; effectiveAt: bigint } | null;
  /** What `claim_commission` would pay at `at`: commission (emission vault) and fee share owed to the operator (fee vault). */
  claimable: { commission: bigint; fees: bigint };
  /** Emission APR at the current rate (0.12 = 12%): per delegated unit after commission, and of the operator's own bond. */
  apr: { delegator: number | null; operator: number | null };
}

/** A delegation with what a claim at `at` would pay. */
export interface DelegationView {
  address: PublicKey;
  owner: PublicKey;
  operator: PublicKey;
  account: DelegationAccount;
  at: bigint;
  bound: bigint;
  /** What `claim_delegation_rewards` would pay at `at`. */
  claimable: PendingRewards;
  /** Emission APR of its bound stake at the current rate (null while unbound or nothing is bound). */
  apr: number | null;
}

/** A stake position with derived figures, all in base units. */
export interface StakePosition {
  owner: PublicKey;
  active: bigint;
  unbonding: bigint;
  /** Unix time from which `withdraw` pays the unbonding stake. */
  unbondingEnd: bigint;
  voteLockUntil: bigint;
  /** Rewards `claim_rewards` would pay at the time the position was read for. */
  claimable: bigint;
  /** Bandwidth quota in bytes per quota window. */
  quotaBytes: bigint;
}

/**
 * The `media_staking` program: stake, unbond, withdraw, rewards, and reads of positions; and
 * the contributor economy: operator pools, delegations and the emission rewards pool, whose
 * reads compute what a claim would pay with the emission mirrors (sdk/src/emissions.ts).
 * Every send returns the transaction signature and throws `MediaProgramError` on refusal.
 */
export class StakingClient extends ClientBase<MediaStaking> {
  protected programName(): keyof MediaProgramIds {
    return "staking";
  }

  /** The config's address. */
  configAddress(): PublicKey {
    return stakingConfigPda(this.programId);
  }

  /** The vault's address. */
  vaultAddress(): PublicKey {
    return stakingVaultPda(this.programId);
  }

  /** `owner`'s stake account address. */
  stakeAccountAddress(owner: PublicKey): PublicKey {
    return stakeAccountPda(owner, this.programId);
  }

  /** The decoded config (amounts and times as bigint). */
  async fetchConfig(): Promise<StakingConfigAccount> {
    return toBigints(await this.program.account.stakingConfig.fetch(this.configAddress()));
  }

  /** `owner`'s decoded stake account (amounts and times as bigint), or null when it has never staked. */
  async fetchStakeAccount(owner: PublicKey): Promise<StakeAccountState | null> {
    const account = await this.program.account.stakeAccount.fetchNullable(this.stakeAccountAddress(owner));
    return account && toBigints(account);
  }

  /**
   * Whether `owner`'s stake may still vote on governance proposal `proposalId`: `"open"`,
   * `"voted"` (a vote would fail with AlreadyVoted), or `"windowPassed"` (it voted on a proposal
   * more than `STAKING_CONSTANTS.voteWindow` ids newer: VoteWindowPassed). The stake account
   * records its votes; a vote leaves no account of its own. `"open"` also when it has never
   * staked (a vote then fails for lack of stake).
   */
  async voteStatus(owner: PublicKey, proposalId: Amount): Promise<"open" | "voted" | "windowPassed"> {
    const stake = await this.fetchStakeAccount(owner);
    return stake ? stakeVoteStatus(stake, BigInt(proposalId.toString())) : "open";
  }

  /** Every stake account (optionally only those with active stake), with its address. */
  async listStakeAccounts(filter: { activeOnly?: boolean } = {}): Promise<{ address: PublicKey; account: StakeAccountState }[]> {
    const found = await this.program.account.stakeAccount.all();
    return found
      .map(({ publicKey, account }) => ({ address: publicKey, account: toBigints(account) }))
      .filter(({ account }) => !filter.activeOnly || account.active > 0n);
  }

  /**
   * The reward stream at unix time `now` (the cluster's clock by default): reward rate
   * (per second, scaled by `REWARD_SCALE`), period end, what is left to stream.
   */
  async rewardStream(now?: bigint): Promise<RewardStream> {
    const [config, at] = await Promise.all([this.fetchConfig(), now ?? this.unixTimestamp()]);
    return rewardStreamAt(config, at);
  }

  /**
   * `owner`'s position with claimable rewards (at unix time `now`, the cluster's clock by
   * default) and quota computed, or null.
   */
  async position(owner: PublicKey, now?: bigint): Promise<StakePosition | null> {
    const [config, account, at] = await Promise.all([this.fetchConfig(), this.fetchStakeAccount(owner), now ?? this.unixTimestamp()]);
    if (!account) return null;
    return {
      owner,
      active: account.active,
      unbonding: account.unbonding,
      unbondingEnd: account.unbondingEnd,
      voteLockUntil: account.voteLockUntil,
      claimable: claimableRewards(config, account, at),
      quotaBytes: quotaBytes(account.active, config.quotaBytesPerMedia),
    };
  }

  /** `initialize_config` for `mediaMint`, signed by `authority` (the programs' upgrade authority). */
  initializeConfigInstruction(
    mediaMint: PublicKey,
    params: StakingParams = STAKING_DEFAULTS,
    authority: PublicKey = this.wallet(),
  ): Promise<TransactionInstruction> {
    return this.program.methods
      .initializeConfig(toBN(params.minStake), toBN(params.unbondingPeriod), toBN(params.quotaBytesPerMedia), toBN(params.rewardDuration))
      .accountsPartial({ authority, mediaMint, programData: programDataPda(this.programId) })
      .instruction();
  }

  /** The `stake` instruction of `owner`, from `tokenAccount` (its associated one by default). */
  async stakeInstruction(amount: Amount, owner: PublicKey, tokenAccount?: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods
      .stake(toBN(amount))
      .accounts({ owner, ownerTokenAccount: tokenAccount ?? (await this.defaultTokenAccount(owner)) })
      .instruction();
  }

  /** `request_unstake(amount)` of `owner`. */
  requestUnstakeInstruction(amount: Amount, owner: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods.requestUnstake(toBN(amount)).accounts({ owner }).instruction();
  }

  /** `cancel_unstake` of `owner`. */
  cancelUnstakeInstruction(owner: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods.cancelUnstake().accounts({ owner }).instruction();
  }

  /** `withdraw` of `owner`, paid to `tokenAccount` (its associated one by default). */
  async withdrawInstruction(owner: PublicKey, tokenAccount?: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods
      .withdraw()
      .accounts({ owner, ownerTokenAccount: tokenAccount ?? (await this.defaultTokenAccount(owner)) })
      .instruction();
  }

  /** `fund_rewards(amount)` by `funder`, from `tokenAccount` (its associated one by default). */
  async fundRewardsInstruction(amount: Amount, funder: PublicKey, tokenAccount?: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods
      .fundRewards(toBN(amount))
      .accounts({ funder, funderTokenAccount: tokenAccount ?? (await this.defaultTokenAccount(funder)) })
      .instruction();
  }

  /** `sync_rewards` (permissionless). */
  syncRewardsInstruction(): Promise<TransactionInstruction> {
    return this.program.methods.syncRewards().instruction();
  }

  /** `claim_rewards` of `owner`, paid to `tokenAccount` (its associated one by default). */
  async claimRewardsInstruction(owner: PublicKey, tokenAccount?: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods
      .claimRewards()
      .accounts({ owner, ownerTokenAccount: tokenAccount ?? (await this.defaultTokenAccount(owner)) })
      .instruction();
  }

  /**
   * `lock_stake` of `owner`'s stake account: records its vote on governance proposal
   * `proposalId` and locks it until unix time `until`. Only governance's vote authority PDA may
   * sign it, which governance does inside `cast_vote`: no wallet can send it, so there is no
   * sender; the builder is for inspecting and simulating that call.
   */
  lockStakeInstruction(owner: PublicKey, proposalId: Amount, until: Amount): Promise<TransactionInstruction> {
    return this.program.methods
      .lockStake(toBN(proposalId), toBN(until))
      .accountsPartial({ voteAuthority: voteAuthorityPda(this.programIds.governance), stakeAccount: this.stakeAccountAddress(owner) })
      .instruction();
  }

  /** `set_min_stake` signed by `authority` (the governance PDA after hand-over: put it in a proposal). */
  setMinStakeInstruction(minStake: Amount, authority: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    return this.program.methods.setMinStake(toBN(minStake)).accounts({ authority }).instruction();
  }

  /** `set_unbonding_period` (seconds) signed by `authority`. */
  setUnbondingPeriodInstruction(seconds: Amount, authority: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    return this.program.methods.setUnbondingPeriod(toBN(seconds)).accounts({ authority }).instruction();
  }

  /** `set_quota_bytes_per_media` signed by `authority`. */
  setQuotaBytesPerMediaInstruction(bytes: Amount, authority: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    return this.program.methods.setQuotaBytesPerMedia(toBN(bytes)).accounts({ authority }).instruction();
  }

  /** `set_reward_duration` (seconds) signed by `authority`. */
  setRewardDurationInstruction(seconds: Amount, authority: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    return this.program.methods.setRewardDuration(toBN(seconds)).accounts({ authority }).instruction();
  }

  /** Sets the minimum stake as the config authority (before the hand-over). */
  async setMinStake(minStake: Amount, actor: BaseActor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.setMinStakeInstruction(minStake, signer));
  }

  /** Sets the unbonding period (seconds) as the config authority. */
  async setUnbondingPeriod(seconds: Amount, actor: BaseActor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.setUnbondingPeriodInstruction(seconds, signer));
  }

  /** Sets the quota bytes per MEDIA as the config authority. */
  async setQuotaBytesPerMedia(bytes: Amount, actor: BaseActor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.setQuotaBytesPerMediaInstruction(bytes, signer));
  }

  /** Sets the reward duration (seconds) as the config authority; it applies from the next funding. */
  async setRewardDuration(seconds: Amount, actor: BaseActor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.setRewardDurationInstruction(seconds, signer));
  }

  /** Creates the config and vault for `mediaMint` (once, by the deployer). */
  async initializeConfig(mediaMint: PublicKey, params: StakingParams = STAKING_DEFAULTS, actor: BaseActor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.initializeConfigInstruction(mediaMint, params, signer));
  }

  /** Stakes `amount` base units; the resulting active stake must be 0 or at least the minimum. */
  async stake(amount: Amount, actor: Actor = {}): Promise<string> {
    const owner = this.actor(actor);
    const tokenAccount = actor.tokenAccount ?? (await this.defaultTokenAccount(owner));
    await this.requireTokenBalance(tokenAccount, amount, "stake");
    return this.sendAs(actor, (signer) => this.stakeInstruction(amount, signer, tokenAccount));
  }

  /** Moves `amount` of active stake to unbonding. */
  async requestUnstake(amount: Amount, actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.requestUnstakeInstruction(amount, signer));
  }

  /** Returns all unbonding stake to active. */
  async cancelUnstake(actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.cancelUnstakeInstruction(signer));
  }

  /** Pays the unbonded stake back once the unbonding period has ended. */
  async withdraw(actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.withdrawInstruction(signer, actor.tokenAccount));
  }

  /** Adds `amount` of MEDIA to the stakers' reward pool. */
  async fundRewards(amount: Amount, actor: Actor = {}): Promise<string> {
    const tokenAccount = actor.tokenAccount ?? (await this.defaultTokenAccount(this.actor(actor)));
    await this.requireTokenBalance(tokenAccount, amount, "fund_rewards");
    return this.sendAs(actor, (signer) => this.fundRewardsInstruction(amount, signer, tokenAccount));
  }

  /**
   * Folds MEDIA that arrived in the staking vault (fees, buyback share) into the reward stream
   * (permissionless; every staking instruction holding the vault does it too).
   */
  async syncRewards(): Promise<string> {
    return this.send([await this.syncRewardsInstruction()]);
  }

  /** Pays the accrued rewards. */
  async claimRewards(actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.claimRewardsInstruction(signer, actor.tokenAccount));
  }

  // ---- Contributor economy: the rewards pool, operator pools and delegations ----

  /** The singleton rewards pool's address. */
  rewardsPoolAddress(): PublicKey {
    return rewardsPoolPda(this.programId);
  }

  /** The emission vault (the "Staking and Rewards" allocation). */
  emissionVaultAddress(): PublicKey {
    return emissionVaultPda(this.programId);
  }

  /** The fee-share vault (operators' fee income shared with their delegators). */
  feeShareVaultAddress(): PublicKey {
    return feeShareVaultPda(this.programId);
  }

  /** `operator`'s pool address. */
  operatorPoolAddress(operator: PublicKey): PublicKey {
    return operatorPoolPda(operator, this.programId);
  }

  /** `owner`'s delegation address (one per stake position). */
  delegationAddress(owner: PublicKey): PublicKey {
    return delegationPda(owner, this.programId);
  }

  /** The bandwidth `Provider` of `operator`: its activity and fee share decide what its pool earns. */
  providerAddress(operator: PublicKey): PublicKey {
    return providerPda(operator, this.programIds.bandwidth);
  }

  /** media_bandwidth at this deployment's id, to read providers' activity. */
  get bandwidth(): Program<MediaBandwidth> {
    this.bandwidthProgram ??= new Program<MediaBandwidth>(retargetIdl(MEDIA_BANDWIDTH_IDL, this.programIds), this.program.provider);
    return this.bandwidthProgram;
  }

  private bandwidthProgram?: Program<MediaBandwidth>;

  /** The decoded rewards pool, or null before `initialize_rewards_pool`. */
  async fetchRewardsPool(): Promise<RewardsPoolAccount | null> {
    const account = await this.program.account.rewardsPool.fetchNullable(this.rewardsPoolAddress());
    return account && toBigints(account);
  }

  /** `operator`'s decoded pool, or null when it has not opened one. */
  async fetchOperatorPool(operator: PublicKey): Promise<OperatorPoolAccount | null> {
    const account = await this.program.account.operatorPool.fetchNullable(this.operatorPoolAddress(operator));
    return account && toBigints(account);
  }

  /** `owner`'s decoded delegation, or null when its position never delegated. */
  async fetchDelegation(owner: PublicKey): Promise<DelegationAccount | null> {
    const account = await this.program.account.delegation.fetchNullable(this.delegationAddress(owner));
    return account && toBigints(account);
  }

  /**
   * `operator`'s provider activity as staking reads it at unix time `now` (the cluster's clock by
   * default): the run's end pushed back by the time bandwidth was paused. Null before the operator
   * registers with media_bandwidth.
   */
  async fetchActivity(operator: PublicKey, now?: bigint): Promise<OperatorActivity | null> {
    const [provider, config, at] = await Promise.all([
      this.bandwidth.account.provider.fetchNullable(this.providerAddress(operator)),
      this.bandwidth.account.bandwidthConfig.fetchNullable(bandwidthConfigPda(this.programIds.bandwidth)),
      now ?? this.unixTimestamp(),
    ]);
    return provider && providerActivityAt(provider, config?.pause ?? null, at);
  }

  /** Every operator pool, with its address. */
  async listOperatorPools(): Promise<{ address: PublicKey; account: OperatorPoolAccount }[]> {
    const found = await this.program.account.operatorPool.all();
    return found.map(({ publicKey, account }) => ({ address: publicKey, account: toBigints(account) }));
  }

  /** Every delegation (optionally only bound ones), with its address. */
  async listDelegations(filter: { boundOnly?: boolean } = {}): Promise<{ address: PublicKey; account: DelegationAccount }[]> {
    const found = await this.program.account.delegation.all();
    return found
      .map(({ publicKey, account }) => ({ address: publicKey, account: toBigints(account) }))
      .filter(({ account }) => !filter.boundOnly || account.bound > 0n);
  }

  /** A token account's balance (0 when it does not exist). */
  private async tokenBalance(address: PublicKey): Promise<bigint> {
    const info = await this.program.provider.connection.getAccountInfo(address);
    // SPL token account: mint (32), owner (32), amount (u64).
    return info && info.data.length >= 72 ? info.data.readBigUInt64LE(64) : 0n;
  }

  /**
   * The rewards pool at unix time `now` (the cluster's clock by default): the account, both vaults'
   * balances, what the schedule has scheduled and its current rate, and what a release would
   * move. Null before `initialize_rewards_pool`.
   */
  async rewardsPool(now?: bigint): Promise<RewardsPoolView | null> {
    const [account, at, emissionVaultBalance, feeShareVaultBalance] = await Promise.all([
      this.fetchRewardsPool(),
      now ?? this.unixTimestamp(),
      this.tokenBalance(this.emissionVaultAddress()),
      this.tokenBalance(this.feeShareVaultAddress()),
    ]);
    if (!account) return null;
    const released = releaseAt(account, emissionVaultBalance, at);
    const owed = account.released - account.claimed - account.returned;
    return {
      address: this.rewardsPoolAddress(),
      account,
      at,
      emissionVaultBalance,
      feeShareVaultBalance,
      scheduled: scheduledAt(account, at),
      emissionRate: emissionRateAt(account, at),
      releasable: released.amount,
      unreleased: emissionVaultBalance > owed ? emissionVaultBalance - owed : 0n,
    };
  }

  /**
   * `operator`'s pool at unix time `now` (the cluster's clock by default): stake bound to it,
   * terms in effect and pending, what `claim_commission` would pay and its APRs, computed with
   * the emission mirrors from the accounts as read. Null when it has not opened a pool.
   */
  async operatorPool(operator: PublicKey, now?: bigint): Promise<OperatorPoolView | null> {
    const at = now ?? (await this.unixTimestamp());
    const [account, pool, activity, vault] = await Promise.all([
      this.fetchOperatorPool(operator),
      this.fetchRewardsPool(),
      this.fetchActivity(operator, at),
      this.tokenBalance(this.emissionVaultAddress()),
    ]);
    if (!account || !pool) return null;
    return operatorPoolView(this.operatorPoolAddress(operator), account, pool, activity, at, vault);
  }

  /**
   * `owner`'s delegation at unix time `now` (the cluster's clock by default), with what a claim
   * would pay (release, its operator's sync and its settlement, mirrored) and its APR. Null when
   * its position never delegated.
   */
  async delegation(owner: PublicKey, now?: bigint): Promise<DelegationView | null> {
    const account = await this.fetchDelegation(owner);
    if (!account) return null;
    const at = now ?? (await this.unixTimestamp());
    const [operatorPool, pool, activity, vault] = await Promise.all([
      this.fetchOperatorPool(account.operator),
      this.fetchRewardsPool(),
      this.fetchActivity(account.operator, at),
      this.tokenBalance(this.emissionVaultAddress()),
    ]);
    if (!operatorPool || !pool) throw new Error(`delegation ${this.delegationAddress(owner).toBase58()} names an operator without a pool`);
    return delegationView(this.delegationAddress(owner), account, operatorPool, pool, activity, at, vault);
  }

  /** `initialize_rewards_pool` for `mediaMint` (the config's by default), signed by `authority` (the upgrade and config authority). */
  async initializeRewardsPoolInstruction(
    params: RewardsPoolParams = STAKING_DEFAULTS,
    authority: PublicKey = this.wallet(),
    mediaMint?: PublicKey,
  ): Promise<TransactionInstruction> {
    return this.program.methods
      .initializeRewardsPool(toBN(params.initialRate), toBN(params.halvingPeriod), params.delegationCap, toBN(params.commissionNotice))
      .accountsPartial({
        authority,
        mediaMint: mediaMint ?? (await this.fetchConfig()).mediaMint,
        programData: programDataPda(this.programId),
      })
      .instruction();
  }

  /** `release_emissions` (permissionless). */
  releaseEmissionsInstruction(): Promise<TransactionInstruction> {
    return this.program.methods.releaseEmissions().instruction();
  }

  /** `open_operator(commissionBps, feeShareBps)` of `operator` (its stake account must hold the minimum stake). */
  openOperatorInstruction(commissionBps: number, feeShareBps: number, operator: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    return this.program.methods.openOperator(commissionBps, feeShareBps).accountsPartial({ operator }).instruction();
  }

  /** `set_commission(commissionBps, feeShareBps)` of `operator`: takes effect after the notice period. */
  setCommissionInstruction(commissionBps: number, feeShareBps: number, operator: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    return this.program.methods
      .setCommission(commissionBps, feeShareBps)
      .accountsPartial({ operator, operatorPool: this.operatorPoolAddress(operator), provider: this.providerAddress(operator) })
      .instruction();
  }

  /** `delegate` of `owner`'s whole active stake to `operator` (or a top-up to its current active stake). */
  delegateInstruction(operator: PublicKey, owner: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    return this.program.methods
      .delegate()
      .accountsPartial({
        owner,
        stakeAccount: this.stakeAccountAddress(owner),
        delegation: this.delegationAddress(owner),
        operatorPool: this.operatorPoolAddress(operator),
        operatorStakeAccount: this.stakeAccountAddress(operator),
        provider: this.providerAddress(operator),
      })
      .instruction();
  }

  /** `undelegate` of `owner`'s position from the operator its delegation names (read from the chain). */
  async undelegateInstruction(owner: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    const operator = await this.delegatedOperator(owner);
    return this.program.methods
      .undelegate()
      .accountsPartial({
        owner,
        stakeAccount: this.stakeAccountAddress(owner),
        delegation: this.delegationAddress(owner),
        operatorPool: this.operatorPoolAddress(operator),
        provider: this.providerAddress(operator),
      })
      .instruction();
  }

  /** `sync_operator` of `operator`'s pool (permissionless). */
  syncOperatorInstruction(operator: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods
      .syncOperator()
      .accountsPartial({ operatorPool: this.operatorPoolAddress(operator), provider: this.providerAddress(operator) })
      .instruction();
  }

  /** `claim_delegation_rewards` of `owner`, paid to `tokenAccount` (its associated one by default). */
  async claimDelegationRewardsInstruction(owner: PublicKey = this.wallet(), tokenAccount?: PublicKey): Promise<TransactionInstruction> {
    const [operator, ownerTokenAccount] = await Promise.all([this.delegatedOperator(owner), tokenAccount ?? this.defaultTokenAccount(owner)]);
    return this.program.methods
      .claimDelegationRewards()
      .accountsPartial({
        owner,
        ownerTokenAccount,
        delegation: this.delegationAddress(owner),
        operatorPool: this.operatorPoolAddress(operator),
        provider: this.providerAddress(operator),
      })
      .instruction();
  }

  /** `claim_commission` of `operator`, paid to `tokenAccount` (its associated one by default). */
  async claimCommissionInstruction(operator: PublicKey = this.wallet(), tokenAccount?: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods
      .claimCommission()
      .accountsPartial({
        operator,
        operatorTokenAccount: tokenAccount ?? (await this.defaultTokenAccount(operator)),
        operatorPool: this.operatorPoolAddress(operator),
        provider: this.providerAddress(operator),
      })
      .instruction();
  }

  /** `set_emission_schedule` signed by `authority` (the governance PDA after hand-over): re-anchors the schedule at the time it runs. */
  setEmissionScheduleInstruction(initialRate: Amount, halvingPeriod: Amount, authority: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    return this.program.methods.setEmissionSchedule(toBN(initialRate), toBN(halvingPeriod)).accountsPartial({ authority }).instruction();
  }

  /** `set_delegation_params` signed by `authority`. */
  setDelegationParamsInstruction(delegationCap: number, commissionNotice: Amount, authority: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    return this.program.methods.setDelegationParams(delegationCap, toBN(commissionNotice)).accountsPartial({ authority }).instruction();
  }

  /** Creates the rewards pool and its two vaults (once, by the deployer, after `initialize_config`). */
  async initializeRewardsPool(params: RewardsPoolParams = STAKING_DEFAULTS, actor: BaseActor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.initializeRewardsPoolInstruction(params, signer));
  }

  /** Releases what the schedule made due into the accumulator (permissionless crank). */
  async releaseEmissions(): Promise<string> {
    return this.send([await this.releaseEmissionsInstruction()]);
  }

  /** Opens the acting wallet's operator pool with its commission and fee share (basis points). */
  async openOperator(commissionBps: number, feeShareBps: number, actor: BaseActor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.openOperatorInstruction(commissionBps, feeShareBps, signer));
  }

  /** Schedules new terms for the acting operator's pool; they apply after the notice period. */
  async setCommission(commissionBps: number, feeShareBps: number, actor: BaseActor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.setCommissionInstruction(commissionBps, feeShareBps, signer));
  }

  /** Binds the acting wallet's whole active stake to `operator`. */
  async delegate(operator: PublicKey, actor: BaseActor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.delegateInstruction(operator, signer));
  }

  /** Unbinds the acting wallet's position; it may bind again after the unbonding period. */
  async undelegate(actor: BaseActor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.undelegateInstruction(signer));
  }

  /** Syncs `operator`'s pool (permissionless). */
  async syncOperator(operator: PublicKey): Promise<string> {
    return this.send([await this.syncOperatorInstruction(operator)]);
  }

  /** Pays the acting delegator's emissions and fee share. */
  async claimDelegationRewards(actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.claimDelegationRewardsInstruction(signer, actor.tokenAccount));
  }

  /** Pays the acting operator's commission and the fee share owed to it. */
  async claimCommission(actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.claimCommissionInstruction(signer, actor.tokenAccount));
  }

  /** Sets the emission schedule as the config authority. */
  async setEmissionSchedule(initialRate: Amount, halvingPeriod: Amount, actor: BaseActor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.setEmissionScheduleInstruction(initialRate, halvingPeriod, signer));
  }

  /** Sets the delegation cap and commission notice as the config authority. */
  async setDelegationParams(delegationCap: number, commissionNotice: Amount, actor: BaseActor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.setDelegationParamsInstruction(delegationCap, commissionNotice, signer));
  }

  /** The operator `owner`'s delegation names (the last one bound). */
  private async delegatedOperator(owner: PublicKey): Promise<PublicKey> {
    const delegation = await this.fetchDelegation(owner);
    if (!delegation) {
      throw new MediaPreconditionError(
        "NotDelegated",
        `no delegation at ${this.delegationAddress(owner).toBase58()}`,
        "Delegate the position to an operator first (staking.delegate(operator))",
      );
    }
    return delegation.operator;
  }

  private async defaultTokenAccount(owner: PublicKey): Promise<PublicKey> {
    const { mediaMint } = await this.fetchConfig();
    return getAssociatedTokenAddressSync(mediaMint, owner, true);
  }
}

/**
 * The vote status of a decoded stake account on proposal `id`, by the rule media_staking
 * records votes with (`StakeAccount::vote_recorded`): `votedThrough` is one more than the newest
 * id it voted on, bit `i` of `votedBelow` the id `votedThrough - 2 - i`.
 */
export function stakeVoteStatus(stake: Pick<StakeAccountState, "votedThrough" | "votedBelow">, id: bigint): "open" | "voted" | "windowPassed" {
  const through = stake.votedThrough;
  if (id + 1n > through) return "open";
  if (id + 1n === through) return "voted";
  const bit = through - 2n - id;
  if (bit >= STAKING_CONSTANTS.voteWindow) return "windowPassed";
  return (stake.votedBelow >> bit) & 1n ? "voted" : "open";
}

/** An operator pool's figures at `at`, from the accounts as read (the emission mirrors do the arithmetic). */
export function operatorPoolView(
  address: PublicKey,
  account: OperatorPoolAccount,
  rewardsPool: RewardsPoolAccount,
  activity: OperatorActivity | null,
  at: bigint,
  emissionVaultBalance: bigint,
): OperatorPoolView {
  // Before the operator registers as a provider its pool earns nothing: never active.
  const provider = activity ?? { activeSince: 0n, activeUntil: 0n, feeSharePaid: account.feeShareSeen };
  const terms = termsAt(account, at);
  const apr = operatorPoolApr(rewardsPool, account, activity, at);
  return {
    address,
    operator: account.operator,
    account,
    at,
    activity,
    active: apr.active,
    delegated: account.boundTotal - account.selfBound,
    commissionBps: Number(terms.commissionBps),
    feeShareBps: Number(terms.feeShareBps),
    pending:
      account.pendingEffectiveAt !== 0n && at < account.pendingEffectiveAt
        ? { commissionBps: account.pendingCommissionBps, feeShareBps: account.pendingFeeShareBps, effectiveAt: account.pendingEffectiveAt }
        : null,
    claimable: pendingCommission(account, rewardsPool, provider, at, emissionVaultBalance),
    apr: { delegator: apr.delegator, operator: apr.operator },
  };
}

/** A delegation's figures at `at`, from the accounts as read. */
export function delegationView(
  address: PublicKey,
  account: DelegationAccount,
  operatorPool: OperatorPoolAccount,
  rewardsPool: RewardsPoolAccount,
  activity: OperatorActivity | null,
  at: bigint,
  emissionVaultBalance: bigint,
): DelegationView {
  const provider = activity ?? { activeSince: 0n, activeUntil: 0n, feeSharePaid: operatorPool.feeShareSeen };
  const apr = operatorPoolApr(rewardsPool, operatorPool, activity, at);
  const self = account.owner.equals(account.operator);
  return {
    address,
    owner: account.owner,
    operator: account.operator,
    account,
    at,
    bound: account.bound,
    claimable: pendingDelegationRewards(operatorPool, account, rewardsPool, provider, at, emissionVaultBalance),
    apr: account.bound === 0n ? null : self ? apr.operator : apr.delegator,
  };
}
