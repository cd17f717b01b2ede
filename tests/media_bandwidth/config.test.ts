/** `initialize_config` and the authority-only setters, with the pause switch's rules. */
import { Keypair } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import { BANDWIDTH_BOUNDS, BANDWIDTH_DEFAULTS, stakingConfigPda, isPausedAt } from "../../sdk/src";
import { given, startBank, unixTimestamp } from "../utils/bank";
import { eventsOf, expectProgramError, expectUnchanged, snapshot, expectRefused } from "../utils/assertions";
import { setUpBandwidth } from "../utils/bandwidth";
import { setUpStaking } from "../utils/staking";
import { airdrop, createMint } from "../utils/token";
import { initializeTreasury } from "../utils/treasury";
import { DAY as DAY_SECONDS } from "../utils/constants";

describe("media_bandwidth: config", () => {
  const DAY = new BN(DAY_SECONDS);

  const cast = given(async (bank) => {
    const world = await setUpBandwidth(bank);
    return { world };
  });

  it("initialize_config succeeds: defaults stored, and no copy of the treasury's vaults", async () => {
    const config = await cast.bank.programs.bandwidth.account.bandwidthConfig.fetch(cast.world.config);
    expect(config.protocolFeeBps).to.equal(BANDWIDTH_DEFAULTS.protocolFeeBps);
    expect(config.stakerShareBps).to.equal(BANDWIDTH_DEFAULTS.stakerShareBps);
    expect(config.quotaWindow.toString()).to.equal(BANDWIDTH_DEFAULTS.quotaWindow.toString());
    expect(Object.keys(config).filter((field) => /vault/i.test(field))).to.deep.equal([]);
    expect(config.mediaMint.toBase58()).to.equal(cast.world.mediaMint.toBase58());
    expect(config.activityWindow.toString()).to.equal(BANDWIDTH_DEFAULTS.activityWindow.toString());
    expect(isPausedAt(config.pause, await unixTimestamp(cast.bank))).to.equal(false);
  });

  it("initialize_config fails when initialized twice: AlreadyInitialized", async () => {
    const before = await snapshot(cast.bank, [cast.world.config]);
    await expectProgramError(
      cast.bank.programs.bandwidth.methods
        .initializeConfig(BANDWIDTH_DEFAULTS.protocolFeeBps, BANDWIDTH_DEFAULTS.stakerShareBps, DAY, DAY, DAY)
        .accountsPartial({
          authority: cast.bank.payer.publicKey,
          stakingConfig: stakingConfigPda(),
          mediaMint: cast.world.mediaMint,
          quoteMint: cast.world.quoteMint,
        })
        .rpc(),
      "AlreadyInitialized",
    );
    await expectUnchanged(cast.bank, before);
  });

  it("set_parameters succeeds and fails out of bounds or by a non-authority", async () => {
    const signature = await cast.bank.programs.bandwidth.methods
      .setParameters(2_000, 2_500, DAY.muln(2), DAY)
      .accounts({ authority: cast.bank.payer.publicKey })
      .rpc();
    const [event] = eventsOf(cast.bank, signature, cast.bank.programs.bandwidth as never);
    expect(event.name).to.equal("parametersUpdated");
    expect(event.data.protocolFeeBps).to.equal(2_000);
    const before = await snapshot(cast.bank, [cast.world.config]);
    await expectProgramError(
      cast.bank.programs.bandwidth.methods
        .setParameters(BANDWIDTH_BOUNDS.protocolFeeBps[1] + 1, 5_000, DAY, DAY)
        .accounts({ authority: cast.bank.payer.publicKey })
        .rpc(),
      "ParameterOutOfBounds",
    );
    await expectProgramError(
      cast.bank.programs.bandwidth.methods.setParameters(1_000, 5_000, new BN(59), DAY).accounts({ authority: cast.bank.payer.publicKey }).rpc(),
      "ParameterOutOfBounds",
    );
    const stranger = Keypair.generate();
    await airdrop(cast.bank, stranger.publicKey);
    await expectProgramError(
      cast.bank.programs.bandwidth.methods.setParameters(1_000, 5_000, DAY, DAY).accounts({ authority: stranger.publicKey }).signers([stranger]).rpc(),
      "Unauthorized",
    );
    await expectUnchanged(cast.bank, before);
    await cast.bank.programs.bandwidth.methods.setParameters(1_000, 5_000, DAY, DAY).accounts({ authority: cast.bank.payer.publicKey }).rpc();
  });

  it("set_activity_window succeeds within its bounds: ParametersUpdated reports every parameter", async () => {
    const [low, high] = BANDWIDTH_BOUNDS.activityWindow.map((bound) => BigInt(bound.toString()));
    for (const window of [low, high, BigInt(BANDWIDTH_DEFAULTS.activityWindow.toString())]) {
      const signature = await cast.bank.clients.bandwidth.setActivityWindow(window);
      const [event] = eventsOf(cast.bank, signature, cast.bank.programs.bandwidth as never);
      expect(event.name).to.equal("parametersUpdated");
      expect(event.data.activityWindow.toString()).to.equal(window.toString());
      expect(event.data.protocolFeeBps).to.equal(BANDWIDTH_DEFAULTS.protocolFeeBps);
      expect(event.data.quotaWindow.toString()).to.equal(BANDWIDTH_DEFAULTS.quotaWindow.toString());
      const config = await cast.bank.clients.bandwidth.fetchConfig();
      expect(config.activityWindow).to.equal(window);
    }
  });

  it("initialize_config fails when the activity window is out of bounds: ParameterOutOfBounds", async () => {
    // A world with staking and the treasury, and no bandwidth config yet
    const bank = await startBank();
    const staking = await setUpStaking(bank);
    const quoteMint = await createMint(bank, 6);
    await initializeTreasury(bank, { mediaMint: staking.mediaMint, quoteMint });
    const mints = { mediaMint: staking.mediaMint, quoteMint };
    const [low, high] = BANDWIDTH_BOUNDS.activityWindow.map((bound) => BigInt(bound.toString()));
    for (const activityWindow of [low - 1n, high + 1n]) {
      await expectRefused(bank, [cast.world.config], "ParameterOutOfBounds", () =>
        bank.clients.bandwidth.initializeConfig(mints, { ...BANDWIDTH_DEFAULTS, activityWindow }),
      );
    }
    await bank.clients.bandwidth.initializeConfig(mints, { ...BANDWIDTH_DEFAULTS, activityWindow: high });
    expect((await bank.clients.bandwidth.fetchConfig()).activityWindow).to.equal(high);
  });

  it("set treasury vaults is gone: no instruction can point revenue at other vaults", () => {
    expect(cast.bank.programs.bandwidth.idl.instructions.map((ix) => ix.name)).to.not.include("setTreasuryVaults");
  });

  it("set_paused: the pause authority pauses at once but cannot unpause; only the authority unpauses", async () => {
    const guardian = Keypair.generate();
    await airdrop(cast.bank, guardian.publicKey);
    await cast.bank.clients.bandwidth.setPauseAuthority(guardian.publicKey);
    const setPaused = (paused: boolean, signer: Keypair) => cast.bank.clients.bandwidth.setPaused(paused, { signer: signer });
    await setPaused(true, guardian);
    expect(isPausedAt((await cast.bank.programs.bandwidth.account.bandwidthConfig.fetch(cast.world.config)).pause, await unixTimestamp(cast.bank))).to.equal(
      true,
    );
    await expectRefused(cast.bank, [cast.world.config], "Unauthorized", () => setPaused(false, guardian));
    await setPaused(false, cast.bank.payer);
    expect(isPausedAt((await cast.bank.programs.bandwidth.account.bandwidthConfig.fetch(cast.world.config)).pause, await unixTimestamp(cast.bank))).to.equal(
      false,
    );
  });

  it("set_authority: hand-over, after which the old authority is refused", async () => {
    const next = Keypair.generate();
    await airdrop(cast.bank, next.publicKey);
    await cast.bank.clients.bandwidth.setAuthority(next.publicKey);
    await expectProgramError(cast.bank.clients.bandwidth.setAuthority(cast.bank.payer.publicKey), "Unauthorized");
    await cast.bank.clients.bandwidth.setAuthority(cast.bank.payer.publicKey, { signer: next });
    expect((await cast.bank.programs.bandwidth.account.bandwidthConfig.fetch(cast.world.config)).authority.toBase58()).to.equal(
      cast.bank.payer.publicKey.toBase58(),
    );
  });

  it("set_parameters fails when paused: ProgramPaused; the roles and the pause stay open", async () => {
    // Given the bandwidth program is paused
    const authority = cast.bank.payer.publicKey;
    await cast.bank.programs.bandwidth.methods.setPaused(true).accounts({ signer: authority }).rpc();
    // Then a parameter change is refused and changes nothing
    await expectRefused(cast.bank, [cast.world.config], "ProgramPaused", () =>
      cast.bank.programs.bandwidth.methods.setParameters(2_000, 5_000, DAY, DAY).accounts({ authority }).rpc(),
    );
    // But the authority can still replace the pause key and hand itself over, and unpause
    const guardian = Keypair.generate().publicKey;
    await cast.bank.programs.bandwidth.methods.setPauseAuthority(guardian).accounts({ authority }).rpc();
    await cast.bank.programs.bandwidth.methods.setAuthority(authority).accounts({ authority }).rpc();
    const config = await cast.bank.programs.bandwidth.account.bandwidthConfig.fetch(cast.world.config);
    expect(config.pauseAuthority.toBase58()).to.equal(guardian.toBase58());
    await cast.bank.programs.bandwidth.methods.setPaused(false).accounts({ signer: authority }).rpc();
    await cast.bank.programs.bandwidth.methods.setParameters(1_000, 5_000, DAY, DAY).accounts({ authority }).rpc();
    await cast.bank.programs.bandwidth.methods.setPauseAuthority(authority).accounts({ authority }).rpc();
  });

  it("set_activity_window fails out of bounds (ParameterOutOfBounds), by a non-authority (Unauthorized) and while paused (ProgramPaused)", async () => {
    const [low, high] = BANDWIDTH_BOUNDS.activityWindow.map((bound) => BigInt(bound.toString()));
    const client = cast.bank.clients.bandwidth;
    const touched = [cast.world.config];
    await expectRefused(cast.bank, touched, "ParameterOutOfBounds", () => client.setActivityWindow(low - 1n));
    await expectRefused(cast.bank, touched, "ParameterOutOfBounds", () => client.setActivityWindow(high + 1n));
    await expectRefused(cast.bank, touched, "ParameterOutOfBounds", () => client.setActivityWindow(-1n));
    const stranger = Keypair.generate();
    await airdrop(cast.bank, stranger.publicKey);
    await expectRefused(cast.bank, touched, "Unauthorized", () => client.setActivityWindow(low, { signer: stranger }));
    await client.setPaused(true);
    try {
      await expectRefused(cast.bank, touched, "ProgramPaused", () => client.setActivityWindow(low));
    } finally {
      await client.setPaused(false);
    }
  });
});
