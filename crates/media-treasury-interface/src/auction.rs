//! The buyback auction's price curve, as pure functions shared by the program and its tests.
//!
//! A Dutch auction sells quote revenue for MEDIA, which takers burn:
//! - Start price: the first auction starts at `initial_price`. Later auctions start at the
//!   last clearing price (the price of the last fill) plus `premium_bps`, capped at the
//!   price bound. An auction that ended without a single fill hands its floor price on as
//!   the next start price, so the price keeps falling until the market takes it.
//! - Floor: `start_price * floor_bps / BPS`, at least the lowest price bound.
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
/// curve uses it three times and the program's size budget is tight.
#[inline(never)]
fn mul_div(a: u64, b: u64, divisor: u64) -> Result<u64, ProgramError> {
    media_core::math::mul_div(a, b, divisor)
}

/// The start price of the next auction (see the module docs).
pub fn next_start_price(config: &TreasuryConfig) -> Result<u64, ProgramError> {
    if config.auction_id.get() == 0 {
        return Ok(config.initial_price.get());
    }
    if config.auction_media_in.get() == 0 {
        return Ok(config.floor_price.get());
    }
    let premium = BPS
        .checked_add(config.premium_bps.get() as u64)
        .ok_or_else(overflow)?;
    Ok(mul_div(config.last_clearing_price.get(), premium, BPS)?.min(bounds::PRICE.1))
}

/// The floor an auction starting at `start_price` decays to.
pub fn floor_price(start_price: u64, floor_bps: u16) -> Result<u64, ProgramError> {
    Ok(mul_div(start_price, floor_bps as u64, BPS)?.max(bounds::PRICE.0))
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

#[cfg(test)]
mod tests {
    use super::*;
    use media_core::pod::{PodI64, PodU64};

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

    #[test]
    fn start_price_follows_the_last_auction() {
        let mut c = config();
        c.initial_price = PodU64::new(100 * PRICE_SCALE);
        c.premium_bps = media_core::pod::PodU16::new(1_000);
        // First auction: the parameter.
        assert_eq!(next_start_price(&c).unwrap(), 100 * PRICE_SCALE);
        // After a filled auction: clearing price plus 10%.
        c.auction_id = PodU64::new(1);
        c.auction_media_in = PodU64::new(5);
        c.last_clearing_price = PodU64::new(80 * PRICE_SCALE);
        assert_eq!(next_start_price(&c).unwrap(), 88 * PRICE_SCALE);
        // Capped at the price bound.
        c.last_clearing_price = PodU64::new(bounds::PRICE.1);
        assert_eq!(next_start_price(&c).unwrap(), bounds::PRICE.1);
        // After an auction nobody took: its floor.
        c.auction_media_in = PodU64::new(0);
        c.floor_price = PodU64::new(44 * PRICE_SCALE);
        assert_eq!(next_start_price(&c).unwrap(), 44 * PRICE_SCALE);
    }

    #[test]
    fn floor_is_a_fraction_of_the_start_and_never_zero() {
        assert_eq!(
            floor_price(88 * PRICE_SCALE, 5_000).unwrap(),
            44 * PRICE_SCALE
        );
        assert_eq!(floor_price(1, 100).unwrap(), 1);
    }
}
