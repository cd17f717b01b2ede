//! `execute`: runs a succeeded proposal once, after its timelock and before it expires.
//! The proposal is marked executed first; then each stored instruction is invoked with the
//! governance PDA signing, its accounts taken from the remaining accounts and checked one by
//! one against what the proposal stored. While governance is paused, only a proposal whose
//! every instruction lifts a pause runs: a pause never blocks its own lifting.
//!
//! Accounts:
//! 0. `[]` config: the governance PDA
//! 1. `[writable]` proposal: succeeded
//! 2. `[]` clock: the Clock sysvar
//! 3. and on, per stored instruction, in order: `[]` its program, then its stored accounts
//!    (with at least the stored writability; none signs: the governance PDA signs by seeds)
use super::governance_seeds;
use core::mem::MaybeUninit;
use media_core::checks;
use media_core::error::{err, CommonError};
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::{load, load_mut};
use media_core::{cpi, sysvar, AccountView, Address, ProgramError, ProgramResult};
use media_governance_interface::error::GovernanceError;
use media_governance_interface::event::ProposalExecuted;
use media_governance_interface::state::{GovernanceConfig, Proposal, StoredInstruction};
use media_governance_interface::{
    check_stored_instruction, lifts_pause, ProposalState, MAX_INSTRUCTION_ACCOUNTS,
};
use pinocchio::cpi::Signer;
use pinocchio::instruction::{InstructionAccount, InstructionView};

pub fn process(ctx: &Context) -> ProgramResult {
    let [config, proposal, clock, remaining @ ..] = ctx.accounts else {
        return err(CommonError::NotEnoughAccounts);
    };
    let program_id = ctx.program_id;
    ctx.no_args()?;
    let (bump, paused) = {
        let config_state = load::<GovernanceConfig>(config, program_id)?;
        ([config_state.bump], config_state.pause)
    };
    let now = sysvar::unix_timestamp_of(clock)?;
    let pause = paused;
    let paused = pause.is_paused_at(now);
    let mut state = load_mut::<Proposal>(proposal, program_id)?;
    match state.state {
        ProposalState::Succeeded => {}
        ProposalState::Executed => return Err(GovernanceError::ProposalAlreadyExecuted.into()),
        _ => return Err(GovernanceError::ProposalNotSucceeded.into()),
    }
    if now < state.executable_at.get() {
        return Err(GovernanceError::TimelockNotElapsed.into());
    }
    // The window does not run while governance is paused (a paused governance refuses
    // proposals that lift no pause): it is extended by the paused time since voting opened.
    let paused_since_voting = pause
        .paused_seconds(now)
        .saturating_sub(state.paused_seconds_at_voting.get());
    if now >= state.expires_at.get().saturating_add(paused_since_voting) {
        return Err(GovernanceError::ProposalExpired.into());
    }
    let count = state.instruction_count;
    if paused
        && !state
            .instructions
            .iter()
            .take(count as usize)
            .all(lifts_pause)
    {
        return Err(GovernanceError::OnlyPauseLiftsWhilePaused.into());
    }
    // Marked before any call: nothing the calls do can run this proposal again.
    state.state = ProposalState::Executed;
    state.executed_at.set(now);

    // The proposal stays borrowed during the calls: no stored instruction may pass it
    // (refused when it was added, and again in `invoke_stored`), so no callee sees it.
    let signer_seeds = governance_seeds(&bump);
    let signer = Signer::from(&signer_seeds);
    let mut rest = remaining;
    for ix in state.instructions.iter().take(count as usize) {
        rest = invoke_stored(&Invocation {
            ix,
            governance: config.address(),
            proposal: proposal.address(),
            accounts: rest,
            signer: &signer,
        })?;
    }

    ProposalExecuted {
        instruction_count: count,
        executed_at: now.into(),
    }
    .emit();
    Ok(())
}

/// One stored instruction to invoke, with the remaining accounts that start with its own.
struct Invocation<'a, 'b> {
    ix: &'a StoredInstruction,
    governance: &'a Address,
    proposal: &'a Address,
    accounts: &'a [AccountView],
    signer: &'a Signer<'b, 'a>,
}

/// Checks the instruction again and its passed accounts against the stored ones, invokes it,
/// and returns the accounts after its own.
#[inline(never)]
fn invoke_stored<'a>(call: &Invocation<'a, '_>) -> Result<&'a [AccountView], ProgramError> {
    let ix = call.ix;
    check_stored_instruction(ix, call.governance)?;
    let stored = ix.accounts();
    let [program, rest @ ..] = call.accounts else {
        return err(CommonError::NotEnoughAccounts);
    };
    if !checks::same(program.address(), &ix.program_id) {
        return Err(GovernanceError::InstructionAccountMismatch.into());
    }
    if rest.len() < stored.len() {
        return err(CommonError::NotEnoughAccounts);
    }
    let (passed, after) = rest.split_at(stored.len());
    let mut views: [&AccountView; MAX_INSTRUCTION_ACCOUNTS] = [program; MAX_INSTRUCTION_ACCOUNTS];
    let mut metas =
        [const { MaybeUninit::<InstructionAccount>::uninit() }; MAX_INSTRUCTION_ACCOUNTS];
    for (i, (meta, account)) in stored.iter().zip(passed).enumerate() {
        if !checks::same(account.address(), &meta.pubkey)
            || checks::same(account.address(), call.proposal)
        {
            return Err(GovernanceError::InstructionAccountMismatch.into());
        }
        let writable = meta.is_writable.get();
        if writable && !account.is_writable() {
            return err(CommonError::AccountNotWritable);
        }
        // Privileges come from what was stored; the signer flag only ever names the
        // governance PDA (`check_stored_instruction`), which the seeds sign for.
        metas[i].write(InstructionAccount::new(
            &meta.pubkey,
            writable,
            meta.is_signer.get(),
        ));
        views[i] = account;
    }
    // SAFETY: the loop above wrote the first `stored.len()` metas (`passed` is exactly that
    // long).
    let metas = unsafe {
        core::slice::from_raw_parts(metas.as_ptr() as *const InstructionAccount, stored.len())
    };
    let instruction = InstructionView {
        program_id: &ix.program_id,
        data: ix.data(),
        accounts: metas,
    };
    cpi::invoke(&instruction, &views[..stored.len()], Some(call.signer))?;
    Ok(after)
}
