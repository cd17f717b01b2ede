/**
 * Genesis cannot be front-run: before the deployer initializes the four configs, a stranger
 * races to create them with his own mint and parameters. Only the programs' upgrade authority
 * (read from each program's ProgramData account) may initialize, so every attempt fails with a
 * named error and leaves every account as it was; the deployer then initializes normally.
 *
 * And MEDIA's supply is fixed at genesis: the SDK's supply steps mint the whole of it once into
 * the allocations of `GENESIS_ALLOCATIONS` and leave the mint with no authority, and refuse a
 * mint that has minted anything before.
 */
import { bn } from "../utils/constants";
import type { TransactionInstruction } from "@solana/web3.js";
import { Keypair, type PublicKey, Transaction } from "@solana/web3.js";
import { createMintToInstruction } from "@solana/spl-token";
import { expect } from "chai";
import {
  BANDWIDTH_DEFAULTS,
  GENESIS_ALLOCATIONS,
  GENESIS_SUPPLY,
  GOVERNANCE_DEFAULTS,
  GenesisSupplyError,
  STAKING_AND_REWARDS,
  allocationAccount,
  devGenesisAllocations,
  fundEmissionVaultStep,
  genesisConfigSteps,
  genesisSupplySteps,
  mintState,
  MEDIA_PROGRAMS,
  STAKING_DEFAULTS,
  BPF_LOADER_UPGRADEABLE_PROGRAM_ID,
  bandwidthConfigPda,
  governancePda,
  programDataPda,
  stakingConfigPda,
  stakingVaultPda,
  treasuryConfigPda,
  treasuryVaultAddress,
  upgradeableProgramAccounts,
} from "../../sdk/src";
import { emissionVaultPda } from "../../sdk/src/generated/media_staking";
import { createTreasuryVaultsInstructions } from "../../sdk/src/treasury";
import { expectProgramError, expectUnchanged, snapshot } from "../utils/assertions";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEPLOY_DIR, given } from "../utils/bank";
import { MEDIA } from "../utils/constants";
import { airdrop, createGenesisMint, createMint, createTokenAccount, mintTo, tokenBalance } from "../utils/token";
import { TREASURY_TEST_PARAMS } from "../utils/treasury";

type ConfigName = "staking" | "bandwidth" | "treasury" | "governance";

