//! Properties of staking's pure rules: the reward stream and accumulator (`rewards`), vote
//! weights and quota. The stream is driven as the program drives it: every instruction brings
//! it up to date (`update`) before it settles a position, changes stake or adds rewards.
// The references are the host's native u128 arithmetic, which cannot overflow here.
#![allow(clippy::arithmetic_side_effects)]

use core::num::NonZeroU64;
use media_core::pod::{bytes_of, PodI64, PodU128, PodU64};
use media_core::testkit::runs;
use media_staking_interface::rewards::{
    add_per_unit, earned, per_unit, restart, reward_rate, scale_down, scale_up, settle, spread,
    update, SCALE,
};
use media_staking_interface::state::{
    quota_bytes, StakeAccount, StakingConfig, VoteRefusal, VOTE_WINDOW,
};
use media_staking_interface::{bounds, MEDIA};
use proptest::prelude::*;

/// Words of every magnitude, with this crate's edges.
fn word() -> impl Strategy<Value = u64> {
    media_core::testkit::word(&[SCALE - 1, SCALE])
}

/// Operands of the scaled arithmetic: words of every magnitude, with the edges where it
/// changes its decimal base (2^34, 2^44, 2^54).
fn operand() -> impl Strategy<Value = u64> {
    let mut edges = vec![SCALE - 1, SCALE];
    for bits in [34, 44, 54] {
        edges.extend([(1u64 << bits) - 1, 1 << bits]);
    }
    media_core::testkit::word(&edges)
}

/// Stake or rewards of every magnitude up to a billion MEDIA (a total supply's order).
fn amount() -> impl Strategy<Value = u64> {
    (0u64..=1_000_000_000 * MEDIA, 0u32..50).prop_map(|(x, shift)| x >> shift)
}

fn zeroed<T: media_core::pod::Transmutable + Copy>() -> T {
    // All-zero bytes are a valid account: every field is plain old data.
    let bytes = vec![0u8; core::mem::size_of::<T>()];
    *media_core::pod::from_bytes::<T>(&bytes).unwrap()
}

fn position(active: u64, paid: u128) -> StakeAccount {
    let mut stake: StakeAccount = zeroed();
    stake.active = PodU64::new(active);
    stake.reward_per_stake_paid = PodU128::new(paid);
    stake
}

/// One step of a staking history: time passes, rewards arrive, a staker stakes, unstakes
/// (part of their stake, in 1/256ths) or settles.
#[derive(Clone, Debug)]
enum Step {
    Wait(i64),
    Add(u64),
    Stake(usize, u64),
    Unstake(usize, u8),
    Settle(usize),
}

const STAKERS: usize = 4;

fn steps(duration: i64) -> impl Strategy<Value = Vec<Step>> {
    let step = prop_oneof![
        3 => (0..=2 * duration).prop_map(Step::Wait),
        2 => amount().prop_map(Step::Add),
        2 => (0..STAKERS, amount()).prop_map(|(i, a)| Step::Stake(i, a)),
        1 => (0..STAKERS, any::<u8>()).prop_map(|(i, f)| Step::Unstake(i, f)),
        1 => (0..STAKERS).prop_map(Step::Settle),
    ];
    prop::collection::vec(step, 1..40)
}

/// A staking history and what it paid: rewards added, rewards streamed into the accumulator.
struct History {
    config: StakingConfig,
    stakes: Vec<StakeAccount>,
    now: i64,
    added: u128,
    streamed: u128,
}

impl History {
    fn new(duration: i64, start: i64) -> Self {
        let mut config: StakingConfig = zeroed();
        config.reward_duration = PodI64::new(duration);
        config.reward_updated_at = PodI64::new(start);
        Self {
            config,
            stakes: vec![position(0, 0); STAKERS],
            now: start,
            added: 0,
            streamed: 0,
        }
    }

