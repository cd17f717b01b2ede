//! Interface of `media_treasury`: Protocol revenue vaults, burn of MEDIA fees and buyback-and-burn Dutch auctions.
//!
//! Its instructions arrive with later work; the program id, error enum and IDL exist now so
//! clients, the build and the deploy path treat all four programs alike.
#![no_std]

pub mod error;

media_core::declare_id!("8f6ihxfa7xukqcQ97JaPyN5aAPKebnDeqPCSbGSbxhGQ");

/// The program's interface, from which `tools/idl-gen` writes its Anchor IDL.
pub const IDL: media_core::idl::IdlProgramDef = media_core::idl::IdlProgramDef {
    name: "media_treasury",
    version: env!("CARGO_PKG_VERSION"),
    docs: "Protocol revenue vaults, burn of MEDIA fees and buyback-and-burn Dutch auctions",
    address: "8f6ihxfa7xukqcQ97JaPyN5aAPKebnDeqPCSbGSbxhGQ",
    instructions: &[],
    accounts: &[],
    events: &[],
    types: &[],
    errors: error::TreasuryError::ALL,
};
