//! `cancel_unstake()`: returns all unbonding stake to active stake.
//!
//! Accounts:
//! 0. `[signer]` owner
//! 1. `[writable]` config
//! 2. `[writable]` stake_account
use super::{config_unpaused, owned_stake};
use crate::{position, rewards};
use media_core::error::{err, CommonError};
use media_core::event::Event;
use media_core::ix::{no_args, Context};
use media_core::{checks, math, sysvar, ProgramResult};
use media_staking_interface::error::StakingError;
use media_staking_interface::event::UnstakeCancelled;

pub fn process(ctx: &Context) -> ProgramResult {
    let Context {
        program_id,
        accounts,
        args,
    } = *ctx;
    let [owner, config, stake_account, ..] = accounts else {
        return err(CommonError::NotEnoughAccounts);
    };
    no_args(args)?;
    checks::signer(owner)?;
    let now = sysvar::unix_timestamp()?;
    let mut config_state = config_unpaused(config, program_id, now)?;
    let mut stake = owned_stake(stake_account, owner, program_id)?;
    let amount = stake.unbonding.get();
    if amount == 0 {
        return Err(StakingError::NothingUnbonding.into());
    }
    rewards::update(&mut config_state, now)?;
    rewards::settle(&mut stake, &config_state)?;
    position::check_minimum(
        math::add(stake.active.get(), amount)?,
        config_state.min_stake.get(),
    )?;
    position::add_active(&mut stake, &mut config_state, amount)?;
    stake.unbonding.set(0);
    stake.unbonding_end.set(0);

    config_state.total_unbonding.try_sub(amount)?;
    config_state.total_active.try_add(amount)?;

    UnstakeCancelled {
        owner: *owner.address(),
        amount: amount.into(),
        active: stake.active,
    }
    .emit();
    Ok(())
}
