//! Properties of governance's pure rules: quorum, a vote's outcome, and the execution delay
//! that lets a vote-locked staker unbond before a proposal it opposed executes.
// The references are the host's native u128/i128 arithmetic, which cannot overflow here.
#![allow(clippy::arithmetic_side_effects)]

use media_core::testkit::runs;
use media_governance_interface::{bounds, execution_delay, outcome, quorum_votes, ProposalState};
use proptest::prelude::*;

const BPS: u128 = 10_000;

/// Words of every magnitude, with this crate's edges.
fn word() -> impl Strategy<Value = u64> {
    media_core::testkit::word(&[])
}

fn quorum_bps() -> impl Strategy<Value = u16> {
    prop_oneof![
        bounds::QUORUM_BPS.0..=bounds::QUORUM_BPS.1,
        Just(bounds::QUORUM_BPS.1)
    ]
}

/// A timestamp or a period: non-negative, far from the ends of i64.
fn time() -> impl Strategy<Value = i64> {
    0i64..1 << 40
}

proptest! {
    #![proptest_config(runs(2048))]

    #[test]
    fn quorum_is_the_native_ceiling_of_quorum_bps_of_the_active_stake(
        // Any stake whose quorum product fits: far beyond the fixed supply.
        total_active in (0..=(u64::MAX - 9_999) / 10_000), quorum_bps in quorum_bps(),
    ) {
        let native = (total_active as u128 * quorum_bps as u128).div_ceil(BPS);
        let quorum = quorum_votes(total_active, quorum_bps).unwrap();
        prop_assert_eq!(quorum as u128, native);
        prop_assert!(quorum <= total_active);
    }

    #[test]
    fn a_vote_succeeds_exactly_when_turnout_reaches_quorum_and_for_beats_against(
        votes_for in word(), against in word(), abstain in word(), quorum in word(),
    ) {
        let turnout = votes_for as u128 + against as u128 + abstain as u128;
        match outcome(votes_for, against, abstain, quorum) {
            Ok(state) => {
                prop_assert!(turnout <= u64::MAX as u128);
                let succeeded = turnout >= quorum as u128 && votes_for > against;
                let expected = if succeeded { ProposalState::Succeeded } else { ProposalState::Defeated };
                prop_assert_eq!(state, expected);
            }
            // Only a turnout beyond u64 (more votes than stake can exist) fails.
            Err(_) => prop_assert!(turnout > u64::MAX as u128),
        }
    }

    #[test]
    fn execution_waits_for_both_the_timelock_and_the_unbonding_period(
        voting_ends_at in time(), timelock in time(), unbonding in time(),
    ) {
        let executable_at = voting_ends_at + timelock;
        let delay = execution_delay(voting_ends_at, executable_at, unbonding).unwrap();
        prop_assert!(delay >= 0);
        prop_assert_eq!(executable_at + delay, voting_ends_at + timelock.max(unbonding));
    }

    #[test]
    fn execution_delay_is_the_plain_clamped_difference_for_any_stored_times(
        voting_ends_at in any_time(), executable_at in any_time(), unbonding in any_time(),
    ) {
        prop_assert_eq!(
            execution_delay(voting_ends_at, executable_at, unbonding).ok(),
            plain_delay(voting_ends_at, executable_at, unbonding)
        );
    }

    /// The shortcut's edge: an unbonding period within a few seconds of the distance from the
    /// end of voting to the window (wrapped at the ends of i64, where that distance does not
    /// fit an i64).
    #[test]
    fn execution_delay_is_the_plain_clamped_difference_next_to_the_timelock(
        voting_ends_at in any_time(), distance in any_time(), nudge in -2i64..=2,
    ) {
        let executable_at = voting_ends_at.wrapping_add(distance);
        let unbonding = distance.wrapping_add(nudge);
        prop_assert_eq!(
            execution_delay(voting_ends_at, executable_at, unbonding).ok(),
            plain_delay(voting_ends_at, executable_at, unbonding)
        );
    }
}

/// The i128 reference of [`execution_delay`]: the sum must fit an i64, the delay is clamped to
/// `0..=i64::MAX`.
fn plain_delay(voting_ends_at: i64, executable_at: i64, unbonding: i64) -> Option<i64> {
    let unbonded_at = voting_ends_at as i128 + unbonding as i128;
    i64::try_from(unbonded_at)
        .ok()
        .map(|_| (unbonded_at - executable_at as i128).clamp(0, i64::MAX as i128) as i64)
}

/// Any `i64`, with the edges of the saturating arithmetic and values close to each other.
fn any_time() -> impl Strategy<Value = i64> {
    prop_oneof![
        any::<i64>(),
        -3i64..=3,
        prop::sample::select(vec![i64::MIN, i64::MIN + 1, i64::MAX - 1, i64::MAX]),
    ]
}
