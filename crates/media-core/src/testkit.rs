//! Property-test set-up the crates' host tests share (feature `testkit`, enabled by their
//! dev-dependencies only: never part of a program).
extern crate std;

use proptest::prelude::*;
use std::vec::Vec;

/// Cases per property: `default`, which keeps `npm run test:rust` quick, or `PROPTEST_CASES`
/// for a longer run.
pub fn runs(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok());
    ProptestConfig::with_cases(cases.unwrap_or(default))
}

/// Words of every magnitude: a random word shifted right by a random amount, so small and
/// large values are equally likely, plus the extremes (`0`, `1`, `u64::MAX - 1`, `u64::MAX`)
/// and the caller's own `edges`, where its arithmetic changes regime.
pub fn word(edges: &[u64]) -> impl Strategy<Value = u64> {
    let mut values: Vec<u64> = std::vec![0, 1, u64::MAX.saturating_sub(1), u64::MAX];
    values.extend_from_slice(edges);
    prop_oneof![
        4 => (any::<u64>(), 0u32..64).prop_map(|(x, shift)| x >> shift),
        1 => prop::sample::select(values),
    ]
}
