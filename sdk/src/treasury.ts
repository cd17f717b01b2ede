/**
 * media_treasury: constants, addresses and the buyback auction's price curve, computed
 * exactly as the program computes them (bigint, same rounding), so clients can quote a
 * `take` before sending it.
 */
import { createAssociatedTokenAccountIdempotentInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import type { PublicKey, TransactionInstruction } from "@solana/web3.js";
import type BN from "bn.js";
import { MEDIA_TREASURY_PROGRAM_ID, bigintOf } from "./constants";
import type { IdlAccounts } from "@coral-xyz/anchor";
import { type MediaTreasury, TREASURY_BOUNDS, TREASURY_CONSTANTS, configPda as treasuryConfigPda } from "./generated/media_treasury";
import type { AnyInts } from "./bigint";
import type { WithAmounts } from "./clients/base";
import type { InstructionArgs } from "./idl-type";
import { pausedSeconds } from "./pause";

export { TREASURY_BOUNDS, TREASURY_CONSTANTS, TREASURY_DEFAULTS, TREASURY_SEEDS } from "./generated/media_treasury";
/** The treasury config, `["config"]`: token owner of both vaults. */
export { treasuryConfigPda };

/**
 * Auction prices are MEDIA base units per quote base unit, scaled by this. There is no default
 * price: `initialize_config` also takes `initialPrice`, the market's price of one quote base unit
 * in MEDIA base units, scaled (see `treasuryPrice`).
 */
export const TREASURY_PRICE_SCALE = bigintOf(TREASURY_CONSTANTS.priceScale);
/** Basis points in one whole. */
export const TREASURY_BPS = bigintOf(TREASURY_CONSTANTS.bps);

/**
 * Every parameter `set_auction_params` takes (and `initialize_config` before `initialPrice`):
 * any values within `TREASURY_BOUNDS` (`{ ...TREASURY_DEFAULTS, premiumBps: 5000 }`).
 */
export type TreasuryAuctionParams = WithAmounts<InstructionArgs<MediaTreasury, "setAuctionParams">>;

/**
 * An auction price from a market quote: `media` MEDIA base units for `quote` quote base units
 * (e.g. 20 MEDIA for 1 USDC: `treasuryPrice(20_000_000n, 1_000_000n)`), scaled, rounded down.
 */
export function treasuryPrice(media: bigint, quote: bigint): bigint {
  if (quote <= 0n) throw new Error("treasuryPrice: the quote amount must be positive");
  return (media * TREASURY_PRICE_SCALE) / quote;
}

/**
 * A treasury vault by convention: the config's associated token account of `mint` (the MEDIA
 * fee vault for the MEDIA mint, the quote vault for the quote mint). `initialize_config`
 * records whichever token accounts the config owns; these are the ones the SDK creates.
 */
export function treasuryVaultAddress(mint: PublicKey, programId: PublicKey = MEDIA_TREASURY_PROGRAM_ID): PublicKey {
  return getAssociatedTokenAddressSync(mint, treasuryConfigPda(programId), true);
}

/** Instructions that create both vaults (idempotent), to precede `initialize_config`. */
export function createTreasuryVaultsInstructions(
  payer: PublicKey,
  mediaMint: PublicKey,
  quoteMint: PublicKey,
  programId: PublicKey = MEDIA_TREASURY_PROGRAM_ID,
): TransactionInstruction[] {
  const config = treasuryConfigPda(programId);
  return [mediaMint, quoteMint].map((mint) => createAssociatedTokenAccountIdempotentInstruction(payer, treasuryVaultAddress(mint, programId), config, mint));
}

/** The fields of the treasury config the price curve reads (as Anchor decodes them). */
export type AuctionState = Pick<
  AnyInts<IdlAccounts<MediaTreasury>["treasuryConfig"]>,
  | "auctionId"
  | "auctionStart"
  | "auctionEnd"
  | "startPrice"
  | "floorPrice"
  | "lot"
  | "referencePrice"
  | "referenceAuctionId"
  | "auctionCountedQuote"
  | "auctionCountedMedia"
  | "premiumBps"
  | "floorBps"
  | "minSoldBps"
  | "maxStepBps"
  | "pause"
  | "auctionPausedSeconds"
>;

const big = (value: BN | bigint | number): bigint => BigInt(value.toString());

/**
 * The running auction's clock at unix time `now`: `now` less the seconds the treasury has been
 * paused since the auction started (the price stands still while nobody may take).
 */
export function auctionClock(config: AuctionState, now: bigint): bigint {
  return now - (pausedSeconds(config.pause, now) - big(config.auctionPausedSeconds));
}

/** The running auction's price at unix time `now`: linear from start to floor on its clock, rounded down. */
export function auctionPriceAt(config: AuctionState, wallNow: bigint): bigint {
  const now = auctionClock(config, wallNow);
  const [start, end] = [big(config.auctionStart), big(config.auctionEnd)];
  const [startPrice, floorPrice] = [big(config.startPrice), big(config.floorPrice)];
  if (now <= start) return startPrice;
  if (now >= end) return floorPrice;
  return startPrice - ((startPrice - floorPrice) * (now - start)) / (end - start);
}

/** MEDIA base units a fill of `quote` base units costs at `price`: rounded up, as on-chain. */
export function mediaForQuote(quote: bigint, price: bigint): bigint {
  return (quote * price + TREASURY_PRICE_SCALE - 1n) / TREASURY_PRICE_SCALE;
}

/** Lowest and highest prices the program accepts or computes (the interface crate's `bounds::PRICE`). */
export const TREASURY_MIN_PRICE = bigintOf(TREASURY_BOUNDS.price[0]);
export const TREASURY_MAX_PRICE = bigintOf(TREASURY_BOUNDS.price[1]);

const bounded = (price: bigint) => (price < TREASURY_MIN_PRICE ? TREASURY_MIN_PRICE : price > TREASURY_MAX_PRICE ? TREASURY_MAX_PRICE : price);

/** Whether `part` is at least `bps` of `whole` (a fill that counts, an auction that sold enough). */
export function atLeastBps(part: bigint, whole: bigint, bps: number): boolean {
  return part * TREASURY_BPS >= whole * BigInt(bps);
}

/**
 * The reference price the next auction starts from, as `start_auction` computes it: the stored
 * reference, moved by the last auction's counted fills unless it already accounts for them. An
 * auction whose counted fills bought at least `minSoldBps` of its lot sets it to their
 * volume-weighted price; otherwise it moves towards that price (down, if nothing counted) by at
 * most `maxStepBps`.
 */
export function nextReferencePrice(config: AuctionState): bigint {
  const reference = big(config.referencePrice);
  if (big(config.referenceAuctionId) >= big(config.auctionId)) return reference;
  const [quote, media] = [big(config.auctionCountedQuote), big(config.auctionCountedMedia)];
  const vwap = quote === 0n ? 0n : bounded((media * TREASURY_PRICE_SCALE) / quote);
  if (quote > 0n && atLeastBps(quote, big(config.lot), config.minSoldBps)) return vwap;
  const step = BigInt(config.maxStepBps);
  if (vwap >= reference) {
    const up = (reference * (TREASURY_BPS + step)) / TREASURY_BPS;
    return bounded(vwap < up ? vwap : up);
  }
  const down = (reference * (TREASURY_BPS - step)) / TREASURY_BPS;
  return bounded(vwap > down ? vwap : down);
}

/** The start price of an auction priced from `reference`: `premiumBps` above it. */
export function auctionStartPrice(reference: bigint, premiumBps: number): bigint {
  return bounded((reference * (TREASURY_BPS + BigInt(premiumBps))) / TREASURY_BPS);
}

/** The floor an auction priced from `reference` decays to: `floorBps` of it. */
export function auctionFloorPrice(reference: bigint, floorBps: number): bigint {
  return bounded((reference * BigInt(floorBps)) / TREASURY_BPS);
}

/** The next auction's start and floor prices and the reference they come from, from the config. */
export function nextAuctionPrices(config: AuctionState): { reference: bigint; startPrice: bigint; floorPrice: bigint } {
  const reference = nextReferencePrice(config);
  return { reference, startPrice: auctionStartPrice(reference, config.premiumBps), floorPrice: auctionFloorPrice(reference, config.floorBps) };
}

/** The start price of the next auction (see `nextAuctionPrices`). */
export function nextAuctionStartPrice(config: AuctionState): bigint {
  return nextAuctionPrices(config).startPrice;
}

/** MEDIA of a fill of `mediaIn` paid into the staking vault (`stakerShareBps`, rounded down); the rest is burned. */
export function buybackSplit(mediaIn: bigint, stakerShareBps: number): { toStakers: bigint; burned: bigint } {
  const toStakers = (mediaIn * BigInt(stakerShareBps)) / TREASURY_BPS;
  return { toStakers, burned: mediaIn - toStakers };
}
