import { type IdlAccounts, Program } from "@coral-xyz/anchor";
import { type Bigints, toBigints } from "../bigint";
import { fieldFilter } from "../listing";
import { programDataPda } from "../loader";
import { type MediaProgramIds, retargetIdl } from "../programs";
import type { PublicKey, TransactionInstruction } from "@solana/web3.js";
import {
  BANDWIDTH_DEFAULTS,
  ReceiptChannel,
  type ReceiptSigner,
  type SignedReceipt,
  bandwidthConfigPda,
  decayedQuota,
  escrowPda,
  providerPda,
  quotaRemaining,
  settleReceiptInstructions,
} from "../bandwidth";
import type { MediaBandwidth } from "../generated/media_bandwidth";
import { MEDIA_STAKING_IDL, type MediaStaking, operatorPoolPda } from "../generated/media_staking";
import { stakeAccountPda, stakingConfigPda } from "../pdas";
import type { InstructionArgs } from "../idl-type";
import { type Actor, type Amount, ClientBase, type WithAmounts, toBN } from "./base";
import { StakingClient } from "./staking";

/**
 * The `media_bandwidth` program: Edge providers, consumer escrows, and settlement of
 * consumer-signed receipts. The consumer's side of the channel (signing receipts) is
 * `ReceiptChannel`/`signReceipt`; `settleReceipt` is the provider's side.
 */
export class BandwidthClient extends ClientBase<MediaBandwidth> {
  /** media_staking, whose stake accounts bound the quotas (by default at its IDL's address). */
  readonly staking: Program<MediaStaking>;

  /**
   * `staking` is media_staking's `Program` at the deployment's staking id (by default the IDL's
   * own, or `programIds.staking`); `programIds` names the treasury too (its config receives fees).
   */
  constructor(program: Program<MediaBandwidth>, staking?: Program<MediaStaking>, programIds: Partial<MediaProgramIds> = {}) {
    const ids = { ...programIds, ...(staking ? { staking: staking.programId } : {}) };
    super(program, ids);
    this.staking = staking ?? new Program<MediaStaking>(retargetIdl(MEDIA_STAKING_IDL, this.programIds), program.provider);
  }

  protected programName(): keyof MediaProgramIds {
    return "bandwidth";
  }

  /** media_staking's accounts this program reads for `operator`: its config and the operator's stake account. */
  private stakingAccounts(operator: PublicKey) {
    return { stakingConfig: stakingConfigPda(this.programIds.staking), stakeAccount: stakeAccountPda(operator, this.programIds.staking) };
  }

  /** `operator`'s OperatorPool in media_staking (opened by `open_operator`). */
  operatorPoolAddress(operator: PublicKey): PublicKey {
    return operatorPoolPda(operator, this.programIds.staking);
  }

  configAddress(): PublicKey {
    return bandwidthConfigPda(this.programId);
  }

  /** An operator's provider account. */
  providerAddress(operator: PublicKey): PublicKey {
    return providerPda(operator, this.programId);
  }

  /** The escrow of (consumer, provider account, mint). */
  escrowAddress(consumer: PublicKey, provider: PublicKey, mint: PublicKey): PublicKey {
    return escrowPda(consumer, provider, mint, this.programId);
  }

  /** The decoded config (amounts and times as bigint). */
  async fetchConfig(): Promise<BandwidthConfigAccount> {
    return toBigints(await this.program.account.bandwidthConfig.fetch(this.configAddress()));
  }

  /** `operator`'s provider account (amounts and times as bigint), or null if it never registered. */
  async fetchProvider(operator: PublicKey): Promise<ProviderAccount | null> {
    const account = await this.program.account.provider.fetchNullable(this.providerAddress(operator));
    return account && toBigints(account);
  }

  /** The escrow at `escrow` (amounts and times as bigint), or null if there is none. */
  async fetchEscrow(escrow: PublicKey): Promise<EscrowAccount | null> {
    const account = await this.program.account.escrow.fetchNullable(escrow);
    return account && toBigints(account);
  }

  /**
   * Escrows matching `filter` (any combination of the consumer, the provider account, the
   * mint), with their addresses, over `getProgramAccounts`: e.g. a consumer's escrows,
   * `listEscrows({ consumer })`.
   */
  async listEscrows(filter: { consumer?: PublicKey; provider?: PublicKey; mint?: PublicKey } = {}): Promise<{ address: PublicKey; account: EscrowAccount }[]> {
    const filters = (["consumer", "provider", "mint"] as const).flatMap((field) => {
      const value = filter[field];
      return value ? [fieldFilter(this.program.rawIdl, "Escrow", field, value)] : [];
    });
    const found = await this.program.account.escrow.all(filters);
    return found.map(({ publicKey, account }) => ({ address: publicKey, account: toBigints(account) }));
  }

