//! Properties of the bandwidth rules a settlement applies: the fee split and the delegators'
//! fee share, the stake behind a quota, the quota window's decay, the price rule, and the
//! receipt message a consumer signs.
// The references are the host's native u128 arithmetic, which cannot overflow here.
#![allow(clippy::arithmetic_side_effects)]

use media_bandwidth_interface::error::BandwidthError;
use media_bandwidth_interface::price::{minimum_amount, require_price_met};
use media_bandwidth_interface::quota::{backed_stake, decayed, fee_share, split};
use media_bandwidth_interface::receipt::{message, DOMAIN_TAG, MESSAGE_LEN, NONCE_OFFSET};
use media_bandwidth_interface::state::Escrow;
use media_bandwidth_interface::{bounds, BPS, GIB};
use media_core::pause::{PauseState, MAX_PAUSE_DURATION};
use media_core::pod::PodI64;
use media_core::testkit::runs;
use media_core::{Address, ProgramError};
use proptest::prelude::*;

/// Words of every magnitude, with this crate's edges.
fn word() -> impl Strategy<Value = u64> {
    media_core::testkit::word(&[GIB - 1, GIB, GIB + 1])
}

fn bps() -> impl Strategy<Value = u16> {
    prop_oneof![0..=BPS as u16, Just(0), Just(BPS as u16)]
}

/// A quota window within the bounds.
fn window() -> impl Strategy<Value = i64> {
    bounds::QUOTA_WINDOW.0..=bounds::QUOTA_WINDOW.1
}

/// Seconds since the usage was recorded: before, during and after the window.
fn elapsed() -> impl Strategy<Value = i64> {
    prop_oneof![
        -1_000i64..=0,
        0..=bounds::QUOTA_WINDOW.1 + 1,
        Just(i64::MAX),
        Just(i64::MIN),
    ]
}

fn price() -> impl Strategy<Value = u64> {
    prop_oneof![bounds::PRICE_PER_GIB.0..=bounds::PRICE_PER_GIB.1, word(),]
}

