//! `initialize_config`: creates the config.
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
use media_bandwidth_interface::instruction::ParametersArgs;
use media_bandwidth_interface::seeds;
use media_bandwidth_interface::state::BandwidthConfig;
use media_core::admin::emit_config_updated;
use media_core::admin::initialize;
use media_core::error::CommonError;
use media_core::ix::Context;
use media_core::{checks, token, ProgramResult};
use media_staking_interface::state::load_config;

pub fn process(ctx: &Context) -> ProgramResult {
    let args = ctx.args::<ParametersArgs>()?;
    let ([_, _, _, media_mint, quote_mint, ..], mut state, bump) =
        initialize::<BandwidthConfig, 7>(ctx, &[seeds::CONFIG], |accounts| {
            let [_, _, staking_config, media_mint, quote_mint, _, _] = accounts;
            check_parameters(args)?;
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
    emit_config_updated(&mut *state);
    apply_parameters(&mut state, args);
    Ok(())
}
