//! The receipt a consumer signs and the exact Ed25519 verify instruction that must precede
//! `settle_receipt`.
//!
//! Message (72 bytes): `b"MEDIA-RECEIPT-v2" ‖ escrow (32) ‖ nonce u64 LE ‖ cumulative_bytes
//! u64 LE ‖ cumulative_amount u64 LE`. The nonce is the escrow's (`Escrow::nonce`): an escrow
//! closed and reopened at the same address starts a new lifetime with a new nonce, so a
//! receipt signed for an earlier lifetime never verifies again. The tag changed with the
//! layout (v1 had no nonce), so no v1 signature can be read as a v2 receipt.
//!
//! Verify instruction data (184 bytes), as web3.js `Ed25519Program.createInstructionWithPublicKey`
//! lays it out: `num_signatures = 1, padding = 0`, then seven u16 LE: signature offset 48,
//! signature instruction index 0xFFFF, public key offset 16, public key instruction index
//! 0xFFFF, message offset 112, message size 72, message instruction index 0xFFFF; then the
//! public key (16..48), the signature (48..112) and the message (112..184). Index 0xFFFF
//! means "this instruction", so every offset points inside the verify instruction itself.
use media_core::Address;

/// Domain tag that starts every receipt message.
pub const DOMAIN_TAG: [u8; 16] = *b"MEDIA-RECEIPT-v2";
/// Offset of the escrow's nonce in a receipt message.
pub const NONCE_OFFSET: usize = 48;
/// Length of a receipt message.
pub const MESSAGE_LEN: usize = 72;
/// The native Ed25519 signature verification program.
pub const ED25519_PROGRAM_ID: Address =
    media_core::address_from_str("Ed25519SigVerify111111111111111111111111111");
/// The instructions sysvar.
pub const INSTRUCTIONS_SYSVAR_ID: Address =
    media_core::address_from_str("Sysvar1nstructions1111111111111111111111111");
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

/// The message a consumer signs for the lifetime `nonce` of `escrow` at these cumulative
/// figures.
#[inline(always)]
pub fn message(
    escrow: &Address,
    nonce: u64,
    cumulative_bytes: u64,
    cumulative_amount: u64,
) -> [u8; MESSAGE_LEN] {
    let mut message = [0u8; MESSAGE_LEN];
    message[..16].copy_from_slice(&DOMAIN_TAG);
    message[16..NONCE_OFFSET].copy_from_slice(escrow.as_ref());
    message[NONCE_OFFSET..56].copy_from_slice(&nonce.to_le_bytes());
    message[56..64].copy_from_slice(&cumulative_bytes.to_le_bytes());
    message[64..72].copy_from_slice(&cumulative_amount.to_le_bytes());
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_matches_the_web3_layout() {
        assert_eq!(
            VERIFY_HEADER,
            [1, 0, 48, 0, 0xff, 0xff, 16, 0, 0xff, 0xff, 112, 0, 72, 0, 0xff, 0xff]
        );
        assert_eq!(VERIFY_DATA_LEN, 184);
    }

    #[test]
    fn message_layout() {
        let escrow = Address::new_from_array([7; 32]);
        let m = message(&escrow, 0x0a0b, 0x0102, u64::MAX);
        assert_eq!(&m[..16], b"MEDIA-RECEIPT-v2");
        assert_eq!(&m[16..48], &[7; 32]);
        assert_eq!(&m[48..56], &[0x0b, 0x0a, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&m[56..64], &[2, 1, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&m[64..], &[0xff; 8]);
    }

    #[test]
    fn lifetimes_of_one_escrow_sign_different_messages() {
        let escrow = Address::new_from_array([7; 32]);
        assert_ne!(message(&escrow, 0, 1, 1), message(&escrow, 1, 1, 1));
    }
}
