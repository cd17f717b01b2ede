//! `set_authority`: hands the config authority over (to the governance PDA at genesis).
//! Open while paused.
//!
//! Accounts: see [`super::update_config`].
use super::{update_config, WhilePaused};
use media_bandwidth_interface::instruction::SetAddressArgs;
use media_core::ix::{parse_args, Context};
use media_core::ProgramResult;

pub fn process(ctx: &Context) -> ProgramResult {
    let new_address = parse_args::<SetAddressArgs>(ctx.args)?.new_address;
    update_config(ctx, WhilePaused::Open, |config| {
        config.authority = new_address
    })
}
