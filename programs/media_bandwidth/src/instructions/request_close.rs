//! `request_close()`: starts the dispute window after which the consumer is refunded.
//! Open while paused: it is the first step of returning the consumer's own funds.
//!
//! Accounts:
//! 0. `[signer]` consumer
//! 1. `[]` config: for the dispute window
//! 2. `[writable]` escrow
use super::consumer_escrow;
use media_bandwidth_interface::error::BandwidthError;
use media_bandwidth_interface::event::EscrowCloseRequested;
use media_bandwidth_interface::state::BandwidthConfig;
use media_core::error::{err, CommonError};
use media_core::event::Event;
use media_core::ix::{no_args, Context};
use media_core::state::load;
use media_core::{checks, math, sysvar, ProgramResult};

pub fn process(ctx: &Context) -> ProgramResult {
    let Context { program_id, accounts, args } = *ctx;
    let [consumer, config, escrow, ..] = accounts else {
        return err(CommonError::NotEnoughAccounts);
    };
    no_args(args)?;
    checks::signer(consumer)?;
    let dispute_window = load::<BandwidthConfig>(config, program_id)?.dispute_window.get();
    let mut state = consumer_escrow(escrow, consumer, program_id)?;
    if state.close_after.get() != 0 {
        return Err(BandwidthError::EscrowClosing.into());
    }
    let close_after = math::add_i64(sysvar::unix_timestamp()?, dispute_window)?;
    state.close_after.set(close_after);

    EscrowCloseRequested { escrow: *escrow.address(), close_after: close_after.into() }.emit();
    Ok(())
}
