/**
 * The bandwidth cast of the tests: staking and bandwidth configs, a quote mint, the treasury
 * config with its two vaults (where the fee split sends revenue), Edge operators who stake
 * and register, and consumers with escrows.
 */
import { type Keypair, type PublicKey, Transaction, type TransactionInstruction } from "@solana/web3.js";
import {
  BANDWIDTH_DEFAULTS,
  type BandwidthConfigParams,
  type OperatorTerms,
  ReceiptChannel,
  type SignedReceipt,
  bandwidthConfigPda,
  escrowPda,
  escrowVaultPda,
  feeShareVaultPda,
  operatorPoolPda,
  providerPda,
  rewardsPoolPda,
  STAKING_DEFAULTS,
  stakingConfigPda,
  stakingVaultPda,
  treasuryConfigPda,
  treasuryVaultAddress,
} from "../../sdk/src";
import type { Bank } from "./bank";
import { GIB, MEDIA, MIN_STAKE } from "./constants";
import { type Staker, type StakingWorld, newStaker, setUpStaking } from "./staking";
import { createMint, createTokenAccount, mintTo } from "./token";
import { initializeTreasury } from "./treasury";

export { GIB, MEDIA };

export interface BandwidthWorld {
  bank: Bank;
  staking: StakingWorld;
  mediaMint: PublicKey;
  quoteMint: PublicKey;
  config: PublicKey;
  /** The treasury config, which names the vaults below. */
  treasuryConfig: PublicKey;
  treasuryMediaVault: PublicKey;
  treasuryQuoteVault: PublicKey;
  /** Config authority and pause authority at genesis (the payer). */
  authority: Keypair;
}

/** Initializes the bandwidth config over `mints` (after staking and the treasury), as the deployer. */
export async function initializeBandwidth(
  bank: Bank,
  mints: { mediaMint: PublicKey; quoteMint: PublicKey },
  params: BandwidthConfigParams = BANDWIDTH_DEFAULTS,
): Promise<void> {
  await bank.clients.bandwidth.initializeConfig(mints, params);
}

/**
 * Staking with the spec's defaults, a quote mint, the treasury (its vaults first) and the
 * bandwidth config.
 */
export async function setUpBandwidth(bank: Bank, params: BandwidthConfigParams = BANDWIDTH_DEFAULTS): Promise<BandwidthWorld> {
  const staking = await setUpStaking(bank);
  const mediaMint = staking.mediaMint;
  const quoteMint = await createMint(bank, 6);
  await initializeTreasury(bank, { mediaMint, quoteMint });
  await initializeBandwidth(bank, { mediaMint, quoteMint }, params);
  return {
    bank,
    staking,
    mediaMint,
    quoteMint,
    config: bandwidthConfigPda(),
    treasuryConfig: treasuryConfigPda(),
    treasuryMediaVault: treasuryVaultAddress(mediaMint),
    treasuryQuoteVault: treasuryVaultAddress(quoteMint),
    authority: bank.payer,
  };
}

export interface Operator extends Staker {
  provider: PublicKey;
  /** Its media_staking OperatorPool (opened with its registration). */
  operatorPool: PublicKey;
  /** Where the provider's shares arrive. */
  mediaAccount: PublicKey;
  quoteAccount: PublicKey;
}

/** Default prices: 0.1 MEDIA and 0.05 quote per GiB. */
export const PRICES = { media: 100_000n, quote: 50_000n };

/**
 * A wallet that stakes `stakeAmount` MEDIA (nothing if 0) and, unless told not to, registers
 * (opening its OperatorPool with `terms` first, as the SDK's `registerProvider` does).
 */
export async function newOperator(
  world: BandwidthWorld,
  stakeAmount = MIN_STAKE,
  options: { register?: boolean; prices?: { media: bigint; quote: bigint }; wallet?: Keypair; terms?: OperatorTerms } = {},
): Promise<Operator> {
  const staker = await newStaker(world.staking, stakeAmount, options.wallet);
  if (stakeAmount > 0n) await staker.stake(stakeAmount);
  const operator: Operator = {
    ...staker,
    provider: providerPda(staker.wallet.publicKey),
    operatorPool: operatorPoolPda(staker.wallet.publicKey),
    mediaAccount: staker.tokenAccount,
    quoteAccount: await createTokenAccount(world.bank, world.quoteMint, staker.wallet.publicKey),
  };
  if (options.register ?? true) await registerProvider(world, operator, options.prices ?? PRICES, options.terms);
  return operator;
}

/**
 * `operator` registers its provider with `prices` per GiB, opening its OperatorPool with
 * `terms` first if it has none. An operator pool needs the rewards pool: the first
 * registration of a world creates it with the spec's defaults, as the deployer, unless the
 * test made its own first.
 */
export async function registerProvider(world: BandwidthWorld, operator: Operator, prices = PRICES, terms?: OperatorTerms): Promise<string> {
  await ensureRewardsPool(world);
  return world.bank.clients.bandwidth.registerProvider(prices, { signer: operator.wallet }, terms);
}

/** Creates media_staking's rewards pool with the spec's defaults if the world has none yet. */
export async function ensureRewardsPool(world: BandwidthWorld): Promise<void> {
  if (await world.bank.runtime.getAccount(rewardsPoolPda())) return;
  await world.bank.clients.staking.initializeRewardsPool(STAKING_DEFAULTS, { signer: world.authority });
}

/** `staker` binds its whole active stake to `operator`'s pool (media_staking's `delegate`). */
export function delegateTo(world: BandwidthWorld, staker: Staker, operator: Operator): Promise<string> {
  return world.bank.clients.staking.delegate(operator.wallet.publicKey, { signer: staker.wallet });
}

