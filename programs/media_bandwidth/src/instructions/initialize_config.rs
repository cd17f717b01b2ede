//! `initialize_config(protocol_fee_bps, staker_share_bps, quota_window, dispute_window,
//! activity_window)`: creates the config, every parameter within its bounds.
//!
//! Accounts:
//! 0. `[writable, signer]` authority: pays, and becomes authority and pause authority
//! 1. `[writable]` config: PDA `["config"]`
//! 2. `[]` staking_config: media_staking's config, whose MEDIA mint this program takes
//! 3. `[]` media_mint
//! 4. `[]` quote_mint
//! 5. `[]` system_program
//! 6. `[]` program_data: this program's ProgramData; `authority` must be its upgrade authority
//!
//! Revenue goes to the treasury's vaults, which `settle_receipt` reads from the treasury
//! config: this config keeps no copy of them.
use super::{apply_parameters, check_parameters};
use media_bandwidth_interface::instruction::InitializeConfigArgs;
use media_bandwidth_interface::state::BandwidthConfig;
use media_bandwidth_interface::{bounds, seeds};
use media_core::admin::{emit_config_updated, initialize, within};
use media_core::error::CommonError;
use media_core::ix::Context;
use media_core::{checks, token, ProgramResult};
use media_staking_interface::state::load_config;

pub fn process(ctx: &Context) -> ProgramResult {
    let args = ctx.args::<InitializeConfigArgs>()?;
    let parameters = args.parameters();
    let ([_, _, _, media_mint, quote_mint, ..], mut state, bump) =
        initialize::<BandwidthConfig, 7>(ctx, &[seeds::CONFIG], |accounts| {
            let [_, _, staking_config, media_mint, quote_mint, _, _] = accounts;
            check_parameters(&parameters)?;
            within(args.activity_window.get(), bounds::ACTIVITY_WINDOW)?;
            checks::address_is(
                media_mint.address(),
                &load_config(staking_config)?.media_mint,
                CommonError::InvalidMint,
            )?;
            token::check_mint(media_mint)?;
            token::check_mint(quote_mint)?;
            checks::distinct(media_mint, quote_mint)
        })?;
    state.media_mint = *media_mint.address();
    state.quote_mint = *quote_mint.address();
    state.bump = bump;
    state.activity_window = args.activity_window;
    emit_config_updated(&mut *state);
    apply_parameters(&mut state, &parameters);
    Ok(())
}
