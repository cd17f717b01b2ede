//! The one place the programs call other programs.
//!
//! pinocchio's checked `invoke_signed` is inlined at every call site and re-checks borrow
//! state per account; with a dozen CPIs per program that alone is kilobytes of code. Every
//! CPI of the suite goes through [`invoke`] instead: one out-of-line copy (SPL Token's
//! three-account calls through `token::invoke_token`, which writes its infos unrolled).
use crate::error::{err, CommonError};
use crate::idl::AccountFlags;
use crate::Address;
use core::mem::MaybeUninit;
use pinocchio::cpi::Signer;
use pinocchio::instruction::{InstructionAccount, InstructionView};
use pinocchio::{AccountView, ProgramResult};

/// Most accounts any CPI of the suite passes.
pub const MAX_CPI_ACCOUNTS: usize = 8;

/// An account as `sol_invoke_signed_c` reads it (`SolAccountInfo`): pointers into the
/// account's serialized input, its data length, and its three flags.
///
/// pinocchio's `CpiAccount` is the same layout, built field by field with each flag read and
/// normalized to a `bool` on its own; here the three flags, which the input stores as
/// consecutive 0/1 bytes in the same order, move as one word with the padding after them.
#[repr(C)]
struct AccountInfo {
    key: *const Address,
    lamports: *const u64,
    data_len: u64,
    data: *const u8,
    owner: *const Address,
    rent_epoch: u64,
    /// `is_signer`, `is_writable` and `executable` (one byte each), then zero bytes: the
    /// struct's padding, written with the flags as one word.
    flags: u64,
}

impl AccountInfo {
    #[inline(always)]
    fn of(account: &AccountView) -> Self {
        let raw = account.account_ptr();
        // SAFETY: `raw` is the account's serialized header, valid while `account` is. Its
        // first four bytes are the borrow state and the signer, writable and executable flags
        // (0 or 1 each): shifted right by a byte, the flags land in `SolAccountInfo`'s order.
        unsafe {
            AccountInfo {
                key: &raw const (*raw).address,
                lamports: &raw const (*raw).lamports,
                data_len: (*raw).data_len,
                data: account.data_ptr(),
                owner: &raw const (*raw).owner,
                rent_epoch: 0,
                flags: u64::from((raw as *const u32).read() >> 8),
            }
        }
    }
}

/// Invokes `instruction` with `accounts` (in the instruction's account order), `pda_signer`
/// signing for one PDA if given.
///
/// Callers hold no `Ref`/`RefMut` of these accounts' data across the call: every processor
/// finishes reading and writing its own state before it makes a CPI, or scopes the borrow.
#[inline(never)]
pub fn invoke(
    instruction: &InstructionView,
    accounts: &[&AccountView],
    pda_signer: Option<&Signer>,
) -> ProgramResult {
    if accounts.len() > MAX_CPI_ACCOUNTS {
        return err(CommonError::InvalidInstructionData);
    }
    let mut infos = [const { MaybeUninit::<AccountInfo>::uninit() }; MAX_CPI_ACCOUNTS];
    write_infos(&mut infos, accounts);
    invoke_signed(instruction, &infos[..accounts.len()], pda_signer);
    Ok(())
}

/// [`invoke`] for exactly `N` accounts, inlined into its caller: the infos written unrolled.
#[inline(always)]
pub(crate) fn invoke_fixed<const N: usize>(
    instruction: &InstructionView,
    accounts: &[&AccountView; N],
    pda_signer: Option<&Signer>,
) {
    let mut infos = [const { MaybeUninit::<AccountInfo>::uninit() }; N];
    write_infos(&mut infos, accounts);
    invoke_signed(instruction, &infos, pda_signer);
}

/// Writes the first `accounts.len()` of `infos` (as many as there are, at most).
#[inline(always)]
fn write_infos(infos: &mut [MaybeUninit<AccountInfo>], accounts: &[&AccountView]) {
    for (info, account) in infos.iter_mut().zip(accounts) {
        info.write(AccountInfo::of(account));
    }
}

/// `sol_invoke_signed_c` with written account infos, `pda_signer` signing if given.
#[inline(always)]
fn invoke_signed(
    instruction: &InstructionView,
    infos: &[MaybeUninit<AccountInfo>],
    pda_signer: Option<&Signer>,
) {
    let signers: &[Signer] = match pda_signer {
        Some(signer) => core::slice::from_ref(signer),
        None => &[],
    };
    /// `SolInstruction`: the program id, the account metas and the data.
    #[repr(C)]
    struct CInstruction {
        program_id: *const Address,
        /// `SolAccountMeta`s: pinocchio's `InstructionAccount` has that layout.
        accounts: *const u8,
        accounts_len: u64,
        data: *const u8,
        data_len: u64,
    }
    let c_instruction = CInstruction {
        program_id: instruction.program_id,
        accounts: instruction.accounts.as_ptr() as *const u8,
        accounts_len: instruction.accounts.len() as u64,
        data: instruction.data.as_ptr(),
        data_len: instruction.data.len() as u64,
    };
    // SAFETY: every info was written by `invoke`; the instruction, its metas (pinocchio's
    // `InstructionAccount` is `SolAccountMeta`), its data and the signers' seeds outlive the
    // call. No caller holds a borrow of these accounts' data across the call (see `invoke`),
    // so the callee's writes alias nothing we read. The runtime checks that the infos match
    // the instruction's accounts and that no privilege is escalated, and aborts the
    // transaction if the callee fails.
    unsafe {
        crate::syscalls::sol_invoke_signed_c(
            &c_instruction as *const CInstruction as *const u8,
            infos.as_ptr() as *const u8,
            infos.len() as u64,
            signers.as_ptr() as *const u8,
            signers.len() as u64,
        );
    }
}

/// A call of another program's instruction as the callee's interface crate declares it
/// (`instruction_def!` generates the builder, `<instruction>::cpi`): the callee's id, the
/// instruction's account flags and data, and the caller's accounts.
pub struct DeclaredCall<'a, const N: usize, const L: usize> {
    pub program_id: &'a Address,
    pub flags: &'a [AccountFlags; N],
    pub accounts: [&'a AccountView; N],
    /// The discriminator, then the arguments' Borsh encoding.
    pub data: [u8; L],
}

impl<const N: usize, const L: usize> DeclaredCall<'_, N, L> {
    /// Invokes the instruction, `pda_signer` signing for one PDA among the accounts if given.
    #[inline(always)]
    pub fn invoke(&self, pda_signer: Option<&Signer>) -> ProgramResult {
        let mut metas = [const { MaybeUninit::<InstructionAccount>::uninit() }; N];
        for ((meta, account), flags) in metas.iter_mut().zip(self.accounts).zip(self.flags) {
            meta.write(InstructionAccount::new(
                account.address(),
                flags.writable,
                flags.signer,
            ));
        }
        // SAFETY: the loop above wrote all `N` metas (the three arrays have `N` elements).
        let metas =
            unsafe { core::slice::from_raw_parts(metas.as_ptr() as *const InstructionAccount, N) };
        let instruction = InstructionView {
            program_id: self.program_id,
            data: &self.data,
            accounts: metas,
        };
        invoke(&instruction, &self.accounts, pda_signer)
    }
}
