//! `set_authority`: hands the config authority over (to the governance PDA itself).
//!
//! Accounts: see [`super::update_config`].
use super::update_config;
use media_core::ix::{parse_args, Context};
use media_core::ProgramResult;
use media_governance_interface::instruction::SetAddressArgs;

pub fn process(ctx: &Context) -> ProgramResult {
    let new_address = parse_args::<SetAddressArgs>(ctx.args)?.new_address;
    update_config(ctx, |config| {
        config.authority = new_address;
        Ok(())
    })
}
