//! `burn_fees()`: burns the whole MEDIA fee vault (permissionless crank). Refused while
//! paused (see the crate docs).
//!
//! Accounts:
//! 0. `[writable]` config: signs for the vault
//! 1. `[writable]` media_vault
//! 2. `[writable]` media_mint
//! 3. `[]` token_program
use super::{burn, check_burn_mint, check_vault, config_seeds, config_unpaused};
use media_core::event::Event;
use media_core::ix::Context;
use media_core::{token, ProgramResult};
use media_treasury_interface::error::TreasuryError;
use media_treasury_interface::event::FeesBurned;
use pinocchio::cpi::Signer;

pub fn process(ctx: &Context) -> ProgramResult {
    let [config, media_vault, media_mint, token_program] = ctx.accounts()?;
    let program_id = ctx.program_id;
    ctx.no_args()?;
    token::check_program(token_program)?;
    let (event, bump) = {
        let mut state = config_unpaused(config, program_id)?;
        check_vault(media_vault, &state.media_vault)?;
        check_burn_mint(media_mint, &state)?;
        let amount = token::checked_amount(media_vault, &state.media_mint, None)?;
        if amount == 0 {
            return Err(TreasuryError::NothingToBurn.into());
        }
        state.total_burned.try_add(amount)?;
        state.total_fees_burned.try_add(amount)?;
        let event = FeesBurned {
            amount: amount.into(),
            total_burned: state.total_burned,
            total_fees_burned: state.total_fees_burned,
        };
        (event, state.bump)
    };
    let bump = [bump];
    let burn_ix = token::Burn {
        account: media_vault,
        mint: media_mint,
        authority: config,
        amount: event.amount.get(),
    };
    burn(&burn_ix, Some(&Signer::from(&config_seeds(&bump))))?;

    event.emit();
    Ok(())
}
