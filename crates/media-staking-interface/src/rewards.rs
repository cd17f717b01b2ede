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
//! No 128-bit multiply or divide builtins exist on BPF: products go through [`crate::wide`]
//! (`media_core::math` with native fast paths), and the scaling by `SCALE` in and out of the
//! accumulators through decimal long arithmetic in native 64-bit steps ([`scale_down`],
//! [`scale_up`]), exact and host-tested against native u128.
use crate::state::{StakeAccount, StakingConfig};
use crate::wide;
use crate::REWARD_SCALE;
use core::num::NonZeroU64;
use media_core::error::CommonError;
use media_core::pod::{PodU128, PodU64};
use media_core::{math, ProgramError};

/// [`REWARD_SCALE`] as the 64-bit divisor the wide arithmetic takes.
pub const SCALE: u64 = REWARD_SCALE as u64;

fn overflow() -> ProgramError {
    CommonError::ArithmeticOverflow.into()
}

/// What `active` stake earned while the accumulator moved by `delta`:
/// `active * delta / SCALE`, with `delta = whole * SCALE + fraction`. A `delta` below 2^64
/// (every realistic move) takes [`earned_below_u64`].
pub fn earned(active: u64, delta: u128) -> Result<u64, ProgramError> {
    if let Ok(delta) = u64::try_from(delta) {
        return earned_below_u64(active, delta);
    }
    let (whole, fraction) = math::div_rem_u128(delta, SCALE).ok_or_else(overflow)?;
    let whole = u64::try_from(whole).map_err(|_| overflow())?;
    math::add(wide::mul(active, whole)?, scaled_fraction(active, fraction))
}

/// [`earned`] of a move below 2^64, which splits by one native division; under one reward per
/// staked base unit (nearly every move) only the fraction is scaled.
#[inline(always)]
fn earned_below_u64(active: u64, delta: u64) -> Result<u64, ProgramError> {
    if delta < SCALE {
        return Ok(scaled_fraction(active, delta));
    }
    let scale = native_divisor(SCALE_DIVISOR);
    let (whole, fraction) = (delta / scale, delta % scale);
    math::add(wide::mul(active, whole)?, scaled_fraction(active, fraction))
}

/// `divisor` out of constant folding. LLVM 22's BPF backend divides by a constant natively
/// (the decimal bases of [`scale_down`] are plain constants), but this one split measured 40
/// bytes smaller and 1 CU faster with the divisor in a register.
#[inline(always)]
fn native_divisor(divisor: NonZeroU64) -> NonZeroU64 {
    core::hint::black_box(divisor)
}

/// [`SCALE`] as a divisor.
const SCALE_DIVISOR: NonZeroU64 = nonzero(SCALE);
/// Bounds below which an operand times 10^9, 10^6 or 10^3 fits 64 bits: 2^34 * 10^9,
/// 2^44 * 10^6 and 2^54 * 10^3 are all below 2^64.
const BELOW_BASE_9: u64 = 1 << 34;
const BELOW_BASE_6: u64 = 1 << 44;
const BELOW_BASE_3: u64 = 1 << 54;

const fn nonzero(x: u64) -> NonZeroU64 {
    match NonZeroU64::new(x) {
        Some(x) => x,
        None => panic!("a divisor is not zero"),
    }
}

/// `floor(a * fraction / SCALE)`, failing (`ArithmeticOverflow`) where it passes 2^64, which
/// only a `fraction` of `SCALE` or more can: below it, [`scaled_fraction`].
pub fn scale_down(a: u64, fraction: u64) -> Result<u64, ProgramError> {
    if fraction >= SCALE {
        return wide::wide_mul_div(a, fraction, SCALE);
    }
    Ok(scaled_fraction(a, fraction))
}

