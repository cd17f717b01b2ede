//! `request_unstake(amount)`: moves active stake to unbonding. Open while paused: it is the
//! way out, and the stake stops counting at once. Stake bound to an operator (`delegated`)
//! must be undelegated first.
//!
//! Accounts:
//! 0. `[signer]` owner
//! 1. `[writable]` config
//! 2. `[writable]` stake_account
//! 3. `[]` clock: the Clock sysvar
use crate::{position, rewards};
use media_core::event::Event;
use media_core::ix::AmountArgs;
use media_core::ix::Context;
use media_core::state::load_held;
use media_core::state::load_mut;
use media_core::{checks, math, sysvar, ProgramResult};
use media_staking_interface::error::StakingError;
use media_staking_interface::event::UnstakeRequested;
use media_staking_interface::state::StakeAccount;
use media_staking_interface::state::StakingConfig;

pub fn process(ctx: &Context) -> ProgramResult {
    let [owner, config, stake_account, clock] = ctx.accounts()?;
    let program_id = ctx.program_id;
    let amount = ctx.args::<AmountArgs>()?.amount.get();
    checks::signer(owner)?;
    if amount == 0 {
        return Err(StakingError::ZeroAmount.into());
    }
    let mut config_state = load_mut::<StakingConfig>(config, program_id)?;
    let mut stake = load_held::<StakeAccount>(stake_account, owner, program_id)?;
    let now = sysvar::unix_timestamp_of(clock)?;
    if now < stake.vote_lock_until.get() {
        return Err(StakingError::StakeVoteLocked.into());
    }
    // Stake bound to an operator stays active until it is undelegated.
    let left = stake.active.get().checked_sub(amount);
    if left.is_some_and(|left| left < stake.delegated.get()) {
        return Err(StakingError::StakeDelegated.into());
    }
    rewards::update(&mut config_state, now)?;
    rewards::settle(&mut stake, &config_state)?;
    position::remove_active(&mut stake, &mut config_state, amount)?;

    let unbonding_end = math::add_i64(now, config_state.unbonding_period.get())?;
    stake.unbonding.try_add(amount)?;
    stake.unbonding_end.set(unbonding_end);
    config_state.total_unbonding.try_add(amount)?;

    UnstakeRequested {
        active: stake.active,
        unbonding: stake.unbonding,
        unbonding_end: unbonding_end.into(),
    }
    .emit();
    Ok(())
}
