//! Properties of the emission arithmetic driven as the program drives it: every step releases
//! first, syncs the operator pool it touches, settles the position it touches, then changes
//! bound stake, activity or pays out. Whatever the history, the pool never pays more than it
//! holds and `released = claimed + claimable + returned + dust`, the dust a few base units per
//! step (the floors).
// The references are the host's native u128 arithmetic, which cannot overflow here.
#![allow(clippy::arithmetic_side_effects)]

use media_core::error::CommonError;
use media_core::testkit::runs;
use media_core::Address;
use media_staking_interface::emissions::{
    due_between, release, scheduled, scheduled_by, settle, sync, ProviderActivity,
};
use media_staking_interface::state::{Delegation, OperatorPool, RewardsPool};
use media_staking_interface::{bounds, MEDIA};
use proptest::prelude::*;

fn zeroed<T: media_core::pod::Transmutable + Copy>() -> T {
    // All-zero bytes are a valid account: every field is plain old data.
    let bytes = vec![0u8; core::mem::size_of::<T>()];
    *media_core::pod::from_bytes::<T>(&bytes).unwrap()
}

const OPERATORS: usize = 2;
const POSITIONS: usize = 4;
const DAY: i64 = 86_400;

fn operator(i: usize) -> Address {
    Address::new_from_array([i as u8 + 1; 32])
}

/// Positions 0 and 1 are the operators' own; 2 and 3 are holders'.
fn owner(d: usize) -> Address {
    if d < OPERATORS {
        operator(d)
    } else {
        Address::new_from_array([d as u8 + 100; 32])
    }
}

#[derive(Clone, Debug)]
enum Step {
    Wait(i64),
    Bind(usize, usize, u64),
    Unbind(usize),
    Serve(usize, i64),
    Claim(usize),
    ClaimCommission(usize),
    Fund(u64),
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let stake = (1u64..=1_000_000 * MEDIA, 0u32..30).prop_map(|(x, s)| (x >> s).max(1));
    let step = prop_oneof![
        3 => (0..=30 * DAY).prop_map(Step::Wait),
        3 => (0..POSITIONS, 0..OPERATORS, stake).prop_map(|(d, p, a)| Step::Bind(d, p, a)),
        1 => (0..POSITIONS).prop_map(Step::Unbind),
        2 => (0..OPERATORS, 3_600..=10 * DAY).prop_map(|(p, w)| Step::Serve(p, w)),
        2 => (0..POSITIONS).prop_map(Step::Claim),
        1 => (0..OPERATORS).prop_map(Step::ClaimCommission),
        1 => (0u64..=1_000 * MEDIA).prop_map(Step::Fund),
    ];
    prop::collection::vec(step, 1..60)
}

struct Economy {
    rewards: RewardsPool,
    pools: [OperatorPool; OPERATORS],
    activity: [ProviderActivity; OPERATORS],
    positions: [Delegation; POSITIONS],
    /// Which pool each position is bound to (meaningful while `bound > 0`).
    bound_to: [usize; POSITIONS],
    vault: u64,
    now: i64,
}

impl Economy {
    fn new(rate: u64, halving: i64, funding: u64, commission: [u16; OPERATORS]) -> Self {
        let mut rewards: RewardsPool = zeroed();
        rewards.initial_rate.set(rate);
        rewards.halving_period.set(halving);
        let pools = core::array::from_fn(|p| {
            let mut pool: OperatorPool = zeroed();
            pool.operator = operator(p);
            pool.commission_bps.set(commission[p]);
            pool
        });
        let positions = core::array::from_fn(|d| {
            let mut position: Delegation = zeroed();
            position.owner = owner(d);
            position
        });
        Self {
            rewards,
            pools,
            activity: [ProviderActivity::default(); OPERATORS],
            positions,
            bound_to: [0; POSITIONS],
            vault: funding,
            now: 0,
        }
    }

    /// Release, then sync pool `p`, as every instruction that takes a pool starts.
    fn sync(&mut self, p: usize) {
        release(&mut self.rewards, self.vault, self.now).unwrap();
        sync(
            &mut self.pools[p],
            &mut self.rewards,
            &self.activity[p],
            self.now,
        )
        .unwrap();
    }

    fn settle(&mut self, d: usize, p: usize) {
        self.sync(p);
        settle(&mut self.positions[d], &self.pools[p]).unwrap();
    }

