//! `cancel_unstake()`: returns all unbonding stake to active stake.
//!
//! Accounts:
//! 0. `[signer]` owner
//! 1. `[writable]` config
//! 2. `[writable]` stake_account
//! 3. `[]` clock: the Clock sysvar
use super::config_unpaused;
use crate::{position, rewards};
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::load_held;
use media_core::{checks, sysvar, ProgramResult};
use media_staking_interface::error::StakingError;
use media_staking_interface::event::UnstakeCancelled;
use media_staking_interface::state::StakeAccount;

pub fn process(ctx: &Context) -> ProgramResult {
    let [owner, config, stake_account, clock] = ctx.accounts()?;
    let program_id = ctx.program_id;
    ctx.no_args()?;
    checks::signer(owner)?;
    let now = sysvar::unix_timestamp_of(clock)?;
    let mut config_state = config_unpaused(config, program_id, now)?;
    let mut stake = load_held::<StakeAccount>(stake_account, owner, program_id)?;
    if stake.unbonding.get() == 0 {
        return nothing_unbonding();
    }
    rewards::update(&mut config_state, now)?;
    rewards::settle(&mut stake, &config_state)?;
    // Read after the settlement (which leaves it as it is): one load from the account
    // instead of a value kept on the stack across the calls.
    let amount = stake.unbonding.get();
    position::add_active(&mut stake, &mut config_state, amount)?;
    stake.unbonding.set(0);
    stake.unbonding_end.set(0);

    config_state.total_unbonding.try_sub(amount)?;

    UnstakeCancelled {
        amount: amount.into(),
        active: stake.active,
    }
    .emit();
    Ok(())
}

/// The refusal, out of line and cold: LLVM otherwise builds its error code ahead of the
/// branch, on the path that passes.
#[cold]
#[inline(never)]
fn nothing_unbonding() -> ProgramResult {
    Err(StakingError::NothingUnbonding.into())
}
