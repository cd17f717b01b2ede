/**
 * Who may change what: bounded setters, the authority hand-over, the pause switch (which
 * stops only new risk and lapses on its own) and the vote lock, which only governance's vote
 * authority signs.
 */
import { Keypair } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import { isPausedAt, voteAuthorityPda } from "../../sdk/src";
import { type Bank, startBank, unixTimestamp, warpSeconds } from "../utils/bank";
import { eventsOf, expectProgramError, expectUnchanged, snapshot } from "../utils/assertions";
import {
  type Staker,
  type StakingWorld,
  big,
  cancelUnstake,
  claimRewards,
  fetchConfig,
  fetchStake,
  fundRewards,
  newStaker,
  requestUnstake,
  setUpStaking,
  stake,
  withdraw,
} from "../utils/staking";
import { airdrop } from "../utils/token";

const MEDIA = 1_000_000n;
const DAY = 24 * 60 * 60;
/** `media_core::pause::MAX_PAUSE_DURATION`: a pause nobody renews lapses after it. */
const MAX_PAUSE_DURATION = 14 * DAY;
const bn = (value: bigint | number) => new BN(value.toString());

describe("media_staking: authority, parameters, pause and vote locks", () => {
  let bank: Bank;
  let world: StakingWorld;
  let alice: Staker;
  let sponsor: Staker;
  const governance = Keypair.generate();
  const emergency = Keypair.generate();
  const stranger = Keypair.generate();

  before(async () => {
    bank = await startBank();
    world = await setUpStaking(bank);
    alice = await newStaker(world, 1_000n * MEDIA);
    sponsor = await newStaker(world, 1_000n * MEDIA);
    for (const key of [governance, emergency, stranger]) await airdrop(bank, key.publicKey);
    await stake(world, alice, 100n * MEDIA);
  });

  const setMinStake = (signer: Keypair, value: bigint) =>
    bank.programs.staking.methods.setMinStake(bn(value)).accounts({ authority: signer.publicKey }).signers([signer]).rpc();
  const setPaused = (signer: Keypair, paused: boolean) =>
    bank.programs.staking.methods.setPaused(paused).accounts({ signer: signer.publicKey }).signers([signer]).rpc();
  const lock = (signer: Keypair, staker: Staker, until: bigint) =>
    bank.programs.staking.methods.lockStake(bn(until)).accounts({ voteAuthority: signer.publicKey, stakeAccount: staker.stakeAccount }).signers([signer]).rpc();

  it("test_set_min_stake_ok: the authority raises the minimum and ParametersUpdated reports it", async () => {
    const signature = await setMinStake(world.authority, 50n * MEDIA);
    expect(big((await fetchConfig(world)).minStake)).to.equal(50n * MEDIA);
    const [event] = eventsOf(bank, signature, bank.programs.staking as never);
    expect(event.name).to.equal("parametersUpdated");
    expect(event.data.minStake.toString()).to.equal((50n * MEDIA).toString());
    const newcomer = await newStaker(world, 100n * MEDIA);
    await expectProgramError(stake(world, newcomer, 30n * MEDIA), "StakeBelowMinimum");
    await setMinStake(world.authority, 25n * MEDIA);
  });

  it("test_set_min_stake_fails_when_not_authority: Unauthorized, config unchanged", async () => {
    const before = await snapshot(bank, [world.config]);
    await expectProgramError(setMinStake(stranger, 50n * MEDIA), "Unauthorized");
    await expectUnchanged(bank, before);
  });

  it("test_setters_fail_when_out_of_bounds: ParameterOutOfBounds, config unchanged", async () => {
    const before = await snapshot(bank, [world.config]);
    await expectProgramError(setMinStake(world.authority, 0n), "ParameterOutOfBounds");
    await expectProgramError(setMinStake(world.authority, 2_000_000n * MEDIA), "ParameterOutOfBounds");
    await expectProgramError(
      bank.programs.staking.methods
        .setUnbondingPeriod(bn(91 * DAY))
        .accounts({ authority: world.authority.publicKey })
        .rpc(),
      "ParameterOutOfBounds",
    );
    await expectProgramError(
      bank.programs.staking.methods.setQuotaBytesPerMedia(bn(1)).accounts({ authority: world.authority.publicKey }).rpc(),
      "ParameterOutOfBounds",
    );
    // A reward duration under a day would let stake added just before a funding take a large share of it
    for (const seconds of [DAY - 1, 91 * DAY]) {
      await expectProgramError(
        bank.programs.staking.methods.setRewardDuration(bn(seconds)).accounts({ authority: world.authority.publicKey }).rpc(),
        "ParameterOutOfBounds",
      );
    }
    await expectProgramError(
      bank.programs.staking.methods
        .setRewardDuration(bn(3 * DAY))
        .accounts({ authority: stranger.publicKey })
        .signers([stranger])
        .rpc(),
      "Unauthorized",
    );
    await expectUnchanged(bank, before);
  });

  it("test_set_unbonding_period_and_quota_ok: both change within bounds", async () => {
    await bank.programs.staking.methods
      .setUnbondingPeriod(bn(3 * DAY))
      .accounts({ authority: world.authority.publicKey })
      .rpc();
    await bank.programs.staking.methods
      .setQuotaBytesPerMedia(bn(1n << 31n))
      .accounts({ authority: world.authority.publicKey })
      .rpc();
    const config = await fetchConfig(world);
    expect(big(config.unbondingPeriod)).to.equal(BigInt(3 * DAY));
    expect(big(config.quotaBytesPerMedia)).to.equal(1n << 31n);
  });

  it("test_set_reward_duration_ok: applies from the next funding; the running period keeps its end", async () => {
    await fundRewards(world, sponsor, 7n * MEDIA);
    const running = big((await fetchConfig(world)).rewardPeriodEnd);
    const signature = await bank.programs.staking.methods
      .setRewardDuration(bn(30 * DAY))
      .accounts({ authority: world.authority.publicKey })
      .rpc();
    const [event] = eventsOf(bank, signature, bank.programs.staking as never);
    expect(event.name).to.equal("parametersUpdated");
    expect(event.data.rewardDuration.toString()).to.equal(String(30 * DAY));
    let config = await fetchConfig(world);
    expect(big(config.rewardDuration)).to.equal(BigInt(30 * DAY));
    expect(big(config.rewardPeriodEnd)).to.equal(running);
    await fundRewards(world, sponsor, MEDIA);
    config = await fetchConfig(world);
    expect(big(config.rewardPeriodEnd)).to.equal((await unixTimestamp(bank)) + BigInt(30 * DAY));
    await bank.programs.staking.methods
      .setRewardDuration(bn(7 * DAY))
      .accounts({ authority: world.authority.publicKey })
      .rpc();
  });

  it("test_lock_stake_fails_when_not_the_vote_authority: only governance's vote-authority PDA, fixed at initialization, locks stake (Unauthorized)", async () => {
    // The config names governance's ["vote_authority"] PDA, derived on-chain from governance's program id
    expect((await fetchConfig(world)).voteAuthority.toBase58()).to.equal(voteAuthorityPda().toBase58());
    // Neither the config authority nor anyone else may lock a stake (votes lock through cast_vote)
    const now = await unixTimestamp(bank);
    const before = await snapshot(bank, [alice.stakeAccount, world.config]);
    await expectProgramError(lock(world.authority, alice, now + 100n), "Unauthorized");
    await expectProgramError(lock(stranger, alice, now + 100n), "Unauthorized");
    await expectUnchanged(bank, before);
  });

  it("test_set_authority_ok: after hand-over only the new authority changes parameters", async () => {
    const roles = (method: "setPauseAuthority" | "setAuthority", address: Keypair) =>
      bank.programs.staking.methods[method](address.publicKey).accounts({ authority: world.authority.publicKey }).rpc();
    await roles("setPauseAuthority", emergency);
    const handOver = await roles("setAuthority", governance);
    const [event] = eventsOf(bank, handOver, bank.programs.staking as never);
    expect(event.name).to.equal("configUpdated");
    expect(event.data.authority.toBase58()).to.equal(governance.publicKey.toBase58());
    expect(event.data.pauseAuthority.toBase58()).to.equal(emergency.publicKey.toBase58());
    const config = await fetchConfig(world);
    expect(config.authority.toBase58()).to.equal(governance.publicKey.toBase58());
    expect(config.pauseAuthority.toBase58()).to.equal(emergency.publicKey.toBase58());
    const before = await snapshot(bank, [world.config]);
    await expectProgramError(setMinStake(world.authority, 30n * MEDIA), "Unauthorized");
    await expectProgramError(lock(world.authority, alice, (await unixTimestamp(bank)) + 100n), "Unauthorized");
    await expectUnchanged(bank, before);
    await setMinStake(governance, 30n * MEDIA);
    expect(big((await fetchConfig(world)).minStake)).to.equal(30n * MEDIA);
  });

  it("test_set_paused_ok: the emergency key pauses new risk only; users keep their way out and their rewards; only the authority unpauses", async () => {
    await fundRewards(world, sponsor, 9n * MEDIA);
    await setPaused(emergency, true);
    expect(isPausedAt((await fetchConfig(world)).pause, await unixTimestamp(bank))).to.equal(true);

    // New risk is refused: new stake, and parameter changes even by the authority
    const refused = [alice.tokenAccount, alice.stakeAccount, world.vault, world.config];
    const before = await snapshot(bank, refused);
    await expectProgramError(stake(world, alice, 30n * MEDIA), "ProgramPaused");
    await expectProgramError(setMinStake(governance, 40n * MEDIA), "ProgramPaused");
    await expectProgramError(
      bank.programs.staking.methods.setUnbondingPeriod(bn(DAY)).accounts({ authority: governance.publicKey }).signers([governance]).rpc(),
      "ProgramPaused",
    );
    await expectProgramError(
      bank.programs.staking.methods
        .setQuotaBytesPerMedia(bn(1n << 30n))
        .accounts({ authority: governance.publicKey })
        .signers([governance])
        .rpc(),
      "ProgramPaused",
    );
    await expectProgramError(
      bank.programs.staking.methods.setRewardDuration(bn(DAY)).accounts({ authority: governance.publicKey }).signers([governance]).rpc(),
      "ProgramPaused",
    );
    await expectUnchanged(bank, before);

    // The way out stays open: unstaking, funding the stakers, withdrawing and claiming
    await requestUnstake(world, alice, 30n * MEDIA);
    await fundRewards(world, sponsor, MEDIA);
    // but rebonding is new risk
    const unbonding = await snapshot(bank, [alice.stakeAccount, world.config]);
    await expectProgramError(cancelUnstake(world, alice), "ProgramPaused");
    await expectUnchanged(bank, unbonding);
    await warpSeconds(bank, 3 * DAY);
    await withdraw(world, alice);
    await claimRewards(world, alice);
    expect(big((await fetchStake(world, alice)).unbonding)).to.equal(0n);

    // The roles can change hands while paused (replacing a rogue pause key is how a pause is fought)
    await bank.programs.staking.methods.setPauseAuthority(stranger.publicKey).accounts({ authority: governance.publicKey }).signers([governance]).rpc();
    await bank.programs.staking.methods.setPauseAuthority(emergency.publicKey).accounts({ authority: governance.publicKey }).signers([governance]).rpc();

    const paused = await snapshot(bank, [world.config]);
    await expectProgramError(setPaused(emergency, false), "Unauthorized");
    await expectProgramError(setPaused(stranger, true), "Unauthorized");
    await expectUnchanged(bank, paused);
    await setPaused(governance, false);
    await stake(world, alice, 30n * MEDIA);
  });

  it("test_set_paused_lapses: a pause nobody renews ends after MAX_PAUSE_DURATION, and the emergency key cannot chain another", async () => {
    // Given the emergency key pauses again, once the chain rule lets it (MAX_PAUSE_DURATION after its last pause ended)
    await warpSeconds(bank, MAX_PAUSE_DURATION);
    await setPaused(emergency, true);
    const { pause } = await fetchConfig(world);
    expect(big(pause.pausedUntil) - big(pause.pausedSince)).to.equal(BigInt(MAX_PAUSE_DURATION));
    // When nobody renews it, it holds until the last second
    await warpSeconds(bank, MAX_PAUSE_DURATION - 1);
    await expectProgramError(stake(world, alice, MEDIA), "ProgramPaused");
    // Then it lapses on its own, and staking is open again
    await warpSeconds(bank, 1);
    expect(isPausedAt((await fetchConfig(world)).pause, await unixTimestamp(bank))).to.equal(false);
    await stake(world, alice, MEDIA);
    // and the emergency key cannot start the next pause right away
    const before = await snapshot(bank, [world.config]);
    await expectProgramError(setPaused(emergency, true), "Unauthorized");
    await expectUnchanged(bank, before);
  });
});
