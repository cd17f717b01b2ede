//! Staking rewards: a linear stream feeding an accumulator. Pure arithmetic on the config and
//! the stake positions, shared by the program (which adds the vault and the events) and the
//! host property tests.
//!
//! New rewards (funded, or arrived in the vault) join `unstreamed_rewards`, which streams out
//! linearly until `reward_period_end`; each (re)start spreads what is left plus the new
//! rewards over `reward_duration` from now. What has streamed is spread over the active stake
//! through `reward_per_stake` (rewards per staked base unit, scaled by `REWARD_SCALE`), so a
//! position earns only for the time it was staked: stake added just before a funding earns
//! that funding's rate for the seconds it stays, never a share of the whole amount.
//!
//! Rounding never pays more than was funded: the stream takes `floor(unstreamed * elapsed /
//! remaining time)` (the remainder streams later; at the period end all of it has streamed),
//! and every division into and out of the accumulator rounds down, the dust staying in the
//! vault as part of `reward_reserve`. While nothing is staked nothing streams: the period end
//! moves with the clock, so rewards wait for the first stakers and nothing divides by zero.
//! All products go through `media_core::math` (no 128-bit multiply builtins on BPF).
use crate::state::{StakeAccount, StakingConfig};
use crate::REWARD_SCALE;
use core::num::NonZeroU64;
use media_core::error::CommonError;
use media_core::{math, ProgramError};

/// [`REWARD_SCALE`] as the 64-bit divisor the wide arithmetic takes.
pub const SCALE: u64 = REWARD_SCALE as u64;

fn overflow() -> ProgramError {
    CommonError::ArithmeticOverflow.into()
}

/// What `active` stake earned while the accumulator moved by `delta`:
/// `active * delta / SCALE`, with `delta = whole * SCALE + fraction`.
pub fn earned(active: u64, delta: u128) -> Result<u64, ProgramError> {
    let (whole, fraction) = math::div_rem_u128(delta, SCALE).ok_or_else(overflow)?;
    let whole = u64::try_from(whole).map_err(|_| overflow())?;
    math::add(
        math::mul(active, whole)?,
        math::mul_div(active, fraction, SCALE)?,
    )
}

/// Credits `stake` with what it earned since its last settlement. Call after [`update`] and
/// before any change to its active amount. Out of line: four instructions share it.
#[inline(never)]
pub fn settle(stake: &mut StakeAccount, config: &StakingConfig) -> Result<(), ProgramError> {
    let current = config.reward_per_stake.get();
    let paid = stake.reward_per_stake_paid.get();
    if current == paid {
        return Ok(());
    }
    let delta = current.checked_sub(paid).ok_or_else(overflow)?;
    stake
        .rewards_owed
        .try_add(earned(stake.active.get(), delta)?)?;
    stake.reward_per_stake_paid.set(current);
    Ok(())
}

/// Brings the stream up to `now`: what streamed since the last update is spread over the
/// active stake. Call before anything changes `total_active` or a position's rewards. Out of
/// line: six instructions share it.
#[inline(never)]
pub fn update(config: &mut StakingConfig, now: i64) -> Result<(), ProgramError> {
    let last = config.reward_updated_at.get();
    if now <= last {
        return Ok(());
    }
    config.reward_updated_at.set(now);
    let unstreamed = config.unstreamed_rewards.get();
    if unstreamed == 0 {
        return Ok(());
    }
    let end = config.reward_period_end.get();
    let waited = now.checked_sub(last).ok_or_else(overflow)?;
    let Some(total_active) = NonZeroU64::new(config.total_active.get()) else {
        // Nobody to earn: the rest of the period waits for the first stakers.
        config
            .reward_period_end
            .set(end.max(last).checked_add(waited).ok_or_else(overflow)?);
        return Ok(());
    };
    let streamed = if now >= end {
        unstreamed
    } else {
        // last < now < end, so both differences are positive and `streamed < unstreamed`.
        let remaining = end.checked_sub(last).ok_or_else(overflow)?;
        math::mul_div(unstreamed, waited as u64, remaining as u64)?
    };
    config
        .unstreamed_rewards
        .set(math::sub(unstreamed, streamed)?);
    spread(config, streamed, total_active)
}

/// Adds `amount / total_active` (scaled) to the accumulator, rounding down.
pub fn spread(
    config: &mut StakingConfig,
    amount: u64,
    total_active: NonZeroU64,
) -> Result<(), ProgramError> {
    if amount == 0 {
        return Ok(());
    }
    config
        .reward_per_stake
        .try_add(per_unit(amount, total_active)?)
}

/// `floor(amount * SCALE / total)`: what an accumulator moves by when `amount` is spread over
/// `total` base units. Shared by both reward accumulators and the emission ones.
pub fn per_unit(amount: u64, total: NonZeroU64) -> Result<u128, ProgramError> {
    // amount * SCALE / total = (amount / total) * SCALE + (amount % total) * SCALE / total
    let whole = math::mul_u128(amount / total, SCALE);
    let fraction = math::mul_div(amount % total, SCALE, total.get())?;
    whole.checked_add(fraction as u128).ok_or_else(overflow)
}

/// Restarts the period at `now`: what has not streamed yet plus `added` streams out over
/// `reward_duration`. Returns the period's `(unstreamed, period_end)`. Inlined into the
/// program's one (out-of-line) caller, as when it lived there.
#[inline(always)]
pub fn restart(
    config: &mut StakingConfig,
    added: u64,
    now: i64,
) -> Result<(u64, i64), ProgramError> {
    let unstreamed = math::add(config.unstreamed_rewards.get(), added)?;
    let period_end = math::add_i64(now, config.reward_duration.get())?;
    config.unstreamed_rewards.set(unstreamed);
    config.reward_period_end.set(period_end);
    Ok((unstreamed, period_end))
}

/// Rewards per second, scaled by `REWARD_SCALE`, of `unstreamed` over `duration`.
#[inline(always)]
pub fn reward_rate(unstreamed: u64, duration: i64) -> Result<u128, ProgramError> {
    // Bounds keep the duration at least a day, so it is a positive divisor.
    let (rate, _) = math::div_rem_u128(math::mul_u128(unstreamed, SCALE), duration as u64)
        .ok_or_else(overflow)?;
    Ok(rate)
}