export interface Consumer {
  wallet: Keypair;
  mediaAccount: PublicKey;
  quoteAccount: PublicKey;
}

/** A wallet with SOL and `media` MEDIA and `quote` quote base units in its own accounts. */
export async function newConsumer(world: BandwidthWorld, media = 1_000n * MEDIA, quote = 1_000n * MEDIA, wallet?: Keypair): Promise<Consumer> {
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
  /** The lifetime of the escrow the handle was made for (its `nonce`). */
  nonce: bigint;
  /** The price per GiB the escrow recorded when it opened (0 if unknown). */
  pricePerGib: bigint;
  isMedia: boolean;
  /** The consumer's token account of the escrow's mint. */
  consumerAccount: PublicKey;
  /** The provider's token account of the escrow's mint. */
  providerAccount: PublicKey;
  treasuryVault: PublicKey;
  channel: ReceiptChannel;
}

/**
 * The escrow of (consumer, operator's provider, mint) in lifetime `nonce` at `pricePerGib`,
 * without sending anything.
 */
export function escrowOf(world: BandwidthWorld, consumer: Consumer, operator: Operator, mint: PublicKey, nonce = 0n, pricePerGib = 0n): EscrowHandle {
  const escrow = escrowPda(consumer.wallet.publicKey, operator.provider, mint);
  const isMedia = mint.equals(world.mediaMint);
  return {
    escrow,
    vault: escrowVaultPda(escrow),
    mint,
    consumer,
    operator,
    nonce,
    pricePerGib,
    isMedia,
    consumerAccount: isMedia ? consumer.mediaAccount : consumer.quoteAccount,
    providerAccount: isMedia ? operator.mediaAccount : operator.quoteAccount,
    treasuryVault: isMedia ? world.treasuryMediaVault : world.treasuryQuoteVault,
    channel: new ReceiptChannel(consumer.wallet, escrow, nonce, 0n, 0n, pricePerGib),
  };
}

/**
 * `open_escrow` and, if `deposit > 0`, `deposit`; the handle carries the new lifetime's nonce
 * and price, and its channel signs receipts that meet the price.
 */
export async function openEscrow(world: BandwidthWorld, consumer: Consumer, operator: Operator, mint: PublicKey, deposit = 0n): Promise<EscrowHandle> {
  const client = world.bank.clients.bandwidth;
  const escrow = await client.openEscrow(operator.wallet.publicKey, mint, { signer: consumer.wallet });
  const opened = await client.fetchEscrow(escrow);
  if (!opened) throw new Error(`open_escrow created no escrow at ${escrow.toBase58()}`);
  const handle = escrowOf(world, consumer, operator, mint, BigInt(opened.nonce.toString()), BigInt(opened.pricePerGib.toString()));
  if (deposit > 0n) await depositInto(world, handle, deposit);
  return handle;
}

/** `request_close` by the escrow's consumer. */
export function requestClose(world: BandwidthWorld, handle: EscrowHandle): Promise<string> {
  return world.bank.clients.bandwidth.requestClose(handle.escrow, { signer: handle.consumer.wallet });
}

/** `close_escrow` by the escrow's consumer, refunded to its own account. */
export function closeEscrow(world: BandwidthWorld, handle: EscrowHandle): Promise<string> {
  return world.bank.clients.bandwidth.closeEscrow(handle.escrow, handle.consumerAccount, { signer: handle.consumer.wallet });
}

/** `set_paused` on the bandwidth config by its authority (the payer at genesis). */
export function setBandwidthPaused(world: BandwidthWorld, paused: boolean): Promise<string> {
  return world.bank.clients.bandwidth.setPaused(paused, { signer: world.authority });
}

/** `deposit(amount)` from the consumer's own account. */
export function depositInto(world: BandwidthWorld, handle: EscrowHandle, amount: bigint): Promise<string> {
  return world.bank.clients.bandwidth.deposit(handle.escrow, amount, handle.consumerAccount, { signer: handle.consumer.wallet });
}

/** `[Ed25519 verify, settle_receipt]` for `receipt`, as the SDK builds them. */
export function settleInstructions(world: BandwidthWorld, handle: EscrowHandle, receipt: SignedReceipt): Promise<TransactionInstruction[]> {
  return world.bank.clients.bandwidth.settleReceiptInstructions(receipt, settleTo(handle), handle.operator.wallet.publicKey);
}

/** Sends `instructions` signed by the fee payer and `signers`. */
export function send(world: BandwidthWorld, instructions: TransactionInstruction[], signers: Keypair[]): Promise<string> {
  return world.bank.provider.sendAndConfirm(new Transaction().add(...instructions), signers);
}

/** The provider settles `receipt` in a transaction of its own. */
export function settle(world: BandwidthWorld, handle: EscrowHandle, receipt: SignedReceipt): Promise<string> {
  return world.bank.clients.bandwidth.settleReceipt(receipt, settleTo(handle), { signer: handle.operator.wallet });
}

/** Where a settlement of `handle` pays: the provider's account and the treasury's vault of its mint. */
function settleTo(handle: EscrowHandle) {
  return { providerTokenAccount: handle.providerAccount, treasuryVault: handle.treasuryVault };
}

/** Every account a settlement of `handle` touches, for `snapshot`. */
export function settleAccounts(world: BandwidthWorld, handle: EscrowHandle): PublicKey[] {
  return [
    handle.operator.operatorPool,
    feeShareVaultPda(),
    handle.escrow,
    handle.vault,
    handle.operator.provider,
    handle.providerAccount,
    handle.treasuryVault,
    world.treasuryConfig,
    world.config,
    stakingConfigPda(),
    stakingVaultPda(),
    handle.operator.stakeAccount,
  ];
}
