//! Clock and rent, read through the sysvar syscalls (no sysvar account is passed, so none
//! can be faked).
use crate::error::{err, CommonError};
use crate::math;
#[allow(deprecated)]
use crate::syscalls::{sol_get_clock_sysvar, sol_get_rent_sysvar};
use pinocchio::error::ProgramError;

/// Bytes of account metadata that rent is also charged for.
const ACCOUNT_STORAGE_OVERHEAD: u64 = 128;

/// The cluster's current unix timestamp.
#[inline(always)]
pub fn unix_timestamp() -> Result<i64, ProgramError> {
    // Clock: slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp.
    // Not zeroed first (five stores on every clock read): the syscall writes all of it.
    let mut clock = core::mem::MaybeUninit::<[u64; 5]>::uninit();
    // SAFETY: the syscall writes the 40-byte `Clock` into a 40-byte, 8-aligned buffer.
    #[allow(deprecated)]
    let status = unsafe { sol_get_clock_sysvar(clock.as_mut_ptr() as *mut u8) };
    if status != 0 {
        return err(CommonError::InvalidSysvar);
    }
    // SAFETY: status 0: the syscall wrote the whole `Clock`.
    Ok(unsafe { clock.assume_init_ref() }[4] as i64)
}

/// Lamports that make an account of `data_len` bytes rent-exempt.
#[inline(always)]
pub fn minimum_balance(data_len: usize) -> Result<u64, ProgramError> {
    // Rent: lamports_per_byte_year u64, exemption_threshold f64, burn_percent u8 (+ padding).
    // Not zeroed first, as the clock: the syscall writes all of it.
    let mut rent = core::mem::MaybeUninit::<[u64; 3]>::uninit();
    // SAFETY: the syscall writes the 24-byte `Rent` into a 24-byte, 8-aligned buffer.
    #[allow(deprecated)]
    let status = unsafe { sol_get_rent_sysvar(rent.as_mut_ptr() as *mut u8) };
    if status != 0 {
        return err(CommonError::InvalidSysvar);
    }
    // SAFETY: status 0: the syscall wrote the whole `Rent`.
    let [lamports_per_byte, threshold, _] = *unsafe { rent.assume_init_ref() };
    let bytes = math::add(data_len as u64, ACCOUNT_STORAGE_OVERHEAD)?;
    // Both factors below 2^32 (3,480 lamports a byte-year on every cluster; accounts of at
    // most 10 MiB), so their product fits in 64 bits: one native multiply, and no 128-bit
    // multiply in every program for a rent no cluster charges.
    if (bytes | lamports_per_byte) >> 32 != 0 {
        return err(CommonError::InvalidSysvar);
    }
    let per_year = bytes.wrapping_mul(lamports_per_byte);
    // No floating point on SBPF: the exemption threshold is 2.0 today and 1.0 after SIMD-0194.
    if threshold == 2.0f64.to_bits() {
        math::add(per_year, per_year)
    } else if threshold == 1.0f64.to_bits() {
        Ok(per_year)
    } else {
        err(CommonError::InvalidSysvar)
    }
}
