/**
 * media_treasury: constants, addresses and the buyback auction's price curve, computed
 * exactly as the program computes them (bigint, same rounding), so clients can quote a
 * `take` before sending it.
 */
import { createAssociatedTokenAccountIdempotentInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { PublicKey, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import { MEDIA_TREASURY_PROGRAM_ID } from "./constants";
import { type PauseState, pausedSeconds } from "./pause";

/** Auction prices are MEDIA base units per quote base unit, scaled by 10^9. */
export const TREASURY_PRICE_SCALE = 1_000_000_000n;
/** Basis points in one whole. */
export const TREASURY_BPS = 10_000n;

/** PDA seeds of media_treasury. */
export const TREASURY_SEEDS = {
  config: Buffer.from("config"),
} as const;

/** Genesis auction parameters (the interface crate's `defaults`), in `initialize_config`'s argument order. */
export const TREASURY_DEFAULTS = {
  auctionInterval: new BN(24 * 60 * 60),
  auctionDuration: new BN(6 * 60 * 60),
  maxLot: new BN(10_000).mul(new BN(1_000_000)),
  initialPrice: new BN(100).mul(new BN(TREASURY_PRICE_SCALE.toString())),
  premiumBps: 1_000,
  floorBps: 5_000,
} as const;

/** The treasury config, `["config"]`: token owner of both vaults. */
export function treasuryConfigPda(programId: PublicKey = MEDIA_TREASURY_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([TREASURY_SEEDS.config], programId)[0];
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
export interface AuctionState {
  auctionId: BN;
  auctionStart: BN;
  auctionEnd: BN;
  startPrice: BN;
  floorPrice: BN;
  auctionMediaIn: BN;
  lastClearingPrice: BN;
  initialPrice: BN;
  premiumBps: number;
  floorBps: number;
  pause: PauseState;
  auctionPausedSeconds: BN;
}

const big = (value: BN | number): bigint => BigInt(value.toString());

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

/** Highest price the program accepts or computes (the interface crate's `bounds::PRICE`). */
export const TREASURY_MAX_PRICE = 1_000_000_000n * TREASURY_PRICE_SCALE;

/**
 * The start price of the next auction: `initialPrice` for the first; the last clearing price
 * plus the premium after an auction with fills; the previous floor after one without.
 */
export function nextAuctionStartPrice(config: AuctionState): bigint {
  if (big(config.auctionId) === 0n) return big(config.initialPrice);
  if (big(config.auctionMediaIn) === 0n) return big(config.floorPrice);
  const price = (big(config.lastClearingPrice) * (TREASURY_BPS + BigInt(config.premiumBps))) / TREASURY_BPS;
  return price < TREASURY_MAX_PRICE ? price : TREASURY_MAX_PRICE;
}

/** The floor an auction starting at `startPrice` decays to (at least 1). */
export function auctionFloorPrice(startPrice: bigint, floorBps: number): bigint {
  const floor = (startPrice * BigInt(floorBps)) / TREASURY_BPS;
  return floor > 0n ? floor : 1n;
}