proptest! {
    #![proptest_config(runs(2048))]

    #[test]
    fn fee_split_parts_sum_to_the_amount(
        amount in word(), fee in bps(), share in bps(), is_media in any::<bool>(),
    ) {
        let s = split(amount, fee, share, is_media).unwrap();
        prop_assert_eq!(s.provider as u128 + s.stakers as u128 + s.treasury as u128, amount as u128);
    }

    #[test]
    fn fee_split_revenue_is_the_fee_rounded_down_never_more(
        amount in word(), fee in bps(), share in bps(), is_media in any::<bool>(),
    ) {
        let s = split(amount, fee, share, is_media).unwrap();
        let revenue = s.stakers as u128 + s.treasury as u128;
        prop_assert_eq!(revenue, amount as u128 * fee as u128 / BPS as u128);
        prop_assert!(revenue * BPS as u128 <= amount as u128 * fee as u128);
    }

    #[test]
    fn fee_split_pays_stakers_their_share_of_media_revenue_only(
        amount in word(), fee in bps(), share in bps(), is_media in any::<bool>(),
    ) {
        let s = split(amount, fee, share, is_media).unwrap();
        let revenue = s.stakers as u128 + s.treasury as u128;
        let expected = if is_media { revenue * share as u128 / BPS as u128 } else { 0 };
        prop_assert_eq!(s.stakers as u128, expected);
    }

    #[test]
    fn fee_share_is_the_bps_of_the_provider_part_rounded_down_and_only_of_media_with_delegators(
        part in word(), share in bps(), is_media in any::<bool>(), delegated in word(),
    ) {
        let fee = fee_share(part, share, is_media, delegated).unwrap();
        let expected = if is_media && delegated > 0 { part as u128 * share as u128 / BPS as u128 } else { 0 };
        prop_assert_eq!(fee as u128, expected);
        prop_assert!(fee <= part, "the provider keeps the rest, never less than nothing");
    }

    #[test]
    fn backed_stake_is_own_plus_delegated_capped_at_a_multiple_of_own(
        own in word(), delegated in word(), cap in 1u64..=100,
    ) {
        let reference = (own as u128 + (delegated as u128).min(own as u128 * cap as u128)).min(u64::MAX as u128);
        prop_assert_eq!(backed_stake(own, delegated, cap) as u128, reference);
    }

    #[test]
    fn quota_decay_never_grows_the_usage(used in word(), elapsed in elapsed(), window in window()) {
        prop_assert!(decayed(used, elapsed, window).unwrap() <= used);
    }

    #[test]
    fn quota_decay_empties_after_a_full_window(used in word(), extra in 0..=i64::MAX / 2, window in window()) {
        prop_assert_eq!(decayed(used, window + extra, window).unwrap(), 0);
    }

    #[test]
    fn quota_decay_is_monotone_in_elapsed_time(
        used in word(), a in elapsed(), b in elapsed(), window in window(),
    ) {
        let (earlier, later) = (a.min(b), a.max(b));
        prop_assert!(decayed(used, later, window).unwrap() <= decayed(used, earlier, window).unwrap());
    }

    #[test]
    fn quota_decay_is_linear_rounded_down(used in word(), elapsed in elapsed(), window in window()) {
        let remaining = (window as i128 - elapsed as i128).clamp(0, window as i128) as u128;
        let expected = used as u128 * remaining / window as u128;
        prop_assert_eq!(decayed(used, elapsed, window).unwrap() as u128, expected);
    }

    #[test]
    fn minimum_amount_is_the_native_ceiling_of_bytes_times_price_per_gib(bytes in word(), price in price()) {
        let native = u64::try_from((bytes as u128 * price as u128).div_ceil(GIB as u128)).ok();
        prop_assert_eq!(minimum_amount(bytes, price), native);
    }

    #[test]
    fn the_price_rule_accepts_the_minimum_and_more_and_refuses_one_less(
        bytes in word(), price in price(), extra in word(),
    ) {
        let underpriced: ProgramError = BandwidthError::Underpriced.into();
        match minimum_amount(bytes, price) {
            Some(minimum) => {
                prop_assert_eq!(require_price_met(bytes, minimum, price), Ok(()));
                prop_assert_eq!(require_price_met(bytes, minimum.saturating_add(extra), price), Ok(()));
                if minimum > 0 {
                    prop_assert_eq!(require_price_met(bytes, minimum - 1, price), Err(underpriced));
                }
            }
            // Beyond u64: no amount pays for it.
            None => prop_assert_eq!(require_price_met(bytes, extra.max(u64::MAX - extra), price), Err(underpriced)),
        }
    }
}

/// A receipt's fields: escrow, nonce, cumulative bytes and amount.
type Receipt = ([u8; 32], u64, u64, u64);

fn receipt() -> impl Strategy<Value = Receipt> {
    (any::<[u8; 32]>(), word(), word(), word())
}

fn sign(r: &Receipt) -> [u8; MESSAGE_LEN] {
    message(&Address::new_from_array(r.0), r.1, r.2, r.3)
}

fn u64_at(m: &[u8], offset: usize) -> u64 {
    u64::from_le_bytes(m[offset..offset + 8].try_into().unwrap())
}

proptest! {
    #![proptest_config(runs(2048))]

    #[test]
    fn receipt_message_is_the_tag_then_each_field_at_its_offset(r in receipt()) {
        let m = sign(&r);
        prop_assert_eq!(m.len(), 72);
        prop_assert_eq!(&m[..16], &DOMAIN_TAG);
        prop_assert_eq!(&m[16..48], &r.0);
        prop_assert_eq!(u64_at(&m, NONCE_OFFSET), r.1);
        prop_assert_eq!(u64_at(&m, 56), r.2);
        prop_assert_eq!(u64_at(&m, 64), r.3);
    }

    #[test]
    fn receipt_messages_of_distinct_receipts_differ(r in receipt(), field in 0usize..4, value in word(), byte in 0usize..32) {
        // Change one field of the receipt (its escrow in one byte): flip some of its bits.
        let (mut other, flip) = (r, value.max(1));
        match field {
            0 => other.0[byte] ^= (flip as u8).max(1),
            1 => other.1 ^= flip,
            2 => other.2 ^= flip,
            _ => other.3 ^= flip,
        }
        prop_assert_ne!(sign(&r), sign(&other));
    }
}

