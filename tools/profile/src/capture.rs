//! The scenario `scripts/profile.ts` captures from the bench: one instruction, the accounts as
//! they were just before it, the sysvars it may read, and what each program it invoked
//! consumed according to the bank's logs.

use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Capture {
    /// The bench's own figures for the instruction, which the replay must reproduce.
    pub bench: BenchFigures,
    pub program_id: String,
    /// The deployed binary (its CU is the one that counts) and the debug-info build of the same
    /// code (for names and lines).
    pub elf: String,
    pub debug_elf: Option<String>,
    pub instruction: Instruction,
    /// Accounts before the transaction, by base58 address; hex data.
    pub accounts: HashMap<String, Account>,
    /// Accounts after the transaction: the state a callee the profiler does not emulate left.
    pub accounts_after: HashMap<String, Account>,
    /// The Clock sysvar (40 bytes) and the Rent sysvar (17 bytes), hex.
    pub clock: String,
    pub rent: String,
    /// Each program the instruction invoked, in order, with the CU its log line reports
    /// (none for built-in programs, which log no consumption).
    pub callees: Vec<Callee>,
}

#[derive(Deserialize, Clone, Copy)]
pub struct BenchFigures {
    pub total: u64,
    pub own: u64,
    pub invoked: u64,
    pub cpis: u64,
}

#[derive(Deserialize)]
pub struct Instruction {
    pub data: String,
    pub accounts: Vec<AccountMeta>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountMeta {
    pub address: String,
    pub is_signer: bool,
    pub is_writable: bool,
}

#[derive(Deserialize, Clone)]
pub struct Account {
    /// Decimal: lamports can exceed what a JSON number holds exactly.
    pub lamports: String,
    pub owner: String,
    pub executable: bool,
    pub data: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Callee {
    pub program_id: String,
    pub consumed: Option<u64>,
}

pub fn hex(text: &str) -> Result<Vec<u8>, String> {
    if !text.len().is_multiple_of(2) {
        return Err(format!("odd-length hex string ({} characters)", text.len()));
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(&text[i..i + 2], 16).map_err(|e| format!("bad hex at {i}: {e}"))
        })
        .collect()
}

const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

pub fn base58_decode(text: &str) -> Result<[u8; 32], String> {
    let mut bytes: Vec<u8> = Vec::with_capacity(32);
    for c in text.bytes() {
        let mut carry = BASE58
            .iter()
            .position(|&b| b == c)
            .ok_or_else(|| format!("'{text}' is not base58"))? as u32;
        for byte in bytes.iter_mut() {
            carry += u32::from(*byte) * 58;
            *byte = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            bytes.push((carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    bytes.extend(text.bytes().take_while(|&c| c == b'1').map(|_| 0));
    bytes.reverse();
    bytes
        .try_into()
        .map_err(|b: Vec<u8>| format!("'{text}' is {} bytes, not an address", b.len()))
}

pub fn base58_encode(bytes: &[u8]) -> String {
    let mut digits: Vec<u8> = Vec::new();
    for &byte in bytes {
        let mut carry = u32::from(byte);
        for digit in digits.iter_mut() {
            carry += u32::from(*digit) << 8;
            *digit = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    std::iter::repeat_n(b'1', zeros)
        .chain(digits.iter().rev().map(|&d| BASE58[d as usize]))
        .map(char::from)
        .collect()
}
