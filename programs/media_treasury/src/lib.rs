//! `media_treasury` program: Protocol revenue vaults, burn of MEDIA fees and buyback-and-burn Dutch auctions.
#![no_std]

use media_treasury_interface::error::TreasuryError;
use media_core::{error::err, error::CommonError, ix::Context, ProgramResult};

media_core::program_entrypoint!(dispatch, TreasuryError, 8);

/// No instruction is implemented yet: every call fails with `UnknownInstruction`.
pub fn dispatch(_discriminator: u64, _ctx: &Context) -> ProgramResult {
    err(CommonError::UnknownInstruction)
}
