//! One module per instruction, plus the loaders and checks they share. The admin family
//! (`set_authority`, `set_pause_authority`, `set_paused`) is `media_core::admin`'s.
pub mod add_instruction;
pub mod cancel;
pub mod cast_vote;
pub mod create_proposal;
pub mod execute;
pub mod finalize;
pub mod initialize_config;
pub mod set_params;

use media_core::admin::within;
use media_core::event::Event;
use media_core::pod::Transmutable;
use media_core::state::AccountState;
use media_core::ProgramError;
use media_governance_interface::bounds;
use media_governance_interface::event::ParametersUpdated;
use media_governance_interface::instruction::GovernanceParams;
use media_governance_interface::seeds;
use media_governance_interface::state::{GovernanceConfig, Proposal};
use pinocchio::cpi::Seed;

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

/// Emits the parameters as they are after a change.
pub fn emit_parameters_updated(config: &GovernanceConfig) {
    ParametersUpdated {
        voting_period: config.voting_period,
        quorum_bps: config.quorum_bps,
        proposal_threshold: config.proposal_threshold,
        timelock: config.timelock,
        execution_window: config.execution_window,
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
