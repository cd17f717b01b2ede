//! Properties of the buyback auction's price curve and its reference price.
// The references are the host's native u128 arithmetic, which cannot overflow here.
#![allow(clippy::arithmetic_side_effects)]

use media_core::pause::PauseState;
use media_core::pod::{PodI64, PodU16, PodU64};
use media_core::testkit::runs;
use media_treasury_interface::auction::{
    at_least_bps, can_pay, clock, floor_price, media_for_quote, next_reference_price, price_at,
    start_price, times_bps,
};
use media_treasury_interface::state::TreasuryConfig;
use media_treasury_interface::{bounds, BPS, PRICE_SCALE};
use proptest::prelude::*;

/// Words of every magnitude, with this crate's edges.
fn word() -> impl Strategy<Value = u64> {
    media_core::testkit::word(&[PRICE_SCALE])
}

/// A price within the bounds, of every magnitude.
fn price() -> impl Strategy<Value = u64> {
    prop_oneof![
        4 => word().prop_map(|p| p.clamp(bounds::PRICE.0, bounds::PRICE.1)),
        1 => Just(bounds::PRICE.0),
        1 => Just(bounds::PRICE.1),
    ]
}

fn within(range: (u16, u16)) -> impl Strategy<Value = u16> {
    prop_oneof![range.0..=range.1, Just(range.0), Just(range.1)]
}

fn config() -> TreasuryConfig {
    // All-zero bytes are a valid config: every field is plain old data.
    let bytes = [0u8; core::mem::size_of::<TreasuryConfig>()];
    *media_core::pod::from_bytes::<TreasuryConfig>(&bytes).unwrap()
}

/// An auction as `start_auction` prices it: from `reference`, starting at `start` for
/// `duration` seconds.
fn auction() -> impl Strategy<Value = TreasuryConfig> {
    (
        price(),
        within(bounds::PREMIUM_BPS),
        within(bounds::FLOOR_BPS),
        0i64..1 << 40,
        bounds::AUCTION_DURATION.0..=bounds::AUCTION_DURATION.1,
    )
        .prop_map(|(reference, premium, floor, start, duration)| {
            let mut c = config();
            c.reference_price = PodU64::new(reference);
            c.start_price = PodU64::new(start_price(reference, premium).unwrap());
            c.floor_price = PodU64::new(floor_price(reference, floor).unwrap());
            c.auction_start = PodI64::new(start);
            c.auction_end = PodI64::new(start + duration);
            c
        })
}

/// Auction time relative to the auction's start: before, during and after it.
fn offset() -> impl Strategy<Value = i64> {
    -1_000i64..=bounds::AUCTION_DURATION.1 + 1_000
}

/// The state after an auction of `lot` from `reference`, with counted fills of `quote` for
/// `media`, and the two parameters that move the reference. `sold`: whether the counted fills
/// reach `min_sold_bps` of the lot (either, if `None`).
fn after_auction(sold: Option<bool>) -> impl Strategy<Value = TreasuryConfig> {
    let lot = bounds::MAX_LOT.0..=bounds::MAX_LOT.1;
    (
        price(),
        lot,
        within(bounds::MIN_SOLD_BPS),
        within(bounds::MAX_STEP_BPS),
    )
        .prop_flat_map(move |(reference, lot, min_sold, step)| {
            let sold_bps = match sold {
                None => (0..=BPS).boxed(),
                Some(true) => (min_sold as u64..=BPS).boxed(),
                Some(false) => (0..min_sold as u64).boxed(),
            };
            // `sold_bps` of the lot, rounded up when it must reach `min_sold_bps` and down when
            // it must not; never more than the lot.
            let up = sold == Some(true);
            let quote = sold_bps.prop_map(move |bps| {
                let share = lot as u128 * bps as u128;
                (if up {
                    share.div_ceil(BPS as u128)
                } else {
                    share / BPS as u128
                }) as u64
            });
            (
                Just((reference, lot, min_sold, step)),
                quote,
                price(),
                any::<bool>(),
                word(),
            )
        })
        .prop_map(
            |((reference, lot, min_sold, step), quote, fill_price, at_a_price, any_media)| {
                // Counted fills paid at a price within bounds (when that fits in u64), or (a
                // corrupt total) any amount of MEDIA.
                let media = match media_for_quote(quote, fill_price) {
                    Ok(media) if at_a_price => media,
                    _ => any_media,
                };
                let mut c = config();
                c.reference_price = PodU64::new(reference);
                c.auction_id = PodU64::new(1);
                c.lot = PodU64::new(lot);
                c.auction_counted_quote = PodU64::new(quote);
                c.auction_counted_media = PodU64::new(media);
                c.min_sold_bps = PodU16::new(min_sold);
                c.max_step_bps = PodU16::new(step);
                c
            },
        )
}

