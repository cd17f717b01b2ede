//! Shared core of the MEDIA programs.
//!
//! Everything two programs would otherwise write twice lives here once: Anchor's wire
//! conventions (discriminators, account and event layouts, error logs, instruction dispatch),
//! zero-copy account loading with its owner/length/discriminator checks, the one function that
//! creates a program's accounts (`state::create`), PDA derivation without the 1,500 CU
//! `find_program_address` syscall, the admin component every config shares (`admin`: roles,
//! pause, their processors and event), System and SPL Token CPIs, sysvar reads that work on
//! the Solana 1.18 runtime, and overflow-checked fixed-point math.
#![no_std]

pub mod admin;
pub mod checks;
pub mod cpi;
pub mod discriminator;
pub mod error;
pub mod event;
pub mod idl;
pub mod ix;
pub mod math;
pub mod pause;
pub mod pda;
pub mod pod;
pub mod program_ids;
pub mod state;
pub mod syscalls;
pub mod system;
pub mod sysvar;
#[cfg(feature = "testkit")]
pub mod testkit;
pub mod token;
pub mod upgrade;

pub use pinocchio::{error::ProgramError, AccountView, Address, ProgramResult};

/// Declares a program's id from its base58 string, as Anchor's `declare_id!` does.
#[macro_export]
macro_rules! declare_id {
    ($id:literal) => {
        /// The program's on-chain address.
        pub const ID: $crate::Address = $crate::address_from_str($id);

        /// The program's address in base58, as declared (the IDL's `address`).
        pub const ID_STR: &str = $id;

        /// Whether `address` is this program's id.
        #[inline(always)]
        pub fn check_id(address: &$crate::Address) -> bool {
            $crate::checks::same(address, &ID)
        }
    };
}

/// Decodes a base58 address at compile time.
pub const fn address_from_str(s: &str) -> Address {
    Address::from_str_const(s)
}
