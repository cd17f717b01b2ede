//! `media_bandwidth` program: Edge provider registry, stake-bounded bandwidth quotas, consumer escrows paid by signed receipts, fee split.
#![no_std]

use media_bandwidth_interface::error::BandwidthError;
use media_core::{error::err, error::CommonError, ix::Context, ProgramResult};

media_core::program_entrypoint!(dispatch, BandwidthError, 8);

/// No instruction is implemented yet: every call fails with `UnknownInstruction`.
pub fn dispatch(_discriminator: u64, _ctx: &Context) -> ProgramResult {
    err(CommonError::UnknownInstruction)
}
