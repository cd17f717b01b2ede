/**
 * Price discovery that dust cannot steer, told as a market: an honest taker who buys when the
 * auction price reaches the market price, a griefer who fills one base unit at the worst moment
 * for the protocol, and governance correcting the reference between auctions. Each auction
 * starts at twice the reference price and decays to half of it; only fills of at least 1% of
 * the lot count; an auction whose counted fills bought half its lot sets the reference to their
 * volume-weighted price, anything less moves it by at most 20%. Every figure is also checked
 * against the SDK's pure mirror of the rule (`nextAuctionPrices`), and after every take the
 * stakers' share sits in the staking vault while the rest is burned.
 */
import { Keypair, type PublicKey } from "@solana/web3.js";
import { expect } from "chai";
import { TREASURY_DEFAULTS, TREASURY_PRICE_SCALE, auctionPriceAt, buybackSplit, mediaForQuote, nextAuctionPrices } from "../../sdk/src";
import { eventsOf, expectProgramError, expectUnchanged, snapshot, expectRefused } from "../utils/assertions";
import { startBank, unixTimestamp, warpSeconds } from "../utils/bank";
import { airdrop, createTokenAccount, mintSupply, tokenBalance } from "../utils/token";
import {
  TEST_INITIAL_PRICE,
  type Taker,
  fetchConfig,
  newTaker,
  receiveFees,
  sendInstruction,
  setReferencePriceIx,
  setUpTreasury,
  startAuction,
  take,
  takeIx,
  withAccount,
  treasuryCast,
} from "../utils/treasury";
import { MEDIA, QUOTE } from "../utils/constants";

const PRICE = TREASURY_PRICE_SCALE;
const HOUR = 3_600n;
const LOT = 1_000n * QUOTE;
const STAKER_SHARE_BPS = 5_000;
const big = (value: { toString(): string }) => BigInt(value.toString());

