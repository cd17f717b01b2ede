/**
 * Administration: `initialize_config` (and its hostile inputs), parameter setters with
 * bounds, authority hand-over, and the pause switch.
 */
import { Keypair, type PublicKey, type Signer, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import { TREASURY_DEFAULTS, TREASURY_MAX_PRICE, type TreasuryAuctionParams, treasuryConfigPda, isPausedAt } from "../../sdk/src";
import { type Bank, startBank, unixTimestamp } from "../utils/bank";
import { eventsOf, expectProgramError, expectUnchanged, snapshot } from "../utils/assertions";
import {
  TEST_INITIAL_PRICE,
  TREASURY_TEST_PARAMS,
  type TreasuryParams,
  type TreasuryWorld,
  burnFees,
  fetchConfig,
  initializeIx,
  newTaker,
  receiveFees,
  sendInstruction,
  setReferencePriceIx,
  setUpTreasury,
  startAuction,
  take,
  treasuryMintsAndVaults,
  withAccount,
  withArgs,
} from "../utils/treasury";
import { airdrop, closableTokenAccount, createTokenAccount, withDelegate } from "../utils/token";

const MEDIA = 1_000_000n;
const QUOTE = 1_000_000n;
const big = (value: { toString(): string }) => BigInt(value.toString());

describe("media_treasury: administration", () => {
  describe("initialize_config on a fresh program", () => {
    let bank: Bank;
    let accounts: Awaited<ReturnType<typeof treasuryMintsAndVaults>>;
    const send = async (ix: Promise<TransactionInstruction> | TransactionInstruction, signers: Signer[] = []) => sendInstruction(bank, await ix, signers);
    async function refused(error: string, attack: () => Promise<unknown>, touched: PublicKey[] = []) {
      const before = await snapshot(bank, [treasuryConfigPda(), accounts.mediaVault, accounts.quoteVault, ...touched]);
      await expectProgramError(attack(), error);
      await expectUnchanged(bank, before);
    }

    before(async () => {
      bank = await startBank();
      accounts = await treasuryMintsAndVaults(bank);
    });

    it("test_initialize_config_fails_when_config_is_not_the_pda: InvalidPda", async () => {
      await refused("InvalidPda", async () => send(withAccount(await initializeIx(bank, accounts), 1, Keypair.generate().publicKey)));
    });

    it("test_initialize_config_fails_when_parameters_out_of_bounds: ParameterOutOfBounds", async () => {
      const out: Partial<TreasuryParams>[] = [
        { auctionInterval: new BN(59) },
        { auctionDuration: new BN(2 * 24 * 3600) }, // longer than the interval
        { maxLot: new BN(0) },
        { initialPrice: new BN(0) },
        { initialPrice: new BN(TREASURY_MAX_PRICE.toString()).addn(1) },
        { premiumBps: 2_499 }, // a start too close to the reference to absorb a step
        { premiumBps: 30_001 },
        { floorBps: 999 },
        { floorBps: 8_001 }, // a floor too close to the reference to absorb a step
        { minFillBps: 0 },
        { minFillBps: 1_001 },
        { minSoldBps: 999 },
        { minSoldBps: 10_001 },
        { maxStepBps: 99 },
        { maxStepBps: 2_001 },
      ];
      for (const change of out) {
        await refused("ParameterOutOfBounds", () => send(initializeIx(bank, accounts, { ...TREASURY_TEST_PARAMS, ...change })));
      }
    });

    it("test_initialize_config_fails_when_same_mint_twice: DuplicateAccount", async () => {
      await refused("DuplicateAccount", async () => send(withAccount(await initializeIx(bank, accounts), 5, accounts.mediaMint)));
    });

    it("test_initialize_config_fails_when_vault_not_owned_by_config: TokenAccountOwnerMismatch", async () => {
      const mine = await createTokenAccount(bank, accounts.mediaMint, bank.payer.publicKey);
      await refused("TokenAccountOwnerMismatch", async () => send(withAccount(await initializeIx(bank, accounts), 2, mine)));
    });

    it("test_initialize_config_fails_when_vault_of_wrong_mint: InvalidMint", async () => {
      await refused("InvalidMint", async () => send(withAccount(await initializeIx(bank, accounts), 2, accounts.quoteVault)));
    });

    it("test_initialize_config_fails_when_vault_has_a_close_authority: TokenAccountClosable", async () => {
      // The preparer keeps the power to close a fee vault it then hands to the config: once
      // burn_fees empties it, it could close it and re-create it as its own account.
      const trap = await closableTokenAccount(bank, accounts.mediaMint, bank.payer, treasuryConfigPda());
      await refused("TokenAccountClosable", async () => send(withAccount(await initializeIx(bank, accounts), 2, trap)), [trap]);
    });

    it("test_initialize_config_fails_when_vault_has_a_delegate: TokenAccountDelegated", async () => {
      // SPL Token clears the delegate when an account changes hands, and only the config could
      // approve one, so this state is written directly: the program must not rely on how the
      // account came to be.
      const vault = await bank.runtime.getAccount(accounts.quoteVault);
      if (!vault) throw new Error("no quote vault");
      await bank.runtime.setAccount(accounts.quoteVault, { ...vault, data: withDelegate(vault.data, Keypair.generate().publicKey, 1n) });
      await refused("TokenAccountDelegated", () => send(initializeIx(bank, accounts)));
      await bank.runtime.setAccount(accounts.quoteVault, vault);
    });

    it("test_initialize_config_fails_when_vault_is_not_the_configs_associated_token_account: InvalidVault", async () => {
      // Owned by the config, of the right mint, clean: but not the address everyone derives
      const lookalike = await createTokenAccount(bank, accounts.mediaMint, treasuryConfigPda());
      await refused("InvalidVault", async () => send(withAccount(await initializeIx(bank, accounts), 2, lookalike)), [lookalike]);
    });

    it("test_initialize_config_fails_when_truncated_or_oversized_data: InvalidInstructionData", async () => {
      await refused("InvalidInstructionData", async () => {
        const ix = await initializeIx(bank, accounts);
        return send(withArgs(ix, ix.data.subarray(8, 30)));
      });
      await refused("InvalidInstructionData", async () => {
        const ix = await initializeIx(bank, accounts);
        return send(withArgs(ix, Buffer.concat([ix.data.subarray(8), Buffer.alloc(1)])));
      });
    });

    it("test_initialize_config_ok: records mints, vaults and parameters; emits ConfigInitialized, ConfigUpdated and ParametersUpdated", async () => {
      const signature = await send(initializeIx(bank, accounts));
      const config = await bank.programs.treasury.account.treasuryConfig.fetch(treasuryConfigPda());
      expect(config.authority.toBase58()).to.equal(bank.payer.publicKey.toBase58());
      expect(config.pauseAuthority.toBase58()).to.equal(bank.payer.publicKey.toBase58());
      expect(config.mediaVault.toBase58()).to.equal(accounts.mediaVault.toBase58());
      expect(config.quoteVault.toBase58()).to.equal(accounts.quoteVault.toBase58());
      expect(big(config.referencePrice)).to.equal(TEST_INITIAL_PRICE);
      expect(config.floorBps).to.equal(TREASURY_DEFAULTS.floorBps);
      expect(config.maxStepBps).to.equal(TREASURY_DEFAULTS.maxStepBps);
      expect(isPausedAt(config.pause, await unixTimestamp(bank))).to.equal(false);
      const [initialized, roles, parameters] = eventsOf(bank, signature, bank.programs.treasury as never);
      expect(initialized.name).to.equal("configInitialized");
      expect(initialized.data.mediaMint.toBase58()).to.equal(accounts.mediaMint.toBase58());
      expect(initialized.data.quoteVault.toBase58()).to.equal(accounts.quoteVault.toBase58());
      expect(roles.name).to.equal("configUpdated");
      expect(roles.data.authority.toBase58()).to.equal(bank.payer.publicKey.toBase58());
      expect(parameters.name).to.equal("parametersUpdated");
      expect(big(parameters.data.maxLot)).to.equal(big(TREASURY_DEFAULTS.maxLot));
      expect(big(parameters.data.referencePrice)).to.equal(TEST_INITIAL_PRICE);
    });

    it("test_initialize_config_fails_when_reinitialized: AlreadyInitialized", async () => {
      await refused("AlreadyInitialized", () => send(initializeIx(bank, accounts)));
    });
  });

  describe("setters and the pause switch", () => {
    let bank: Bank;
    let world: TreasuryWorld;
    let guardian: Keypair;
    let governance: Keypair;
    const setParams = (p: TreasuryAuctionParams, authority: PublicKey) =>
      bank.programs.treasury.methods
        .setAuctionParams(p.auctionInterval, p.auctionDuration, p.maxLot, p.premiumBps, p.floorBps, p.minFillBps, p.minSoldBps, p.maxStepBps)
        .accounts({ authority })
        .instruction();
    const setPaused = (paused: boolean, signer: PublicKey) => bank.programs.treasury.methods.setPaused(paused).accounts({ signer }).instruction();
    const send = async (ix: Promise<TransactionInstruction> | TransactionInstruction, signers: Signer[] = []) => sendInstruction(bank, await ix, signers);
    async function refused(error: string, attack: () => Promise<unknown>, touched: PublicKey[] = [world.config]) {
      const before = await snapshot(bank, touched);
      await expectProgramError(attack(), error);
      await expectUnchanged(bank, before);
    }

    before(async () => {
      bank = await startBank();
      world = await setUpTreasury(bank);
      guardian = Keypair.generate();
      governance = Keypair.generate();
      await airdrop(bank, governance.publicKey);
    });

    it("test_set_auction_params_ok: the authority sets bounded parameters; ParametersUpdated", async () => {
      const params = { ...TREASURY_DEFAULTS, maxLot: new BN(5_000).mul(new BN(QUOTE.toString())), premiumBps: 5_000, minSoldBps: 7_500, maxStepBps: 1_000 };
      const signature = await send(setParams(params, bank.payer.publicKey));
      const config = await fetchConfig(world);
      expect(big(config.maxLot)).to.equal(5_000n * QUOTE);
      expect(config.premiumBps).to.equal(5_000);
      expect(config.minSoldBps).to.equal(7_500);
      expect(config.maxStepBps).to.equal(1_000);
      // The reference price is not a parameter: setting the parameters leaves it as it was
      expect(big(config.referencePrice)).to.equal(TEST_INITIAL_PRICE);
      const [event] = eventsOf(bank, signature, bank.programs.treasury as never);
      expect(event.name).to.equal("parametersUpdated");
      expect(event.data.premiumBps).to.equal(5_000);
      expect(event.data.maxStepBps).to.equal(1_000);
      expect(big(event.data.referencePrice)).to.equal(TEST_INITIAL_PRICE);
    });

    it("test_set_auction_params_fails_when_out_of_bounds: ParameterOutOfBounds", async () => {
      await refused("ParameterOutOfBounds", () => send(setParams({ ...TREASURY_DEFAULTS, auctionInterval: new BN(-1) }, bank.payer.publicKey)));
      await refused("ParameterOutOfBounds", () => send(setParams({ ...TREASURY_DEFAULTS, floorBps: 8_001 }, bank.payer.publicKey)));
      await refused("ParameterOutOfBounds", () => send(setParams({ ...TREASURY_DEFAULTS, maxStepBps: 2_001 }, bank.payer.publicKey)));
    });

    it("test_set_auction_params_fails_when_not_authority: Unauthorized", async () => {
      await refused("Unauthorized", () => send(setParams(TREASURY_DEFAULTS, governance.publicKey), [governance]));
    });

    it("test_set_pause_authority_ok and fails when not authority: Unauthorized", async () => {
      await refused("Unauthorized", () =>
        send(bank.programs.treasury.methods.setPauseAuthority(guardian.publicKey).accounts({ authority: governance.publicKey }).instruction(), [governance]),
      );
      await bank.programs.treasury.methods.setPauseAuthority(guardian.publicKey).accounts({ authority: bank.payer.publicKey }).rpc();
      expect((await fetchConfig(world)).pauseAuthority.toBase58()).to.equal(guardian.publicKey.toBase58());
    });

    it("test_set_paused_ok: the pause authority pauses; cranks, takes, spends and parameter changes are refused", async () => {
      await receiveFees(world, 10n * MEDIA, 100n * QUOTE);
      const taker = await newTaker(world, 100_000n * MEDIA);
      await startAuction(world);
      // When the guardian pauses
      await send(setPaused(true, guardian.publicKey), [guardian]);
      expect(isPausedAt((await fetchConfig(world)).pause, await unixTimestamp(bank))).to.equal(true);
      // Then burn_fees, start_auction and take are refused and change nothing
      const touched = [world.config, world.mediaVault, world.quoteVault, world.mediaMint, taker.mediaAccount, taker.quoteAccount];
      await refused("ProgramPaused", () => burnFees(world), touched);
      await refused("ProgramPaused", () => startAuction(world), touched);
      await refused("ProgramPaused", () => take(world, taker, QUOTE, 1_000n * MEDIA), touched);
      // and so are the authority's spend and parameter changes: a paused program moves no funds
      const grantee = await createTokenAccount(bank, world.mediaMint, taker.wallet.publicKey);
      await refused(
        "ProgramPaused",
        () =>
          bank.programs.treasury.methods
            .spend(new BN((10n * MEDIA).toString()))
            .accounts({ authority: bank.payer.publicKey, vault: world.mediaVault, destination: grantee })
            .rpc(),
        [...touched, grantee],
      );
      await refused("ProgramPaused", () => send(setParams(TREASURY_DEFAULTS, bank.payer.publicKey)));
      await refused("ProgramPaused", () => send(setReferencePriceIx(world, TEST_INITIAL_PRICE)));
    });

    it("test_set_pause_authority_ok_while_paused: a rogue pause key can be replaced during its pause", async () => {
      expect(isPausedAt((await fetchConfig(world)).pause, await unixTimestamp(bank))).to.equal(true);
      const replacement = Keypair.generate().publicKey;
      await bank.programs.treasury.methods.setPauseAuthority(replacement).accounts({ authority: bank.payer.publicKey }).rpc();
      expect((await fetchConfig(world)).pauseAuthority.toBase58()).to.equal(replacement.toBase58());
      await bank.programs.treasury.methods.setPauseAuthority(guardian.publicKey).accounts({ authority: bank.payer.publicKey }).rpc();
    });

    it("test_set_paused_fails_when_pause_authority_unpauses: Unauthorized", async () => {
      await refused("Unauthorized", () => send(setPaused(false, guardian.publicKey), [guardian]));
      await refused("Unauthorized", () => send(setPaused(true, governance.publicKey), [governance]));
    });

    it("test_set_authority_ok: hand-over to governance while paused; only the new authority unpauses and sets", async () => {
      expect(isPausedAt((await fetchConfig(world)).pause, await unixTimestamp(bank))).to.equal(true);
      await bank.programs.treasury.methods.setAuthority(governance.publicKey).accounts({ authority: bank.payer.publicKey }).rpc();
      // The old authority is now refused
      await refused("Unauthorized", () => send(setPaused(false, bank.payer.publicKey)));
      await refused("Unauthorized", () => send(setParams(TREASURY_DEFAULTS, bank.payer.publicKey)));
      // The new one unpauses, after which parameter changes are open again
      await send(setPaused(false, governance.publicKey), [governance]);
      expect(isPausedAt((await fetchConfig(world)).pause, await unixTimestamp(bank))).to.equal(false);
      await send(setParams(TREASURY_DEFAULTS, governance.publicKey), [governance]);
      expect((await fetchConfig(world)).authority.toBase58()).to.equal(governance.publicKey.toBase58());
    });

    it("test_set_authority_fails_when_signer_missing: MissingSigner", async () => {
      const ix = await bank.programs.treasury.methods.setAuthority(guardian.publicKey).accounts({ authority: governance.publicKey }).instruction();
      for (const meta of ix.keys) if (meta.pubkey.equals(governance.publicKey)) meta.isSigner = false;
      await refused("MissingSigner", () => send(ix));
    });
  });
});
