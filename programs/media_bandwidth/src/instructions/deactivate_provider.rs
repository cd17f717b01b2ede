//! `deactivate_provider()`: the provider stops taking new escrows and settlements
//! (`update_provider` reactivates it).
//!
//! Accounts:
//! 0. `[signer]` operator
//! 1. `[writable]` config: counts the active providers
//! 2. `[writable]` provider
use super::{config_unpaused_mut, emit_provider_updated};
use media_bandwidth_interface::state::Provider;
use media_core::ix::Context;
use media_core::pod::PodBool;
use media_core::state::load_held;
use media_core::{checks, ProgramResult};

pub fn process(ctx: &Context) -> ProgramResult {
    let [operator, config, provider] = ctx.accounts()?;
    let program_id = ctx.program_id;
    ctx.no_args()?;
    checks::signer(operator)?;
    let mut config_state = config_unpaused_mut(config, program_id)?;
    let mut state = load_held::<Provider>(provider, operator, program_id)?;
    if state.active.get() {
        config_state.active_providers.try_sub(1)?;
    }
    state.active = PodBool::new(false);
    emit_provider_updated(&state);
    Ok(())
}
