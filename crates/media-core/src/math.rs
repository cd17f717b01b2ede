//! Overflow-checked arithmetic that fails with `ArithmeticOverflow` instead of panicking.
//!
//! Upstream LLVM's BPF backend cannot call compiler-rt's 128-bit multiply and divide
//! (`__multi3`, `__udivti3`), so wide products and quotients are built here from 64-bit
//! operations: a 64×64→128 multiply from 32-bit halves and a 128÷64 division after
//! Hacker's Delight's `divlu` (normalize, then two 32-bit quotient digits).
//!
//! Most products the programs divide fit in 64 bits (amounts times basis points, times
//! seconds), so the division first tries one native 64-bit `div` (a few CU instead of the
//! ~110 CU of the long division), and the checked multiply of two 32-bit factors is one `mul`.
use crate::error::CommonError;
use pinocchio::error::ProgramError;

#[cold]
#[inline(never)]
fn overflow() -> ProgramError {
    CommonError::ArithmeticOverflow.into()
}

/// Checked addition written as the BPF backend compiles it best.
///
/// `checked_add` becomes LLVM's `uadd.with.overflow`, which the BPF backend materializes as a
/// 0/1 flag and then tests (seven instructions for a `u64`); comparing the addend with the
/// room left (`b > !a`, i.e. `b > MAX - a`) is one compare before the add (four). Signed sums
/// overflow exactly when both operands' signs differ from the sum's. Same results as
/// `checked_add` for every input (host property tests).
pub trait CheckedSum: Sized {
    /// `Some(self + other)`, `None` on overflow.
    fn checked_sum(self, other: Self) -> Option<Self>;
}

macro_rules! unsigned_sum {
    ($($int:ty),*) => {$(
        impl CheckedSum for $int {
            #[inline(always)]
            fn checked_sum(self, other: Self) -> Option<Self> {
                if other > !self {
                    None
                } else {
                    Some(self.wrapping_add(other))
                }
            }
        }
    )*};
}
unsigned_sum!(u16, u32, u64);

/// `u128` keeps `checked_add`: the compare with the room left is four 64-bit compares there,
/// more than the carry test the backend makes of the 128-bit add.
impl CheckedSum for u128 {
    #[inline(always)]
    fn checked_sum(self, other: Self) -> Option<Self> {
        self.checked_add(other)
    }
}

impl CheckedSum for i64 {
    #[inline(always)]
    fn checked_sum(self, other: Self) -> Option<Self> {
        let sum = self.wrapping_add(other);
        if (self ^ sum) & (other ^ sum) < 0 {
            None
        } else {
            Some(sum)
        }
    }
}

/// `a + b`
#[inline(always)]
pub fn add(a: u64, b: u64) -> Result<u64, ProgramError> {
    match a.checked_sum(b) {
        Some(sum) => Ok(sum),
        None => Err(overflow()),
    }
}

/// `a - b`
#[inline(always)]
pub fn sub(a: u64, b: u64) -> Result<u64, ProgramError> {
    a.checked_sub(b).ok_or_else(overflow)
}

/// `a + b` for signed timestamps.
#[inline(always)]
pub fn add_i64(a: i64, b: i64) -> Result<i64, ProgramError> {
    match a.checked_sum(b) {
        Some(sum) => Ok(sum),
        None => Err(overflow()),
    }
}

const LOW_32: u64 = 0xffff_ffff;

/// The full 128-bit product of `a` and `b`, as (high, low) 64-bit words.
#[allow(clippy::arithmetic_side_effects)] // every partial product of 32-bit halves fits in 64 bits
pub const fn mul_wide(a: u64, b: u64) -> (u64, u64) {
    let (a_hi, a_lo) = (a >> 32, a & LOW_32);
    let (b_hi, b_lo) = (b >> 32, b & LOW_32);
    // `wrapping_mul` because each product of 32-bit halves fits in 64 bits, and an
    // overflow-checked `*` would itself need the 128-bit builtin on BPF.
    let lo_lo = a_lo.wrapping_mul(b_lo);
    let hi_lo = a_hi.wrapping_mul(b_lo);
    let lo_hi = a_lo.wrapping_mul(b_hi);
    let hi_hi = a_hi.wrapping_mul(b_hi);
    // Middle column: at most 3 × (2^32 - 1) < 2^64.
    let middle = (lo_lo >> 32) + (hi_lo & LOW_32) + (lo_hi & LOW_32);
    let low = (middle << 32) | (lo_lo & LOW_32);
    let high = hi_hi + (hi_lo >> 32) + (lo_hi >> 32) + (middle >> 32);
    (high, low)
}

