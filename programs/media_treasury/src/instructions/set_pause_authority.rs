//! `set_pause_authority(new_address)`: sets the emergency key that may pause but never
//! unpause.
//!
//! Accounts: see [`super::authority_config`].
use super::{set_role, Role};
use media_core::ix::Context;
use media_core::ProgramResult;

#[inline(never)]
pub fn process(ctx: &Context) -> ProgramResult {
    set_role(ctx, Role::PauseAuthority)
}
