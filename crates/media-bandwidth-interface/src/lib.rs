//! Interface of `media_bandwidth`: Edge provider registry, stake-bounded bandwidth quotas, consumer escrows paid by signed receipts, fee split.
//!
//! Its instructions arrive with later work; the program id, error enum and IDL exist now so
//! clients, the build and the deploy path treat all four programs alike.
#![no_std]

pub mod error;

media_core::declare_id!("22yQ9LcLAdo8GTWB5ExyPcnNMFE15P7X7fGJ2ziv4e7X");

/// The program's interface, from which `tools/idl-gen` writes its Anchor IDL.
pub const IDL: media_core::idl::IdlProgramDef = media_core::idl::IdlProgramDef {
    name: "media_bandwidth",
    version: env!("CARGO_PKG_VERSION"),
    docs: "Edge provider registry, stake-bounded bandwidth quotas, consumer escrows paid by signed receipts, fee split",
    address: "22yQ9LcLAdo8GTWB5ExyPcnNMFE15P7X7fGJ2ziv4e7X",
    instructions: &[],
    accounts: &[],
    events: &[],
    types: &[],
    errors: error::BandwidthError::ALL,
};
