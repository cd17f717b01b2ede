//! `claim_rewards()`: pays the owner's rewards streamed up to now. Open while paused.
//!
//! Accounts: see [`super::pay_owner`].
use super::{pay_owner, Payout};
use media_core::ix::Context;
use media_core::ProgramResult;

pub fn process(ctx: &Context) -> ProgramResult {
    pay_owner(ctx, Payout::Rewards)
}
