import type { PublicKey, TransactionInstruction } from "@solana/web3.js";
import { withMediaErrors } from "../errors";
import type { MediaTreasury } from "../generated/media_treasury";
import {
  auctionPriceAt,
  mediaForQuote,
  nextAuctionPrices,
  TREASURY_DEFAULTS,
  type TreasuryAuctionParams,
  treasuryConfigPda,
  treasuryVaultAddress,
} from "../treasury";
import { type Actor, type Amount, ClientBase, toBN } from "./base";

/** The `media_treasury` program: fee burns and buyback-and-burn Dutch auctions. */
export class TreasuryClient extends ClientBase<MediaTreasury> {
  configAddress(): PublicKey {
    return treasuryConfigPda(this.programId);
  }

  /** The treasury's vault (the config's token account) of `mint`. */
  vaultAddress(mint: PublicKey): PublicKey {
    return treasuryVaultAddress(mint, this.programId);
  }

  fetchConfig() {
    return this.program.account.treasuryConfig.fetch(this.configAddress());
  }

  /** The running auction's price at unix time `now` (MEDIA base units per quote unit, scaled 1e9). */
  async priceAt(now: bigint): Promise<bigint> {
    return auctionPriceAt(await this.fetchConfig(), now);
  }

  /** MEDIA a fill of `quote` costs at unix time `now` (rounded up, as on-chain). */
  async costAt(quote: bigint, now: bigint): Promise<bigint> {
    return mediaForQuote(quote, await this.priceAt(now));
  }

  /** The next auction's reference, start and floor prices, as `start_auction` will compute them. */
  async nextAuctionPrices(): Promise<{ reference: bigint; startPrice: bigint; floorPrice: bigint }> {
    return nextAuctionPrices(await this.fetchConfig());
  }

  /**
   * Creates the config over existing vaults (see `createTreasuryVaultsInstructions`).
   * `initialPrice` is required: the market's price of one quote base unit in MEDIA base units,
   * scaled by `TREASURY_PRICE_SCALE` (`treasuryPrice(media, quote)`); the first auction starts
   * `premiumBps` above it.
   */
  initializeConfig(
    mints: { mediaMint: PublicKey; quoteMint: PublicKey },
    initialPrice: Amount,
    params: TreasuryAuctionParams = TREASURY_DEFAULTS,
  ): Promise<string> {
    const p = params;
    return withMediaErrors(() =>
      this.program.methods
        .initializeConfig(
          p.auctionInterval,
          p.auctionDuration,
          p.maxLot,
          p.premiumBps,
          p.floorBps,
          p.minFillBps,
          p.minSoldBps,
          p.maxStepBps,
          toBN(initialPrice),
        )
        .accounts({
          authority: this.wallet(),
          ...mints,
          mediaVault: this.vaultAddress(mints.mediaMint),
          quoteVault: this.vaultAddress(mints.quoteMint),
        })
        .rpc(),
    );
  }

  /** `set_auction_params` signed by `authority` (the governance PDA after hand-over: put it in a proposal). */
  setAuctionParamsInstruction(params: TreasuryAuctionParams, authority: PublicKey): Promise<TransactionInstruction> {
    const p = params;
    return this.program.methods
      .setAuctionParams(p.auctionInterval, p.auctionDuration, p.maxLot, p.premiumBps, p.floorBps, p.minFillBps, p.minSoldBps, p.maxStepBps)
      .accounts({ authority })
      .instruction();
  }

  /**
   * `set_reference_price(price)` signed by `authority` (the governance PDA after hand-over: put it
   * in a proposal). Refused while an auction with lot remaining runs.
   */
  setReferencePriceInstruction(price: Amount, authority: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods.setReferencePrice(toBN(price)).accounts({ authority }).instruction();
  }

  /** Resets the reference price as the config authority (before the hand-over). */
  setReferencePrice(price: Amount, actor: Actor = {}): Promise<string> {
    return withMediaErrors(() =>
      this.program.methods
        .setReferencePrice(toBN(price))
        .accounts({ authority: this.actor(actor) })
        .signers(this.signers(actor))
        .rpc(),
    );
  }

  /** Burns the MEDIA fee vault (anyone may crank it). */
  async burnFees(): Promise<string> {
    return withMediaErrors(() => this.program.methods.burnFees().rpc());
  }

  /** Starts a buyback auction of the quote vault (anyone may, once per interval). */
  async startAuction(): Promise<string> {
    return withMediaErrors(() => this.program.methods.startAuction().rpc());
  }

  /**
   * Buys `quoteAmount` of the lot for at most `maxMediaIn` of the taker's MEDIA: the bandwidth
   * config's `stakerShareBps` of it goes into the staking vault, the rest is burned. The
   * vault and mint (from the treasury config), the bandwidth config, staking config and staking
   * vault are all resolved from the IDL.
   */
  async take(
    quoteAmount: Amount,
    maxMediaIn: Amount,
    accounts: { takerMediaAccount: PublicKey; takerQuoteAccount: PublicKey },
    actor: Actor = {},
  ): Promise<string> {
    return withMediaErrors(() =>
      this.program.methods
        .take(toBN(quoteAmount), toBN(maxMediaIn))
        .accounts({ taker: this.actor(actor), ...accounts })
        .signers(this.signers(actor))
        .rpc(),
    );
  }
}
