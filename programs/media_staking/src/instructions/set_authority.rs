//! `set_authority`: hands the config authority over (to the governance PDA at genesis).
//!
//! Open while paused. Accounts: see [`super::update_role`].
use super::{set_role, update_role};
use media_core::ix::parse_args;
use media_core::ix::Context;
use media_core::ProgramResult;
use media_staking_interface::instruction::SetAddressArgs;
use media_staking_interface::role;

pub fn process(ctx: &Context) -> ProgramResult {
    let new_address = parse_args::<SetAddressArgs>(ctx.args)?.new_address;
    update_role(ctx, |config| {
        set_role(&mut config.authority, role::AUTHORITY, new_address)
    })
}
