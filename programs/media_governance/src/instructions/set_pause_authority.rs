//! `set_pause_authority`: sets the emergency key that may pause execution (never unpause).
//!
//! Accounts: see [`super::update_config`].
use super::update_config;
use media_core::ix::{parse_args, Context};
use media_core::ProgramResult;
use media_governance_interface::instruction::SetAddressArgs;

pub fn process(ctx: &Context) -> ProgramResult {
    let new_address = parse_args::<SetAddressArgs>(ctx.args)?.new_address;
    update_config(ctx, |config| {
        config.pause_authority = new_address;
        Ok(())
    })
}
