//! `set_paused(paused)`: the pause switch (rules in `media_core::pause`). The pause authority
//! pauses at once, for at most `MAX_PAUSE_DURATION` and not again right after; the authority
//! pauses, renews and unpauses. While paused, voting, finalizing and cancelling go on, and
//! proposals may carry and `execute` runs only instructions that lift a pause
//! (`media_governance_interface::lifts_pause`), so a governance-owned config can still unpause.
//!
//! Accounts:
//! 0. `[signer]` signer: pause authority or authority
//! 1. `[writable]` config
use super::emit_config_updated;
use media_core::error::{err, CommonError};
use media_core::ix::{parse_args, Context};
use media_core::pause;
use media_core::state::load_mut;
use media_core::{checks, ProgramResult};
use media_governance_interface::instruction::SetPausedArgs;
use media_governance_interface::state::GovernanceConfig;

pub fn process(ctx: &Context) -> ProgramResult {
    let Context {
        program_id,
        accounts,
        args,
    } = *ctx;
    let [signer, config, ..] = accounts else {
        return err(CommonError::NotEnoughAccounts);
    };
    let paused = parse_args::<SetPausedArgs>(args)?.paused;
    checks::signer(signer)?;
    let mut state = load_mut::<GovernanceConfig>(config, program_id)?;
    pause::set_paused(&mut *state, signer.address(), paused.get())?;
    emit_config_updated(&state);
    Ok(())
}
