//! `cancel`: the proposer withdraws a draft, or a proposal in its voting period that nobody
//! has voted on yet.
//!
//! Accounts:
//! 0. `[signer]` proposer
//! 1. `[writable]` proposal
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::load_mut;
use media_core::{checks, ProgramResult};
use media_governance_interface::error::GovernanceError;
use media_governance_interface::event::ProposalCancelled;
use media_governance_interface::state::Proposal;
use media_governance_interface::ProposalState;

pub fn process(ctx: &Context) -> ProgramResult {
    let [proposer, proposal] = ctx.accounts()?;
    let program_id = ctx.program_id;
    ctx.no_args()?;
    checks::signer(proposer)?;
    let mut state = load_mut::<Proposal>(proposal, program_id)?;
    if !checks::same(proposer.address(), &state.proposer) {
        return Err(GovernanceError::NotProposer.into());
    }
    if state.state != ProposalState::Draft && state.state != ProposalState::Voting {
        return Err(GovernanceError::ProposalNotCancellable.into());
    }
    if state.vote_count.get() != 0 {
        return Err(GovernanceError::ProposalHasVotes.into());
    }
    state.state = ProposalState::Cancelled;

    ProposalCancelled {
        proposal: *proposal.address(),
    }
    .emit();
    Ok(())
}
