//! `media_treasury` program: protocol revenue vaults, burn of MEDIA fees and
//! buyback-and-burn Dutch auctions.
//!
//! The interface (accounts, instructions, events, errors, the auction price curve) is
//! `media-treasury-interface`; this crate is only the processor.
//!
//! # The pause switch
//! The pause authority pauses at once; only the authority unpauses (rules in
//! `media_core::pause`). A paused program refuses every state change except those that lift
//! the pause: `burn_fees`, `start_auction`, `take`, `spend`, `set_auction_params` and
//! `set_reference_price` are
//! refused; `set_paused`, `set_authority` and `set_pause_authority` stay open, so the
//! authority can always lift a pause or replace a rogue pause key. The treasury holds no
//! user's funds, so there is nothing for users to withdraw while paused. A burn is
//! irreversible and a spend moves protocol revenue: both wait until the pause is lifted (or
//! lapses), which is when governance decides what happens to fees that arrived by mistake.
#![no_std]

mod instructions;

use media_core::error::{err, CommonError};
use media_core::ix::Context;
use media_core::ProgramResult;
use media_treasury_interface::error::TreasuryError;
use media_treasury_interface::instruction as ix;

media_core::program_entrypoint!(dispatch, TreasuryError, 10);

/// Routes an instruction by its 8-byte Anchor discriminator.
pub fn dispatch(discriminator: u64, ctx: &Context) -> ProgramResult {
    match discriminator {
        // initialize_config
        ix::initialize_config::DISCRIMINATOR_U64 => instructions::initialize_config::process(ctx),
        // burn_fees
        ix::burn_fees::DISCRIMINATOR_U64 => instructions::burn_fees::process(ctx),
        // start_auction
        ix::start_auction::DISCRIMINATOR_U64 => instructions::start_auction::process(ctx),
        // take
        ix::take::DISCRIMINATOR_U64 => instructions::take::process(ctx),
        // spend
        ix::spend::DISCRIMINATOR_U64 => instructions::spend::process(ctx),
        // set_auction_params
        ix::set_auction_params::DISCRIMINATOR_U64 => instructions::set_auction_params::process(ctx),
        // set_reference_price
        ix::set_reference_price::DISCRIMINATOR_U64 => {
            instructions::set_reference_price::process(ctx)
        }
        // set_authority
        ix::set_authority::DISCRIMINATOR_U64 => instructions::set_authority::process(ctx),
        // set_pause_authority
        ix::set_pause_authority::DISCRIMINATOR_U64 => {
            instructions::set_pause_authority::process(ctx)
        }
        // set_paused
        ix::set_paused::DISCRIMINATOR_U64 => instructions::set_paused::process(ctx),
        _ => err(CommonError::UnknownInstruction),
    }
}
