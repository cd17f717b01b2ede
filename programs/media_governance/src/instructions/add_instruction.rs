//! `add_instruction(index, instruction)`: the proposer stores the next instruction of a
//! draft. Storing the last one opens voting and sets the voting end, timelock and expiry
//! from the config (the weights and quorum were fixed by `create_proposal`). While governance
//! is paused, only an instruction that lifts a pause may be stored.
//!
//! Accounts:
//! 0. `[signer]` proposer
//! 1. `[writable]` config: counts the proposal once voting opens
//! 2. `[writable]` proposal: a draft
//! 3. `[]` clock: the Clock sysvar
use super::copy_pod;
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::load_mut;
use media_core::{checks, math, sysvar, ProgramResult};
use media_governance_interface::error::GovernanceError;
use media_governance_interface::event::{InstructionAdded, VotingStarted};
use media_governance_interface::instruction::AddInstructionArgs;
use media_governance_interface::state::{GovernanceConfig, Proposal};
use media_governance_interface::{
    check_stored_instruction, lifts_pause, ProposalState, MAX_DRAFT_AGE, MAX_EXECUTE_ACCOUNTS,
};

pub fn process(ctx: &Context) -> ProgramResult {
    let [proposer, config, proposal, clock] = ctx.accounts()?;
    let program_id = ctx.program_id;
    let args = ctx.args::<AddInstructionArgs>()?;
    checks::signer(proposer)?;
    let mut config_state = load_mut::<GovernanceConfig>(config, program_id)?;
    let mut state = load_mut::<Proposal>(proposal, program_id)?;
    if !checks::same(proposer.address(), &state.proposer) {
        return Err(GovernanceError::NotProposer.into());
    }
    if state.state != ProposalState::Draft {
        return Err(GovernanceError::ProposalNotDraft.into());
    }
    if args.index != state.instructions_added {
        return Err(GovernanceError::InstructionOutOfOrder.into());
    }
    let now = sysvar::unix_timestamp_of(clock)?;
    if now > math::add_i64(state.created_at.get(), MAX_DRAFT_AGE)? {
        return Err(GovernanceError::DraftExpired.into());
    }
    let ix = &args.instruction;
    let needed = check_stored_instruction(ix, config.address())?;
    // A paused governance still lets stakers prepare the proposal that lifts a pause, and
    // nothing else (`execute` checks again: a pause may start after the proposal was filled).
    if !lifts_pause(ix) && config_state.pause.is_paused_at(now) {
        return Err(GovernanceError::OnlyPauseLiftsWhilePaused.into());
    }
    // `execute` holds the proposal while it invokes: no stored instruction may pass it.
    if ix
        .accounts()
        .iter()
        .any(|meta| checks::same(&meta.pubkey, proposal.address()))
    {
        return Err(GovernanceError::ReentrantInstruction.into());
    }
    let execute_accounts = (state.execute_accounts as usize).saturating_add(needed);
    if execute_accounts > MAX_EXECUTE_ACCOUNTS {
        return Err(GovernanceError::InstructionTooLarge.into());
    }
    let Some(slot) = state.instructions.get_mut(args.index as usize) else {
        return Err(GovernanceError::InstructionOutOfOrder.into());
    };
    copy_pod(slot, ix);
    state.execute_accounts = execute_accounts as u8;
    state.instructions_added = args.index.saturating_add(1);
    InstructionAdded {
        program_id: ix.program_id,
    }
    .emit();

    if state.instructions_added == state.instruction_count {
        let voting_ends_at = math::add_i64(now, config_state.voting_period.get())?;
        // `finalize` pushes these back if staking's unbonding period outlasts the timelock.
        let executable_at = math::add_i64(voting_ends_at, config_state.timelock.get())?;
        state.state = ProposalState::Voting;
        config_state.proposals_voting.try_add(1)?;
        state.voting_starts_at.set(now);
        state
            .paused_seconds_at_voting
            .set(config_state.pause.paused_seconds(now));
        state.voting_ends_at.set(voting_ends_at);
        state.executable_at.set(executable_at);
        state.expires_at.set(math::add_i64(
            executable_at,
            config_state.execution_window.get(),
        )?);
        VotingStarted {
            voting_starts_at: state.voting_starts_at,
            voting_ends_at: state.voting_ends_at,
            total_active_snapshot: state.total_active_snapshot,
            quorum_votes: state.quorum_votes,
        }
        .emit();
    }
    Ok(())
}
