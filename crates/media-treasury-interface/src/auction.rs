//! The buyback auction's price curve, as pure functions shared by the program and its tests.
//!
//! A Dutch auction sells quote revenue for MEDIA, priced from a reference price:
//! - Reference: `initial_price` at genesis. When an auction starts, the previous auction's
//!   counted fills (each at least `min_fill_bps` of its lot; smaller fills execute but do not
//!   count) move it: if they bought at least `min_sold_bps` of the lot, the reference becomes
//!   their volume-weighted price `sum(media_in) * PRICE_SCALE / sum(quote)`; otherwise it moves
//!   towards that price (down, if nothing counted) by at most `max_step_bps` of itself
//!   ([`next_reference_price`]). The authority may reset it between auctions, after which the
//!   last auction's fills no longer move it.
//! - Start: `reference * (BPS + premium_bps) / BPS`; floor: `reference * floor_bps / BPS`,
//!   both within the price bounds. The bounds on the three keep the market price inside the
//!   window of an auction whose reference is one step off (see `crate::bounds`).
//! - The price falls linearly from `start_price` at `auction_start` to `floor_price` at
//!   `auction_end` (rounded down: the price errs towards the floor, by less than one unit of
//!   `PRICE_SCALE`), on the auction's [`clock`], which stands still while the treasury is
//!   paused: takers cannot take then, so the price must not fall for the first one after.
//! - A fill of `quote` costs `ceil(quote * price / PRICE_SCALE)` MEDIA base units: rounding
//!   never favours the taker, and a non-empty fill always costs at least one base unit.
//!
//! Products go through `media_core::math` (no 128-bit multiply/divide on the target).
use crate::state::TreasuryConfig;
use crate::{bounds, BPS, PRICE_SCALE};
use media_core::error::CommonError;
use media_core::math::{div_wide, mul_wide, sub};
use media_core::ProgramError;

#[cold]
#[inline(never)]
fn overflow() -> ProgramError {
    CommonError::ArithmeticOverflow.into()
}

/// `a * b / divisor` rounded down (`media_core::math::mul_div`), kept out of line: the
/// curve uses it several times and the program's size budget is tight.
#[inline(never)]
fn mul_div(a: u64, b: u64, divisor: u64) -> Result<u64, ProgramError> {
    media_core::math::mul_div(a, b, divisor)
}

/// `value * factor / BPS` rounded down, exactly as `mul_div(value, factor, BPS)` (the
/// same quotient, the same overflow): how the curve scales a price by basis points.
///
/// For a value below 2^47 (1.4·10^14: a price of 140,000 MEDIA base units per quote base
/// unit) and a factor below 2^17 (basis points, or `BPS` plus basis points) the product fits
/// in 64 bits: one native multiply and divide (a few CU) instead of the out-of-line
/// `mul_div` (about 45). Anything larger takes `mul_div`.
#[inline(always)]
#[allow(clippy::arithmetic_side_effects)] // BPS is a non-zero constant; the product fits
pub fn times_bps(value: u64, factor: u64) -> Result<u64, ProgramError> {
    if (value >> 47) | (factor >> 17) == 0 {
        return Ok(value * factor / BPS);
    }
    mul_div(value, factor, BPS)
}

/// `price` within the price bounds.
fn bounded(price: u64) -> u64 {
    price.clamp(bounds::PRICE.0, bounds::PRICE.1)
}

/// Whether `part` is at least `bps` of `whole` (`part * BPS >= whole * bps`, exact).
pub fn at_least_bps(part: u64, whole: u64, bps: u16) -> bool {
    mul_wide(part, BPS) >= mul_wide(whole, bps as u64)
}

/// The reference price the next auction starts from (see the module docs): the stored
/// reference, moved by the last auction's counted fills unless it already accounts for them.
pub fn next_reference_price(config: &TreasuryConfig) -> Result<u64, ProgramError> {
    let reference = config.reference_price.get();
    if config.reference_auction_id.get() >= config.auction_id.get() {
        return Ok(reference);
    }
    let (quote, media) = (
        config.auction_counted_quote.get(),
        config.auction_counted_media.get(),
    );
    // Volume-weighted price of the counted fills, or 0 (down one step) if none counted.
    // Fills cost at most the bounded price (rounded up), so the quotient fits; saturating
    // keeps even a corrupt total from blocking the next auction.
    let vwap = if quote == 0 {
        0
    } else {
        bounded(mul_div(media, PRICE_SCALE, quote).unwrap_or(bounds::PRICE.1))
    };
    if quote > 0 && at_least_bps(quote, config.lot.get(), config.min_sold_bps.get()) {
        return Ok(vwap);
    }
    let step = config.max_step_bps.get() as u64;
    // One step towards the VWAP (one scaling for either direction: `times_bps` is inlined).
    let up = vwap >= reference;
    let factor = if up {
        BPS.checked_add(step).ok_or_else(overflow)?
    } else {
        sub(BPS, step)?
    };
    let stepped = times_bps(reference, factor)?;
    let next = if up {
        vwap.min(stepped)
    } else {
        vwap.max(stepped)
    };
    Ok(bounded(next))
}

