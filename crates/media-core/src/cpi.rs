//! The one place the programs call other programs.
//!
//! pinocchio's checked `invoke_signed` is inlined at every call site and re-checks borrow
//! state per account; with a dozen CPIs per program that alone is kilobytes of code. Every
//! CPI of the suite goes through [`invoke`] instead: one out-of-line copy.
use crate::error::{err, CommonError};
use crate::idl::AccountFlags;
use crate::Address;
use core::mem::MaybeUninit;
use pinocchio::cpi::{invoke_signed_unchecked, CpiAccount, Signer};
use pinocchio::instruction::{InstructionAccount, InstructionView};
use pinocchio::{AccountView, ProgramResult};

/// Most accounts any CPI of the suite passes.
pub const MAX_CPI_ACCOUNTS: usize = 8;

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
    let mut infos = [const { MaybeUninit::<CpiAccount>::uninit() }; MAX_CPI_ACCOUNTS];
    for (info, account) in infos.iter_mut().zip(accounts) {
        info.write(CpiAccount::from(*account));
    }
    let signers: &[Signer] = match pda_signer {
        Some(signer) => core::slice::from_ref(signer),
        None => &[],
    };
    // SAFETY: the first `accounts.len()` infos were written above. No caller holds a borrow
    // of these accounts' data across the call (see above), so the callee's writes alias
    // nothing we read. The runtime itself checks that the infos match the instruction's
    // accounts and that no privilege is escalated, and aborts the transaction if the
    // callee fails.
    unsafe {
        let infos =
            core::slice::from_raw_parts(infos.as_ptr() as *const CpiAccount, accounts.len());
        invoke_signed_unchecked(instruction, infos, signers);
    }
    Ok(())
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
