/** media_treasury scenarios for `npm run bench`. */
import { Keypair } from "@solana/web3.js";
import BN from "bn.js";
import { MEDIA_TREASURY_PROGRAM_ID, TREASURY_DEFAULTS, auctionPriceAt, mediaForQuote } from "../../sdk/src";
import { startBank, unixTimestamp, warpSeconds } from "../../tests/utils/bank";
import { createTokenAccount } from "../../tests/utils/token";
import {
  burnFees,
  fetchConfig,
  initializeIx,
  newTaker,
  receiveFees,
  sendInstruction,
  startAuction,
  take,
  treasuryMintsAndVaults,
} from "../../tests/utils/treasury";
import { treasuryConfigPda } from "../../sdk/src";
import type { Meter } from "./meter";

const MEDIA = 1_000_000n;
const QUOTE = 1_000_000n;
const PROGRAM = { name: "media_treasury", id: MEDIA_TREASURY_PROGRAM_ID };

export async function benchTreasury(meter: Meter): Promise<void> {
  const bank = await startBank();
  const accounts = await treasuryMintsAndVaults(bank);
  await meter.measure(bank, PROGRAM, "initialize_config", "config created, vaults recorded", async () =>
    sendInstruction(bank, await initializeIx(bank, accounts)),
  );
  const world = { bank, ...accounts, config: treasuryConfigPda(), authority: bank.payer };
  await receiveFees(world, 1_000n * MEDIA, 13_000n * QUOTE);
  const taker = await newTaker(world, 1_000_000n * MEDIA);
  const grantee = await createTokenAccount(bank, world.quoteMint, Keypair.generate().publicKey);

  await meter.measure(bank, PROGRAM, "burn_fees", "burn the fee vault", () => burnFees(world));
  await meter.measure(bank, PROGRAM, "start_auction", "first auction", () => startAuction(world));
  await warpSeconds(bank, 3_600);
  const price = auctionPriceAt(await fetchConfig(world), await unixTimestamp(bank));
  await meter.measure(bank, PROGRAM, "take", "partial fill", () => take(world, taker, 1_000n * QUOTE, mediaForQuote(1_000n * QUOTE, price)));
  await meter.measure(bank, PROGRAM, "spend", "grant from the quote vault (lot reserved)", () =>
    bank.programs.treasury.methods
      .spend(new BN(100).mul(new BN(QUOTE.toString())))
      .accounts({ authority: bank.payer.publicKey, vault: world.quoteVault, destination: grantee })
      .rpc(),
  );
  await meter.measure(bank, PROGRAM, "set_auction_params", "authority sets bounded parameters", () =>
    bank.programs.treasury.methods
      .setAuctionParams(
        TREASURY_DEFAULTS.auctionInterval,
        TREASURY_DEFAULTS.auctionDuration,
        TREASURY_DEFAULTS.maxLot,
        TREASURY_DEFAULTS.initialPrice,
        TREASURY_DEFAULTS.premiumBps,
        TREASURY_DEFAULTS.floorBps,
      )
      .accounts({ authority: bank.payer.publicKey })
      .rpc(),
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
