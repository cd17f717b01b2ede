//! `set_auction_params(params)`: sets every auction parameter at once (authority only),
//! each within its bounds and with `auction_duration <= auction_interval`. A running
//! auction keeps the price curve it started with. Refused while paused (see the crate docs).
//!
//! Accounts: see `media_core::admin::config_for_authority`.
use super::{apply_params, check_params, emit_parameters_updated};
use media_core::admin::config_for_authority;
use media_core::ix::Context;
use media_core::ProgramResult;
use media_treasury_interface::instruction::AuctionParams;
use media_treasury_interface::state::TreasuryConfig;

pub fn process(ctx: &Context) -> ProgramResult {
    let params = ctx.args::<AuctionParams>()?;
    check_params(params)?;
    let mut state = config_for_authority::<TreasuryConfig>(ctx)?;
    state.pause.require_unpaused()?;
    apply_params(&mut state, params);
    emit_parameters_updated(&state);
    Ok(())
}
