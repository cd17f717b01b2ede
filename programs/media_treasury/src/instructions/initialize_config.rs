//! `initialize_config(params, initial_price)`: creates the config, records its two vaults and
//! the initial reference price (required: no default price can be right for every market).
//!
//! The vaults are the config PDA's associated token accounts, created beforehand (see the
//! interface crate's docs); they are checked here, not created. Only those accounts are
//! accepted, and only without a delegate or close authority: a vault someone else can empty,
//! close and re-create as their own would capture every fee paid into it afterwards.
//!
//! Accounts:
//! 0. `[writable, signer]` authority: pays, and becomes authority and pause authority
//! 1. `[writable]` config: PDA `["config"]`
//! 2. `[]` media_vault: the config's associated token account of the MEDIA mint
//! 3. `[]` quote_vault: the config's associated token account of the quote mint
//! 4. `[]` media_mint
//! 5. `[]` quote_mint
//! 6. `[]` system_program
//! 7. `[]` program_data: this program's ProgramData; `authority` must be its upgrade authority
use super::{apply_params, check_params, check_price, emit_parameters_updated};
use media_core::admin::{emit_config_updated, initialize};
use media_core::event::Event;
use media_core::ix::Context;
use media_core::pda::canonical_bump;
use media_core::{checks, token, AccountView, ProgramResult};
use media_treasury_interface::error::TreasuryError;
use media_treasury_interface::event::ConfigInitialized;
use media_treasury_interface::instruction::InitializeConfigArgs;
use media_treasury_interface::seeds;
use media_treasury_interface::state::TreasuryConfig;

pub fn process(ctx: &Context) -> ProgramResult {
    let args = ctx.args::<InitializeConfigArgs>()?;
    let ([_, config, media_vault, quote_vault, media_mint, quote_mint, _, _], mut state, bump) =
        initialize::<TreasuryConfig, _>(ctx, &[seeds::CONFIG], |_| Ok(()))?;
    check_params(args.params())?;
    check_price(args.initial_price.get())?;
    token::check_mint(media_mint)?;
    token::check_mint(quote_mint)?;
    checks::distinct(media_mint, quote_mint)?;
    check_vault_account(media_vault, media_mint, config)?;
    check_vault_account(quote_vault, quote_mint, config)?;

    state.media_mint = *media_mint.address();
    state.quote_mint = *quote_mint.address();
    state.media_vault = *media_vault.address();
    state.quote_vault = *quote_vault.address();
    apply_params(&mut state, args.params());
    state.reference_price = args.initial_price;
    state.bump = bump;

    ConfigInitialized {}.emit();
    emit_config_updated(&mut *state);
    emit_parameters_updated(&state);
    Ok(())
}

/// Requires `vault` to be `config`'s associated token account of `mint`, answering to the config
/// alone (no delegate, no close authority).
#[inline(never)]
fn check_vault_account(
    vault: &AccountView,
    mint: &AccountView,
    config: &AccountView,
) -> ProgramResult {
    token::check_account(vault, mint.address(), Some(config.address()))?;
    token::check_owner_only(vault)?;
    let seeds: [&[u8]; 3] = [
        config.address().as_ref(),
        token::TOKEN_PROGRAM_ID.as_ref(),
        mint.address().as_ref(),
    ];
    if canonical_bump(vault.address(), &seeds, &token::ASSOCIATED_TOKEN_PROGRAM_ID).is_err() {
        return Err(TreasuryError::InvalidVault.into());
    }
    Ok(())
}
