//! The rolling quota window and the fee split: pure arithmetic, unit-tested on the host.
use crate::BPS;
use media_core::{math, ProgramError};

/// Bytes still counted `elapsed` seconds after `used` was recorded: the window decays
/// linearly, `used * (window - elapsed) / window` (rounded down), and is empty once a
/// whole window has passed.
#[inline(never)]
pub fn decayed(used: u64, elapsed: i64, window: i64) -> Result<u64, ProgramError> {
    if elapsed <= 0 {
        return Ok(used);
    }
    if elapsed >= window {
        return Ok(0);
    }
    // 0 < elapsed < window, so the remaining time is positive and below the window.
    math::mul_div(used, window.saturating_sub(elapsed) as u64, window as u64)
}

/// A payment split three ways; the parts always sum to the amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Split {
    pub provider: u64,
    pub stakers: u64,
    pub treasury: u64,
}

/// Splits `amount`: `protocol_fee_bps` of it (rounded down) is revenue, the rest the
/// provider's; of MEDIA revenue `staker_share_bps` (rounded down) funds stakers and the rest
/// goes to the treasury; quote revenue goes wholly to the treasury.
#[inline(never)]
pub fn split(
    amount: u64,
    protocol_fee_bps: u16,
    staker_share_bps: u16,
    is_media: bool,
) -> Result<Split, ProgramError> {
    let revenue = math::mul_div(amount, protocol_fee_bps as u64, BPS)?;
    let stakers = if is_media {
        math::mul_div(revenue, staker_share_bps as u64, BPS)?
    } else {
        0
    };
    Ok(Split {
        provider: math::sub(amount, revenue)?,
        stakers,
        treasury: math::sub(revenue, stakers)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decay_is_linear_and_empties_after_a_window() {
        let day = 86_400;
        assert_eq!(decayed(1000, 0, day).unwrap(), 1000);
        assert_eq!(decayed(1000, -5, day).unwrap(), 1000);
        assert_eq!(decayed(1000, day / 2, day).unwrap(), 500);
        assert_eq!(decayed(1001, day / 2, day).unwrap(), 500);
        assert_eq!(decayed(1000, day - 1, day).unwrap(), 0);
        assert_eq!(
            decayed(u64::MAX, 1, day).unwrap(),
            (u64::MAX as u128 * (day as u128 - 1) / day as u128) as u64
        );
        assert_eq!(decayed(1000, day, day).unwrap(), 0);
        assert_eq!(decayed(1000, i64::MAX, day).unwrap(), 0);
    }

    #[test]
    fn split_sums_to_the_amount() {
        for amount in [0u64, 1, 9, 10, 11, 999, 1_000_001, u64::MAX] {
            for (fee, share) in [(1000u16, 5000u16), (0, 0), (5000, 10_000), (333, 7777)] {
                for media in [true, false] {
                    let s = split(amount, fee, share, media).unwrap();
                    assert_eq!(
                        s.provider as u128 + s.stakers as u128 + s.treasury as u128,
                        amount as u128
                    );
                    if !media {
                        assert_eq!(s.stakers, 0);
                    }
                }
            }
        }
        assert_eq!(
            split(1_000_003, 1000, 5000, true).unwrap(),
            Split {
                provider: 900_003,
                stakers: 50_000,
                treasury: 50_000
            }
        );
        assert_eq!(
            split(1_000_003, 1000, 5000, false).unwrap(),
            Split {
                provider: 900_003,
                stakers: 0,
                treasury: 100_000
            }
        );
    }
}
