//! `set_pause_authority`: sets the emergency key that may pause but never unpause.
//!
//! Accounts: see [`super::update_config`].
use super::{set_role, update_config};
use media_core::ix::parse_args;
use media_core::ix::Context;
use media_core::ProgramResult;
use media_staking_interface::instruction::SetAddressArgs;
use media_staking_interface::role;

pub fn process(ctx: &Context) -> ProgramResult {
    let new_address = parse_args::<SetAddressArgs>(ctx.args)?.new_address;
    update_config(ctx, |config| set_role(&mut config.pause_authority, role::PAUSE_AUTHORITY, new_address))
}
