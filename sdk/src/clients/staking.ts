import type { IdlAccounts } from "@coral-xyz/anchor";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { type Bigints, toBigints } from "../bigint";
import type { PublicKey, TransactionInstruction } from "@solana/web3.js";
import type { InstructionArgs } from "../idl-type";
import { type Actor as BaseActor, type Amount, ClientBase, type WithAmounts, toBN } from "./base";
import { STAKING_DEFAULTS } from "../constants";
import { type MediaStaking, STAKING_CONSTANTS } from "../generated/media_staking";
import { stakeAccountPda, stakingConfigPda, stakingVaultPda } from "../pdas";
import { voteAuthorityPda } from "../governance";
import { programDataPda } from "../loader";
import type { MediaProgramIds } from "../programs";
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
 * The `media_staking` program: stake, unbond, withdraw, rewards, and reads of positions.
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