/// A pause state as `set_paused` leaves it: `paused_before` seconds in earlier pauses, then one
/// from `paused_since` to `paused_until`.
fn pause() -> impl Strategy<Value = PauseState> {
    (0i64..1 << 30, 0i64..1 << 31, 0..=MAX_PAUSE_DURATION).prop_map(|(before, since, length)| {
        PauseState {
            paused_until: PodI64::new(since + length),
            paused_since: PodI64::new(since),
            paused_before: PodI64::new(before),
        }
    })
}

proptest! {
    #![proptest_config(runs(2048))]

    #[test]
    fn the_dispute_window_ends_no_sooner_than_its_length_and_once_over_stays_over(
        pause in pause(), requested in 1i64..1 << 31, window in bounds::DISPUTE_WINDOW.0..=bounds::DISPUTE_WINDOW.1,
        a in 0i64..1 << 22, b in 0i64..1 << 22,
    ) {
        // An escrow whose close was requested at `requested`, as `request_close` records it.
        let bytes = vec![0u8; core::mem::size_of::<Escrow>()];
        let mut escrow = *media_core::pod::from_bytes::<Escrow>(&bytes).unwrap();
        escrow.close_requested_at = PodI64::new(requested);
        escrow.close_paused_seconds = PodI64::new(pause.paused_seconds(requested));
        escrow.close_window = PodI64::new(window);
        let (earlier, later) = (requested + a.min(b), requested + a.max(b));
        if escrow.dispute_window_over(&pause, earlier) {
            prop_assert!(escrow.dispute_window_over(&pause, later));
        }
        if escrow.dispute_window_over(&pause, later) {
            prop_assert!(later - requested >= window);
        }
    }

    #[test]
    fn the_dispute_window_is_the_unpaused_time_since_the_request_for_any_stored_values(
        paused_until in prop_oneof![Just(0i64), any::<i64>()],
        paused_since in any::<i64>(), paused_before in any::<i64>(),
        requested in instant(), paused_at_request in prop_oneof![Just(0i64), any::<i64>()],
        window in instant(), now in instant(), near in -2i64..=2, at_the_end in any::<bool>(),
    ) {
        // The never-paused shortcut gives what the general form gives, whatever the accounts
        // hold: any instants, and `now` a few seconds either side of the window's end.
        let now = if at_the_end { requested.wrapping_add(window).wrapping_add(near) } else { now };
        let pause = PauseState {
            paused_until: PodI64::new(paused_until),
            paused_since: PodI64::new(paused_since),
            paused_before: PodI64::new(paused_before),
        };
        let bytes = vec![0u8; core::mem::size_of::<Escrow>()];
        let mut escrow = *media_core::pod::from_bytes::<Escrow>(&bytes).unwrap();
        escrow.close_requested_at = PodI64::new(requested);
        escrow.close_paused_seconds = PodI64::new(paused_at_request);
        escrow.close_window = PodI64::new(window);
        let general = pause.unpaused_seconds_since(requested, paused_at_request, now) >= window;
        prop_assert_eq!(escrow.dispute_window_over(&pause, now), general);
    }
}

/// An `i64` of every magnitude and sign, with the edges of the saturating arithmetic.
fn instant() -> impl Strategy<Value = i64> {
    prop_oneof![
        4 => any::<i64>(),
        2 => media_core::testkit::word(&[]).prop_map(|w| w as i64),
        2 => -3i64..=3,
        1 => prop::sample::select(vec![i64::MIN, i64::MIN + 1, i64::MAX - 1, i64::MAX]),
    ]
}
