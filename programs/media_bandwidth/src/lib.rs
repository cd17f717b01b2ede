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

use media_bandwidth_interface::instruction as ix;
use media_bandwidth_interface::state::BandwidthConfig;

// settle_receipt reads 15 accounts, the most of any instruction.
media_core::program_entrypoint!(
    dispatch,
    media_bandwidth_interface::instruction::MAX_ACCOUNTS
);

media_core::dispatch! { ix, instructions, BandwidthConfig, [
    settle_receipt, initialize_config, set_parameters, set_activity_window, register_provider,
    update_provider, deactivate_provider, open_escrow, deposit, request_close, close_escrow,
] }
