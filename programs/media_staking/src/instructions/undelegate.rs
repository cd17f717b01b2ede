//! `undelegate()`: unbinds the owner's position from its operator. The pool is synced and the
//! position settled first; from now on it earns nothing, and it may bind again (to any
//! operator) only after an unbonding period, so moving to another operator costs the same
//! time as leaving. Open while paused: it is the way out.
//!
//! Accounts:
//! 0. `[signer]` owner
//! 1. `[]` config
//! 2. `[writable]` rewards_pool
//! 3. `[]` emission_vault
//! 4. `[writable]` stake_account: the owner's
//! 5. `[writable]` delegation: the owner's
//! 6. `[writable]` operator_pool: the pool of the position's operator
//! 7. `[]` provider: that operator's bandwidth provider
//! 8. `[]` bandwidth_config: its pause holds the provider's activity window
//! 9. `[]` clock: the Clock sysvar
use crate::economy::{check_pool_of, synced_pools, PoolAccounts};
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::{load, load_held};
use media_core::{checks, math, sysvar, ProgramResult};
use media_staking_interface::emissions::settle;
use media_staking_interface::error::StakingError;
use media_staking_interface::event::Undelegated;
use media_staking_interface::state::{Delegation, StakeAccount, StakingConfig};

pub fn process(ctx: &Context) -> ProgramResult {
    let [owner, config, rewards_pool, emission_vault, stake_account, delegation, operator_pool, provider, bandwidth_config, clock] =
        ctx.accounts()?;
    let program_id = ctx.program_id;
    ctx.no_args()?;
    checks::signer(owner)?;
    let unbonding_period = load::<StakingConfig>(config, program_id)?
        .unbonding_period
        .get();
    let mut stake = load_held::<StakeAccount>(stake_account, owner, program_id)?;
    let mut position = load_held::<Delegation>(delegation, owner, program_id)?;
    let bound = position.bound.get();
    if bound == 0 {
        return Err(StakingError::NotDelegated.into());
    }
    let now = sysvar::unix_timestamp_of(clock)?;
    let mut synced = synced_pools(
        &PoolAccounts {
            rewards_pool,
            emission_vault,
            operator_pool,
            provider,
            bandwidth_config,
        },
        program_id,
        now,
    )?;
    let (rewards, pool) = (&mut synced.rewards, &mut synced.pool);
    check_pool_of(pool, &position.operator)?;
    settle(&mut position, pool)?;

    pool.bound_total.try_sub(bound)?;
    rewards.total_bound.try_sub(bound)?;
    rewards.delegations.try_sub(1)?;
    if checks::same(owner.address(), &pool.operator) {
        pool.self_bound.try_sub(bound)?;
    } else {
        pool.delegators.try_sub(1)?;
    }
    let rebind_after = math::add_i64(now, unbonding_period)?;
    position.bound.set(0);
    position.rebind_after.set(rebind_after);
    stake.delegated.set(0);

    Undelegated {
        operator: pool.operator,
        amount: bound.into(),
        rebind_after: rebind_after.into(),
    }
    .emit();
    Ok(())
}
