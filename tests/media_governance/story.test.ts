/**
 * Governance told as a story: three stakers with different stakes raise the staking minimum
 * from 25 to 50 MEDIA by proposal, after which a 30 MEDIA stake is refused; a second
 * proposal fails for lack of quorum; governance appoints staking's emergency pause key.
 *
 * The defeated proposal changes the bandwidth protocol fee, and its third proposal
 * is a treasury spend; media_bandwidth and media_treasury are being written in parallel, so
 * the defeated proposal changes a staking parameter instead and the spend is left out.
 */
import { Keypair } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import { GOVERNANCE_DEFAULTS, ProposalState, VoteSide, mediaToBaseUnits, isPausedAt } from "../../sdk/src";
import { type Bank, startBank, warpSeconds, unixTimestamp } from "../utils/bank";
import { eventsOf, expectProgramError, expectUnchanged, snapshot } from "../utils/assertions";
import {
  type GovernanceWorld,
  execute,
  finalize,
  handOverStaking,
  propose,
  setUpGovernance,
  stakingSetMinStake,
  stakingSetUnbondingPeriod,
  vote,
  voteRecord,
} from "../utils/governance";
import { type Staker, newStaker, setUpStaking, stake } from "../utils/staking";
import { airdrop } from "../utils/token";

const MEDIA = 1_000_000n;
const DAY = 24 * 60 * 60;
const VOTING_PERIOD = GOVERNANCE_DEFAULTS.votingPeriod.toNumber();
const TIMELOCK = GOVERNANCE_DEFAULTS.timelock.toNumber();

