//! `delegate()`: binds the owner's whole active stake to the pool's operator, creating the
//! delegation on first use; if the position is already bound to that operator, tops the bound
//! stake up to the current active stake. Unless the owner is the operator (a self-bond),
//! delegated stake may reach at most `delegation_cap` times the operator's own active stake.
//! The pool is synced and the position settled first, so the new stake earns from now on.
//! Refused while paused (new risk).
//!
//! Accounts:
//! 0. `[writable, signer]` owner: pays for the delegation on first use
//! 1. `[]` config
//! 2. `[writable]` rewards_pool
//! 3. `[]` emission_vault
//! 4. `[writable]` stake_account: the owner's
//! 5. `[writable]` delegation: PDA `["delegation", owner]`, created if empty
//! 6. `[writable]` operator_pool
//! 7. `[]` operator_stake_account: the pool operator's (ignored for a self-bond)
//! 8. `[]` provider: the pool operator's bandwidth provider
//! 9. `[]` bandwidth_config: its pause holds the provider's activity window
//! 10. `[]` system_program
//! 11. `[]` clock: the Clock sysvar
use crate::economy::{synced_pools, PoolAccounts};
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::{create, load, load_held, NewPda};
use media_core::{checks, math, sysvar, AccountView, Address, ProgramResult};
use media_staking_interface::emissions::settle;
use media_staking_interface::error::StakingError;
use media_staking_interface::event::Delegated;
use media_staking_interface::seeds;
use media_staking_interface::state::{Delegation, StakeAccount, StakingConfig};
use media_staking_interface::wide;

pub fn process(ctx: &Context) -> ProgramResult {
    let [owner, config, rewards_pool, emission_vault, stake_account, delegation, operator_pool, operator_stake_account, provider, bandwidth_config, system_program, clock] =
        ctx.accounts()?;
    let program_id = ctx.program_id;
    ctx.no_args()?;
    checks::signer(owner)?;
    checks::system_program(system_program)?;
    let now = sysvar::unix_timestamp_of(clock)?;
    let config_state = load::<StakingConfig>(config, program_id)?;
    config_state.pause.require_unpaused_at(now)?;
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
    let is_self = checks::same(owner.address(), &pool.operator);
    // The operator's own active stake bounds delegation; a self-bond is not delegation.
    let cap = if is_self {
        None
    } else {
        let own = load::<StakeAccount>(operator_stake_account, program_id)?;
        if !checks::same(&own.owner, &pool.operator) {
            return Err(StakingError::StakeOwnerMismatch.into());
        }
        Some(wide::mul(
            own.active.get(),
            u64::from(config_state.delegation_cap.get()),
        )?)
    };
    let mut stake = load_held::<StakeAccount>(stake_account, owner, program_id)?;
    let active = stake.active.get();
    if active < config_state.min_stake.get() {
        return Err(StakingError::StakeBelowMinimum.into());
    }
    if !checks::owned_by(delegation, program_id) {
        create_delegation(owner, delegation, program_id)?;
    }
    let mut position = load_held::<Delegation>(delegation, owner, program_id)?;
    if now < position.rebind_after.get() {
        return Err(StakingError::RebindTooSoon.into());
    }
    let bound = position.bound.get();
    if bound != 0 && !checks::same(&position.operator, &pool.operator) {
        return Err(StakingError::AlreadyDelegated.into());
    }
    settle(&mut position, pool)?;
    // `request_unstake` keeps active at or above the bound stake.
    let added = math::sub(active, bound)?;
    if added == 0 {
        return Err(StakingError::ZeroAmount.into());
    }
    if cap.is_some_and(|cap| pool.delegated().saturating_add(added) > cap) {
        return Err(StakingError::DelegationCapExceeded.into());
    }

    pool.bound_total.try_add(added)?;
    rewards.total_bound.try_add(added)?;
    if is_self {
        pool.self_bound.try_add(added)?;
    }
    if bound == 0 {
        rewards.delegations.try_add(1)?;
        if !is_self {
            pool.delegators.try_add(1)?;
        }
    }
    position.operator = pool.operator;
    position.bound.set(active);
    stake.delegated.set(active);

    Delegated {
        operator: pool.operator,
        amount: added.into(),
        bound: position.bound,
    }
    .emit();
    Ok(())
}

/// Creates the owner's delegation at its canonical PDA, rent paid by the owner.
fn create_delegation(
    owner: &AccountView,
    delegation: &AccountView,
    program_id: &Address,
) -> ProgramResult {
    checks::writable(owner)?;
    checks::writable(delegation)?;
    let (mut created, bump) = create::<Delegation>(&NewPda {
        payer: owner,
        account: delegation,
        seeds: &[seeds::DELEGATION, owner.address().as_ref()],
        program_id,
    })?;
    created.owner = *owner.address();
    created.bump = bump;
    Ok(())
}
