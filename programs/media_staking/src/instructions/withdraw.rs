//! `withdraw()`: pays unbonded MEDIA back once the unbonding period has ended. Open while
//! paused: it returns the owner's own funds. Holding the vault, it also brings the reward
//! stream up to the clock and folds what arrived in the vault into it.
//!
//! Accounts: see [`super::pay_owner`].
use super::{pay_owner, Payout};
use media_core::ix::Context;
use media_core::ProgramResult;

pub fn process(ctx: &Context) -> ProgramResult {
    pay_owner(ctx, Payout::Unbonded)
}
