//! `set_parameters`: sets the fee split and the windows, each within its bounds. Refused
//! while paused. A close already requested keeps the dispute window it started with.
//!
//! Accounts: see `media_core::admin::config_for_authority`.
use super::{apply_parameters, check_parameters};
use media_bandwidth_interface::instruction::ParametersArgs;
use media_bandwidth_interface::state::BandwidthConfig;
use media_core::admin::config_for_authority;
use media_core::ix::Context;
use media_core::ProgramResult;

pub fn process(ctx: &Context) -> ProgramResult {
    let args = ctx.args::<ParametersArgs>()?;
    check_parameters(args)?;
    let mut config = config_for_authority::<BandwidthConfig>(ctx)?;
    config.pause.require_unpaused()?;
    apply_parameters(&mut config, args);
    Ok(())
}
