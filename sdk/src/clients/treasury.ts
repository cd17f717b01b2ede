import type { PublicKey } from "@solana/web3.js";
import { withMediaErrors } from "../errors";
import type { MediaTreasury } from "../generated/media_treasury";
import { auctionPriceAt, mediaForQuote, TREASURY_DEFAULTS, treasuryConfigPda, treasuryVaultAddress } from "../treasury";
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

  /** Creates the config over existing vaults (see `createTreasuryVaultsInstructions`). */
  initializeConfig(mints: { mediaMint: PublicKey; quoteMint: PublicKey }, params = TREASURY_DEFAULTS): Promise<string> {
    return withMediaErrors(() =>
      this.program.methods
        .initializeConfig(params.auctionInterval, params.auctionDuration, params.maxLot, params.initialPrice, params.premiumBps, params.floorBps)
        .accounts({
          authority: this.wallet(),
          ...mints,
          mediaVault: this.vaultAddress(mints.mediaMint),
          quoteVault: this.vaultAddress(mints.quoteMint),
        })
        .rpc(),
    );
  }

  /** Burns the MEDIA fee vault (anyone may crank it). */
  async burnFees(): Promise<string> {
    const { mediaMint, mediaVault } = await this.fetchConfig();
    return withMediaErrors(() => this.program.methods.burnFees().accounts({ mediaVault, mediaMint }).rpc());
  }

  /** Starts a buyback auction of the quote vault (anyone may, once per interval). */
  async startAuction(): Promise<string> {
    const { quoteVault } = await this.fetchConfig();
    return withMediaErrors(() => this.program.methods.startAuction().accounts({ quoteVault }).rpc());
  }

  /** Buys `quoteAmount` of the lot, burning at most `maxMediaIn` of the taker's MEDIA. */
  async take(
    quoteAmount: Amount,
    maxMediaIn: Amount,
    accounts: { takerMediaAccount: PublicKey; takerQuoteAccount: PublicKey },
    actor: Actor = {},
  ): Promise<string> {
    const { quoteVault, mediaMint } = await this.fetchConfig();
    return withMediaErrors(() =>
      this.program.methods
        .take(toBN(quoteAmount), toBN(maxMediaIn))
        .accounts({ taker: this.actor(actor), ...accounts, quoteVault, mediaMint })
        .signers(this.signers(actor))
        .rpc(),
    );
  }
}
