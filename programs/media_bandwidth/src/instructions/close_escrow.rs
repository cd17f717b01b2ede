//! `close_escrow()`: after the dispute window, refunds what the vault holds and closes the
//! vault and the escrow, their rent going to the consumer. Open while paused.
//!
//! Accounts:
//! 0. `[writable, signer]` consumer
//! 1. `[writable]` consumer_token_account: receives the refund
//! 2. `[writable]` escrow
//! 3. `[writable]` vault
//! 4. `[]` token_program
use super::{check_vault, consumer_escrow, escrow_seeds};
use media_bandwidth_interface::error::BandwidthError;
use media_bandwidth_interface::event::EscrowClosed;
use media_core::error::{err, CommonError};
use media_core::event::Event;
use media_core::ix::{no_args, Context};
use media_core::{checks, math, sysvar, token, ProgramResult};
use pinocchio::cpi::Signer;

pub fn process(ctx: &Context) -> ProgramResult {
    let Context { program_id, accounts, args } = *ctx;
    let [consumer, consumer_token_account, escrow, vault, token_program, ..] = accounts else {
        return err(CommonError::NotEnoughAccounts);
    };
    no_args(args)?;
    checks::writable_signer(consumer)?;
    token::check_program(token_program)?;
    let (state, refund) = {
        let state = consumer_escrow(escrow, consumer, program_id)?;
        let close_after = state.close_after.get();
        if close_after == 0 {
            return Err(BandwidthError::CloseNotRequested.into());
        }
        if sysvar::unix_timestamp()? < close_after {
            return Err(BandwidthError::DisputeWindowOpen.into());
        }
        check_vault(vault, &state.vault)?;
        checks::distinct(consumer_token_account, vault)?;
        token::check_owned_account(consumer_token_account, &state.mint, consumer)?;
        // Everything the vault holds, including tokens sent to it outside `deposit`.
        token::check_account(vault, &state.mint, None)?;
        let refund = token::amount(vault);
        (*state, refund)
    };
    let bump = [state.bump];
    let seeds = escrow_seeds(&state, &bump);
    let signer = Signer::from(&seeds);
    if refund > 0 {
        token::Transfer { from: vault, to: consumer_token_account, authority: escrow, amount: refund }.invoke(Some(&signer))?;
    }
    token::CloseAccount { account: vault, destination: consumer, authority: escrow }.invoke(Some(&signer))?;
    consumer.set_lamports(math::add(consumer.lamports(), escrow.lamports())?);
    escrow.set_lamports(0);
    escrow.close()?;

    EscrowClosed { escrow: *escrow.address(), consumer: state.consumer, refunded: refund.into() }.emit();
    Ok(())
}
