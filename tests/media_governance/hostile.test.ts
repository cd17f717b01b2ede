/**
 * Hostile input against governance: each attempt fails with its named error and leaves every
 * account it touches byte-identical.
 */
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
import { type Bank, startBank, unixTimestamp, warpSeconds } from "../utils/bank";
import { expectProgramError, expectUnchanged, snapshot } from "../utils/assertions";
import { type GovernanceWorld, execute, finalize, handOverStaking, propose, setUpGovernance, stakingSetMinStake, vote, voteRecord } from "../utils/governance";
import { type Staker, fetchConfig, fetchStake, newStaker, setUpStaking, stake } from "../utils/staking";
import { airdrop } from "../utils/token";

const MEDIA = 1_000_000n;
const VOTING_PERIOD = GOVERNANCE_DEFAULTS.votingPeriod.toNumber();
const TIMELOCK = GOVERNANCE_DEFAULTS.timelock.toNumber();
const WINDOW = GOVERNANCE_DEFAULTS.executionWindow.toNumber();
const DAY = 24 * 60 * 60;

describe("media_governance: hostile input", () => {
  let bank: Bank;
  let world: GovernanceWorld;
  let alice: Staker;
  let bob: Staker;
  let carol: Staker;

  /** A harmless proposal (min stake stays 25 MEDIA) by Alice, open for votes. */
  async function openProposal(): Promise<PublicKey> {
    return propose(world, alice, [await stakingSetMinStake(world, mediaToBaseUnits("25"))]);
  }

  /** A proposal Alice carried: finalized as Succeeded, its timelock still running. */
  async function passedProposal(): Promise<PublicKey> {
    const proposal = await openProposal();
    await vote(world, proposal, alice, VoteSide.For);
    await warpSeconds(bank, VOTING_PERIOD);
    await finalize(world, proposal);
    return proposal;
  }

  before(async () => {
    bank = await startBank();
    world = await setUpGovernance(await setUpStaking(bank));
    alice = await newStaker(world, 10_000n * MEDIA);
    bob = await newStaker(world, 1_000n * MEDIA);
    carol = await newStaker(world, 1_000n * MEDIA);
    await stake(world, alice, 200n * MEDIA);
    await stake(world, bob, 100n * MEDIA);
    await stake(world, carol, 30n * MEDIA);
    await handOverStaking(world);
    await warpSeconds(bank, 60);
  });

  it("test_cast_vote_fails_when_the_same_stake_votes_twice: AlreadyVoted", async () => {
    const proposal = await openProposal();
    await vote(world, proposal, bob, VoteSide.For);
    const before = await snapshot(bank, [proposal, voteRecord(proposal, bob), bob.stakeAccount]);
    await expectProgramError(vote(world, proposal, bob, VoteSide.Against), "AlreadyVoted");
    await expectUnchanged(bank, before);
  });

  it("test_cast_vote_fails_when_voting_has_ended: VotingEnded", async () => {
    const proposal = await openProposal();
    await warpSeconds(bank, VOTING_PERIOD);
    const before = await snapshot(bank, [proposal, voteRecord(proposal, bob), bob.stakeAccount]);
    await expectProgramError(vote(world, proposal, bob, VoteSide.For), "VotingEnded");
    await expectUnchanged(bank, before);
  });

  it("test_request_unstake_fails_when_vote_locked: a stake that voted cannot leave before voting ends (StakeVoteLocked)", async () => {
    // Given Carol voted on an open proposal
    const proposal = await openProposal();
    await vote(world, proposal, carol, VoteSide.Against);
    // When she tries to unstake before voting ends, it fails
    const before = await snapshot(bank, [carol.stakeAccount, world.config]);
    const unstake = () =>
      bank.programs.staking.methods
        .requestUnstake(new BN((30n * MEDIA).toString()))
        .accounts({ owner: carol.wallet.publicKey })
        .signers([carol.wallet])
        .rpc();
    await expectProgramError(unstake(), "StakeVoteLocked");
    await expectUnchanged(bank, before);
    // Then once voting has ended she may leave
    await warpSeconds(bank, VOTING_PERIOD);
    await unstake();
    await bank.programs.staking.methods.cancelUnstake().accounts({ owner: carol.wallet.publicKey }).signers([carol.wallet]).rpc();
  });

  it("test_execute_fails_before_the_timelock: TimelockNotElapsed", async () => {
    const proposal = await passedProposal();
    await warpSeconds(bank, TIMELOCK - 10);
    const before = await snapshot(bank, [proposal, world.config]);
    await expectProgramError(execute(world, proposal), "TimelockNotElapsed");
    await expectUnchanged(bank, before);
  });

  it("test_execute_fails_when_executed_twice: ProposalAlreadyExecuted", async () => {
    const proposal = await passedProposal();
    await warpSeconds(bank, TIMELOCK);
    await execute(world, proposal);
    const before = await snapshot(bank, [proposal, world.config]);
    await expectProgramError(execute(world, proposal), "ProposalAlreadyExecuted");
    await expectUnchanged(bank, before);
  });

  it("test_execute_fails_when_the_proposal_was_defeated: ProposalNotSucceeded", async () => {
    const proposal = await openProposal();
    await vote(world, proposal, alice, VoteSide.Against);
    await warpSeconds(bank, VOTING_PERIOD);
    await finalize(world, proposal);
    expect((await bank.programs.governance.account.proposal.fetch(proposal)).state).to.deep.equal(ProposalState.Defeated);
    await warpSeconds(bank, TIMELOCK);
    const before = await snapshot(bank, [proposal, world.config]);
    await expectProgramError(execute(world, proposal), "ProposalNotSucceeded");
    await expectUnchanged(bank, before);
  });

  it("test_execute_fails_after_the_execution_window: ProposalExpired", async () => {
    const proposal = await passedProposal();
    await warpSeconds(bank, TIMELOCK + WINDOW);
    const before = await snapshot(bank, [proposal, world.config]);
    await expectProgramError(execute(world, proposal), "ProposalExpired");
    await expectUnchanged(bank, before);
  });

  it("test_create_proposal_fails_when_stake_is_below_the_threshold: BelowProposalThreshold", async () => {
    // Carol's 30 MEDIA is below the 100 MEDIA proposal threshold
    const next = proposalPda((await bank.programs.governance.account.governanceConfig.fetch(world.governance)).proposalCount);
    const before = await snapshot(bank, [world.governance, next, carol.stakeAccount]);
    await expectProgramError(propose(world, carol, [await stakingSetMinStake(world, mediaToBaseUnits("1"))]), "BelowProposalThreshold");
    await expectUnchanged(bank, before);
  });

  it("test_set_min_stake_fails_when_not_signed_by_the_governance_pda_after_hand_over: Unauthorized", async () => {
    // The deployer, the authority at genesis, no longer changes parameters
    const before = await snapshot(bank, [world.config]);
    await expectProgramError(
      bank.programs.staking.methods.setMinStake(mediaToBaseUnits("1")).accounts({ authority: world.authority.publicKey }).rpc(),
      "Unauthorized",
    );
    // nor does the deployer's vote lock (only governance's vote authority signs one)
    await expectProgramError(
      bank.programs.staking.methods.lockStake(new BN(0)).accounts({ voteAuthority: world.authority.publicKey, stakeAccount: bob.stakeAccount }).rpc(),
      "Unauthorized",
    );
    await expectUnchanged(bank, before);
  });

  it("test_cast_vote_fails_when_flash_staked: stake added after voting opened carries no weight (NoVoteWeight)", async () => {
    // Given a proposal open for votes
    const proposal = await openProposal();
    await warpSeconds(bank, 10);
    // When a newcomer stakes 5,000 MEDIA and votes at once
    const flash = await newStaker(world, 5_000n * MEDIA);
    await stake(world, flash, 5_000n * MEDIA);
    const before = await snapshot(bank, [proposal, voteRecord(proposal, flash), flash.stakeAccount]);
    await expectProgramError(vote(world, proposal, flash, VoteSide.For), "NoVoteWeight");
    await expectUnchanged(bank, before);
    // And an existing staker's top-up counts for nothing on it either: Alice votes with her 200
    await stake(world, alice, 5_000n * MEDIA);
    await vote(world, proposal, alice, VoteSide.For);
    const record = await bank.programs.governance.account.voteRecord.fetch(voteRecord(proposal, alice));
    expect(record.weight.toString()).to.equal((200n * MEDIA).toString());
  });

  it("test_add_instruction_fails_when_the_instruction_calls_back_into_execute: ReentrantInstruction", async () => {
    const target = await passedProposal();
    const reentrant = await bank.programs.governance.methods.execute().accounts({ proposal: target }).instruction();
    const next = proposalPda((await bank.programs.governance.account.governanceConfig.fetch(world.governance)).proposalCount);
    const before = await snapshot(bank, [world.governance, next, target]);
    await expectProgramError(propose(world, alice, [reentrant]), "ReentrantInstruction");
    await expectUnchanged(bank, before);
  });

  it("test_add_instruction_fails_when_another_key_signs_a_stored_instruction: InvalidStoredSigner", async () => {
    // A stored instruction may only be signed by the governance PDA, never by, say, the proposer
    const signedByAlice = await bank.programs.staking.methods.setMinStake(mediaToBaseUnits("1")).accounts({ authority: alice.wallet.publicKey }).instruction();
    const next = proposalPda((await bank.programs.governance.account.governanceConfig.fetch(world.governance)).proposalCount);
    const before = await snapshot(bank, [world.governance, next]);
    await expectProgramError(propose(world, alice, [signedByAlice]), "InvalidStoredSigner");
    await expectUnchanged(bank, before);
  });

  it("test_execute_fails_when_an_account_differs_from_the_stored_one: InstructionAccountMismatch", async () => {
    const proposal = await passedProposal();
    await warpSeconds(bank, TIMELOCK);
    const state = await bank.programs.governance.account.proposal.fetch(proposal);
    const remaining = executeRemainingAccounts(state as unknown as Parameters<typeof executeRemainingAccounts>[0]);
    // The stored staking config is swapped for another writable account
    const swapped = remaining.map((meta) => (meta.pubkey.equals(stakingConfigPda()) ? { ...meta, pubkey: bob.tokenAccount } : meta));
    const before = await snapshot(bank, [proposal, world.config, bob.tokenAccount]);
    await expectProgramError(bank.programs.governance.methods.execute().accounts({ proposal }).remainingAccounts(swapped).rpc(), "InstructionAccountMismatch");
    // and so is leaving the instruction's accounts out
    await expectProgramError(
      bank.programs.governance.methods.execute().accounts({ proposal }).remainingAccounts(remaining.slice(0, 1)).rpc(),
      "NotEnoughAccounts",
    );
    await expectUnchanged(bank, before);
  });

  it("test_cast_vote_fails_when_the_voter_does_not_own_the_stake: NotStakeOwner", async () => {
    const proposal = await openProposal();
    const thief = Keypair.generate();
    await airdrop(bank, thief.publicKey);
    const record = voteRecord(proposal, bob);
    const before = await snapshot(bank, [proposal, record, bob.stakeAccount]);
    await expectProgramError(
      bank.programs.governance.methods
        .castVote(VoteSide.For)
        .accountsPartial({ voter: thief.publicKey, proposal, stakeAccount: bob.stakeAccount })
        .signers([thief])
        .rpc(),
      "NotStakeOwner",
    );
    await expectUnchanged(bank, before);
  });

  it("test_cast_vote_fails_when_staked_between_create_and_the_last_instruction: weights date from create_proposal, not from when voting opens (NoVoteWeight)", async () => {
    // Given Alice creates a two-instruction proposal and stores its first instruction
    const totalBefore = (await fetchConfig(world)).totalActive.toString();
    const bobBefore = (await fetchStake(world, bob)).active.toString();
    const built = await proposalInstructions(bank.programs.governance, {
      proposer: alice.wallet.publicKey,
      descriptionUri: "ipfs://two-steps",
      descriptionHash: new Array(32).fill(3),
      instructions: [await stakingSetMinStake(world, mediaToBaseUnits("25")), await stakingSetMinStake(world, mediaToBaseUnits("25"))],
    });
    const [create, first, last] = built.instructions;
    await bank.provider.sendAndConfirm(new Transaction().add(create, first), [alice.wallet]);
    // When a newcomer stakes, and Bob tops up, before she stores the last one and voting opens
    const late = await newStaker(world, 1_000n * MEDIA);
    await stake(world, late, 500n * MEDIA);
    await stake(world, bob, 50n * MEDIA);
    await bank.provider.sendAndConfirm(new Transaction().add(last), [alice.wallet]);
    const state = await bank.programs.governance.account.proposal.fetch(built.proposal);
    expect(state.state).to.deep.equal(ProposalState.Voting);
    expect(state.totalActiveSnapshot.toString(), "total stake as at creation").to.equal(totalBefore);
    // Then the newcomer's stake weighs nothing
    const before = await snapshot(bank, [built.proposal, voteRecord(built.proposal, late), late.stakeAccount]);
    await expectProgramError(vote(world, built.proposal, late, VoteSide.For), "NoVoteWeight");
    await expectUnchanged(bank, before);
    // and Bob votes with his stake from before the proposal only
    await vote(world, built.proposal, bob, VoteSide.For);
    const record = await bank.programs.governance.account.voteRecord.fetch(voteRecord(built.proposal, bob));
    expect(record.weight.toString()).to.equal(bobBefore);
  });

  it("test_add_instruction_fails_when_a_proposal_stores_lock_stake: only a vote locks stake (StoredVoteLock)", async () => {
    // A majority's proposal that locks an opponent's stake for two months, signed by the
    // governance PDA (what execute signs with) or naming the vote authority: refused either way
    const until = new BN(((await unixTimestamp(bank)) + BigInt(59 * DAY)).toString());
    for (const signer of [world.governance, voteAuthorityPda()]) {
      const lock = await bank.programs.staking.methods.lockStake(until).accounts({ voteAuthority: signer, stakeAccount: bob.stakeAccount }).instruction();
      const next = proposalPda((await bank.programs.governance.account.governanceConfig.fetch(world.governance)).proposalCount);
      const before = await snapshot(bank, [world.governance, next, bob.stakeAccount]);
      await expectProgramError(propose(world, alice, [lock]), "StoredVoteLock");
      await expectUnchanged(bank, before);
    }
    // Nor may a proposal have the vote authority sign anything else: execute never signs with it
    const signedByVoteAuthority = await bank.programs.staking.methods
      .setMinStake(mediaToBaseUnits("25"))
      .accounts({ authority: voteAuthorityPda() })
      .instruction();
    await expectProgramError(propose(world, alice, [signedByVoteAuthority]), "InvalidStoredSigner");
    // While a vote still locks the voter's stake until voting ends
    const proposal = await openProposal();
    await vote(world, proposal, bob, VoteSide.Against);
    const { votingEndsAt } = await bank.programs.governance.account.proposal.fetch(proposal);
    expect((await fetchStake(world, bob)).voteLockUntil.toString()).to.equal(votingEndsAt.toString());
  });
});
