//! `set_quota_bytes_per_media`: sets the bandwidth quota rate, within bounds.
//!
//! Refused while paused. Accounts: see [`super::update_config`].
use super::{set_parameter, update_config, within};
use media_core::ix::parse_args;
use media_core::ix::Context;
use media_core::ProgramResult;
use media_staking_interface::instruction::SetQuotaBytesPerMediaArgs;
use media_staking_interface::{bounds, parameter};

pub fn process(ctx: &Context) -> ProgramResult {
    let value = parse_args::<SetQuotaBytesPerMediaArgs>(ctx.args)?.quota_bytes_per_media;
    within(value.get(), bounds::QUOTA_BYTES_PER_MEDIA)?;
    update_config(ctx, |config| {
        set_parameter(
            &mut config.quota_bytes_per_media,
            parameter::QUOTA_BYTES_PER_MEDIA,
            value.get(),
        )
    })
}