describe("economy: at genesis only the upgrade authority initializes the configs", () => {
  /** `initialize_config` of `program` signed by `authority`, with `programData` as given (default: resolved from the IDL). */
  async function initialize(
    program: ConfigName,
    authority: PublicKey,
    mints: { media: PublicKey; quote: PublicKey },
    programData?: PublicKey,
  ): Promise<TransactionInstruction> {
    const extra = programData ? { programData } : {};
    switch (program) {
      case "staking": {
        const s = STAKING_DEFAULTS;
        return cast.bank.programs.staking.methods
          .initializeConfig(bn(s.minStake), bn(s.unbondingPeriod), bn(s.quotaBytesPerMedia), bn(s.rewardDuration))
          .accounts({ authority, mediaMint: mints.media, ...extra })
          .instruction();
      }
      case "bandwidth": {
        const b = BANDWIDTH_DEFAULTS;
        return cast.bank.programs.bandwidth.methods
          .initializeConfig(b.protocolFeeBps, b.stakerShareBps, bn(b.quotaWindow), bn(b.disputeWindow), bn(b.activityWindow))
          .accountsPartial({ authority, stakingConfig: stakingConfigPda(), mediaMint: mints.media, quoteMint: mints.quote, ...extra })
          .instruction();
      }
      case "treasury": {
        const t = TREASURY_TEST_PARAMS;
        return cast.bank.programs.treasury.methods
          .initializeConfig(
            bn(t.auctionInterval),
            bn(t.auctionDuration),
            bn(t.maxLot),
            t.premiumBps,
            t.floorBps,
            t.minFillBps,
            t.minSoldBps,
            t.maxStepBps,
            bn(t.initialPrice),
          )
          .accounts({
            authority,
            mediaVault: treasuryVaultAddress(mints.media),
            quoteVault: treasuryVaultAddress(mints.quote),
            mediaMint: mints.media,
            quoteMint: mints.quote,
            ...extra,
          })
          .instruction();
      }
      case "governance": {
        const g = GOVERNANCE_DEFAULTS;
        return cast.bank.programs.governance.methods
          .initializeConfig(bn(g.votingPeriod), g.quorumBps, bn(g.proposalThreshold), bn(g.timelock), bn(g.executionWindow))
          .accounts({ authority, ...extra })
          .instruction();
      }
    }
  }

  const CONFIGS: Record<ConfigName, () => PublicKey> = {
    staking: stakingConfigPda,
    bandwidth: bandwidthConfigPda,
    treasury: treasuryConfigPda,
    governance: governancePda,
  };
  const PROGRAM_ID = (program: ConfigName) => MEDIA_PROGRAMS.find(({ name }) => name === `media_${program}`)!.programId;

  /** Sends `ix` signed by `signer`, expecting `error`, with every account it names unchanged. */
  async function expectRefused(ix: TransactionInstruction, signer: Keypair, error: string) {
    // The fee payer (the cast.bank's wallet) pays the fee whatever happens; everything else must stay.
    const before = await snapshot(
      cast.bank,
      ix.keys.map((k) => k.pubkey).filter((key) => !key.equals(cast.bank.payer.publicKey)),
    );
    await expectProgramError(cast.bank.provider.sendAndConfirm(new Transaction().add(ix), [signer]), error);
    await expectUnchanged(cast.bank, before);
  }

  const cast = given(async (bank) => {
    const stranger = Keypair.generate();
    await airdrop(bank, stranger.publicKey);
    const strangerMint = await createMint(bank, 6);
    const strangerQuote = await createMint(bank, 6);
    // The stranger prepares the treasury vaults for his mints (anyone may create an associated token account).
    await bank.provider.sendAndConfirm(new Transaction().add(...createTreasuryVaultsInstructions(stranger.publicKey, strangerMint, strangerQuote)), [stranger]);
    return { stranger, strangerMint, strangerQuote };
  });

  for (const program of ["staking", "treasury", "bandwidth", "governance"] as const) {
    it(`${program}'s initialize_config fails when signed by a stranger: NotUpgradeAuthority, nothing created`, async () => {
      const ix = await initialize(program, cast.stranger.publicKey, { media: cast.strangerMint, quote: cast.strangerQuote });
      await expectRefused(ix, cast.stranger, "NotUpgradeAuthority");
      expect(await cast.bank.runtime.getAccount(CONFIGS[program]())).to.equal(null);
    });
  }

  it("initialize_config fails when program data is another programs: InvalidPda", async () => {
    // The cast.stranger deploys a program of his own, so he is the upgrade authority of its ProgramData.
    const own = Keypair.generate().publicKey;
    const elf = readFileSync(join(DEPLOY_DIR, "media_staking.so"));
    for (const { address, ...account } of upgradeableProgramAccounts(own, elf, cast.stranger.publicKey)) await cast.bank.runtime.setAccount(address, account);
    const ix = await initialize("staking", cast.stranger.publicKey, { media: cast.strangerMint, quote: cast.strangerQuote }, programDataPda(own));
    await expectRefused(ix, cast.stranger, "InvalidPda");
  });

  it("initialize_config fails when program data is forged: InvalidAccountOwner", async () => {
    // The real ProgramData's bytes with the cast.stranger as authority, in an account the loader does not own.
    const real = (await cast.bank.runtime.getAccount(programDataPda(PROGRAM_ID("staking"))))!;
    const forged = Buffer.from(real.data);
    cast.stranger.publicKey.toBuffer().copy(forged, 13);
    const fake = Keypair.generate().publicKey;
    await cast.bank.runtime.setAccount(fake, { ...real, owner: cast.stranger.publicKey, data: forged });
    const ix = await initialize("staking", cast.stranger.publicKey, { media: cast.strangerMint, quote: cast.strangerQuote }, fake);
    await expectRefused(ix, cast.stranger, "InvalidAccountOwner");
  });

  it("initialize_config fails when the program is immutable: NotUpgradeAuthority even for the deployer", async () => {
    const programData = programDataPda(PROGRAM_ID("governance"));
    const original = (await cast.bank.runtime.getAccount(programData))!;
    const immutable = Buffer.from(original.data);
    immutable.fill(0, 12, 45); // upgrade_authority: None
    await cast.bank.runtime.setAccount(programData, { ...original, data: immutable });
    try {
      await expectRefused(
        await initialize("governance", cast.bank.payer.publicKey, { media: cast.strangerMint, quote: cast.strangerQuote }),
        cast.bank.payer,
        "NotUpgradeAuthority",
      );
    } finally {
      await cast.bank.runtime.setAccount(programData, original);
    }
    expect(original.owner.equals(BPF_LOADER_UPGRADEABLE_PROGRAM_ID)).to.equal(true);
  });

  it("initialize_config succeeds: the deployer, upgrade authority of all four programs, initializes every config", async () => {
    const deployer = cast.bank.payer.publicKey;
    const mediaMint = await createMint(cast.bank, 6);
    const quoteMint = await createMint(cast.bank, 6);
    await cast.bank.provider.sendAndConfirm(new Transaction().add(...createTreasuryVaultsInstructions(deployer, mediaMint, quoteMint)));
    for (const program of ["staking", "treasury", "bandwidth", "governance"] as const) {
      await cast.bank.provider.sendAndConfirm(new Transaction().add(await initialize(program, deployer, { media: mediaMint, quote: quoteMint })));
      expect((await cast.bank.runtime.getAccount(CONFIGS[program]()))?.owner.equals(PROGRAM_ID(program)), program).to.equal(true);
    }
    const staking = await cast.bank.programs.staking.account.stakingConfig.fetch(stakingConfigPda());
    expect(staking.authority.equals(deployer)).to.equal(true);
    expect(staking.mediaMint.equals(mediaMint)).to.equal(true);
    expect((await cast.bank.runtime.getAccount(stakingVaultPda())) !== null).to.equal(true);
  });
});