/// Whether the counted fills reach `min_sold_bps` of the lot.
fn sold_enough(c: &TreasuryConfig) -> bool {
    let quote = c.auction_counted_quote.get();
    quote > 0 && quote as u128 * BPS as u128 >= c.lot.get() as u128 * c.min_sold_bps.get() as u128
}

/// A pause state as `set_paused` leaves it: `paused_before` seconds in earlier pauses, then one
/// from `paused_since` to `paused_until`, somewhere around auction times.
fn pause() -> impl Strategy<Value = PauseState> {
    (
        0i64..1 << 30,
        0i64..1 << 41,
        0..=media_core::pause::MAX_PAUSE_DURATION,
    )
        .prop_map(|(before, since, length)| PauseState {
            paused_until: PodI64::new(since + length),
            paused_since: PodI64::new(since),
            paused_before: PodI64::new(before),
        })
}

/// A payment of `amount` from a vault holding `balance` with `lot` reserved while an auction
/// is live: amounts of every magnitude, and amounts around what the lot leaves.
fn spend() -> impl Strategy<Value = (u64, u64, u64)> {
    (word(), word()).prop_flat_map(|(balance, lot)| {
        let left = balance.saturating_sub(lot);
        (
            prop_oneof![
                word(),
                0..=balance,
                left..=balance,
                Just(left),
                Just(left.saturating_add(1)),
                Just(balance.saturating_add(1)),
            ],
            Just(balance),
            Just(lot),
        )
    })
}

fn bounded(price: u128) -> u128 {
    price.clamp(bounds::PRICE.0 as u128, bounds::PRICE.1 as u128)
}

/// `floor(media * PRICE_SCALE / quote)` within the bounds, or 0 if nothing counted.
fn vwap(c: &TreasuryConfig) -> u128 {
    let (quote, media) = (c.auction_counted_quote.get(), c.auction_counted_media.get());
    if quote == 0 {
        0
    } else {
        bounded(media as u128 * PRICE_SCALE as u128 / quote as u128)
    }
}

