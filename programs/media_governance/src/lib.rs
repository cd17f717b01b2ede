//! `media_governance` program: Stake-weighted proposals, votes and timelocked execution signed by the governance PDA.
#![no_std]

use media_governance_interface::error::GovernanceError;
use media_core::{error::err, error::CommonError, ix::Context, ProgramResult};

media_core::program_entrypoint!(dispatch, GovernanceError, 8);

/// No instruction is implemented yet: every call fails with `UnknownInstruction`.
pub fn dispatch(_discriminator: u64, _ctx: &Context) -> ProgramResult {
    err(CommonError::UnknownInstruction)
}
