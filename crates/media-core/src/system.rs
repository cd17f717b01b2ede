//! System program CPIs.
use crate::checks::SYSTEM_PROGRAM_ID;
use crate::cpi::invoke;
use crate::math;
use crate::sysvar::minimum_balance;
use pinocchio::cpi::Signer;
use pinocchio::instruction::{InstructionAccount, InstructionView};
use pinocchio::{AccountView, Address, ProgramResult};

const CREATE_ACCOUNT: u32 = 0;
const ASSIGN: u32 = 1;
const TRANSFER: u32 = 2;
const ALLOCATE: u32 = 8;

/// Creates the PDA `account` with `space` bytes owned by `owner`, rent paid by `payer`. Only
/// [`crate::state`]'s creation functions use it, after checking the canonical bump.
///
/// `CreateAccount` refuses an address that already holds lamports, so anyone could block a
/// PDA by sending it dust first. When the account is pre-funded we top it up, allocate and
/// assign instead, which ends in the same state.
pub(crate) struct CreatePdaAccount<'a> {
    pub payer: &'a AccountView,
    pub account: &'a AccountView,
    pub space: usize,
    pub owner: &'a Address,
}

impl CreatePdaAccount<'_> {
    /// Creates the account, `signer` signing for the PDA.
    #[inline(always)]
    pub fn invoke(&self, signer: &Signer) -> ProgramResult {
        let rent = minimum_balance(self.space)?;
        if self.account.lamports() != 0 {
            return self.fund_allocate_assign(rent, signer);
        }
        let mut data = [0u8; 52];
        data[..4].copy_from_slice(&CREATE_ACCOUNT.to_le_bytes());
        data[4..12].copy_from_slice(&rent.to_le_bytes());
        data[12..20].copy_from_slice(&(self.space as u64).to_le_bytes());
        data[20..52].copy_from_slice(self.owner.as_ref());
        let metas = [
            InstructionAccount::writable_signer(self.payer.address()),
            InstructionAccount::writable_signer(self.account.address()),
        ];
        invoke_system(&data, &metas, &[self.payer, self.account], Some(signer))
    }

    /// The pre-funded account's path: tops it up to `rent`, allocates, assigns. Out of line
    /// and cold: only an account someone sent lamports to first takes it.
    #[cold]
    #[inline(never)]
    fn fund_allocate_assign(&self, rent: u64, signer: &Signer) -> ProgramResult {
        let Self {
            payer,
            account,
            space,
            owner,
        } = *self;
        let current = account.lamports();
        if current < rent {
            transfer(payer, account, math::sub(rent, current)?)?;
        }
        let mut allocate = [0u8; 12];
        allocate[..4].copy_from_slice(&ALLOCATE.to_le_bytes());
        allocate[4..].copy_from_slice(&(space as u64).to_le_bytes());
        let account_meta = [InstructionAccount::writable_signer(account.address())];
        invoke_system(&allocate, &account_meta, &[account], Some(signer))?;
        let mut assign = [0u8; 36];
        assign[..4].copy_from_slice(&ASSIGN.to_le_bytes());
        assign[4..].copy_from_slice(owner.as_ref());
        invoke_system(&assign, &account_meta, &[account], Some(signer))
    }
}

/// Moves `lamports` from the signing `from` to `to` (tops up a pre-funded PDA).
fn transfer(from: &AccountView, to: &AccountView, lamports: u64) -> ProgramResult {
    let mut data = [0u8; 12];
    data[..4].copy_from_slice(&TRANSFER.to_le_bytes());
    data[4..].copy_from_slice(&lamports.to_le_bytes());
    let metas = [
        InstructionAccount::writable_signer(from.address()),
        InstructionAccount::writable(to.address()),
    ];
    invoke_system(&data, &metas, &[from, to], None)
}

/// Invokes the System program with `data` on `metas`, `signer` signing for a PDA if given.
#[inline(always)]
fn invoke_system(
    data: &[u8],
    metas: &[InstructionAccount],
    accounts: &[&AccountView],
    signer: Option<&Signer>,
) -> ProgramResult {
    let instruction = InstructionView {
        program_id: &SYSTEM_PROGRAM_ID,
        data,
        accounts: metas,
    };
    invoke(&instruction, accounts, signer)
}
