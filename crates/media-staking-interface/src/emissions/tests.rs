//! Host tests of the emission arithmetic: the schedule, the release cap, an operator pool's
//! sync against its provider's activity, and a delegation's settlement.
// The expected values are computed with the host's native arithmetic, far from overflow.
#![allow(clippy::arithmetic_side_effects)]

use super::*;
use crate::{defaults, MEDIA, REWARD_SCALE};
use media_core::pod::from_bytes_mut;
use media_core::{Address, ProgramError};

const DAY: i64 = 86_400;
const OPERATOR: Address = Address::new_from_array([7; 32]);
const HOLDER: Address = Address::new_from_array([8; 32]);

/// An all-zero account of type `T` (a valid value: every field is plain old data).
fn zeroed<T: media_core::pod::Transmutable>() -> T {
    let mut bytes = [0u8; 512];
    *from_bytes_mut::<T>(&mut bytes[..core::mem::size_of::<T>()]).unwrap()
}

fn rewards_pool(rate: u64, halving: i64, start: i64) -> RewardsPool {
    let mut pool: RewardsPool = zeroed();
    pool.initial_rate.set(rate);
    pool.halving_period.set(halving);
    pool.schedule_start.set(start);
    pool.released_at.set(start);
    pool
}

fn operator_pool(bound_total: u64, self_bound: u64, synced_at: i64) -> OperatorPool {
    let mut pool: OperatorPool = zeroed();
    pool.operator = OPERATOR;
    pool.bound_total.set(bound_total);
    pool.self_bound.set(self_bound);
    pool.synced_at.set(synced_at);
    pool
}

fn activity(active_since: i64, active_until: i64, fee_share_paid: u64) -> ProviderActivity {
    ProviderActivity {
        active_since,
        active_until,
        fee_share_paid,
    }
}

/// Syncs `pool` against a rewards pool whose accumulator reads `emission_per_stake`; checks
/// that the sync booked what it returned and took in.
fn sync_at(
    pool: &mut OperatorPool,
    emission_per_stake: u128,
    activity: &ProviderActivity,
    now: i64,
) -> Result<Synced, ProgramError> {
    let mut rewards: RewardsPool = zeroed();
    rewards.emission_per_stake.set(emission_per_stake);
    let synced = sync(pool, &mut rewards, activity, now)?;
    assert_eq!(rewards.returned.get(), synced.returned);
    assert_eq!(rewards.fee_share_received.get(), synced.fee_share);
    Ok(synced)
}

/// The accumulator move that gives `gross` to `bound` stake exactly.
fn accumulator_for(gross: u64, bound: u64) -> u128 {
    gross as u128 * REWARD_SCALE / bound as u128
}

#[test]
fn the_schedule_is_linear_then_halves() {
    assert_eq!(scheduled_by(100, 10, 0).unwrap(), 0, "nothing at the start");
    assert_eq!(scheduled_by(100, 10, -5).unwrap(), 0, "nothing before it");
    assert_eq!(scheduled_by(100, 10, 7).unwrap(), 700);
    assert_eq!(
        scheduled_by(100, 10, 10).unwrap(),
        1_000,
        "one whole period"
    );
    assert_eq!(
        scheduled_by(100, 10, 13).unwrap(),
        1_000 + 3 * 50,
        "half the rate after"
    );
    assert_eq!(scheduled_by(100, 10, 25).unwrap(), 1_000 + 500 + 5 * 25);
    // 100, 50, 25, 12, 6, 3, 1, then 0 for ever.
    let all = (100 + 50 + 25 + 12 + 6 + 3 + 1) * 10;
    assert_eq!(scheduled_by(100, 10, 10_000).unwrap(), all);
    assert_eq!(scheduled_by(100, 10, i64::MAX).unwrap(), all, "far future");
    assert_eq!(scheduled_by(0, 10, 1_000).unwrap(), 0);
    assert!(
        scheduled_by(1, 0, 1).is_err(),
        "a zero halving period is refused"
    );
}

