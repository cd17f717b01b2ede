//! `set_reward_duration`: sets the seconds over which new rewards stream out, within bounds.
//! The running period keeps its end; the new duration applies from the next (re)start.
//!
//! Refused while paused. Accounts: see [`super::update_config`].
use super::{update_config, within};
use media_core::event::Event;
use media_core::ix::parse_args;
use media_core::ix::Context;
use media_core::ProgramResult;
use media_staking_interface::event::ParameterUpdated;
use media_staking_interface::instruction::SetRewardDurationArgs;
use media_staking_interface::{bounds, parameter};

pub fn process(ctx: &Context) -> ProgramResult {
    let value = parse_args::<SetRewardDurationArgs>(ctx.args)?.reward_duration;
    within(value.get(), bounds::REWARD_DURATION)?;
    // Bounds keep the duration positive, so it converts to the event's u64 losslessly.
    update_config(ctx, |config| {
        let old = config.reward_duration.get() as u64;
        ParameterUpdated {
            parameter: parameter::REWARD_DURATION,
            old_value: old.into(),
            new_value: (value.get() as u64).into(),
        }
        .emit();
        config.reward_duration = value;
    })
}
