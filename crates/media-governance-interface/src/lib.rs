//! Interface of `media_governance`: Stake-weighted proposals, votes and timelocked execution signed by the governance PDA.
//!
//! Its instructions arrive with later work; the program id, error enum and IDL exist now so
//! clients, the build and the deploy path treat all four programs alike.
#![no_std]

pub mod error;

media_core::declare_id!("E2KczRUS2iFkn2CeABsoL87NWGr95KU285jctNcngSzY");

/// The program's interface, from which `tools/idl-gen` writes its Anchor IDL.
pub const IDL: media_core::idl::IdlProgramDef = media_core::idl::IdlProgramDef {
    name: "media_governance",
    version: env!("CARGO_PKG_VERSION"),
    docs: "Stake-weighted proposals, votes and timelocked execution signed by the governance PDA",
    address: "E2KczRUS2iFkn2CeABsoL87NWGr95KU285jctNcngSzY",
    instructions: &[],
    accounts: &[],
    events: &[],
    types: &[],
    errors: error::GovernanceError::ALL,
};
