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
use super::{apply_params, check_params, check_price, config_seeds};
use media_core::error::CommonError;
use media_core::event::Event;
use media_core::ix::{parse_args, Context};
use media_core::pda::canonical_bump;
use media_core::state::{init, AccountState};
use media_core::{checks, system, token, upgrade, AccountView, ProgramResult};
use media_treasury_interface::error::TreasuryError;
use media_treasury_interface::instruction::InitializeConfigArgs;
use media_treasury_interface::seeds;
use media_treasury_interface::state::TreasuryConfig;
use pinocchio::cpi::Signer;

#[inline(never)]
pub fn process(ctx: &Context) -> ProgramResult {
    let Context {
        program_id,
        accounts,
        args,
    } = *ctx;
    let [authority, config, media_vault, quote_vault, media_mint, quote_mint, system_program, program_data, ..] =
        accounts
    else {
        return Err(CommonError::NotEnoughAccounts.into());
    };
    let args = parse_args::<InitializeConfigArgs>(args)?;
    checks::writable_signer(authority)?;
    upgrade::require_upgrade_authority(program_data, authority.address(), program_id)?;
    checks::writable(config)?;
    checks::system_program(system_program)?;
    if config.owned_by(program_id) {
        return Err(CommonError::AlreadyInitialized.into());
    }
    let bump = [canonical_bump(
        config.address(),
        &[seeds::CONFIG],
        program_id,
    )?];
    check_params(args.params())?;
    check_price(args.initial_price.get())?;
    token::check_mint(media_mint)?;
    token::check_mint(quote_mint)?;
    checks::distinct(media_mint, quote_mint)?;
    check_vault_account(media_vault, media_mint, config)?;
    check_vault_account(quote_vault, quote_mint, config)?;

    system::CreatePdaAccount {
        payer: authority,
        account: config,
        space: TreasuryConfig::LEN,
        owner: program_id,
    }
    .invoke(&Signer::from(&config_seeds(&bump)))?;

    let mut state = init::<TreasuryConfig>(config, program_id)?;
    state.authority = *authority.address();
    state.pause_authority = *authority.address();
    state.media_mint = *media_mint.address();
    state.quote_mint = *quote_mint.address();
    state.media_vault = *media_vault.address();
    state.quote_vault = *quote_vault.address();
    apply_params(&mut state, args.params());
    state.reference_price = args.initial_price;
    state.bump = bump[0];

    state.initialized_event().emit();
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
