//! The reward accumulator: rewards per staked base unit, scaled by `REWARD_SCALE` (10^18).
//!
//! Every division rounds down, so the sum of what stakers are credited never exceeds what
//! was funded; the remainder stays in the vault as part of `reward_reserve`. All products
//! go through `media_core::math`'s 64-bit-word arithmetic (no 128-bit multiply builtins).
use media_core::error::CommonError;
use media_core::{math, ProgramError};
use media_staking_interface::state::{StakeAccount, StakingConfig};
use media_staking_interface::REWARD_SCALE;

const SCALE: u64 = REWARD_SCALE as u64;

/// What `active` stake earned while the accumulator moved by `delta`:
/// `active * delta / SCALE`, with `delta = whole * SCALE + fraction`.
fn earned(active: u64, delta: u128) -> Result<u64, ProgramError> {
    let (whole, fraction) =
        math::div_rem_u128(delta, SCALE).ok_or(CommonError::ArithmeticOverflow)?;
    let whole = u64::try_from(whole).map_err(|_| CommonError::ArithmeticOverflow)?;
    math::add(
        math::mul(active, whole)?,
        math::mul_div(active, fraction, SCALE)?,
    )
}

/// Credits `stake` with what it earned since its last settlement. Call before any change
/// to its active amount.
pub fn settle(stake: &mut StakeAccount, config: &StakingConfig) -> Result<(), ProgramError> {
    let current = config.reward_per_stake.get();
    let paid = stake.reward_per_stake_paid.get();
    if current == paid {
        return Ok(());
    }
    let delta = current
        .checked_sub(paid)
        .ok_or(CommonError::ArithmeticOverflow)?;
    stake
        .rewards_owed
        .try_add(earned(stake.active.get(), delta)?)?;
    stake.reward_per_stake_paid.set(current);
    Ok(())
}

/// Spreads `amount` plus anything waiting over the current active stake; with nothing
/// staked it waits for the first stakers.
pub fn distribute(config: &mut StakingConfig, amount: u64) -> Result<(), ProgramError> {
    let pending = math::add(config.undistributed_rewards.get(), amount)?;
    let Some(total_active) = core::num::NonZeroU64::new(config.total_active.get()) else {
        config.undistributed_rewards.set(pending);
        return Ok(());
    };
    if pending == 0 {
        return Ok(());
    }
    // pending * SCALE / total = (pending / total) * SCALE + (pending % total) * SCALE / total
    let whole = math::mul_u128(pending / total_active, SCALE);
    let fraction = math::mul_div(pending % total_active, SCALE, total_active.get())?;
    config.reward_per_stake.try_add(
        whole
            .checked_add(fraction as u128)
            .ok_or(CommonError::ArithmeticOverflow)?,
    )?;
    config.undistributed_rewards.set(0);
    Ok(())
}
