//! SPL Token: reading token accounts and mints in place, and the CPIs the programs make.
//!
//! Only the original SPL Token program is accepted; its id is checked before every CPI and
//! before any token account or mint is trusted, so a fake token program is refused with
//! `InvalidTokenProgram` and a look-alike account with `InvalidTokenAccount`.
use crate::checks::same;
use crate::cpi::invoke;
use crate::error::{err, CommonError};
use pinocchio::cpi::Signer;
use pinocchio::instruction::{InstructionAccount, InstructionView};
use pinocchio::{error::ProgramError, AccountView, Address, ProgramResult};

/// The SPL Token program.
pub const TOKEN_PROGRAM_ID: Address =
    crate::address_from_str("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
/// The Associated Token Account program: the canonical token account of (wallet, mint) is its
/// PDA of `[wallet, token program, mint]`.
pub const ASSOCIATED_TOKEN_PROGRAM_ID: Address =
    crate::address_from_str("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");
/// Size of an SPL token account.
pub const TOKEN_ACCOUNT_LEN: usize = 165;
/// Size of an SPL mint.
pub const MINT_LEN: usize = 82;

const TRANSFER: u8 = 3;
const BURN: u8 = 8;
const CLOSE_ACCOUNT: u8 = 9;
const INITIALIZE_ACCOUNT3: u8 = 18;
const ACCOUNT_STATE_OFFSET: usize = 108;
const ACCOUNT_INITIALIZED: u8 = 1;

/// Requires `account` to be the SPL Token program.
#[inline(always)]
pub fn check_program(account: &AccountView) -> Result<(), ProgramError> {
    crate::checks::address_is(
        account.address(),
        &TOKEN_PROGRAM_ID,
        CommonError::InvalidTokenProgram,
    )
}

const MINT_OFFSET: usize = 0;
const OWNER_OFFSET: usize = 32;
const AMOUNT_OFFSET: usize = 64;
/// `delegate: COption<Pubkey>` and `close_authority: COption<Pubkey>`: a u32 tag (0 = none)
/// followed by the key.
const DELEGATE_OFFSET: usize = 72;
const CLOSE_AUTHORITY_OFFSET: usize = 129;

/// The 32 bytes at `offset` as an address.
#[inline(always)]
fn address_at(data: &[u8], offset: usize) -> &Address {
    // `Address` is `Transmutable` (align 1); the slice is exactly 32 bytes.
    // Offsets are this module's constants, far from `usize::MAX`.
    crate::pod::from_bytes::<Address>(&data[offset..offset.wrapping_add(32)])
        .unwrap_or(&crate::checks::SYSTEM_PROGRAM_ID)
}

/// Requires `account` to be a token account: the token program's, of a token account's
/// length. An account a transfer or burn moves needs no more from its caller (see
/// [`Transfer`]); without this check a forged account, or one of another type, would be
/// refused by the runtime or the token program without a name.
#[inline(always)]
pub fn check_is_account(account: &AccountView) -> Result<(), ProgramError> {
    if !crate::checks::owned_by(account, &TOKEN_PROGRAM_ID)
        || account.data_len() != TOKEN_ACCOUNT_LEN
    {
        return err(CommonError::InvalidTokenAccount);
    }
    Ok(())
}

/// Checks that `account` is an initialized (not frozen) SPL token account of `mint` and,
/// with `owner`, that `owner` owns it. Reads in place: nothing is copied.
#[inline(never)]
pub fn check_account(
    account: &AccountView,
    mint: &Address,
    owner: Option<&Address>,
) -> Result<(), ProgramError> {
    check_is_account(account)?;
    // SAFETY: a shared view of an account owned by the token program. The programs of this
    // suite never borrow token accounts mutably, and no CPI runs while `data` is alive.
    let data = unsafe { account.borrow_unchecked() };
    if data[ACCOUNT_STATE_OFFSET] != ACCOUNT_INITIALIZED {
        return err(CommonError::InvalidTokenAccount);
    }
    if !same(address_at(data, MINT_OFFSET), mint) {
        return err(CommonError::InvalidMint);
    }
    if let Some(owner) = owner {
        if !same(address_at(data, OWNER_OFFSET), owner) {
            return err(CommonError::TokenAccountOwnerMismatch);
        }
    }
    Ok(())
}

/// Requires a token account (already checked with [`check_account`]) to answer to its owner
/// alone: no delegate, who could move its tokens, and no close authority, who could empty it,
/// close it and re-create it at the same address as an account of its own. Apply it wherever
/// a program accepts, once, an account it will pay into or out of on others' behalf from then
/// on (a vault it did not create itself).
#[inline(never)]
pub fn check_owner_only(account: &AccountView) -> Result<(), ProgramError> {
    // SAFETY: as in `check_account`, which the caller has run (owner and length checked).
    let data = unsafe { account.borrow_unchecked() };
    let is_set = |at: usize| {
        data.get(at..at.saturating_add(4))
            .and_then(|tag| tag.first_chunk::<4>())
            .is_none_or(|tag| u32::from_le_bytes(*tag) != 0)
    };
    if is_set(DELEGATE_OFFSET) {
        return err(CommonError::TokenAccountDelegated);
    }
    if is_set(CLOSE_AUTHORITY_OFFSET) {
        return err(CommonError::TokenAccountClosable);
    }
    Ok(())
}

/// Checks a token account of `mint` that `owner` owns: the source of a transfer it signs.
#[inline(always)]
pub fn check_owned_account(
    account: &AccountView,
    mint: &Address,
    owner: &AccountView,
) -> Result<(), ProgramError> {
    check_account(account, mint, Some(owner.address()))
}

/// The balance of a token account already checked with [`check_account`].
#[inline(always)]
pub fn amount(account: &AccountView) -> u64 {
    // SAFETY: as in `check_account`; the caller has checked the account's owner and length.
    let data = unsafe { account.borrow_unchecked() };
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&data[AMOUNT_OFFSET..AMOUNT_OFFSET + 8]);
    u64::from_le_bytes(bytes)
}