describe("media_governance: the story", () => {
  let bank: Bank;
  let world: GovernanceWorld;
  let alice: Staker;
  let bob: Staker;
  let carol: Staker;

  before(async () => {
    bank = await startBank();
    world = await setUpGovernance(await setUpStaking(bank));
    // Given three stakers with 200, 100 and 30 MEDIA (330 active; quorum 20% = 66 MEDIA)
    alice = await newStaker(world, 1_000n * MEDIA);
    bob = await newStaker(world, 1_000n * MEDIA);
    carol = await newStaker(world, 1_000n * MEDIA);
    await stake(world, alice, 200n * MEDIA);
    await stake(world, bob, 100n * MEDIA);
    await stake(world, carol, 30n * MEDIA);
    // and the deployer has handed staking's authority and vote locks to the governance PDA
    await handOverStaking(world);
    await warpSeconds(bank, 60);
  });

  it("test_execute_ok: raising the staking minimum to 50 MEDIA passes, waits out the timelock, executes, and a 30 MEDIA stake is then refused", async () => {
    // When Alice proposes set_min_stake(50 MEDIA)
    const proposal = await propose(world, alice, [await stakingSetMinStake(world, mediaToBaseUnits("50"))], "ipfs://raise-min-stake");
    let state = await bank.programs.governance.account.proposal.fetch(proposal);
    expect(state.state).to.deep.equal(ProposalState.Voting);
    expect(state.totalActiveSnapshot.toString()).to.equal((330n * MEDIA).toString());
    expect(state.quorumVotes.toString()).to.equal((66n * MEDIA).toString());

    // and Alice and Bob vote for it, Carol against
    const signature = await vote(world, proposal, alice, VoteSide.For);
    await vote(world, proposal, bob, VoteSide.For);
    await vote(world, proposal, carol, VoteSide.Against);
    const events = eventsOf(bank, signature, bank.programs.governance as never);
    expect(events.map((e) => e.name)).to.deep.equal(["voteCast"]);
    expect(events[0].data.weight.toString()).to.equal((200n * MEDIA).toString());
    // and each voter's stake is vote-locked until voting ends
    const lockedUntil = (await bank.programs.staking.account.stakeAccount.fetch(alice.stakeAccount)).voteLockUntil;
    expect(lockedUntil.toString()).to.equal(state.votingEndsAt.toString());
    const record = await bank.programs.governance.account.voteRecord.fetch(voteRecord(proposal, alice));
    expect(record.side).to.deep.equal(VoteSide.For);
    expect(record.weight.toString()).to.equal((200n * MEDIA).toString());

    // Then, once voting has ended, it succeeds
    state = await bank.programs.governance.account.proposal.fetch(proposal);
    expect(state.votesFor.toString()).to.equal((300n * MEDIA).toString());
    expect(state.votesAgainst.toString()).to.equal((30n * MEDIA).toString());
    await warpSeconds(bank, VOTING_PERIOD);
    await finalize(world, proposal);
    expect((await bank.programs.governance.account.proposal.fetch(proposal)).state).to.deep.equal(ProposalState.Succeeded);

    // and after the timelock it executes, signed by the governance PDA
    await warpSeconds(bank, TIMELOCK);
    const executed = await execute(world, proposal);
    const executedEvents = eventsOf(bank, executed, bank.programs.governance as never);
    expect(executedEvents.map((e) => e.name)).to.deep.equal(["proposalExecuted"]);
    const stakingConfig = await bank.programs.staking.account.stakingConfig.fetch(world.config);
    expect(stakingConfig.minStake.toString()).to.equal((50n * MEDIA).toString());
    expect((await bank.programs.governance.account.proposal.fetch(proposal)).state).to.deep.equal(ProposalState.Executed);

    // So a newcomer's 30 MEDIA stake is refused
    const dave = await newStaker(world, 100n * MEDIA);
    await expectProgramError(stake(world, dave, 30n * MEDIA), "StakeBelowMinimum");
    await stake(world, dave, 50n * MEDIA);
  });

  it("test_finalize_ok: a proposal only Carol votes on is defeated for lack of quorum (a staking parameter stands in for the bandwidth fee)", async () => {
    // Given Bob proposes a 10-day unbonding period
    const proposal = await propose(world, bob, [await stakingSetUnbondingPeriod(world, new BN(10 * DAY))]);
    // When only Carol (30 of 380 active MEDIA) votes, for it
    await vote(world, proposal, carol, VoteSide.For);
    await warpSeconds(bank, VOTING_PERIOD);
    const signature = await finalize(world, proposal);
    // Then it is defeated: 30 MEDIA is below the 20% quorum of 76 MEDIA
    const events = eventsOf(bank, signature, bank.programs.governance as never);
    expect(events[0].name).to.equal("proposalFinalized");
    expect(events[0].data.state).to.deep.equal(ProposalState.Defeated);
    expect(events[0].data.quorumVotes.toString()).to.equal((76n * MEDIA).toString());
    // and can never execute
    await warpSeconds(bank, TIMELOCK);
    const before = await snapshot(bank, [proposal, world.config]);
    await expectProgramError(execute(world, proposal), "ProposalNotSucceeded");
    await expectUnchanged(bank, before);
    const config = await bank.programs.staking.account.stakingConfig.fetch(world.config);
    expect(config.unbondingPeriod.toNumber()).to.equal(7 * DAY);
  });

  it("test_finalize_ok_waits_out_the_unbonding_period: once unbonding takes 14 days, a staker who voted against a passed proposal withdraws before it executes", async () => {
    // Given the stakers lengthen the unbonding period to 14 days, longer than the 7-day timelock
    const lengthen = await propose(world, alice, [await stakingSetUnbondingPeriod(world, new BN(14 * DAY))]);
    await vote(world, lengthen, alice, VoteSide.For);
    await vote(world, lengthen, bob, VoteSide.For);
    await warpSeconds(bank, VOTING_PERIOD);
    await finalize(world, lengthen);
    await warpSeconds(bank, TIMELOCK);
    await execute(world, lengthen);
    expect((await bank.programs.staking.account.stakingConfig.fetch(world.config)).unbondingPeriod.toNumber()).to.equal(14 * DAY);

    // When Alice carries a proposal Carol votes against
    const proposal = await propose(world, alice, [await stakingSetMinStake(world, mediaToBaseUnits("60"))], "ipfs://min-stake-60");
    await vote(world, proposal, alice, VoteSide.For);
    await vote(world, proposal, carol, VoteSide.Against);
    await warpSeconds(bank, VOTING_PERIOD);
    await finalize(world, proposal);
    // Then it executes no earlier than 14 days after voting ended (not the 7 of the timelock), its window kept
    const state = await bank.programs.governance.account.proposal.fetch(proposal);
    expect(state.state).to.deep.equal(ProposalState.Succeeded);
    expect(state.executableAt.sub(state.votingEndsAt).toNumber()).to.equal(14 * DAY);
    expect(state.expiresAt.sub(state.executableAt).toNumber()).to.equal(GOVERNANCE_DEFAULTS.executionWindow.toNumber());
    // so Carol, vote-locked until the end, unbonds now
    const unstake = bank.programs.staking.methods.requestUnstake(new BN((30n * MEDIA).toString())).accounts({ owner: carol.wallet.publicKey });
    await unstake.signers([carol.wallet]).rpc();
    await warpSeconds(bank, TIMELOCK);
    const before = await snapshot(bank, [proposal, world.config]);
    await expectProgramError(execute(world, proposal), "TimelockNotElapsed");
    await expectUnchanged(bank, before);
    // and withdraws before the proposal she opposed can run
    await warpSeconds(bank, 14 * DAY - TIMELOCK);
    await bank.programs.staking.methods
      .withdraw()
      .accounts({ owner: carol.wallet.publicKey, ownerTokenAccount: carol.tokenAccount })
      .signers([carol.wallet])
      .rpc();
    await execute(world, proposal);
    expect((await bank.programs.staking.account.stakingConfig.fetch(world.config)).minStake.toString()).to.equal((60n * MEDIA).toString());
  });

  it("test_execute_ok_pause_authority: governance appoints staking's emergency key, which can pause but never unpause", async () => {
    // Given a passed proposal naming an emergency key as staking's pause authority
    const emergency = Keypair.generate();
    await airdrop(bank, emergency.publicKey);
    const setPauseAuthority = await bank.programs.staking.methods
      .setPauseAuthority(emergency.publicKey)
      .accounts({ authority: world.governance })
      .instruction();
    const proposal = await propose(world, alice, [setPauseAuthority]);
    await vote(world, proposal, alice, VoteSide.For);
    await warpSeconds(bank, VOTING_PERIOD);
    await finalize(world, proposal);
    // (unbonding now takes 14 days: execution waits for it rather than the 7-day timelock)
    const { executableAt } = await bank.programs.governance.account.proposal.fetch(proposal);
    await warpSeconds(bank, BigInt(executableAt.toString()) - (await unixTimestamp(bank)));
    await execute(world, proposal);
    const config = await bank.programs.staking.account.stakingConfig.fetch(world.config);
    expect(config.pauseAuthority.toBase58()).to.equal(emergency.publicKey.toBase58());

    // When the emergency key pauses staking, it is paused
    const staking = bank.programs.staking;
    await staking.methods.setPaused(true).accounts({ signer: emergency.publicKey }).signers([emergency]).rpc();
    expect(isPausedAt((await staking.account.stakingConfig.fetch(world.config)).pause, await unixTimestamp(bank))).to.equal(true);
    // Then it cannot unpause, nor change a parameter
    const before = await snapshot(bank, [world.config]);
    await expectProgramError(staking.methods.setPaused(false).accounts({ signer: emergency.publicKey }).signers([emergency]).rpc(), "Unauthorized");
    await expectProgramError(
      staking.methods.setMinStake(mediaToBaseUnits("30")).accounts({ authority: emergency.publicKey }).signers([emergency]).rpc(),
      "Unauthorized",
    );
    await expectUnchanged(bank, before);
  });
});