proptest! {
    #![proptest_config(runs(2048))]

    #[test]
    fn auction_price_never_rises_over_time(c in auction(), a in offset(), b in offset()) {
        let start = c.auction_start.get();
        let (earlier, later) = (start + a.min(b), start + a.max(b));
        prop_assert!(price_at(&c, later).unwrap() <= price_at(&c, earlier).unwrap());
    }

    #[test]
    fn auction_price_stays_between_floor_and_start(c in auction(), t in offset()) {
        let price = price_at(&c, c.auction_start.get() + t).unwrap();
        prop_assert!(c.floor_price.get() <= price && price <= c.start_price.get());
    }

    #[test]
    fn auction_price_decays_linearly_rounded_towards_the_floor(c in auction(), t in offset()) {
        let (start, end) = (c.auction_start.get(), c.auction_end.get());
        let (high, low) = (c.start_price.get() as u128, c.floor_price.get() as u128);
        let elapsed = t.clamp(0, end - start) as u128;
        let expected = high - (high - low) * elapsed / (end - start) as u128;
        prop_assert_eq!(price_at(&c, start + t).unwrap() as u128, expected);
    }

    #[test]
    fn the_auction_clock_runs_no_faster_than_wall_time_and_stands_still_while_paused(
        mut c in auction(), pause in pause(), a in offset(), b in offset(),
    ) {
        // As `start_auction` records it: the seconds paused before the auction started.
        c.pause = pause;
        let start = c.auction_start.get();
        c.auction_paused_seconds = PodI64::new(c.pause.paused_seconds(start));
        let (earlier, later) = (start + a.min(b), start + a.max(b));
        let ran = clock(&c, later) - clock(&c, earlier);
        prop_assert!((0..=later - earlier).contains(&ran));
        // The clock advanced by exactly the unpaused seconds in between.
        prop_assert_eq!(ran, later - earlier - (c.pause.paused_seconds(later) - c.pause.paused_seconds(earlier)));
    }

    #[test]
    fn start_and_floor_prices_bracket_the_reference(
        reference in price(), premium in within(bounds::PREMIUM_BPS), floor in within(bounds::FLOOR_BPS),
    ) {
        let (start, floor) = (start_price(reference, premium).unwrap(), floor_price(reference, floor).unwrap());
        prop_assert!(floor <= reference && reference <= start);
        prop_assert!(bounds::PRICE.0 <= floor && start <= bounds::PRICE.1);
    }

    #[test]
    fn times_bps_is_the_native_floor_and_fails_exactly_beyond_u64(
        value in media_core::testkit::word(&[PRICE_SCALE, (1 << 47) - 1, 1 << 47, bounds::PRICE.1]),
        factor in media_core::testkit::word(&[BPS, (1 << 17) - 1, 1 << 17, u16::MAX as u64 + BPS]),
    ) {
        // Both sides of its 64-bit fast path (values below 2^47, factors below 2^17).
        let native = u64::try_from(value as u128 * factor as u128 / BPS as u128).ok();
        prop_assert_eq!(times_bps(value, factor).ok(), native);
    }

    #[test]
    fn start_and_floor_prices_are_the_native_floors_within_the_bounds(
        reference in price(), premium in any::<u16>(), floor in any::<u16>(),
    ) {
        let scaled = |bps: u128| bounded(reference as u128 * bps / BPS as u128) as u64;
        prop_assert_eq!(start_price(reference, premium).unwrap(), scaled(BPS as u128 + premium as u128));
        prop_assert_eq!(floor_price(reference, floor).unwrap(), scaled(floor as u128));
    }

    #[test]
    fn media_for_quote_is_the_native_ceiling_and_fails_exactly_beyond_u64(quote in word(), price in word()) {
        let native = u64::try_from((quote as u128 * price as u128).div_ceil(PRICE_SCALE as u128)).ok();
        prop_assert_eq!(media_for_quote(quote, price).ok(), native);
    }

    #[test]
    fn a_non_empty_fill_costs_at_least_one_base_unit(quote in 1..=bounds::MAX_LOT.1, price in price()) {
        // (Or it costs more than u64 holds, and fails.)
        prop_assert!(media_for_quote(quote, price).map_or(true, |media| media >= 1));
    }

    #[test]
    fn at_least_bps_is_exact(part in word(), whole in word(), bps in any::<u16>()) {
        prop_assert_eq!(
            at_least_bps(part, whole, bps),
            part as u128 * BPS as u128 >= whole as u128 * bps as u128
        );
    }

    #[test]
    fn next_reference_stays_within_the_price_bounds(c in after_auction(None)) {
        let next = next_reference_price(&c).unwrap();
        prop_assert!(bounds::PRICE.0 <= next && next <= bounds::PRICE.1);
    }

    #[test]
    fn next_reference_is_the_vwap_once_min_sold_bps_of_the_lot_was_counted(c in after_auction(Some(true))) {
        prop_assert!(sold_enough(&c));
        prop_assert_eq!(next_reference_price(&c).unwrap() as u128, vwap(&c));
    }

    #[test]
    fn next_reference_moves_towards_the_vwap_by_at_most_max_step_bps_otherwise(c in after_auction(Some(false))) {
        prop_assert!(!sold_enough(&c));
        let reference = c.reference_price.get() as u128;
        let step = c.max_step_bps.get() as u128;
        let next = next_reference_price(&c).unwrap() as u128;
        let (down, up) = (reference * (BPS as u128 - step) / BPS as u128, reference * (BPS as u128 + step) / BPS as u128);
        prop_assert!(bounded(down) <= next && next <= bounded(up));
        // Towards the VWAP, never past it (the bounds aside).
        let target = vwap(&c);
        if target >= reference {
            prop_assert!(reference <= next && next <= target.max(bounds::PRICE.0 as u128));
        } else {
            prop_assert!(bounded(target) <= next && next <= reference);
        }
    }

    #[test]
    fn next_reference_stays_once_it_accounts_for_the_last_auction(mut c in after_auction(None), ahead in 0u64..3) {
        c.reference_auction_id = PodU64::new(c.auction_id.get() + ahead);
        prop_assert_eq!(next_reference_price(&c).unwrap(), c.reference_price.get());
    }

    #[test]
    fn can_pay_is_the_plain_limit_and_asks_for_the_clock_only_when_the_lot_may_decide(
        (amount, balance, lot) in spend(), live in any::<bool>(),
    ) {
        // The rule `spend` applies: the lot is held back while the auction is live.
        let reserved = if live { lot } else { 0 };
        let plain = amount <= balance.saturating_sub(reserved);
        let mut asked = false;
        let answer = can_pay(amount, balance, lot, || -> Result<bool, ()> {
            asked = true;
            Ok(live)
        });
        prop_assert_eq!(answer, Ok(plain));
        // The clock is read for a payment above what the lot leaves, and only with a lot.
        prop_assert_eq!(asked, lot > 0 && amount > balance.saturating_sub(lot));
        // A failed clock read fails exactly the payments that read it.
        let failed = can_pay(amount, balance, lot, || Err::<bool, _>("no clock"));
        prop_assert_eq!(failed.is_err(), asked);
    }
}
