//! `set_params`: sets every governance parameter, within bounds. Refused while paused (the
//! admin family lifts or hands over the pause and stays open).
//!
//! Accounts: see `media_core::admin::config_for_authority`.
use super::{apply_params, emit_parameters_updated};
use media_core::admin::config_for_authority;
use media_core::ix::Context;
use media_core::ProgramResult;
use media_governance_interface::instruction::GovernanceParams;
use media_governance_interface::state::GovernanceConfig;

pub fn process(ctx: &Context) -> ProgramResult {
    let params = ctx.args::<GovernanceParams>()?;
    let mut config = config_for_authority::<GovernanceConfig>(ctx)?;
    config.pause.require_unpaused()?;
    apply_params(&mut config, params)?;
    emit_parameters_updated(&config);
    Ok(())
}
