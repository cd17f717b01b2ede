//! The receipt a consumer signs and the exact Ed25519 verify instruction that must precede
//! `settle_receipt`.
//!
//! Message (64 bytes): `b"MEDIA-RECEIPT-v1" ‖ escrow (32) ‖ cumulative_bytes u64 LE ‖
//! cumulative_amount u64 LE`.
//!
//! Verify instruction data (176 bytes), as web3.js `Ed25519Program.createInstructionWithPublicKey`
//! lays it out: `num_signatures = 1, padding = 0`, then seven u16 LE: signature offset 48,
//! signature instruction index 0xFFFF, public key offset 16, public key instruction index
//! 0xFFFF, message offset 112, message size 64, message instruction index 0xFFFF; then the
//! public key (16..48), the signature (48..112) and the message (112..176). Index 0xFFFF
//! means "this instruction", so every offset points inside the verify instruction itself.
use media_core::Address;

/// Domain tag that starts every receipt message.
pub const DOMAIN_TAG: [u8; 16] = *b"MEDIA-RECEIPT-v1";
/// Length of a receipt message.
pub const MESSAGE_LEN: usize = 64;
/// The native Ed25519 signature verification program.
pub const ED25519_PROGRAM_ID: Address = media_core::address_from_str("Ed25519SigVerify111111111111111111111111111");
/// The instructions sysvar.
pub const INSTRUCTIONS_SYSVAR_ID: Address = media_core::address_from_str("Sysvar1nstructions1111111111111111111111111");
/// "The instruction that holds these offsets".
pub const CURRENT_INSTRUCTION: u16 = u16::MAX;
/// Offsets inside the verify instruction's data.
pub const PUBLIC_KEY_OFFSET: usize = 16;
pub const SIGNATURE_OFFSET: usize = 48;
pub const MESSAGE_OFFSET: usize = 112;
/// Length of the verify instruction's data.
pub const VERIFY_DATA_LEN: usize = MESSAGE_OFFSET + MESSAGE_LEN;

/// The verify instruction's 16-byte header for one signature over a receipt.
pub const VERIFY_HEADER: [u8; 16] = {
    let fields: [u16; 7] = [
        SIGNATURE_OFFSET as u16,
        CURRENT_INSTRUCTION,
        PUBLIC_KEY_OFFSET as u16,
        CURRENT_INSTRUCTION,
        MESSAGE_OFFSET as u16,
        MESSAGE_LEN as u16,
        CURRENT_INSTRUCTION,
    ];
    let mut header = [0u8; 16];
    header[0] = 1;
    let mut i = 0;
    while i < fields.len() {
        let bytes = fields[i].to_le_bytes();
        header[2 + 2 * i] = bytes[0];
        header[3 + 2 * i] = bytes[1];
        i += 1;
    }
    header
};

/// The message a consumer signs for `escrow` at these cumulative figures.
#[inline(always)]
pub fn message(escrow: &Address, cumulative_bytes: u64, cumulative_amount: u64) -> [u8; MESSAGE_LEN] {
    let mut message = [0u8; MESSAGE_LEN];
    message[..16].copy_from_slice(&DOMAIN_TAG);
    message[16..48].copy_from_slice(escrow.as_ref());
    message[48..56].copy_from_slice(&cumulative_bytes.to_le_bytes());
    message[56..64].copy_from_slice(&cumulative_amount.to_le_bytes());
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_matches_the_web3_layout() {
        assert_eq!(VERIFY_HEADER, [1, 0, 48, 0, 0xff, 0xff, 16, 0, 0xff, 0xff, 112, 0, 64, 0, 0xff, 0xff]);
        assert_eq!(VERIFY_DATA_LEN, 176);
    }

    #[test]
    fn message_layout() {
        let escrow = Address::new_from_array([7; 32]);
        let m = message(&escrow, 0x0102, u64::MAX);
        assert_eq!(&m[..16], b"MEDIA-RECEIPT-v1");
        assert_eq!(&m[16..48], &[7; 32]);
        assert_eq!(&m[48..56], &[2, 1, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&m[56..], &[0xff; 8]);
    }
}
