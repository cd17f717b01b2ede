/**
 * The bandwidth cast of the tests: staking and bandwidth configs, a quote mint, treasury
 * vaults (plain token accounts until the treasury program owns them), Edge operators who
 * stake and register, and consumers with escrows.
 */
import { Keypair, PublicKey, Transaction, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import {
  BANDWIDTH_DEFAULTS,
  ReceiptChannel,
  type SignedReceipt,
  bandwidthConfigPda,
  escrowPda,
  escrowVaultPda,
  providerPda,
  settleReceiptInstructions,
  stakeAccountPda,
  stakingConfigPda,
  stakingVaultPda,
} from "../../sdk/src";
import type { Bank } from "./bank";
import { type Staker, type StakingWorld, newStaker, setUpStaking, stake } from "./staking";
import { createMint, createTokenAccount, mintTo } from "./token";

export const MEDIA = 1_000_000n;
export const GIB = 1n << 30n;

export interface BandwidthWorld {
  bank: Bank;
  staking: StakingWorld;
  mediaMint: PublicKey;
  quoteMint: PublicKey;
  config: PublicKey;
  treasuryMediaVault: PublicKey;
  treasuryQuoteVault: PublicKey;
  /** Config authority and pause authority at genesis (the payer). */
  authority: Keypair;
}

/** Staking with the spec's defaults, a quote mint, treasury vaults and the bandwidth config. */
export async function setUpBandwidth(bank: Bank, params = BANDWIDTH_DEFAULTS): Promise<BandwidthWorld> {
  const staking = await setUpStaking(bank);
  const quoteMint = await createMint(bank, 6);
  const treasury = Keypair.generate().publicKey;
  const treasuryMediaVault = await createTokenAccount(bank, staking.mediaMint, treasury);
  const treasuryQuoteVault = await createTokenAccount(bank, quoteMint, treasury);
  await bank.programs.bandwidth.methods
    .initializeConfig(params.protocolFeeBps, params.stakerShareBps, params.quotaWindow, params.disputeWindow)
    .accounts({
      authority: bank.payer.publicKey,
      stakingConfig: stakingConfigPda(),
      mediaMint: staking.mediaMint,
      quoteMint,
      treasuryMediaVault,
      treasuryQuoteVault,
    })
    .rpc();
  return {
    bank,
    staking,
    mediaMint: staking.mediaMint,
    quoteMint,
    config: bandwidthConfigPda(),
    treasuryMediaVault,
    treasuryQuoteVault,
    authority: bank.payer,
  };
}

export interface Operator extends Staker {
  provider: PublicKey;
  /** Where the provider's shares arrive. */
  mediaAccount: PublicKey;
  quoteAccount: PublicKey;
}

/** Default prices: 0.1 MEDIA and 0.05 quote per GiB. */
export const PRICES = { media: 100_000n, quote: 50_000n };

/** A wallet that stakes `stakeAmount` MEDIA (nothing if 0) and, unless told not to, registers. */
export async function newOperator(
  world: BandwidthWorld,
  stakeAmount = 25n * MEDIA,
  options: { register?: boolean; prices?: { media: bigint; quote: bigint }; wallet?: Keypair } = {},
): Promise<Operator> {
  const staker = await newStaker(world.staking, stakeAmount, options.wallet);
  if (stakeAmount > 0n) await stake(world.staking, staker, stakeAmount);
  const operator: Operator = {
    ...staker,
    provider: providerPda(staker.wallet.publicKey),
    mediaAccount: staker.tokenAccount,
    quoteAccount: await createTokenAccount(world.bank, world.quoteMint, staker.wallet.publicKey),
  };
  if (options.register ?? true) await registerProvider(world, operator, options.prices ?? PRICES);
  return operator;
}

/** `register_provider` through the Anchor client. */
export function registerProvider(world: BandwidthWorld, operator: Operator, prices = PRICES): Promise<string> {
  return world.bank.programs.bandwidth.methods
    .registerProvider(new BN(prices.media.toString()), new BN(prices.quote.toString()))
    .accounts({
      operator: operator.wallet.publicKey,
      stakingConfig: stakingConfigPda(),
      stakeAccount: stakeAccountPda(operator.wallet.publicKey),
    })
    .signers([operator.wallet])
    .rpc();
}

export interface Consumer {
  wallet: Keypair;
  mediaAccount: PublicKey;
  quoteAccount: PublicKey;
}

/** A wallet with SOL and `media` MEDIA and `quote` quote base units in its own accounts. */
export async function newConsumer(
  world: BandwidthWorld,
  media = 1_000n * MEDIA,
  quote = 1_000n * MEDIA,
  wallet?: Keypair,
): Promise<Consumer> {
  const staker = await newStaker(world.staking, media, wallet);
  const quoteAccount = await createTokenAccount(world.bank, world.quoteMint, staker.wallet.publicKey);
  if (quote > 0n) await mintTo(world.bank, world.quoteMint, quoteAccount, quote);
  return { wallet: staker.wallet, mediaAccount: staker.tokenAccount, quoteAccount };
}

export interface EscrowHandle {
  escrow: PublicKey;
  vault: PublicKey;
  mint: PublicKey;
  consumer: Consumer;
  operator: Operator;
  isMedia: boolean;
  /** The consumer's token account of the escrow's mint. */
  consumerAccount: PublicKey;
  /** The provider's token account of the escrow's mint. */
  providerAccount: PublicKey;
  treasuryVault: PublicKey;
  channel: ReceiptChannel;
}

/** The escrow of (consumer, operator's provider, mint), without sending anything. */
export function escrowOf(world: BandwidthWorld, consumer: Consumer, operator: Operator, mint: PublicKey): EscrowHandle {
  const escrow = escrowPda(consumer.wallet.publicKey, operator.provider, mint);
  const isMedia = mint.equals(world.mediaMint);
  return {
    escrow,
    vault: escrowVaultPda(escrow),
    mint,
    consumer,
    operator,
    isMedia,
    consumerAccount: isMedia ? consumer.mediaAccount : consumer.quoteAccount,
    providerAccount: isMedia ? operator.mediaAccount : operator.quoteAccount,
    treasuryVault: isMedia ? world.treasuryMediaVault : world.treasuryQuoteVault,
    channel: new ReceiptChannel(consumer.wallet, escrow),
  };
}

/** `open_escrow` (baseline 0) and, if `deposit > 0`, `deposit`. */
export async function openEscrow(
  world: BandwidthWorld,
  consumer: Consumer,
  operator: Operator,
  mint: PublicKey,
  deposit = 0n,
): Promise<EscrowHandle> {
  const handle = escrowOf(world, consumer, operator, mint);
  await world.bank.programs.bandwidth.methods
    .openEscrow(new BN(0), new BN(0))
    .accounts({ consumer: consumer.wallet.publicKey, provider: operator.provider, mint })
    .signers([consumer.wallet])
    .rpc();
  if (deposit > 0n) await depositInto(world, handle, deposit);
  return handle;
}

/** `deposit(amount)` from the consumer's own account. */
export function depositInto(world: BandwidthWorld, handle: EscrowHandle, amount: bigint): Promise<string> {
  return world.bank.programs.bandwidth.methods
    .deposit(new BN(amount.toString()))
    .accounts({ consumer: handle.consumer.wallet.publicKey, consumerTokenAccount: handle.consumerAccount, escrow: handle.escrow })
    .signers([handle.consumer.wallet])
    .rpc();
}

/** `[Ed25519 verify, settle_receipt]` for `receipt`, as the SDK builds them. */
export function settleInstructions(world: BandwidthWorld, handle: EscrowHandle, receipt: SignedReceipt): Promise<TransactionInstruction[]> {
  return settleReceiptInstructions(world.bank.programs.bandwidth, receipt, {
    operator: handle.operator.wallet.publicKey,
    providerTokenAccount: handle.providerAccount,
    treasuryVault: handle.treasuryVault,
  });
}

/** Sends `instructions` signed by the fee payer and `signers`. */
export function send(world: BandwidthWorld, instructions: TransactionInstruction[], signers: Keypair[]): Promise<string> {
  return world.bank.provider.sendAndConfirm(new Transaction().add(...instructions), signers);
}

/** The provider settles `receipt` in a transaction of its own. */
export async function settle(world: BandwidthWorld, handle: EscrowHandle, receipt: SignedReceipt): Promise<string> {
  return send(world, await settleInstructions(world, handle, receipt), [handle.operator.wallet]);
}

/** Every account a settlement of `handle` touches, for `snapshot`. */
export function settleAccounts(world: BandwidthWorld, handle: EscrowHandle): PublicKey[] {
  return [
    handle.escrow,
    handle.vault,
    handle.operator.provider,
    handle.providerAccount,
    handle.treasuryVault,
    world.config,
    stakingConfigPda(),
    stakingVaultPda(),
    handle.operator.stakeAccount,
  ];
}
