//! `close_escrow()`: once the dispute window has run, refunds what the vault holds and closes
//! the vault and the escrow, their rent going to the consumer. Open while paused; but the
//! window counts only seconds during which the program was not paused (see `request_close`),
//! so a pause that stops the provider from settling also stops the window.
//!
//! Accounts:
//! 0. `[writable, signer]` consumer
//! 1. `[writable]` consumer_token_account: receives the refund
//! 2. `[writable]` config: for the paused time; counts the refund and the closed escrow
//! 3. `[writable]` escrow
//! 4. `[writable]` vault
//! 5. `[]` token_program
//! 6. `[]` clock: the Clock sysvar
use super::{check_vault, escrow_seeds, refused};
use media_bandwidth_interface::error::BandwidthError;
use media_bandwidth_interface::event::EscrowClosed;
use media_bandwidth_interface::state::BandwidthConfig;
use media_bandwidth_interface::state::Escrow;
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::{load_held, load_mut, loaded};
use media_core::{checks, math, sysvar, token, ProgramResult};
use pinocchio::cpi::Signer;

pub fn process(ctx: &Context) -> ProgramResult {
    let [consumer, consumer_token_account, config, escrow, vault, token_program, clock] =
        ctx.accounts()?;
    let program_id = ctx.program_id;
    ctx.no_args()?;
    checks::writable_signer(consumer)?;
    token::check_program(token_program)?;
    let refund = {
        let state = load_held::<Escrow>(escrow, consumer, program_id)?;
        if !state.close_requested() {
            return Err(BandwidthError::CloseNotRequested.into());
        }
        let mut config_state = load_mut::<BandwidthConfig>(config, program_id)?;
        if !state.dispute_window_over(&config_state.pause, sysvar::unix_timestamp_of(clock)?) {
            return Err(refused(BandwidthError::DisputeWindowOpen));
        }
        check_vault(vault, &state.vault)?;
        checks::distinct(consumer_token_account, vault)?;
        token::check_owned_account(consumer_token_account, &state.mint, consumer)?;
        // Everything the vault holds, including tokens sent to it outside `deposit`. The vault
        // (its address checked above) is the token account of the escrow's mint that
        // `open_escrow` created for the escrow PDA, which alone could close it: its owner,
        // length and mint need no re-check.
        let refund = token::amount(vault);
        let is_media = checks::same(&state.mint, &config_state.media_mint);
        config_state.count_refund(is_media, refund)?;
        config_state.open_escrows.try_sub(1)?;
        refund
    };
    // SAFETY: loaded as an `Escrow` above; only this program writes it, and it closes it
    // below, after the last use of `state`.
    let state = unsafe { loaded::<Escrow>(escrow) };
    let bump = [state.bump];
    let seeds = escrow_seeds(state, &bump);
    let signer = Signer::from(&seeds);
    if refund > 0 {
        token::Transfer {
            from: vault,
            to: consumer_token_account,
            authority: escrow,
            amount: refund,
        }
        .invoke(Some(&signer))?;
    }
    token::CloseAccount {
        account: vault,
        destination: consumer,
        authority: escrow,
    }
    .invoke(Some(&signer))?;
    consumer.set_lamports(math::add(consumer.lamports(), escrow.lamports())?);
    escrow.set_lamports(0);
    // SAFETY: nothing borrows the escrow's data any more (the loads above are dropped and
    // `state` is not used past the CPIs). Unchecked, `close` skips its borrow test and its
    // `resize_delta` bookkeeping, which only a later `resize` in this instruction would read
    // (none follows): 17 CU on close_escrow (3096 -> 3079).
    unsafe { escrow.close_unchecked() };

    EscrowClosed {
        // The escrow's consumer (`load_held` checked it); the escrow's data is gone.
        refunded: refund.into(),
    }
    .emit();
    Ok(())
}
