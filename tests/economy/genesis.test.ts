/**
 * Genesis cannot be front-run: before the deployer initializes the four configs, a stranger
 * races to create them with his own mint and parameters. Only the programs' upgrade authority
 * (read from each program's ProgramData account) may initialize, so every attempt fails with a
 * named error and leaves every account as it was; the deployer then initializes normally.
 */
import { bn } from "../utils/constants";
import type { TransactionInstruction } from "@solana/web3.js";
import { Keypair, type PublicKey, Transaction } from "@solana/web3.js";
import { expect } from "chai";
import {
  BANDWIDTH_DEFAULTS,
  GOVERNANCE_DEFAULTS,
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
import { createTreasuryVaultsInstructions } from "../../sdk/src/treasury";
import { expectProgramError, expectUnchanged, snapshot } from "../utils/assertions";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEPLOY_DIR, given } from "../utils/bank";
import { airdrop, createMint } from "../utils/token";
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
    const strangerMint = await createMint(bank, 6, stranger.publicKey);
    const strangerQuote = await createMint(bank, 6, stranger.publicKey);
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
