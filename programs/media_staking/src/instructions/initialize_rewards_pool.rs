//! `initialize_rewards_pool`: not implemented yet on this branch.
use media_core::ix::Context;
use media_core::ProgramResult;

pub fn process(_ctx: &Context) -> ProgramResult {
    media_core::error::err(media_core::error::CommonError::UnknownInstruction)
}