    fn apply(&mut self, step: &Step) {
        match *step {
            Step::Wait(seconds) => self.now += seconds,
            Step::Bind(d, p, amount) => {
                let bound = self.positions[d].bound.get();
                if bound != 0 && self.bound_to[d] != p {
                    return; // AlreadyDelegated
                }
                self.settle(d, p);
                self.positions[d].bound.try_add(amount).unwrap();
                self.bound_to[d] = p;
                self.pools[p].bound_total.try_add(amount).unwrap();
                if d == p {
                    self.pools[p].self_bound.try_add(amount).unwrap();
                }
                self.rewards.total_bound.try_add(amount).unwrap();
            }
            Step::Unbind(d) => {
                let bound = self.positions[d].bound.get();
                if bound == 0 {
                    return; // NotDelegated
                }
                let p = self.bound_to[d];
                self.settle(d, p);
                self.positions[d].bound.set(0);
                self.pools[p].bound_total.try_sub(bound).unwrap();
                if d == p {
                    self.pools[p].self_bound.try_sub(bound).unwrap();
                }
                self.rewards.total_bound.try_sub(bound).unwrap();
            }
            Step::Serve(p, window) => {
                let activity = &mut self.activity[p];
                if self.now > activity.active_until {
                    activity.active_since = self.now;
                }
                activity.active_until = self.now + window;
            }
            Step::Claim(d) => {
                let p = self.bound_to[d];
                self.settle(d, p);
                let owed = self.positions[d].emissions_owed.get();
                self.positions[d].emissions_owed.set(0);
                self.pay(owed);
            }
            Step::ClaimCommission(p) => {
                self.sync(p);
                let owed = self.pools[p].commission_owed.get();
                self.pools[p].commission_owed.set(0);
                self.pay(owed);
            }
            Step::Fund(amount) => self.vault += amount,
        }
    }

    fn pay(&mut self, amount: u64) {
        self.vault = self
            .vault
            .checked_sub(amount)
            .expect("the vault covers every claim");
        self.rewards.claimed.try_add(amount).unwrap();
    }

    /// What the vault owes: released and neither claimed nor returned.
    fn owed(&self) -> u64 {
        let r = &self.rewards;
        r.released.get() - r.claimed.get() - r.returned.get()
    }

    /// Syncs every pool and settles every position: everything claimable is then owed.
    fn settle_all(&mut self) {
        for p in 0..OPERATORS {
            self.sync(p);
        }
        for d in 0..POSITIONS {
            let p = self.bound_to[d];
            settle(&mut self.positions[d], &self.pools[p]).unwrap();
        }
    }

    fn claimable(&self) -> u64 {
        let delegations: u64 = self.positions.iter().map(|d| d.emissions_owed.get()).sum();
        let commission: u64 = self.pools.iter().map(|p| p.commission_owed.get()).sum();
        delegations + commission
    }
}

