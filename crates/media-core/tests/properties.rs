//! Properties of the core's pure rules, checked on the host against native arithmetic: the
//! wide multiply/divide the programs use instead of the 128-bit builtins, the checked sums
//! written for the BPF backend, and the pause clock.
// The references are the host's native u128/i128 arithmetic, which cannot overflow here.
#![allow(clippy::arithmetic_side_effects)]

use media_core::error::CommonError;
use media_core::math::{
    add, add_i64, div_rem_u128, div_wide, mul, mul_div, mul_u128, mul_wide, sub, CheckedSum,
};
use media_core::pause::{PauseChange, PauseState, MAX_PAUSE_DURATION};
use media_core::pod::{PodI64, PodU128, PodU16, PodU32, PodU64};
use media_core::testkit::runs;
use media_core::{Address, ProgramError};
use proptest::prelude::*;

/// Words of every magnitude, with this crate's edges.
fn word() -> impl Strategy<Value = u64> {
    media_core::testkit::word(&[2, u32::MAX as u64, 1 << 32, (1 << 32) + 1, u64::MAX / 3])
}

fn overflow() -> ProgramError {
    CommonError::ArithmeticOverflow.into()
}

/// `Ok(value)` or the overflow error, as the core's checked operations answer.
fn checked(value: Option<u64>) -> Result<u64, ProgramError> {
    value.ok_or_else(overflow)
}

proptest! {
    #![proptest_config(runs(2048))]

    #[test]
    fn wide_mul_matches_native_u128(a in word(), b in word()) {
        let product = a as u128 * b as u128;
        prop_assert_eq!(mul_wide(a, b), ((product >> 64) as u64, product as u64));
        prop_assert_eq!(mul_u128(a, b), product);
    }

    #[test]
    fn wide_div_matches_native_u128_and_refuses_exactly_a_quotient_beyond_u64(
        high in word(), low in word(), divisor in word(),
    ) {
        let n = (high as u128) << 64 | low as u128;
        let native = n.checked_div(divisor as u128).and_then(|q| u64::try_from(q).ok());
        prop_assert_eq!(div_wide(high, low, divisor), native);
    }

    #[test]
    fn wide_mul_div_matches_native_u128_and_fails_exactly_when_native_overflows(
        a in word(), b in word(), divisor in word(),
    ) {
        let native = (a as u128 * b as u128)
            .checked_div(divisor as u128)
            .and_then(|q| u64::try_from(q).ok());
        prop_assert_eq!(mul_div(a, b, divisor), checked(native));
    }

    #[test]
    fn wide_div_rem_u128_matches_native_u128(high in word(), low in word(), divisor in word()) {
        let n = (high as u128) << 64 | low as u128;
        let native = (divisor != 0).then(|| (n / divisor as u128, (n % divisor as u128) as u64));
        prop_assert_eq!(div_rem_u128(n, divisor), native);
    }

    #[test]
    fn checked_mul_add_sub_fail_exactly_when_native_overflows(a in word(), b in word()) {
        prop_assert_eq!(mul(a, b), checked(a.checked_mul(b)));
        prop_assert_eq!(add(a, b), checked(a.checked_add(b)));
        prop_assert_eq!(sub(a, b), checked(a.checked_sub(b)));
    }

    #[test]
    fn checked_add_i64_fails_exactly_when_native_overflows(a in signed(), b in signed()) {
        prop_assert_eq!(add_i64(a, b), a.checked_add(b).ok_or_else(overflow));
        prop_assert_eq!(a.checked_sum(b), a.checked_add(b));
    }

    #[test]
    fn checked_sum_matches_native_checked_add_at_every_width(a in word(), b in word()) {
        prop_assert_eq!(a.checked_sum(b), a.checked_add(b));
        prop_assert_eq!((a as u32).checked_sum(b as u32), (a as u32).checked_add(b as u32));
        prop_assert_eq!((a as u16).checked_sum(b as u16), (a as u16).checked_add(b as u16));
        let (wide_a, wide_b) = ((a as u128) << 64 | b as u128, (b as u128) << 64 | a as u128);
        prop_assert_eq!(wide_a.checked_sum(wide_b), wide_a.checked_add(wide_b));
    }

    #[test]
    fn pod_try_add_and_try_sub_match_native_and_change_nothing_on_failure(a in word(), b in word()) {
        fn check<P, N>(
            pod: P,
            value: N,
            sum: Option<N>,
            difference: Option<N>,
        ) -> Result<(), TestCaseError>
        where
            P: PodInt<N>,
            N: Copy + PartialEq + core::fmt::Debug,
        {
            for (result, native) in [(pod.added(value), sum), (pod.subtracted(value), difference)] {
                match native {
                    Some(native) => prop_assert_eq!(result, Ok(native)),
                    // A refusal names the overflow and leaves the value as it was.
                    None => prop_assert_eq!(result, Err((overflow(), pod.value()))),
                }
            }
            Ok(())
        }
        check(PodU64::new(a), b, a.checked_add(b), a.checked_sub(b))?;
        let (a32, b32) = (a as u32, b as u32);
        check(PodU32::new(a32), b32, a32.checked_add(b32), a32.checked_sub(b32))?;
        let (a16, b16) = (a as u16, b as u16);
        check(PodU16::new(a16), b16, a16.checked_add(b16), a16.checked_sub(b16))?;
        let (ai, bi) = (a as i64, b as i64);
        check(PodI64::new(ai), bi, ai.checked_add(bi), ai.checked_sub(bi))?;
        let (aw, bw) = ((a as u128) << 64 | b as u128, (b as u128) << 64 | a as u128);
        check(PodU128::new(aw), bw, aw.checked_add(bw), aw.checked_sub(bw))?;
    }
}