  /** Provider accounts (all, or only the active or inactive ones), with their addresses. */
  async listProviders(filter: { active?: boolean } = {}): Promise<{ address: PublicKey; account: ProviderAccount }[]> {
    const filters = filter.active === undefined ? [] : [fieldFilter(this.program.rawIdl, "Provider", "active", filter.active)];
    const found = await this.program.account.provider.all(filters);
    return found.map(({ publicKey, account }) => ({ address: publicKey, account: toBigints(account) }));
  }

  /**
   * The consumer's receipt channel for the current lifetime of `escrow`: its nonce and its
   * settled figures, read from the escrow account.
   */
  async receiptChannel<S extends ReceiptSigner>(escrow: PublicKey, consumer: S): Promise<ReceiptChannel<S>> {
    const state = await this.fetchEscrow(escrow);
    if (!state) throw new Error(`no escrow at ${escrow.toBase58()}`);
    return ReceiptChannel.forEscrow(consumer, escrow, state);
  }

  /** Bytes in `operator`'s rolling quota window at unix time `now`. */
  async quotaUsed(operator: PublicKey, now: bigint): Promise<bigint> {
    const [config, provider] = await Promise.all([this.fetchConfig(), this.fetchProvider(operator)]);
    if (!provider) return 0n;
    return decayedQuota(provider.quotaUsed, now - provider.quotaUpdatedAt, config.quotaWindow);
  }

  /**
   * Bytes `operator`'s provider may still settle at unix time `now`: its stake's quota less
   * what the rolling window still counts (`quotaRemaining`, the program's rule).
   */
  async quotaRemaining(operator: PublicKey, now: bigint): Promise<bigint> {
    const big = (value: { toString(): string }) => BigInt(value.toString());
    const [config, provider, stakingConfig, stake, pool] = await Promise.all([
      this.fetchConfig(),
      this.fetchProvider(operator),
      this.staking.account.stakingConfig.fetch(stakingConfigPda(this.staking.programId)),
      this.staking.account.stakeAccount.fetchNullable(stakeAccountPda(operator, this.staking.programId)),
      this.staking.account.operatorPool.fetchNullable(operatorPoolPda(operator, this.staking.programId)),
    ]);
    if (!provider || !stake) return 0n;
    return quotaRemaining(
      {
        quotaUsed: big(provider.quotaUsed),
        quotaUpdatedAt: big(provider.quotaUpdatedAt),
        quotaWindow: big(config.quotaWindow),
        activeStake: big(stake.active),
        quotaBytesPerMedia: big(stakingConfig.quotaBytesPerMedia),
        delegatedStake: pool ? big(pool.boundTotal) - big(pool.selfBound) : 0n,
        delegationCap: BigInt(stakingConfig.delegationCap),
      },
      now,
    );
  }

  /**
   * The provider (the acting operator) settles the newest receipt of `channel` that fits its
   * remaining quota at unix time `now` (by default the chain's clock) and records it settled;
   * later receipts stay pending for a later call. Returns the receipt settled, or `undefined`
   * if none fits yet.
   */
  async settleChannel<S extends ReceiptSigner>(
    channel: ReceiptChannel<S>,
    accounts: { providerTokenAccount: PublicKey; treasuryVault: PublicKey },
    actor: Actor = {},
    now?: bigint,
  ): Promise<SignedReceipt | undefined> {
    const at = now ?? (await this.unixTimestamp());
    const receipt = channel.settleable(await this.quotaRemaining(this.actor(actor), at));
    if (!receipt) return undefined;
    await this.settleReceipt(receipt, accounts, actor);
    channel.settled(receipt);
    return receipt;
  }

  /**
   * `initialize_config` with `params` (the activity window defaults to the spec's), signed by
   * `authority` (the programs' upgrade authority).
   */
  initializeConfigInstruction(
    mints: { mediaMint: PublicKey; quoteMint: PublicKey },
    params: BandwidthConfigParams = BANDWIDTH_DEFAULTS,
    authority: PublicKey = this.wallet(),
  ): Promise<TransactionInstruction> {
    const activityWindow = params.activityWindow ?? BANDWIDTH_DEFAULTS.activityWindow;
    return this.program.methods
      .initializeConfig(params.protocolFeeBps, params.stakerShareBps, toBN(params.quotaWindow), toBN(params.disputeWindow), toBN(activityWindow))
      .accountsPartial({
        authority,
        stakingConfig: stakingConfigPda(this.programIds.staking),
        programData: programDataPda(this.programId),
        mediaMint: mints.mediaMint,
        quoteMint: mints.quoteMint,
      })
      .instruction();
  }

