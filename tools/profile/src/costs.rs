//! Solana 1.18's compute cost table (program-runtime's `ComputeBudget` defaults and the
//! syscalls' own charges in bpf_loader), for the syscalls the programs link.

pub const SYSCALL_BASE: u64 = 100;
pub const LOG_64: u64 = 100;
pub const LOG_PUBKEY: u64 = 100;
/// memcpy/memmove/memcmp/memset: max(this, bytes / CPI_BYTES_PER_UNIT).
pub const MEM_OP_BASE: u64 = 10;
pub const CPI_BYTES_PER_UNIT: u64 = 250;
/// sha256: this, plus max(MEM_OP_BASE, SHA256_BYTE * len / 2) per slice.
pub const SHA256_BASE: u64 = 85;
pub const SHA256_BYTE: u64 = 1;
pub const CREATE_PROGRAM_ADDRESS: u64 = 1500;
pub const CURVE25519_EDWARDS_VALIDATE_POINT: u64 = 159;
pub const CURVE25519_RISTRETTO_VALIDATE_POINT: u64 = 169;
/// Sysvar getters: this plus the size of the sysvar's in-memory struct.
pub const SYSVAR_BASE: u64 = 100;
pub const CLOCK_SIZE: u64 = 40;
/// `Rent` is u64, f64, u8: 24 bytes with its padding.
pub const RENT_SIZE: u64 = 24;
/// Every invoke, before the data and account charges.
pub const INVOKE: u64 = 1000;
/// The System program, a built-in, consumes this from the caller's meter and logs nothing.
pub const SYSTEM_PROGRAM: u64 = 150;

pub fn mem_op(bytes: u64) -> u64 {
    MEM_OP_BASE.max(bytes / CPI_BYTES_PER_UNIT)
}
