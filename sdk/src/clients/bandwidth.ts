import { Program } from "@coral-xyz/anchor";
import { type PublicKey, Transaction } from "@solana/web3.js";
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
import { withMediaErrors } from "../errors";
import type { MediaBandwidth } from "../generated/media_bandwidth";
import { MEDIA_STAKING_IDL, type MediaStaking } from "../generated/media_staking";
import { stakeAccountPda, stakingConfigPda } from "../pdas";
import { type Actor, type Amount, ClientBase, toBN } from "./base";

/**
 * The `media_bandwidth` program: Edge providers, consumer escrows, and settlement of
 * consumer-signed receipts. The consumer's side of the channel (signing receipts) is
 * `ReceiptChannel`/`signReceipt`; `settleReceipt` is the provider's side.
 */
export class BandwidthClient extends ClientBase<MediaBandwidth> {
  /** media_staking, whose stake accounts bound the quotas (by default at its IDL's address). */
  readonly staking: Program<MediaStaking>;

  constructor(program: Program<MediaBandwidth>, staking?: Program<MediaStaking>) {
    super(program);
    this.staking = staking ?? new Program<MediaStaking>(MEDIA_STAKING_IDL, program.provider);
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

  fetchConfig() {
    return this.program.account.bandwidthConfig.fetch(this.configAddress());
  }

  fetchProvider(operator: PublicKey) {
    return this.program.account.provider.fetchNullable(this.providerAddress(operator));
  }

  fetchEscrow(escrow: PublicKey) {
    return this.program.account.escrow.fetchNullable(escrow);
  }

  /**
   * The consumer's receipt channel for the current lifetime of `escrow`: its nonce and its
   * settled figures, read from the escrow account.
   */
  async receiptChannel(escrow: PublicKey, consumer: ReceiptSigner): Promise<ReceiptChannel> {
    const state = await this.fetchEscrow(escrow);
    if (!state) throw new Error(`no escrow at ${escrow.toBase58()}`);
    return ReceiptChannel.forEscrow(consumer, escrow, state);
  }

  /** Bytes in `operator`'s rolling quota window at unix time `now`. */
  async quotaUsed(operator: PublicKey, now: bigint): Promise<bigint> {
    const [config, provider] = await Promise.all([this.fetchConfig(), this.fetchProvider(operator)]);
    if (!provider) return 0n;
    const elapsed = now - BigInt(provider.quotaUpdatedAt.toString());
    return decayedQuota(BigInt(provider.quotaUsed.toString()), elapsed, BigInt(config.quotaWindow.toString()));
  }

  /**
   * Bytes `operator`'s provider may still settle at unix time `now`: its stake's quota less
   * what the rolling window still counts (`quotaRemaining`, the program's rule).
   */
  async quotaRemaining(operator: PublicKey, now: bigint): Promise<bigint> {
    const big = (value: { toString(): string }) => BigInt(value.toString());
    const [config, provider, stakingConfig, stake] = await Promise.all([
      this.fetchConfig(),
      this.fetchProvider(operator),
      this.staking.account.stakingConfig.fetch(stakingConfigPda(this.staking.programId)),
      this.staking.account.stakeAccount.fetchNullable(stakeAccountPda(operator, this.staking.programId)),
    ]);
    if (!provider || !stake) return 0n;
    return quotaRemaining(
      {
        quotaUsed: big(provider.quotaUsed),
        quotaUpdatedAt: big(provider.quotaUpdatedAt),
        quotaWindow: big(config.quotaWindow),
        activeStake: big(stake.active),
        quotaBytesPerMedia: big(stakingConfig.quotaBytesPerMedia),
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
  async settleChannel(
    channel: ReceiptChannel,
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

  /** Creates the config; fees go to the vaults the treasury config names. */
  initializeConfig(mints: { mediaMint: PublicKey; quoteMint: PublicKey }, params = BANDWIDTH_DEFAULTS): Promise<string> {
    return withMediaErrors(() =>
      this.program.methods
        .initializeConfig(params.protocolFeeBps, params.stakerShareBps, params.quotaWindow, params.disputeWindow)
        .accounts({ authority: this.wallet(), ...mints })
        .rpc(),
    );
  }

  /** Registers the acting operator (active stake at least the minimum) with prices per GiB. */
  registerProvider(prices: { media: Amount; quote: Amount }, actor: Actor = {}): Promise<string> {
    const operator = this.actor(actor);
    return withMediaErrors(() =>
      this.program.methods.registerProvider(toBN(prices.media), toBN(prices.quote)).accounts({ operator }).signers(this.signers(actor)).rpc(),
    );
  }

  /**
   * Opens the acting consumer's escrow with `operator`'s provider in `mint`; returns its
   * address. Each opening is a new lifetime with its own nonce (`receiptChannel` reads it).
   */
  async openEscrow(operator: PublicKey, mint: PublicKey, actor: Actor = {}): Promise<PublicKey> {
    const consumer = this.actor(actor);
    const provider = this.providerAddress(operator);
    await withMediaErrors(() => this.program.methods.openEscrow().accounts({ consumer, provider, mint }).signers(this.signers(actor)).rpc());
    return this.escrowAddress(consumer, provider, mint);
  }

  /** Deposits `amount` into `escrow` from the consumer's `tokenAccount`. */
  deposit(escrow: PublicKey, amount: Amount, tokenAccount: PublicKey, actor: Actor = {}): Promise<string> {
    return withMediaErrors(() =>
      this.program.methods
        .deposit(toBN(amount))
        .accounts({ consumer: this.actor(actor), consumerTokenAccount: tokenAccount, escrow })
        .signers(this.signers(actor))
        .rpc(),
    );
  }

  /**
   * The provider settles a consumer-signed receipt: one transaction with the Ed25519 verify
   * instruction and `settle_receipt`, adjacent. `providerTokenAccount` receives the
   * provider's share; `treasuryVault` is the treasury config's vault of the escrow's mint.
   */
  async settleReceipt(receipt: SignedReceipt, accounts: { providerTokenAccount: PublicKey; treasuryVault: PublicKey }, actor: Actor = {}): Promise<string> {
    const instructions = await settleReceiptInstructions(this.program, receipt, { operator: this.actor(actor), ...accounts });
    const provider = this.program.provider;
    if (!provider.sendAndConfirm) throw new Error("the provider cannot send transactions");
    return withMediaErrors(() => provider.sendAndConfirm!(new Transaction().add(...instructions), this.signers(actor)));
  }
}
