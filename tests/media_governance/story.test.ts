/**
 * Governance told as a story: three stakers with different stakes raise the staking minimum
 * from 25 to 50 MEDIA by proposal, after which a 30 MEDIA stake is refused; a second
 * proposal fails for lack of quorum; governance appoints staking's emergency pause key.
 *
 * The defeated proposal changes the bandwidth protocol fee, and its third proposal
 * is a treasury spend; media_bandwidth and media_treasury are being written in parallel, so
 * the defeated proposal changes a staking parameter instead and the spend is left out.
 */
import { bn } from "../utils/constants";
import { Keypair } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import { GOVERNANCE_DEFAULTS, ProposalState, VoteSide, mediaToBaseUnits, isPausedAt } from "../../sdk/src";
import { warpSeconds, unixTimestamp, given } from "../utils/bank";
import { eventsOf, expectProgramError, expectUnchanged, snapshot, expectRefused } from "../utils/assertions";
import { execute, finalize, propose, setUpGovernedStaking, stakingSetMinStake, stakingSetUnbondingPeriod, vote } from "../utils/governance";
import { newStaker } from "../utils/staking";
import { airdrop } from "../utils/token";
import { DAY, MEDIA, UNBONDING_PERIOD } from "../utils/constants";

const VOTING_PERIOD = Number(GOVERNANCE_DEFAULTS.votingPeriod);
const TIMELOCK = Number(GOVERNANCE_DEFAULTS.timelock);