describe("media_treasury: price discovery", () => {
  // Given the tests' market (1 quote unit buys 100 MEDIA) as genesis' initial price
  const cast = treasuryCast({ honest: 10_000_000n * MEDIA, griefer: 10_000_000n * MEDIA });

  /** The next auction: a lot of revenue arrives, a day after the last start; its prices match the SDK's mirror. */
  async function nextAuction(): Promise<{ reference: bigint; startPrice: bigint; floorPrice: bigint }> {
    await receiveFees(cast.world, 0n, LOT);
    const before = await fetchConfig(cast.world);
    if (big(before.auctionId) > 0n) await warpTo(big(before.auctionStart) + big(TREASURY_DEFAULTS.auctionInterval));
    const expected = nextAuctionPrices(before);
    const signature = await startAuction(cast.world);
    const config = await fetchConfig(cast.world);
    expect(big(config.referencePrice), "reference").to.equal(expected.reference);
    expect(big(config.startPrice), "start").to.equal(expected.startPrice);
    expect(big(config.floorPrice), "floor").to.equal(expected.floorPrice);
    const [event] = eventsOf(cast.bank, signature, cast.bank.programs.treasury as never);
    expect(big(event.data.referencePrice)).to.equal(expected.reference);
    return expected;
  }

  async function warpTo(time: bigint) {
    const now = await unixTimestamp(cast.bank);
    if (time > now) await warpSeconds(cast.bank, time - now);
  }

  /** Warps to `offset` seconds into the running auction. */
  async function into(offset: bigint) {
    await warpTo(big((await fetchConfig(cast.world)).auctionStart) + offset);
  }

  /**
   * `taker` takes `quote` at the current price; checks the split: the stakers' share (rounded
   * down) lands in the staking vault, the rest leaves the supply. Returns the fill's event.
   */
  async function takes(taker: Taker, quote: bigint) {
    const price = auctionPriceAt(await fetchConfig(cast.world), await unixTimestamp(cast.bank));
    const cost = mediaForQuote(quote, price);
    const { toStakers, burned } = buybackSplit(cost, STAKER_SHARE_BPS);
    const [vault, supply, totals] = [
      await tokenBalance(cast.bank, cast.world.stakingVault),
      await mintSupply(cast.bank, cast.world.mediaMint),
      await fetchConfig(cast.world),
    ];
    const signature = await take(cast.world, taker, quote, cost);
    expect(await tokenBalance(cast.bank, cast.world.stakingVault), "staking vault + stakers' share").to.equal(vault + toStakers);
    expect(await mintSupply(cast.bank, cast.world.mediaMint), "supply - burned").to.equal(supply - burned);
    const after = await fetchConfig(cast.world);
    expect(big(after.totalBoughtBack) - big(totals.totalBoughtBack)).to.equal(cost);
    expect(big(after.totalBuybackToStakers) - big(totals.totalBuybackToStakers)).to.equal(toStakers);
    expect(big(after.totalBuybackBurned) - big(totals.totalBuybackBurned)).to.equal(burned);
    expect(big(after.totalBurned) - big(totals.totalBurned)).to.equal(burned);
    const [event] = eventsOf(cast.bank, signature, cast.bank.programs.treasury as never);
    expect(event.name).to.equal("auctionTaken");
    expect(big(event.data.mediaIn)).to.equal(cost);
    expect(big(event.data.mediaToStakers)).to.equal(toStakers);
    expect(big(event.data.mediaBurned)).to.equal(burned);
    return { price, cost, counted: event.data.counted as boolean };
  }

  it("take succeeds: a counted fill sets the reference to the VWAP; the stakers' share reaches the staking vault exactly, the rest is burned", async () => {
    // Given the first auction, priced from the initial price: 200 down to 50 MEDIA per quote unit
    const first = await nextAuction();
    expect(first).to.deep.equal({ reference: TEST_INITIAL_PRICE, startPrice: 200n * PRICE, floorPrice: 50n * PRICE });
    // When the cast.honest taker buys 600 quote as the price crosses 100 and 400 more at 87.5
    await into(4n * HOUR);
    const a = await takes(cast.honest, 600n * QUOTE);
    await into(4n * HOUR + HOUR / 2n);
    const b = await takes(cast.honest, 400n * QUOTE);
    expect([a.price, b.price]).to.deep.equal([100n * PRICE, 87_500_000_000n]);
    expect([a.counted, b.counted]).to.deep.equal([true, true]);
    // and a fill of odd cost rounds the stakers' share down (the burn takes the extra unit)
    expect(buybackSplit(263n, STAKER_SHARE_BPS)).to.deep.equal({ toStakers: 131n, burned: 132n });
    // Then the next auction is priced from their volume-weighted price: 95,000 MEDIA / 1,000 quote
    const second = await nextAuction();
    expect(second).to.deep.equal({ reference: 95n * PRICE, startPrice: 190n * PRICE, floorPrice: 47_500_000_000n });
    const config = await fetchConfig(cast.world);
    expect(big(config.totalBoughtBack)).to.equal(a.cost + b.cost);
    expect(big(config.totalBuybackBurned) + big(config.totalBuybackToStakers)).to.equal(big(config.totalBoughtBack));
  });

  it("the dust griefer: a 1-base-unit fill at the floor no longer cuts the next start", async () => {
    // Given the cast.honest taker buys all but one base unit of the lot at the market price (95)
    await into(4n * HOUR);
    const market = await takes(cast.honest, LOT - 1n);
    expect(market.price).to.equal(95n * PRICE);
    // When the cast.griefer takes the last base unit one second before the end, at the floor's price
    await into(6n * HOUR - 1n);
    const dust = await takes(cast.griefer, 1n);
    expect(dust.price < 48n * PRICE, "near the floor").to.equal(true);
    expect(dust.counted).to.equal(false);
    // Then the last clearing price is the cast.griefer's, but the reference is the cast.honest fill's
    expect(big((await fetchConfig(cast.world)).lastClearingPrice)).to.equal(dust.price);
    const next = await nextAuction();
    expect(next.reference).to.equal(95n * PRICE);
    expect(next.startPrice).to.equal(190n * PRICE);
  });

  it("the dust griefer: a 1-base-unit fill at the start no longer ratchets the start up", async () => {
    // When the cast.griefer takes one base unit at the start price and nobody buys at the prices after
    const dust = await takes(cast.griefer, 1n);
    expect(dust.price).to.equal(190n * PRICE);
    expect(dust.counted).to.equal(false);
    await into(6n * HOUR);
    // Then the auction counts as unsold: the reference moves down one step (95 * 0.8), not up
    const next = await nextAuction();
    expect(next.reference).to.equal(76n * PRICE);
    expect(next.startPrice).to.equal(152n * PRICE);
  });

  it("an unfilled auction moves the reference down by one step at most", async () => {
    // When nobody takes anything
    await into(6n * HOUR);
    await expectProgramError(take(cast.world, cast.honest, QUOTE, 1_000_000n * MEDIA), "AuctionEnded");
    // Then the reference falls by 20% (76 -> 60.8), not to the floor (38)
    const next = await nextAuction();
    expect(next.reference).to.equal(60_800_000_000n);
    expect(next.floorPrice).to.equal(30_400_000_000n);
  });

  it("a counted fill that buys less than min_sold_bps of the lot moves the reference one step at most", async () => {
    // When the only fill is 10% of the lot, at the floor
    await into(6n * HOUR - 1n);
    const low = await takes(cast.honest, LOT / 10n);
    expect(low.counted).to.equal(true);
    expect(low.price < 31n * PRICE).to.equal(true);
    // Then the reference moves towards it by 20% only: 60.8 -> 48.64
    const next = await nextAuction();
    expect(next.reference).to.equal(48_640_000_000n);
  });

  describe("set_reference_price", () => {
    let stranger: Keypair;
    before(async () => {
      stranger = Keypair.generate();
      await airdrop(cast.bank, stranger.publicKey);
    });

    it("set_reference_price fails when not authority: Unauthorized, and nothing changes", async () => {
      await into(6n * HOUR);
      await expectRefused(cast.bank, [cast.world.config], "Unauthorized", async () =>
        sendInstruction(cast.bank, await setReferencePriceIx(cast.world, PRICE, stranger.publicKey), [stranger]),
      );
    });

    it("set_reference_price fails when an auction runs: AuctionInProgress, and nothing changes", async () => {
      // Given the next auction, running with its lot
      await nextAuction();
      await into(HOUR);
      await expectRefused(cast.bank, [cast.world.config], "AuctionInProgress", async () =>
        sendInstruction(cast.bank, await setReferencePriceIx(cast.world, 100n * PRICE)),
      );
    });

    it("set_reference_price fails when out of bounds: ParameterOutOfBounds", async () => {
      await into(6n * HOUR);
      await expectRefused(cast.bank, [cast.world.config], "ParameterOutOfBounds", async () =>
        sendInstruction(cast.bank, await setReferencePriceIx(cast.world, 0n)),
      );
    });

    it("set_reference_price succeeds: between auctions the authority resets the reference; the last auction's result no longer moves it", async () => {
      // Given the auction ended unsold, which would move the reference down a step
      const signature = await sendInstruction(cast.bank, await setReferencePriceIx(cast.world, 100n * PRICE));
      const events = eventsOf(cast.bank, signature, cast.bank.programs.treasury as never);
      expect(events.map((event) => [event.name, Object.keys(event.data)])).to.deep.equal([["referencePriceSet", ["referencePrice"]]]);
      expect(big(events[0].data.referencePrice)).to.equal(100n * PRICE);
      expect(big((await cast.bank.programs.treasury.account.treasuryConfig.fetch(cast.world.config)).referencePrice)).to.equal(100n * PRICE);
      // Then the next auction is priced from the reset price, exactly
      const next = await nextAuction();
      expect(next).to.deep.equal({ reference: 100n * PRICE, startPrice: 200n * PRICE, floorPrice: 50n * PRICE });
    });
  });

  it("take fails when staking vault is not the staking configs: InvalidVault, and nothing changes", async () => {
    // The cast.griefer names his own MEDIA account as the staking vault, to keep the stakers' share
    const own: PublicKey = await createTokenAccount(cast.bank, cast.world.mediaMint, cast.griefer.wallet.publicKey);
    const touched = [
      cast.world.config,
      cast.world.quoteVault,
      cast.world.mediaMint,
      cast.world.stakingVault,
      cast.griefer.mediaAccount,
      cast.griefer.quoteAccount,
      own,
    ];
    const before = await snapshot(cast.bank, touched);
    await expectProgramError(
      sendInstruction(cast.bank, withAccount(await takeIx(cast.world, cast.griefer, QUOTE, 1_000n * MEDIA), 9, own), [cast.griefer.wallet]),
      "InvalidVault",
    );
    await expectUnchanged(cast.bank, before);
  });
});