#[test]
fn the_default_schedule_fits_the_allocation() {
    let year = defaults::HALVING_PERIOD;
    let first_year = scheduled_by(defaults::INITIAL_RATE, year, year).unwrap();
    assert!(
        first_year.abs_diff(1_000_000 * MEDIA) < 1_000 * MEDIA,
        "about 1M MEDIA in year one: {first_year}"
    );
    let all_time = scheduled_by(defaults::INITIAL_RATE, year, i64::MAX).unwrap();
    assert!(
        all_time <= 2_000_000 * MEDIA,
        "never more than the allocation: {all_time}"
    );
    // The highest rate and longest halving the bounds allow stay in u64.
    let (_, max_rate) = crate::bounds::INITIAL_RATE;
    let (_, max_halving) = crate::bounds::HALVING_PERIOD;
    assert!(
        scheduled_by(max_rate, max_halving, i64::MAX).unwrap() <= 2 * max_rate * max_halving as u64
    );
}

#[test]
fn the_schedule_never_decreases() {
    let mut last = 0;
    for t in (0..2_000).step_by(7) {
        let now = scheduled_by(1_000, 100, t).unwrap();
        assert!(now >= last);
        last = now;
    }
}

#[test]
fn release_pays_what_is_due_into_the_accumulator() {
    let mut pool = rewards_pool(100, 1_000, 0);
    pool.total_bound.set(400);
    let released = release(&mut pool, 1_000_000, 10).unwrap();
    assert_eq!(
        released,
        Released {
            amount: 1_000,
            returned: 0
        }
    );
    assert_eq!(pool.released.get(), 1_000);
    assert_eq!(pool.released_at.get(), 10);
    assert_eq!(pool.emission_per_stake.get(), accumulator_for(1_000, 400));
    // The same second again releases nothing.
    assert_eq!(
        release(&mut pool, 1_000_000, 10).unwrap(),
        Released::default()
    );
}

#[test]
fn release_is_returned_while_nothing_is_bound() {
    let mut pool = rewards_pool(100, 1_000, 0);
    let released = release(&mut pool, 1_000_000, 10).unwrap();
    assert_eq!(
        released,
        Released {
            amount: 1_000,
            returned: 1_000
        }
    );
    assert_eq!(pool.returned.get(), 1_000);
    assert_eq!(pool.emission_per_stake.get(), 0);
    // Returned emissions stay available: the vault still holds them and owes nothing.
    pool.total_bound.set(1);
    let again = release(&mut pool, 2_000, 20).unwrap();
    assert_eq!(again.amount, 1_000);
}

#[test]
fn release_never_exceeds_what_the_vault_holds_beyond_what_it_owes() {
    let mut pool = rewards_pool(100, 1_000, 0);
    pool.total_bound.set(10);
    // The vault holds 1,500; nothing is owed yet; 1,000 are due.
    assert_eq!(release(&mut pool, 1_500, 10).unwrap().amount, 1_000);
    // 1,000 are owed now; 1,000 more are due but only 500 are free; the shortfall is lost.
    assert_eq!(release(&mut pool, 1_500, 20).unwrap().amount, 500);
    assert_eq!(release(&mut pool, 1_500, 30).unwrap().amount, 0);
    // MEDIA sent to the vault is simply available.
    assert_eq!(release(&mut pool, 2_500, 40).unwrap().amount, 1_000);
    assert_eq!(pool.released.get(), 2_500);
}

