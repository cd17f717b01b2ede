/**
 * The vaults: `burn_fees` (permissionless crank) and `spend` (authority only), with the
 * hostile inputs that must fail with a named error and change nothing.
 */
import { Keypair, type PublicKey, type Signer, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import { MEDIA_STAKING_PROGRAM_ID } from "../../sdk/src";
import { type Bank, startBank, unixTimestamp, warpSeconds } from "../utils/bank";
import { eventsOf, expectRefused } from "../utils/assertions";
import {
  type TreasuryWorld,
  burnFees,
  fetchConfig,
  receiveFees,
  sendInstruction,
  setUpTreasury,
  startAuction,
  supplyPlusBurned,
  unsigned,
  withAccount,
  withArgs,
} from "../utils/treasury";
import { airdrop, createMint, createTokenAccount, mintSupply, tokenBalance } from "../utils/token";
import { MEDIA, QUOTE } from "../utils/constants";

const bn = (value: bigint) => new BN(value.toString());
const big = (value: { toString(): string }) => BigInt(value.toString());

describe("media_treasury: vaults", () => {
  let bank: Bank;
  let world: TreasuryWorld;
  let grantee: Keypair;
  /** The authority after hand-over (not the fee payer, so its signature can be withheld). */
  let treasurer: Keypair;
  let granteeMedia: PublicKey;
  let granteeQuote: PublicKey;
  let supplyBefore: bigint;

  before(async () => {
    bank = await startBank();
    world = await setUpTreasury(bank);
    grantee = Keypair.generate();
    await airdrop(bank, grantee.publicKey);
    granteeMedia = await createTokenAccount(bank, world.mediaMint, grantee.publicKey);
    granteeQuote = await createTokenAccount(bank, world.quoteMint, grantee.publicKey);
    treasurer = Keypair.generate();
    await bank.programs.treasury.methods.setAuthority(treasurer.publicKey).accounts({ authority: bank.payer.publicKey }).rpc();
    supplyBefore = await mintSupply(bank, world.mediaMint);
  });

  afterEach(async () => {
    expect(await supplyPlusBurned(world), "supply invariant").to.equal(supplyBefore);
  });

  const refused = (error: string, attack: () => Promise<unknown>, touched: PublicKey[] = everything()) => expectRefused(bank, touched, error, attack);
  const everything = () => [world.config, world.mediaVault, world.quoteVault, world.mediaMint, granteeMedia, granteeQuote];
  const send = async (ix: Promise<TransactionInstruction> | TransactionInstruction, signers: Signer[] = []) => sendInstruction(bank, await ix, signers);
  const burnIx = () => bank.programs.treasury.methods.burnFees().accounts({ mediaVault: world.mediaVault, mediaMint: world.mediaMint }).instruction();
  const spendIx = (vault: PublicKey, destination: PublicKey, amount: bigint, authority = treasurer.publicKey) =>
    bank.programs.treasury.methods.spend(bn(amount)).accounts({ authority, vault, destination }).instruction();

  it("test_burn_fees_fails_when_vault_empty: NothingToBurn", async () => {
    await refused("NothingToBurn", () => burnFees(world));
  });

  it("test_burn_fees_fails_when_fake_token_program: InvalidTokenProgram", async () => {
    await receiveFees(world, 500n * MEDIA, 2_000n * QUOTE);
    supplyBefore += 500n * MEDIA;
    await refused("InvalidTokenProgram", async () => send(withAccount(await burnIx(), 3, MEDIA_STAKING_PROGRAM_ID)));
  });

  it("test_burn_fees_fails_when_wrong_mint: InvalidMint", async () => {
    const otherMint = await createMint(bank, 6);
    await refused("InvalidMint", async () => send(withAccount(await burnIx(), 2, otherMint)), [...everything(), otherMint]);
  });

  it("test_burn_fees_fails_when_fake_vault: InvalidVault", async () => {
    await refused("InvalidVault", async () => send(withAccount(await burnIx(), 1, granteeMedia)));
  });

  it("test_burn_fees_fails_when_config_is_not_the_treasurys: InvalidAccountOwner", async () => {
    await refused("InvalidAccountOwner", async () => send(withAccount(await burnIx(), 0, world.mediaVault)));
  });

  it("test_burn_fees_ok: burns the whole fee vault; the supply drops by exactly that", async () => {
    const signature = await burnFees(world);
    expect(await tokenBalance(bank, world.mediaVault)).to.equal(0n);
    expect(await mintSupply(bank, world.mediaMint)).to.equal(supplyBefore - 500n * MEDIA);
    const [event] = eventsOf(bank, signature, bank.programs.treasury as never);
    expect(event.name).to.equal("feesBurned");
    expect(big(event.data.totalFeesBurned)).to.equal(500n * MEDIA);
  });

  it("test_spend_ok: the authority pays a grant from either vault", async () => {
    await receiveFees(world, 300n * MEDIA, 0n);
    supplyBefore += 300n * MEDIA;
    const signature = await send(spendIx(world.mediaVault, granteeMedia, 120n * MEDIA), [treasurer]);
    await send(spendIx(world.quoteVault, granteeQuote, 500n * QUOTE), [treasurer]);
    expect(await tokenBalance(bank, granteeMedia)).to.equal(120n * MEDIA);
    expect(await tokenBalance(bank, granteeQuote)).to.equal(500n * QUOTE);
    expect(await tokenBalance(bank, world.mediaVault)).to.equal(180n * MEDIA);
    expect(await tokenBalance(bank, world.quoteVault)).to.equal(1_500n * QUOTE);
    const [event] = eventsOf(bank, signature, bank.programs.treasury as never);
    expect(event.name).to.equal("spent");
    expect(event.data.destination.toBase58()).to.equal(granteeMedia.toBase58());
    expect(big(event.data.amount)).to.equal(120n * MEDIA);
  });

  it("test_spend_fails_when_not_authority: Unauthorized (the grantee, and the old authority after hand-over)", async () => {
    await refused("Unauthorized", () => send(spendIx(world.mediaVault, granteeMedia, MEDIA, grantee.publicKey), [grantee]));
    await refused("Unauthorized", () => send(spendIx(world.mediaVault, granteeMedia, MEDIA, bank.payer.publicKey)));
  });

  it("test_spend_fails_when_authority_did_not_sign: MissingSigner", async () => {
    await refused("MissingSigner", async () => send(unsigned(await spendIx(world.mediaVault, granteeMedia, MEDIA), treasurer.publicKey)));
  });

  it("test_spend_fails_when_fake_token_program: InvalidTokenProgram", async () => {
    await refused("InvalidTokenProgram", async () =>
      send(withAccount(await spendIx(world.mediaVault, granteeMedia, MEDIA), 4, MEDIA_STAKING_PROGRAM_ID), [treasurer]),
    );
  });

  it("test_spend_fails_when_wrong_mint: a destination of the other mint fails with InvalidMint", async () => {
    await refused("InvalidMint", () => send(spendIx(world.mediaVault, granteeQuote, MEDIA), [treasurer]));
  });

  it("test_spend_fails_when_not_a_vault: InvalidVault", async () => {
    await refused("InvalidVault", () => send(spendIx(granteeQuote, granteeMedia, MEDIA), [treasurer]));
  });

  it("test_spend_fails_when_same_account_twice: DuplicateAccount", async () => {
    await refused("DuplicateAccount", () => send(spendIx(world.mediaVault, world.mediaVault, MEDIA), [treasurer]));
  });

  it("test_spend_fails_when_more_than_the_vault: InsufficientFunds; zero: ZeroAmount", async () => {
    await refused("InsufficientFunds", () => send(spendIx(world.mediaVault, granteeMedia, 181n * MEDIA), [treasurer]));
    await refused("ZeroAmount", () => send(spendIx(world.mediaVault, granteeMedia, 0n), [treasurer]));
  });

  it("test_spend_fails_when_truncated_or_oversized_data: InvalidInstructionData", async () => {
    await refused("InvalidInstructionData", async () => send(withArgs(await spendIx(world.mediaVault, granteeMedia, MEDIA), Buffer.alloc(7)), [treasurer]));
    await refused("InvalidInstructionData", async () => send(withArgs(await spendIx(world.mediaVault, granteeMedia, MEDIA), Buffer.alloc(9)), [treasurer]));
  });

  it("test_spend_fails_when_it_would_take_a_running_auction_s_lot: InsufficientFunds", async () => {
    // Given an auction offering the whole 1,500 quote left in the vault
    await startAuction(world);
    expect(big((await fetchConfig(world)).lotRemaining)).to.equal(1_500n * QUOTE);
    // Then none of it can be spent while it runs
    await refused("InsufficientFunds", () => send(spendIx(world.quoteVault, granteeQuote, 1n), [treasurer]));
  });

  it("test_spend_fails_after_a_pause_while_the_auction_still_runs_on_its_clock: InsufficientFunds", async () => {
    // Given the running auction, paused for longer than its whole duration, then unpaused
    const setPaused = (paused: boolean) =>
      bank.programs.treasury.methods.setPaused(paused).accounts({ signer: treasurer.publicKey }).signers([treasurer]).rpc();
    await setPaused(true);
    await warpSeconds(bank, 7 * 24 * 3_600);
    await setPaused(false);
    // Then its lot is still reserved: past its wall-clock end, it runs on its own clock
    expect((await unixTimestamp(bank)) > big((await fetchConfig(world)).auctionEnd)).to.equal(true);
    await refused("InsufficientFunds", () => send(spendIx(world.quoteVault, granteeQuote, 1n), [treasurer]));
  });
});
