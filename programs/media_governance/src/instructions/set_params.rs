//! `set_params`: sets every governance parameter, within bounds. Refused while paused (the
//! other setters lift or hand over the pause and stay open).
//!
//! Accounts: see [`super::config_for_authority`].
use super::{apply_params, config_for_authority, emit_config_updated};
use media_core::ix::{parse_args, Context};
use media_core::ProgramResult;
use media_governance_interface::instruction::GovernanceParams;

pub fn process(ctx: &Context) -> ProgramResult {
    let params = parse_args::<GovernanceParams>(ctx.args)?;
    let mut config = config_for_authority(ctx)?;
    config.pause.require_unpaused()?;
    apply_params(&mut config, params)?;
    emit_config_updated(&config);
    Ok(())
}
