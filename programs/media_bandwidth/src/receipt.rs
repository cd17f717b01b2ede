//! Receipt verification through the instructions sysvar.
//!
//! The native Ed25519 program checks signatures before any program runs but knows nothing of
//! receipts; this module proves that what it checked is exactly this receipt. The safe
//! pattern: the verify instruction must be the one immediately before this (top-level)
//! settle instruction, and its data must equal, byte for byte outside the signature, the
//! data we rebuild ourselves: one signature, every offset inside that same instruction
//! (index 0xFFFF), the escrow's consumer as public key, and the receipt message. A verify
//! instruction can then serve only the settle instruction right after it, and only for one
//! receipt of one escrow.
use media_bandwidth_interface::error::BandwidthError;
use media_bandwidth_interface::instruction::settle_receipt;
use media_bandwidth_interface::receipt::{
    ED25519_PROGRAM_ID, INSTRUCTIONS_SYSVAR_ID, MESSAGE_LEN, MESSAGE_OFFSET, NONCE_OFFSET,
    PUBLIC_KEY_OFFSET, SIGNATURE_OFFSET, VERIFY_DATA_LEN, VERIFY_HEADER,
};
use media_core::checks;
use media_core::error::{err, CommonError};
use media_core::{AccountView, Address, ProgramError, ProgramResult};

/// What the verified receipt must be.
pub struct ExpectedReceipt<'a> {
    /// The instructions sysvar account passed to the instruction.
    pub sysvar: &'a AccountView,
    /// The escrow's consumer: the only acceptable signer.
    pub consumer: &'a Address,
    /// The message the consumer must have signed.
    pub message: &'a [u8; MESSAGE_LEN],
    /// This program's id and the settle instruction's argument bytes, to recognise the
    /// current instruction as this very settle instruction.
    pub program_id: &'a Address,
    pub args: &'a [u8],
}

/// One instruction as the sysvar serializes it: its program id and data.
struct Serialized<'a> {
    program_id: &'a [u8],
    data: &'a [u8],
}

fn read_u16(data: &[u8], at: usize) -> Option<usize> {
    let bytes = data.get(at..at.saturating_add(2))?;
    Some(u16::from_le_bytes([bytes[0], bytes[1]]) as usize)
}

/// Instruction `index` of the sysvar's serialized list (every read bounds-checked):
/// `u16 count, u16 offsets[count]`, each instruction `u16 n, n × (u8 flags, 32 key),
/// 32 program id, u16 len, data`; the current index is the last u16 of the account.
fn instruction_at(sysvar: &[u8], index: usize) -> Option<Serialized<'_>> {
    if index >= read_u16(sysvar, 0)? {
        return None;
    }
    // index < count <= u16::MAX, so these products and sums are far from overflowing.
    let start = read_u16(sysvar, index.wrapping_mul(2).wrapping_add(2))?;
    let accounts = read_u16(sysvar, start)?;
    let program_at = start
        .saturating_add(2)
        .saturating_add(accounts.wrapping_mul(33));
    let program_id = sysvar.get(program_at..program_at.saturating_add(32))?;
    let len_at = program_at.saturating_add(32);
    let len = read_u16(sysvar, len_at)?;
    let data_at = len_at.saturating_add(2);
    let data = sysvar.get(data_at..data_at.saturating_add(len))?;
    Some(Serialized { program_id, data })
}

#[cold]
#[inline(never)]
fn fail(error: BandwidthError) -> ProgramResult {
    Err(error.into())
}

impl ExpectedReceipt<'_> {
    /// Fails with a named error unless the preceding instruction verified exactly this
    /// receipt's signature by the consumer.
    #[inline(never)]
    pub fn verify(&self) -> ProgramResult {
        if !checks::same(self.sysvar.address(), &INSTRUCTIONS_SYSVAR_ID) {
            return err(CommonError::InvalidSysvar);
        }
        let sysvar = self.sysvar.try_borrow()?;
        let current = match sysvar.len().checked_sub(2) {
            Some(at) => read_u16(&sysvar, at).ok_or_else(invalid_sysvar)?,
            None => return err(CommonError::InvalidSysvar),
        };
        // The current instruction must be this settle instruction itself, not a CPI from
        // another program that sits after the verify instruction.
        let this = instruction_at(&sysvar, current).ok_or_else(invalid_sysvar)?;
        let is_this = checks::same_bytes(this.program_id, self.program_id.as_ref())
            && this.data.len() == 8usize.saturating_add(self.args.len())
            && checks::same_bytes(&this.data[..8], &settle_receipt::DISCRIMINATOR)
            && checks::same_bytes(&this.data[8..], self.args);
        if !is_this {
            return fail(BandwidthError::NotTopLevelInstruction);
        }
        let Some(previous) = current
            .checked_sub(1)
            .and_then(|index| instruction_at(&sysvar, index))
        else {
            return fail(BandwidthError::Ed25519InstructionMissing);
        };
        if !checks::same_bytes(previous.program_id, ED25519_PROGRAM_ID.as_ref()) {
            return fail(BandwidthError::Ed25519InstructionMissing);
        }
        let data = previous.data;
        if data.first() != Some(&1) {
            return fail(BandwidthError::Ed25519SignatureCount);
        }
        if data.len() != VERIFY_DATA_LEN
            || !checks::same_bytes(&data[..PUBLIC_KEY_OFFSET], &VERIFY_HEADER)
        {
            return fail(BandwidthError::Ed25519OffsetsMismatch);
        }
        if !checks::same_bytes(
            &data[PUBLIC_KEY_OFFSET..SIGNATURE_OFFSET],
            self.consumer.as_ref(),
        ) {
            return fail(BandwidthError::ReceiptSignerMismatch);
        }
        if !checks::same_bytes(&data[MESSAGE_OFFSET..], self.message) {
            return message_mismatch(&data[MESSAGE_OFFSET..], self.message);
        }
        Ok(())
    }
}

/// Names a verified message that is not the expected one: the same receipt signed for another
/// lifetime of this escrow address (only the nonce differs: a replay after close and reopen),
/// or any other message.
#[cold]
#[inline(never)]
fn message_mismatch(signed: &[u8], expected: &[u8; MESSAGE_LEN]) -> ProgramResult {
    let nonce_end = NONCE_OFFSET.saturating_add(8);
    let other_lifetime = signed.len() == MESSAGE_LEN
        && checks::same_bytes(&signed[..NONCE_OFFSET], &expected[..NONCE_OFFSET])
        && checks::same_bytes(&signed[nonce_end..], &expected[nonce_end..]);
    fail(if other_lifetime {
        BandwidthError::ReceiptNonceMismatch
    } else {
        BandwidthError::ReceiptMessageMismatch
    })
}

#[cold]
fn invalid_sysvar() -> ProgramError {
    CommonError::InvalidSysvar.into()
}
