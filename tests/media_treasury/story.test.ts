/**
 * The treasury's story, end to end: fee revenue arrives, a crank burns the MEDIA fees, a
 * buyback auction sells quote revenue for MEDIA from two takers (half to the stakers' vault,
 * half burned), and the next auction is priced from their volume-weighted price. After every
 * step the supply invariant holds: mint supply + total burned by the treasury = supply before
 * the treasury burned anything.
 */
import { expect } from "chai";
import { TREASURY_DEFAULTS, TREASURY_PRICE_SCALE, auctionPriceAt, mediaForQuote } from "../../sdk/src";
import { type Bank, startBank, unixTimestamp, warpSeconds } from "../utils/bank";
import { eventsOf } from "../utils/assertions";
import {
  type Taker,
  type TreasuryWorld,
  burnFees,
  fetchConfig,
  newTaker,
  receiveFees,
  setUpTreasury,
  startAuction,
  supplyPlusBurned,
  take,
} from "../utils/treasury";
import { TEST_MINT_SUPPLY, mintSupply, tokenBalance } from "../utils/token";
import { HOUR, MEDIA, QUOTE } from "../utils/constants";

const PRICE = TREASURY_PRICE_SCALE;
const big = (value: { toString(): string }) => BigInt(value.toString());

describe("media_treasury: story", () => {
  let bank: Bank;
  let world: TreasuryWorld;
  let alice: Taker;
  let bob: Taker;
  let supplyBefore: bigint;
  const events = (signature: string) => eventsOf(bank, signature, bank.programs.treasury as never);

  async function expectSupplyInvariant() {
    expect(await supplyPlusBurned(world), "supply + total burned").to.equal(supplyBefore);
  }

  before(async () => {
    bank = await startBank();
    // Given a treasury with the genesis parameters and a market where 1 quote unit buys 100
    // MEDIA: auctions start at twice the reference price and decay to half of it over 6 hours,
    // one auction a day; stakers get half of the MEDIA bought back
    world = await setUpTreasury(bank);
    alice = await newTaker(world, 200_000n * MEDIA);
    bob = await newTaker(world, 200_000n * MEDIA);
  });

  it("fees reach the treasury", async () => {
    // When 1,000 MEDIA and 3,000 quote of protocol revenue arrive in the vaults
    await receiveFees(world, 1_000n * MEDIA, 3_000n * QUOTE);
    supplyBefore = await mintSupply(bank, world.mediaMint);
    // Then the vaults hold them and nothing has been burned yet
    expect(await tokenBalance(bank, world.mediaVault)).to.equal(1_000n * MEDIA);
    expect(await tokenBalance(bank, world.quoteVault)).to.equal(3_000n * QUOTE);
    // and the supply is the mint's genesis supply: the takers and the fees were funded by transfer
    expect(supplyBefore).to.equal(TEST_MINT_SUPPLY);
    await expectSupplyInvariant();
  });

  it("a crank burns the MEDIA fees and the supply drops by exactly that", async () => {
    // When anyone cranks burn_fees
    const signature = await burnFees(world);
    // Then the fee vault is empty, the supply is 1,000 MEDIA lower, and the totals say so
    expect(await tokenBalance(bank, world.mediaVault)).to.equal(0n);
    expect(await mintSupply(bank, world.mediaMint)).to.equal(supplyBefore - 1_000n * MEDIA);
    const config = await fetchConfig(world);
    expect(big(config.totalBurned)).to.equal(1_000n * MEDIA);
    expect(big(config.totalFeesBurned)).to.equal(1_000n * MEDIA);
    const [event] = events(signature);
    expect(event.name).to.equal("feesBurned");
    expect(big(event.data.amount)).to.equal(1_000n * MEDIA);
    expect(big(event.data.totalBurned)).to.equal(1_000n * MEDIA);
    await expectSupplyInvariant();
  });

  it("an auction starts at twice the initial price with the whole quote revenue as its lot", async () => {
    // When anyone starts the first auction
    const signature = await startAuction(world);
    const now = await unixTimestamp(bank);
    // Then it offers the 3,000 quote (below max_lot) from 200 MEDIA/quote down to 50 over 6 hours
    const config = await fetchConfig(world);
    expect(big(config.auctionId)).to.equal(1n);
    expect(big(config.lot)).to.equal(3_000n * QUOTE);
    expect(big(config.lotRemaining)).to.equal(3_000n * QUOTE);
    expect(big(config.startPrice)).to.equal(200n * PRICE);
    expect(big(config.floorPrice)).to.equal(50n * PRICE);
    expect(big(config.auctionEnd) - big(config.auctionStart)).to.equal(6n * BigInt(HOUR));
    expect(big(config.auctionStart) <= now, "started now").to.equal(true);
    const [event] = events(signature);
    expect(event.name).to.equal("auctionStarted");
    expect(big(event.data.auctionId)).to.equal(1n);
    expect(big(event.data.lot)).to.equal(3_000n * QUOTE);
    expect(big(event.data.startPrice)).to.equal(200n * PRICE);
    expect(big(event.data.referencePrice)).to.equal(100n * PRICE);
    await expectSupplyInvariant();
  });

  it("the price decays with the clock and two takers fill the lot partially", async () => {
    const start = big((await fetchConfig(world)).auctionStart);
    const supply = await mintSupply(bank, world.mediaMint);

    // When two thirds of the decay have passed, the price is the market's: 100 MEDIA per quote unit
    await warpSeconds(bank, start + BigInt(4 * HOUR) - (await unixTimestamp(bank)));
    expect(auctionPriceAt(await fetchConfig(world), await unixTimestamp(bank))).to.equal(100n * PRICE);
    // and Alice takes 1,000 quote, paying exactly what she allows
    const aliceCost = mediaForQuote(1_000n * QUOTE, 100n * PRICE);
    expect(aliceCost).to.equal(100_000n * MEDIA);
    const aliceTake = await take(world, alice, 1_000n * QUOTE, aliceCost);
    // Then she paid her MEDIA, half of it into the staking vault, and holds the quote
    expect(await tokenBalance(bank, alice.mediaAccount)).to.equal(200_000n * MEDIA - aliceCost);
    expect(await tokenBalance(bank, alice.quoteAccount)).to.equal(1_000n * QUOTE);
    expect(await tokenBalance(bank, world.stakingVault)).to.equal(50_000n * MEDIA);
    const [aliceEvent] = events(aliceTake);
    expect(aliceEvent.name).to.equal("auctionTaken");
    expect(big(aliceEvent.data.price)).to.equal(100n * PRICE);
    expect(big(aliceEvent.data.mediaIn)).to.equal(aliceCost);
    expect(big(aliceEvent.data.mediaToStakers)).to.equal(50_000n * MEDIA);
    expect(big(aliceEvent.data.mediaBurned)).to.equal(50_000n * MEDIA);
    expect(aliceEvent.data.counted).to.equal(true);
    expect(big(aliceEvent.data.lotRemaining)).to.equal(2_000n * QUOTE);
    await expectSupplyInvariant();

    // When half an hour later the price is 87.5, and Bob takes 1,500 quote
    await warpSeconds(bank, start + BigInt(4 * HOUR + HOUR / 2) - (await unixTimestamp(bank)));
    const price = auctionPriceAt(await fetchConfig(world), await unixTimestamp(bank));
    expect(price).to.equal(87_500_000_000n);
    const bobCost = mediaForQuote(1_500n * QUOTE, price);
    const bobTake = await take(world, bob, 1_500n * QUOTE, bobCost + 1n);
    expect(await tokenBalance(bank, bob.quoteAccount)).to.equal(1_500n * QUOTE);
    expect(await tokenBalance(bank, bob.mediaAccount)).to.equal(200_000n * MEDIA - bobCost);
    expect(big(events(bobTake)[0].data.mediaIn)).to.equal(131_250n * MEDIA);

    // Then the supply dropped by exactly the half of what the two takers paid that was burned,
    // and the staking vault holds the other half
    const burned = (aliceCost + bobCost) / 2n;
    expect(await mintSupply(bank, world.mediaMint)).to.equal(supply - burned);
    expect(await tokenBalance(bank, world.stakingVault)).to.equal(aliceCost + bobCost - burned);
    const config = await fetchConfig(world);
    expect(big(config.totalBoughtBack)).to.equal(aliceCost + bobCost);
    expect(big(config.totalBuybackBurned)).to.equal(burned);
    expect(big(config.totalBuybackToStakers)).to.equal(aliceCost + bobCost - burned);
    expect(big(config.totalBurned)).to.equal(1_000n * MEDIA + burned);
    expect(big(config.totalQuoteSold)).to.equal(2_500n * QUOTE);
    expect(big(config.lastClearingPrice)).to.equal(87_500_000_000n);
    expect(big(config.lotRemaining)).to.equal(500n * QUOTE);
    expect(await tokenBalance(bank, world.quoteVault)).to.equal(500n * QUOTE);
    await expectSupplyInvariant();
  });

  it("the next auction is priced from the takers' volume-weighted price", async () => {
    // When the auction interval has passed since the first auction started
    const config = await fetchConfig(world);
    await warpSeconds(bank, big(config.auctionStart) + big(TREASURY_DEFAULTS.auctionInterval) - (await unixTimestamp(bank)));
    const signature = await startAuction(world);
    // Then the reference is 231,250 MEDIA / 2,500 quote = 92.5, and the second auction offers
    // what is left from 185 down to 46.25 MEDIA per quote unit
    const next = await fetchConfig(world);
    expect(big(next.auctionId)).to.equal(2n);
    expect(big(next.lot)).to.equal(500n * QUOTE);
    expect(big(next.referencePrice)).to.equal(92_500_000_000n);
    expect(big(next.startPrice)).to.equal(185n * PRICE);
    expect(big(next.floorPrice)).to.equal(46_250_000_000n);
    expect(big(next.auctionMediaIn)).to.equal(0n);
    const [event] = events(signature);
    expect(big(event.data.referencePrice)).to.equal(92_500_000_000n);
    expect(big(event.data.startPrice)).to.equal(185n * PRICE);
    await expectSupplyInvariant();
  });
});