proptest! {
    #![proptest_config(runs(512))]

    #[test]
    fn the_pool_never_pays_more_than_it_holds_and_every_release_is_accounted_for(
        rate in bounds::INITIAL_RATE.0..=bounds::INITIAL_RATE.1,
        halving in bounds::HALVING_PERIOD.0..=bounds::HALVING_PERIOD.1,
        funding in 0u64..=2_000_000 * MEDIA,
        commission in [0u16..=10_000, 0u16..=10_000],
        history in steps(),
    ) {
        let mut economy = Economy::new(rate, halving, funding, commission);
        for step in &history {
            economy.apply(step);
            prop_assert!(economy.owed() <= economy.vault, "the vault holds what it owes");
        }
        economy.settle_all();
        let r = &economy.rewards;
        let accounted = r.claimed.get() + economy.claimable() + r.returned.get();
        prop_assert!(accounted <= r.released.get(), "never more than released");
        let dust = r.released.get() - accounted;
        prop_assert!(dust <= 8 * (history.len() as u64 + 2), "dust only: {}", dust);
        let funded: u64 = history.iter().map(|step| match step {
            Step::Fund(amount) => *amount,
            _ => 0,
        }).sum();
        // Returned emissions are released again, so `released` may exceed the funding; what
        // leaves the vault never does.
        prop_assert!(r.claimed.get() <= funding + funded, "never more paid than was funded");
    }

    #[test]
    fn the_rate_never_exceeds_the_initial_rate_and_the_total_stays_under_twice_a_period(
        rate in bounds::INITIAL_RATE.0..=bounds::INITIAL_RATE.1,
        halving in bounds::HALVING_PERIOD.0..=bounds::HALVING_PERIOD.1,
        t in 0i64..=100 * 365 * DAY,
        d in 0i64..=10 * 365 * DAY,
    ) {
        let before = scheduled_by(rate, halving, t).unwrap();
        let after = scheduled_by(rate, halving, t + d).unwrap();
        prop_assert!(after >= before);
        prop_assert!(after - before <= rate * d as u64);
        prop_assert!(after <= 2 * rate * halving as u64);
    }

    #[test]
    fn a_release_is_the_plain_rule_on_any_pool_state_and_fails_on_any_overflow(
        rate in bounds::INITIAL_RATE.0..=bounds::INITIAL_RATE.1,
        halving in bounds::HALVING_PERIOD.0..=bounds::HALVING_PERIOD.1,
        released_at in 0i64..=40 * 365 * DAY,
        elapsed in prop_oneof![0i64..=2 * DAY, 0i64..=20 * 365 * DAY],
        released in any::<u64>(), claimed in any::<u64>(), returned in any::<u64>(),
        vault in any::<u64>(), total_bound in prop_oneof![Just(0u64), any::<u64>(), 1u64..1 << 44],
    ) {
        let mut pool: RewardsPool = zeroed();
        pool.initial_rate.set(rate);
        pool.halving_period.set(halving);
        pool.released_at.set(released_at);
        pool.released.set(released);
        pool.claimed.set(claimed);
        pool.returned.set(returned);
        pool.total_bound.set(total_bound);
        let now = released_at + elapsed;
        // The plain rule in native u128: what is due, capped by what the vault holds beyond
        // what the pool owes; an owed amount below zero or a counter past 2^64 fails.
        let due = due_between(&pool, released_at, now).unwrap() as u128;
        let owed = released as i128 - claimed as i128 - returned as i128;
        let before = pool;
        match release(&mut pool, vault, now) {
            Ok(done) if elapsed == 0 => prop_assert_eq!(done.amount, 0),
            Ok(done) => {
                prop_assert!(owed >= 0);
                let amount = due.min((vault as i128 - owed).max(0) as u128);
                prop_assert_eq!(done.amount as u128, amount);
                prop_assert_eq!(pool.released.get() as u128, released as u128 + amount);
                let moved = pool.emission_per_stake.get();
                if total_bound == 0 {
                    prop_assert_eq!(done.returned, done.amount);
                    prop_assert_eq!(pool.returned.get() as u128, returned as u128 + amount);
                } else {
                    prop_assert_eq!(done.returned, 0);
                    prop_assert_eq!(moved, amount * media_staking_interface::REWARD_SCALE / total_bound as u128);
                }
            }
            Err(_) => {
                let amount = due.min((vault as i128 - owed).max(0) as u128);
                let overflows = released as u128 + amount > u64::MAX as u128
                    || (total_bound == 0 && returned as u128 + amount > u64::MAX as u128);
                prop_assert!(owed < 0 || overflows, "failed without an overflow: {:?}", before.released);
            }
        }
    }

    #[test]
    fn the_schedule_total_is_the_plain_sum_on_any_pool_state_and_time(
        rate in prop_oneof![bounds::INITIAL_RATE.0..=bounds::INITIAL_RATE.1, any::<u64>()],
        halving in prop_oneof![
            bounds::HALVING_PERIOD.0..=bounds::HALVING_PERIOD.1,
            any::<i64>(),
            Just(0i64),
            (i64::MAX - 2)..=i64::MAX,
        ],
        start in prop_oneof![0i64..=1_000 * DAY, any::<i64>(), Just(i64::MIN), Just(i64::MAX)],
        before in prop_oneof![0u64..=1 << 40, any::<u64>(), (u64::MAX - 1_000)..=u64::MAX],
        offset in prop_oneof![-2 * DAY..=20 * 365 * DAY, any::<i64>()],
    ) {
        // `scheduled` takes a shortcut within the first halving period; the plain rule is the
        // general sum from the schedule's start (saturating, as the program always had it).
        let mut pool: RewardsPool = zeroed();
        pool.initial_rate.set(rate);
        pool.halving_period.set(halving);
        pool.schedule_start.set(start);
        pool.scheduled_before.set(before);
        for t in [start.wrapping_add(offset), start.saturating_add(offset), start.wrapping_add(halving), start.saturating_add(halving).saturating_sub(1)] {
            let plain = scheduled_by(rate, halving, t.saturating_sub(start)).and_then(|total| {
                before
                    .checked_add(total)
                    .ok_or_else(|| CommonError::ArithmeticOverflow.into())
            });
            prop_assert_eq!(scheduled(&pool, t), plain, "t {}", t);
        }
    }

    #[test]
    fn what_falls_due_between_two_times_is_the_schedule_difference(
        rate in bounds::INITIAL_RATE.0..=bounds::INITIAL_RATE.1,
        halving in bounds::HALVING_PERIOD.0..=bounds::HALVING_PERIOD.1,
        start in 0i64..=1_000 * DAY,
        before in 0i64..=100 * DAY,
        from in 0i64..=40 * 365 * DAY,
        span in prop_oneof![0i64..=2 * DAY, 0i64..=20 * 365 * DAY],
    ) {
        let mut pool: RewardsPool = zeroed();
        pool.initial_rate.set(rate);
        pool.halving_period.set(halving);
        pool.schedule_start.set(start);
        pool.scheduled_before.set(before as u64);
        // From before the start too (a release never is, but the function answers anyway).
        let from = from - 100 * DAY;
        let to = from + span;
        let expected = scheduled(&pool, to).unwrap() - scheduled(&pool, from).unwrap();
        prop_assert_eq!(due_between(&pool, from, to).unwrap(), expected);
    }
}
