//! `set_paused(paused)`: the pause switch. The pause authority (or the authority) pauses at
//! once; only the authority unpauses.
//!
//! Accounts:
//! 0. `[signer]` signer: pause authority or authority
//! 1. `[writable]` config
use media_core::error::{err, CommonError};
use media_core::ix::{Context, parse_args};
use media_core::state::load_mut;
use media_core::{checks, ProgramResult};
use media_core::event::Event;
use media_staking_interface::event::PauseSet;
use media_staking_interface::instruction::SetPausedArgs;
use media_staking_interface::state::StakingConfig;

pub fn process(ctx: &Context) -> ProgramResult {
    let Context { program_id, accounts, args } = *ctx;
    let [signer, config, ..] = accounts else {
        return err(CommonError::NotEnoughAccounts);
    };
    let paused = parse_args::<SetPausedArgs>(args)?.paused;
    checks::signer(signer)?;
    let mut state = load_mut::<StakingConfig>(config, program_id)?;
    checks::may_set_paused(signer.address(), &state.authority, &state.pause_authority, paused.get())?;
    state.paused = paused;
    PauseSet { paused }.emit();
    Ok(())
}