  /** `set_parameters` signed by `authority` (the governance PDA after hand-over: put it in a proposal). */
  setParametersInstruction(params: BandwidthParams, authority: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    return this.program.methods
      .setParameters(params.protocolFeeBps, params.stakerShareBps, toBN(params.quotaWindow), toBN(params.disputeWindow))
      .accounts({ authority })
      .instruction();
  }

  /**
   * `set_activity_window`: seconds a provider counts as active after each settlement, signed
   * by `authority` (the governance PDA after hand-over: put it in a proposal).
   */
  setActivityWindowInstruction(activityWindow: Amount, authority: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    return this.program.methods.setActivityWindow(toBN(activityWindow)).accounts({ authority }).instruction();
  }

  /**
   * `register_provider` of `operator` (active stake at least the minimum, its OperatorPool
   * open in media_staking) with prices per GiB.
   */
  registerProviderInstruction(prices: ProviderPrices, operator: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods
      .registerProvider(toBN(prices.media), toBN(prices.quote))
      .accountsPartial({ operator, ...this.stakingAccounts(operator), operatorPool: this.operatorPoolAddress(operator) })
      .instruction();
  }

  /**
   * What registering `operator` takes: `open_operator` with `terms` first if its OperatorPool
   * does not exist yet, then `register_provider`.
   */
  async registerProviderInstructions(
    prices: ProviderPrices,
    operator: PublicKey,
    terms: OperatorTerms = OPEN_OPERATOR_TERMS,
  ): Promise<TransactionInstruction[]> {
    const pool = await this.program.provider.connection.getAccountInfo(this.operatorPoolAddress(operator));
    const staking = new StakingClient(this.staking, this.programIds);
    const open = pool ? [] : [await staking.openOperatorInstruction(terms.commissionBps, terms.feeShareBps, operator)];
    return [...open, await this.registerProviderInstruction(prices, operator)];
  }

  /** `update_provider`: `operator`'s new prices per GiB, for escrows opened from now on. */
  updateProviderInstruction(prices: ProviderPrices, operator: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods
      .updateProvider(toBN(prices.media), toBN(prices.quote))
      .accountsPartial({ operator, ...this.stakingAccounts(operator) })
      .instruction();
  }

  /** `deactivate_provider` of `operator`: no new escrows; open ones still settle. */
  deactivateProviderInstruction(operator: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods.deactivateProvider().accounts({ operator }).instruction();
  }

  /** `open_escrow` of `consumer` with the provider account `provider` in `mint`. */
  openEscrowInstruction(provider: PublicKey, mint: PublicKey, consumer: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods.openEscrow().accounts({ consumer, provider, mint }).instruction();
  }

  /** `deposit(amount)` into `escrow` from `consumer`'s `tokenAccount`. */
  depositInstruction(escrow: PublicKey, amount: Amount, tokenAccount: PublicKey, consumer: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods.deposit(toBN(amount)).accounts({ consumer, consumerTokenAccount: tokenAccount, escrow }).instruction();
  }

  /** `request_close` of `escrow` by its `consumer`: the dispute window starts. */
  requestCloseInstruction(escrow: PublicKey, consumer: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods.requestClose().accounts({ consumer, escrow }).instruction();
  }

  /** `close_escrow` of `escrow` by its `consumer`, refunded to `tokenAccount`, after the dispute window. */
  closeEscrowInstruction(escrow: PublicKey, tokenAccount: PublicKey, consumer: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods.closeEscrow().accounts({ consumer, consumerTokenAccount: tokenAccount, escrow }).instruction();
  }

  /**
   * `[Ed25519 verify, settle_receipt]` of `receipt` for `operator`, adjacent as the program
   * requires. `providerTokenAccount` receives the provider's share; `treasuryVault` is the
   * treasury config's vault of the escrow's mint.
   */
  settleReceiptInstructions(
    receipt: SignedReceipt,
    accounts: { providerTokenAccount: PublicKey; treasuryVault: PublicKey },
    operator: PublicKey,
  ): Promise<TransactionInstruction[]> {
    return settleReceiptInstructions(this.program, receipt, { operator, ...accounts }, this.programIds);
  }

  /** Creates the config; fees go to the vaults the treasury config names. */
  async initializeConfig(
    mints: { mediaMint: PublicKey; quoteMint: PublicKey },
    params: BandwidthConfigParams = BANDWIDTH_DEFAULTS,
    actor: Actor = {},
  ): Promise<string> {
    return this.sendAs(actor, (signer) => this.initializeConfigInstruction(mints, params, signer));
  }

