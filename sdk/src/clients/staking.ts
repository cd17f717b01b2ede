import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import type { PublicKey, TransactionInstruction } from "@solana/web3.js";
import { type Actor as BaseActor, type Amount, ClientBase, toBN } from "./base";
import { STAKING_DEFAULTS } from "../constants";
import { withMediaErrors } from "../errors";
import type { MediaStaking } from "../generated/media_staking";
import { stakeAccountPda, stakingConfigPda, stakingVaultPda } from "../pdas";
import { quotaBytes } from "../quota";
import { claimableRewards, type RewardStream, rewardStreamAt } from "../rewards";

/** Who acts, and with which MEDIA token account (their associated one by default). */
export interface Actor extends BaseActor {
  tokenAccount?: PublicKey;
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
 * The `media_staking` program: stake, unbond, withdraw, rewards, and reads of positions.
 * Every send returns the transaction signature and throws `MediaProgramError` on refusal.
 */
export class StakingClient extends ClientBase<MediaStaking> {
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

  /** The decoded config. */
  fetchConfig() {
    return this.program.account.stakingConfig.fetch(this.configAddress());
  }

  /** `owner`'s decoded stake account, or null when it has never staked. */
  fetchStakeAccount(owner: PublicKey) {
    return this.program.account.stakeAccount.fetchNullable(this.stakeAccountAddress(owner));
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
    const active = BigInt(account.active.toString());
    return {
      owner,
      active,
      unbonding: BigInt(account.unbonding.toString()),
      unbondingEnd: BigInt(account.unbondingEnd.toString()),
      voteLockUntil: BigInt(account.voteLockUntil.toString()),
      claimable: claimableRewards(config, account, at),
      quotaBytes: quotaBytes(active, BigInt(config.quotaBytesPerMedia.toString())),
    };
  }

  /** Creates the config and vault for `mediaMint` (once, by the deployer). */
  initializeConfig(mediaMint: PublicKey, params = STAKING_DEFAULTS): Promise<string> {
    return withMediaErrors(() =>
      this.program.methods
        .initializeConfig(params.minStake, params.unbondingPeriod, params.quotaBytesPerMedia, params.rewardDuration)
        .accounts({ authority: this.wallet(), mediaMint })
        .rpc(),
    );
  }

  /** The `stake` instruction, for composing transactions. */
  async stakeInstruction(amount: Amount, owner: PublicKey, tokenAccount?: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods
      .stake(toBN(amount))
      .accounts({ owner, ownerTokenAccount: tokenAccount ?? (await this.defaultTokenAccount(owner)) })
      .instruction();
  }

  /** Stakes `amount` base units; the resulting active stake must be 0 or at least the minimum. */
  async stake(amount: Amount, actor: Actor = {}): Promise<string> {
    const owner = this.actor(actor);
    const ownerTokenAccount = actor.tokenAccount ?? (await this.defaultTokenAccount(owner));
    return withMediaErrors(() => this.program.methods.stake(toBN(amount)).accounts({ owner, ownerTokenAccount }).signers(this.signers(actor)).rpc());
  }

  /** Moves `amount` of active stake to unbonding. */
  requestUnstake(amount: Amount, actor: Actor = {}): Promise<string> {
    return withMediaErrors(() =>
      this.program.methods
        .requestUnstake(toBN(amount))
        .accounts({ owner: this.actor(actor) })
        .signers(this.signers(actor))
        .rpc(),
    );
  }

  /** Returns all unbonding stake to active. */
  cancelUnstake(actor: Actor = {}): Promise<string> {
    return withMediaErrors(() =>
      this.program.methods
        .cancelUnstake()
        .accounts({ owner: this.actor(actor) })
        .signers(this.signers(actor))
        .rpc(),
    );
  }

  /** Pays the unbonded stake back once the unbonding period has ended. */
  async withdraw(actor: Actor = {}): Promise<string> {
    const owner = this.actor(actor);
    const ownerTokenAccount = actor.tokenAccount ?? (await this.defaultTokenAccount(owner));
    return withMediaErrors(() => this.program.methods.withdraw().accounts({ owner, ownerTokenAccount }).signers(this.signers(actor)).rpc());
  }

  /** Adds `amount` of MEDIA to the stakers' reward pool. */
  async fundRewards(amount: Amount, actor: Actor = {}): Promise<string> {
    const funder = this.actor(actor);
    const funderTokenAccount = actor.tokenAccount ?? (await this.defaultTokenAccount(funder));
    return withMediaErrors(() => this.program.methods.fundRewards(toBN(amount)).accounts({ funder, funderTokenAccount }).signers(this.signers(actor)).rpc());
  }

  /**
   * Folds MEDIA that arrived in the staking vault (fees, buyback share) into the reward stream
   * (permissionless; every staking instruction holding the vault does it too).
   */
  syncRewards(): Promise<string> {
    return withMediaErrors(() => this.program.methods.syncRewards().rpc());
  }

  /** Pays the accrued rewards. */
  async claimRewards(actor: Actor = {}): Promise<string> {
    const owner = this.actor(actor);
    const ownerTokenAccount = actor.tokenAccount ?? (await this.defaultTokenAccount(owner));
    return withMediaErrors(() => this.program.methods.claimRewards().accounts({ owner, ownerTokenAccount }).signers(this.signers(actor)).rpc());
  }

  private async defaultTokenAccount(owner: PublicKey): Promise<PublicKey> {
    const { mediaMint } = await this.fetchConfig();
    return getAssociatedTokenAddressSync(mediaMint, owner, true);
  }
}
