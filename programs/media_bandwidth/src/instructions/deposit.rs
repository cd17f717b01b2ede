//! `deposit(amount)`: moves tokens from the consumer into the escrow's vault.
//!
//! Accounts:
//! 0. `[signer]` consumer
//! 1. `[writable]` consumer_token_account: source, of the escrow's mint
//! 2. `[]` config
//! 3. `[writable]` escrow
//! 4. `[writable]` vault
//! 5. `[]` token_program
use super::{check_vault, config_unpaused, refused};
use media_bandwidth_interface::error::BandwidthError;
use media_bandwidth_interface::event::EscrowFunded;
use media_bandwidth_interface::state::Escrow;
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::load_held;
use media_core::{math, token, ProgramResult};

pub fn process(ctx: &Context) -> ProgramResult {
    let [consumer, consumer_token_account, config, escrow, vault, token_program] =
        ctx.accounts()?;
    let program_id = ctx.program_id;
    let amount = ctx.signed_amount(consumer, token_program, BandwidthError::ZeroAmount.into())?;
    config_unpaused(config, program_id)?;
    let balance = {
        let mut state = load_held::<Escrow>(escrow, consumer, program_id)?;
        if state.close_requested() {
            return Err(refused(BandwidthError::EscrowClosing));
        }
        check_vault(vault, &state.vault)?;
        // Whose it is and its mint are the token program's checks (see `token::Transfer`).
        token::check_is_account(consumer_token_account)?;
        state.deposited.try_add(amount)?;
        math::sub(state.deposited.get(), state.paid.get())?
    };
    token::Transfer {
        from: consumer_token_account,
        to: vault,
        authority: consumer,
        amount,
    }
    .invoke(None)?;

    EscrowFunded {
        balance: balance.into(),
    }
    .emit();
    Ok(())
}
