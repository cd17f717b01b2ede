//! `media_governance` program: stake-weighted proposals, votes and timelocked execution
//! signed by the governance PDA.
//!
//! The interface (accounts, instructions, events, errors) is `media-governance-interface`;
//! this crate is only the processor.
#![no_std]

mod instructions;

use media_core::error::{err, CommonError};
use media_core::ix::Context;
use media_core::ProgramResult;
use media_governance_interface::error::GovernanceError;
use media_governance_interface::instruction as ix;

// `execute` takes its two fixed accounts plus up to MAX_EXECUTE_ACCOUNTS remaining ones.
media_core::program_entrypoint!(dispatch, GovernanceError, 24);
const _: () = assert!(media_governance_interface::MAX_ACCOUNTS == 24);

/// Routes an instruction by its 8-byte Anchor discriminator.
pub fn dispatch(discriminator: u64, ctx: &Context) -> ProgramResult {
    match discriminator {
        // initialize_config
        ix::initialize_config::DISCRIMINATOR_U64 => instructions::initialize_config::process(ctx),
        // set_params
        ix::set_params::DISCRIMINATOR_U64 => instructions::set_params::process(ctx),
        // set_authority
        ix::set_authority::DISCRIMINATOR_U64 => instructions::set_authority::process(ctx),
        // set_pause_authority
        ix::set_pause_authority::DISCRIMINATOR_U64 => {
            instructions::set_pause_authority::process(ctx)
        }
        // set_paused
        ix::set_paused::DISCRIMINATOR_U64 => instructions::set_paused::process(ctx),
        // create_proposal
        ix::create_proposal::DISCRIMINATOR_U64 => instructions::create_proposal::process(ctx),
        // add_instruction
        ix::add_instruction::DISCRIMINATOR_U64 => instructions::add_instruction::process(ctx),
        // cast_vote
        ix::cast_vote::DISCRIMINATOR_U64 => instructions::cast_vote::process(ctx),
        // finalize
        ix::finalize::DISCRIMINATOR_U64 => instructions::finalize::process(ctx),
        // execute
        ix::execute::DISCRIMINATOR_U64 => instructions::execute::process(ctx),
        // cancel
        ix::cancel::DISCRIMINATOR_U64 => instructions::cancel::process(ctx),
        _ => err(CommonError::UnknownInstruction),
    }
}
