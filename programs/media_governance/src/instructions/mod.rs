//! One module per instruction, plus the loaders and checks they share.
pub mod add_instruction;
pub mod cancel;
pub mod cast_vote;
pub mod create_proposal;
pub mod execute;
pub mod finalize;
pub mod initialize_config;
pub mod set_authority;
pub mod set_params;
pub mod set_pause_authority;
pub mod set_paused;

use media_core::error::{err, CommonError};
use media_core::event::Event;
use media_core::ix::Context;
use media_core::pod::Transmutable;
use media_core::state::{load_mut, AccountState};
use media_core::{checks, ProgramError};
use media_governance_interface::bounds;
use media_governance_interface::event::GovernanceConfigUpdated;
use media_governance_interface::instruction::GovernanceParams;
use media_governance_interface::seeds;
use media_governance_interface::state::{GovernanceConfig, Proposal};
use pinocchio::account::RefMut;
use pinocchio::cpi::Seed;

/// Requires a bounded parameter to lie within `[low, high]`.
pub fn within<T: PartialOrd>(value: T, (low, high): (T, T)) -> Result<(), ProgramError> {
    if value < low || value > high {
        return err(CommonError::ParameterOutOfBounds);
    }
    Ok(())
}

/// Checks every parameter against its bounds and writes them into the config.
pub fn apply_params(
    config: &mut GovernanceConfig,
    params: &GovernanceParams,
) -> Result<(), ProgramError> {
    within(params.voting_period.get(), bounds::VOTING_PERIOD)?;
    within(params.quorum_bps.get(), bounds::QUORUM_BPS)?;
    within(params.proposal_threshold.get(), bounds::PROPOSAL_THRESHOLD)?;
    within(params.timelock.get(), bounds::TIMELOCK)?;
    within(params.execution_window.get(), bounds::EXECUTION_WINDOW)?;
    config.voting_period = params.voting_period;
    config.quorum_bps = params.quorum_bps;
    config.proposal_threshold = params.proposal_threshold;
    config.timelock = params.timelock;
    config.execution_window = params.execution_window;
    Ok(())
}

/// Emits the config as it is after a change.
pub fn emit_config_updated(config: &GovernanceConfig) {
    GovernanceConfigUpdated {
        authority: config.authority,
        pause_authority: config.pause_authority,
        voting_period: config.voting_period,
        quorum_bps: config.quorum_bps,
        proposal_threshold: config.proposal_threshold,
        timelock: config.timelock,
        execution_window: config.execution_window,
        pause: config.pause,
    }
    .emit();
}

/// Seeds of the governance PDA (the config), which signs executed instructions.
pub fn governance_seeds(bump: &[u8; 1]) -> [Seed<'_>; 2] {
    [seeds::GOVERNANCE.into(), bump.into()]
}

/// Seeds of the vote-authority PDA, which signs `cast_vote`'s vote locks and nothing else.
pub fn vote_authority_seeds(bump: &[u8; 1]) -> [Seed<'_>; 2] {
    [seeds::VOTE_AUTHORITY.into(), bump.into()]
}

/// What every authority-only setter starts with: unpack `[authority, config]`, check the
/// authority's signature, and load the config for the change. After hand-over the authority
/// is the config itself, signing through `execute`.
///
/// Accounts:
/// 0. `[signer]` authority
/// 1. `[writable]` config
#[inline(never)]
pub fn config_for_authority<'a>(
    ctx: &Context<'a>,
) -> Result<RefMut<'a, GovernanceConfig>, ProgramError> {
    let [authority, config, ..] = ctx.accounts else {
        return err(CommonError::NotEnoughAccounts);
    };
    checks::signer(authority)?;
    let state = load_mut::<GovernanceConfig>(config, ctx.program_id)?;
    checks::address_is(
        authority.address(),
        &state.authority,
        CommonError::Unauthorized,
    )?;
    Ok(state)
}

const _: () = assert!(
    Proposal::LEN <= 10 * 1024,
    "a PDA created by CPI holds at most 10 KiB"
);

/// Copies a plain-data value into account data through one `memcpy` call. LLVM's BPF
/// backend unrolls a fixed-size copy into a load and a store per 8 bytes, which for a
/// 435-byte stored instruction is kilobytes of code; the length hidden behind
/// [`copy_raw`] keeps it one call.
#[inline(always)]
pub fn copy_pod<T: Transmutable>(dst: &mut T, src: &T) {
    copy_raw(
        dst as *mut T as *mut u8,
        src as *const T as *const u8,
        core::mem::size_of::<T>(),
    );
}

#[inline(never)]
fn copy_raw(dst: *mut u8, src: *const u8, len: usize) {
    // SAFETY: `copy_pod` passes two distinct references to values of the same `len`-byte
    // type; a `&mut` never aliases a `&`.
    unsafe { core::ptr::copy_nonoverlapping(src, dst, len) };
}
