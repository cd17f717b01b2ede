//! `set_paused(paused)`: the pause switch. The pause authority (or the authority) pauses at
//! once; only the authority unpauses.
//!
//! Accounts:
//! 0. `[signer]` signer: pause authority or authority
//! 1. `[writable]` config
use super::{admin_config, emit_config_updated};
use media_core::checks;
use media_core::ix::{parse_args, Context};
use media_core::ProgramResult;
use media_treasury_interface::instruction::SetPausedArgs;

#[inline(never)]
pub fn process(ctx: &Context) -> ProgramResult {
    let paused = parse_args::<SetPausedArgs>(ctx.args)?.paused;
    let (signer, mut state) = admin_config(ctx)?;
    checks::may_set_paused(signer.address(), &state.authority, &state.pause_authority, paused.get())?;
    state.paused = paused;
    emit_config_updated(&state);
    Ok(())
}
