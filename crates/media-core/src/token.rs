//! SPL Token: reading token accounts and mints in place, and the CPIs the programs make.
//!
//! Only the original SPL Token program is accepted; its id is checked before every CPI and
//! before any token account or mint is trusted, so a fake token program is refused with
//! `InvalidTokenProgram` and a look-alike account with `InvalidTokenAccount`.
use crate::error::{err, CommonError};
use crate::cpi::invoke;
use pinocchio::cpi::Signer;
use pinocchio::instruction::{InstructionAccount, InstructionView};
use pinocchio::{error::ProgramError, AccountView, Address, ProgramResult};

/// The SPL Token program.
pub const TOKEN_PROGRAM_ID: Address = crate::address_from_str("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
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
    if account.address() == &TOKEN_PROGRAM_ID {
        Ok(())
    } else {
        err(CommonError::InvalidTokenProgram)
    }
}

/// The fields of a token account the programs read.
#[derive(Clone, Copy)]
pub struct TokenAccount {
    pub mint: Address,
    pub owner: Address,
    pub amount: u64,
}

/// Reads an initialized (not frozen) SPL token account of `mint`.
#[inline(never)]
pub fn read_account(account: &AccountView, mint: &Address) -> Result<TokenAccount, ProgramError> {
    if !account.owned_by(&TOKEN_PROGRAM_ID) || account.data_len() != TOKEN_ACCOUNT_LEN {
        return err(CommonError::InvalidTokenAccount);
    }
    let data = account.try_borrow()?;
    if data[ACCOUNT_STATE_OFFSET] != ACCOUNT_INITIALIZED {
        return err(CommonError::InvalidTokenAccount);
    }
    let mut key = [0u8; 32];
    key.copy_from_slice(&data[..32]);
    let account_mint = Address::new_from_array(key);
    if &account_mint != mint {
        return err(CommonError::InvalidMint);
    }
    key.copy_from_slice(&data[32..64]);
    let mut amount = [0u8; 8];
    amount.copy_from_slice(&data[64..72]);
    Ok(TokenAccount { mint: account_mint, owner: Address::new_from_array(key), amount: u64::from_le_bytes(amount) })
}

/// Reads a token account of `mint` that `owner` owns (the source of a transfer it signs).
#[inline(always)]
pub fn read_owned_account(account: &AccountView, mint: &Address, owner: &AccountView) -> Result<TokenAccount, ProgramError> {
    let token_account = read_account(account, mint)?;
    if &token_account.owner != owner.address() {
        return err(CommonError::TokenAccountOwnerMismatch);
    }
    Ok(token_account)
}

/// Requires `account` to be an initialized SPL mint; returns its decimals.
#[inline(always)]
pub fn check_mint(account: &AccountView) -> Result<u8, ProgramError> {
    if !account.owned_by(&TOKEN_PROGRAM_ID) || account.data_len() != MINT_LEN {
        return err(CommonError::InvalidMint);
    }
    let data = account.try_borrow()?;
    // Layout: mint_authority COption (36), supply (8), decimals (1), is_initialized (1), ...
    if data[45] != 1 {
        return err(CommonError::InvalidMint);
    }
    Ok(data[44])
}

/// `Transfer` of `amount` from `from` to `to`, authorized by `authority`.
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
        let mut data = [0u8; 9];
        data[0] = TRANSFER;
        data[1..].copy_from_slice(&self.amount.to_le_bytes());
        let metas = [
            InstructionAccount::writable(self.from.address()),
            InstructionAccount::writable(self.to.address()),
            InstructionAccount::readonly_signer(self.authority.address()),
        ];
        let ix = InstructionView { program_id: &TOKEN_PROGRAM_ID, data: &data, accounts: &metas };
        invoke(&ix, &[self.from, self.to, self.authority], pda_signer)
    }
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
        let mut data = [0u8; 9];
        data[0] = BURN;
        data[1..].copy_from_slice(&self.amount.to_le_bytes());
        let metas = [
            InstructionAccount::writable(self.account.address()),
            InstructionAccount::writable(self.mint.address()),
            InstructionAccount::readonly_signer(self.authority.address()),
        ];
        let ix = InstructionView { program_id: &TOKEN_PROGRAM_ID, data: &data, accounts: &metas };
        invoke(&ix, &[self.account, self.mint, self.authority], pda_signer)
    }
}

/// `InitializeAccount3`: makes `account` a token account of `mint` owned by `owner`.
pub fn initialize_account(account: &AccountView, mint: &AccountView, owner: &Address) -> ProgramResult {
    let mut data = [0u8; 33];
    data[0] = INITIALIZE_ACCOUNT3;
    data[1..].copy_from_slice(owner.as_ref());
    let metas = [InstructionAccount::writable(account.address()), InstructionAccount::readonly(mint.address())];
    let ix = InstructionView { program_id: &TOKEN_PROGRAM_ID, data: &data, accounts: &metas };
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
        let data = [CLOSE_ACCOUNT];
        let metas = [
            InstructionAccount::writable(self.account.address()),
            InstructionAccount::writable(self.destination.address()),
            InstructionAccount::readonly_signer(self.authority.address()),
        ];
        let ix = InstructionView { program_id: &TOKEN_PROGRAM_ID, data: &data, accounts: &metas };
        invoke(&ix, &[self.account, self.destination, self.authority], pda_signer)
    }
}

