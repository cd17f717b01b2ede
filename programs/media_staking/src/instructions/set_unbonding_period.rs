//! `set_unbonding_period`: sets the unbonding period in seconds, within bounds.
//!
//! Accounts: see [`super::update_config`].
use super::{update_config, within};
use media_core::ix::parse_args;
use media_core::ix::Context;
use media_core::ProgramResult;
use media_staking_interface::bounds;
use media_staking_interface::instruction::SetUnbondingPeriodArgs;

pub fn process(ctx: &Context) -> ProgramResult {
    let value = parse_args::<SetUnbondingPeriodArgs>(ctx.args)?.unbonding_period;
    within(value.get(), bounds::UNBONDING_PERIOD)?;
    update_config(ctx, |config| config.unbonding_period = value)
}
