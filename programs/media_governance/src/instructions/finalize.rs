//! `finalize`: once voting has ended (anyone may call), records the outcome: Succeeded if
//! every vote together reaches the quorum fixed when voting opened and for beats against,
//! Defeated otherwise.
//!
//! Accounts:
//! 0. `[writable]` proposal: in the voting state, its voting period over
use media_core::error::{err, CommonError};
use media_core::event::Event;
use media_core::ix::{no_args, Context};
use media_core::state::load_mut;
use media_core::{sysvar, ProgramResult};
use media_governance_interface::error::GovernanceError;
use media_governance_interface::event::ProposalFinalized;
use media_governance_interface::state::Proposal;
use media_governance_interface::{outcome, proposal_state};

pub fn process(ctx: &Context) -> ProgramResult {
    let Context { program_id, accounts, args } = *ctx;
    let [proposal, ..] = accounts else {
        return err(CommonError::NotEnoughAccounts);
    };
    no_args(args)?;
    let mut state = load_mut::<Proposal>(proposal, program_id)?;
    if state.state != proposal_state::VOTING {
        return Err(GovernanceError::ProposalNotVoting.into());
    }
    if sysvar::unix_timestamp()? < state.voting_ends_at.get() {
        return Err(GovernanceError::VotingNotEnded.into());
    }
    state.state = outcome(state.votes_for.get(), state.votes_against.get(), state.votes_abstain.get(), state.quorum_votes.get())?;

    ProposalFinalized {
        proposal: *proposal.address(),
        state: state.state,
        votes_for: state.votes_for,
        votes_against: state.votes_against,
        votes_abstain: state.votes_abstain,
        quorum_votes: state.quorum_votes,
    }
    .emit();
    Ok(())
}
