//! `request_close()`: starts the dispute window after which the consumer is refunded.
//! Open while paused: it is the first step of returning the consumer's own funds.
//!
//! The escrow records the request time, the config's paused-seconds counter and the dispute
//! window in force: the window then counts only seconds during which the program is not
//! paused (settling is refused while paused), and a later parameter change cannot shorten it.
//!
//! Accounts:
//! 0. `[signer]` consumer
//! 1. `[]` config: for the dispute window and the paused time
//! 2. `[writable]` escrow
//! 3. `[]` clock: the Clock sysvar
use media_bandwidth_interface::error::BandwidthError;
use media_bandwidth_interface::event::EscrowCloseRequested;
use media_bandwidth_interface::state::BandwidthConfig;
use media_bandwidth_interface::state::Escrow;
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::load;
use media_core::state::load_held;
use media_core::{checks, sysvar, ProgramResult};

pub fn process(ctx: &Context) -> ProgramResult {
    let [consumer, config, escrow, clock] = ctx.accounts()?;
    let program_id = ctx.program_id;
    ctx.no_args()?;
    checks::signer(consumer)?;
    let config_state = load::<BandwidthConfig>(config, program_id)?;
    let mut state = load_held::<Escrow>(escrow, consumer, program_id)?;
    if state.close_requested() {
        return Err(BandwidthError::EscrowClosing.into());
    }
    let now = sysvar::unix_timestamp_of(clock)?;
    state.close_requested_at.set(now);
    state
        .close_paused_seconds
        .set(config_state.pause.paused_seconds(now));
    state.close_window = config_state.dispute_window;

    EscrowCloseRequested {
        requested_at: state.close_requested_at,
        dispute_window: state.close_window,
    }
    .emit();
    Ok(())
}
