import type { IdlAccounts } from "@coral-xyz/anchor";
import type { PublicKey, TransactionInstruction } from "@solana/web3.js";
import { type Bigints, toBigints } from "../bigint";
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
import { bandwidthConfigPda } from "../bandwidth";
import { programDataPda } from "../loader";
import { stakingConfigPda, stakingVaultPda } from "../pdas";
import type { MediaProgramIds } from "../programs";
import { type Actor, type Amount, ClientBase, toBN } from "./base";

/** media_treasury's config as the SDK returns it: every amount, price and time a bigint. */
export type TreasuryConfigAccount = Bigints<IdlAccounts<MediaTreasury>["treasuryConfig"]>;

/** The `media_treasury` program: fee burns and buyback-and-burn Dutch auctions. */
export class TreasuryClient extends ClientBase<MediaTreasury> {
  protected programName(): keyof MediaProgramIds {
    return "treasury";
  }

  configAddress(): PublicKey {
    return treasuryConfigPda(this.programId);
  }

  /** The treasury's vault (the config's token account) of `mint`. */
  vaultAddress(mint: PublicKey): PublicKey {
    return treasuryVaultAddress(mint, this.programId);
  }

  /** The decoded config (amounts, prices and times as bigint). */
  async fetchConfig(): Promise<TreasuryConfigAccount> {
    return toBigints(await this.program.account.treasuryConfig.fetch(this.configAddress()));
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
   * `initialize_config` over the vaults (see `createTreasuryVaultsInstructions`; by default the
   * config's associated token accounts of both mints), signed by `authority` (the programs'
   * upgrade authority). `initialPrice` is required: the market's price of one quote base unit in
   * MEDIA base units, scaled by `TREASURY_PRICE_SCALE` (`treasuryPrice(media, quote)`); the first
   * auction starts `premiumBps` above it.
   */
  initializeConfigInstruction(
    accounts: { mediaMint: PublicKey; quoteMint: PublicKey; mediaVault?: PublicKey; quoteVault?: PublicKey },
    initialPrice: Amount,
    params: TreasuryAuctionParams = TREASURY_DEFAULTS,
    authority: PublicKey = this.wallet(),
  ): Promise<TransactionInstruction> {
    const p = params;
    return this.program.methods
      .initializeConfig(
        toBN(p.auctionInterval),
        toBN(p.auctionDuration),
        toBN(p.maxLot),
        p.premiumBps,
        p.floorBps,
        p.minFillBps,
        p.minSoldBps,
        p.maxStepBps,
        toBN(initialPrice),
      )
      .accountsPartial({
        authority,
        programData: programDataPda(this.programId),
        mediaMint: accounts.mediaMint,
        quoteMint: accounts.quoteMint,
        mediaVault: accounts.mediaVault ?? this.vaultAddress(accounts.mediaMint),
        quoteVault: accounts.quoteVault ?? this.vaultAddress(accounts.quoteMint),
      })
      .instruction();
  }

  /** `set_auction_params` signed by `authority` (the governance PDA after hand-over: put it in a proposal). */
  setAuctionParamsInstruction(params: TreasuryAuctionParams, authority: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    const p = params;
    return this.program.methods
      .setAuctionParams(toBN(p.auctionInterval), toBN(p.auctionDuration), toBN(p.maxLot), p.premiumBps, p.floorBps, p.minFillBps, p.minSoldBps, p.maxStepBps)
      .accounts({ authority })
      .instruction();
  }

  /**
   * `set_reference_price(price)` signed by `authority` (the governance PDA after hand-over: put it
   * in a proposal). Refused while an auction with lot remaining runs.
   */
  setReferencePriceInstruction(price: Amount, authority: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    return this.program.methods.setReferencePrice(toBN(price)).accounts({ authority }).instruction();
  }

  /** `spend(amount)` from the treasury's `vault` to `destination`, signed by `authority`. */
  spendInstruction(
    amount: Amount,
    accounts: { vault: PublicKey; destination: PublicKey },
    authority: PublicKey = this.wallet(),
  ): Promise<TransactionInstruction> {
    return this.program.methods
      .spend(toBN(amount))
      .accounts({ authority, ...accounts })
      .instruction();
  }

  /** `burn_fees` of the MEDIA fee vault (permissionless), with the config's vault and mint. */
  burnFeesInstruction(accounts: { mediaVault: PublicKey; mediaMint: PublicKey }): Promise<TransactionInstruction> {
    return this.program.methods.burnFees().accounts(accounts).instruction();
  }

  /** `start_auction` of the quote vault (permissionless). */
  startAuctionInstruction(quoteVault: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods.startAuction().accounts({ quoteVault }).instruction();
  }

  /**
   * `take(quoteAmount, maxMediaIn)` by `taker`: the bandwidth config (its staker share), staking
   * config and staking vault are those of this client's deployment; the quote vault and MEDIA
   * mint are the config's.
   */
  takeInstruction(
    quoteAmount: Amount,
    maxMediaIn: Amount,
    accounts: { taker: PublicKey; takerMediaAccount: PublicKey; takerQuoteAccount: PublicKey; quoteVault: PublicKey; mediaMint: PublicKey },
  ): Promise<TransactionInstruction> {
    return this.program.methods
      .take(toBN(quoteAmount), toBN(maxMediaIn))
      .accountsPartial({
        ...accounts,
        bandwidthConfig: bandwidthConfigPda(this.programIds.bandwidth),
        stakingConfig: stakingConfigPda(this.programIds.staking),
        stakingVault: stakingVaultPda(this.programIds.staking),
      })
      .instruction();
  }

  /** Creates the config over existing vaults (see `initializeConfigInstruction`). */
  async initializeConfig(
    mints: { mediaMint: PublicKey; quoteMint: PublicKey },
    initialPrice: Amount,
    params: TreasuryAuctionParams = TREASURY_DEFAULTS,
    actor: Actor = {},
  ): Promise<string> {
    return this.sendAs(actor, (signer) => this.initializeConfigInstruction(mints, initialPrice, params, signer));
  }

  /** Resets the reference price as the config authority (before the hand-over). */
  async setReferencePrice(price: Amount, actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.setReferencePriceInstruction(price, signer));
  }