/// `(high·2^64 + low) / divisor` when the quotient fits in 64 bits (`high < divisor`).
#[allow(clippy::arithmetic_side_effects)] // bounds argued inline, after Hacker's Delight divlu
pub const fn div_wide(high: u64, low: u64, divisor: u64) -> Option<u64> {
    if divisor == 0 || high >= divisor {
        return None;
    }
    if high == 0 {
        return Some(low / divisor);
    }
    const BASE: u64 = 1 << 32;
    // Normalize so the divisor's top bit is set; the shifted-out bits of `high` are zero
    // because high < divisor.
    let shift = divisor.leading_zeros();
    let divisor = divisor << shift;
    let (d_hi, d_lo) = (divisor >> 32, divisor & LOW_32);
    let top = if shift == 0 {
        high
    } else {
        (high << shift) | (low >> (64 - shift))
    };
    let rest = low << shift;
    let (rest_hi, rest_lo) = (rest >> 32, rest & LOW_32);

    // First quotient digit: estimate from the top word, then correct at most twice.
    let mut q1 = top / d_hi;
    let mut rem = top - q1.wrapping_mul(d_hi); // q1 * d_hi <= top; rem < d_hi < BASE
    while q1 >= BASE || q1.wrapping_mul(d_lo) > (rem << 32) + rest_hi {
        q1 -= 1;
        rem += d_hi;
        if rem >= BASE {
            break;
        }
    }
    // Partial remainder, exact modulo 2^64 (it is below the divisor).
    let middle = (top << 32)
        .wrapping_add(rest_hi)
        .wrapping_sub(q1.wrapping_mul(divisor));

    let mut q0 = middle / d_hi;
    let mut rem = middle - q0.wrapping_mul(d_hi);
    while q0 >= BASE || q0.wrapping_mul(d_lo) > (rem << 32) + rest_lo {
        q0 -= 1;
        rem += d_hi;
        if rem >= BASE {
            break;
        }
    }
    Some((q1 << 32) | q0)
}

/// The 128-bit product of `a` and `b` when `b < 2^32`: two native multiplies instead of
/// [`mul_wide`]'s four and its column sums.
#[allow(clippy::arithmetic_side_effects)] // (a >> 32) * b and (a & LOW_32) * b fit in 64 bits
#[inline(always)]
const fn mul_by_u32(a: u64, b: u64) -> (u64, u64) {
    let upper = (a >> 32).wrapping_mul(b);
    let lower = (a & LOW_32).wrapping_mul(b);
    let low = (upper << 32).wrapping_add(lower);
    // The product is below 2^96, so the high word is `upper`'s top half plus the carry.
    ((upper >> 32) + (low < lower) as u64, low)
}

/// `a * b / divisor`, rounded down, with a 128-bit intermediate; fails if the divisor is
/// zero or the quotient does not fit in 64 bits.
///
/// The width of the factors picks the multiply: both below 2^32 (prices and basis points) is
/// one native `mul`; one below 2^32 (an amount times basis points or seconds) two; only two
/// wide factors take [`mul_wide`]'s four. Inlined: most call sites pass a constant or bounded
/// factor, which folds the choice away (out of line, staking's delegate top-up paid 99 CU
/// more in calls and lost folds).
#[inline(always)]
pub fn mul_div(a: u64, b: u64, divisor: u64) -> Result<u64, ProgramError> {
    let (wide, narrow) = if b >> 32 == 0 { (a, b) } else { (b, a) };
    let (high, low) = if narrow >> 32 != 0 {
        mul_wide(a, b)
    } else if wide >> 32 == 0 {
        (0, wide.wrapping_mul(narrow))
    } else {
        mul_by_u32(wide, narrow)
    };
    div_wide(high, low, divisor).ok_or_else(overflow)
}

/// `a * b`, failing on overflow. (`u64::checked_mul` lowers to a 128-bit multiply builtin,
/// and so does a native multiply checked by dividing back: LLVM recognizes the pattern.)
/// Factors below 2^32 take one native multiply.
#[inline(always)]
pub fn mul(a: u64, b: u64) -> Result<u64, ProgramError> {
    if (a | b) >> 32 == 0 {
        return Ok(a.wrapping_mul(b));
    }
    match mul_wide(a, b) {
        (0, low) => Ok(low),
        _ => Err(overflow()),
    }
}

/// `n / divisor` and `n % divisor` for a 128-bit `n`, by two 128÷64 steps.
#[allow(clippy::arithmetic_side_effects)] // divisor checked non-zero; high % divisor < divisor
pub const fn div_rem_u128(n: u128, divisor: u64) -> Option<(u128, u64)> {
    if divisor == 0 {
        return None;
    }
    let (high, low) = ((n >> 64) as u64, n as u64);
    let (q_high, r_high) = (high / divisor, high % divisor);
    let Some(q_low) = div_wide(r_high, low, divisor) else {
        return None;
    };
    let remainder = low.wrapping_sub(q_low.wrapping_mul(divisor));
    Some((((q_high as u128) << 64) | q_low as u128, remainder))
}

/// `a * b` as a `u128`, without the 128-bit multiply builtin.
#[inline(always)]
pub const fn mul_u128(a: u64, b: u64) -> u128 {
    let (high, low) = mul_wide(a, b);
    ((high as u128) << 64) | low as u128
}
