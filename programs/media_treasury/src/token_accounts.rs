//! Balances of SPL token accounts, read in place: the one place this program reads them.
//!
//! The checks are `media_core::token`'s (owner and length, initialized state, mint, and the
//! token account's owner where it matters, with the same errors); they are done here in
//! place, without copying the account's fields out, because this program's binary and
//! compute budgets are tight. (The shared core gains the same in-place reads upstream; this
//! module can then forward to them.)
use media_core::error::CommonError;
use media_core::pod::from_bytes;
use media_core::token::{TOKEN_ACCOUNT_LEN, TOKEN_PROGRAM_ID};
use media_core::{AccountView, Address, ProgramError};
use pinocchio::address::address_eq;

const MINT: usize = 0;
const OWNER: usize = 32;
const AMOUNT: usize = 64;
const STATE: usize = 108;
const INITIALIZED: u8 = 1;

/// The balance of `account`, an initialized (not frozen) token account of `mint` that
/// `owner` owns if given.
#[inline(never)]
pub fn checked_balance(account: &AccountView, mint: &Address, owner: Option<&Address>) -> Result<u64, ProgramError> {
    if !account.owned_by(&TOKEN_PROGRAM_ID) || account.data_len() != TOKEN_ACCOUNT_LEN {
        return Err(CommonError::InvalidTokenAccount.into());
    }
    // SAFETY: a shared view of a token-program account this program never writes; no
    // mutable borrow of it exists and no CPI runs while `data` is alive.
    let data = unsafe { account.borrow_unchecked() };
    if data[STATE] != INITIALIZED {
        return Err(CommonError::InvalidTokenAccount.into());
    }
    if !address_eq(address_at(data, MINT), mint) {
        return Err(CommonError::InvalidMint.into());
    }
    if let Some(owner) = owner {
        if !address_eq(address_at(data, OWNER), owner) {
            return Err(CommonError::TokenAccountOwnerMismatch.into());
        }
    }
    let mut amount = [0u8; 8];
    amount.copy_from_slice(&data[AMOUNT..AMOUNT + 8]);
    Ok(u64::from_le_bytes(amount))
}

/// The balance of `account`, a token account of `mint`.
#[inline(always)]
pub fn balance(account: &AccountView, mint: &Address) -> Result<u64, ProgramError> {
    checked_balance(account, mint, None)
}

/// The balance of `account`, a token account of `mint` that `owner` owns.
#[inline(always)]
pub fn owned_balance(account: &AccountView, mint: &Address, owner: &AccountView) -> Result<u64, ProgramError> {
    checked_balance(account, mint, Some(owner.address()))
}

/// The 32 bytes at `offset` of a token account (length checked) as an address.
#[inline(always)]
fn address_at(data: &[u8], offset: usize) -> &Address {
    // The slice is exactly 32 bytes, so `from_bytes` always succeeds.
    from_bytes::<Address>(&data[offset..offset + 32]).unwrap_or(&TOKEN_PROGRAM_ID)
}
