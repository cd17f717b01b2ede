//! `finalize`: once voting has ended (anyone may call), records the outcome: Succeeded if
//! every vote together reaches the quorum fixed when the proposal was created and for beats
//! against, Defeated otherwise. It also fixes the earliest execution at the end of voting plus
//! the longer of the timelock and staking's current unbonding period, so a staker vote-locked
//! until the end can unbond and withdraw before a proposal it opposed executes. A proposal
//! that only unpauses programs executes as soon as voting ends: it changes no parameter and
//! moves no funds, so nobody needs time to leave before it, and a pause must not outlast the
//! vote that lifts it. (Replacing a pause key keeps the timelock.) Open while any program is
//! paused.
//!
//! Accounts:
//! 0. `[writable]` proposal: in the voting state, its voting period over
//! 1. `[]` staking_config: media_staking's config (the unbonding period)
//! 2. `[writable]` config: counts the proposal out of voting
//! 3. `[]` clock: the Clock sysvar
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::{load_inline, load_mut, load_mut_inline};
use media_core::{math, sysvar, ProgramResult};
use media_governance_interface::error::GovernanceError;
use media_governance_interface::event::ProposalFinalized;
use media_governance_interface::state::{GovernanceConfig, Proposal};
use media_governance_interface::{execution_delay, outcome, unpauses, ProposalState};
use media_staking_interface::state::StakingConfig;

pub fn process(ctx: &Context) -> ProgramResult {
    let [proposal, staking_config, config, clock] = ctx.accounts()?;
    let program_id = ctx.program_id;
    ctx.no_args()?;
    // Two of the three loads written in place (no call, the borrow in registers): on this row
    // the calls' set-up and the `Result`s read back through the stack decided the budget.
    let unbonding_period =
        load_inline::<StakingConfig>(staking_config, &media_staking_interface::ID)?
            .unbonding_period
            .get();
    let mut state = load_mut_inline::<Proposal>(proposal, program_id)?;
    if state.state != ProposalState::Voting {
        return Err(GovernanceError::ProposalNotVoting.into());
    }
    let voting_ends_at = state.voting_ends_at.get();
    if sysvar::unix_timestamp_of(clock)? < voting_ends_at {
        return Err(GovernanceError::VotingNotEnded.into());
    }
    load_mut::<GovernanceConfig>(config, program_id)?
        .proposals_voting
        .try_sub(1)?;
    // The execution window keeps the length fixed when voting opened; only its start moves.
    let (executable_at, expires_at) = (state.executable_at.get(), state.expires_at.get());
    let count = state.instruction_count as usize;
    let delay = if state.instructions.iter().take(count).all(unpauses) {
        voting_ends_at.saturating_sub(executable_at)
    } else {
        execution_delay(voting_ends_at, executable_at, unbonding_period)?
    };
    if delay != 0 {
        state
            .executable_at
            .set(math::add_i64(executable_at, delay)?);
        state.expires_at.set(math::add_i64(expires_at, delay)?);
    }
    // After the window: every refusal past the config's load is `ArithmeticOverflow`, so the
    // order of the arithmetic decides no error, and the votes go from here straight into the
    // event instead of waiting on the stack across the window's arithmetic.
    state.state = outcome(
        state.votes_for.get(),
        state.votes_against.get(),
        state.votes_abstain.get(),
        state.quorum_votes.get(),
    )?;

    // The proposal's borrow ends before the event, whose fields are all known by now: the
    // borrow's release then needs no stack slot across the event's assembly.
    let tally = (
        state.state,
        state.votes_for,
        state.votes_against,
        state.votes_abstain,
        state.quorum_votes,
    );
    drop(state);
    let (state, votes_for, votes_against, votes_abstain, quorum_votes) = tally;
    ProposalFinalized {
        state,
        votes_for,
        votes_against,
        votes_abstain,
        quorum_votes,
    }
    .emit();
    Ok(())
}