describe("media_governance: the story", () => {
  const cast = given(async (bank) => {
    // Given three stakers with 200, 100 and 30 MEDIA (330 active; quorum 20% = 66 MEDIA), and the
    // deployer has handed staking's authority to the governance PDA
    const holdings = [200n, 100n, 30n].map((staked) => [1_000n * MEDIA, staked * MEDIA] as const);
    const { world, stakers } = await setUpGovernedStaking(bank, holdings);
    const [alice, bob, carol] = stakers;
    return { world, alice, bob, carol };
  });

  it("execute succeeds: raising the staking minimum to 50 MEDIA passes, waits out the timelock, executes, and a 30 MEDIA stake is then refused", async () => {
    // When Alice proposes set_min_stake(50 MEDIA)
    const proposal = await propose(cast.world, cast.alice, [await stakingSetMinStake(cast.world, mediaToBaseUnits("50"))], "ipfs://raise-min-stake");
    let state = await cast.bank.programs.governance.account.proposal.fetch(proposal);
    expect(state.state).to.deep.equal(ProposalState.Voting);
    expect(state.totalActiveSnapshot.toString()).to.equal((330n * MEDIA).toString());
    expect(state.quorumVotes.toString()).to.equal((66n * MEDIA).toString());

    // and Alice and Bob vote for it, Carol against
    const signature = await vote(cast.world, proposal, cast.alice, VoteSide.For);
    await vote(cast.world, proposal, cast.bob, VoteSide.For);
    await vote(cast.world, proposal, cast.carol, VoteSide.Against);
    const events = eventsOf(cast.bank, signature, cast.bank.programs.governance as never);
    expect(events.map((e) => e.name)).to.deep.equal(["voteCast"]);
    expect(events[0].data.weight.toString()).to.equal((200n * MEDIA).toString());
    // and each voter's stake is vote-locked until voting ends
    const lockedUntil = (await cast.bank.programs.staking.account.stakeAccount.fetch(cast.alice.stakeAccount)).voteLockUntil;
    expect(lockedUntil.toString()).to.equal(state.votingEndsAt.toString());
    // The vote's side and voter are the cast_vote instruction's: read with the transaction
    const voteCast = (await cast.bank.clients.transactionEvents(signature)).find((event) => event.name === "voteCast");
    expect(voteCast?.data.side).to.deep.equal(VoteSide.For);
    expect(String(voteCast?.data.voter)).to.equal(cast.alice.wallet.publicKey.toBase58());

    // Then, once voting has ended, it succeeds
    state = await cast.bank.programs.governance.account.proposal.fetch(proposal);
    expect(state.votesFor.toString()).to.equal((300n * MEDIA).toString());
    expect(state.votesAgainst.toString()).to.equal((30n * MEDIA).toString());
    await warpSeconds(cast.bank, VOTING_PERIOD);
    await finalize(cast.world, proposal);
    expect((await cast.bank.programs.governance.account.proposal.fetch(proposal)).state).to.deep.equal(ProposalState.Succeeded);

    // and after the timelock it executes, signed by the governance PDA
    await warpSeconds(cast.bank, TIMELOCK);
    const executed = await execute(cast.world, proposal);
    const executedEvents = eventsOf(cast.bank, executed, cast.bank.programs.governance as never);
    expect(executedEvents.map((e) => e.name)).to.deep.equal(["proposalExecuted"]);
    const stakingConfig = await cast.bank.programs.staking.account.stakingConfig.fetch(cast.world.config);
    expect(stakingConfig.minStake.toString()).to.equal((50n * MEDIA).toString());
    expect((await cast.bank.programs.governance.account.proposal.fetch(proposal)).state).to.deep.equal(ProposalState.Executed);

    // So a newcomer's 30 MEDIA stake is refused
    const dave = await newStaker(cast.world, 100n * MEDIA);
    await expectProgramError(dave.stake(30n * MEDIA), "StakeBelowMinimum");
    await dave.stake(50n * MEDIA);
  });

  it("finalize succeeds: a proposal only Carol votes on is defeated for lack of quorum (a staking parameter stands in for the bandwidth fee)", async () => {
    // Given Bob proposes a 10-day unbonding period
    const proposal = await propose(cast.world, cast.bob, [await stakingSetUnbondingPeriod(cast.world, BigInt(10 * DAY))]);
    // When only Carol (30 of 380 active MEDIA) votes, for it
    await vote(cast.world, proposal, cast.carol, VoteSide.For);
    await warpSeconds(cast.bank, VOTING_PERIOD);
    const signature = await finalize(cast.world, proposal);
    // Then it is defeated: 30 MEDIA is below the 20% quorum of 76 MEDIA
    const events = eventsOf(cast.bank, signature, cast.bank.programs.governance as never);
    expect(events[0].name).to.equal("proposalFinalized");
    expect(events[0].data.state).to.deep.equal(ProposalState.Defeated);
    expect(events[0].data.quorumVotes.toString()).to.equal((76n * MEDIA).toString());
    // and can never execute
    await warpSeconds(cast.bank, TIMELOCK);
    await expectRefused(cast.bank, [proposal, cast.world.config], "ProposalNotSucceeded", () => execute(cast.world, proposal));
    const config = await cast.bank.programs.staking.account.stakingConfig.fetch(cast.world.config);
    expect(config.unbondingPeriod.toNumber()).to.equal(UNBONDING_PERIOD);
  });

  it("finalize succeeds waits out the unbonding period: once unbonding takes 14 days, a staker who voted against a passed proposal withdraws before it executes", async () => {
    // Given the stakers lengthen the unbonding period to 14 days, longer than the 7-day timelock
    const lengthen = await propose(cast.world, cast.alice, [await stakingSetUnbondingPeriod(cast.world, BigInt(14 * DAY))]);
    await vote(cast.world, lengthen, cast.alice, VoteSide.For);
    await vote(cast.world, lengthen, cast.bob, VoteSide.For);
    await warpSeconds(cast.bank, VOTING_PERIOD);
    await finalize(cast.world, lengthen);
    await warpSeconds(cast.bank, TIMELOCK);
    await execute(cast.world, lengthen);
    expect((await cast.bank.programs.staking.account.stakingConfig.fetch(cast.world.config)).unbondingPeriod.toNumber()).to.equal(14 * DAY);

    // When Alice carries a proposal Carol votes against
    const proposal = await propose(cast.world, cast.alice, [await stakingSetMinStake(cast.world, mediaToBaseUnits("60"))], "ipfs://min-stake-60");
    await vote(cast.world, proposal, cast.alice, VoteSide.For);
    await vote(cast.world, proposal, cast.carol, VoteSide.Against);
    await warpSeconds(cast.bank, VOTING_PERIOD);
    await finalize(cast.world, proposal);
    // Then it executes no earlier than 14 days after voting ended (not the 7 of the timelock), its window kept
    const state = await cast.bank.programs.governance.account.proposal.fetch(proposal);
    expect(state.state).to.deep.equal(ProposalState.Succeeded);
    expect(state.executableAt.sub(state.votingEndsAt).toNumber()).to.equal(14 * DAY);
    expect(state.expiresAt.sub(state.executableAt).toNumber()).to.equal(Number(GOVERNANCE_DEFAULTS.executionWindow));
    // so Carol, vote-locked until the end, unbonds now
    const unstake = cast.bank.programs.staking.methods.requestUnstake(new BN((30n * MEDIA).toString())).accounts({ owner: cast.carol.wallet.publicKey });
    await unstake.signers([cast.carol.wallet]).rpc();
    await warpSeconds(cast.bank, TIMELOCK);
    await expectRefused(cast.bank, [proposal, cast.world.config], "TimelockNotElapsed", () => execute(cast.world, proposal));
    // and withdraws before the proposal she opposed can run
    await warpSeconds(cast.bank, 14 * DAY - TIMELOCK);
    await cast.bank.programs.staking.methods
      .withdraw()
      .accounts({ owner: cast.carol.wallet.publicKey, ownerTokenAccount: cast.carol.tokenAccount })
      .signers([cast.carol.wallet])
      .rpc();
    await execute(cast.world, proposal);
    expect((await cast.bank.programs.staking.account.stakingConfig.fetch(cast.world.config)).minStake.toString()).to.equal((60n * MEDIA).toString());
  });

  it("execute succeeds pause authority: governance appoints staking's emergency key, which can pause but never unpause", async () => {
    // Given a passed proposal naming an emergency key as staking's pause authority
    const emergency = Keypair.generate();
    await airdrop(cast.bank, emergency.publicKey);
    const setPauseAuthority = await cast.bank.clients.staking.setPauseAuthorityInstruction(emergency.publicKey, cast.world.governance);
    const proposal = await propose(cast.world, cast.alice, [setPauseAuthority]);
    await vote(cast.world, proposal, cast.alice, VoteSide.For);
    await warpSeconds(cast.bank, VOTING_PERIOD);
    await finalize(cast.world, proposal);
    // (unbonding now takes 14 days: execution waits for it rather than the 7-day timelock)
    const { executableAt } = await cast.bank.programs.governance.account.proposal.fetch(proposal);
    await warpSeconds(cast.bank, BigInt(executableAt.toString()) - (await unixTimestamp(cast.bank)));
    await execute(cast.world, proposal);
    const config = await cast.bank.programs.staking.account.stakingConfig.fetch(cast.world.config);
    expect(config.pauseAuthority.toBase58()).to.equal(emergency.publicKey.toBase58());

    // When the emergency key pauses staking, it is paused
    const staking = cast.bank.programs.staking;
    await staking.methods.setPaused(true).accounts({ signer: emergency.publicKey }).signers([emergency]).rpc();
    expect(isPausedAt((await staking.account.stakingConfig.fetch(cast.world.config)).pause, await unixTimestamp(cast.bank))).to.equal(true);
    // Then it cannot unpause, nor change a parameter
    const before = await snapshot(cast.bank, [cast.world.config]);
    await expectProgramError(staking.methods.setPaused(false).accounts({ signer: emergency.publicKey }).signers([emergency]).rpc(), "Unauthorized");
    await expectProgramError(
      staking.methods
        .setMinStake(bn(mediaToBaseUnits("30")))
        .accounts({ authority: emergency.publicKey })
        .signers([emergency])
        .rpc(),
      "Unauthorized",
    );
    await expectUnchanged(cast.bank, before);
  });
});
