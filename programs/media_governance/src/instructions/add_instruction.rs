//! `add_instruction(index, instruction)`: the proposer stores the next instruction of a
//! draft. Storing the last one opens voting, and fixes what the vote is measured against:
//! stake counts only if active before now, the quorum is a share of the staking program's
//! total active stake now, and the voting end, timelock and expiry follow from the config.
//!
//! Accounts:
//! 0. `[signer]` proposer
//! 1. `[]` config
//! 2. `[writable]` proposal: a draft
//! 3. `[]` staking_config: media_staking's config
use super::copy_pod;
use media_core::error::{err, CommonError};
use media_core::event::Event;
use media_core::ix::{parse_args, Context};
use media_core::state::{load, load_mut};
use media_core::{checks, math, sysvar, ProgramResult};
use media_governance_interface::error::GovernanceError;
use media_governance_interface::event::{InstructionAdded, VotingStarted};
use media_governance_interface::instruction::AddInstructionArgs;
use media_governance_interface::state::{GovernanceConfig, Proposal};
use media_governance_interface::{check_stored_instruction, proposal_state, quorum_votes, MAX_EXECUTE_ACCOUNTS};
use media_staking_interface::state::load_config;

pub fn process(ctx: &Context) -> ProgramResult {
    let Context { program_id, accounts, args } = *ctx;
    let [proposer, config, proposal, staking_config, ..] = accounts else {
        return err(CommonError::NotEnoughAccounts);
    };
    let args = parse_args::<AddInstructionArgs>(args)?;
    checks::signer(proposer)?;
    let config_state = load::<GovernanceConfig>(config, program_id)?;
    let mut state = load_mut::<Proposal>(proposal, program_id)?;
    if !checks::same(proposer.address(), &state.proposer) {
        return Err(GovernanceError::NotProposer.into());
    }
    if state.state != proposal_state::DRAFT {
        return Err(GovernanceError::ProposalNotDraft.into());
    }
    if args.index != state.instructions_added {
        return Err(GovernanceError::InstructionOutOfOrder.into());
    }
    let ix = &args.instruction;
    let needed = check_stored_instruction(ix, config.address())?;
    // `execute` holds the proposal while it invokes: no stored instruction may pass it.
    if ix.accounts().iter().any(|meta| checks::same(&meta.pubkey, proposal.address())) {
        return Err(GovernanceError::ReentrantInstruction.into());
    }
    let execute_accounts = (state.execute_accounts as usize).saturating_add(needed);
    if execute_accounts > MAX_EXECUTE_ACCOUNTS {
        return Err(GovernanceError::InstructionTooLarge.into());
    }
    let Some(slot) = state.instructions_mut().get_mut(args.index as usize) else {
        return Err(GovernanceError::InstructionOutOfOrder.into());
    };
    copy_pod(slot, ix);
    state.execute_accounts = execute_accounts as u8;
    state.instructions_added = args.index.saturating_add(1);
    InstructionAdded { proposal: *proposal.address(), index: args.index, program_id: ix.program_id }.emit();

    if state.instructions_added == state.instruction_count {
        let (total_active, stake_sequence) = {
            let staking = load_config(staking_config)?;
            (staking.total_active, staking.stake_sequence.get())
        };
        let now = sysvar::unix_timestamp()?;
        let voting_ends_at = math::add_i64(now, config_state.voting_period.get())?;
        let executable_at = math::add_i64(voting_ends_at, config_state.timelock.get())?;
        state.state = proposal_state::VOTING;
        state.voting_starts_at.set(now);
        state.voting_ends_at.set(voting_ends_at);
        state.executable_at.set(executable_at);
        state.expires_at.set(math::add_i64(executable_at, config_state.execution_window.get())?);
        state.total_active_snapshot = total_active;
        // Every stake cohort that exists now is dated at or below `stake_sequence`.
        state.stake_sequence_snapshot.set(math::add(stake_sequence, 1)?);
        state.quorum_votes.set(quorum_votes(total_active.get(), config_state.quorum_bps.get())?);
        VotingStarted {
            proposal: *proposal.address(),
            voting_starts_at: state.voting_starts_at,
            voting_ends_at: state.voting_ends_at,
            total_active_snapshot: total_active,
            quorum_votes: state.quorum_votes,
        }
        .emit();
    }
    Ok(())
}
