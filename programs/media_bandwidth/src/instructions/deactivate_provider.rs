//! `deactivate_provider()`: the provider stops taking new escrows and settlements
//! (`update_provider` reactivates it).
//!
//! Accounts:
//! 0. `[signer]` operator
//! 1. `[]` config
//! 2. `[writable]` provider
use super::{config_unpaused, emit_provider_updated, operated_provider};
use media_core::error::{err, CommonError};
use media_core::ix::{no_args, Context};
use media_core::pod::PodBool;
use media_core::{checks, ProgramResult};

pub fn process(ctx: &Context) -> ProgramResult {
    let Context {
        program_id,
        accounts,
        args,
    } = *ctx;
    let [operator, config, provider, ..] = accounts else {
        return err(CommonError::NotEnoughAccounts);
    };
    no_args(args)?;
    checks::signer(operator)?;
    config_unpaused(config, program_id)?;
    let mut state = operated_provider(provider, operator, program_id)?;
    state.active = PodBool::new(false);
    emit_provider_updated(provider, &state);
    Ok(())
}