/// `floor(a * fraction / SCALE)` for `fraction < SCALE`, so the result is below `a` and
/// always fits: returned in a register, where a `Result` went through the stack. The product
/// is scaled down digit by digit of `fraction` in a decimal base `B` (10^9, 10^6 or 10^3, each
/// a root of `SCALE`) with `a * B < 2^64`, which every `a` below 2^54 (about 18 billion MEDIA)
/// has. A larger `a` takes the wide division.
#[inline(never)]
fn scaled_fraction(a: u64, fraction: u64) -> u64 {
    match a {
        // Nothing moved (a checkpoint already current): nothing to scale.
        _ if fraction == 0 => 0,
        0..BELOW_BASE_9 => scale_down_in::<2>(a, fraction, nonzero(1_000_000_000)),
        BELOW_BASE_9..BELOW_BASE_6 => scale_down_in::<3>(a, fraction, nonzero(1_000_000)),
        BELOW_BASE_6..BELOW_BASE_3 => scale_down_in::<6>(a, fraction, nonzero(1_000)),
        // The quotient is below `a`: the wide division cannot refuse it.
        _ => wide::wide_mul_div(a, fraction, SCALE).unwrap_or(0),
    }
}

/// [`scale_down`] in base `base`, `fraction` having `DIGITS` digits in it: lowest digit first,
/// `carry = (a * digit + carry) / base`. The carry stays below `a`, so each step fits 64 bits
/// when `a * base` does, and nesting floors this way is exact.
#[inline(always)]
fn scale_down_in<const DIGITS: u32>(a: u64, fraction: u64, base: NonZeroU64) -> u64 {
    let (mut carry, mut rest) = (0u64, fraction);
    for _ in 0..DIGITS {
        // digit < base and carry < a, so a * digit + carry < a * base < 2^64.
        let digit = rest % base;
        rest /= base;
        carry = a.wrapping_mul(digit).wrapping_add(carry) / base;
    }
    carry
}

/// Credits `stake` with what it earned since its last settlement. Call after [`update`] and
/// before any change to its active amount. The test for a position already settled at the
/// current accumulator is inlined; the credit is out of line, shared by every instruction that
/// settles.
#[inline(always)]
pub fn settle(stake: &mut StakeAccount, config: &StakingConfig) -> Result<(), ProgramError> {
    // Word by word, a branch each: equal 128-bit values as LLVM writes them (xor both words,
    // or, test) take ten instructions, these six.
    let (current, paid) = (&config.reward_per_stake.0, &stake.reward_per_stake_paid.0);
    if low_word(current) != low_word(paid) || high_word(current) != high_word(paid) {
        return credit(stake, low_word(current), high_word(current));
    }
    Ok(())
}

/// The low 64 bits of a little-endian 128-bit value.
#[inline(always)]
fn low_word(value: &[u8; 16]) -> u64 {
    let (low, _) = value.split_first_chunk::<8>().unwrap_or((&[0; 8], &[]));
    u64::from_le_bytes(*low)
}

/// The high 64 bits of a little-endian 128-bit value.
#[inline(always)]
fn high_word(value: &[u8; 16]) -> u64 {
    let (_, high) = value.split_last_chunk::<8>().unwrap_or((&[], &[0; 8]));
    u64::from_le_bytes(*high)
}

/// [`settle`] of a position whose checkpoint is behind the accumulator, which is
/// `current_low + current_high * 2^64`. The common move, less than one reward per staked base
/// unit within the low word (the high words equal), is a 64-bit difference and only a fraction
/// to scale; any other takes [`credit_general`] (a 128-bit difference, whose borrow LLVM
/// materializes through flags, and [`earned`]'s call). The accumulator comes in registers, as
/// LLVM passed it when this read nothing else of the config: handing over the config instead
/// changed the register allocation of the entrypoint that inlines `settle`'s test
/// (cancel_unstake +2, which never calls this).
#[inline(never)]
fn credit(
    stake: &mut StakeAccount,
    current_low: u64,
    current_high: u64,
) -> Result<(), ProgramError> {
    let paid = &stake.reward_per_stake_paid.0;
    if current_high == high_word(paid) {
        let paid_low = low_word(paid);
        let delta = current_low.wrapping_sub(paid_low);
        if current_low >= paid_low && delta < SCALE {
            stake
                .rewards_owed
                .try_add(scaled_fraction(stake.active.get(), delta))?;
            set_low_word(&mut stake.reward_per_stake_paid.0, current_low);
            return Ok(());
        }
    }
    let current = u128::from(current_high) << 64 | u128::from(current_low);
    credit_general(stake, current)
}