describe("media_treasury: the stakers' share follows the bandwidth config", () => {
  for (const share of [0, 10_000]) {
    it(`take succeeds with staker share${share}: ${share === 0 ? "everything is burned, nothing reaches the staking vault" : "everything reaches the staking vault, nothing is burned"}`, async () => {
      // Given a bandwidth config whose staker_share_bps is `share`, and a running auction
      const bank = await startBank();
      const world = await setUpTreasury(bank, undefined, share);
      const taker = await newTaker(world, 1_000_000n * MEDIA);
      await receiveFees(world, 0n, LOT);
      await startAuction(world);
      const [supply, vault] = [await mintSupply(bank, world.mediaMint), await tokenBalance(bank, world.stakingVault)];
      // When the taker buys a tenth of the lot at the start price (200)
      const cost = mediaForQuote(LOT / 10n, 200n * PRICE);
      await take(world, taker, LOT / 10n, cost);
      // Then the split is all-or-nothing, and the counters say so
      const toStakers = share === 0 ? 0n : cost;
      expect(await tokenBalance(bank, world.stakingVault)).to.equal(vault + toStakers);
      expect(await mintSupply(bank, world.mediaMint)).to.equal(supply - (cost - toStakers));
      const config = await fetchConfig(world);
      expect([config.totalBoughtBack, config.totalBuybackToStakers, config.totalBuybackBurned, config.totalBurned].map(big)).to.deep.equal([
        cost,
        toStakers,
        cost - toStakers,
        cost - toStakers,
      ]);
    });
  }
});
