//! `media_core::math`'s products for the staking program, with the 128-bit part out of line:
//! each inlined 64×64→128 multiply is about 270 bytes of BPF, and here the wide path is the
//! rare one. What the program multiplies nearly always has one factor below 2^32 (a delegation
//! cap, basis points, seconds, an emission rate), and such a product, when it fits 64 bits,
//! takes two native multiplies inline.
use media_core::math::CheckedSum;
use media_core::{math, ProgramError};

const LOW_32: u64 = 0xffff_ffff;

/// `a * b` if `b < 2^32` and the product fits 64 bits: `(a_hi * b) << 32 + a_lo * b`, each
/// partial product of two 32-bit factors fitting 64 bits. `None` otherwise.
#[inline(always)]
fn by_small(a: u64, b: u64) -> Option<u64> {
    if b >> 32 != 0 {
        return None;
    }
    let high = (a >> 32).wrapping_mul(b);
    if high >> 32 != 0 {
        return None;
    }
    // `checked_sum`, not `checked_add`: the overflow flag of the latter went through three
    // stack slots here (19 instructions in `stream`'s product; the compare form is four).
    (high << 32).checked_sum((a & LOW_32).wrapping_mul(b))
}

/// `a * b`, failing on overflow ([`math::mul`]): one inlined native multiply when both
/// factors are below 2^32 (the emission schedule's), otherwise out of line, where a `b` below
/// 2^32 still avoids the wide product.
#[inline(always)]
pub fn mul(a: u64, b: u64) -> Result<u64, ProgramError> {
    if (a | b) >> 32 == 0 {
        return Ok(a.wrapping_mul(b));
    }
    mul_out_of_line(a, b)
}

#[inline(never)]
fn mul_out_of_line(a: u64, b: u64) -> Result<u64, ProgramError> {
    match by_small(a, b) {
        Some(product) => Ok(product),
        None => math::mul(a, b),
    }
}

/// `a * b / divisor`, rounded down, failing on a zero divisor or a quotient beyond 64 bits
/// ([`math::mul_div`]): one native division when `b` is below 2^32 and the product fits,
/// otherwise the wide product and division, out of line.
#[inline(always)]
pub fn mul_div(a: u64, b: u64, divisor: u64) -> Result<u64, ProgramError> {
    match by_small(a, b) {
        Some(product) => product
            .checked_div(divisor)
            .ok_or_else(|| media_core::error::CommonError::ArithmeticOverflow.into()),
        None => wide_mul_div(a, b, divisor),
    }
}

/// [`math::mul_div`] out of line, for callers whose `b` is never below 2^32.
#[inline(never)]
pub fn wide_mul_div(a: u64, b: u64, divisor: u64) -> Result<u64, ProgramError> {
    math::mul_div(a, b, divisor)
}