/// Requires `account` to be an initialized SPL mint; returns its decimals.
#[inline(always)]
pub fn check_mint(account: &AccountView) -> Result<u8, ProgramError> {
    if !crate::checks::owned_by(account, &TOKEN_PROGRAM_ID) || account.data_len() != MINT_LEN {
        return err(CommonError::InvalidMint);
    }
    // SAFETY: a shared view of a token-program account; nothing borrows it mutably.
    let data = unsafe { account.borrow_unchecked() };
    // Layout: mint_authority COption (36), supply (8), decimals (1), is_initialized (1), ...
    if data[45] != 1 {
        return err(CommonError::InvalidMint);
    }
    Ok(data[44])
}

/// `Transfer` of `amount` from `from` to `to`, authorized by `authority`.
///
/// The token program refuses, with its own named errors (which the SDK names as
/// `MediaTokenError`), a `from` that `authority` may not move (`OwnerMismatch`), accounts of
/// two mints (`MintMismatch`), uninitialized (`UninitializedState`) or frozen (`AccountFrozen`)
/// accounts. Callers do not check those again. They check what would otherwise fail without a
/// name (an account that is not a token account: [`check_is_account`]) and what the token
/// program cannot know, such as which vault is the config's, and that a vault paying out is
/// not also the destination (a transfer to itself succeeds and would count as paid).
///
/// CPI helpers are structs with an `invoke` method rather than functions of many
/// arguments: upstream LLVM's BPF backend passes at most five arguments in registers,
/// and a `ProgramResult` return takes one of them.
pub struct Transfer<'a> {
    pub from: &'a AccountView,
    pub to: &'a AccountView,
    pub authority: &'a AccountView,
    pub amount: u64,
}

impl Transfer<'_> {
    /// Invokes SPL Token; `pda_signer` signs for a PDA authority.
    pub fn invoke(&self, pda_signer: Option<&Signer>) -> ProgramResult {
        let data = amount_data(TRANSFER, self.amount);
        invoke_token(&data, &[self.from, self.to, self.authority], pda_signer)
    }
}

/// An instruction's data: its tag and a `u64` amount.
#[inline(always)]
fn amount_data(tag: u8, amount: u64) -> [u8; 9] {
    let mut data = [0u8; 9];
    data[0] = tag;
    data[1..].copy_from_slice(&amount.to_le_bytes());
    data
}

/// Invokes SPL Token with `data` on `[writable, writable, signer]` accounts: the shape of
/// `Transfer`, `Burn` and `CloseAccount` (source or account, destination or mint, authority).
#[inline(never)]
fn invoke_token(
    data: &[u8],
    accounts: &[&AccountView; 3],
    pda_signer: Option<&Signer>,
) -> ProgramResult {
    let [first, second, authority] = *accounts;
    let metas = [
        InstructionAccount::writable(first.address()),
        InstructionAccount::writable(second.address()),
        InstructionAccount::readonly_signer(authority.address()),
    ];
    let ix = InstructionView {
        program_id: &TOKEN_PROGRAM_ID,
        data,
        accounts: &metas,
    };
    crate::cpi::invoke_fixed(&ix, accounts, pda_signer);
    Ok(())
}

/// `Burn` of `amount` from `account` of `mint`, authorized by `authority`.
pub struct Burn<'a> {
    pub account: &'a AccountView,
    pub mint: &'a AccountView,
    pub authority: &'a AccountView,
    pub amount: u64,
}

impl Burn<'_> {
    /// Invokes SPL Token; `pda_signer` signs for a PDA authority.
    pub fn invoke(&self, pda_signer: Option<&Signer>) -> ProgramResult {
        let data = amount_data(BURN, self.amount);
        invoke_token(
            &data,
            &[self.account, self.mint, self.authority],
            pda_signer,
        )
    }
}

/// `InitializeAccount3`: makes `account` a token account of `mint` owned by `owner`.
pub fn initialize_account(
    account: &AccountView,
    mint: &AccountView,
    owner: &Address,
) -> ProgramResult {
    let mut data = [0u8; 33];
    data[0] = INITIALIZE_ACCOUNT3;
    data[1..].copy_from_slice(owner.as_ref());
    let metas = [
        InstructionAccount::writable(account.address()),
        InstructionAccount::readonly(mint.address()),
    ];
    let ix = InstructionView {
        program_id: &TOKEN_PROGRAM_ID,
        data: &data,
        accounts: &metas,
    };
    invoke(&ix, &[account, mint], None)
}

/// `CloseAccount`: closes the empty `account`, sending its rent to `destination`.
pub struct CloseAccount<'a> {
    pub account: &'a AccountView,
    pub destination: &'a AccountView,
    pub authority: &'a AccountView,
}

impl CloseAccount<'_> {
    /// Invokes SPL Token; `pda_signer` signs for a PDA authority.
    pub fn invoke(&self, pda_signer: Option<&Signer>) -> ProgramResult {
        invoke_token(
            &[CLOSE_ACCOUNT],
            &[self.account, self.destination, self.authority],
            pda_signer,
        )
    }
}
