/**
 * Who may change what: bounded setters, the authority hand-over, the pause switch (which
 * stops only new risk and lapses on its own) and the vote lock, which only governance's vote
 * authority signs.
 */
import { Keypair } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import { isPausedAt, voteAuthorityPda } from "../../sdk/src";
import { unixTimestamp, warpSeconds, given } from "../utils/bank";
import { eventsOf, expectProgramError, expectUnchanged, snapshot, expectRefused } from "../utils/assertions";
import { type Staker, big, fetchConfig, fetchStake, newStaker, setUpStaking } from "../utils/staking";
import { airdrop } from "../utils/token";
import { DAY, MAX_PAUSE_DURATION, MEDIA, MIN_STAKE, REWARD_DURATION } from "../utils/constants";

const bn = (value: bigint | number) => new BN(value.toString());

describe("media_staking: authority, parameters, pause and vote locks", () => {
  const governance = Keypair.generate();
  const emergency = Keypair.generate();
  const stranger = Keypair.generate();

  const cast = given(async (bank) => {
    const world = await setUpStaking(bank);
    const alice = await newStaker(world, 1_000n * MEDIA);
    const sponsor = await newStaker(world, 1_000n * MEDIA);
    for (const key of [governance, emergency, stranger]) await airdrop(bank, key.publicKey);
    await alice.stake(100n * MEDIA);
    return { world, alice, sponsor };
  });

  const setMinStake = (signer: Keypair, value: bigint) => cast.bank.clients.staking.setMinStake(value, { signer: signer });
  const setPaused = (signer: Keypair, paused: boolean) => cast.bank.clients.staking.setPaused(paused, { signer: signer });
  const lock = (signer: Keypair, staker: Staker, until: bigint) =>
    cast.bank.programs.staking.methods
      .lockStake(bn(0n), bn(until))
      .accounts({ voteAuthority: signer.publicKey, stakeAccount: staker.stakeAccount })
      .signers([signer])
      .rpc();

  it("set_min_stake succeeds: the authority raises the minimum and ParametersUpdated reports it", async () => {
    const signature = await setMinStake(cast.world.authority, 50n * MEDIA);
    expect(big((await fetchConfig(cast.world)).minStake)).to.equal(50n * MEDIA);
    const [event] = eventsOf(cast.bank, signature, cast.bank.programs.staking as never);
    expect(event.name).to.equal("parametersUpdated");
    expect(event.data.minStake.toString()).to.equal((50n * MEDIA).toString());
    const newcomer = await newStaker(cast.world, 100n * MEDIA);
    await expectProgramError(newcomer.stake(30n * MEDIA), "StakeBelowMinimum");
    await setMinStake(cast.world.authority, MIN_STAKE);
  });

  it("set_min_stake fails when not authority: Unauthorized, config unchanged", async () => {
    await expectRefused(cast.bank, [cast.world.config], "Unauthorized", () => setMinStake(stranger, 50n * MEDIA));
  });

  it("setters fail when out of bounds: ParameterOutOfBounds, config unchanged", async () => {
    const before = await snapshot(cast.bank, [cast.world.config]);
    await expectProgramError(setMinStake(cast.world.authority, 0n), "ParameterOutOfBounds");
    await expectProgramError(setMinStake(cast.world.authority, 2_000_000n * MEDIA), "ParameterOutOfBounds");
    await expectProgramError(cast.bank.clients.staking.setUnbondingPeriod(91 * DAY), "ParameterOutOfBounds");
    await expectProgramError(cast.bank.clients.staking.setQuotaBytesPerMedia(1), "ParameterOutOfBounds");
    // A reward duration under a day would let stake added just before a funding take a large share of it
    for (const seconds of [DAY - 1, 91 * DAY]) {
      await expectProgramError(cast.bank.clients.staking.setRewardDuration(seconds), "ParameterOutOfBounds");
    }
    await expectProgramError(cast.bank.clients.staking.setRewardDuration(3 * DAY, { signer: stranger }), "Unauthorized");
    await expectUnchanged(cast.bank, before);
  });

  it("set_unbonding_period and quota ok: both change within bounds", async () => {
    await cast.bank.clients.staking.setUnbondingPeriod(3 * DAY);
    await cast.bank.clients.staking.setQuotaBytesPerMedia(1n << 31n);
    const config = await fetchConfig(cast.world);
    expect(big(config.unbondingPeriod)).to.equal(BigInt(3 * DAY));
    expect(big(config.quotaBytesPerMedia)).to.equal(1n << 31n);
  });

  it("set_reward_duration succeeds: applies from the next funding; the running period keeps its end", async () => {
    await cast.sponsor.fundRewards(7n * MEDIA);
    const running = big((await fetchConfig(cast.world)).rewardPeriodEnd);
    const signature = await cast.bank.clients.staking.setRewardDuration(30 * DAY);
    const [event] = eventsOf(cast.bank, signature, cast.bank.programs.staking as never);
    expect(event.name).to.equal("parametersUpdated");
    expect(event.data.rewardDuration.toString()).to.equal(String(30 * DAY));
    let config = await fetchConfig(cast.world);
    expect(big(config.rewardDuration)).to.equal(BigInt(30 * DAY));
    expect(big(config.rewardPeriodEnd)).to.equal(running);
    await cast.sponsor.fundRewards(MEDIA);
    config = await fetchConfig(cast.world);
    expect(big(config.rewardPeriodEnd)).to.equal((await unixTimestamp(cast.bank)) + BigInt(30 * DAY));
    await cast.bank.clients.staking.setRewardDuration(REWARD_DURATION);
  });

  it("lock_stake fails when not the vote authority: only governance's vote-authority PDA, fixed at initialization, locks stake (Unauthorized)", async () => {
    // The config names governance's ["vote_authority"] PDA, derived on-chain from governance's program id
    expect((await fetchConfig(cast.world)).voteAuthority.toBase58()).to.equal(voteAuthorityPda().toBase58());
    // Neither the config authority nor anyone else may lock a stake (votes lock through cast_vote)
    const now = await unixTimestamp(cast.bank);
    const before = await snapshot(cast.bank, [cast.alice.stakeAccount, cast.world.config]);
    await expectProgramError(lock(cast.world.authority, cast.alice, now + 100n), "Unauthorized");
    await expectProgramError(lock(stranger, cast.alice, now + 100n), "Unauthorized");
    await expectUnchanged(cast.bank, before);
  });

  it("set_authority succeeds: after hand-over only the new authority changes parameters", async () => {
    const roles = (method: "setPauseAuthority" | "setAuthority", address: Keypair) =>
      cast.bank.programs.staking.methods[method](address.publicKey).accounts({ authority: cast.world.authority.publicKey }).rpc();
    // Each setter's event names only the role it changed; the new key is the instruction's argument
    const newPauseKey = await roles("setPauseAuthority", emergency);
    const [pauseKeyEvent, ...noMore] = eventsOf(cast.bank, newPauseKey, cast.bank.programs.staking as never);
    expect(noMore).to.deep.equal([]);
    expect([pauseKeyEvent.name, Object.keys(pauseKeyEvent.data)]).to.deep.equal(["pauseAuthoritySet", []]);
    const [pauseKeyWhole] = await cast.bank.clients.transactionEvents(newPauseKey);
    expect(Object.keys(pauseKeyWhole.data)).to.deep.equal(["pauseAuthority"]);
    expect(String(pauseKeyWhole.data.pauseAuthority)).to.equal(emergency.publicKey.toBase58());
    const handOver = await roles("setAuthority", governance);
    const [event] = eventsOf(cast.bank, handOver, cast.bank.programs.staking as never);
    expect([event.name, Object.keys(event.data)]).to.deep.equal(["authoritySet", []]);
    const [handOverWhole] = await cast.bank.clients.transactionEvents(handOver);
    expect(Object.keys(handOverWhole.data)).to.deep.equal(["authority"]);
    expect(String(handOverWhole.data.authority)).to.equal(governance.publicKey.toBase58());
    const config = await fetchConfig(cast.world);
    expect(config.authority.toBase58()).to.equal(governance.publicKey.toBase58());
    expect(config.pauseAuthority.toBase58()).to.equal(emergency.publicKey.toBase58());
    const before = await snapshot(cast.bank, [cast.world.config]);
    await expectProgramError(setMinStake(cast.world.authority, 30n * MEDIA), "Unauthorized");
    await expectProgramError(lock(cast.world.authority, cast.alice, (await unixTimestamp(cast.bank)) + 100n), "Unauthorized");
    await expectUnchanged(cast.bank, before);
    await setMinStake(governance, 30n * MEDIA);
    expect(big((await fetchConfig(cast.world)).minStake)).to.equal(30n * MEDIA);
  });

  it("set_paused succeeds: the emergency key pauses new risk only; users keep their way out and their rewards; only the authority unpauses", async () => {
    await cast.sponsor.fundRewards(9n * MEDIA);
    const pausing = await setPaused(emergency, true);
    const { pause } = await fetchConfig(cast.world);
    expect(isPausedAt(pause, await unixTimestamp(cast.bank))).to.equal(true);
    // The event carries the switch's new end, as the config now holds it
    const [pauseEvent] = eventsOf(cast.bank, pausing, cast.bank.programs.staking as never);
    expect(pauseEvent.name).to.equal("pauseSet");
    expect(big(pauseEvent.data.pausedUntil)).to.equal(big(pause.pausedUntil));
    expect(big(pause.pausedUntil)).to.equal((await unixTimestamp(cast.bank)) + BigInt(MAX_PAUSE_DURATION));

    // New risk is refused: new stake, and parameter changes even by the authority
    const refused = [cast.alice.tokenAccount, cast.alice.stakeAccount, cast.world.vault, cast.world.config];
    const before = await snapshot(cast.bank, refused);
    await expectProgramError(cast.alice.stake(30n * MEDIA), "ProgramPaused");
    await expectProgramError(setMinStake(governance, 40n * MEDIA), "ProgramPaused");
    await expectProgramError(cast.bank.clients.staking.setUnbondingPeriod(DAY, { signer: governance }), "ProgramPaused");
    await expectProgramError(cast.bank.clients.staking.setQuotaBytesPerMedia(1n << 30n, { signer: governance }), "ProgramPaused");
    await expectProgramError(cast.bank.clients.staking.setRewardDuration(DAY, { signer: governance }), "ProgramPaused");
    await expectUnchanged(cast.bank, before);

    // The way out stays open: unstaking, funding the stakers, withdrawing and claiming
    await cast.alice.requestUnstake(30n * MEDIA);
    await cast.sponsor.fundRewards(MEDIA);
    // but rebonding is new risk
    const unbonding = await snapshot(cast.bank, [cast.alice.stakeAccount, cast.world.config]);
    await expectProgramError(cast.alice.cancelUnstake(), "ProgramPaused");
    await expectUnchanged(cast.bank, unbonding);
    await warpSeconds(cast.bank, 3 * DAY);
    await cast.alice.withdraw();
    await cast.alice.claimRewards();
    expect(big((await fetchStake(cast.world, cast.alice)).unbonding)).to.equal(0n);

    // The roles can change hands while paused (replacing a rogue pause key is how a pause is fought)
    await cast.bank.clients.staking.setPauseAuthority(stranger.publicKey, { signer: governance });
    await cast.bank.clients.staking.setPauseAuthority(emergency.publicKey, { signer: governance });

    const paused = await snapshot(cast.bank, [cast.world.config]);
    await expectProgramError(setPaused(emergency, false), "Unauthorized");
    await expectProgramError(setPaused(stranger, true), "Unauthorized");
    await expectUnchanged(cast.bank, paused);
    const unpausing = await setPaused(governance, false);
    const [unpauseEvent] = eventsOf(cast.bank, unpausing, cast.bank.programs.staking as never);
    expect(unpauseEvent.name).to.equal("pauseSet");
    expect(big(unpauseEvent.data.pausedUntil)).to.equal(await unixTimestamp(cast.bank));
    await cast.alice.stake(30n * MEDIA);
  });

  it("set_paused lapses: a pause nobody renews ends after MAX_PAUSE_DURATION, and the emergency key cannot chain another", async () => {
    // Given the emergency key pauses again, once the chain rule lets it (MAX_PAUSE_DURATION after its last pause ended)
    await warpSeconds(cast.bank, MAX_PAUSE_DURATION);
    await setPaused(emergency, true);
    const { pause } = await fetchConfig(cast.world);
    expect(big(pause.pausedUntil) - big(pause.pausedSince)).to.equal(BigInt(MAX_PAUSE_DURATION));
    // When nobody renews it, it holds until the last second
    await warpSeconds(cast.bank, MAX_PAUSE_DURATION - 1);
    await expectProgramError(cast.alice.stake(MEDIA), "ProgramPaused");
    // Then it lapses on its own, and staking is open again
    await warpSeconds(cast.bank, 1);
    expect(isPausedAt((await fetchConfig(cast.world)).pause, await unixTimestamp(cast.bank))).to.equal(false);
    await cast.alice.stake(MEDIA);
    // and the emergency key cannot start the next pause right away
    await expectRefused(cast.bank, [cast.world.config], "Unauthorized", () => setPaused(emergency, true));
  });
});
