//! `cast_vote(side)`: a staker votes with the stake that was already active when the proposal
//! was created (stake added later weighs nothing here: no flash staking), once per stake
//! account, and the vote-authority PDA vote-locks that stake in media_staking until voting
//! ends. Open while any program is paused: a pause never blocks the vote that lifts it.
//!
//! Accounts:
//! 0. `[writable, signer]` voter: the stake's owner; pays for the vote record
//! 1. `[]` config: the governance config (the vote authority's address and bump)
//! 2. `[]` vote_authority: PDA `["vote_authority"]`, signs the vote lock
//! 3. `[writable]` proposal: in its voting period
//! 4. `[writable]` stake_account: the voter's media_staking stake account
//! 5. `[writable]` vote_record: PDA `["vote", proposal, stake_account]`, created here
//! 6. `[]` staking_config: media_staking's config
//! 7. `[]` staking_program
//! 8. `[]` system_program
use super::vote_authority_seeds;
use media_core::error::CommonError;
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::{create, load, load_mut, NewPda};
use media_core::{checks, sysvar, ProgramResult};
use media_governance_interface::error::GovernanceError;
use media_governance_interface::event::VoteCast;
use media_governance_interface::instruction::CastVoteArgs;
use media_governance_interface::state::{GovernanceConfig, Proposal, VoteRecord};
use media_governance_interface::{seeds, ProposalState, VoteSide};
use media_staking_interface::instruction::{lock_stake, LockStakeArgs};
use media_staking_interface::state::load_stake_account;
use pinocchio::cpi::Signer;

pub fn process(ctx: &Context) -> ProgramResult {
    let [voter, config, vote_authority, proposal, stake_account, vote_record, staking_config, staking_program, system_program] =
        ctx.accounts()?;
    let program_id = ctx.program_id;
    let side = ctx.args::<CastVoteArgs>()?.side;
    checks::writable_signer(voter)?;
    checks::writable(vote_record)?;
    checks::system_program(system_program)?;
    checks::address_is(
        staking_program.address(),
        &media_staking_interface::ID,
        CommonError::InvalidProgram,
    )?;
    if !side.is_known() {
        return Err(GovernanceError::InvalidVoteSide.into());
    }
    let bump = {
        let config_state = load::<GovernanceConfig>(config, program_id)?;
        checks::address_is(
            vote_authority.address(),
            &config_state.vote_authority,
            CommonError::InvalidPda,
        )?;
        [config_state.vote_authority_bump]
    };
    let mut state = load_mut::<Proposal>(proposal, program_id)?;
    if state.state != ProposalState::Voting {
        return Err(GovernanceError::ProposalNotVoting.into());
    }
    let now = sysvar::unix_timestamp()?;
    let voting_ends_at = state.voting_ends_at;
    if now >= voting_ends_at.get() {
        return Err(GovernanceError::VotingEnded.into());
    }
    let weight = {
        let stake = load_stake_account(stake_account)?;
        if !checks::same(&stake.owner, voter.address()) {
            return Err(GovernanceError::NotStakeOwner.into());
        }
        // Only stake already active when the proposal was created counts: flash stakes weigh
        // nothing.
        stake.vote_weight_before(state.stake_sequence_snapshot.get())
    };
    if weight == 0 {
        return Err(GovernanceError::NoVoteWeight.into());
    }
    if checks::owned_by(vote_record, program_id) {
        return Err(GovernanceError::AlreadyVoted.into());
    }

    {
        let (mut record, bump) = create::<VoteRecord>(&NewPda {
            payer: voter,
            account: vote_record,
            seeds: &[
                seeds::VOTE,
                proposal.address().as_ref(),
                stake_account.address().as_ref(),
            ],
            program_id,
        })?;
        record.proposal = *proposal.address();
        record.stake_account = *stake_account.address();
        record.voter = *voter.address();
        record.side = side;
        record.weight.set(weight);
        record.voted_at.set(now);
        record.bump = bump;
    }
    let tally = match side {
        VoteSide::For => &mut state.votes_for,
        VoteSide::Against => &mut state.votes_against,
        _ => &mut state.votes_abstain,
    };
    tally.try_add(weight)?;
    state.vote_count.try_add(1)?;

    // Lock the stake until voting ends, the vote authority signing (only here).
    let lock = LockStakeArgs {
        until: voting_ends_at,
    };
    lock_stake::cpi([vote_authority, staking_config, stake_account], &lock)
        .invoke(Some(&Signer::from(&vote_authority_seeds(&bump))))?;

    VoteCast {
        proposal: *proposal.address(),
        stake_account: *stake_account.address(),
        voter: *voter.address(),
        side,
        weight: weight.into(),
        votes_for: state.votes_for,
        votes_against: state.votes_against,
        votes_abstain: state.votes_abstain,
    }
    .emit();
    Ok(())
}
