//! Clock and rent.
//!
//! An instruction that reads the clock on its usual path takes the Clock sysvar account and
//! reads it in place ([`unix_timestamp_of`], about 20 CU with the account's parsing); the
//! `sol_get_clock_sysvar` syscall costs 140. The syscall ([`unix_timestamp`]) stays for
//! branches few calls take (a pause check on a program that has been paused, a spend that
//! reaches into a running auction's lot), so every other call does not carry an account
//! for them. Rent is read through its syscall: only account creation needs it.
use crate::checks::same;
use crate::error::{err, CommonError};
use crate::math;
#[allow(deprecated)]
use crate::syscalls::{sol_get_clock_sysvar, sol_get_rent_sysvar};
use pinocchio::error::ProgramError;
use pinocchio::sysvars::clock::CLOCK_ID;
use pinocchio::AccountView;

/// Bytes of account metadata that rent is also charged for.
const ACCOUNT_STORAGE_OVERHEAD: u64 = 128;

/// The cluster's current unix timestamp, through the syscall (see the module docs for when).
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

/// The cluster's current unix timestamp, read from `clock`, which must be the Clock sysvar
/// account (`InvalidSysvar` otherwise): only the runtime writes the account at that address.
#[inline(always)]
pub fn unix_timestamp_of(clock: &AccountView) -> Result<i64, ProgramError> {
    match clock_timestamp(clock) {
        NOT_THE_CLOCK => err(CommonError::InvalidSysvar),
        now => Ok(now),
    }
}

/// [`unix_timestamp_of`] with the address compare written into the caller (about 90 bytes):
/// 6 CU less, for the one path whose budget needs it (a staker's claim and withdrawal).
#[inline(always)]
pub fn unix_timestamp_of_inline(clock: &AccountView) -> Result<i64, ProgramError> {
    if !is_clock(clock) {
        return err(CommonError::InvalidSysvar);
    }
    // SAFETY: `clock` is the Clock sysvar account.
    Ok(unsafe { timestamp_in(clock) })
}

/// What [`clock_timestamp`] returns for an account that is not the Clock sysvar: no clock
/// reads it.
const NOT_THE_CLOCK: i64 = i64::MIN;

/// [`unix_timestamp_of`]'s one out-of-line copy (its address compare is about 90 bytes at
/// each of 30 callers), the answer in a register rather than a `Result` through the stack:
/// the timestamp, or [`NOT_THE_CLOCK`] if `clock` is another account.
#[inline(never)]
fn clock_timestamp(clock: &AccountView) -> i64 {
    if !is_clock(clock) {
        return NOT_THE_CLOCK;
    }
    // SAFETY: `clock` is the Clock sysvar account.
    unsafe { timestamp_in(clock) }
}

/// Whether `account` is the Clock sysvar: only the runtime writes the account at its address.
#[inline(always)]
fn is_clock(account: &AccountView) -> bool {
    same(account.address(), &CLOCK_ID)
}

/// The `unix_timestamp` of the Clock sysvar account `clock`.
///
/// # Safety
/// `clock` must be the Clock sysvar ([`is_clock`]), whose data is the 40-byte `Clock`.
#[inline(always)]
unsafe fn timestamp_in(clock: &AccountView) -> i64 {
    // Clock: slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp.
    unsafe { (clock.data_ptr() as *const i64).add(4).read_unaligned() }
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
