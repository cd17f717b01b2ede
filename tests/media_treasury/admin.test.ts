/**
 * Administration: `initialize_config` (and its hostile inputs), parameter setters with
 * bounds, authority hand-over, and the pause switch.
 */
import { Keypair, type PublicKey, type Signer, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import { TREASURY_BOUNDS, TREASURY_DEFAULTS, type TreasuryAuctionParams, treasuryConfigPda, isPausedAt } from "../../sdk/src";
import { unixTimestamp, given } from "../utils/bank";
import { eventsOf, expectProgramError, expectUnchanged, snapshot, expectRefused } from "../utils/assertions";
import {
  TEST_INITIAL_PRICE,
  TREASURY_TEST_PARAMS,
  type TreasuryParams,
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
import { MEDIA, QUOTE, bn } from "../utils/constants";

const big = (value: { toString(): string }) => BigInt(value.toString());

describe("media_treasury: administration", () => {
  describe("initialize_config on a fresh program", () => {
    const send = async (ix: Promise<TransactionInstruction> | TransactionInstruction, signers: Signer[] = []) => sendInstruction(cast.bank, await ix, signers);
    async function refused(error: string, attack: () => Promise<unknown>, touched: PublicKey[] = []) {
      const before = await snapshot(cast.bank, [treasuryConfigPda(), cast.accounts.mediaVault, cast.accounts.quoteVault, ...touched]);
      await expectProgramError(attack(), error);
      await expectUnchanged(cast.bank, before);
    }

    const cast = given(async (bank) => {
      const accounts = await treasuryMintsAndVaults(bank);
      return { accounts };
    });

    it("initialize_config fails when config is not the pda: InvalidPda", async () => {
      await refused("InvalidPda", async () => send(withAccount(await initializeIx(cast.bank, cast.accounts), 1, Keypair.generate().publicKey)));
    });

    it("initialize_config fails when parameters out of bounds: ParameterOutOfBounds", async () => {
      const out: Partial<TreasuryParams>[] = [
        { auctionInterval: TREASURY_BOUNDS.auctionInterval[0] - 1n },
        { auctionDuration: 2n * 24n * 3600n }, // longer than the interval
        { maxLot: TREASURY_BOUNDS.maxLot[0] - 1n },
        { initialPrice: TREASURY_BOUNDS.price[0] - 1n },
        { initialPrice: TREASURY_BOUNDS.price[1] + 1n },
        { premiumBps: TREASURY_BOUNDS.premiumBps[0] - 1 }, // a start too close to the reference to absorb a step
        { premiumBps: TREASURY_BOUNDS.premiumBps[1] + 1 },
        { floorBps: TREASURY_BOUNDS.floorBps[0] - 1 },
        { floorBps: TREASURY_BOUNDS.floorBps[1] + 1 }, // a floor too close to the reference to absorb a step
        { minFillBps: TREASURY_BOUNDS.minFillBps[0] - 1 },
        { minFillBps: TREASURY_BOUNDS.minFillBps[1] + 1 },
        { minSoldBps: TREASURY_BOUNDS.minSoldBps[0] - 1 },
        { minSoldBps: TREASURY_BOUNDS.minSoldBps[1] + 1 },
        { maxStepBps: TREASURY_BOUNDS.maxStepBps[0] - 1 },
        { maxStepBps: TREASURY_BOUNDS.maxStepBps[1] + 1 },
      ];
      for (const change of out) {
        await refused("ParameterOutOfBounds", () => send(initializeIx(cast.bank, cast.accounts, { ...TREASURY_TEST_PARAMS, ...change })));
      }
    });

    it("initialize_config fails when same mint twice: DuplicateAccount", async () => {
      await refused("DuplicateAccount", async () => send(withAccount(await initializeIx(cast.bank, cast.accounts), 5, cast.accounts.mediaMint)));
    });

    it("initialize_config fails when vault not owned by config: TokenAccountOwnerMismatch", async () => {
      const mine = await createTokenAccount(cast.bank, cast.accounts.mediaMint, cast.bank.payer.publicKey);
      await refused("TokenAccountOwnerMismatch", async () => send(withAccount(await initializeIx(cast.bank, cast.accounts), 2, mine)));
    });

    it("initialize_config fails when vault of wrong mint: InvalidMint", async () => {
      await refused("InvalidMint", async () => send(withAccount(await initializeIx(cast.bank, cast.accounts), 2, cast.accounts.quoteVault)));
    });

    it("initialize_config fails when vault has a close authority: TokenAccountClosable", async () => {
      // The preparer keeps the power to close a fee vault it then hands to the config: once
      // burn_fees empties it, it could close it and re-create it as its own account.
      const trap = await closableTokenAccount(cast.bank, cast.accounts.mediaMint, cast.bank.payer, treasuryConfigPda());
      await refused("TokenAccountClosable", async () => send(withAccount(await initializeIx(cast.bank, cast.accounts), 2, trap)), [trap]);
    });

    it("initialize_config fails when vault has a delegate: TokenAccountDelegated", async () => {
      // SPL Token clears the delegate when an account changes hands, and only the config could
      // approve one, so this state is written directly: the program must not rely on how the
      // account came to be.
      const vault = await cast.bank.runtime.getAccount(cast.accounts.quoteVault);
      if (!vault) throw new Error("no quote vault");
      await cast.bank.runtime.setAccount(cast.accounts.quoteVault, { ...vault, data: withDelegate(vault.data, Keypair.generate().publicKey, 1n) });
      await refused("TokenAccountDelegated", () => send(initializeIx(cast.bank, cast.accounts)));
      await cast.bank.runtime.setAccount(cast.accounts.quoteVault, vault);
    });

    it("initialize_config fails when vault is not the configs associated token account: InvalidVault", async () => {
      // Owned by the config, of the right mint, clean: but not the address everyone derives
      const lookalike = await createTokenAccount(cast.bank, cast.accounts.mediaMint, treasuryConfigPda());
      await refused("InvalidVault", async () => send(withAccount(await initializeIx(cast.bank, cast.accounts), 2, lookalike)), [lookalike]);
    });

    it("initialize_config fails when truncated or oversized data: InvalidInstructionData", async () => {
      await refused("InvalidInstructionData", async () => {
        const ix = await initializeIx(cast.bank, cast.accounts);
        return send(withArgs(ix, ix.data.subarray(8, 30)));
      });
      await refused("InvalidInstructionData", async () => {
        const ix = await initializeIx(cast.bank, cast.accounts);
        return send(withArgs(ix, Buffer.concat([ix.data.subarray(8), Buffer.alloc(1)])));
      });
    });

    it("initialize_config succeeds: records mints, vaults and parameters; emits ConfigInitialized, ConfigUpdated and ParametersUpdated", async () => {
      const signature = await send(initializeIx(cast.bank, cast.accounts));
      const config = await cast.bank.programs.treasury.account.treasuryConfig.fetch(treasuryConfigPda());
      expect(config.authority.toBase58()).to.equal(cast.bank.payer.publicKey.toBase58());
      expect(config.pauseAuthority.toBase58()).to.equal(cast.bank.payer.publicKey.toBase58());
      expect(config.mediaVault.toBase58()).to.equal(cast.accounts.mediaVault.toBase58());
      expect(config.quoteVault.toBase58()).to.equal(cast.accounts.quoteVault.toBase58());
      expect(big(config.referencePrice)).to.equal(TEST_INITIAL_PRICE);
      expect(config.floorBps).to.equal(TREASURY_DEFAULTS.floorBps);
      expect(config.maxStepBps).to.equal(TREASURY_DEFAULTS.maxStepBps);
      expect(isPausedAt(config.pause, await unixTimestamp(cast.bank))).to.equal(false);
      const [initialized, roles, parameters] = eventsOf(cast.bank, signature, cast.bank.programs.treasury as never);
      // The mints and vaults are the instruction's accounts: the log names none, the SDK reads them back
      expect([initialized.name, Object.keys(initialized.data)]).to.deep.equal(["configInitialized", []]);
      const [initializedWhole] = await cast.bank.clients.transactionEvents(signature);
      expect(String(initializedWhole.data.mediaMint)).to.equal(cast.accounts.mediaMint.toBase58());
      expect(String(initializedWhole.data.quoteVault)).to.equal(cast.accounts.quoteVault.toBase58());
      expect(roles.name).to.equal("configUpdated");
      expect(roles.data.authority.toBase58()).to.equal(cast.bank.payer.publicKey.toBase58());
      expect(parameters.name).to.equal("parametersUpdated");
      expect(big(parameters.data.maxLot)).to.equal(big(TREASURY_DEFAULTS.maxLot));
      expect(big(parameters.data.referencePrice)).to.equal(TEST_INITIAL_PRICE);
    });

    it("initialize_config fails when reinitialized: AlreadyInitialized", async () => {
      await refused("AlreadyInitialized", () => send(initializeIx(cast.bank, cast.accounts)));
    });
  });

  describe("setters and the pause switch", () => {
    const setParams = (p: TreasuryAuctionParams, authority: PublicKey) =>
      cast.bank.programs.treasury.methods
        .setAuctionParams(bn(p.auctionInterval), bn(p.auctionDuration), bn(p.maxLot), p.premiumBps, p.floorBps, p.minFillBps, p.minSoldBps, p.maxStepBps)
        .accounts({ authority })
        .instruction();
    const setPaused = (paused: boolean, signer: PublicKey) => cast.bank.programs.treasury.methods.setPaused(paused).accounts({ signer }).instruction();
    const send = async (ix: Promise<TransactionInstruction> | TransactionInstruction, signers: Signer[] = []) => sendInstruction(cast.bank, await ix, signers);
    const refused = (error: string, attack: () => Promise<unknown>, touched: PublicKey[] = [cast.world.config]) =>
      expectRefused(cast.bank, touched, error, attack);

    const cast = given(async (bank) => {
      const world = await setUpTreasury(bank);
      const guardian = Keypair.generate();
      const governance = Keypair.generate();
      await airdrop(bank, governance.publicKey);
      return { world, guardian, governance };
    });

    it("set_auction_params succeeds: the authority sets bounded parameters; ParametersUpdated", async () => {
      const params = { ...TREASURY_DEFAULTS, maxLot: 5_000n * QUOTE, premiumBps: 5_000, minSoldBps: 7_500, maxStepBps: 1_000 };
      const signature = await send(setParams(params, cast.bank.payer.publicKey));
      const config = await fetchConfig(cast.world);
      expect(big(config.maxLot)).to.equal(5_000n * QUOTE);
      expect(config.premiumBps).to.equal(5_000);
      expect(config.minSoldBps).to.equal(7_500);
      expect(config.maxStepBps).to.equal(1_000);
      // The reference price is not a parameter: setting the parameters leaves it as it was
      expect(big(config.referencePrice)).to.equal(TEST_INITIAL_PRICE);
      const [event] = eventsOf(cast.bank, signature, cast.bank.programs.treasury as never);
      expect(event.name).to.equal("parametersUpdated");
      expect(event.data.premiumBps).to.equal(5_000);
      expect(event.data.maxStepBps).to.equal(1_000);
      expect(big(event.data.referencePrice)).to.equal(TEST_INITIAL_PRICE);
    });

    it("set_auction_params fails when out of bounds: ParameterOutOfBounds", async () => {
      await refused("ParameterOutOfBounds", () => send(setParams({ ...TREASURY_DEFAULTS, auctionInterval: -1n }, cast.bank.payer.publicKey)));
      await refused("ParameterOutOfBounds", () =>
        send(setParams({ ...TREASURY_DEFAULTS, floorBps: TREASURY_BOUNDS.floorBps[1] + 1 }, cast.bank.payer.publicKey)),
      );
      await refused("ParameterOutOfBounds", () =>
        send(setParams({ ...TREASURY_DEFAULTS, maxStepBps: TREASURY_BOUNDS.maxStepBps[1] + 1 }, cast.bank.payer.publicKey)),
      );
    });

    it("set_auction_params fails when not authority: Unauthorized", async () => {
      await refused("Unauthorized", () => send(setParams(TREASURY_DEFAULTS, cast.governance.publicKey), [cast.governance]));
    });

    it("set_pause_authority succeeds and fails when not authority: Unauthorized", async () => {
      await refused("Unauthorized", () =>
        send(cast.bank.clients.treasury.setPauseAuthorityInstruction(cast.guardian.publicKey, cast.governance.publicKey), [cast.governance]),
      );
      const signature = await cast.bank.clients.treasury.setPauseAuthority(cast.guardian.publicKey);
      expect((await fetchConfig(cast.world)).pauseAuthority.toBase58()).to.equal(cast.guardian.publicKey.toBase58());
      // The event names only the role that changed; the new key is the instruction's argument
      const events = eventsOf(cast.bank, signature, cast.bank.programs.treasury as never);
      expect(events.map((event) => [event.name, Object.keys(event.data)])).to.deep.equal([["pauseAuthoritySet", []]]);
      const whole = await cast.bank.clients.transactionEvents(signature);
      expect(whole.map((event) => [event.name, String(event.data.pauseAuthority)])).to.deep.equal([["pauseAuthoritySet", cast.guardian.publicKey.toBase58()]]);
    });

    it("set_paused succeeds: the pause authority pauses; cranks, takes, spends and parameter changes are refused", async () => {
      await receiveFees(cast.world, 10n * MEDIA, 100n * QUOTE);
      const taker = await newTaker(cast.world, 100_000n * MEDIA);
      await startAuction(cast.world);
      // When the cast.guardian pauses
      const pausing = await send(setPaused(true, cast.guardian.publicKey), [cast.guardian]);
      const { pause } = await fetchConfig(cast.world);
      expect(isPausedAt(pause, await unixTimestamp(cast.bank))).to.equal(true);
      const [pauseEvent] = eventsOf(cast.bank, pausing, cast.bank.programs.treasury as never);
      expect(pauseEvent.name).to.equal("pauseSet");
      expect(big(pauseEvent.data.pausedUntil)).to.equal(big(pause.pausedUntil));
      // Then burn_fees, start_auction and take are refused and change nothing
      const touched = [cast.world.config, cast.world.mediaVault, cast.world.quoteVault, cast.world.mediaMint, taker.mediaAccount, taker.quoteAccount];
      await refused("ProgramPaused", () => burnFees(cast.world), touched);
      await refused("ProgramPaused", () => startAuction(cast.world), touched);
      await refused("ProgramPaused", () => take(cast.world, taker, QUOTE, 1_000n * MEDIA), touched);
      // and so are the authority's spend and parameter changes: a paused program moves no funds
      const grantee = await createTokenAccount(cast.bank, cast.world.mediaMint, taker.wallet.publicKey);
      await refused(
        "ProgramPaused",
        () =>
          cast.bank.programs.treasury.methods
            .spend(new BN((10n * MEDIA).toString()))
            .accounts({ authority: cast.bank.payer.publicKey, vault: cast.world.mediaVault, destination: grantee })
            .rpc(),
        [...touched, grantee],
      );
      await refused("ProgramPaused", () => send(setParams(TREASURY_DEFAULTS, cast.bank.payer.publicKey)));
      await refused("ProgramPaused", () => send(setReferencePriceIx(cast.world, TEST_INITIAL_PRICE)));
    });

    it("set_pause_authority succeeds while paused: a rogue pause key can be replaced during its pause", async () => {
      expect(isPausedAt((await fetchConfig(cast.world)).pause, await unixTimestamp(cast.bank))).to.equal(true);
      const replacement = Keypair.generate().publicKey;
      await cast.bank.clients.treasury.setPauseAuthority(replacement);
      expect((await fetchConfig(cast.world)).pauseAuthority.toBase58()).to.equal(replacement.toBase58());
      await cast.bank.clients.treasury.setPauseAuthority(cast.guardian.publicKey);
    });

    it("set_paused fails when pause authority unpauses: Unauthorized", async () => {
      await refused("Unauthorized", () => send(setPaused(false, cast.guardian.publicKey), [cast.guardian]));
      await refused("Unauthorized", () => send(setPaused(true, cast.governance.publicKey), [cast.governance]));
    });

    it("set_authority succeeds: hand-over to cast.governance while paused; only the new authority unpauses and sets", async () => {
      expect(isPausedAt((await fetchConfig(cast.world)).pause, await unixTimestamp(cast.bank))).to.equal(true);
      const handOver = await cast.bank.clients.treasury.setAuthority(cast.governance.publicKey);
      const [event] = eventsOf(cast.bank, handOver, cast.bank.programs.treasury as never);
      expect([event.name, Object.keys(event.data)]).to.deep.equal(["authoritySet", []]);
      const [whole] = await cast.bank.clients.transactionEvents(handOver);
      expect(String(whole.data.authority)).to.equal(cast.governance.publicKey.toBase58());
      // The old authority is now refused
      await refused("Unauthorized", () => send(setPaused(false, cast.bank.payer.publicKey)));
      await refused("Unauthorized", () => send(setParams(TREASURY_DEFAULTS, cast.bank.payer.publicKey)));
      // The new one unpauses, after which parameter changes are open again
      await send(setPaused(false, cast.governance.publicKey), [cast.governance]);
      expect(isPausedAt((await fetchConfig(cast.world)).pause, await unixTimestamp(cast.bank))).to.equal(false);
      await send(setParams(TREASURY_DEFAULTS, cast.governance.publicKey), [cast.governance]);
      expect((await fetchConfig(cast.world)).authority.toBase58()).to.equal(cast.governance.publicKey.toBase58());
    });

    it("set_authority fails when signer missing: MissingSigner", async () => {
      const ix = await cast.bank.clients.treasury.setAuthorityInstruction(cast.guardian.publicKey, cast.governance.publicKey);
      for (const meta of ix.keys) if (meta.pubkey.equals(cast.governance.publicKey)) meta.isSigner = false;
      await refused("MissingSigner", () => send(ix));
    });
  });
});
