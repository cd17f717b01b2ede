//! Emissions of the contributor economy: pure arithmetic on the [`RewardsPool`], the
//! [`OperatorPool`]s and the [`Delegation`]s, shared by the program and the host tests (the
//! SDK's TypeScript mirrors it exactly).
//!
//! Two levels of accumulators keep every instruction O(1) whatever the number of operators
//! and delegators:
//! 1. [`release`] moves what the schedule made due into `RewardsPool::emission_per_stake`,
//!    per base unit of stake bound to any operator;
//! 2. [`sync`] moves an operator pool's part of it (its bound stake times the accumulator's
//!    move since its last sync) into the pool: the part earned while the operator was active
//!    (its bandwidth `Provider`'s activity run) goes, after commission, into
//!    `reward_per_bound`; the idle part returns to the pool. New fee share goes into
//!    `fee_per_delegated`;
//! 3. [`settle`] credits a delegation with its bound stake times the pool's accumulators'
//!    moves.
//!
//! Every division rounds down, so nothing pays more than was released; what the floors leave
//! stays in the vault as dust. Products go through [`crate::wide`] and the scaling
//! helpers of [`crate::rewards`] (no 128-bit multiply builtins on BPF).
use crate::rewards::{add_per_unit, earned};
use crate::state::{Delegation, OperatorPool, RewardsPool};
use crate::{wide, BPS};
use core::num::NonZeroU64;
use media_core::error::CommonError;
use media_core::{checks, math, ProgramError};

#[cold]
#[inline(never)]
fn overflow() -> ProgramError {
    CommonError::ArithmeticOverflow.into()
}

/// What a schedule starting at `rate` base units per second, halving every `halving`
/// seconds, releases in its first `elapsed` seconds:
/// `Σ_{i<k} (rate >> i) * halving + (rate >> k) * (elapsed % halving)`, `k = elapsed /
/// halving`. Nothing before the start; terms past the 64th halving are 0, and the loop stops
/// as soon as the rate has halved to 0 (about 20 terms at the highest rate the bounds allow).
pub fn scheduled_by(rate: u64, halving: i64, elapsed: i64) -> Result<u64, ProgramError> {
    if elapsed <= 0 || rate == 0 {
        return Ok(0);
    }
    // Positive: `elapsed > 0`, and a halving period that is not is refused.
    let elapsed = elapsed as u64;
    let halving = u64::try_from(halving)
        .ok()
        .and_then(NonZeroU64::new)
        .ok_or_else(overflow)?;
    let periods = elapsed / halving;
    let mut total = 0u64;
    let mut shift = 0u32;
    while u64::from(shift) < periods {
        let Some(period_rate) = rate.checked_shr(shift).filter(|r| *r != 0) else {
            return Ok(total);
        };
        total = math::add(total, wide::mul(period_rate, halving.get())?)?;
        // `shift < periods` and the loop ends by 64 (the shift then yields 0).
        shift = shift.wrapping_add(1);
    }
    let tail_rate = rate.checked_shr(shift).unwrap_or(0);
    math::add(total, wide::mul(tail_rate, elapsed % halving)?)
}

/// Everything the pool's schedules have scheduled by time `t`. Within the first halving
/// period of the current schedule (every re-anchoring for years after the last) the rate has
/// not halved: `rate * elapsed`, inline, which is what [`scheduled_by`] computes there, without
/// its call, its division and its result handed back through memory.
#[inline(always)]
pub fn scheduled(pool: &RewardsPool, t: i64) -> Result<u64, ProgramError> {
    let start = pool.schedule_start.get();
    let halving = pool.halving_period.get();
    if t > start && halving > 0 {
        // `t > start`: the wrapped difference is the true one, below 2^64.
        let elapsed = t.wrapping_sub(start) as u64;
        // Below a positive i64, so `saturating_sub` would have given the same `elapsed`.
        if elapsed < halving as u64 {
            return math::add(
                pool.scheduled_before.get(),
                wide::mul(pool.initial_rate.get(), elapsed)?,
            );
        }
    }
    scheduled_at(pool, t)
}

/// [`scheduled`] by the general sum: what [`due_between`] takes when a release spans a
/// halving (rare), where the inline shortcut would only add code.
fn scheduled_at(pool: &RewardsPool, t: i64) -> Result<u64, ProgramError> {
    let elapsed = t.saturating_sub(pool.schedule_start.get());
    math::add(
        pool.scheduled_before.get(),
        scheduled_by(pool.initial_rate.get(), pool.halving_period.get(), elapsed)?,
    )
}

