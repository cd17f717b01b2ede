//! `set_treasury_vaults`: points protocol revenue at new treasury token accounts.
//!
//! Accounts:
//! 0. `[signer]` authority
//! 1. `[writable]` config
//! 2. `[]` treasury_media_vault: a MEDIA token account
//! 3. `[]` treasury_quote_vault: a quote token account
use super::update_config;
use media_bandwidth_interface::state::BandwidthConfig;
use media_core::error::{err, CommonError};
use media_core::ix::{no_args, Context};
use media_core::state::load;
use media_core::{token, ProgramResult};

pub fn process(ctx: &Context) -> ProgramResult {
    let [_, config, media_vault, quote_vault, ..] = ctx.accounts else {
        return err(CommonError::NotEnoughAccounts);
    };
    no_args(ctx.args)?;
    {
        let state = load::<BandwidthConfig>(config, ctx.program_id)?;
        token::check_account(media_vault, &state.media_mint, None)?;
        token::check_account(quote_vault, &state.quote_mint, None)?;
    }
    update_config(ctx, |config| {
        config.treasury_media_vault = *media_vault.address();
        config.treasury_quote_vault = *quote_vault.address();
    })
}
