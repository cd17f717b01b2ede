//! `cancel`: the proposer withdraws a draft, or a proposal in its voting period that nobody
//! has voted on yet.
//!
//! Accounts:
//! 0. `[signer]` proposer
//! 1. `[writable]` proposal
//! 2. `[writable]` config: counts a proposal cancelled in its voting period out of voting
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::load_mut;
use media_core::{checks, ProgramResult};
use media_governance_interface::error::GovernanceError;
use media_governance_interface::event::ProposalCancelled;
use media_governance_interface::state::{GovernanceConfig, Proposal};
use media_governance_interface::ProposalState;

pub fn process(ctx: &Context) -> ProgramResult {
    let [proposer, proposal, config] = ctx.accounts()?;
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
    // The config is loaded (and so checked) either way: the account list does not depend on
    // the proposal's state.
    let mut config_state = load_mut::<GovernanceConfig>(config, program_id)?;
    if state.state == ProposalState::Voting {
        config_state.proposals_voting.try_sub(1)?;
    }
    state.state = ProposalState::Cancelled;

    ProposalCancelled {}.emit();
    Ok(())
}
