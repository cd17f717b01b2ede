//! Instruction data and the program entrypoint.
use crate::discriminator::DISCRIMINATOR_LEN;
use crate::error::{err, CommonError};
use crate::pod::{from_bytes, Transmutable};
use pinocchio::error::ProgramError;

/// An instruction discriminator as the `u64` the dispatcher matches on.
pub const fn discriminator_u64(discriminator: [u8; DISCRIMINATOR_LEN]) -> u64 {
    u64::from_le_bytes(discriminator)
}

/// Splits instruction data into its discriminator and argument bytes.
#[inline(always)]
pub fn split_discriminator(data: &[u8]) -> Result<(u64, &[u8]), ProgramError> {
    match data.split_first_chunk::<DISCRIMINATOR_LEN>() {
        Some((disc, args)) => Ok((u64::from_le_bytes(*disc), args)),
        None => err(CommonError::InvalidInstructionData),
    }
}

/// Reads arguments of exactly `size_of::<T>()` bytes: truncated or oversized data fails.
#[inline(always)]
pub fn parse_args<T: Transmutable>(args: &[u8]) -> Result<&T, ProgramError> {
    match from_bytes::<T>(args) {
        Some(args) => Ok(args),
        None => err(CommonError::InvalidInstructionData),
    }
}

/// Requires empty argument bytes (for instructions without arguments).
#[inline(always)]
pub fn no_args(args: &[u8]) -> Result<(), ProgramError> {
    if args.is_empty() {
        Ok(())
    } else {
        err(CommonError::InvalidInstructionData)
    }
}

/// What an instruction processor receives: the program id, the accounts, and the
/// argument bytes that follow the 8-byte discriminator.
///
/// Passed by reference because upstream LLVM's BPF backend takes at most five register
/// arguments, and three slices plus the hidden result pointer would be six.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub program_id: &'a pinocchio::Address,
    pub accounts: &'a [pinocchio::AccountView],
    pub args: &'a [u8],
}

/// Declares the program entrypoint: no heap, `no_std` panics, dispatch of the 8-byte
/// discriminator to `$dispatch(discriminator: u64, ctx: &Context) -> ProgramResult`, and an
/// Anchor-style error log (from `$errors::ALL`) whenever an instruction fails with one of
/// the program's errors.
///
/// `$max_accounts` is the most accounts any instruction of the program reads; pinocchio
/// unrolls deserialization per account, so a tight bound keeps the binary small. Accounts
/// past it are ignored.
#[macro_export]
macro_rules! program_entrypoint {
    ($dispatch:path, $errors:ty, $max_accounts:literal) => {
        /// The program's entrypoint, called by the SBPF loader.
        ///
        /// # Safety
        /// `input` must be the runtime's serialized program input, alive for the whole call.
        #[no_mangle]
        pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 {
            const UNINIT: core::mem::MaybeUninit<$crate::AccountView> =
                core::mem::MaybeUninit::uninit();
            let mut accounts = [UNINIT; $max_accounts];
            // SAFETY: the loader hands us its serialized input; `accounts` has room for
            // `$max_accounts` views and `deserialize` initializes the first `count` of them.
            let (program_id, count, data) = unsafe {
                pinocchio::entrypoint::deserialize::<$max_accounts>(input, &mut accounts)
            };
            // SAFETY: the first `count` views were initialized just above.
            let accounts = unsafe {
                core::slice::from_raw_parts(accounts.as_ptr() as *const $crate::AccountView, count)
            };
            let result = match $crate::ix::split_discriminator(data) {
                Ok((discriminator, args)) => $dispatch(
                    discriminator,
                    &$crate::ix::Context {
                        program_id,
                        accounts,
                        args,
                    },
                ),
                Err(error) => Err(error),
            };
            match result {
                Ok(()) => pinocchio::SUCCESS,
                Err(error) => {
                    $crate::error::log_anchor_error(&error, <$errors>::ALL);
                    error.into()
                }
            }
        }
        pinocchio::no_allocator!();
        pinocchio::nostd_panic_handler!();
    };
}
