//! `set_min_stake`: sets the minimum active stake, within bounds.
//!
//! Refused while paused. Accounts: see [`super::update_config`].
use super::{set_parameter, update_config, within};
use media_core::ix::parse_args;
use media_core::ix::Context;
use media_core::ProgramResult;
use media_staking_interface::instruction::SetMinStakeArgs;
use media_staking_interface::{bounds, parameter};

pub fn process(ctx: &Context) -> ProgramResult {
    let value = parse_args::<SetMinStakeArgs>(ctx.args)?.min_stake;
    within(value.get(), bounds::MIN_STAKE)?;
    update_config(ctx, |config| {
        set_parameter(&mut config.min_stake, parameter::MIN_STAKE, value.get())
    })
}
