//! `media_core::math`'s wide products for the staking program, with the 128-bit part out of
//! line: each inlined 64×64→128 multiply is about 270 bytes of BPF, and in the staking
//! program the wide path is the rare one (schedule and cap factors fit 32 bits; the reward
//! accumulators use `rewards`' decimal long arithmetic).
use media_core::{math, ProgramError};

/// `a * b`, failing on overflow ([`math::mul`]): two factors below 2^32 take one inlined
/// native multiply, others the wide product, out of line.
#[inline(always)]
pub fn mul(a: u64, b: u64) -> Result<u64, ProgramError> {
    if (a | b) >> 32 == 0 {
        return Ok(a.wrapping_mul(b));
    }
    wide_mul(a, b)
}

#[inline(never)]
fn wide_mul(a: u64, b: u64) -> Result<u64, ProgramError> {
    math::mul(a, b)
}

/// `a * b / divisor`, rounded down ([`math::mul_div`]), out of line: one copy for every
/// caller.
#[inline(never)]
pub fn mul_div(a: u64, b: u64, divisor: u64) -> Result<u64, ProgramError> {
    math::mul_div(a, b, divisor)
}
