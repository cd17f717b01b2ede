/**
 * A dApp developer who deployed their own copy of the economy (`npm run keys:sync` gives the
 * programs other ids) points the SDK at it: `new MediaEconomy(provider, { programIds })`. Every
 * address the SDK derives (each program's PDAs, the other programs' accounts it passes, the
 * ProgramData of each config's initializer) must follow those ids; nothing may name the ids the
 * IDLs declare.
 *
 * The bank loads the repository's build at fresh ids: the build names the other programs by
 * their ids (bandwidth reads staking's config, staking derives governance's vote authority),
 * so each ELF gets those 32-byte constants replaced by the fresh ids, as `keys:sync` and a
 * rebuild would produce them (tests/deploy/fresh-ids.test.ts does the full rebuild). The
 * programs at the IDLs' ids are not loaded at all: anything still aimed at them fails.
 */
import { createAssociatedTokenAccountIdempotentInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Keypair, type PublicKey, Transaction } from "@solana/web3.js";
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BANDWIDTH_DEFAULTS,
  DEFAULT_MEDIA_PROGRAM_IDS,
  MEDIA_PROGRAMS,
  MediaEconomy,
  MediaProgramError,
  type MediaProgramIds,
  type ReceiptChannel,
  STAKING_DEFAULTS,
  createTreasuryVaultsInstructions,
  escrowPda,
  providerPda,
  stakeAccountPda,
  stakingConfigPda,
  treasuryVaultAddress,
} from "../../sdk/src";
import { type Bank, DEPLOY_DIR, GENESIS_UNIX_TIMESTAMP, runtimeName, warpSeconds } from "../utils/bank";
import { startTestBank } from "../../sdk/src/testing";
import { airdrop, createMint, createTokenAccount, mintTo, tokenBalance } from "../utils/token";
import { TEST_INITIAL_PRICE } from "../utils/treasury";

/** The build's ELFs with every program id it names moved to `ids`, written to a fresh directory. */
function buildAt(ids: MediaProgramIds): string {
  const dir = mkdtempSync(join(tmpdir(), "media-custom-ids-"));
  for (const { name } of MEDIA_PROGRAMS) {
    const elf = readFileSync(join(DEPLOY_DIR, `${name}.so`));
    for (const program of Object.keys(ids) as (keyof MediaProgramIds)[]) {
      const from = DEFAULT_MEDIA_PROGRAM_IDS[program].toBuffer();
      for (let at = elf.indexOf(from); at >= 0; at = elf.indexOf(from, at + 32)) ids[program].toBuffer().copy(elf, at);
    }
    writeFileSync(join(dir, `${name}.so`), elf);
  }
  return dir;
}

