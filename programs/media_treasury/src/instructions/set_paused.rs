//! `set_paused(paused)`: the pause switch (rules in `media_core::pause`). The pause authority
//! pauses at once, for at most `MAX_PAUSE_DURATION` and not again right after; the authority
//! pauses, renews and unpauses.
//!
//! Accounts:
//! 0. `[signer]` signer: pause authority or authority
//! 1. `[writable]` config
use super::{admin_config, emit_config_updated};
use media_core::ix::{parse_args, Context};
use media_core::pause;
use media_core::ProgramResult;
use media_treasury_interface::instruction::SetPausedArgs;

#[inline(never)]
pub fn process(ctx: &Context) -> ProgramResult {
    let paused = parse_args::<SetPausedArgs>(ctx.args)?.paused;
    let (signer, mut state) = admin_config(ctx)?;
    pause::set_paused(&mut *state, signer.address(), paused.get())?;
    emit_config_updated(&state);
    Ok(())
}
