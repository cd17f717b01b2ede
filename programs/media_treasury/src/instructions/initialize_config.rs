//! `initialize_config(params)`: creates the config and records its two vaults.
//!
//! The vaults are token accounts created beforehand whose token owner is the config PDA
//! (see the interface crate's docs); they are checked here, not created.
//!
//! Accounts:
//! 0. `[writable, signer]` authority: pays, and becomes authority and pause authority
//! 1. `[writable]` config: PDA `["config"]`
//! 2. `[]` media_vault: MEDIA token account owned by the config PDA
//! 3. `[]` quote_vault: quote token account owned by the config PDA
//! 4. `[]` media_mint
//! 5. `[]` quote_mint
//! 6. `[]` system_program
//! 7. `[]` program_data: this program's ProgramData; `authority` must be its upgrade authority
use super::{apply_params, check_params, config_seeds};
use media_core::error::CommonError;
use media_core::event::Event;
use media_core::ix::{parse_args, Context};
use media_core::pda::canonical_bump;
use media_core::state::{init, AccountState};
use media_core::{checks, ProgramResult, system, token, upgrade};
use media_treasury_interface::instruction::AuctionParams;
use media_treasury_interface::seeds;
use media_treasury_interface::state::TreasuryConfig;
use pinocchio::cpi::Signer;

#[inline(never)]
pub fn process(ctx: &Context) -> ProgramResult {
    let Context { program_id, accounts, args } = *ctx;
    let [authority, config, media_vault, quote_vault, media_mint, quote_mint, system_program, program_data, ..] = accounts else {
        return Err(CommonError::NotEnoughAccounts.into());
    };
    let params = parse_args::<AuctionParams>(args)?;
    checks::writable_signer(authority)?;
    upgrade::require_upgrade_authority(program_data, authority.address(), program_id)?;
    checks::writable(config)?;
    checks::system_program(system_program)?;
    if config.owned_by(program_id) {
        return Err(CommonError::AlreadyInitialized.into());
    }
    let bump = [canonical_bump(config.address(), &[seeds::CONFIG], program_id)?];
    check_params(params)?;
    token::check_mint(media_mint)?;
    token::check_mint(quote_mint)?;
    checks::distinct(media_mint, quote_mint)?;
    token::checked_amount(media_vault, media_mint.address(), Some(config.address()))?;
    token::checked_amount(quote_vault, quote_mint.address(), Some(config.address()))?;

    system::CreatePdaAccount { payer: authority, account: config, space: TreasuryConfig::LEN, owner: program_id }
        .invoke(&Signer::from(&config_seeds(&bump)))?;

    let mut state = init::<TreasuryConfig>(config, program_id)?;
    state.authority = *authority.address();
    state.pause_authority = *authority.address();
    state.media_mint = *media_mint.address();
    state.quote_mint = *quote_mint.address();
    state.media_vault = *media_vault.address();
    state.quote_vault = *quote_vault.address();
    apply_params(&mut state, params);
    state.bump = bump[0];

    state.initialized_event().emit();
    Ok(())
}
