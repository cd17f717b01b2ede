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
use super::{auction_running, config_unpaused, is_authority, transfer_from_vault};
use media_core::event::Event;
use media_core::ix::Context;
use media_core::{checks, sysvar, token, ProgramResult};
use media_treasury_interface::auction;
use media_treasury_interface::error::TreasuryError;
use media_treasury_interface::event::Spent;
use media_treasury_interface::state::TreasuryConfig;
use pinocchio::address::address_eq;
use pinocchio::error::ProgramError;

pub fn process(ctx: &Context) -> ProgramResult {
    let [authority, config, vault, destination, token_program] = ctx.accounts()?;
    let program_id = ctx.program_id;
    let amount = ctx.signed_amount(authority, token_program, TreasuryError::ZeroAmount.into())?;
    let bump = {
        let state = config_unpaused(config, program_id)?;
        is_authority(authority, &state)?;
        // The lot of a running auction is reserved for its takers: the most a spend from the
        // quote vault may have to leave behind.
        let lot = if address_eq(vault.address(), &state.media_vault) {
            0
        } else if address_eq(vault.address(), &state.quote_vault) {
            state.lot_remaining.get()
        } else {
            return Err(TreasuryError::InvalidVault.into());
        };
        checks::distinct(destination, vault)?;
        // Its mint is the token program's check (see `token::Transfer`).
        token::check_is_account(destination)?;
        // `vault` is one of the config's vaults (matched above): see `start_auction` for why
        // its balance needs no other check.
        let balance = token::amount(vault);
        if !auction::can_pay(amount, balance, lot, || live_now(&state))? {
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

    Spent {}.emit();
    Ok(())
}

/// Whether the auction is live now: for a spend that would reach into its lot only (see
/// [`auction::can_pay`]), so the clock read is out of the way of every other spend. The lot
/// is not empty (`can_pay` asks only then), so only the auction's clock decides.
#[cold]
#[inline(never)]
fn live_now(state: &TreasuryConfig) -> Result<bool, ProgramError> {
    Ok(auction_running(state, sysvar::unix_timestamp()?))
}