/// Signed words of every magnitude and sign, with the edges where a sum overflows.
fn signed() -> impl Strategy<Value = i64> {
    prop_oneof![
        4 => (word(), any::<bool>()).prop_map(|(x, negative)| {
            let x = x as i64;
            if negative { x.wrapping_neg() } else { x }
        }),
        1 => prop::sample::select(vec![0, 1, -1, i64::MAX, i64::MIN, i64::MAX - 1, i64::MIN + 1]),
    ]
}

/// A Pod integer's `try_add`/`try_sub` as values: the new value, or the error and the value
/// the Pod kept.
trait PodInt<N>: Copy {
    fn value(self) -> N;
    fn added(self, value: N) -> Result<N, (ProgramError, N)>;
    fn subtracted(self, value: N) -> Result<N, (ProgramError, N)>;
}

macro_rules! pod_int {
    ($($pod:ident: $int:ty),*) => {$(
        impl PodInt<$int> for $pod {
            fn value(self) -> $int {
                self.get()
            }
            fn added(mut self, value: $int) -> Result<$int, (ProgramError, $int)> {
                match self.try_add(value) {
                    Ok(()) => Ok(self.get()),
                    Err(error) => Err((error, self.get())),
                }
            }
            fn subtracted(mut self, value: $int) -> Result<$int, (ProgramError, $int)> {
                match self.try_sub(value) {
                    Ok(()) => Ok(self.get()),
                    Err(error) => Err((error, self.get())),
                }
            }
        }
    )*};
}
pod_int!(PodU16: u16, PodU32: u32, PodU64: u64, PodI64: i64, PodU128: u128);

const AUTHORITY: Address = Address::new_from_array([1; 32]);
const GUARDIAN: Address = Address::new_from_array([2; 32]);
const STRANGER: Address = Address::new_from_array([3; 32]);

/// One `set_paused` call: who signs (authority, guardian, stranger), pause or lift, and the
/// seconds since the previous call (up to three maximum pauses, so pauses lapse, chain and
/// overlap).
fn calls() -> impl Strategy<Value = Vec<(u8, bool, i64)>> {
    prop::collection::vec((0u8..3, any::<bool>(), 0..3 * MAX_PAUSE_DURATION), 0..12)
}

fn signer(who: u8) -> &'static Address {
    match who {
        0 => &AUTHORITY,
        1 => &GUARDIAN,
        _ => &STRANGER,
    }
}

