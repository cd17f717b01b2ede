//! `set_activity_window(activity_window)`: how long after each settlement a provider counts as
//! active (stake bound to its operator earns emissions only then), within its bounds. Refused
//! while paused. Runs already recorded keep their end; the new window applies from the next
//! settlement on.
//!
//! Accounts: see `media_core::admin::config_for_authority`.
use super::emit_parameters;
use media_bandwidth_interface::bounds;
use media_bandwidth_interface::instruction::SetActivityWindowArgs;
use media_bandwidth_interface::state::BandwidthConfig;
use media_core::admin::{config_for_authority, within};
use media_core::ix::Context;
use media_core::ProgramResult;

pub fn process(ctx: &Context) -> ProgramResult {
    let activity_window = ctx.args::<SetActivityWindowArgs>()?.activity_window;
    within(activity_window.get(), bounds::ACTIVITY_WINDOW)?;
    let mut config = config_for_authority::<BandwidthConfig>(ctx)?;
    config.pause.require_unpaused()?;
    config.activity_window = activity_window;
    emit_parameters(&config);
    Ok(())
}
