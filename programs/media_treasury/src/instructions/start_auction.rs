//! `start_auction()`: starts a buyback auction (permissionless crank).
//!
//! The lot is the quote vault's balance, capped at `max_lot`. The previous auction's counted
//! fills move the reference price (`auction::next_reference_price`); the price starts
//! `premium_bps` above it and decays to `floor_bps` of it over `auction_duration` (see
//! `media_treasury_interface::auction`). At most one auction runs at a time, and two
//! starts are at least `auction_interval` apart. Refused while paused.
//!
//! Accounts:
//! 0. `[writable]` config
//! 1. `[]` quote_vault
//! 2. `[]` clock: the Clock sysvar
use super::{auction_live, check_vault, config_unpaused};
use media_core::event::Event;
use media_core::ix::Context;
use media_core::{math, sysvar, token, ProgramResult};
use media_treasury_interface::auction;
use media_treasury_interface::error::TreasuryError;
use media_treasury_interface::event::AuctionStarted;

pub fn process(ctx: &Context) -> ProgramResult {
    let [config, quote_vault, clock] = ctx.accounts()?;
    let program_id = ctx.program_id;
    ctx.no_args()?;
    let mut state = config_unpaused(config, program_id)?;
    check_vault(quote_vault, &state.quote_vault)?;
    let now = sysvar::unix_timestamp_of(clock)?;
    // A running auction's end moves with the time the treasury spent paused.
    if auction_live(&state, now) {
        return Err(TreasuryError::AuctionInProgress.into());
    }
    if state.auction_id.get() > 0
        && now < math::add_i64(state.auction_start.get(), state.auction_interval.get())?
    {
        return Err(TreasuryError::AuctionTooEarly.into());
    }
    // A vault recorded in the config is a token account of its mint that the config PDA owns, with
    // no delegate or close authority (checked at initialization): nothing can close, reassign or
    // re-mint it, so past the address check only its balance needs reading.
    let lot = token::amount(quote_vault).min(state.max_lot.get());
    if lot == 0 {
        return Err(TreasuryError::NothingToAuction.into());
    }
    // The previous auction's counted fills move the reference before its stats are reset.
    let reference = auction::next_reference_price(&state)?;
    let start_price = auction::start_price(reference, state.premium_bps.get())?;
    let floor_price = auction::floor_price(reference, state.floor_bps.get())?;
    let end = math::add_i64(now, state.auction_duration.get())?;

    state.reference_price.set(reference);
    state.reference_auction_id = state.auction_id;
    state.auction_id.try_add(1)?;
    state.auction_start.set(now);
    state.auction_end.set(end);
    state.start_price.set(start_price);
    state.floor_price.set(floor_price);
    state.lot.set(lot);
    state.lot_remaining.set(lot);
    state.auction_media_in.set(0);
    state.auction_counted_quote.set(0);
    state.auction_counted_media.set(0);
    // Not paused now (config_unpaused), so this is every second paused before the auction.
    let paused_seconds = state.pause.paused_seconds(now);
    state.auction_paused_seconds.set(paused_seconds);

    AuctionStarted {
        auction_id: state.auction_id,
        lot: state.lot,
        start_price: state.start_price,
        floor_price: state.floor_price,
        auction_start: state.auction_start,
        auction_end: state.auction_end,
        reference_price: state.reference_price,
    }
    .emit();
    Ok(())
}
