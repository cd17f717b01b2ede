//! Staking rewards: a linear stream feeding an accumulator.
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
use core::num::NonZeroU64;
use media_core::error::CommonError;
use media_core::event::Event;
use media_core::{math, token, AccountView, ProgramError};
use media_staking_interface::event::RewardPeriodStarted;
use media_staking_interface::state::{StakeAccount, StakingConfig};
use media_staking_interface::REWARD_SCALE;

const SCALE: u64 = REWARD_SCALE as u64;

fn overflow() -> ProgramError {
    CommonError::ArithmeticOverflow.into()
}

/// What `active` stake earned while the accumulator moved by `delta`:
/// `active * delta / SCALE`, with `delta = whole * SCALE + fraction`.
fn earned(active: u64, delta: u128) -> Result<u64, ProgramError> {
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
fn spread(
    config: &mut StakingConfig,
    amount: u64,
    total_active: NonZeroU64,
) -> Result<(), ProgramError> {
    if amount == 0 {
        return Ok(());
    }
    // amount * SCALE / total = (amount / total) * SCALE + (amount % total) * SCALE / total
    let whole = math::mul_u128(amount / total_active, SCALE);
    let fraction = math::mul_div(amount % total_active, SCALE, total_active.get())?;
    config
        .reward_per_stake
        .try_add(whole.checked_add(fraction as u128).ok_or_else(overflow)?)
}

/// New rewards of one instruction: `funded` through `fund_rewards` (already counted by the
/// caller), plus whatever arrived in the vault since the last staking instruction.
pub struct NewRewards<'a> {
    /// The staking vault, already checked to be the config's.
    pub vault: &'a AccountView,
    pub funded: u64,
    pub now: i64,
}

/// For an instruction that holds the vault, after [`update`] and before its own transfers:
/// folds what arrived in the vault beyond what it owes (active + unbonding + reserve) into
/// the reserve, and restarts the period if anything is new. Out of line: five instructions
/// share it.
#[inline(never)]
pub fn receive(config: &mut StakingConfig, new: &NewRewards) -> Result<(), ProgramError> {
    let owed = math::add(
        math::add(config.total_active.get(), config.total_unbonding.get())?,
        config.reward_reserve.get(),
    )?;
    // The vault never holds less than it owes; if it did, nothing would be new.
    let received = token::amount(new.vault).saturating_sub(owed);
    if received != 0 {
        config.reward_reserve.try_add(received)?;
        config.total_rewards_received.try_add(received)?;
    }
    let added = math::add(received, new.funded)?;
    if added == 0 {
        return Ok(());
    }
    restart(config, added, received, new.now)
}

/// Restarts the period at `now`: what has not streamed yet plus `added` streams out over
/// `reward_duration`.
fn restart(
    config: &mut StakingConfig,
    added: u64,
    received: u64,
    now: i64,
) -> Result<(), ProgramError> {
    let unstreamed = math::add(config.unstreamed_rewards.get(), added)?;
    let duration = config.reward_duration.get();
    let period_end = math::add_i64(now, duration)?;
    config.unstreamed_rewards.set(unstreamed);
    config.reward_period_end.set(period_end);
    // Bounds keep the duration at least a day, so it is a positive divisor.
    let (reward_rate, _) = math::div_rem_u128(math::mul_u128(unstreamed, SCALE), duration as u64)
        .ok_or_else(overflow)?;
    RewardPeriodStarted {
        added: added.into(),
        received: received.into(),
        unstreamed: unstreamed.into(),
        reward_rate: reward_rate.into(),
        period_end: period_end.into(),
        total_active: config.total_active,
    }
    .emit();
    Ok(())
}
