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
use core::mem::MaybeUninit;
use pinocchio::cpi::{Seed, Signer};
use pinocchio::{error::ProgramError, Address};

/// The most seeds (before the bump) any MEDIA PDA uses.
pub const MAX_SEEDS: usize = 3;
const PDA_MARKER: &[u8] = b"ProgramDerivedAddress";
const CURVE25519_EDWARDS: u64 = 0;

/// A PDA's hash input, `seeds ‖ [bump] ‖ program_id ‖ marker`, as the array of (pointer,
/// length) slices `sol_sha256` reads, built once per search: trying the next bump rewrites
/// one byte. Its first `seeds + 1` slices are also the PDA's signer seeds (`Seed` has the
/// same layout), so the account creation that follows signs with this array as it is.
pub(crate) struct PdaSearch<'a> {
    parts: [Seed<'a>; MAX_SEEDS + 3],
    /// Seeds before the bump (at most `MAX_SEEDS`).
    count: usize,
    /// The canonical bump, once found; the bump slice points at it.
    bump: [u8; 1],
    /// The canonical PDA.
    pub(crate) address: Address,
}

impl<'a> PdaSearch<'a> {
    /// Writes into `search` the search for the canonical PDA of `seeds` under `program_id`
    /// and runs it: the PDA in `address`, the highest bump whose address is off the curve.
    /// `InvalidPda` (and `search` not to be read) for more than `MAX_SEEDS` seeds or if no
    /// bump gives a PDA. The one copy of the search every caller shares; written in place
    /// because returning it by value copies its 150 bytes at every caller.
    #[inline(never)]
    pub(crate) fn run(
        search: &mut MaybeUninit<Self>,
        seeds: &[&'a [u8]],
        program_id: &'a Address,
    ) -> Result<(), ProgramError> {
        let count = seeds.len();
        if count > MAX_SEEDS {
            return err(CommonError::InvalidPda);
        }
        let seed = |index: usize| Seed::from(seeds.get(index).copied().unwrap_or(&[]));
        // Constant indices, no copy loop: a loop over the seeds lowers to a `memcpy` call.
        let search = search.write(Self {
            parts: [
                seed(0),
                seed(1),
                seed(2),
                Seed::from(&[]),
                Seed::from(&[]),
                Seed::from(&[]),
            ],
            count,
            bump: [u8::MAX],
            address: Address::new_from_array([0; 32]),
        });
        // `count <= MAX_SEEDS`: the three slots after the seeds exist and nothing wraps.
        search.parts[count.wrapping_add(1)] = Seed::from(program_id.as_ref());
        search.parts[count.wrapping_add(2)] = Seed::from(PDA_MARKER);
        let total = count.wrapping_add(3) as u64;
        // The bump is read and written only through `bump` from here on, the pointer its slot
        // holds: the slot is written once, and trying the next bump is one store.
        let bump = search.bump.as_mut_ptr();
        // SAFETY: one byte inside `search`, which stays put until `run` returns.
        search.parts[count] = Seed::from(unsafe { core::slice::from_raw_parts(bump, 1) });
        loop {
            let hash: &mut [u8] = search.address.as_mut();
            // SAFETY: `parts[..count + 3]` are (pointer, length) slices, the `SolBytes` layout
            // the syscall reads, valid for this call; `hash` has room for the 32-byte digest.
            unsafe { sol_sha256(search.parts.as_ptr() as *const u8, total, hash.as_mut_ptr()) };
            // SAFETY: the syscall reads the 32 bytes of `hash` and, with a null result
            // pointer, writes nothing; it returns 0 for a valid point.
            let on_curve = unsafe {
                sol_curve_validate_point(CURVE25519_EDWARDS, hash.as_ptr(), core::ptr::null_mut())
            } == 0;
            if !on_curve {
                return Ok(());
            }
            // SAFETY: `bump` points at `search.bump` (above); nothing else accesses it here.
            unsafe {
                if *bump == 0 {
                    return err(CommonError::InvalidPda);
                }
                // Non-zero (checked above): cannot wrap.
                *bump = (*bump).wrapping_sub(1);
            }
        }
    }

    /// [`Self::run`], for a caller that keeps the search on its stack.
    #[inline(always)]
    pub(crate) fn find<'s>(
        search: &'s mut MaybeUninit<Self>,
        seeds: &[&'a [u8]],
        program_id: &'a Address,
    ) -> Result<&'s mut Self, ProgramError> {
        Self::run(search, seeds, program_id)?;
        // SAFETY: `run` returned `Ok`, so it wrote `search`.
        Ok(unsafe { search.assume_init_mut() })
    }

    /// The canonical bump.
    #[inline(always)]
    pub(crate) fn bump(&self) -> u8 {
        self.bump[0]
    }

    /// Points the bump's slot at `self.bump` anew, through this borrow of `self` (the pointer
    /// `run` left there was derived from an earlier one). The slice's lifetime is not tied to
    /// `self`: every caller uses the slot only while it borrows `self`, so the bump neither
    /// moves nor dies meanwhile.
    #[inline(always)]
    fn point_at_bump(&mut self) {
        // SAFETY: one byte at `self.bump`, alive and unmoved while `self` is borrowed (above).
        let bump = unsafe { core::slice::from_raw_parts(self.bump.as_ptr(), 1) };
        self.parts[self.count] = Seed::from(bump);
    }

    /// The signer seeds `seeds ‖ [bump]` of the PDA found.
    #[inline(always)]
    pub(crate) fn signer(&mut self) -> Signer<'_, '_> {
        self.point_at_bump();
        // `count + 1 <= MAX_SEEDS + 1`: inside `parts`.
        Signer::from(&self.parts[..=self.count])
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
    let mut search = MaybeUninit::uninit();
    let search = PdaSearch::find(&mut search, seeds, program_id)?;
    Ok((search.address, search.bump()))
}

/// The canonical (highest valid) bump for `seeds`, as `find_program_address` would return,
/// checked against the `expected` address. Fails with `InvalidPda` if they differ.
#[inline(never)]
pub fn canonical_bump(
    expected: &Address,
    seeds: &[&[u8]],
    program_id: &Address,
) -> Result<u8, ProgramError> {
    let mut search = MaybeUninit::uninit();
    let search = PdaSearch::find(&mut search, seeds, program_id)?;
    if !crate::checks::same(&search.address, expected) {
        return err(CommonError::InvalidPda);
    }
    Ok(search.bump())
}