describe("economy: genesis mints MEDIA's fixed supply once into its allocations", () => {
  const cast = given(async (bank) => ({ mint: await createGenesisMint(bank) }));

  it("genesis allocations: 10,000,000 MEDIA, 2,000,000 of them Staking and Rewards for the emission vault, names unique", () => {
    expect(GENESIS_SUPPLY).to.equal(10_000_000n * MEDIA);
    expect(GENESIS_ALLOCATIONS.reduce((sum, a) => sum + a.amount, 0n)).to.equal(GENESIS_SUPPLY);
    expect(GENESIS_ALLOCATIONS.filter((a) => a.holder === "emission vault")).to.deep.equal([
      { name: STAKING_AND_REWARDS, amount: 2_000_000n * MEDIA, holder: "emission vault" },
    ]);
    expect(new Set(GENESIS_ALLOCATIONS.map((a) => a.name)).size).to.equal(GENESIS_ALLOCATIONS.length);
    // Development: the same Staking and Rewards, and a faucet with the rest
    expect(devGenesisAllocations().map((a) => [a.name, a.amount, a.holder])).to.deep.equal([
      [STAKING_AND_REWARDS, 2_000_000n * MEDIA, "emission vault"],
      ["Faucet", 8_000_000n * MEDIA, "faucet"],
    ]);
  });

  it("genesis supply succeeds on a fresh mint: every allocation in its named account, supply = genesis supply, mint authority none, then done", async () => {
    const { bank, mint } = cast;
    const steps = genesisSupplySteps(bank.clients, { mint });
    for (const step of steps) await step.send();
    const state = await mintState(bank.provider.connection, mint);
    expect(state.mintAuthority).to.equal(null);
    expect(state.supply).to.equal(GENESIS_SUPPLY);
    for (const allocation of GENESIS_ALLOCATIONS) {
      expect(await tokenBalance(bank, await allocationAccount(bank.payer.publicKey, mint, allocation)), allocation.name).to.equal(allocation.amount);
    }
    expect(await steps[1].done?.()).to.equal(true);
  });

  it("genesis rewards pool succeeds after the configs: Staking and Rewards moves by transfer into the emission vault, once", async () => {
    const { bank, mint } = cast;
    const quoteMint = await createMint(bank);
    for (const step of genesisConfigSteps(bank.clients, { mediaMint: mint, quoteMint, initialPrice: TREASURY_TEST_PARAMS.initialPrice })) await step.send();
    const funding = fundEmissionVaultStep(bank.clients, { mediaMint: mint });
    expect(await funding.done?.()).to.equal(false);
    await funding.send();
    const staged = await allocationAccount(bank.payer.publicKey, mint, GENESIS_ALLOCATIONS[0]);
    expect(await tokenBalance(bank, emissionVaultPda())).to.equal(2_000_000n * MEDIA);
    expect(await tokenBalance(bank, staged)).to.equal(0n);
    expect(await funding.done?.()).to.equal(true);
    // The supply did not move: a transfer
    expect((await mintState(bank.provider.connection, mint)).supply).to.equal(GENESIS_SUPPLY);
  });

  it("genesis supply fails when the mint has minted before: GenesisSupplyError says to start from a fresh mint, nothing sent", async () => {
    const { bank } = cast;
    const mint = await createGenesisMint(bank);
    const [create, mintSupply] = genesisSupplySteps(bank.clients, { mint });
    await create.send();
    // Someone mints 1 base unit before genesis does
    await bank.provider.sendAndConfirm(
      new Transaction().add(
        createMintToInstruction(mint, await allocationAccount(bank.payer.publicKey, mint, GENESIS_ALLOCATIONS[1]), bank.payer.publicKey, 1n),
      ),
    );
    const before = bank.provider.transactions.size;
    const refusal = await mintSupply.send().then(
      () => undefined,
      (error: Error) => error,
    );
    expect(refusal).to.be.instanceOf(GenesisSupplyError);
    expect(refusal?.message).to.match(/has minted 1 base units already.*start from a fresh mint/);
    expect(bank.provider.transactions.size).to.equal(before);
    expect((await mintState(bank.provider.connection, mint)).supply).to.equal(1n);
  });

  it("test mints are fixed supply too: no mint authority, and funding a wallet moves MEDIA from the faucet without changing the supply", async () => {
    const { bank } = cast;
    const mint = await createMint(bank);
    const supply = (await mintState(bank.provider.connection, mint)).supply;
    expect((await mintState(bank.provider.connection, mint)).mintAuthority).to.equal(null);
    const account = await createTokenAccount(bank, mint, Keypair.generate().publicKey);
    await mintTo(bank, mint, account, 25n * MEDIA);
    expect(await tokenBalance(bank, account)).to.equal(25n * MEDIA);
    expect((await mintState(bank.provider.connection, mint)).supply).to.equal(supply);
  });
});
