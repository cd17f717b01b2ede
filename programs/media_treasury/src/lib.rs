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

use media_treasury_interface::instruction as ix;
use media_treasury_interface::state::TreasuryConfig;

media_core::program_entrypoint!(
    dispatch,
    media_treasury_interface::instruction::MAX_ACCOUNTS
);

media_core::dispatch! { ix, instructions, TreasuryConfig, [
    initialize_config, burn_fees, start_auction, take, spend, set_auction_params,
    set_reference_price,
] }
