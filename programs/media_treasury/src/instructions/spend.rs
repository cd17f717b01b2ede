//! `spend(amount)`: the authority (governance after hand-over) pays out of either vault,
//! for grants or to return funds that reached the treasury by mistake.
//!
//! The part of the quote vault that a running auction still offers is reserved for its
//! takers and cannot be spent. Refused while paused (see the crate docs).
//!
//! Accounts:
//! 0. `[signer]` authority
//! 1. `[writable]` config: signs for the vault
//! 2. `[writable]` vault: the MEDIA fee vault or the quote vault
//! 3. `[writable]` destination: token account of the vault's mint
//! 4. `[]` token_program
use super::{auction_live, config_unpaused, is_authority, transfer_from_vault};
use media_core::event::Event;
use media_core::ix::Context;
use media_core::{checks, sysvar, token, ProgramResult};
use media_treasury_interface::error::TreasuryError;
use media_treasury_interface::event::Spent;
use pinocchio::address::address_eq;

pub fn process(ctx: &Context) -> ProgramResult {
    let [authority, config, vault, destination, token_program] = ctx.accounts()?;
    let program_id = ctx.program_id;
    let amount = ctx.signed_amount(authority, token_program, TreasuryError::ZeroAmount.into())?;
    let bump = {
        let state = config_unpaused(config, program_id)?;
        is_authority(authority, &state)?;
        let (mint, reserved) = if address_eq(vault.address(), &state.media_vault) {
            (&state.media_mint, 0)
        } else if address_eq(vault.address(), &state.quote_vault) {
            let live = auction_live(&state, sysvar::unix_timestamp()?);
            (
                &state.quote_mint,
                if live { state.lot_remaining.get() } else { 0 },
            )
        } else {
            return Err(TreasuryError::InvalidVault.into());
        };
        checks::distinct(destination, vault)?;
        token::checked_amount(destination, mint, None)?;
        if amount > token::checked_amount(vault, mint, None)?.saturating_sub(reserved) {
            return Err(TreasuryError::InsufficientFunds.into());
        }
        state.bump
    };
    transfer_from_vault(
        &token::Transfer {
            from: vault,
            to: destination,
            authority: config,
            amount,
        },
        bump,
    )?;

    Spent {
        vault: *vault.address(),
        destination: *destination.address(),
        amount: amount.into(),
    }
    .emit();
    Ok(())
}