/// [`credit`] of any move.
#[cold]
#[inline(never)]
fn credit_general(stake: &mut StakeAccount, current: u128) -> Result<(), ProgramError> {
    let paid = stake.reward_per_stake_paid.get();
    let delta = current.checked_sub(paid).ok_or_else(overflow)?;
    stake
        .rewards_owed
        .try_add(earned(stake.active.get(), delta)?)?;
    stake.reward_per_stake_paid.set(current);
    Ok(())
}

/// Writes the low 64 bits of a little-endian 128-bit value.
#[inline(always)]
fn set_low_word(value: &mut [u8; 16], low: u64) {
    if let Some((word, _)) = value.split_first_chunk_mut::<8>() {
        *word = low.to_le_bytes();
    }
}

/// Brings the stream up to `now`: what streamed since the last update is spread over the
/// active stake. Call before anything changes `total_active` or a position's rewards. The
/// test for a stream already at `now` (a second staking instruction in the same second) is
/// inlined, two instructions instead of a call; the rest is out of line, shared by six
/// instructions.
#[inline(always)]
pub fn update(config: &mut StakingConfig, now: i64) -> Result<(), ProgramError> {
    if now <= config.reward_updated_at.get() {
        return Ok(());
    }
    stream(config, now)
}

/// [`update`] of a stream last updated before `now`. Cold: the inlined test then falls
/// through to the already-current case (cancel_unstake 652 -> 650 CU), for a jump or two more
/// where the stream moves (sync_rewards +2, withdraw +4).
#[cold]
#[inline(never)]
fn stream(config: &mut StakingConfig, now: i64) -> Result<(), ProgramError> {
    let last = config.reward_updated_at.get();
    config.reward_updated_at.set(now);
    let unstreamed = config.unstreamed_rewards.get();
    if unstreamed == 0 {
        return Ok(());
    }
    let end = config.reward_period_end.get();
    let waited = after(now, last)?;
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
        let remaining = after(end, last)?;
        let (waited, remaining) = (waited as u64, remaining as u64);
        match wide::native_mul_div(unstreamed, waited, remaining) {
            Some(streamed) => streamed,
            None => wide::wide_mul_div(unstreamed, waited, remaining)?,
        }
    };
    config
        .unstreamed_rewards
        .set(math::sub(unstreamed, streamed)?);
    spread(config, streamed, total_active)
}

/// `later - earlier` for `later > earlier`, failing with `ArithmeticOverflow` where
/// `checked_sub` would (a difference past `i64::MAX`). The true difference is positive, so the
/// wrapped one is negative exactly when it overflowed: one sign test instead of the flags of a
/// signed checked subtraction (about ten instructions on BPF).
#[inline(always)]
fn after(later: i64, earlier: i64) -> Result<i64, ProgramError> {
    let difference = later.wrapping_sub(earlier);
    if difference < 0 {
        return Err(overflow());
    }
    Ok(difference)
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
    add_per_unit(&mut config.reward_per_stake, amount, total_active)
}

/// Moves the accumulator `acc` by [`per_unit`]`(amount, total)`, failing with
/// `ArithmeticOverflow` (and changing nothing) if it would pass 2^128. Every accumulator takes
/// its moves through here; out of line (four callers). A move of at most 17 whole units per
/// base unit (always, in practice: the amount spread is a share of the stake it is spread
/// over) fits 64 bits, so it is added to the low word with one carry test instead of a
/// 128-bit sum and a 128-bit value handed back through memory.
#[inline(never)]
pub fn add_per_unit(acc: &mut PodU128, amount: u64, total: NonZeroU64) -> Result<(), ProgramError> {
    let whole = amount / total;
    let fraction = scale_up(amount % total, total)?;
    if whole > 17 {
        return add_wide(acc, whole, fraction);
    }
    // whole * SCALE + fraction <= 17 * SCALE + (SCALE - 1) < 18 * 10^18 < 2^64.
    add_low(acc, whole.wrapping_mul(SCALE).wrapping_add(fraction))
}

