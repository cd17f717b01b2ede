//! Changes to a stake position's active amount: the minimum rule and the two cohorts that
//! date active stake for governance (see `StakeAccount`).
use media_core::{math, ProgramError};
use media_staking_interface::error::StakingError;
use media_staking_interface::state::{StakeAccount, StakingConfig};

/// The minimum is a rule on the resulting active stake: zero or at least `min_stake`.
#[inline(always)]
fn check_minimum(active: u64, min_stake: u64) -> Result<(), ProgramError> {
    if active != 0 && active < min_stake {
        return Err(StakingError::StakeBelowMinimum.into());
    }
    Ok(())
}

/// Adds `amount` to active stake (and the config's total) as the young cohort, dated by the
/// config's stake sequence, which it advances. The resulting stake must meet the minimum.
pub fn add_active(
    stake: &mut StakeAccount,
    config: &mut StakingConfig,
    amount: u64,
) -> Result<(), ProgramError> {
    check_minimum(
        math::add(stake.active.get(), amount)?,
        config.min_stake.get(),
    )?;
    config.stake_sequence.try_add(1)?;
    let sequence = config.stake_sequence.get();
    if stake.active.get() == 0 {
        // `amount` is never 0 (the instructions refuse it): the position starts counting.
        config.stakers.try_add(1)?;
        stake.mature_since.set(sequence);
    } else if stake.young_amount.get() != 0 {
        // Fold the old young cohort into the mature one, which is then only as old as it.
        stake.mature_since.set(stake.young_since.get());
    }
    stake.young_amount.set(amount);
    stake.young_since.set(sequence);
    stake.active.try_add(amount)?;
    config.total_active.try_add(amount)
}

/// Removes `amount` from active stake (and the config's total), youngest stake first. What
/// stays active must meet the minimum.
pub fn remove_active(
    stake: &mut StakeAccount,
    config: &mut StakingConfig,
    amount: u64,
) -> Result<(), ProgramError> {
    let active = stake.active.get();
    if amount > active {
        return Err(StakingError::InsufficientActiveStake.into());
    }
    // Youngest first, the young amount floored at zero: by a branch, not `saturating_sub`,
    // which the backend expands into a flag it materializes and tests.
    let young = stake.young_amount.get();
    if young > amount {
        stake.young_amount.set(young.wrapping_sub(amount));
    } else if young != 0 {
        stake.young_amount.set(0);
    }
    stake.active.set(math::sub(active, amount)?);
    check_minimum(stake.active.get(), config.min_stake.get())?;
    if stake.active.get() == 0 && amount != 0 {
        config.stakers.try_sub(1)?;
    }
    config.total_active.try_sub(amount)
}