/// The start price of an auction priced from `reference`: `premium_bps` above it.
pub fn start_price(reference: u64, premium_bps: u16) -> Result<u64, ProgramError> {
    let premium = BPS.checked_add(premium_bps as u64).ok_or_else(overflow)?;
    Ok(bounded(times_bps(reference, premium)?))
}

/// The floor an auction priced from `reference` decays to: `floor_bps` of it.
pub fn floor_price(reference: u64, floor_bps: u16) -> Result<u64, ProgramError> {
    Ok(bounded(times_bps(reference, floor_bps as u64)?))
}

/// The current auction's clock at wall time `now`: `now` less the seconds the treasury has
/// been paused since the auction started. Compare it with `auction_start` and `auction_end`.
pub fn clock(config: &TreasuryConfig, now: i64) -> i64 {
    let paused_since_start = config
        .pause
        .paused_seconds(now)
        .saturating_sub(config.auction_paused_seconds.get());
    now.saturating_sub(paused_since_start)
}

/// The price of the current auction at auction time `now` (see [`clock`]): linear from
/// `start_price` at `auction_start` to `floor_price` at `auction_end`.
pub fn price_at(config: &TreasuryConfig, now: i64) -> Result<u64, ProgramError> {
    let (start, end) = (config.auction_start.get(), config.auction_end.get());
    let (start_price, floor_price) = (config.start_price.get(), config.floor_price.get());
    if now <= start {
        return Ok(start_price);
    }
    if now >= end {
        return Ok(floor_price);
    }
    // start < now < end, so both differences are positive.
    let elapsed = now.checked_sub(start).ok_or_else(overflow)? as u64;
    let duration = end.checked_sub(start).ok_or_else(overflow)? as u64;
    let decay = mul_div(sub(start_price, floor_price)?, elapsed, duration)?;
    sub(start_price, decay)
}

/// MEDIA base units a fill of `quote` base units costs at `price`:
/// `ceil(quote * price / PRICE_SCALE)`.
pub fn media_for_quote(quote: u64, price: u64) -> Result<u64, ProgramError> {
    let (high, low) = mul_wide(quote, price);
    let quotient = div_wide(high, low, PRICE_SCALE).ok_or_else(overflow)?;
    // The remainder is below PRICE_SCALE, so it is exact modulo 2^64.
    let remainder = low.wrapping_sub(quotient.wrapping_mul(PRICE_SCALE));
    if remainder == 0 {
        Ok(quotient)
    } else {
        quotient.checked_add(1).ok_or_else(overflow)
    }
}