#[test]
fn an_active_operator_earns_its_gross_minus_commission() {
    let mut pool = operator_pool(1_000, 100, 0);
    pool.commission_bps.set(1_000);
    let eps = accumulator_for(10_000, 1_000);
    let synced = sync_at(&mut pool, eps, &activity(0, 500, 0), 100).unwrap();
    assert_eq!(synced, Synced::default(), "all active: nothing returned");
    assert_eq!(pool.commission_owed.get(), 1_000);
    assert_eq!(pool.emissions_earned.get(), 10_000);
    assert_eq!(pool.reward_per_bound.get(), accumulator_for(9_000, 1_000));
    assert_eq!(pool.synced_at.get(), 100);
    assert_eq!(pool.active_until_seen.get(), 500);
    assert_eq!(pool.emission_per_stake_paid.get(), eps);
}

#[test]
fn an_idle_operator_returns_its_share_for_the_idle_time() {
    let mut pool = operator_pool(1_000, 1_000, 0);
    let eps = accumulator_for(10_000, 1_000);
    // Active until 25 of the 100 seconds.
    let synced = sync_at(&mut pool, eps, &activity(0, 25, 0), 100).unwrap();
    assert_eq!(synced.returned, 7_500);
    assert_eq!(pool.emissions_earned.get(), 2_500);
    assert_eq!(pool.emissions_returned.get(), 7_500);
    // Never active: everything returns.
    let mut idle = operator_pool(1_000, 1_000, 0);
    assert_eq!(
        sync_at(&mut idle, eps, &activity(0, 0, 0), 100)
            .unwrap()
            .returned,
        10_000
    );
    assert_eq!(idle.reward_per_bound.get(), 0);
}

#[test]
fn a_new_run_credits_the_run_known_at_the_last_sync_and_no_more() {
    let mut pool = operator_pool(1_000, 1_000, 100);
    pool.active_until_seen.set(130);
    let eps = accumulator_for(10_000, 1_000);
    // Known at the last sync: active until 130. A new run started at 170, still on at 200.
    let synced = sync_at(&mut pool, eps, &activity(170, 260, 0), 200).unwrap();
    // Credited: [100, 130] and [170, 200], 60 of 100 seconds.
    assert_eq!(pool.emissions_earned.get(), 6_000);
    assert_eq!(synced.returned, 4_000);
}

#[test]
fn a_sync_in_the_same_second_credits_all_or_nothing() {
    let eps = accumulator_for(100, 10);
    let mut active = operator_pool(10, 10, 50);
    assert_eq!(
        sync_at(&mut active, eps, &activity(0, 50, 0), 50)
            .unwrap()
            .returned,
        0
    );
    let mut idle = operator_pool(10, 10, 50);
    assert_eq!(
        sync_at(&mut idle, eps, &activity(0, 49, 0), 50)
            .unwrap()
            .returned,
        100
    );
}

#[test]
fn fee_share_goes_to_delegated_stake_or_to_the_operator() {
    let mut pool = operator_pool(1_000, 200, 0);
    let synced = sync_at(&mut pool, 0, &activity(0, 0, 800), 10).unwrap();
    assert_eq!(synced.fee_share, 800);
    assert_eq!(pool.fee_per_delegated.get(), accumulator_for(800, 800));
    assert_eq!(pool.fee_share_seen.get(), 800);
    assert_eq!(
        sync_at(&mut pool, 0, &activity(0, 0, 800), 20)
            .unwrap()
            .fee_share,
        0,
        "counted once"
    );
    let mut alone = operator_pool(200, 200, 0);
    sync_at(&mut alone, 0, &activity(0, 0, 300), 10).unwrap();
    assert_eq!(alone.operator_fees_owed.get(), 300);
    assert_eq!(alone.fee_per_delegated.get(), 0);
    // A provider figure that went backwards is refused.
    assert!(sync_at(&mut alone, 0, &activity(0, 0, 299), 20).is_err());
}