/** A bank with the four programs at `ids` only, and a `MediaEconomy` aimed at them. */
async function bankAt(ids: MediaProgramIds): Promise<Bank> {
  const dir = buildAt(ids);
  try {
    const bank = await startTestBank({ runtime: runtimeName(), programsDir: dir, programIds: ids, startTime: GENESIS_UNIX_TIMESTAMP });
    return { ...bank, clients: bank.economy, programs: bank.economy.programs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("sdk: an economy deployed at custom program ids", () => {
  const ids: MediaProgramIds = {
    staking: Keypair.generate().publicKey,
    bandwidth: Keypair.generate().publicKey,
    treasury: Keypair.generate().publicKey,
    governance: Keypair.generate().publicKey,
  };
  const operator = Keypair.generate();
  const consumer = Keypair.generate();
  let bank: Bank;
  let media: PublicKey;
  let quote: PublicKey;

  before(async () => {
    bank = await bankAt(ids);
    media = await createMint(bank, 6);
    quote = await createMint(bank, 6);
  });

  it("MediaEconomy with custom ids succeeds: its programs and every derived address follow the ids", () => {
    const economy = bank.clients;
    expect(economy.programIds).to.deep.equal(ids);
    expect(economy.staking.programId.equals(ids.staking)).to.equal(true);
    expect(economy.bandwidth.staking.programId.equals(ids.staking)).to.equal(true);
    expect(economy.staking.configAddress().equals(stakingConfigPda(ids.staking))).to.equal(true);
    expect(economy.staking.configAddress().equals(stakingConfigPda())).to.equal(false);
    expect(economy.bandwidth.providerAddress(operator.publicKey).equals(providerPda(operator.publicKey, ids.bandwidth))).to.equal(true);
    // A partial set keeps the others at the IDLs' ids.
    const partial = new MediaEconomy(bank.provider, { programIds: { treasury: ids.treasury } });
    expect(partial.programIds.treasury.equals(ids.treasury)).to.equal(true);
    expect(partial.programIds.staking.equals(DEFAULT_MEDIA_PROGRAM_IDS.staking)).to.equal(true);
  });

  it("genesis at custom ids succeeds: staking, treasury and bandwidth configs initialize through the SDK", async () => {
    const { staking, treasury, bandwidth } = bank.clients;
    await staking.initializeConfig(media, STAKING_DEFAULTS);
    // The rewards pool: an Edge operator's pool (opened with its registration) needs it
    await staking.initializeRewardsPool(STAKING_DEFAULTS);
    await bank.provider.sendAndConfirm(new Transaction().add(...createTreasuryVaultsInstructions(bank.payer.publicKey, media, quote, ids.treasury)));
    await treasury.initializeConfig({ mediaMint: media, quoteMint: quote }, TEST_INITIAL_PRICE);
    await bandwidth.initializeConfig({ mediaMint: media, quoteMint: quote }, { ...BANDWIDTH_DEFAULTS, protocolFeeBps: 500 });
    const config = await bandwidth.fetchConfig();
    expect(config.protocolFeeBps).to.equal(500);
    expect((await treasury.fetchConfig()).mediaVault.equals(treasuryVaultAddress(media, ids.treasury))).to.equal(true);
  });

  it("staking, an escrow and a receipt at custom ids succeed: the Edge operator is paid, the consumer refunded", async () => {
    const { staking, bandwidth } = bank.clients;
    // Given an Edge operator staking the minimum and a consumer holding MEDIA
    const minStake = BigInt(STAKING_DEFAULTS.minStake.toString());
    for (const wallet of [operator, consumer]) {
      await airdrop(bank, wallet.publicKey);
      const ata = getAssociatedTokenAddressSync(media, wallet.publicKey);
      await bank.provider.sendAndConfirm(
        new Transaction().add(createAssociatedTokenAccountIdempotentInstruction(bank.payer.publicKey, ata, wallet.publicKey, media)),
      );
      await mintTo(bank, media, ata, 10n * minStake);
    }
    await staking.stake(minStake, { signer: operator });
    expect((await staking.position(operator.publicKey))?.active).to.equal(minStake);
    expect(staking.stakeAccountAddress(operator.publicKey).equals(stakeAccountPda(operator.publicKey, ids.staking))).to.equal(true);
    await bandwidth.registerProvider({ media: 1_000_000n, quote: 1n }, { signer: operator });

    // When the consumer opens an escrow, deposits, and pays for a GiB with a signed receipt
    const consumerMedia = getAssociatedTokenAddressSync(media, consumer.publicKey);
    const escrow = await bandwidth.openEscrow(operator.publicKey, media, { signer: consumer });
    expect(escrow.equals(escrowPda(consumer.publicKey, providerPda(operator.publicKey, ids.bandwidth), media, ids.bandwidth))).to.equal(true);
    await bandwidth.deposit(escrow, 5_000_000n, consumerMedia, { signer: consumer });
    const channel: ReceiptChannel = await bandwidth.receiptChannel(escrow, consumer);
    const receipt = await channel.pay(1n << 30n);
    const operatorMedia = await createTokenAccount(bank, media, operator.publicKey);
    await bandwidth.settleChannel(
      channel,
      { providerTokenAccount: operatorMedia, treasuryVault: treasuryVaultAddress(media, ids.treasury) },
      { signer: operator },
    );

    // Then the operator has the price less the 5% protocol fee, and the rest is refunded on close
    expect(receipt.cumulativeAmount).to.equal(1_000_000n);
    expect(await tokenBalance(bank, operatorMedia)).to.equal(950_000n);
    await bandwidth.requestClose(escrow, { signer: consumer });
    await warpSeconds(bank, BigInt(BANDWIDTH_DEFAULTS.disputeWindow.toString()) + 1n);
    const before = await tokenBalance(bank, consumerMedia);
    await bandwidth.closeEscrow(escrow, consumerMedia, { signer: consumer });
    expect((await tokenBalance(bank, consumerMedia)) - before).to.equal(4_000_000n);
  });

  it("request_unstake past the stake fails at custom ids: MediaProgramError names media_staking", async () => {
    let caught: unknown;
    await bank.clients.staking.requestUnstake(1_000n * BigInt(STAKING_DEFAULTS.minStake), { signer: operator }).catch((error: unknown) => {
      caught = error;
    });
    expect(caught, String(caught)).to.be.instanceOf(MediaProgramError);
    expect((caught as MediaProgramError).program).to.equal("media_staking");
    expect((caught as MediaProgramError).errorName).to.equal("InsufficientActiveStake");
  });

  it("the IDLs' own ids are absent from this bank: nothing the SDK sent went to them", async () => {
    for (const id of Object.values(DEFAULT_MEDIA_PROGRAM_IDS)) expect(await bank.provider.connection.getAccountInfo(id)).to.equal(null);
  });
});