fn never_paused() -> PauseState {
    PauseState {
        paused_until: 0.into(),
        paused_since: 0.into(),
        paused_before: 0.into(),
    }
}

/// Applies the calls from `start`, refused ones included; returns the state and the time of
/// the last call.
fn run(start: i64, calls: &[(u8, bool, i64)]) -> (PauseState, i64) {
    let mut state = never_paused();
    let mut now = start;
    for &(who, pause, dt) in calls {
        now += dt;
        let _ = state.set(&PauseChange {
            authority: &AUTHORITY,
            pause_authority: &GUARDIAN,
            signer: signer(who),
            pause,
            now,
        });
    }
    (state, now)
}

fn bytes(state: &PauseState) -> Vec<u8> {
    media_core::pod::bytes_of(state).to_vec()
}

proptest! {
    #![proptest_config(runs(2048))]

    #[test]
    fn paused_seconds_never_decrease_and_grow_no_faster_than_the_clock(
        start in 0i64..1 << 40, calls in calls(), t1 in 0..4 * MAX_PAUSE_DURATION, dt in 0..4 * MAX_PAUSE_DURATION,
    ) {
        let (state, _) = run(start, &calls);
        let (from, now) = (start + t1, start + t1 + dt);
        let (before, after) = (state.paused_seconds(from), state.paused_seconds(now));
        prop_assert!(before <= after);
        prop_assert!(after - before <= now - from);
    }

    #[test]
    fn unpaused_seconds_since_lie_between_zero_and_the_elapsed_time(
        start in 0i64..1 << 40, calls in calls(), t1 in 0..4 * MAX_PAUSE_DURATION, dt in 0..4 * MAX_PAUSE_DURATION,
    ) {
        let (state, _) = run(start, &calls);
        let (from, now) = (start + t1, start + t1 + dt);
        let unpaused = state.unpaused_seconds_since(from, state.paused_seconds(from), now);
        prop_assert!((0..=now - from).contains(&unpaused));
        // Time not paused plus time paused is the time elapsed.
        prop_assert_eq!(unpaused + state.paused_seconds(now) - state.paused_seconds(from), now - from);
    }

    #[test]
    fn a_state_whose_pause_never_ended_past_zero_has_nothing_paused_to_add_up(
        start in 0i64..1 << 40, calls in calls(),
    ) {
        // `paused_seconds` answers 0 for `paused_until == 0` without adding anything up: that
        // holds only if no pause ever left time behind in such a state.
        let (state, _) = run(start, &calls);
        if state.paused_until.get() == 0 {
            prop_assert_eq!(state.paused_before.get(), 0);
            prop_assert_eq!(state.paused_since.get(), 0);
        }
    }

    #[test]
    fn no_pause_outlasts_the_maximum_duration_after_the_last_call(start in 0i64..1 << 40, calls in calls()) {
        let (state, last) = run(start, &calls);
        prop_assert!(!state.is_paused_at(last + MAX_PAUSE_DURATION));
    }

    #[test]
    fn the_guardian_pauses_only_when_unpaused_for_a_maximum_duration_and_refusals_change_nothing(
        start in 0i64..1 << 40, calls in calls(), who in 0u8..3, pause in any::<bool>(), dt in 0..3 * MAX_PAUSE_DURATION,
    ) {
        let (mut state, last) = run(start, &calls);
        let now = last + dt;
        let before = bytes(&state);
        let ended = state.paused_until.get();
        let result = state.set(&PauseChange {
            authority: &AUTHORITY,
            pause_authority: &GUARDIAN,
            signer: signer(who),
            pause,
            now,
        });
        match result {
            Err(error) => {
                prop_assert_eq!(error, ProgramError::from(CommonError::Unauthorized));
                prop_assert_eq!(bytes(&state), before);
            }
            Ok(until) if who != 0 => {
                prop_assert!(who == 1 && pause);
                prop_assert!(ended == 0 || now >= ended + MAX_PAUSE_DURATION);
                prop_assert_eq!(until, now + MAX_PAUSE_DURATION);
            }
            Ok(_) => prop_assert_eq!(state.is_paused_at(now), pause),
        }
    }
}