  /** Sets the fee, share and windows as the config authority (before the hand-over). */
  async setParameters(params: BandwidthParams, actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.setParametersInstruction(params, signer));
  }

  /** Sets the activity window as the config authority (before the hand-over). */
  async setActivityWindow(activityWindow: Amount, actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.setActivityWindowInstruction(activityWindow, signer));
  }

  /**
   * Registers the acting operator (active stake at least the minimum) with prices per GiB,
   * opening its OperatorPool in media_staking first, with `terms`, if it has none.
   */
  async registerProvider(prices: ProviderPrices, actor: Actor = {}, terms: OperatorTerms = OPEN_OPERATOR_TERMS): Promise<string> {
    return this.send(await this.registerProviderInstructions(prices, this.actor(actor), terms), actor);
  }

  /** The acting operator changes its prices per GiB (for escrows opened from now on). */
  async updateProvider(prices: ProviderPrices, actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.updateProviderInstruction(prices, signer));
  }

  /** The acting operator stops taking new escrows. */
  async deactivateProvider(actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.deactivateProviderInstruction(signer));
  }

  /**
   * Opens the acting consumer's escrow with `operator`'s provider in `mint`; returns its
   * address. Each opening is a new lifetime with its own nonce (`receiptChannel` reads it).
   */
  async openEscrow(operator: PublicKey, mint: PublicKey, actor: Actor = {}): Promise<PublicKey> {
    const consumer = this.actor(actor);
    const provider = this.providerAddress(operator);
    await this.send([await this.openEscrowInstruction(provider, mint, consumer)], actor);
    return this.escrowAddress(consumer, provider, mint);
  }

  /** Deposits `amount` into `escrow` from the consumer's `tokenAccount`. */
  async deposit(escrow: PublicKey, amount: Amount, tokenAccount: PublicKey, actor: Actor = {}): Promise<string> {
    await this.requireTokenBalance(tokenAccount, amount, "deposit");
    return this.sendAs(actor, (signer) => this.depositInstruction(escrow, amount, tokenAccount, signer));
  }

  /** The acting consumer asks to close `escrow`; the dispute window starts. */
  async requestClose(escrow: PublicKey, actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.requestCloseInstruction(escrow, signer));
  }

  /** The acting consumer closes `escrow` after the dispute window, refunded to `tokenAccount`. */
  async closeEscrow(escrow: PublicKey, tokenAccount: PublicKey, actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.closeEscrowInstruction(escrow, tokenAccount, signer));
  }

  /** The provider (the acting operator) settles a consumer-signed receipt (see `settleReceiptInstructions`). */
  async settleReceipt(receipt: SignedReceipt, accounts: { providerTokenAccount: PublicKey; treasuryVault: PublicKey }, actor: Actor = {}): Promise<string> {
    return this.send(await this.settleReceiptInstructions(receipt, accounts, this.actor(actor)), actor);
  }
}

/** media_bandwidth's config as the SDK returns it: every amount and time a bigint. */
export type BandwidthConfigAccount = Bigints<IdlAccounts<MediaBandwidth>["bandwidthConfig"]>;
/** A provider account as the SDK returns it. */
export type ProviderAccount = Bigints<IdlAccounts<MediaBandwidth>["provider"]>;
/** An escrow account as the SDK returns it. */
export type EscrowAccount = Bigints<IdlAccounts<MediaBandwidth>["escrow"]>;

/** Prices per GiB in base units of each mint. */
export interface ProviderPrices {
  media: Amount;
  quote: Amount;
}

/** `set_parameters`' arguments. */
export type BandwidthParams = WithAmounts<InstructionArgs<MediaBandwidth, "setParameters">>;
/** `initialize_config`'s arguments: `set_parameters`' and the activity window (default: the spec's). */
export type BandwidthConfigParams = BandwidthParams & Partial<WithAmounts<InstructionArgs<MediaBandwidth, "setActivityWindow">>>;

/** An operator's terms for its delegators, in basis points (see media_staking's `open_operator`). */
export interface OperatorTerms {
  /** Commission on the emissions its delegators earn. */
  commissionBps: number;
  /** Share of its MEDIA fee income paid to its delegators. */
  feeShareBps: number;
}

/**
 * The terms `registerProvider` opens a missing OperatorPool with: no commission, no fee share
 * (the operator changes them with `set_commission`, after the notice).
 */
export const OPEN_OPERATOR_TERMS: OperatorTerms = Object.freeze({ commissionBps: 0, feeShareBps: 0 });
