/**
 * The vaults: `burn_fees` (permissionless crank) and `spend` (authority only), with the
 * hostile inputs that must fail with a named error and change nothing.
 */
import { Keypair, type PublicKey, type Signer, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import { MEDIA_STAKING_PROGRAM_ID } from "../../sdk/src";
import { unixTimestamp, warpSeconds, given } from "../utils/bank";
import { eventsOf, expectRefused } from "../utils/assertions";
import {
  burnFees,
  fetchConfig,
  receiveFees,
  sendInstruction,
  setUpTreasury,
  startAuction,
  unsigned,
  withAccount,
  withArgs,
  keepsSupply,
} from "../utils/treasury";
import { TEST_MINT_SUPPLY, airdrop, createMint, createTokenAccount, mintSupply, tokenBalance } from "../utils/token";
import { MEDIA, QUOTE } from "../utils/constants";

const bn = (value: bigint) => new BN(value.toString());
const big = (value: { toString(): string }) => BigInt(value.toString());

describe("media_treasury: vaults", () => {
  /** The authority after hand-over (not the fee payer, so its signature can be withheld). */

  const cast = given(async (bank) => {
    const world = await setUpTreasury(bank);
    const grantee = Keypair.generate();
    await airdrop(bank, grantee.publicKey);
    const granteeMedia = await createTokenAccount(bank, world.mediaMint, grantee.publicKey);
    const granteeQuote = await createTokenAccount(bank, world.quoteMint, grantee.publicKey);
    const treasurer = Keypair.generate();
    await bank.clients.treasury.setAuthority(treasurer.publicKey);
    return { world, grantee, treasurer, granteeMedia, granteeQuote };
  });

  keepsSupply(cast);

  const refused = (error: string, attack: () => Promise<unknown>, touched: PublicKey[] = everything()) => expectRefused(cast.bank, touched, error, attack);
  const everything = () => [cast.world.config, cast.world.mediaVault, cast.world.quoteVault, cast.world.mediaMint, cast.granteeMedia, cast.granteeQuote];
  const send = async (ix: Promise<TransactionInstruction> | TransactionInstruction, signers: Signer[] = []) => sendInstruction(cast.bank, await ix, signers);
  const burnIx = () =>
    cast.bank.programs.treasury.methods.burnFees().accounts({ mediaVault: cast.world.mediaVault, mediaMint: cast.world.mediaMint }).instruction();
  const spendIx = (vault: PublicKey, destination: PublicKey, amount: bigint, authority = cast.treasurer.publicKey) =>
    cast.bank.programs.treasury.methods.spend(bn(amount)).accounts({ authority, vault, destination }).instruction();

  it("burn_fees fails when vault empty: NothingToBurn", async () => {
    await refused("NothingToBurn", () => burnFees(cast.world));
  });

  it("burn_fees fails when fake token program: InvalidTokenProgram", async () => {
    await receiveFees(cast.world, 500n * MEDIA, 2_000n * QUOTE);
    await refused("InvalidTokenProgram", async () => send(withAccount(await burnIx(), 3, MEDIA_STAKING_PROGRAM_ID)));
  });

  it("burn_fees fails when wrong mint: InvalidMint", async () => {
    const otherMint = await createMint(cast.bank, 6);
    await refused("InvalidMint", async () => send(withAccount(await burnIx(), 2, otherMint)), [...everything(), otherMint]);
  });

  it("burn_fees fails when fake vault: InvalidVault", async () => {
    await refused("InvalidVault", async () => send(withAccount(await burnIx(), 1, cast.granteeMedia)));
  });

  it("burn_fees fails when config is not the treasurys: InvalidAccountOwner", async () => {
    await refused("InvalidAccountOwner", async () => send(withAccount(await burnIx(), 0, cast.world.mediaVault)));
  });

  it("burn_fees succeeds: burns the whole fee vault; the supply drops by exactly that", async () => {
    const signature = await burnFees(cast.world);
    expect(await tokenBalance(cast.bank, cast.world.mediaVault)).to.equal(0n);
    expect(await mintSupply(cast.bank, cast.world.mediaMint)).to.equal(TEST_MINT_SUPPLY - 500n * MEDIA);
    const [event] = eventsOf(cast.bank, signature, cast.bank.programs.treasury as never);
    expect(event.name).to.equal("feesBurned");
    expect(big(event.data.totalFeesBurned)).to.equal(500n * MEDIA);
  });

  it("spend succeeds: the authority pays a grant from either vault", async () => {
    await receiveFees(cast.world, 300n * MEDIA, 0n);
    const signature = await send(spendIx(cast.world.mediaVault, cast.granteeMedia, 120n * MEDIA), [cast.treasurer]);
    await send(spendIx(cast.world.quoteVault, cast.granteeQuote, 500n * QUOTE), [cast.treasurer]);
    expect(await tokenBalance(cast.bank, cast.granteeMedia)).to.equal(120n * MEDIA);
    expect(await tokenBalance(cast.bank, cast.granteeQuote)).to.equal(500n * QUOTE);
    expect(await tokenBalance(cast.bank, cast.world.mediaVault)).to.equal(180n * MEDIA);
    expect(await tokenBalance(cast.bank, cast.world.quoteVault)).to.equal(1_500n * QUOTE);
    // Every field of Spent is the instruction's: read with the transaction
    const [event] = await cast.bank.clients.transactionEvents(signature);
    expect(event.name).to.equal("spent");
    expect(String(event.data.vault)).to.equal(cast.world.mediaVault.toBase58());
    expect(String(event.data.destination)).to.equal(cast.granteeMedia.toBase58());
    expect(event.data.amount).to.equal(120n * MEDIA);
  });

  it("spend fails when not authority: Unauthorized (the cast.grantee, and the old authority after hand-over)", async () => {
    await refused("Unauthorized", () => send(spendIx(cast.world.mediaVault, cast.granteeMedia, MEDIA, cast.grantee.publicKey), [cast.grantee]));
    await refused("Unauthorized", () => send(spendIx(cast.world.mediaVault, cast.granteeMedia, MEDIA, cast.bank.payer.publicKey)));
  });

  it("spend fails when authority did not sign: MissingSigner", async () => {
    await refused("MissingSigner", async () => send(unsigned(await spendIx(cast.world.mediaVault, cast.granteeMedia, MEDIA), cast.treasurer.publicKey)));
  });

  it("spend fails when fake token program: InvalidTokenProgram", async () => {
    await refused("InvalidTokenProgram", async () =>
      send(withAccount(await spendIx(cast.world.mediaVault, cast.granteeMedia, MEDIA), 4, MEDIA_STAKING_PROGRAM_ID), [cast.treasurer]),
    );
  });

  it("spend fails when wrong mint: a destination of the other mint fails in the token program with MintMismatch", async () => {
    await refused("SplToken.MintMismatch", () => send(spendIx(cast.world.mediaVault, cast.granteeQuote, MEDIA), [cast.treasurer]));
  });

  it("spend fails when not a vault: InvalidVault", async () => {
    await refused("InvalidVault", () => send(spendIx(cast.granteeQuote, cast.granteeMedia, MEDIA), [cast.treasurer]));
  });

  it("spend fails when same account twice: DuplicateAccount", async () => {
    await refused("DuplicateAccount", () => send(spendIx(cast.world.mediaVault, cast.world.mediaVault, MEDIA), [cast.treasurer]));
  });

  it("spend fails when more than the vault: InsufficientFunds; zero: ZeroAmount", async () => {
    await refused("InsufficientFunds", () => send(spendIx(cast.world.mediaVault, cast.granteeMedia, 181n * MEDIA), [cast.treasurer]));
    await refused("ZeroAmount", () => send(spendIx(cast.world.mediaVault, cast.granteeMedia, 0n), [cast.treasurer]));
  });

  it("spend fails when truncated or oversized data: InvalidInstructionData", async () => {
    await refused("InvalidInstructionData", async () =>
      send(withArgs(await spendIx(cast.world.mediaVault, cast.granteeMedia, MEDIA), Buffer.alloc(7)), [cast.treasurer]),
    );
    await refused("InvalidInstructionData", async () =>
      send(withArgs(await spendIx(cast.world.mediaVault, cast.granteeMedia, MEDIA), Buffer.alloc(9)), [cast.treasurer]),
    );
  });

  it("spend fails when it would take a running auction s lot: InsufficientFunds", async () => {
    // Given an auction offering the whole 1,500 quote left in the vault
    await startAuction(cast.world);
    expect(big((await fetchConfig(cast.world)).lotRemaining)).to.equal(1_500n * QUOTE);
    // Then none of it can be spent while it runs
    await refused("InsufficientFunds", () => send(spendIx(cast.world.quoteVault, cast.granteeQuote, 1n), [cast.treasurer]));
  });

  it("spend fails after a pause while the auction still runs on its clock: InsufficientFunds", async () => {
    // Given the running auction, paused for longer than its whole duration, then unpaused
    const setPaused = (paused: boolean) => cast.bank.clients.treasury.setPaused(paused, { signer: cast.treasurer });
    await setPaused(true);
    await warpSeconds(cast.bank, 7 * 24 * 3_600);
    await setPaused(false);
    // Then its lot is still reserved: past its wall-clock end, it runs on its own clock
    expect((await unixTimestamp(cast.bank)) > big((await fetchConfig(cast.world)).auctionEnd)).to.equal(true);
    await refused("InsufficientFunds", () => send(spendIx(cast.world.quoteVault, cast.granteeQuote, 1n), [cast.treasurer]));
  });

  it("spend succeeds while the auction runs when it leaves the lot, and takes the lot once the auction has ended", async () => {
    // Given the running auction's 1,500 quote lot, and 200 quote more in the vault
    await receiveFees(cast.world, 0n, 200n * QUOTE);
    const lot = big((await fetchConfig(cast.world)).lotRemaining);
    expect(lot).to.equal(1_500n * QUOTE);
    // Then one base unit more than what the lot leaves is refused, exactly that is paid
    await refused("InsufficientFunds", () => send(spendIx(cast.world.quoteVault, cast.granteeQuote, 200n * QUOTE + 1n), [cast.treasurer]));
    const before = await tokenBalance(cast.bank, cast.granteeQuote);
    await send(spendIx(cast.world.quoteVault, cast.granteeQuote, 200n * QUOTE), [cast.treasurer]);
    expect(await tokenBalance(cast.bank, cast.world.quoteVault)).to.equal(lot);
    // When the auction has run its whole duration on its own clock
    const config = await fetchConfig(cast.world);
    await warpSeconds(cast.bank, Number(big(config.auctionEnd) - big(config.auctionStart)) + 60);
    // Then its unsold lot is the treasury's to spend again
    await send(spendIx(cast.world.quoteVault, cast.granteeQuote, lot), [cast.treasurer]);
    expect(await tokenBalance(cast.bank, cast.world.quoteVault)).to.equal(0n);
    expect(await tokenBalance(cast.bank, cast.granteeQuote)).to.equal(before + 200n * QUOTE + lot);
  });
});