#[test]
fn pending_terms_apply_once_their_notice_has_run_out() {
    let mut pool = operator_pool(1_000, 1_000, 0);
    pool.commission_bps.set(1_000);
    pool.pending_commission_bps.set(5_000);
    pool.pending_fee_share_bps.set(2_000);
    pool.pending_effective_at.set(150);
    assert_eq!(pool.terms_at(149), (1_000, 0));
    assert_eq!(pool.terms_at(150), (5_000, 2_000));
    let eps = accumulator_for(10_000, 1_000);
    sync_at(&mut pool, eps, &activity(0, 1_000, 0), 100).unwrap();
    assert_eq!(pool.commission_bps.get(), 1_000, "not yet");
    sync_at(&mut pool, 2 * eps, &activity(0, 1_000, 0), 200).unwrap();
    // The interval [100, 200] started under the old terms and is paid at them.
    assert_eq!(pool.commission_owed.get(), 2_000);
    assert_eq!(
        (pool.commission_bps.get(), pool.fee_share_bps.get()),
        (5_000, 2_000)
    );
    assert_eq!(pool.pending_effective_at.get(), 0);
    sync_at(&mut pool, 3 * eps, &activity(0, 1_000, 0), 300).unwrap();
    assert_eq!(pool.commission_owed.get(), 2_000 + 5_000);
}

#[test]
fn a_delegator_earns_emissions_and_fee_share_a_self_bond_only_emissions() {
    let mut pool = operator_pool(1_000, 200, 0);
    pool.reward_per_bound.set(accumulator_for(1_000, 1_000));
    pool.fee_per_delegated.set(accumulator_for(400, 800));
    let mut delegator: Delegation = zeroed();
    delegator.owner = HOLDER;
    delegator.bound.set(800);
    settle(&mut delegator, &pool).unwrap();
    assert_eq!(delegator.emissions_owed.get(), 800);
    assert_eq!(delegator.fees_owed.get(), 400);
    let mut own: Delegation = zeroed();
    own.owner = OPERATOR;
    own.bound.set(200);
    settle(&mut own, &pool).unwrap();
    assert_eq!(own.emissions_owed.get(), 200);
    assert_eq!(own.fees_owed.get(), 0);
    assert_eq!(
        own.fee_per_delegated_paid.get(),
        pool.fee_per_delegated.get()
    );
    // Settling again pays nothing more.
    settle(&mut delegator, &pool).unwrap();
    assert_eq!(delegator.emissions_owed.get(), 800);
}

#[test]
fn an_unbound_position_takes_a_new_pools_checkpoints_without_earning() {
    let mut delegation: Delegation = zeroed();
    delegation.owner = HOLDER;
    delegation.reward_per_bound_paid.set(u128::MAX);
    let pool = operator_pool(0, 0, 0);
    settle(&mut delegation, &pool).unwrap();
    assert_eq!(delegation.reward_per_bound_paid.get(), 0);
    assert_eq!(delegation.emissions_owed.get(), 0);
}

#[test]
fn nothing_pays_more_than_was_released() {
    // Three operators, uneven stake and activity: what pools credit plus what they return never
    // exceeds the release, and the floors leave only dust.
    let mut rewards = rewards_pool(1_000, 10 * DAY, 0);
    let stakes = [333u64, 1_000_003, 77_777];
    rewards.total_bound.set(stakes.iter().sum());
    let released = release(&mut rewards, u64::MAX / 2, DAY).unwrap().amount;
    let mut credited = 0;
    let mut idle = [0u64; 3];
    for (i, stake) in stakes.iter().enumerate() {
        let mut pool = operator_pool(*stake, *stake, 0);
        pool.commission_bps.set(777);
        let synced = sync(
            &mut pool,
            &mut rewards,
            &activity(0, DAY / (i as i64 + 1), 0),
            DAY,
        )
        .unwrap();
        credited += pool.emissions_earned.get() + synced.returned;
        idle[i] = synced.returned;
    }
    assert!(credited <= released);
    let returned: u64 = idle.iter().sum();
    assert_eq!(
        rewards.returned.get(),
        returned,
        "the syncs booked what they returned"
    );
    assert!(
        released - credited <= stakes.len() as u64 * 2,
        "dust only: {}",
        released - credited
    );
}
