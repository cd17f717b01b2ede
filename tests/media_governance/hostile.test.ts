/**
 * Hostile input against governance: each attempt fails with its named error and leaves every
 * account it touches byte-identical.
 */
import { bn } from "../utils/constants";
import { Keypair, type PublicKey, Transaction } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import {
  GOVERNANCE_DEFAULTS,
  ProposalState,
  VoteSide,
  executeRemainingAccounts,
  mediaToBaseUnits,
  proposalInstructions,
  proposalPda,
  stakingConfigPda,
  voteAuthorityPda,
} from "../../sdk/src";
import { unixTimestamp, warpSeconds, given } from "../utils/bank";
import { eventsOf, expectProgramError, expectUnchanged, snapshot, expectRefused } from "../utils/assertions";
import { execute, finalize, propose, setUpGovernedStaking, stakingSetMinStake, vote } from "../utils/governance";
import { fetchConfig, fetchStake, newStaker } from "../utils/staking";
import { airdrop } from "../utils/token";
import { DAY, MEDIA } from "../utils/constants";

const VOTING_PERIOD = Number(GOVERNANCE_DEFAULTS.votingPeriod);
const TIMELOCK = Number(GOVERNANCE_DEFAULTS.timelock);
const WINDOW = Number(GOVERNANCE_DEFAULTS.executionWindow);