  /** Sets the auction parameters as the config authority (before the hand-over). */
  async setAuctionParams(params: TreasuryAuctionParams, actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.setAuctionParamsInstruction(params, signer));
  }

  /** Pays `amount` from the treasury's `vault` to `destination`, as the config authority. */
  async spend(amount: Amount, accounts: { vault: PublicKey; destination: PublicKey }, actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.spendInstruction(amount, accounts, signer));
  }

  /** Burns the MEDIA fee vault (anyone may crank it). */
  async burnFees(): Promise<string> {
    const { mediaMint, mediaVault } = await this.fetchConfig();
    return this.send([await this.burnFeesInstruction({ mediaVault, mediaMint })]);
  }

  /** Starts a buyback auction of the quote vault (anyone may, once per interval). */
  async startAuction(): Promise<string> {
    const { quoteVault } = await this.fetchConfig();
    return this.send([await this.startAuctionInstruction(quoteVault)]);
  }

  /**
   * Buys `quoteAmount` of the lot for at most `maxMediaIn` of the taker's MEDIA: the bandwidth
   * config's `stakerShareBps` of it goes into the staking vault, the rest is burned.
   */
  async take(
    quoteAmount: Amount,
    maxMediaIn: Amount,
    accounts: { takerMediaAccount: PublicKey; takerQuoteAccount: PublicKey },
    actor: Actor = {},
  ): Promise<string> {
    const { quoteVault, mediaMint } = await this.fetchConfig();
    const ix = await this.takeInstruction(quoteAmount, maxMediaIn, { taker: this.actor(actor), ...accounts, quoteVault, mediaMint });
    return this.send([ix], actor);
  }
}
