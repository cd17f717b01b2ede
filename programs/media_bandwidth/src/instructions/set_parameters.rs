//! `set_parameters`: sets the fee split and the windows, each within its bounds. Refused
//! while paused. A close already requested keeps the dispute window it started with.
//!
//! Accounts: see [`super::update_config`].
use super::{check_parameters, update_config, WhilePaused};
use media_bandwidth_interface::instruction::ParametersArgs;
use media_core::ix::{parse_args, Context};
use media_core::ProgramResult;

pub fn process(ctx: &Context) -> ProgramResult {
    let args = *parse_args::<ParametersArgs>(ctx.args)?;
    check_parameters(&args)?;
    update_config(ctx, WhilePaused::Refused, |config| {
        config.protocol_fee_bps = args.protocol_fee_bps;
        config.staker_share_bps = args.staker_share_bps;
        config.quota_window = args.quota_window;
        config.dispute_window = args.dispute_window;
    })
}