    /// `update`, as every staking instruction starts, counting what it streamed.
    fn update(&mut self) {
        let before = self.config.unstreamed_rewards.get();
        update(&mut self.config, self.now).unwrap();
        self.streamed += (before - self.config.unstreamed_rewards.get()) as u128;
    }

    fn apply(&mut self, step: &Step) {
        match *step {
            Step::Wait(seconds) => self.now += seconds,
            Step::Add(amount) => {
                self.update();
                restart(&mut self.config, amount, self.now).unwrap();
                self.added += amount as u128;
            }
            Step::Stake(i, amount) => {
                self.update();
                settle(&mut self.stakes[i], &self.config).unwrap();
                self.stakes[i].active.try_add(amount).unwrap();
                self.config.total_active.try_add(amount).unwrap();
            }
            Step::Unstake(i, fraction) => {
                self.update();
                settle(&mut self.stakes[i], &self.config).unwrap();
                let amount = (self.stakes[i].active.get() as u128 * fraction as u128 / 255) as u64;
                self.stakes[i].active.try_sub(amount).unwrap();
                self.config.total_active.try_sub(amount).unwrap();
            }
            Step::Settle(i) => {
                self.update();
                settle(&mut self.stakes[i], &self.config).unwrap();
            }
        }
    }

    /// Everything the accumulator credits the positions: settled, and earned since.
    fn credited(&self) -> u128 {
        let current = self.config.reward_per_stake.get();
        self.stakes
            .iter()
            .map(|s| {
                let pending =
                    earned(s.active.get(), current - s.reward_per_stake_paid.get()).unwrap();
                s.rewards_owed.get() as u128 + pending as u128
            })
            .sum()
    }
}

fn duration() -> impl Strategy<Value = i64> {
    bounds::REWARD_DURATION.0..=bounds::REWARD_DURATION.1
}

