/**
 * Buyback auctions: `start_auction` and `take`, their limits and the hostile inputs that
 * must fail with a named error and change nothing.
 */
import { Keypair, type PublicKey, type Signer, type TransactionInstruction } from "@solana/web3.js";
import { expect } from "chai";
import { MEDIA_STAKING_PROGRAM_ID, TREASURY_PRICE_SCALE, auctionPriceAt, mediaForQuote } from "../../sdk/src";
import { unixTimestamp, warpSeconds } from "../utils/bank";
import { expectRefused } from "../utils/assertions";
import {
  fetchConfig,
  newTaker,
  receiveFees,
  sendInstruction,
  startAuction,
  take,
  takeIx,
  unsigned,
  withAccount,
  withArgs,
  treasuryCast,
} from "../utils/treasury";
import { createMint, createTokenAccount, mintTo, tokenBalance } from "../utils/token";
import { MEDIA, QUOTE } from "../utils/constants";

const HOUR = 3_600n;
const big = (value: { toString(): string }) => BigInt(value.toString());

describe("media_treasury: auctions", () => {
  const cast = treasuryCast({ alice: 1_000_000n * MEDIA, mallory: 1_000_000n * MEDIA });

  /** Mallory's take of one quote unit (for at most 1,000 MEDIA) with account `slot` (in the IDL's order) swapped for `account`. */
  const takeWith = async (slot: number, account: PublicKey) =>
    send(withAccount(await takeIx(cast.world, cast.mallory, QUOTE, 1_000n * MEDIA), slot, account), [cast.mallory.wallet]);
  const refused = (error: string, attack: () => Promise<unknown>, touched: PublicKey[] = everything()) => expectRefused(cast.bank, touched, error, attack);
  const everything = () => [
    cast.world.config,
    cast.world.quoteVault,
    cast.world.mediaVault,
    cast.world.mediaMint,
    cast.alice.mediaAccount,
    cast.alice.quoteAccount,
    cast.mallory.mediaAccount,
    cast.mallory.quoteAccount,
  ];
  const send = async (ix: Promise<TransactionInstruction> | TransactionInstruction, signers: Signer[] = []) => sendInstruction(cast.bank, await ix, signers);

  it("start_auction fails when quote vault empty: NothingToAuction", async () => {
    await refused("NothingToAuction", () => startAuction(cast.world));
  });

  it("take fails when no auction started: AuctionEnded", async () => {
    await refused("AuctionEnded", () => take(cast.world, cast.alice, QUOTE, 1_000n * MEDIA));
  });

  it("start_auction succeeds: offers at most max_lot of the quote vault", async () => {
    await receiveFees(cast.world, 0n, 25_000n * QUOTE);
    await startAuction(cast.world);
    const config = await fetchConfig(cast.world);
    expect(big(config.lot)).to.equal(10_000n * QUOTE);
    expect(big(config.lotRemaining)).to.equal(10_000n * QUOTE);
    // twice the initial reference price
    expect(big(config.startPrice)).to.equal(200n * TREASURY_PRICE_SCALE);
  });

  it("start_auction fails when auction in progress: AuctionInProgress", async () => {
    await refused("AuctionInProgress", () => startAuction(cast.world));
  });

  // While the first auction runs:

  it("take fails when above max media in: SlippageExceeded", async () => {
    const price = auctionPriceAt(await fetchConfig(cast.world), await unixTimestamp(cast.bank));
    const cost = mediaForQuote(100n * QUOTE, price);
    await refused("SlippageExceeded", () => take(cast.world, cast.alice, 100n * QUOTE, cost - 1n));
  });

  it("take fails when taker did not sign: MissingSigner", async () => {
    await refused("MissingSigner", async () => send(unsigned(await takeIx(cast.world, cast.alice, QUOTE, 1_000n * MEDIA), cast.alice.wallet.publicKey)));
  });

  it("take fails when media account is someone elses: the token program refuses the burn with OwnerMismatch", async () => {
    // Mallory signs, but burns from Alice's account
    await refused("SplToken.OwnerMismatch", () => takeWith(1, cast.alice.mediaAccount));
  });

  it("take fails when wrong mint: a MEDIA account of another mint fails in the token program with MintMismatch, a fake mint with InvalidMint", async () => {
    const fakeMedia = await createMint(cast.bank, 6);
    const fakeAccount = await createTokenAccount(cast.bank, fakeMedia, cast.mallory.wallet.publicKey);
    // Funded, so that the mint is what the token program refuses, not the balance
    await mintTo(cast.bank, fakeMedia, fakeAccount, 1_000_000n * MEDIA);
    await refused("SplToken.MintMismatch", () => takeWith(1, fakeAccount), [...everything(), fakeAccount]);
    // and a fake MEDIA mint in the mint's place fails the treasury's own check
    await refused("InvalidMint", () => takeWith(5, fakeMedia), [...everything(), fakeMedia]);
    // and a quote destination of another mint too
    const mediaAsQuote = await createTokenAccount(cast.bank, cast.world.mediaMint, cast.mallory.wallet.publicKey);
    await refused("SplToken.MintMismatch", () => takeWith(2, mediaAsQuote), [...everything(), mediaAsQuote]);
  });

  it("take fails when fake token program: InvalidTokenProgram", async () => {
    await refused("InvalidTokenProgram", () => takeWith(6, MEDIA_STAKING_PROGRAM_ID));
  });

  it("take fails when quote vault is fake: InvalidVault", async () => {
    const decoy = await createTokenAccount(cast.bank, cast.world.quoteMint, cast.mallory.wallet.publicKey);
    await mintTo(cast.bank, cast.world.quoteMint, decoy, 10n * QUOTE);
    await refused("InvalidVault", () => takeWith(4, decoy), [...everything(), decoy]);
  });

  it("take fails when same account twice: the quote vault as destination fails with DuplicateAccount", async () => {
    await refused("DuplicateAccount", () => takeWith(2, cast.world.quoteVault));
  });

  it("take fails when config is of another owner or type: InvalidAccountOwner, InvalidDiscriminator", async () => {
    // A token account where the config goes: wrong owner
    await refused("InvalidAccountOwner", () => takeWith(3, cast.world.quoteVault));
    // An account of the treasury's size and owner but another type: wrong discriminator
    const forged = Keypair.generate().publicKey;
    const real = await cast.bank.runtime.getAccount(cast.world.config);
    if (!real) throw new Error("config missing");
    const data = Buffer.from(real.data);
    data.fill(7, 0, 8);
    await cast.bank.runtime.setAccount(forged, { ...real, data });
    await refused("InvalidDiscriminator", () => takeWith(3, forged), [...everything(), forged]);
  });

  it("take fails when more media than held: the token program refuses the burn with InsufficientFunds", async () => {
    const poor = await newTaker(cast.world, MEDIA);
    await refused("SplToken.InsufficientFunds", () => take(cast.world, poor, 100n * QUOTE, 1_000_000n * MEDIA), [...everything(), poor.mediaAccount]);
  });

  it("take fails when truncated or oversized data: InvalidInstructionData", async () => {
    await refused("InvalidInstructionData", async () => {
      const ix = await takeIx(cast.world, cast.mallory, QUOTE, 1_000n * MEDIA);
      return send(withArgs(ix, ix.data.subarray(8, 20)), [cast.mallory.wallet]);
    });
    await refused("InvalidInstructionData", async () => {
      const ix = await takeIx(cast.world, cast.mallory, QUOTE, 1_000n * MEDIA);
      return send(withArgs(ix, Buffer.concat([ix.data.subarray(8), Buffer.from([0])])), [cast.mallory.wallet]);
    });
  });

  it("take fails when zero: ZeroAmount", async () => {
    await refused("ZeroAmount", () => take(cast.world, cast.alice, 0n, 1_000n * MEDIA));
  });

  it("take succeeds: a request beyond the remaining lot is filled with what remains", async () => {
    // Four hours in, at the market's price
    await warpSeconds(cast.bank, 4n * HOUR);
    const price = auctionPriceAt(await fetchConfig(cast.world), await unixTimestamp(cast.bank));
    await take(cast.world, cast.alice, 4_000n * QUOTE, mediaForQuote(4_000n * QUOTE, price));
    const before = await tokenBalance(cast.bank, cast.mallory.mediaAccount);
    // Mallory asks for 9,000 of the 6,000 left and pays for 6,000 only
    await take(cast.world, cast.mallory, 9_000n * QUOTE, mediaForQuote(9_000n * QUOTE, price));
    expect(await tokenBalance(cast.bank, cast.mallory.quoteAccount)).to.equal(6_000n * QUOTE);
    expect(before - (await tokenBalance(cast.bank, cast.mallory.mediaAccount))).to.equal(mediaForQuote(6_000n * QUOTE, price));
    expect(big((await fetchConfig(cast.world)).lotRemaining)).to.equal(0n);
    // and the sold-out auction takes nothing more
    await refused("AuctionEnded", () => take(cast.world, cast.alice, QUOTE, 1_000n * MEDIA));
  });

  it("start_auction fails when before interval: AuctionTooEarly", async () => {
    // The first auction sold out and its decay ended, but a day has not passed since it started
    await warpSeconds(cast.bank, 3n * HOUR);
    await refused("AuctionTooEarly", () => startAuction(cast.world));
  });

  it("take fails after the end: AuctionEnded; the next auction after an unfilled one is priced one step lower", async () => {
    // Given the second auction, priced from the first one's fills (both at one price): twice it
    const first = await fetchConfig(cast.world);
    await warpSeconds(cast.bank, 24n * HOUR);
    await receiveFees(cast.world, 0n, 10_000n * QUOTE);
    await startAuction(cast.world);
    const second = await fetchConfig(cast.world);
    expect(big(second.referencePrice)).to.equal(big(first.lastClearingPrice));
    expect(big(second.startPrice)).to.equal(2n * big(first.lastClearingPrice));
    // When its decay has ended without a single fill
    await warpSeconds(cast.bank, 6n * HOUR);
    await refused("AuctionEnded", () => take(cast.world, cast.alice, QUOTE, 1_000_000n * MEDIA));
    // Then the third auction's reference is 20% lower, not the second one's floor
    await warpSeconds(cast.bank, 18n * HOUR);
    await startAuction(cast.world);
    const third = await fetchConfig(cast.world);
    expect(big(third.auctionId)).to.equal(3n);
    expect(big(third.referencePrice)).to.equal((big(second.referencePrice) * 8_000n) / 10_000n);
    expect(big(third.startPrice)).to.equal(2n * big(third.referencePrice));
  });

  it("take succeeds after a pause: the price stands still while the treasury is paused, so the first taker after it pays what it cost when the pause began", async () => {
    // Given the third auction an hour into its decay
    await warpSeconds(cast.bank, HOUR);
    const atPause = auctionPriceAt(await fetchConfig(cast.world), await unixTimestamp(cast.bank));
    // When the treasury is paused for longer than the whole auction, then unpaused
    const setPaused = (paused: boolean) => cast.bank.clients.treasury.setPaused(paused);
    await setPaused(true);
    await warpSeconds(cast.bank, 10n * HOUR);
    await refused("ProgramPaused", () => take(cast.world, cast.alice, QUOTE, 1_000_000n * MEDIA));
    await setPaused(false);
    // Then the auction resumes where it stood: same price, above the floor, and a taker can fill at it
    const config = await fetchConfig(cast.world);
    const now = await unixTimestamp(cast.bank);
    expect(auctionPriceAt(config, now)).to.equal(atPause);
    expect(atPause > big(config.floorPrice)).to.equal(true);
    await take(cast.world, cast.alice, QUOTE, mediaForQuote(QUOTE, atPause));
    expect(big((await fetchConfig(cast.world)).lastClearingPrice)).to.equal(atPause);
    // and it ends five hours of unpaused time later, not at its wall-clock end
    await warpSeconds(cast.bank, 5n * HOUR - 1n);
    await take(cast.world, cast.alice, QUOTE, 1_000_000n * MEDIA);
    await warpSeconds(cast.bank, 1n);
    await refused("AuctionEnded", () => take(cast.world, cast.alice, QUOTE, 1_000_000n * MEDIA));
  });
});
