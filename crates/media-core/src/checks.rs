//! Account checks the loaders do not cover: signatures, writability, fixed program ids,
//! and distinctness of accounts that play different roles.
use crate::error::{err, CommonError};
use pinocchio::{error::ProgramError, AccountView, Address};

/// The System program's id.
pub const SYSTEM_PROGRAM_ID: Address = Address::new_from_array([0; 32]);

/// Whether two addresses are equal, compared as four 64-bit words.
///
/// `Address`'s derived `==` compares `[u8; 32]` through a `memcmp` call (a syscall on SBF);
/// this is a handful of instructions. Use it for every address comparison.
#[inline(always)]
pub fn same(a: &Address, b: &Address) -> bool {
    pinocchio::address::address_eq(a, b)
}

/// Whether `program` owns `account`, its owner compared as four 64-bit words (pinocchio's
/// `owned_by` compares through `memcmp`).
#[inline(always)]
pub fn owned_by(account: &AccountView, program: &Address) -> bool {
    // SAFETY: the owner is read and compared at once; no reference to it outlives this call,
    // so no owner change (an `assign`) can happen while it is alive.
    same(unsafe { account.owner() }, program)
}

/// Whether two byte strings are equal, compared eight bytes at a time: a slice `==` calls
/// `memcmp` (a syscall on SBF). For the fixed-size fields the programs compare (keys,
/// discriminators, signed messages), where the lengths are constants and the loop unrolls.
#[inline(always)]
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let ((a_words, a_tail), (b_words, b_tail)) = (a.as_chunks::<8>(), b.as_chunks::<8>());
    a_words
        .iter()
        .zip(b_words)
        .all(|(x, y)| u64::from_le_bytes(*x) == u64::from_le_bytes(*y))
        && a_tail.iter().zip(b_tail).all(|(x, y)| x == y)
}

/// Requires `condition`, failing with `error` otherwise.
#[inline(always)]
pub fn require(condition: bool, error: CommonError) -> Result<(), ProgramError> {
    if condition {
        Ok(())
    } else {
        err(error)
    }
}

/// Requires `account` to have signed the transaction.
#[inline(always)]
pub fn signer(account: &AccountView) -> Result<(), ProgramError> {
    require(account.is_signer(), CommonError::MissingSigner)
}

/// Requires `account` to be writable.
#[inline(always)]
pub fn writable(account: &AccountView) -> Result<(), ProgramError> {
    require(account.is_writable(), CommonError::AccountNotWritable)
}

/// Requires `account` to be a writable signer.
#[inline(always)]
pub fn writable_signer(account: &AccountView) -> Result<(), ProgramError> {
    signer(account)?;
    writable(account)
}

/// Requires `account` to be the System program.
#[inline(always)]
pub fn system_program(account: &AccountView) -> Result<(), ProgramError> {
    address_is(
        account.address(),
        &SYSTEM_PROGRAM_ID,
        CommonError::InvalidSystemProgram,
    )
}

/// Requires two accounts that play different roles to be different accounts.
#[inline(always)]
pub fn distinct(a: &AccountView, b: &AccountView) -> Result<(), ProgramError> {
    require(
        !same(a.address(), b.address()),
        CommonError::DuplicateAccount,
    )
}

/// Requires `actual` to be `expected`, failing with `error` otherwise.
#[inline(always)]
pub fn address_is(
    actual: &Address,
    expected: &Address,
    error: CommonError,
) -> Result<(), ProgramError> {
    require(same(actual, expected), error)
}
