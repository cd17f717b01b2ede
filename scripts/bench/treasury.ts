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

/** Own/invoked split of the treasury's top-level instruction, closing builtin invokes on "success". */
function splitWithBuiltins(logs: string[]) {
  const id = PROGRAM.id.toBase58();
  let depth = 0;
  let total = 0;
  let invoked = 0;
  let cpis = 0;
  for (const line of logs) {
    const invoke = /^Program (\w+) invoke \[(\d+)\]$/.exec(line);
    if (invoke) {
      depth = Number(invoke[2]);
      if (depth === 2) cpis++;
      continue;
    }
    const consumed = /^Program (\w+) consumed (\d+) of \d+ compute units$/.exec(line);
    if (consumed && depth === 1 && consumed[1] === id) total = Number(consumed[2]);
    if (consumed && depth === 2) invoked += Number(consumed[2]);
    if (/^Program \w+ (success|failed)/.test(line)) depth--;
  }
  return { total, own: total - invoked, invoked, cpis };
}

export async function benchTreasury(meter: Meter): Promise<void> {
  const bank = await startBank();
  const accounts = await treasuryMintsAndVaults(bank);
  // The shared meter pairs each invoke with a "consumed" line, which builtin callees (the
  // System program's CreateAccount here) do not log; this measurement splits the logs itself.
  const init = await sendInstruction(bank, await initializeIx(bank, accounts));
  meter.results.push({ program: PROGRAM.name, instruction: "initialize_config", scenario: "config created, vaults recorded", ...splitWithBuiltins(bank.provider.record(init).logs) });
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
