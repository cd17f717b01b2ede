//! Program-derived addresses without the `create_program_address` (1,500 CU) and
//! `find_program_address` (1,500 CU per bump tried) syscalls.
//!
//! An address is `sha256(seeds ‖ [bump] ‖ program_id ‖ "ProgramDerivedAddress")` that is not
//! an ed25519 point. We hash with `sol_sha256` (~100 CU) and test the curve with
//! `sol_curve_validate_point` (159 CU). Only account creation needs this: creation checks
//! the canonical bump, so each seed set has exactly one account; afterwards the loaders'
//! owner and discriminator checks identify it (see `state`).
use crate::error::{err, CommonError};
use crate::syscalls::{sol_curve_validate_point, sol_sha256};
use pinocchio::{error::ProgramError, Address};

/// The most seeds (before the bump) any MEDIA PDA uses.
pub const MAX_SEEDS: usize = 3;
const PDA_MARKER: &[u8] = b"ProgramDerivedAddress";
const CURVE25519_EDWARDS: u64 = 0;

/// The address for `seeds` and `bump`, without checking that it is off the curve.
#[inline(never)]
pub fn derive_address(seeds: &[&[u8]], bump: u8, program_id: &Address) -> Address {
    let bump_seed = [bump];
    let mut parts: [&[u8]; MAX_SEEDS + 3] = [&[]; MAX_SEEDS + 3];
    let count = seeds.len().min(MAX_SEEDS);
    parts[..count].copy_from_slice(&seeds[..count]);
    // `count <= MAX_SEEDS`, so none of these wraps and every index is inside `parts`.
    let total = count.wrapping_add(3);
    parts[count] = &bump_seed;
    parts[count.wrapping_add(1)] = program_id.as_ref();
    parts[count.wrapping_add(2)] = PDA_MARKER;
    let mut hash = [0u8; 32];
    // SAFETY: `parts[..count + 3]` is an array of `&[u8]`, whose (pointer, length) layout is
    // the `SolBytes` array the syscall reads; `hash` has room for the 32-byte digest.
    unsafe { sol_sha256(parts.as_ptr() as *const u8, total as u64, hash.as_mut_ptr()) };
    Address::new_from_array(hash)
}

/// Whether `address` is a valid ed25519 point (and therefore not a PDA).
#[inline(always)]
fn is_on_curve(address: &Address) -> bool {
    // SAFETY: the syscall reads 32 bytes from the address and writes nothing with a null
    // result pointer; it returns 0 for a valid point.
    unsafe {
        sol_curve_validate_point(
            CURVE25519_EDWARDS,
            address.as_ref().as_ptr(),
            core::ptr::null_mut(),
        ) == 0
    }
}

/// The canonical PDA of `seeds` and its bump, as `find_program_address` returns them. For a
/// program that must know another program's PDA: derive it once (at config initialization)
/// and store it, never on a hot path.
#[inline(never)]
pub fn find_program_address(
    seeds: &[&[u8]],
    program_id: &Address,
) -> Result<(Address, u8), ProgramError> {
    if seeds.len() > MAX_SEEDS {
        return err(CommonError::InvalidPda);
    }
    let mut bump = u8::MAX;
    loop {
        let candidate = derive_address(seeds, bump, program_id);
        if !is_on_curve(&candidate) {
            return Ok((candidate, bump));
        }
        if bump == 0 {
            return err(CommonError::InvalidPda);
        }
        // Non-zero (checked above): cannot wrap.
        bump = bump.wrapping_sub(1);
    }
}

/// The canonical (highest valid) bump for `seeds`, as `find_program_address` would return,
/// checked against the `expected` address. Fails with `InvalidPda` if they differ.
#[inline(never)]
pub fn canonical_bump(
    expected: &Address,
    seeds: &[&[u8]],
    program_id: &Address,
) -> Result<u8, ProgramError> {
    let (address, bump) = find_program_address(seeds, program_id)?;
    if !crate::checks::same(&address, expected) {
        return err(CommonError::InvalidPda);
    }
    Ok(bump)
}
