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
 *
 * Every settlement pays at least the escrow's recorded price for its new bytes
 * (`minimumAmount`, the program's rule) and both cumulative figures strictly grow, so
 * `ReceiptChannel` signs amounts that meet the price. It keeps every receipt not yet settled:
 * the provider settles the newest one whose new bytes fit its remaining quota
 * (`quotaRemaining`, `ReceiptChannel.settleable`), and the later ones stay for later.
 *
 * The quota counts the operator's own stake plus the stake delegated to it, up to the staking
 * config's cap (`backedStake`); of a MEDIA payment, the operator's delegators get its pool's
 * fee share of the provider's part (`feeSplit`, then `feeShare`).
 */
import type { IdlAccounts, Program } from "@coral-xyz/anchor";
import { ed25519 } from "@noble/curves/ed25519";
import { Ed25519Program, type PublicKey, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import { Buffer } from "buffer";
import type { AnyInts } from "./bigint";
import { bigintOf } from "./constants";
import { BANDWIDTH_CONSTANTS, type MediaBandwidth } from "./generated/media_bandwidth";
import type { ProviderActivity } from "./emissions";
import { ReceiptSignatureError } from "./errors";
import { type PauseState, unpausedSecondsSince } from "./pause";
import { quotaBytes } from "./quota";
import { stakeAccountPda, stakingConfigPda, stakingVaultPda } from "./pdas";
import { feeShareVaultPda, operatorPoolPda } from "./generated/media_staking";
import { DEFAULT_MEDIA_PROGRAM_IDS, type MediaProgramIds } from "./programs";
import { treasuryConfigPda } from "./treasury";

export { BANDWIDTH_BOUNDS, BANDWIDTH_CONSTANTS, BANDWIDTH_DEFAULTS, BANDWIDTH_SEEDS } from "./generated/media_bandwidth";
export { configPda as bandwidthConfigPda, escrowPda, providerPda, vaultPda as escrowVaultPda } from "./generated/media_bandwidth";

/** Basis points in one whole, and bytes per GiB (prices are per GiB). */
export const BPS = bigintOf(BANDWIDTH_CONSTANTS.bps);
export const GIB = bigintOf(BANDWIDTH_CONSTANTS.gib);

/** How a settlement of `amount` is split (the program's rounding: every part rounds down). */
export function feeSplit(amount: bigint, protocolFeeBps: number, stakerShareBps: number, isMedia: boolean) {
  const revenue = (amount * BigInt(protocolFeeBps)) / BPS;
  const stakers = isMedia ? (revenue * BigInt(stakerShareBps)) / BPS : 0n;
  return { provider: amount - revenue, stakers, treasury: revenue - stakers };
}

/**
 * The delegators' share of the provider's part of a settlement (`feeSplit(...).provider`):
 * `feeShareBps` of it, rounded down, paid into media_staking's fee-share vault. Nothing for a
 * quote payment or while nobody but the operator has stake bound to it (`delegated` = the
 * pool's `boundTotal - selfBound`). The provider receives `providerPart - feeShare(...)`.
 */
export function feeShare(providerPart: bigint, feeShareBps: number, isMedia: boolean, delegated: bigint): bigint {
  if (!isMedia || delegated === 0n) return 0n;
  return (providerPart * BigInt(feeShareBps)) / BPS;
}

/**
 * The stake a provider's quota counts: the operator's own active stake plus the stake
 * delegated to it, the delegated part at most `delegationCap` times the own stake.
 */
export function backedStake(ownActive: bigint, delegated: bigint, delegationCap: bigint): bigint {
  const cap = ownActive * delegationCap;
  return ownActive + (delegated < cap ? delegated : cap);
}

/** Bytes still counted `elapsed` seconds after `used` was recorded (linear decay). */
export function decayedQuota(used: bigint, elapsed: bigint, window: bigint): bigint {
  if (elapsed <= 0n) return used;
  if (elapsed >= window) return 0n;
  return (used * (window - elapsed)) / window;
}

/**
 * The least amount that pays for `bytes` at `pricePerGib`: `ceil(bytes * price / GiB)`, as
 * `settle_receipt` requires of the growth of a receipt's amount for the growth of its bytes
 * (at the escrow's recorded `pricePerGib`). Above `u64::MAX` no receipt pays it.
 */
export function minimumAmount(bytes: bigint, pricePerGib: bigint): bigint {
  return (bytes * pricePerGib + GIB - 1n) / GIB;
}

/** What `bytes` cost at `pricePerGib`, rounded up to the base unit (`minimumAmount`). */
export const priceOf = minimumAmount;

/**
 * Whether a receipt going from `settled` to `next` cumulative figures settles at
 * `pricePerGib`: both figures strictly grow and the amount's growth pays for the bytes'.
 */
export function meetsPrice(settled: { bytes: bigint; amount: bigint }, next: { bytes: bigint; amount: bigint }, pricePerGib: bigint): boolean {
  return next.bytes > settled.bytes && next.amount > settled.amount && next.amount - settled.amount >= minimumAmount(next.bytes - settled.bytes, pricePerGib);
}

const U64_MAX = (1n << 64n) - 1n;

/** What the rolling quota of a provider depends on: its account, the config, its operator's stake. */
export interface QuotaInputs {
  /** The provider's `quotaUsed` and `quotaUpdatedAt`. */
  quotaUsed: bigint;
  quotaUpdatedAt: bigint;
  /** The bandwidth config's `quotaWindow`. */
  quotaWindow: bigint;
  /** The operator's active stake and the staking config's `quotaBytesPerMedia`. */
  activeStake: bigint;
  quotaBytesPerMedia: bigint;
  /**
   * Stake delegated to the operator (its OperatorPool's `boundTotal - selfBound`; none if
   * absent) and the staking config's `delegationCap`.
   */
  delegatedStake?: bigint;
  delegationCap?: bigint;
}

/**
 * Bytes the provider may still settle at unix time `now`: its stake's quota less what the
 * window still counts (the program's rule: a settlement of `bytes` passes iff `bytes` is at
 * most this). Time only decays the window, so what fits now still fits a moment later.
 */
export function quotaRemaining(inputs: QuotaInputs, now: bigint): bigint {
  // The program saturates the quota at u64::MAX (`media_staking_interface::quota_bytes`).
  const stake = backedStake(inputs.activeStake, inputs.delegatedStake ?? 0n, inputs.delegationCap ?? 0n);
  const raw = quotaBytes(stake, inputs.quotaBytesPerMedia);
  const quota = raw > U64_MAX ? U64_MAX : raw;
  const used = decayedQuota(inputs.quotaUsed, now - inputs.quotaUpdatedAt, inputs.quotaWindow);
  return quota > used ? quota - used : 0n;
}

/**
 * The fields of an escrow account (as Anchor decodes it) that a close and the receipts of
 * its lifetime depend on.
 */
export type EscrowState = Pick<
  AnyInts<IdlAccounts<MediaBandwidth>["escrow"]>,
  "nonce" | "pricePerGib" | "settledBytes" | "settledAmount" | "closeRequestedAt" | "closePausedSeconds" | "closeWindow"
>;

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

/** The fields of a provider account (as Anchor decodes it) its activity run depends on. */
export type ProviderRun = Pick<AnyInts<IdlAccounts<MediaBandwidth>["provider"]>, "activeUntil" | "settledPausedSeconds">;

/**
 * End of the provider's current activity run at unix time `now`, given the bandwidth config's
 * `pause` (the on-chain `Provider::active_until_at`, which staking reads). Nobody settles while
 * bandwidth is paused, so a pause that began before the run ended pushes its end back by the
 * time it lasted; one that began after changes nothing. Earlier pauses since the last
 * settlement are known only by their total and are added whole.
 */
export function activeUntilAt(provider: ProviderRun, pause: PauseState, now: bigint | number): bigint {
  const recorded = BigInt(provider.activeUntil.toString());
  const pausedBefore = BigInt(pause.pausedBefore.toString());
  const settledPaused = BigInt(provider.settledPausedSeconds.toString());
  // The counter at the settlement covers the most recent pause: no pause came since.
  if (settledPaused > pausedBefore) return recorded;
  const until = recorded + (pausedBefore - settledPaused);
  const pauseStart = BigInt(pause.pausedSince.toString());
  if (pauseStart > until) return until;
  const pausedUntil = BigInt(pause.pausedUntil.toString());
  const pauseEnd = BigInt(now) < pausedUntil ? BigInt(now) : pausedUntil;
  return pauseEnd > pauseStart ? until + (pauseEnd - pauseStart) : until;
}

/**
 * What media_staking reads of a provider at unix time `now` to credit its operator's pool: the
 * run's start, its end as of `now` (`activeUntilAt`; pass null for `pause` when bandwidth has
 * no config yet) and the fee share paid so far.
 */
export function providerActivityAt(
  provider: ProviderRun & Pick<AnyInts<IdlAccounts<MediaBandwidth>["provider"]>, "activeSince" | "feeSharePaid">,
  pause: PauseState | null,
  now: bigint | number,
): ProviderActivity {
  return {
    activeSince: BigInt(provider.activeSince.toString()),
    activeUntil: pause ? activeUntilAt(provider, pause, now) : BigInt(provider.activeUntil.toString()),
    feeSharePaid: BigInt(provider.feeSharePaid.toString()),
  };
}

/** The domain tag that starts every receipt message. */
export const RECEIPT_DOMAIN_TAG = BANDWIDTH_CONSTANTS.receiptDomainTag;
/** Length of a receipt message. */
export const RECEIPT_MESSAGE_LEN = BANDWIDTH_CONSTANTS.receiptMessageLen;

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

/** The consumer's key held in memory: a web3.js `Keypair` or anything with its two fields. Signs synchronously. */
export interface KeypairReceiptSigner {
  publicKey: PublicKey;
  /** 64 bytes: the 32-byte seed followed by the public key, as `Keypair.secretKey`. */
  secretKey: Uint8Array;
}

/**
 * A wallet that signs messages without revealing its key: a browser wallet adapter
 * (`useWallet()` of `@solana/wallet-adapter-react`, Phantom, Solflare, Backpack), or anything
 * with `signMessage(message) => Promise<64-byte Ed25519 signature>`. Signs asynchronously; the
 * SDK checks the signature it returns before using it.
 */
export interface MessageReceiptSigner {
  publicKey: PublicKey;
  signMessage(message: Uint8Array): Promise<Uint8Array>;
}

/** Whoever signs the consumer's receipts: a keypair (synchronous) or a message-signing wallet (asynchronous). */
export type ReceiptSigner = KeypairReceiptSigner | MessageReceiptSigner;

/** What signing with `S` returns: the receipt from a keypair, a promise of it from a wallet. */
export type SignedWith<S extends ReceiptSigner> = S extends KeypairReceiptSigner ? SignedReceipt : Promise<SignedReceipt>;

function holdsSecretKey(signer: ReceiptSigner): signer is KeypairReceiptSigner {
  return (signer as KeypairReceiptSigner).secretKey instanceof Uint8Array;
}

/**
 * Signs a receipt as the consumer (off-chain; nothing is sent) for the lifetime `nonce` of
 * `escrow` (the escrow account's `nonce`).
 *
 * With a `Keypair` it returns the receipt; with a wallet's `signMessage` (a browser wallet
 * adapter) it returns a promise of it, and throws `ReceiptSignatureError` if the wallet's
 * signature is not a plain Ed25519 signature of the 72-byte receipt message by `publicKey`
 * (some hardware wallets sign a wrapped message instead; such a receipt would never settle).
 *
 * ```ts
 * const { publicKey, signMessage } = useWallet(); // @solana/wallet-adapter-react
 * const receipt = await signReceipt({ publicKey, signMessage }, escrow, nonce, bytes, amount);
 * ```
 */
export function signReceipt<S extends ReceiptSigner>(
  consumer: S,
  escrow: PublicKey,
  nonce: bigint,
  cumulativeBytes: bigint,
  cumulativeAmount: bigint,
): SignedWith<S> {
  const message = receiptMessage(escrow, nonce, cumulativeBytes, cumulativeAmount);
  const receipt = (signature: Uint8Array): SignedReceipt => ({ escrow, nonce, consumer: consumer.publicKey, cumulativeBytes, cumulativeAmount, signature });
  if (holdsSecretKey(consumer)) return receipt(ed25519.sign(message, consumer.secretKey.subarray(0, 32))) as SignedWith<S>;
  if (typeof (consumer as MessageReceiptSigner).signMessage !== "function") {
    throw new TypeError("signReceipt: the consumer must be a Keypair (secretKey) or a wallet with signMessage(message)");
  }
  return (async () => {
    const signed = receipt(Uint8Array.from(await (consumer as MessageReceiptSigner).signMessage(Uint8Array.from(message))));
    if (!verifyReceipt(signed)) {
      throw new ReceiptSignatureError(
        "InvalidSignature",
        [],
        `the wallet of ${consumer.publicKey.toBase58()} returned a signature that does not verify for the receipt message`,
      );
    }
    return signed;
  })() as SignedWith<S>;
}

/** The provider's check of a receipt before serving more data on its strength. */
export function verifyReceipt(receipt: SignedReceipt): boolean {
  const message = receiptMessage(receipt.escrow, receipt.nonce, receipt.cumulativeBytes, receipt.cumulativeAmount);
  try {
    return ed25519.verify(receipt.signature, message, receipt.consumer.toBytes());
  } catch {
    return false; // a malformed signature or key verifies nothing
  }
}

/**
 * One escrow lifetime's channel. The consumer signs a new receipt for every chunk of data paid
 * for, at an amount that meets the escrow's price (`amountFor`); the channel keeps the receipts
 * not yet settled. The provider settles the newest one whose new bytes fit its remaining quota
 * (`settleable`), then records it (`settled`): the later receipts stay for later, so a receipt
 * beyond the quota never blocks the ones before it. Build it from the escrow account
 * (`ReceiptChannel.forEscrow`): its `nonce`, its price, and its settled figures to start from.
 */
export class ReceiptChannel<S extends ReceiptSigner = KeypairReceiptSigner> {
  /** Receipts signed and not yet settled, oldest first. */
  readonly pending: SignedReceipt[] = [];
  /** Cumulative figures of the last settled receipt (the escrow's). */
  settledBytes: bigint;
  settledAmount: bigint;

  /**
   * `pricePerGib` is the escrow's recorded price (0 when unknown: `pay` then checks nothing
   * and `amountFor` is 0).
   */
  constructor(
    readonly consumer: S,
    readonly escrow: PublicKey,
    readonly nonce: bigint,
    public cumulativeBytes = 0n,
    public cumulativeAmount = 0n,
    readonly pricePerGib = 0n,
  ) {
    this.settledBytes = cumulativeBytes;
    this.settledAmount = cumulativeAmount;
  }

  /** The channel of `escrow` (its address) as its account `state` stands. */
  static forEscrow<S extends ReceiptSigner>(
    consumer: S,
    escrow: PublicKey,
    state: Pick<EscrowState, "nonce" | "settledBytes" | "settledAmount" | "pricePerGib">,
  ): ReceiptChannel<S> {
    const big = (value: { toString(): string }) => BigInt(value.toString());
    return new ReceiptChannel(consumer, escrow, big(state.nonce), big(state.settledBytes), big(state.settledAmount), big(state.pricePerGib));
  }

  /** The least amount that pays for `bytes` more at the escrow's price (at least 1: amounts strictly grow). */
  amountFor(bytes: bigint): bigint {
    const minimum = minimumAmount(bytes, this.pricePerGib);
    return minimum > 0n ? minimum : 1n;
  }

  /**
   * Pays for `bytes` more at `amount` more (by default the least that meets the price);
   * returns the receipt to hand to the provider (a promise of it when the consumer is a
   * `signMessage` wallet: `await channel.pay(...)` suits both). Refuses an amount the program
   * would refuse. If the wallet refuses to sign, the channel's figures go back to the last
   * receipt signed.
   */
  pay(bytes: bigint, amount = this.amountFor(bytes)): SignedWith<S> {
    if (bytes <= 0n || amount <= 0n) throw new Error("a receipt must add bytes and amount (both cumulative figures strictly grow)");
    const minimum = minimumAmount(bytes, this.pricePerGib);
    if (amount < minimum) throw new Error(`${bytes} bytes cost at least ${minimum} at ${this.pricePerGib} per GiB, not ${amount}`);
    this.cumulativeBytes += bytes;
    this.cumulativeAmount += amount;
    const [cumulativeBytes, cumulativeAmount] = [this.cumulativeBytes, this.cumulativeAmount];
    const signed: SignedReceipt | Promise<SignedReceipt> = signReceipt(
      this.consumer as ReceiptSigner,
      this.escrow,
      this.nonce,
      cumulativeBytes,
      cumulativeAmount,
    );
    if (!(signed instanceof Promise)) {
      this.keep(signed);
      return signed as SignedWith<S>;
    }
    return signed.then(
      (receipt) => {
        this.keep(receipt);
        return receipt;
      },
      (error: unknown) => {
        if (this.cumulativeBytes === cumulativeBytes && this.cumulativeAmount === cumulativeAmount) {
          this.cumulativeBytes -= bytes;
          this.cumulativeAmount -= amount;
        }
        throw error;
      },
    ) as SignedWith<S>;
  }

  /** Pays for `bytes` more at `pricePerGib` (rounded up; at least the escrow's price). */
  payAtPrice(bytes: bigint, pricePerGib: bigint): SignedWith<S> {
    return this.pay(bytes, minimumAmount(bytes, pricePerGib > this.pricePerGib ? pricePerGib : this.pricePerGib));
  }

  /** Adds a signed receipt to `pending`, in cumulative order (a wallet may answer out of order). */
  private keep(receipt: SignedReceipt): void {
    if (receipt.cumulativeBytes <= this.settledBytes) return;
    let at = this.pending.length;
    while (at > 0 && this.pending[at - 1].cumulativeBytes > receipt.cumulativeBytes) at--;
    this.pending.splice(at, 0, receipt);
  }

  /**
   * The newest pending receipt whose bytes beyond the settled ones are at most `quota`
   * (the provider's `quotaRemaining`), if any: the one to settle now. Each receipt whose own
   * chunk fits the provider's whole quota settles eventually, as the window decays; so keep
   * chunks (the bytes of one `pay`) below the provider's quota.
   */
  settleable(quota: bigint): SignedReceipt | undefined {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (this.pending[i].cumulativeBytes - this.settledBytes <= quota) return this.pending[i];
    }
    return undefined;
  }

  /** Records that `receipt` settled: it and every older pending receipt are spent. */
  settled(receipt: SignedReceipt): void {
    this.settledBytes = receipt.cumulativeBytes;
    this.settledAmount = receipt.cumulativeAmount;
    const spent = this.pending.filter((pending) => pending.cumulativeBytes <= receipt.cumulativeBytes).length;
    this.pending.splice(0, spent);
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
}

/**
 * `[Ed25519 verify, settle_receipt]`, in that order and adjacent: the program accepts only a
 * verify instruction immediately before it.
 */
export async function settleReceiptInstructions(
  program: Program<MediaBandwidth>,
  receipt: SignedReceipt,
  accounts: SettleAccounts,
  programIds: Pick<MediaProgramIds, "staking" | "treasury"> = DEFAULT_MEDIA_PROGRAM_IDS,
): Promise<TransactionInstruction[]> {
  const settle = await program.methods
    .settleReceipt(new BN(receipt.cumulativeBytes.toString()), new BN(receipt.cumulativeAmount.toString()))
    .accountsPartial({
      operator: accounts.operator,
      escrow: receipt.escrow,
      providerTokenAccount: accounts.providerTokenAccount,
      treasuryConfig: treasuryConfigPda(programIds.treasury),
      treasuryVault: accounts.treasuryVault,
      stakingConfig: stakingConfigPda(programIds.staking),
      stakingVault: stakingVaultPda(programIds.staking),
      stakeAccount: stakeAccountPda(accounts.operator, programIds.staking),
      operatorPool: operatorPoolPda(accounts.operator, programIds.staking),
      feeShareVault: feeShareVaultPda(programIds.staking),
    })
    .instruction();
  return [receiptVerifyInstruction(receipt), settle];
}
