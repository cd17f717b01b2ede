/** `initialize_config` and the authority-only setters, with the pause switch's rules. */
import { Keypair } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import { BANDWIDTH_DEFAULTS, stakingConfigPda, isPausedAt } from "../../sdk/src";
import { type Bank, startBank, unixTimestamp } from "../utils/bank";
import { eventsOf, expectProgramError, expectUnchanged, snapshot } from "../utils/assertions";
import { type BandwidthWorld, setUpBandwidth } from "../utils/bandwidth";
import { airdrop } from "../utils/token";

describe("media_bandwidth: config", () => {
  let bank: Bank;
  let world: BandwidthWorld;
  const DAY = new BN(86_400);

  before(async () => {
    bank = await startBank();
    world = await setUpBandwidth(bank);
  });

  it("test_initialize_config_ok: defaults stored, and no copy of the treasury's vaults", async () => {
    const config = await bank.programs.bandwidth.account.bandwidthConfig.fetch(world.config);
    expect(config.protocolFeeBps).to.equal(1_000);
    expect(config.stakerShareBps).to.equal(5_000);
    expect(config.quotaWindow.toString()).to.equal("86400");
    expect(Object.keys(config).filter((field) => /vault/i.test(field))).to.deep.equal([]);
    expect(config.mediaMint.toBase58()).to.equal(world.mediaMint.toBase58());
    expect(isPausedAt(config.pause, await unixTimestamp(bank))).to.equal(false);
  });

  it("test_initialize_config_fails_when_initialized_twice: AlreadyInitialized", async () => {
    const before = await snapshot(bank, [world.config]);
    await expectProgramError(
      bank.programs.bandwidth.methods
        .initializeConfig(BANDWIDTH_DEFAULTS.protocolFeeBps, BANDWIDTH_DEFAULTS.stakerShareBps, DAY, DAY)
        .accounts({
          authority: bank.payer.publicKey,
          stakingConfig: stakingConfigPda(),
          mediaMint: world.mediaMint,
          quoteMint: world.quoteMint,
        })
        .rpc(),
      "AlreadyInitialized",
    );
    await expectUnchanged(bank, before);
  });

  it("test_set_parameters_ok and fails out of bounds or by a non-authority", async () => {
    const signature = await bank.programs.bandwidth.methods.setParameters(2_000, 2_500, DAY.muln(2), DAY).accounts({ authority: bank.payer.publicKey }).rpc();
    const [event] = eventsOf(bank, signature, bank.programs.bandwidth as never);
    expect(event.name).to.equal("parametersUpdated");
    expect(event.data.protocolFeeBps).to.equal(2_000);
    const before = await snapshot(bank, [world.config]);
    await expectProgramError(
      bank.programs.bandwidth.methods.setParameters(5_001, 5_000, DAY, DAY).accounts({ authority: bank.payer.publicKey }).rpc(),
      "ParameterOutOfBounds",
    );
    await expectProgramError(
      bank.programs.bandwidth.methods.setParameters(1_000, 5_000, new BN(59), DAY).accounts({ authority: bank.payer.publicKey }).rpc(),
      "ParameterOutOfBounds",
    );
    const stranger = Keypair.generate();
    await airdrop(bank, stranger.publicKey);
    await expectProgramError(
      bank.programs.bandwidth.methods.setParameters(1_000, 5_000, DAY, DAY).accounts({ authority: stranger.publicKey }).signers([stranger]).rpc(),
      "Unauthorized",
    );
    await expectUnchanged(bank, before);
    await bank.programs.bandwidth.methods.setParameters(1_000, 5_000, DAY, DAY).accounts({ authority: bank.payer.publicKey }).rpc();
  });

  it("test_set_treasury_vaults_is_gone: no instruction can point revenue at other vaults", () => {
    expect(bank.programs.bandwidth.idl.instructions.map((ix) => ix.name)).to.not.include("setTreasuryVaults");
  });

  it("test_set_paused: the pause authority pauses at once but cannot unpause; only the authority unpauses", async () => {
    const guardian = Keypair.generate();
    await airdrop(bank, guardian.publicKey);
    await bank.programs.bandwidth.methods.setPauseAuthority(guardian.publicKey).accounts({ authority: bank.payer.publicKey }).rpc();
    const setPaused = (paused: boolean, signer: Keypair) =>
      bank.programs.bandwidth.methods.setPaused(paused).accounts({ signer: signer.publicKey }).signers([signer]).rpc();
    await setPaused(true, guardian);
    expect(isPausedAt((await bank.programs.bandwidth.account.bandwidthConfig.fetch(world.config)).pause, await unixTimestamp(bank))).to.equal(true);
    const before = await snapshot(bank, [world.config]);
    await expectProgramError(setPaused(false, guardian), "Unauthorized");
    await expectUnchanged(bank, before);
    await setPaused(false, bank.payer);
    expect(isPausedAt((await bank.programs.bandwidth.account.bandwidthConfig.fetch(world.config)).pause, await unixTimestamp(bank))).to.equal(false);
  });

  it("test_set_authority: hand-over, after which the old authority is refused", async () => {
    const next = Keypair.generate();
    await airdrop(bank, next.publicKey);
    await bank.programs.bandwidth.methods.setAuthority(next.publicKey).accounts({ authority: bank.payer.publicKey }).rpc();
    await expectProgramError(
      bank.programs.bandwidth.methods.setAuthority(bank.payer.publicKey).accounts({ authority: bank.payer.publicKey }).rpc(),
      "Unauthorized",
    );
    await bank.programs.bandwidth.methods.setAuthority(bank.payer.publicKey).accounts({ authority: next.publicKey }).signers([next]).rpc();
    expect((await bank.programs.bandwidth.account.bandwidthConfig.fetch(world.config)).authority.toBase58()).to.equal(bank.payer.publicKey.toBase58());
  });

  it("test_set_parameters_fails_when_paused: ProgramPaused; the roles and the pause stay open", async () => {
    // Given the bandwidth program is paused
    const authority = bank.payer.publicKey;
    await bank.programs.bandwidth.methods.setPaused(true).accounts({ signer: authority }).rpc();
    // Then a parameter change is refused and changes nothing
    const before = await snapshot(bank, [world.config]);
    await expectProgramError(bank.programs.bandwidth.methods.setParameters(2_000, 5_000, DAY, DAY).accounts({ authority }).rpc(), "ProgramPaused");
    await expectUnchanged(bank, before);
    // But the authority can still replace the pause key and hand itself over, and unpause
    const guardian = Keypair.generate().publicKey;
    await bank.programs.bandwidth.methods.setPauseAuthority(guardian).accounts({ authority }).rpc();
    await bank.programs.bandwidth.methods.setAuthority(authority).accounts({ authority }).rpc();
    const config = await bank.programs.bandwidth.account.bandwidthConfig.fetch(world.config);
    expect(config.pauseAuthority.toBase58()).to.equal(guardian.toBase58());
    await bank.programs.bandwidth.methods.setPaused(false).accounts({ signer: authority }).rpc();
    await bank.programs.bandwidth.methods.setParameters(1_000, 5_000, DAY, DAY).accounts({ authority }).rpc();
    await bank.programs.bandwidth.methods.setPauseAuthority(authority).accounts({ authority }).rpc();
  });
});
