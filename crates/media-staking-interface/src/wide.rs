//! `media_core::math`'s products for the staking program, with the 128-bit part out of line:
//! each inlined 64×64→128 multiply is about 270 bytes of BPF, and here the wide path is the
//! rare one. What the program multiplies nearly always fits 64 bits (a delegation cap, basis
//! points, seconds or an emission rate times an amount), and such a product is one native
//! multiply after a one-division test ([`fitting_product`]).
use media_core::{math, ProgramError};

/// `a * b` if `a < floor(2^64 / b)`, which every product below 2^64 but those of the one
/// largest `a` per `b` meets; `None` otherwise (the caller's exact path then decides). A
/// native division is one instruction, so the test is a division and a compare; the 32-bit
/// partial products it replaces took about fourteen, with two values spilled to the stack in
/// `stream`. The bound is `(2^64 - b) / b = floor(2^64 / b) - 1`, not `u64::MAX / b`: LLVM
/// reads the latter as a multiply-overflow test and lowers it to a 128-bit product, which the
/// BPF backend has no builtin for.
#[inline(always)]
fn fitting_product(a: u64, b: u64) -> Option<u64> {
    match 0u64.wrapping_sub(b).checked_div(b) {
        Some(below) if a <= below => Some(a.wrapping_mul(b)),
        _ => None,
    }
}

/// `a * b`, failing on overflow ([`math::mul`]): one inlined native multiply when both
/// factors are below 2^32 (the emission schedule's), otherwise out of line, where a product
/// that fits still avoids the wide one.
#[inline(always)]
pub fn mul(a: u64, b: u64) -> Result<u64, ProgramError> {
    if (a | b) >> 32 == 0 {
        return Ok(a.wrapping_mul(b));
    }
    mul_out_of_line(a, b)
}

#[inline(never)]
fn mul_out_of_line(a: u64, b: u64) -> Result<u64, ProgramError> {
    match fitting_product(a, b) {
        Some(product) => Ok(product),
        None => math::mul(a, b),
    }
}

/// `a * b / divisor`, rounded down, failing on a zero divisor or a quotient beyond 64 bits
/// ([`math::mul_div`]): one native division when the product fits 64 bits
/// ([`native_mul_div`]), otherwise the wide product and division, out of line.
#[inline(always)]
pub fn mul_div(a: u64, b: u64, divisor: u64) -> Result<u64, ProgramError> {
    match native_mul_div(a, b, divisor) {
        Some(quotient) => Ok(quotient),
        None => wide_mul_div(a, b, divisor),
    }
}

/// `a * b / divisor` in native steps when `a * b` fits ([`fitting_product`]) and `divisor`
/// is not zero; `None` otherwise, for the caller's wide path ([`wide_mul_div`]), which gives
/// the same quotient or the refusal. A caller that matches on it with `?` on the wide arm
/// only keeps the native quotient in a register: through [`mul_div`]'s `Result` LLVM stored it
/// on the stack to merge it with the wide path's answer.
#[inline(always)]
pub fn native_mul_div(a: u64, b: u64, divisor: u64) -> Option<u64> {
    fitting_product(a, b)?.checked_div(divisor)
}

/// [`math::mul_div`] out of line: for callers whose product rarely fits 64 bits, and the wide
/// arm of [`mul_div`] and [`native_mul_div`]'s callers.
#[inline(never)]
pub fn wide_mul_div(a: u64, b: u64, divisor: u64) -> Result<u64, ProgramError> {
    math::mul_div(a, b, divisor)
}