describe("media_governance: hostile input", () => {
  /** A harmless proposal (min stake stays 25 MEDIA) by Alice, open for votes. */
  async function openProposal(): Promise<PublicKey> {
    return propose(cast.world, cast.alice, [await stakingSetMinStake(cast.world, mediaToBaseUnits("25"))]);
  }

  /** A proposal Alice carried: finalized as Succeeded, its timelock still running. */
  async function passedProposal(): Promise<PublicKey> {
    const proposal = await openProposal();
    await vote(cast.world, proposal, cast.alice, VoteSide.For);
    await warpSeconds(cast.bank, VOTING_PERIOD);
    await finalize(cast.world, proposal);
    return proposal;
  }

  /** The weight of the vote cast in the transaction `signature` (its VoteCast event). */
  function voteWeight(signature: string): string {
    const [event] = eventsOf(cast.bank, signature, cast.bank.programs.governance as never);
    return event.data.weight.toString();
  }

  const cast = given(async (bank) => {
    const holdings = [
      [10_000n * MEDIA, 200n * MEDIA],
      [1_000n * MEDIA, 100n * MEDIA],
      [1_000n * MEDIA, 30n * MEDIA],
    ] as const;
    const { world, stakers } = await setUpGovernedStaking(bank, holdings);
    const [alice, bob, carol] = stakers;
    return { world, alice, bob, carol };
  });

  it("cast_vote fails when the same stake votes twice: AlreadyVoted", async () => {
    const proposal = await openProposal();
    await vote(cast.world, proposal, cast.bob, VoteSide.For);
    await expectRefused(cast.bank, [proposal, cast.bob.stakeAccount], "AlreadyVoted", () => vote(cast.world, proposal, cast.bob, VoteSide.Against));
  });

  it("cast_vote succeeds on concurrent proposals in any order and fails on each a second time: AlreadyVoted", async () => {
    // Given three proposals open at once, Bob votes on the newest first, then on the older two
    const [first, second, third] = [await openProposal(), await openProposal(), await openProposal()];
    for (const proposal of [third, first, second]) await vote(cast.world, proposal, cast.bob, VoteSide.For);
    // Then a second vote on any of them is refused, the proposal and the stake untouched
    for (const proposal of [first, second, third]) {
      await expectRefused(cast.bank, [proposal, cast.bob.stakeAccount], "AlreadyVoted", () => vote(cast.world, proposal, cast.bob, VoteSide.Against));
    }
    // and each proposal counted Bob's stake once
    for (const proposal of [first, second, third]) {
      const state = await cast.bank.programs.governance.account.proposal.fetch(proposal);
      expect([state.voteCount, state.votesFor.toString(), state.votesAgainst.toString()]).to.deep.equal([1, (100n * MEDIA).toString(), "0"]);
    }
  });

  it("cast_vote fails on a proposal 65 ids below the newest the stake voted on: VoteWindowPassed; 64 below still refuses a second vote", async () => {
    // Given Bob voted on a proposal, then 64 proposals later on the newest
    const old = await openProposal();
    await vote(cast.world, old, cast.bob, VoteSide.For);
    const skipped: PublicKey[] = [];
    for (let i = 0; i < 63; i++) skipped.push(await openProposal());
    const newest = await openProposal();
    await vote(cast.world, newest, cast.bob, VoteSide.For);
    // Then, 64 ids below, his vote is still told apart: a second one is AlreadyVoted
    const status = async (proposal: PublicKey) =>
      cast.bank.clients.staking.voteStatus(
        cast.bob.wallet.publicKey,
        BigInt((await cast.bank.programs.governance.account.proposal.fetch(proposal)).id.toString()),
      );
    expect(await status(old), "the SDK reads the stake's record").to.equal("voted");
    await expectRefused(cast.bank, [old, cast.bob.stakeAccount], "AlreadyVoted", () => vote(cast.world, old, cast.bob, VoteSide.Against));
    // and once he votes on one more, 65 ids below no vote is accepted at all (VoteWindowPassed)
    await vote(cast.world, await openProposal(), cast.bob, VoteSide.For);
    expect(await status(old)).to.equal("windowPassed");
    await expectRefused(cast.bank, [old, cast.bob.stakeAccount], "VoteWindowPassed", () => vote(cast.world, old, cast.bob, VoteSide.Against));
    // while a proposal 64 ids below that he never voted on still takes his vote
    expect(await status(skipped[0])).to.equal("open");
    await vote(cast.world, skipped[0], cast.bob, VoteSide.Against);
    expect(await status(skipped[0])).to.equal("voted");
    expect((await cast.bank.programs.governance.account.proposal.fetch(skipped[0])).votesAgainst.toString()).to.equal((100n * MEDIA).toString());
  });

  it("cast_vote fails when voting has ended: VotingEnded", async () => {
    const proposal = await openProposal();
    await warpSeconds(cast.bank, VOTING_PERIOD);
    await expectRefused(cast.bank, [proposal, cast.bob.stakeAccount], "VotingEnded", () => vote(cast.world, proposal, cast.bob, VoteSide.For));
  });

  it("request_unstake fails when vote locked: a stake that voted cannot leave before voting ends (StakeVoteLocked)", async () => {
    // Given Carol voted on an open proposal
    const proposal = await openProposal();
    await vote(cast.world, proposal, cast.carol, VoteSide.Against);
    // When she tries to unstake before voting ends, it fails
    const before = await snapshot(cast.bank, [cast.carol.stakeAccount, cast.world.config]);
    const unstake = () => cast.bank.clients.staking.requestUnstake(30n * MEDIA, { signer: cast.carol.wallet });
    await expectProgramError(unstake(), "StakeVoteLocked");
    await expectUnchanged(cast.bank, before);
    // Then once voting has ended she may leave
    await warpSeconds(cast.bank, VOTING_PERIOD);
    await unstake();
    await cast.bank.clients.staking.cancelUnstake({ signer: cast.carol.wallet });
  });

  it("execute fails before the timelock: TimelockNotElapsed", async () => {
    const proposal = await passedProposal();
    await warpSeconds(cast.bank, TIMELOCK - 10);
    await expectRefused(cast.bank, [proposal, cast.world.config], "TimelockNotElapsed", () => execute(cast.world, proposal));
  });

  it("execute fails when executed twice: ProposalAlreadyExecuted", async () => {
    const proposal = await passedProposal();
    await warpSeconds(cast.bank, TIMELOCK);
    await execute(cast.world, proposal);
    await expectRefused(cast.bank, [proposal, cast.world.config], "ProposalAlreadyExecuted", () => execute(cast.world, proposal));
  });

  it("execute fails when the proposal was defeated: ProposalNotSucceeded", async () => {
    const proposal = await openProposal();
    await vote(cast.world, proposal, cast.alice, VoteSide.Against);
    await warpSeconds(cast.bank, VOTING_PERIOD);
    await finalize(cast.world, proposal);
    expect((await cast.bank.programs.governance.account.proposal.fetch(proposal)).state).to.deep.equal(ProposalState.Defeated);
    await warpSeconds(cast.bank, TIMELOCK);
    await expectRefused(cast.bank, [proposal, cast.world.config], "ProposalNotSucceeded", () => execute(cast.world, proposal));
  });

  it("execute fails after the execution window: ProposalExpired", async () => {
    const proposal = await passedProposal();
    await warpSeconds(cast.bank, TIMELOCK + WINDOW);
    await expectRefused(cast.bank, [proposal, cast.world.config], "ProposalExpired", () => execute(cast.world, proposal));
  });

  it("create_proposal fails when stake is below the threshold: BelowProposalThreshold", async () => {
    // Carol's 30 MEDIA is below the 100 MEDIA proposal threshold
    const next = proposalPda((await cast.bank.programs.governance.account.governanceConfig.fetch(cast.world.governance)).proposalCount);
    await expectRefused(cast.bank, [cast.world.governance, next, cast.carol.stakeAccount], "BelowProposalThreshold", async () =>
      propose(cast.world, cast.carol, [await stakingSetMinStake(cast.world, mediaToBaseUnits("1"))]),
    );
  });

  it("set_min_stake fails when not signed by the governance pda after hand over: Unauthorized", async () => {
    // The deployer, the authority at genesis, no longer changes parameters
    const before = await snapshot(cast.bank, [cast.world.config]);
    await expectProgramError(cast.bank.clients.staking.setMinStake(mediaToBaseUnits("1")), "Unauthorized");
    // nor does the deployer's vote lock (only governance's vote authority signs one)
    await expectProgramError(
      cast.bank.programs.staking.methods
        .lockStake(new BN(0), new BN(0))
        .accounts({ voteAuthority: cast.world.authority.publicKey, stakeAccount: cast.bob.stakeAccount })
        .rpc(),
      "Unauthorized",
    );
    await expectUnchanged(cast.bank, before);
  });

  it("cast_vote fails when flash staked: stake added after voting opened carries no weight (NoVoteWeight)", async () => {
    // Given a proposal open for votes
    const proposal = await openProposal();
    await warpSeconds(cast.bank, 10);
    // When a newcomer stakes 5,000 MEDIA and votes at once
    const flash = await newStaker(cast.world, 5_000n * MEDIA);
    await flash.stake(5_000n * MEDIA);
    await expectRefused(cast.bank, [proposal, flash.stakeAccount], "NoVoteWeight", () => vote(cast.world, proposal, flash, VoteSide.For));
    // And an existing staker's top-up counts for nothing on it either: Alice votes with her 200
    await cast.alice.stake(5_000n * MEDIA);
    const signature = await vote(cast.world, proposal, cast.alice, VoteSide.For);
    expect(voteWeight(signature)).to.equal((200n * MEDIA).toString());
  });

  it("add_instruction fails when the instruction calls back into execute: ReentrantInstruction", async () => {
    const target = await passedProposal();
    const reentrant = await cast.bank.programs.governance.methods.execute().accounts({ proposal: target }).instruction();
    const next = proposalPda((await cast.bank.programs.governance.account.governanceConfig.fetch(cast.world.governance)).proposalCount);
    await expectRefused(cast.bank, [cast.world.governance, next, target], "ReentrantInstruction", () => propose(cast.world, cast.alice, [reentrant]));
  });

  it("add_instruction fails when another key signs a stored instruction: InvalidStoredSigner", async () => {
    // A stored instruction may only be signed by the governance PDA, never by, say, the proposer
    const signedByAlice = await cast.bank.clients.staking.setMinStakeInstruction(mediaToBaseUnits("1"), cast.alice.wallet.publicKey);
    const next = proposalPda((await cast.bank.programs.governance.account.governanceConfig.fetch(cast.world.governance)).proposalCount);
    await expectRefused(cast.bank, [cast.world.governance, next], "InvalidStoredSigner", () => propose(cast.world, cast.alice, [signedByAlice]));
  });

  it("execute fails when an account differs from the stored one: InstructionAccountMismatch", async () => {
    const proposal = await passedProposal();
    await warpSeconds(cast.bank, TIMELOCK);
    const state = await cast.bank.programs.governance.account.proposal.fetch(proposal);
    const remaining = executeRemainingAccounts(state as unknown as Parameters<typeof executeRemainingAccounts>[0]);
    // The stored staking config is swapped for another writable account
    const swapped = remaining.map((meta) => (meta.pubkey.equals(stakingConfigPda()) ? { ...meta, pubkey: cast.bob.tokenAccount } : meta));
    const before = await snapshot(cast.bank, [proposal, cast.world.config, cast.bob.tokenAccount]);
    await expectProgramError(
      cast.bank.programs.governance.methods.execute().accounts({ proposal }).remainingAccounts(swapped).rpc(),
      "InstructionAccountMismatch",
    );
    // and so is leaving the instruction's accounts out
    await expectProgramError(
      cast.bank.programs.governance.methods.execute().accounts({ proposal }).remainingAccounts(remaining.slice(0, 1)).rpc(),
      "NotEnoughAccounts",
    );
    await expectUnchanged(cast.bank, before);
  });

  it("cast_vote fails when the voter does not own the stake: NotStakeOwner", async () => {
    const proposal = await openProposal();
    const thief = Keypair.generate();
    await airdrop(cast.bank, thief.publicKey);
    const before = await snapshot(cast.bank, [proposal, cast.bob.stakeAccount]);
    await expectProgramError(
      cast.bank.programs.governance.methods
        .castVote(VoteSide.For)
        .accountsPartial({ voter: thief.publicKey, proposal, stakeAccount: cast.bob.stakeAccount })
        .signers([thief])
        .rpc(),
      "NotStakeOwner",
    );
    await expectUnchanged(cast.bank, before);
  });

  it("cast_vote fails when staked between create and the last instruction: weights date from create_proposal, not from when voting opens (NoVoteWeight)", async () => {
    // Given Alice creates a two-instruction proposal and stores its first instruction
    const totalBefore = (await fetchConfig(cast.world)).totalActive.toString();
    const bobBefore = (await fetchStake(cast.world, cast.bob)).active.toString();
    const built = await proposalInstructions(cast.bank.programs.governance, {
      proposer: cast.alice.wallet.publicKey,
      descriptionUri: "ipfs://two-steps",
      descriptionHash: new Array(32).fill(3),
      instructions: [await stakingSetMinStake(cast.world, mediaToBaseUnits("25")), await stakingSetMinStake(cast.world, mediaToBaseUnits("25"))],
    });
    const [create, first, last] = built.instructions;
    await cast.bank.provider.sendAndConfirm(new Transaction().add(create, first), [cast.alice.wallet]);
    // When a newcomer stakes, and Bob tops up, before she stores the last one and voting opens
    const late = await newStaker(cast.world, 1_000n * MEDIA);
    await late.stake(500n * MEDIA);
    await cast.bob.stake(50n * MEDIA);
    await cast.bank.provider.sendAndConfirm(new Transaction().add(last), [cast.alice.wallet]);
    const state = await cast.bank.programs.governance.account.proposal.fetch(built.proposal);
    expect(state.state).to.deep.equal(ProposalState.Voting);
    expect(state.totalActiveSnapshot.toString(), "total stake as at creation").to.equal(totalBefore);
    // Then the newcomer's stake weighs nothing
    await expectRefused(cast.bank, [built.proposal, late.stakeAccount], "NoVoteWeight", () => vote(cast.world, built.proposal, late, VoteSide.For));
    // and Bob votes with his stake from before the proposal only
    const signature = await vote(cast.world, built.proposal, cast.bob, VoteSide.For);
    expect(voteWeight(signature)).to.equal(bobBefore);
  });

  it("add_instruction fails when a proposal stores lock stake: only a vote locks stake (StoredVoteLock)", async () => {
    // A majority's proposal that locks an opponent's stake for two months, signed by the
    // governance PDA (what execute signs with) or naming the vote authority: refused either way
    const until = new BN(((await unixTimestamp(cast.bank)) + BigInt(59 * DAY)).toString());
    for (const signer of [cast.world.governance, voteAuthorityPda()]) {
      const lock = await cast.bank.programs.staking.methods
        .lockStake(new BN(0), until)
        .accounts({ voteAuthority: signer, stakeAccount: cast.bob.stakeAccount })
        .instruction();
      const next = proposalPda((await cast.bank.programs.governance.account.governanceConfig.fetch(cast.world.governance)).proposalCount);
      await expectRefused(cast.bank, [cast.world.governance, next, cast.bob.stakeAccount], "StoredVoteLock", () => propose(cast.world, cast.alice, [lock]));
    }
    // Nor may a proposal have the vote authority sign anything else: execute never signs with it
    const signedByVoteAuthority = await cast.bank.programs.staking.methods
      .setMinStake(bn(mediaToBaseUnits("25")))
      .accounts({ authority: voteAuthorityPda() })
      .instruction();
    await expectProgramError(propose(cast.world, cast.alice, [signedByVoteAuthority]), "InvalidStoredSigner");
    // While a vote still locks the voter's stake until voting ends
    const proposal = await openProposal();
    await vote(cast.world, proposal, cast.bob, VoteSide.Against);
    const { votingEndsAt } = await cast.bank.programs.governance.account.proposal.fetch(proposal);
    expect((await fetchStake(cast.world, cast.bob)).voteLockUntil.toString()).to.equal(votingEndsAt.toString());
  });
});
