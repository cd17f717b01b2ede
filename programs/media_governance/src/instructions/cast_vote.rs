//! `cast_vote(side)`: a staker votes with the stake that was already active when the proposal
//! was created (stake added later weighs nothing here: no flash staking), once per stake
//! account, and the vote-authority PDA vote-locks that stake in media_staking until voting
//! ends. Open while any program is paused: a pause never blocks the vote that lifts it.
//!
//! The vote is recorded in the stake account itself, by the same `lock_stake` call that locks
//! it (`StakeAccount::record_vote`, keyed by the proposal's id, which is never reused): no
//! account per vote. A second vote on a proposal is refused here first (`AlreadyVoted`), as is
//! a vote on a proposal 64 or more ids older than the newest one the stake voted on
//! (`VoteWindowPassed`).
//!
//! Accounts:
//! 0. `[signer]` voter: the stake's owner
//! 1. `[]` config: the governance config (the vote authority's address and bump)
//! 2. `[]` vote_authority: PDA `["vote_authority"]`, signs the vote lock
//! 3. `[writable]` proposal: in its voting period
//! 4. `[writable]` stake_account: the voter's media_staking stake account
//! 5. `[]` staking_config: media_staking's config
//! 6. `[]` staking_program
//! 7. `[]` clock: the Clock sysvar
use super::vote_authority_seeds;
use media_core::error::CommonError;
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::{load, load_mut};
use media_core::{checks, sysvar, ProgramResult};
use media_governance_interface::error::GovernanceError;
use media_governance_interface::event::VoteCast;
use media_governance_interface::instruction::CastVoteArgs;
use media_governance_interface::state::{GovernanceConfig, Proposal};
use media_governance_interface::{ProposalState, VoteSide};
use media_staking_interface::instruction::{lock_stake, LockStakeArgs};
use media_staking_interface::state::{load_stake_account, VoteRefusal};
use pinocchio::cpi::Signer;

pub fn process(ctx: &Context) -> ProgramResult {
    let [voter, config, vote_authority, proposal, stake_account, staking_config, staking_program, clock] =
        ctx.accounts()?;
    let program_id = ctx.program_id;
    let side = ctx.args::<CastVoteArgs>()?.side;
    checks::signer(voter)?;
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
    let now = sysvar::unix_timestamp_of(clock)?;
    let voting_ends_at = state.voting_ends_at;
    if now >= voting_ends_at.get() {
        return Err(GovernanceError::VotingEnded.into());
    }
    let weight = {
        let stake = load_stake_account(stake_account)?;
        if !checks::same(&stake.owner, voter.address()) {
            return Err(GovernanceError::NotStakeOwner.into());
        }
        // Refused here with governance's own errors, which Anchor's `Program` names from this
        // program's IDL; staking keeps the record and refuses the same votes itself.
        stake
            .vote_recorded(state.id.get())
            .map_err(|refusal| match refusal {
                VoteRefusal::AlreadyVoted => GovernanceError::AlreadyVoted,
                VoteRefusal::WindowPassed => GovernanceError::VoteWindowPassed,
            })?;
        // Only stake already active when the proposal was created counts: flash stakes weigh
        // nothing.
        stake.vote_weight_before(state.stake_sequence_snapshot.get())
    };
    if weight == 0 {
        return Err(GovernanceError::NoVoteWeight.into());
    }

    let tally = match side {
        VoteSide::For => &mut state.votes_for,
        VoteSide::Against => &mut state.votes_against,
        _ => &mut state.votes_abstain,
    };
    tally.try_add(weight)?;
    state.vote_count.try_add(1)?;

    // Record the vote and lock the stake until voting ends, the vote authority signing (only
    // here).
    let lock = LockStakeArgs {
        proposal_id: state.id,
        until: voting_ends_at,
    };
    lock_stake::cpi(
        [vote_authority, staking_config, stake_account, clock],
        &lock,
    )
    .invoke(Some(&Signer::from(&vote_authority_seeds(&bump))))?;

    VoteCast {
        weight: weight.into(),
        votes_for: state.votes_for,
        votes_against: state.votes_against,
        votes_abstain: state.votes_abstain,
    }
    .emit();
    Ok(())
}
