//! `set_authority(new_address)`: hands the config authority over (to the governance PDA at
//! genesis).
//!
//! Accounts: see [`super::authority_config`].
use super::{set_role, Role};
use media_core::ix::Context;
use media_core::ProgramResult;

#[inline(never)]
pub fn process(ctx: &Context) -> ProgramResult {
    set_role(ctx, Role::Authority)
}
