//! `release_emissions()`: releases what the schedule made due since the last release, never
//! more than the emission vault holds beyond what it owes, into the accumulator (or back to
//! the pool while nothing is bound). Permissionless, and open while paused: it only moves
//! bookkeeping forward. Every instruction that takes the pool does the same first; this is the
//! crank for quiet times, and the one that says so in an event.
//!
//! Accounts:
//! 0. `[writable]` rewards_pool
//! 1. `[]` emission_vault
//! 2. `[]` clock: the Clock sysvar
use crate::economy::released_pool;
use media_core::event::Event;
use media_core::ix::Context;
use media_core::{sysvar, ProgramResult};
use media_staking_interface::event::EmissionsReleased;

pub fn process(ctx: &Context) -> ProgramResult {
    let [rewards_pool, emission_vault, clock] = ctx.accounts()?;
    ctx.no_args()?;
    let now = sysvar::unix_timestamp_of(clock)?;
    let (pool, released) = released_pool(rewards_pool, emission_vault, ctx.program_id, now)?;
    EmissionsReleased {
        amount: released.amount.into(),
        returned: released.returned.into(),
        total_bound: pool.total_bound,
    }
    .emit();
    Ok(())
}
