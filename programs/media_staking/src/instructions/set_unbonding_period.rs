//! `set_unbonding_period`: sets the unbonding period in seconds, within bounds.
//!
//! Refused while paused. Accounts: see [`super::update_config`].
use super::{update_config, within};
use media_core::event::Event;
use media_core::ix::parse_args;
use media_core::ix::Context;
use media_core::ProgramResult;
use media_staking_interface::event::ParameterUpdated;
use media_staking_interface::instruction::SetUnbondingPeriodArgs;
use media_staking_interface::{bounds, parameter};

pub fn process(ctx: &Context) -> ProgramResult {
    let value = parse_args::<SetUnbondingPeriodArgs>(ctx.args)?.unbonding_period;
    within(value.get(), bounds::UNBONDING_PERIOD)?;
    // Bounds keep the period positive, so it converts to the event's u64 losslessly.
    update_config(ctx, |config| {
        let old = config.unbonding_period.get() as u64;
        ParameterUpdated {
            parameter: parameter::UNBONDING_PERIOD,
            old_value: old.into(),
            new_value: (value.get() as u64).into(),
        }
        .emit();
        config.unbonding_period = value;
    })
}
