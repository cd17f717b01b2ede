/** media_treasury scenarios for `npm run bench`. */
import { Keypair } from "@solana/web3.js";
import BN from "bn.js";
import { bn } from "../../tests/utils/constants";
import { MEDIA_TREASURY_PROGRAM_ID, TREASURY_DEFAULTS, TREASURY_PRICE_SCALE, auctionPriceAt, mediaForQuote, MEDIA as MEDIA_BN, bigintOf } from "../../sdk/src";
import { startBank, unixTimestamp, warpSeconds } from "../../tests/utils/bank";
import { createTokenAccount } from "../../tests/utils/token";
import {
  burnFees,
  fetchConfig,
  initializeIx,
  newTaker,
  setReferencePriceIx,
  receiveFees,
  sendInstruction,
  startAuction,
  take,
  treasuryMintsAndVaults,
  withBandwidthConfig,
} from "../../tests/utils/treasury";
import { setUpStaking } from "../../tests/utils/staking";
import type { Meter } from "./meter";

const MEDIA = bigintOf(MEDIA_BN);
const QUOTE = 1_000_000n;
const PROGRAM = { name: "media_treasury", id: MEDIA_TREASURY_PROGRAM_ID };

export async function benchTreasury(meter: Meter): Promise<void> {
  const bank = await startBank();
  const staking = await setUpStaking(bank);
  const accounts = await treasuryMintsAndVaults(bank, staking.mediaMint);
  await meter.measure(bank, PROGRAM, "initialize_config", "config created, vaults recorded", async () =>
    sendInstruction(bank, await initializeIx(bank, accounts)),
  );
  // A take reads the bandwidth config (stakers' share) and pays into the staking vault.
  const world = await withBandwidthConfig(bank, accounts);
  await receiveFees(world, 1_000n * MEDIA, 13_000n * QUOTE);
  const taker = await newTaker(world, 1_000_000n * MEDIA);
  const grantee = await createTokenAccount(bank, world.quoteMint, Keypair.generate().publicKey);

  await meter.measure(bank, PROGRAM, "burn_fees", "burn the fee vault", () => burnFees(world));
  await meter.measure(bank, PROGRAM, "start_auction", "first auction", () => startAuction(world));
  await warpSeconds(bank, 3_600);
  const price = auctionPriceAt(await fetchConfig(world), await unixTimestamp(bank));
  await meter.measure(bank, PROGRAM, "take", "partial fill, counted; stakers' share and burn", () =>
    take(world, taker, 1_000n * QUOTE, mediaForQuote(1_000n * QUOTE, price)),
  );
  await meter.measure(bank, PROGRAM, "spend", "grant from the quote vault (lot reserved)", () =>
    bank.programs.treasury.methods
      .spend(new BN(100).mul(new BN(QUOTE.toString())))
      .accounts({ authority: bank.payer.publicKey, vault: world.quoteVault, destination: grantee })
      .rpc(),
  );
  await meter.measure(bank, PROGRAM, "set_auction_params", "authority sets bounded parameters", () =>
    bank.programs.treasury.methods
      .setAuctionParams(
        bn(TREASURY_DEFAULTS.auctionInterval),
        bn(TREASURY_DEFAULTS.auctionDuration),
        bn(TREASURY_DEFAULTS.maxLot),
        TREASURY_DEFAULTS.premiumBps,
        TREASURY_DEFAULTS.floorBps,
        TREASURY_DEFAULTS.minFillBps,
        TREASURY_DEFAULTS.minSoldBps,
        TREASURY_DEFAULTS.maxStepBps,
      )
      .accounts({ authority: bank.payer.publicKey })
      .rpc(),
  );
  await warpSeconds(bank, 6 * 3_600);
  await meter.measure(bank, PROGRAM, "set_reference_price", "authority resets the reference after the auction", async () =>
    sendInstruction(bank, await setReferencePriceIx(world, 90n * TREASURY_PRICE_SCALE)),
  );
  await meter.measure(bank, PROGRAM, "set_pause_authority", "hand the pause key over", () =>
    bank.programs.treasury.methods.setPauseAuthority(bank.payer.publicKey).accounts({ authority: bank.payer.publicKey }).rpc(),
  );
  await meter.measure(bank, PROGRAM, "set_paused", "pause", () =>
    bank.programs.treasury.methods.setPaused(true).accounts({ signer: bank.payer.publicKey }).rpc(),
  );
  await meter.measure(bank, PROGRAM, "set_authority", "hand-over (same key)", () =>
    bank.programs.treasury.methods.setAuthority(bank.payer.publicKey).accounts({ authority: bank.payer.publicKey }).rpc(),
  );
}
