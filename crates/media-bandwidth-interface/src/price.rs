//! The price rule of a settlement: pure arithmetic, unit-tested on the host and mirrored by
//! the SDK (`minimumAmount` in `sdk/src/bandwidth.ts`), so clients sign receipts that settle.
//!
//! An escrow records its provider's price per GiB for its mint when it opens
//! ([`crate::state::Escrow::price_per_gib`]); every settlement must pay at least
//! `ceil(bytes * price_per_gib / GiB)` for the bytes it adds. Served bytes therefore cost
//! their listed price: they cannot be inflated for free.
use crate::error::BandwidthError;
use crate::GIB;
use media_core::{math, ProgramError};

/// `log2(GIB)`: dividing by a GiB is a shift.
const GIB_SHIFT: u32 = GIB.trailing_zeros();
/// Where the high word's bits land in the quotient.
const HIGH_SHIFT: u32 = u64::BITS.wrapping_sub(GIB_SHIFT);
/// The bits a division by a GiB drops.
const BELOW_GIB: u64 = GIB.wrapping_sub(1);

/// The least amount that pays for `bytes` at `price_per_gib`: `ceil(bytes * price / 2^30)`,
/// with a 128-bit product. `None` when it exceeds `u64::MAX` (no amount pays for it).
#[inline(never)]
pub fn minimum_amount(bytes: u64, price_per_gib: u64) -> Option<u64> {
    let (high, low) = math::mul_wide(bytes, price_per_gib);
    // The quotient `(high·2^64 + low) >> 30` fits in 64 bits iff `high < 2^30`.
    // (Shifts by constants below 64: `wrapping_*` only spells out that they cannot overflow.)
    if high.wrapping_shr(GIB_SHIFT) != 0 {
        return None;
    }
    let quotient = high.wrapping_shl(HIGH_SHIFT) | low.wrapping_shr(GIB_SHIFT);
    let exact = low & BELOW_GIB == 0;
    if exact {
        Some(quotient)
    } else {
        quotient.checked_add(1)
    }
}

/// Requires `amount` to pay for `bytes` at `price_per_gib` (see [`minimum_amount`]).
#[inline(never)]
pub fn require_price_met(bytes: u64, amount: u64, price_per_gib: u64) -> Result<(), ProgramError> {
    match minimum_amount(bytes, price_per_gib) {
        Some(minimum) if amount >= minimum => Ok(()),
        _ => Err(BandwidthError::Underpriced.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::arithmetic_side_effects)] // the host's u128: a u64 product cannot overflow it
    fn native(bytes: u64, price: u64) -> Option<u64> {
        let product = bytes as u128 * price as u128;
        u64::try_from(product.div_ceil(GIB as u128)).ok()
    }

    #[test]
    fn rounds_up_to_the_base_unit() {
        assert_eq!(minimum_amount(0, 10_000_000), Some(0));
        assert_eq!(minimum_amount(1, 1), Some(1));
        assert_eq!(minimum_amount(GIB, 1), Some(1));
        assert_eq!(minimum_amount(GIB + 1, 1), Some(2));
        assert_eq!(minimum_amount(GIB, 100_000), Some(100_000));
        assert_eq!(minimum_amount(GIB / 2, 100_001), Some(50_001));
        // The case: 100 GiB at 10 MEDIA/GiB costs 1,000 MEDIA, not 1 base unit.
        assert_eq!(minimum_amount(100 * GIB, 10_000_000), Some(1_000_000_000));
        assert!(require_price_met(100 * GIB, 1, 10_000_000).is_err());
        assert!(require_price_met(100 * GIB, 1_000_000_000, 10_000_000).is_ok());
        assert!(require_price_met(100 * GIB, 999_999_999, 10_000_000).is_err());
    }

    #[test]
    fn matches_native_arithmetic_and_refuses_what_no_amount_pays() {
        let values = [
            0u64,
            1,
            2,
            GIB - 1,
            GIB,
            GIB + 1,
            1 << 34,
            123_456_789,
            1_000_000_000_000,
            u64::MAX / 3,
            u64::MAX - 1,
            u64::MAX,
        ];
        for bytes in values {
            for price in values {
                assert_eq!(
                    minimum_amount(bytes, price),
                    native(bytes, price),
                    "{bytes} at {price}"
                );
                let met = require_price_met(bytes, u64::MAX, price).is_ok();
                assert_eq!(met, native(bytes, price).is_some());
            }
        }
        // The largest price (bounds::PRICE_PER_GIB) on the most bytes: beyond u64, refused.
        assert_eq!(minimum_amount(u64::MAX, 1_000_000_000_000), None);
        assert_eq!(
            require_price_met(u64::MAX, u64::MAX, 1_000_000_000_000),
            Err(BandwidthError::Underpriced.into())
        );
    }
}
