//! `wide`'s products against the host's native u128 arithmetic: the same value, and the same
//! failure (overflow, a zero divisor), whichever path a pair of factors takes.
// The references are native u128 products of two u64, which cannot overflow.
#![allow(clippy::arithmetic_side_effects)]

use media_core::testkit::runs;
use media_staking_interface::wide::{mul, mul_div, native_mul_div, wide_mul_div};
use proptest::prelude::*;

/// Words of every magnitude, with the edges of the 32-bit fast paths.
fn factor() -> impl Strategy<Value = u64> {
    media_core::testkit::word(&[(1 << 32) - 1, 1 << 32, (1 << 32) + 1, 10_000])
}

proptest! {
    #![proptest_config(runs(4096))]

    #[test]
    fn mul_is_the_native_product_or_fails_beyond_u64(a in factor(), b in factor()) {
        let native = u64::try_from(a as u128 * b as u128).ok();
        prop_assert_eq!(mul(a, b).ok(), native);
    }

    #[test]
    fn mul_div_is_the_native_floor_or_fails_on_zero_or_beyond_u64(
        a in factor(), b in factor(), divisor in factor(),
    ) {
        let native = (divisor != 0)
            .then(|| a as u128 * b as u128 / divisor as u128)
            .and_then(|q| u64::try_from(q).ok());
        prop_assert_eq!(mul_div(a, b, divisor).ok(), native);
        prop_assert_eq!(wide_mul_div(a, b, divisor).ok(), native);
    }

    /// The 32-bit-factor path's last step, `(a_hi * b) << 32` plus `a_lo * b`, at its carry:
    /// `a_hi` as large as keeps `a_hi * b` within 32 bits, so the sum lands on both sides of
    /// 2^64.
    #[test]
    fn the_small_factor_path_fails_exactly_when_its_last_sum_passes_u64(
        b in prop_oneof![1u64..=u32::MAX as u64, ((1u64 << 32) - 8)..(1u64 << 32)],
        low in any::<u32>(),
        less in 0u64..3,
        divisor in prop_oneof![Just(1u64), factor()],
    ) {
        let a = ((u32::MAX as u64 / b).saturating_sub(less) << 32) | low as u64;
        let product = a as u128 * b as u128;
        prop_assert_eq!(mul(a, b).ok(), u64::try_from(product).ok());
        let native = (divisor != 0)
            .then(|| product / divisor as u128)
            .and_then(|q| u64::try_from(q).ok());
        prop_assert_eq!(mul_div(a, b, divisor).ok(), native);
    }

    /// The native path answers exactly when `a < floor(2^64 / b)` and the divisor is not zero,
    /// and then with the native u128 floor; `a` is taken around that bound, where its
    /// division test decides, and the product lands on both sides of 2^64.
    #[test]
    fn the_native_path_answers_below_its_bound_with_the_native_floor(
        b in prop_oneof![1u64..=4, factor().prop_map(|b| b.max(1))],
        offset in 0u64..4,
        above in any::<bool>(),
        divisor in prop_oneof![Just(0u64), Just(1u64), factor()],
    ) {
        let bound = (1u128 << 64) / b as u128;
        let near = u64::try_from(bound).unwrap_or(u64::MAX);
        let a = if above { near.saturating_add(offset) } else { near.saturating_sub(offset) };
        let product = a as u128 * b as u128;
        let answers = (a as u128) < bound && divisor != 0;
        prop_assert_eq!(native_mul_div(a, b, divisor).is_some(), answers);
        if answers {
            prop_assert!(product < 1u128 << 64);
            prop_assert_eq!(native_mul_div(a, b, divisor), Some((product / divisor as u128) as u64));
        }
        let native = (divisor != 0)
            .then(|| product / divisor as u128)
            .and_then(|q| u64::try_from(q).ok());
        prop_assert_eq!(mul_div(a, b, divisor).ok(), native);
        prop_assert_eq!(mul(a, b).ok(), u64::try_from(product).ok());
    }
}