/// [`add_per_unit`]'s move of more than 17 units per base unit, out of the common path.
#[cold]
#[inline(never)]
fn add_wide(acc: &mut PodU128, whole: u64, fraction: u64) -> Result<(), ProgramError> {
    // whole < 2^64, so whole * SCALE < 2^124 and adding a fraction below SCALE fits.
    acc.try_add(math::mul_u128(whole, SCALE).wrapping_add(u128::from(fraction)))
}

/// `acc += step` for a 64-bit `step`: the carry out of the low word goes into the high one.
/// Overflow is `step > !low` (not `low + step < low`, which LLVM turns back into a flag it
/// materializes in three more instructions).
/// The high word is read and written only when the carry reaches it.
#[inline(always)]
fn add_low(acc: &mut PodU128, step: u64) -> Result<(), ProgramError> {
    // A little-endian u128 is its low word then its high word.
    let Some([low, high]) = media_core::pod::from_bytes_mut::<[PodU64; 2]>(&mut acc.0) else {
        return Err(overflow());
    };
    let low_value = low.get();
    if step > !low_value {
        let high_value = high.get();
        if high_value == u64::MAX {
            return Err(overflow());
        }
        high.set(high_value.wrapping_add(1));
    }
    low.set(low_value.wrapping_add(step));
    Ok(())
}

/// `floor(amount * SCALE / total)`: what an accumulator moves by when `amount` is spread over
/// `total` base units, as a value ([`reward_rate`]): the move of an accumulator at zero, so
/// that one out-of-line body ([`add_per_unit`]) serves both.
#[inline(always)]
pub fn per_unit(amount: u64, total: NonZeroU64) -> Result<u128, ProgramError> {
    let mut moved = PodU128::new(0);
    add_per_unit(&mut moved, amount, total)?;
    Ok(moved.get())
}

/// `floor(remainder * SCALE / total)` for `remainder < total` (so the result is below
/// `SCALE`): long division of `remainder * SCALE` by `total` in a decimal base `B` (10^9, 10^6
/// or 10^3) with `total * B < 2^64`, which every `total` below 2^54 has. A larger `total` (or
/// `remainder`) takes the wide division.
#[inline(always)]
pub fn scale_up(remainder: u64, total: NonZeroU64) -> Result<u64, ProgramError> {
    Ok(match total.get() {
        _ if remainder >= total.get() => return wide::wide_mul_div(remainder, SCALE, total.get()),
        0..BELOW_BASE_9 => scale_up_in::<2, 1_000_000_000>(remainder, total),
        BELOW_BASE_9..BELOW_BASE_6 => scale_up_in::<3, 1_000_000>(remainder, total),
        BELOW_BASE_6..BELOW_BASE_3 => scale_up_in::<6, 1_000>(remainder, total),
        _ => return wide::wide_mul_div(remainder, SCALE, total.get()),
    })
}

/// [`scale_up`] in base `BASE` (`BASE^DIGITS = SCALE`): each step brings down one zero digit.
/// The running remainder stays below `total`, so `remainder * BASE` fits 64 bits when
/// `total * BASE` does, each quotient digit is below `BASE` and the quotient below `SCALE`.
#[inline(always)]
fn scale_up_in<const DIGITS: u32, const BASE: u64>(remainder: u64, total: NonZeroU64) -> u64 {
    let (mut quotient, mut remainder) = (0u64, remainder);
    for _ in 0..DIGITS {
        let dividend = remainder.wrapping_mul(BASE);
        quotient = quotient.wrapping_mul(BASE).wrapping_add(dividend / total);
        remainder = dividend % total;
    }
    quotient
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

/// Rewards per second, scaled by `REWARD_SCALE`, of `unstreamed` over `duration`:
/// `floor(unstreamed * SCALE / duration)`, which is [`per_unit`].
#[inline(always)]
pub fn reward_rate(unstreamed: u64, duration: i64) -> Result<u128, ProgramError> {
    // Bounds keep the duration at least a day, so it is a positive divisor.
    let duration = NonZeroU64::new(duration as u64).ok_or_else(overflow)?;
    per_unit(unstreamed, duration)
}
