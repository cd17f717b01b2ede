//! The runtime syscalls this crate calls, declared once.
//!
//! On-chain they come from `pinocchio::syscalls`. We call the sysvar syscalls ourselves because
//! pinocchio 0.10 only calls them under `target_os = "solana"`, which upstream Rust's
//! `bpfel-unknown-none` target does not set. `.cargo/config.toml` exports every name so
//! bpf-linker keeps them external. On the host (IDL generation, unit tests) they are stubs
//! that must never run.
#![allow(deprecated)]

#[cfg(target_arch = "bpf")]
pub use pinocchio::syscalls::{
    sol_curve_validate_point, sol_get_clock_sysvar, sol_get_rent_sysvar, sol_invoke_signed_c,
    sol_log_data, sol_memcmp_, sol_memcpy_, sol_memmove_, sol_memset_, sol_sha256,
};

#[cfg(not(target_arch = "bpf"))]
pub use host::*;

#[cfg(not(target_arch = "bpf"))]
#[allow(clippy::missing_safety_doc)]
mod host {
    const ON_CHAIN_ONLY: &str = "syscalls exist only inside the Solana runtime";

    pub unsafe fn sol_log_data(_data: *const u8, _data_len: u64) {
        panic!("{}", ON_CHAIN_ONLY)
    }
    pub unsafe fn sol_sha256(_vals: *const u8, _val_len: u64, _hash_result: *mut u8) -> u64 {
        panic!("{}", ON_CHAIN_ONLY)
    }
    pub unsafe fn sol_curve_validate_point(
        _curve_id: u64,
        _point: *const u8,
        _result: *mut u8,
    ) -> u64 {
        panic!("{}", ON_CHAIN_ONLY)
    }
    pub unsafe fn sol_get_clock_sysvar(_addr: *mut u8) -> u64 {
        panic!("{}", ON_CHAIN_ONLY)
    }
    pub unsafe fn sol_get_rent_sysvar(_addr: *mut u8) -> u64 {
        panic!("{}", ON_CHAIN_ONLY)
    }
    pub unsafe fn sol_invoke_signed_c(
        _instruction: *const u8,
        _account_infos: *const u8,
        _account_infos_len: u64,
        _signers_seeds: *const u8,
        _signers_seeds_len: u64,
    ) -> u64 {
        panic!("{}", ON_CHAIN_ONLY)
    }
}

/// `memcpy` and friends for the on-chain binary, through the runtime's memory syscalls.
///
/// Upstream Rust's BPF target ships no C memory routines; LLVM lowers copies of unknown size
/// to calls of these symbols, which the linker flags keep alive.
#[cfg(target_arch = "bpf")]
mod mem {
    use super::*;

    /// # Safety
    /// Same contract as C's `memcpy`: `n` bytes valid at both, not overlapping.
    #[no_mangle]
    pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        // SAFETY: forwarded contract; the syscall checks the ranges against the VM's memory.
        unsafe { sol_memcpy_(dst, src, n as u64) };
        dst
    }

    /// # Safety
    /// Same contract as C's `memmove`.
    #[no_mangle]
    pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        // SAFETY: forwarded contract; the syscall handles overlap.
        unsafe { sol_memmove_(dst, src, n as u64) };
        dst
    }

    /// # Safety
    /// Same contract as C's `memset`.
    #[no_mangle]
    pub unsafe extern "C" fn memset(dst: *mut u8, value: i32, n: usize) -> *mut u8 {
        // SAFETY: forwarded contract.
        unsafe { sol_memset_(dst, value as u8, n as u64) };
        dst
    }

    /// # Safety
    /// Same contract as C's `memcmp`.
    #[no_mangle]
    pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        let mut result = 0i32;
        // SAFETY: forwarded contract; `result` is a valid out-pointer.
        unsafe { sol_memcmp_(a, b, n as u64, &mut result) };
        result
    }

    /// # Safety
    /// Same contract as C's `bcmp` (zero if equal).
    #[no_mangle]
    pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        // SAFETY: forwarded contract.
        unsafe { memcmp(a, b, n) }
    }
}
