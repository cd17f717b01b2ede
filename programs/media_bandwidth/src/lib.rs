//! `media_bandwidth` program: Edge provider registry, stake-bounded bandwidth quotas,
//! consumer escrows paid by signed receipts, fee split.
//!
//! The interface (accounts, instructions, events, errors) is `media-bandwidth-interface`;
//! this crate is only the processor.
//!
//! # The pause switch
//! The pause authority pauses at once; only the authority unpauses (rules in
//! `media_core::pause`). A paused program refuses new risk: registering and updating
//! providers, opening and funding escrows, settling receipts and changing parameters.
//! `request_close` and `close_escrow` stay open (they return the consumer's own funds), and
//! so do `set_paused`, `set_authority` and `set_pause_authority` (they lift a pause or
//! replace a rogue pause key). Since settling is refused while paused, a dispute window only
//! counts the seconds during which the program is not paused: a pause never lets a consumer
//! take back money for receipts the provider was prevented from settling.
#![no_std]

mod instructions;
mod receipt;

use media_bandwidth_interface::error::BandwidthError;
use media_bandwidth_interface::instruction as ix;
use media_core::error::{err, CommonError};
use media_core::ix::Context;
use media_core::ProgramResult;

// settle_receipt reads 14 accounts, the most of any instruction.
media_core::program_entrypoint!(dispatch, BandwidthError, 14);

/// Routes an instruction by its 8-byte Anchor discriminator.
pub fn dispatch(discriminator: u64, ctx: &Context) -> ProgramResult {
    match discriminator {
        // settle_receipt
        ix::settle_receipt::DISCRIMINATOR_U64 => instructions::settle_receipt::process(ctx),
        // initialize_config
        ix::initialize_config::DISCRIMINATOR_U64 => instructions::initialize_config::process(ctx),
        // set_parameters
        ix::set_parameters::DISCRIMINATOR_U64 => instructions::set_parameters::process(ctx),
        // set_authority
        ix::set_authority::DISCRIMINATOR_U64 => instructions::set_authority::process(ctx),
        // set_pause_authority
        ix::set_pause_authority::DISCRIMINATOR_U64 => {
            instructions::set_pause_authority::process(ctx)
        }
        // set_paused
        ix::set_paused::DISCRIMINATOR_U64 => instructions::set_paused::process(ctx),
        // register_provider
        ix::register_provider::DISCRIMINATOR_U64 => instructions::register_provider::process(ctx),
        // update_provider
        ix::update_provider::DISCRIMINATOR_U64 => instructions::update_provider::process(ctx),
        // deactivate_provider
        ix::deactivate_provider::DISCRIMINATOR_U64 => {
            instructions::deactivate_provider::process(ctx)
        }
        // open_escrow
        ix::open_escrow::DISCRIMINATOR_U64 => instructions::open_escrow::process(ctx),
        // deposit
        ix::deposit::DISCRIMINATOR_U64 => instructions::deposit::process(ctx),
        // request_close
        ix::request_close::DISCRIMINATOR_U64 => instructions::request_close::process(ctx),
        // close_escrow
        ix::close_escrow::DISCRIMINATOR_U64 => instructions::close_escrow::process(ctx),
        _ => err(CommonError::UnknownInstruction),
    }
}
