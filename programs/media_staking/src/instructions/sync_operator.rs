//! `sync_operator()`: brings an operator's pool up to the clock (see
//! `media_staking_interface::emissions::sync`): its stake's emissions for the time the operator
//! was active, the idle rest back to the pool, new fee share, terms whose notice has run out.
//! Permissionless, and open while paused: anyone may close an idle stretch exactly.
//!
//! Accounts:
//! 0. `[writable]` rewards_pool
//! 1. `[]` emission_vault
//! 2. `[writable]` operator_pool
//! 3. `[]` provider: the pool operator's bandwidth provider
//! 4. `[]` bandwidth_config: its pause holds the provider's activity window
//! 5. `[]` clock: the Clock sysvar
use crate::economy::{synced_pools, PoolAccounts};
use media_core::ix::Context;
use media_core::{sysvar, ProgramResult};

pub fn process(ctx: &Context) -> ProgramResult {
    let [rewards_pool, emission_vault, operator_pool, provider, bandwidth_config, clock] =
        ctx.accounts()?;
    ctx.no_args()?;
    let now = sysvar::unix_timestamp_of(clock)?;
    synced_pools(
        &PoolAccounts {
            rewards_pool,
            emission_vault,
            operator_pool,
            provider,
            bandwidth_config,
        },
        ctx.program_id,
        now,
    )?;
    Ok(())
}
