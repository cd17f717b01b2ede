//! `set_auction_params(params)`: sets every auction parameter at once (authority only),
//! each within its bounds and with `auction_duration <= auction_interval`. A running
//! auction keeps the price curve it started with. Refused while paused (see the crate docs).
//!
//! Accounts: see [`super::authority_config`].
use super::{apply_params, authority_config, check_params, emit_config_updated};
use media_core::ix::{parse_args, Context};
use media_core::ProgramResult;
use media_treasury_interface::instruction::AuctionParams;

#[inline(never)]
pub fn process(ctx: &Context) -> ProgramResult {
    let params = parse_args::<AuctionParams>(ctx.args)?;
    check_params(params)?;
    let mut state = authority_config(ctx)?;
    state.pause.require_unpaused()?;
    apply_params(&mut state, params);
    emit_config_updated(&state);
    Ok(())
}
