//! `set_reference_price(price)`: the authority (governance) resets the reference price the next
//! auction is priced from, e.g. after the market moved further than auctions can follow one
//! step at a time. The last auction's fills no longer move it. Refused while an auction with
//! lot remaining runs (its takers bid against the curve it started with) and while paused.
//!
//! Accounts:
//! 0. `[signer]` authority
//! 1. `[writable]` config
//! 2. `[]` clock: the Clock sysvar
use super::{auction_live, check_price};
use media_core::admin::config_for_authority;
use media_core::event::Event;
use media_core::ix::Context;
use media_core::{sysvar, ProgramResult};
use media_treasury_interface::error::TreasuryError;
use media_treasury_interface::event::ReferencePriceSet;
use media_treasury_interface::instruction::PriceArgs;
use media_treasury_interface::state::TreasuryConfig;

pub fn process(ctx: &Context) -> ProgramResult {
    let price = ctx.args::<PriceArgs>()?.price;
    check_price(price.get())?;
    let [_, _, clock] = ctx.accounts()?;
    let mut state = config_for_authority::<TreasuryConfig>(ctx)?;
    let now = sysvar::unix_timestamp_of(clock)?;
    state.pause.require_unpaused_at(now)?;
    if auction_live(&state, now) {
        return Err(TreasuryError::AuctionInProgress.into());
    }
    state.reference_price = price;
    state.reference_auction_id = state.auction_id;
    // Only the price: 16 bytes logged where all the parameters were 50 (34 CU less).
    ReferencePriceSet {
        reference_price: price,
    }
    .emit();
    Ok(())
}