/// What the pool's schedule makes due in `(from, to]`: `scheduled(to) - scheduled(from)`.
/// Within one halving period of the current schedule (nearly every release) the rate is flat,
/// so that is one product instead of two schedule sums. Inlined into [`release`] (so into
/// the program's one out-of-line pool loader): called, it cost 480 bytes more and a call.
#[inline(always)]
pub fn due_between(pool: &RewardsPool, from: i64, to: i64) -> Result<u64, ProgramError> {
    let start = pool.schedule_start.get();
    let halving = u64::try_from(pool.halving_period.get())
        .ok()
        .and_then(NonZeroU64::new);
    if let Some(halving) = halving.filter(|_| start <= from && from <= to) {
        // `start <= from <= to`: both offsets are non-negative and `to` is the larger.
        let (from_offset, to_offset) = (
            from.wrapping_sub(start) as u64,
            to.wrapping_sub(start) as u64,
        );
        let period = from_offset / halving;
        if period == to_offset / halving {
            // Past the 64th halving the rate is 0 (what a checked shift would say).
            let rate = if period < 64 {
                pool.initial_rate.get().wrapping_shr(period as u32)
            } else {
                0
            };
            return wide::mul(rate, to_offset.wrapping_sub(from_offset));
        }
    }
    math::sub(scheduled_at(pool, to)?, scheduled_at(pool, from)?)
}

/// What one [`release`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Released {
    /// Released by this call.
    pub amount: u64,
    /// Part of `amount` returned to the pool at once (all of it while nothing is bound).
    pub returned: u64,
}

/// Releases what the schedule made due since `released_at` into the accumulator, never more
/// than the vault holds beyond what it owes (`vault_amount` is the emission vault's balance;
/// MEDIA anyone sent to it is simply available). A shortfall is not carried over. While
/// nothing is bound, the release is returned: nobody earns it and it stays in the vault. Call
/// first in every instruction that takes the pool. Inlined into its one caller, the program's
/// out-of-line loader of the pool, which eight instructions share.
#[inline(always)]
pub fn release(
    pool: &mut RewardsPool,
    vault_amount: u64,
    now: i64,
) -> Result<Released, ProgramError> {
    let released_at = pool.released_at.get();
    if now <= released_at {
        return Ok(Released::default());
    }
    let due = due_between(pool, released_at, now)?;
    // released - (claimed + returned), as two subtractions: the same result and the same
    // failure (a sum past 2^64 is past `released` too), without a checked add.
    let owed = math::sub(
        math::sub(pool.released.get(), pool.claimed.get())?,
        pool.returned.get(),
    )?;
    let available = if vault_amount > owed {
        vault_amount.wrapping_sub(owed)
    } else {
        0
    };
    let amount = due.min(available);
    pool.released.try_add(amount)?;
    pool.released_at.set(now);
    let returned = match NonZeroU64::new(pool.total_bound.get()) {
        None => {
            pool.returned.try_add(amount)?;
            amount
        }
        Some(total_bound) => {
            add_per_unit(&mut pool.emission_per_stake, amount, total_bound)?;
            0
        }
    };
    Ok(Released { amount, returned })
}

/// What an operator's bandwidth `Provider` says about its activity (read by the program from
/// the provider account; the bandwidth program keeps it up to date at every settlement).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProviderActivity {
    /// Start of the current activity run.
    pub active_since: i64,
    /// Last settlement plus the activity window.
    pub active_until: i64,
    /// Every fee share paid into the fee-share vault for this provider's delegators.
    pub fee_share_paid: u64,
}

/// What one [`sync`] brought in (and booked in the [`RewardsPool`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Synced {
    /// Gross emissions of idle time, returned to the pool.
    pub returned: u64,
    /// New fee share taken in.
    pub fee_share: u64,
}

/// Length of `[a0, a1] ∩ [b0, b1]` (0 if they do not meet).
#[inline(always)]
fn overlap(a0: i64, a1: i64, b0: i64, b1: i64) -> u64 {
    let (start, end) = (a0.max(b0), a1.min(b1));
    // `end > start` makes the difference positive; saturating in case it spans the whole i64.
    if end > start {
        end.saturating_sub(start) as u64
    } else {
        0
    }
}

/// Seconds of `[synced_at, now]` credited to the operator as active: its overlap with the
/// current run `[active_since, active_until]`, plus, when a new run started after the last
/// sync, the part of the run known at that sync (`active_until_seen`) before the new one, and
/// never more (it errs toward the pool).
#[inline(always)]
fn credited_seconds(pool: &OperatorPool, activity: &ProviderActivity, now: i64) -> u64 {
    let synced_at = pool.synced_at.get();
    let mut credited = overlap(synced_at, now, activity.active_since, activity.active_until);
    if activity.active_since > synced_at {
        let earlier_end = pool
            .active_until_seen
            .get()
            .min(activity.active_since)
            .min(now);
        credited = credited.saturating_add(overlap(synced_at, earlier_end, synced_at, now));
    }
    credited
}

