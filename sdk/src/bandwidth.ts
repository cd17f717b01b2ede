/**
 * media_bandwidth on the client: PDAs, defaults, and the payment channel's two sides.
 *
 * The consumer signs cumulative receipts off-chain (`ReceiptChannel`, `signReceipt`); the
 * provider checks them (`verifyReceipt`) and settles the newest one with
 * `settleReceiptInstructions`, which puts the Ed25519 verify instruction immediately before
 * `settle_receipt`, in the exact layout the program rebuilds and compares.
 *
 * A receipt names the escrow's address and its nonce: the address is the same after a close
 * and a reopen, the nonce is not, so a receipt pays in the lifetime it was signed for only.
 * Read the nonce from the escrow account (`ReceiptChannel.forEscrow`,
 * `BandwidthClient.receiptChannel`).
 */
import type { Program } from "@coral-xyz/anchor";
import { ed25519 } from "@noble/curves/ed25519";
import { Ed25519Program, PublicKey, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import { MEDIA_BANDWIDTH_PROGRAM_ID, MEDIA_STAKING_PROGRAM_ID, MEDIA_TREASURY_PROGRAM_ID } from "./constants";
import type { MediaBandwidth } from "./generated/media_bandwidth";
import { type PauseState, unpausedSecondsSince } from "./pause";
import { stakeAccountPda, stakingConfigPda, stakingVaultPda } from "./pdas";
import { treasuryConfigPda } from "./treasury";

/** The bandwidth defaults of the spec (ECONOMY.md), used by genesis. */
export const BANDWIDTH_DEFAULTS = {
  protocolFeeBps: 1_000,
  stakerShareBps: 5_000,
  quotaWindow: new BN(24 * 60 * 60),
  disputeWindow: new BN(24 * 60 * 60),
} as const;

/** PDA seeds of media_bandwidth (escrows use `[consumer, provider, mint]`, no tag). */
export const BANDWIDTH_SEEDS = {
  config: Buffer.from("config"),
  provider: Buffer.from("provider"),
  escrowVault: Buffer.from("escrow_vault"),
} as const;

/** Basis points in one whole, and bytes per GiB (prices are per GiB). */
export const BPS = 10_000n;
export const GIB = 1n << 30n;

/** The bandwidth config, `["config"]`. */
export function bandwidthConfigPda(programId: PublicKey = MEDIA_BANDWIDTH_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([BANDWIDTH_SEEDS.config], programId)[0];
}

/** An operator's provider account, `["provider", operator]`. */
export function providerPda(operator: PublicKey, programId: PublicKey = MEDIA_BANDWIDTH_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([BANDWIDTH_SEEDS.provider, operator.toBuffer()], programId)[0];
}

/** The escrow of (consumer, provider account, mint), `[consumer, provider, mint]`. */
export function escrowPda(consumer: PublicKey, provider: PublicKey, mint: PublicKey, programId: PublicKey = MEDIA_BANDWIDTH_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([consumer.toBuffer(), provider.toBuffer(), mint.toBuffer()], programId)[0];
}

/** An escrow's token account, `["escrow_vault", escrow]`. */
export function escrowVaultPda(escrow: PublicKey, programId: PublicKey = MEDIA_BANDWIDTH_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([BANDWIDTH_SEEDS.escrowVault, escrow.toBuffer()], programId)[0];
}

/** How a settlement of `amount` is split (the program's rounding: every part rounds down). */
export function feeSplit(amount: bigint, protocolFeeBps: number, stakerShareBps: number, isMedia: boolean) {
  const revenue = (amount * BigInt(protocolFeeBps)) / BPS;
  const stakers = isMedia ? (revenue * BigInt(stakerShareBps)) / BPS : 0n;
  return { provider: amount - revenue, stakers, treasury: revenue - stakers };
}

/** Bytes still counted `elapsed` seconds after `used` was recorded (linear decay). */
export function decayedQuota(used: bigint, elapsed: bigint, window: bigint): bigint {
  if (elapsed <= 0n) return used;
  if (elapsed >= window) return 0n;
  return (used * (window - elapsed)) / window;
}

/** What `bytes` cost at `pricePerGib`, rounded up to the base unit. */
export function priceOf(bytes: bigint, pricePerGib: bigint): bigint {
  return (bytes * pricePerGib + GIB - 1n) / GIB;
}

/**
 * The fields of an escrow account (as Anchor decodes it) that a close and the receipts of
 * its lifetime depend on.
 */
export interface EscrowState {
  nonce: BN;
  settledBytes: BN;
  settledAmount: BN;
  closeRequestedAt: BN;
  closePausedSeconds: BN;
  closeWindow: BN;
}

/**
 * Whether the dispute window of the escrow's close request is over at unix time `now`, given
 * the bandwidth config's `pause`: `close_escrow` refunds from then on, and `settle_receipt`
 * refuses. The window counts only seconds during which bandwidth was not paused.
 */
export function disputeWindowOver(escrow: EscrowState, pause: PauseState, now: bigint | number): boolean {
  const requestedAt = BigInt(escrow.closeRequestedAt.toString());
  if (requestedAt === 0n) return false;
  const unpaused = unpausedSecondsSince(pause, requestedAt, BigInt(escrow.closePausedSeconds.toString()), now);
  return unpaused >= BigInt(escrow.closeWindow.toString());
}

/** The domain tag that starts every receipt message. */
export const RECEIPT_DOMAIN_TAG = Buffer.from("MEDIA-RECEIPT-v2");
/** Length of a receipt message. */
export const RECEIPT_MESSAGE_LEN = 72;

/**
 * `tag ‖ escrow ‖ nonce u64 LE ‖ cumulative_bytes u64 LE ‖ cumulative_amount u64 LE`
 * (72 bytes), for the lifetime `nonce` of `escrow`.
 */
export function receiptMessage(escrow: PublicKey, nonce: bigint, cumulativeBytes: bigint, cumulativeAmount: bigint): Buffer {
  const message = Buffer.alloc(RECEIPT_MESSAGE_LEN);
  RECEIPT_DOMAIN_TAG.copy(message, 0);
  escrow.toBuffer().copy(message, 16);
  message.writeBigUInt64LE(nonce, 48);
  message.writeBigUInt64LE(cumulativeBytes, 56);
  message.writeBigUInt64LE(cumulativeAmount, 64);
  return message;
}

/** A consumer-signed receipt: the newest one pays everything up to its cumulative figures. */
export interface SignedReceipt {
  escrow: PublicKey;
  /** The escrow lifetime it pays in (the escrow's `nonce`). */
  nonce: bigint;
  consumer: PublicKey;
  cumulativeBytes: bigint;
  cumulativeAmount: bigint;
  signature: Uint8Array;
}

/** The consumer's key: a web3.js `Keypair` or anything with its two fields. */
export interface ReceiptSigner {
  publicKey: PublicKey;
  /** 64 bytes: the 32-byte seed followed by the public key, as `Keypair.secretKey`. */
  secretKey: Uint8Array;
}

/**
 * Signs a receipt with the consumer's key (off-chain; nothing is sent) for the lifetime
 * `nonce` of `escrow` (the escrow account's `nonce`).
 */
export function signReceipt(consumer: ReceiptSigner, escrow: PublicKey, nonce: bigint, cumulativeBytes: bigint, cumulativeAmount: bigint): SignedReceipt {
  const message = receiptMessage(escrow, nonce, cumulativeBytes, cumulativeAmount);
  const signature = ed25519.sign(message, consumer.secretKey.subarray(0, 32));
  return { escrow, nonce, consumer: consumer.publicKey, cumulativeBytes, cumulativeAmount, signature };
}

/** The provider's check of a receipt before serving more data on its strength. */
export function verifyReceipt(receipt: SignedReceipt): boolean {
  const message = receiptMessage(receipt.escrow, receipt.nonce, receipt.cumulativeBytes, receipt.cumulativeAmount);
  return ed25519.verify(receipt.signature, message, receipt.consumer.toBytes());
}

/**
 * The consumer's side of one escrow lifetime's channel: keeps the cumulative figures and signs
 * a new receipt for every chunk of data paid for. Build it from the escrow account
 * (`ReceiptChannel.forEscrow`): its `nonce`, and its settled figures to start from.
 */
export class ReceiptChannel {
  constructor(
    readonly consumer: ReceiptSigner,
    readonly escrow: PublicKey,
    readonly nonce: bigint,
    public cumulativeBytes = 0n,
    public cumulativeAmount = 0n,
  ) {}

  /** The channel of `escrow` (its address) as its account `state` stands. */
  static forEscrow(consumer: ReceiptSigner, escrow: PublicKey, state: Pick<EscrowState, "nonce" | "settledBytes" | "settledAmount">): ReceiptChannel {
    const big = (value: BN) => BigInt(value.toString());
    return new ReceiptChannel(consumer, escrow, big(state.nonce), big(state.settledBytes), big(state.settledAmount));
  }

  /** Pays for `bytes` more at `amount` more; returns the receipt to hand to the provider. */
  pay(bytes: bigint, amount: bigint): SignedReceipt {
    if (bytes <= 0n || amount < 0n) throw new Error("a receipt must add bytes and may not lower the amount");
    this.cumulativeBytes += bytes;
    this.cumulativeAmount += amount;
    return signReceipt(this.consumer, this.escrow, this.nonce, this.cumulativeBytes, this.cumulativeAmount);
  }

  /** Pays for `bytes` more at the provider's price per GiB (rounded up). */
  payAtPrice(bytes: bigint, pricePerGib: bigint): SignedReceipt {
    return this.pay(bytes, priceOf(bytes, pricePerGib));
  }
}

/** The native Ed25519 verify instruction of a receipt (every offset inside itself). */
export function receiptVerifyInstruction(receipt: SignedReceipt): TransactionInstruction {
  return Ed25519Program.createInstructionWithPublicKey({
    publicKey: receipt.consumer.toBytes(),
    message: receiptMessage(receipt.escrow, receipt.nonce, receipt.cumulativeBytes, receipt.cumulativeAmount),
    signature: receipt.signature,
  });
}

/** The accounts `settle_receipt` needs beyond what Anchor derives. */
export interface SettleAccounts {
  operator: PublicKey;
  /** Receives the provider's share (a token account of the escrow's mint). */
  providerTokenAccount: PublicKey;
  /** The treasury config's vault of the escrow's mint (`treasuryVaultAddress(mint)`). */
  treasuryVault: PublicKey;
  stakingProgramId?: PublicKey;
  treasuryProgramId?: PublicKey;
}

/**
 * `[Ed25519 verify, settle_receipt]`, in that order and adjacent: the program accepts only a
 * verify instruction immediately before it.
 */
export async function settleReceiptInstructions(
  program: Program<MediaBandwidth>,
  receipt: SignedReceipt,
  accounts: SettleAccounts,
): Promise<TransactionInstruction[]> {
  const stakingProgramId = accounts.stakingProgramId ?? MEDIA_STAKING_PROGRAM_ID;
  const settle = await program.methods
    .settleReceipt(new BN(receipt.cumulativeBytes.toString()), new BN(receipt.cumulativeAmount.toString()))
    .accountsPartial({
      operator: accounts.operator,
      escrow: receipt.escrow,
      providerTokenAccount: accounts.providerTokenAccount,
      treasuryConfig: treasuryConfigPda(accounts.treasuryProgramId ?? MEDIA_TREASURY_PROGRAM_ID),
      treasuryVault: accounts.treasuryVault,
      stakingConfig: stakingConfigPda(stakingProgramId),
      stakingVault: stakingVaultPda(stakingProgramId),
      stakeAccount: stakeAccountPda(accounts.operator, stakingProgramId),
    })
    .instruction();
  return [receiptVerifyInstruction(receipt), settle];
}
