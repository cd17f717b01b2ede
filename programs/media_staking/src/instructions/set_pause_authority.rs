//! `set_pause_authority`: sets the emergency key that may pause but never unpause.
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
        set_role(
            &mut config.pause_authority,
            role::PAUSE_AUTHORITY,
            new_address,
        )
    })
}