/// Brings `pool` up to `now` against the rewards pool's level-1 accumulator
/// (`emission_per_stake`) and the operator's `activity`, and books what it returned and took in
/// into `rewards` (`returned`, `fee_share_received`): its bound stake's gross emissions since the last sync are credited
/// for the active share of the interval (commission to the operator, the rest into
/// `reward_per_bound`) and the idle share returned; new fee share goes to delegated stake (or
/// to the operator while none is delegated); pending terms whose notice has run out apply.
/// The interval is paid at the terms in effect at its start. Out of line: six instructions
/// share it.
#[inline(never)]
pub fn sync(
    pool: &mut OperatorPool,
    rewards: &mut RewardsPool,
    activity: &ProviderActivity,
    now: i64,
) -> Result<Synced, ProgramError> {
    let emission_per_stake = rewards.emission_per_stake.get();
    let synced_at = pool.synced_at.get();
    let bound_total = pool.bound_total.get();
    let delta = emission_per_stake
        .checked_sub(pool.emission_per_stake_paid.get())
        .ok_or_else(overflow)?;
    let gross = earned(bound_total, delta)?;
    let mut synced = Synced::default();
    if gross != 0 {
        let span = now.saturating_sub(synced_at).max(0) as u64;
        let active = if span == 0 {
            if activity.active_until >= now {
                gross
            } else {
                0
            }
        } else {
            match credited_seconds(pool, activity, now).min(span) {
                // Active throughout (the common case) or not at all: no division.
                credited if credited == span => gross,
                0 => 0,
                credited => wide::mul_div(gross, credited, span)?,
            }
        };
        let idle = math::sub(gross, active)?;
        let (commission_bps, _) = pool.terms_at(synced_at);
        let commission = wide::mul_div(active, u64::from(commission_bps), u64::from(BPS))?;
        pool.commission_owed.try_add(commission)?;
        // `gross != 0` needs bound stake, so the divisor is not zero.
        let bound = NonZeroU64::new(bound_total).ok_or_else(overflow)?;
        add_per_unit(
            &mut pool.reward_per_bound,
            math::sub(active, commission)?,
            bound,
        )?;
        pool.emissions_earned.try_add(active)?;
        pool.emissions_returned.try_add(idle)?;
        synced.returned = idle;
    }
    let fee_share = math::sub(activity.fee_share_paid, pool.fee_share_seen.get())?;
    if fee_share != 0 {
        match NonZeroU64::new(pool.delegated()) {
            Some(delegated) => add_per_unit(&mut pool.fee_per_delegated, fee_share, delegated)?,
            None => pool.operator_fees_owed.try_add(fee_share)?,
        }
        pool.fee_share_seen.set(activity.fee_share_paid);
        synced.fee_share = fee_share;
    }
    let effective_at = pool.pending_effective_at.get();
    if effective_at != 0 && now >= effective_at {
        pool.commission_bps = pool.pending_commission_bps;
        pool.fee_share_bps = pool.pending_fee_share_bps;
        pool.pending_commission_bps.set(0);
        pool.pending_fee_share_bps.set(0);
        pool.pending_effective_at.set(0);
    }
    pool.synced_at.set(now);
    pool.active_until_seen.set(activity.active_until);
    pool.emission_per_stake_paid.set(emission_per_stake);
    rewards.returned.try_add(synced.returned)?;
    rewards.fee_share_received.try_add(synced.fee_share)?;
    Ok(synced)
}

/// Credits `delegation` with what its bound stake earned since its last settlement against
/// its operator's `pool` (synced first): emissions after commission, and, unless it is the
/// operator's own self-bond, fee share. Both checkpoints move to the pool's current values.
/// Call before any change to `bound`. Out of line: three instructions share it.
#[inline(never)]
pub fn settle(delegation: &mut Delegation, pool: &OperatorPool) -> Result<(), ProgramError> {
    let bound = delegation.bound.get();
    let reward_per_bound = pool.reward_per_bound.get();
    let fee_per_delegated = pool.fee_per_delegated.get();
    if bound != 0 {
        credit(delegation, pool, bound)?;
    }
    delegation.reward_per_bound_paid.set(reward_per_bound);
    delegation.fee_per_delegated_paid.set(fee_per_delegated);
    Ok(())
}

/// [`settle`]'s credit of a bound position (an unbound one earns nothing, and its checkpoints
/// may be another pool's).
#[inline(always)]
fn credit(
    delegation: &mut Delegation,
    pool: &OperatorPool,
    bound: u64,
) -> Result<(), ProgramError> {
    let reward_delta = pool
        .reward_per_bound
        .get()
        .checked_sub(delegation.reward_per_bound_paid.get())
        .ok_or_else(overflow)?;
    delegation
        .emissions_owed
        .try_add(earned(bound, reward_delta)?)?;
    if !checks::same(&delegation.owner, &pool.operator) {
        let fee_delta = pool
            .fee_per_delegated
            .get()
            .checked_sub(delegation.fee_per_delegated_paid.get())
            .ok_or_else(overflow)?;
        delegation.fees_owed.try_add(earned(bound, fee_delta)?)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