/// Whether a vault holding `balance` can pay out `amount` when a running auction reserves
/// `lot` of it for its takers: `amount <= balance - lot` while the auction is `live`,
/// `amount <= balance` otherwise (both saturating at 0).
///
/// `live` (a clock read) is asked only when the answer depends on it: a payment that leaves the
/// whole lot behind is within both limits, and with no lot both limits are the balance.
#[inline(always)]
pub fn can_pay<E>(
    amount: u64,
    balance: u64,
    lot: u64,
    live: impl FnOnce() -> Result<bool, E>,
) -> Result<bool, E> {
    if amount <= balance.saturating_sub(lot) {
        return Ok(true);
    }
    if lot == 0 || !live()? {
        return Ok(amount <= balance);
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use media_core::pod::{PodI64, PodU16, PodU64};

    fn config() -> TreasuryConfig {
        // All-zero bytes are a valid config: every field is plain old data.
        let bytes = [0u8; core::mem::size_of::<TreasuryConfig>()];
        *media_core::pod::from_bytes::<TreasuryConfig>(&bytes).unwrap()
    }

    #[test]
    fn media_for_quote_rounds_up() {
        assert_eq!(media_for_quote(10, 3 * PRICE_SCALE).unwrap(), 30);
        assert_eq!(media_for_quote(1, 1).unwrap(), 1);
        assert_eq!(media_for_quote(3, PRICE_SCALE / 2).unwrap(), 2);
        assert_eq!(media_for_quote(0, PRICE_SCALE).unwrap(), 0);
        let (q, p) = (123_456_789u64, 98_765_432_109u64);
        let exact = (q as u128 * p as u128).div_ceil(PRICE_SCALE as u128) as u64;
        assert_eq!(media_for_quote(q, p).unwrap(), exact);
        assert!(media_for_quote(u64::MAX, u64::MAX).is_err());
    }

    #[test]
    fn price_decays_linearly_to_the_floor() {
        let mut c = config();
        c.auction_start = PodI64::new(1_000);
        c.auction_end = PodI64::new(2_000);
        c.start_price = PodU64::new(110 * PRICE_SCALE);
        c.floor_price = PodU64::new(55 * PRICE_SCALE);
        assert_eq!(price_at(&c, 900).unwrap(), 110 * PRICE_SCALE);
        assert_eq!(price_at(&c, 1_000).unwrap(), 110 * PRICE_SCALE);
        assert_eq!(price_at(&c, 1_500).unwrap(), 82_500_000_000);
        assert_eq!(price_at(&c, 1_999).unwrap(), 55_055_000_000);
        assert_eq!(price_at(&c, 2_000).unwrap(), 55 * PRICE_SCALE);
        assert_eq!(price_at(&c, 5_000).unwrap(), 55 * PRICE_SCALE);
    }

    #[test]
    fn the_auction_clock_stands_still_while_the_treasury_is_paused() {
        let mut c = config();
        // Paused 100 s before the auction, which then starts at 1_000 (recording those 100 s).
        c.pause.paused_since = PodI64::new(200);
        c.pause.paused_until = PodI64::new(300);
        c.auction_paused_seconds = PodI64::new(100);
        assert_eq!(clock(&c, 1_500), 1_500);
        // Paused again from 1_500 to 4_000: the clock stays at 1_500, then runs on.
        c.pause.paused_before = PodI64::new(100);
        c.pause.paused_since = PodI64::new(1_500);
        c.pause.paused_until = PodI64::new(4_000);
        assert_eq!(clock(&c, 3_000), 1_500);
        assert_eq!(clock(&c, 4_000), 1_500);
        assert_eq!(clock(&c, 4_200), 1_700);
    }

    /// A config after auction 1 of `lot` from `reference`, with `counted` (quote, media) fills.
    fn after_auction(reference: u64, lot: u64, counted: (u64, u64)) -> TreasuryConfig {
        let mut c = config();
        c.reference_price = PodU64::new(reference);
        c.min_sold_bps = PodU16::new(5_000);
        c.max_step_bps = PodU16::new(2_000);
        c.auction_id = PodU64::new(1);
        c.lot = PodU64::new(lot);
        c.auction_counted_quote = PodU64::new(counted.0);
        c.auction_counted_media = PodU64::new(counted.1);
        c
    }

    #[test]
    fn the_reference_becomes_the_vwap_of_an_auction_that_sold_enough() {
        // Half the lot at 80 and the other half at 120, counted: the VWAP is 100.
        let c = after_auction(50 * PRICE_SCALE, 1_000, (1_000, 100_000));
        assert_eq!(next_reference_price(&c).unwrap(), 100 * PRICE_SCALE);
        // Exactly min_sold_bps of the lot is enough.
        let c = after_auction(50 * PRICE_SCALE, 1_000, (500, 20_000));
        assert_eq!(next_reference_price(&c).unwrap(), 40 * PRICE_SCALE);
    }

    #[test]
    fn an_auction_that_sold_too_little_moves_the_reference_one_step_at_most() {
        let r = 100 * PRICE_SCALE;
        // Nothing counted: down one step.
        let c = after_auction(r, 1_000, (0, 0));
        assert_eq!(next_reference_price(&c).unwrap(), 80 * PRICE_SCALE);
        // A small counted fill far below: down one step only.
        let c = after_auction(r, 1_000, (10, 10));
        assert_eq!(next_reference_price(&c).unwrap(), 80 * PRICE_SCALE);
        // A small counted fill far above: up one step only.
        let c = after_auction(r, 1_000, (10, 10_000));
        assert_eq!(next_reference_price(&c).unwrap(), 120 * PRICE_SCALE);
        // A small counted fill within a step: its price.
        let c = after_auction(r, 1_000, (499, 44_910));
        assert_eq!(next_reference_price(&c).unwrap(), 90 * PRICE_SCALE);
    }

    #[test]
    fn the_reference_stays_when_it_already_accounts_for_the_last_auction() {
        let mut c = after_auction(100 * PRICE_SCALE, 1_000, (0, 0));
        c.reference_auction_id = PodU64::new(1);
        assert_eq!(next_reference_price(&c).unwrap(), 100 * PRICE_SCALE);
        // Before the first auction: the initial price.
        let mut c = config();
        c.reference_price = PodU64::new(7);
        assert_eq!(next_reference_price(&c).unwrap(), 7);
    }

    #[test]
    fn the_reference_stays_within_the_price_bounds() {
        let c = after_auction(1, 1_000, (0, 0));
        assert_eq!(next_reference_price(&c).unwrap(), bounds::PRICE.0);
        let c = after_auction(bounds::PRICE.1, 1_000, (1_000, u64::MAX));
        assert_eq!(next_reference_price(&c).unwrap(), bounds::PRICE.1);
    }

    #[test]
    fn start_and_floor_bracket_the_reference() {
        assert_eq!(
            start_price(100 * PRICE_SCALE, 10_000).unwrap(),
            200 * PRICE_SCALE
        );
        assert_eq!(
            floor_price(100 * PRICE_SCALE, 5_000).unwrap(),
            50 * PRICE_SCALE
        );
        assert_eq!(
            start_price(bounds::PRICE.1, 10_000).unwrap(),
            bounds::PRICE.1
        );
        assert_eq!(floor_price(1, 1_000).unwrap(), 1);
    }

    #[test]
    fn a_fill_counts_from_min_fill_bps_of_the_lot() {
        assert!(at_least_bps(100, 10_000, 100));
        assert!(!at_least_bps(99, 10_000, 100));
        assert!(at_least_bps(u64::MAX, u64::MAX, 10_000));
        assert!(!at_least_bps(u64::MAX - 1, u64::MAX, 10_000));
    }
}