proptest! {
    #![proptest_config(runs(1024))]

    #[test]
    fn streaming_never_pays_more_than_was_added_and_all_of_it_once_the_period_ends(
        duration in duration(), start in 0i64..1 << 40, steps in steps(bounds::REWARD_DURATION.0),
    ) {
        let mut h = History::new(duration, start);
        for step in &steps {
            h.apply(step);
            prop_assert!(h.streamed <= h.added);
            prop_assert_eq!(h.streamed + h.config.unstreamed_rewards.get() as u128, h.added);
        }
        // Someone stakes, the period ends: everything added has streamed.
        h.apply(&Step::Stake(0, MEDIA));
        h.now = h.now.max(h.config.reward_period_end.get());
        h.update();
        prop_assert_eq!(h.config.unstreamed_rewards.get(), 0);
        prop_assert_eq!(h.streamed, h.added);
    }

    #[test]
    fn positions_are_never_credited_more_than_streamed(
        duration in duration(), start in 0i64..1 << 40, steps in steps(bounds::REWARD_DURATION.0),
    ) {
        let mut h = History::new(duration, start);
        for step in &steps {
            h.apply(step);
            prop_assert!(h.credited() <= h.streamed, "{} credited > {} streamed", h.credited(), h.streamed);
        }
    }

    #[test]
    fn each_update_streams_the_elapsed_share_of_what_is_left_rounded_down(
        unstreamed in amount(), total_active in 1..=1_000_000_000 * MEDIA, last in 0i64..1 << 40,
        left in 1i64..=bounds::REWARD_DURATION.1, waited in 1i64..=2 * bounds::REWARD_DURATION.1,
    ) {
        let mut config: StakingConfig = zeroed();
        config.unstreamed_rewards = PodU64::new(unstreamed);
        config.total_active = PodU64::new(total_active);
        config.reward_updated_at = PodI64::new(last);
        config.reward_period_end = PodI64::new(last + left);
        update(&mut config, last + waited).unwrap();
        let share = waited.min(left) as u128;
        let streamed = unstreamed as u128 * share / left as u128;
        prop_assert_eq!(config.unstreamed_rewards.get() as u128, unstreamed as u128 - streamed);
        // ...spread over the active stake: the accumulator's exact floor.
        let per_stake = streamed * SCALE as u128 / total_active as u128;
        prop_assert_eq!(config.reward_per_stake.get(), per_stake);
    }

    #[test]
    fn nothing_streams_while_nothing_is_staked_and_the_period_waits(
        unstreamed in 1..=1_000_000_000 * MEDIA, per_stake in any::<u64>(), last in 0i64..1 << 40,
        end_offset in -(1i64 << 30)..1 << 30, waited in 1i64..1 << 30,
    ) {
        let mut config: StakingConfig = zeroed();
        config.unstreamed_rewards = PodU64::new(unstreamed);
        config.reward_per_stake = PodU128::new(per_stake as u128);
        config.reward_updated_at = PodI64::new(last);
        config.reward_period_end = PodI64::new(last + end_offset);
        update(&mut config, last + waited).unwrap();
        prop_assert_eq!(config.unstreamed_rewards.get(), unstreamed);
        prop_assert_eq!(config.reward_per_stake.get(), per_stake as u128);
        prop_assert_eq!(config.reward_updated_at.get(), last + waited);
        // The time left in the period is what it was when staking stopped.
        let left = end_offset.max(0);
        prop_assert_eq!(config.reward_period_end.get() - (last + waited), left);
    }

    #[test]
    fn accumulator_credits_never_exceed_what_was_spread_and_lose_only_rounding_dust(
        actives in prop::collection::vec(1u64..=1_000_000_000 * MEDIA, 1..8), amount in amount(),
    ) {
        let total: u64 = actives.iter().sum();
        let mut config: StakingConfig = zeroed();
        spread(&mut config, amount, NonZeroU64::new(total).unwrap()).unwrap();
        let delta = config.reward_per_stake.get();
        let credited: u128 = actives.iter().map(|&a| earned(a, delta).unwrap() as u128).sum();
        prop_assert!(credited <= amount as u128);
        // Each position loses under one base unit; the accumulator's rounding, under
        // total / SCALE more.
        let dust = actives.len() as u128 + (total / SCALE) as u128 + 1;
        prop_assert!(amount as u128 - credited < dust);
    }

    #[test]
    fn earned_is_the_native_floor_of_active_times_delta_and_fails_beyond_u64(
        active in word(), whole in word(), fraction in 0..SCALE,
    ) {
        let delta = whole as u128 * SCALE as u128 + fraction as u128;
        // floor(active * delta / SCALE) = active * whole + floor(active * fraction / SCALE)
        let native = (active as u128)
            .checked_mul(whole as u128)
            .and_then(|w| w.checked_add(active as u128 * fraction as u128 / SCALE as u128))
            .and_then(|e| u64::try_from(e).ok());
        prop_assert_eq!(earned(active, delta).ok(), native);
    }

    #[test]
    fn scaling_down_is_the_native_floor_of_the_product_over_scale(
        a in operand(), fraction in prop_oneof![0..SCALE, operand()],
    ) {
        let native = u64::try_from(a as u128 * fraction as u128 / SCALE as u128).ok();
        prop_assert_eq!(scale_down(a, fraction).ok(), native);
    }

    #[test]
    fn scaling_up_and_spreading_are_the_native_floor_of_the_scaled_quotient(
        amount in operand(), total in operand(), remainder in operand(),
    ) {
        let Some(total) = NonZeroU64::new(total) else { return Ok(()) };
        let scaled = |x: u64| x as u128 * SCALE as u128 / total.get() as u128;
        prop_assert_eq!(per_unit(amount, total).unwrap(), scaled(amount));
        // Below the total the quotient is below SCALE; above it, only what fits 64 bits.
        let native = u64::try_from(scaled(remainder)).ok();
        prop_assert_eq!(scale_up(remainder, total).ok(), native);
        prop_assert_eq!(scale_up(amount % total, total).ok(), Some(scaled(amount % total) as u64));
    }

    #[test]
    fn the_stream_is_the_plain_rule_in_wide_arithmetic_at_any_times(
        last in any::<i64>(), now in any::<i64>(), end in any::<i64>(),
        near in any::<bool>(), gap in 0i64..1 << 20, period in 0i64..1 << 24,
        unstreamed in word(), total_active in word(), per_stake in any::<u64>(),
    ) {
        // Half the cases at ordinary times (`last < now`, an end around them), half anywhere in
        // the i64 range, where differences overflow.
        let (now, end) = if near {
            (last.saturating_add(gap), last.saturating_add(period))
        } else {
            (now, end)
        };
        let mut config: StakingConfig = zeroed();
        config.reward_updated_at = PodI64::new(last);
        config.reward_period_end = PodI64::new(end);
        config.unstreamed_rewards = PodU64::new(unstreamed);
        config.total_active = PodU64::new(total_active);
        config.reward_per_stake = PodU128::new(per_stake as u128);
        let before = config;
        let result = update(&mut config, now);
        if now <= last {
            prop_assert!(result.is_ok());
            prop_assert_eq!(config.reward_updated_at.get(), last);
            return Ok(());
        }
        let waited = now as i128 - last as i128;
        let fits = |x: i128| x <= i64::MAX as i128;
        if unstreamed == 0 {
            prop_assert!(result.is_ok());
            prop_assert_eq!(config.reward_updated_at.get(), now);
            return Ok(());
        }
        if total_active == 0 {
            let moved_end = (end.max(last) as i128) + waited;
            prop_assert_eq!(result.is_ok(), fits(waited) && fits(moved_end));
            if result.is_ok() {
                prop_assert_eq!(config.reward_period_end.get() as i128, moved_end);
                prop_assert_eq!(config.unstreamed_rewards.get(), unstreamed);
            }
            return Ok(());
        }
        let remaining = end as i128 - last as i128;
        let streamed = if now >= end {
            Some(unstreamed as u128)
        } else if fits(waited) && fits(remaining) {
            Some(unstreamed as u128 * waited as u128 / remaining as u128)
        } else {
            None
        };
        match streamed {
            Some(streamed) if fits(waited) => {
                prop_assert!(result.is_ok(), "{:?}", before.reward_updated_at);
                prop_assert_eq!(config.unstreamed_rewards.get() as u128, unstreamed as u128 - streamed);
                let moved = streamed * SCALE as u128 / total_active as u128;
                prop_assert_eq!(config.reward_per_stake.get(), per_stake as u128 + moved);
            }
            _ => prop_assert!(result.is_err()),
        }
    }

    #[test]
    fn moving_an_accumulator_is_the_native_checked_sum_and_a_failure_changes_nothing(
        amount in operand(), total in operand(), near_edge in any::<bool>(), whole in 15u64..20,
        high in media_core::testkit::word(&[u64::MAX - 1, u64::MAX]),
        low in media_core::testkit::word(&[u64::MAX - SCALE, u64::MAX - 1, u64::MAX]),
    ) {
        let Some(total) = NonZeroU64::new(total) else { return Ok(()) };
        // Half the cases move by about 17 whole units per base unit, where the move stops
        // fitting 64 bits.
        let amount = match whole.checked_mul(total.get()) {
            Some(wholes) if near_edge => wholes.saturating_add(amount % total),
            _ => amount,
        };
        let start = (high as u128) << 64 | low as u128;
        let moved = amount as u128 * SCALE as u128 / total.get() as u128;
        let mut acc = PodU128::new(start);
        match start.checked_add(moved) {
            Some(sum) => {
                prop_assert!(add_per_unit(&mut acc, amount, total).is_ok());
                prop_assert_eq!(acc.get(), sum);
            }
            None => {
                prop_assert!(add_per_unit(&mut acc, amount, total).is_err());
                prop_assert_eq!(acc.get(), start);
            }
        }
    }

    #[test]
    fn settling_is_the_plain_rule_whichever_word_of_the_accumulator_moved(
        active in amount(), high in word(), low in word(), other in word(), which in 0u8..3,
    ) {
        // `settle` compares the two 128-bit accumulators a 64-bit word at a time: the paid
        // checkpoint equals the current one, or differs from it in the low or the high word only.
        let paid = (u128::from(high) << 64) | u128::from(low);
        let current = match which {
            0 => paid,
            1 => (u128::from(high) << 64) | u128::from(other),
            _ => (u128::from(other) << 64) | u128::from(low),
        };
        let mut config: StakingConfig = zeroed();
        config.reward_per_stake = PodU128::new(current);
        let mut stake = position(active, paid);
        let before = stake;
        let result = settle(&mut stake, &config);
        // The plain rule: an equal checkpoint changes nothing; a checkpoint behind is credited
        // with what the difference earned; one ahead of the accumulator is an overflow.
        if current == paid {
            prop_assert!(result.is_ok());
            prop_assert_eq!(bytes_of(&stake), bytes_of(&before));
        } else if current > paid {
            match earned(active, current - paid) {
                Ok(credit) => {
                    prop_assert!(result.is_ok());
                    prop_assert_eq!(stake.rewards_owed.get(), credit);
                    prop_assert_eq!(stake.reward_per_stake_paid.get(), current);
                }
                Err(error) => prop_assert_eq!(result, Err(error)),
            }
        } else {
            prop_assert!(result.is_err());
        }
    }

    /// `settle` against the plain rule in native u128, for the moves its 64-bit path takes
    /// (less than one reward per staked base unit, within or across the low word) and their
    /// edges: an accumulator of any magnitude (both words), a move on either side of `SCALE`
    /// and of 2^64 in the low word, any stake (operand edges included), owed rewards near
    /// 2^64, and a checkpoint ahead of the accumulator. A refusal leaves the position as it was.
    #[test]
    fn settling_a_small_move_is_the_native_floor_or_the_refusal(
        active in prop_oneof![amount(), operand()],
        paid in prop_oneof![
            any::<u128>(),
            word().prop_map(u128::from),
            word().prop_map(|low| (1u128 << 64) | u128::from(u64::MAX - (low >> 40))),
        ],
        delta in prop_oneof![1u128..SCALE as u128, (SCALE as u128 - 3)..(SCALE as u128 + 3), word().prop_map(u128::from)],
        owed in prop_oneof![Just(0u64), amount(), (u64::MAX - 1_000_000)..=u64::MAX],
        ahead in any::<bool>(),
    ) {
        let Some(current) = (if ahead { paid.checked_sub(delta) } else { paid.checked_add(delta) }) else {
            return Ok(());
        };
        let mut config: StakingConfig = zeroed();
        config.reward_per_stake = PodU128::new(current);
        let mut stake = position(active, paid);
        stake.rewards_owed = PodU64::new(owed);
        let before = stake;
        let result = settle(&mut stake, &config);
        if delta == 0 {
            prop_assert!(result.is_ok());
            prop_assert_eq!(bytes_of(&stake), bytes_of(&before));
            return Ok(());
        }
        let credited = (!ahead)
            .then(|| u128::from(active) * delta / u128::from(SCALE))
            .and_then(|credit| u64::try_from(credit).ok())
            .and_then(|credit| owed.checked_add(credit));
        match credited {
            Some(owed) => {
                prop_assert!(result.is_ok());
                prop_assert_eq!(stake.rewards_owed.get(), owed);
                prop_assert_eq!(stake.reward_per_stake_paid.get(), current);
            }
            None => {
                prop_assert!(result.is_err());
                prop_assert_eq!(bytes_of(&stake), bytes_of(&before));
            }
        }
    }

    #[test]
    fn settling_in_steps_never_pays_more_than_settling_once(
        active in amount(), first in any::<u64>(), second in any::<u64>(),
    ) {
        let config_at = |per_stake: u128| {
            let mut config: StakingConfig = zeroed();
            config.reward_per_stake = PodU128::new(per_stake);
            config
        };
        let (mid, end) = (first as u128, first as u128 + second as u128);
        let mut stepped = position(active, 0);
        settle(&mut stepped, &config_at(mid)).unwrap();
        settle(&mut stepped, &config_at(end)).unwrap();
        let mut once = position(active, 0);
        settle(&mut once, &config_at(end)).unwrap();
        prop_assert!(stepped.rewards_owed.get() <= once.rewards_owed.get());
        prop_assert_eq!(stepped.reward_per_stake_paid.get(), end);
        // Settling again at the same accumulator pays nothing.
        settle(&mut once, &config_at(end)).unwrap();
        prop_assert_eq!(once.rewards_owed.get(), earned(active, end).unwrap());
    }

    #[test]
    fn a_restart_streams_the_leftover_and_the_new_rewards_over_one_duration_at_the_native_rate(
        left in amount(), added in amount(), duration in duration(), now in 0i64..1 << 40,
    ) {
        let mut config: StakingConfig = zeroed();
        config.unstreamed_rewards = PodU64::new(left);
        config.reward_duration = PodI64::new(duration);
        let (unstreamed, period_end) = restart(&mut config, added, now).unwrap();
        prop_assert_eq!(unstreamed as u128, left as u128 + added as u128);
        prop_assert_eq!(config.unstreamed_rewards.get(), unstreamed);
        prop_assert_eq!((period_end, config.reward_period_end.get()), (now + duration, now + duration));
        let native = unstreamed as u128 * SCALE as u128 / duration as u128;
        prop_assert_eq!(reward_rate(unstreamed, duration).unwrap(), native);
    }

    #[test]
    fn vote_weight_never_exceeds_active_stake_and_grows_with_later_snapshots(
        active in word(), young_share in any::<u8>(), mature_since in word(), young_offset in word(),
        a in word(), b in word(),
    ) {
        let mut stake = position(active, 0);
        stake.young_amount = PodU64::new((active as u128 * young_share as u128 / 255) as u64);
        stake.mature_since = PodU64::new(mature_since);
        stake.young_since = PodU64::new(mature_since.saturating_add(young_offset));
        let (earlier, later) = (a.min(b), a.max(b));
        prop_assert!(stake.vote_weight_before(earlier) <= stake.vote_weight_before(later));
        prop_assert!(stake.vote_weight_before(later) <= active);
    }

    #[test]
    fn a_stake_votes_once_per_proposal_in_any_order_within_the_window(
        ids in proptest::collection::vec(prop_oneof![0u64..150, (u64::MAX - 80)..=u64::MAX], 1..120),
    ) {
        // The model: every id voted on, and the newest; an id 65 or more below the newest is
        // refused whether or not it was voted on (its bit is gone), any other id once.
        let mut stake = position(0, 0);
        let mut voted = std::collections::BTreeSet::new();
        for id in ids {
            let newest = voted.iter().next_back().copied();
            let too_old = newest.is_some_and(|newest| id < newest && newest - id > VOTE_WINDOW);
            // `u64::MAX` has no "one more" to record as the newest.
            let expected = if id == u64::MAX || too_old {
                Err(VoteRefusal::WindowPassed)
            } else if voted.contains(&id) {
                Err(VoteRefusal::AlreadyVoted)
            } else {
                Ok(())
            };
            prop_assert_eq!(stake.record_vote(id), expected, "vote on {} after {:?}", id, voted);
            if expected.is_ok() {
                voted.insert(id);
            }
        }
    }

    #[test]
    fn quota_is_native_active_times_rate_over_one_media_saturating(active in word(), rate in word()) {
        let native = u64::try_from(active as u128 * rate as u128 / MEDIA as u128).unwrap_or(u64::MAX);
        prop_assert_eq!(quota_bytes(active, rate), native);
    }
}
