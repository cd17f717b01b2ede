//! `open_escrow()`: opens the consumer's escrow with a provider in one mint, and its vault.
//!
//! The escrow's address is the same every time (consumer, provider, mint) reopen, so each
//! opening is a new lifetime with its own nonce: the provider's count of escrows opened, which
//! only grows. Receipts sign the nonce, so a receipt of an earlier lifetime never pays again,
//! and the settled figures start at 0 whatever the client sends.
//!
//! The escrow records the provider's current price for its mint: receipts must pay at least
//! that price (`settle_receipt`), and a later `update_provider` cannot reprice an open escrow.
//! An operator cannot open an escrow to itself: it would pay its own provider with
//! receipts it signs itself, making up usage at no cost but the protocol fee. The check is
//! needed here only: neither an escrow's consumer nor a provider's operator ever changes,
//! so `settle_receipt` pays a consumer other than the operator by construction. (A second
//! wallet of the operator's is indistinguishable on-chain; what keeps it honest is the
//! price every receipt must pay, of which the protocol fee never returns to the operator.)
//!
//! Accounts:
//! 0. `[writable, signer]` consumer: pays for both accounts
//! 1. `[writable]` config: counts the open escrow
//! 2. `[writable]` provider: active, with a price for `mint`; counts the escrows opened
//! 3. `[]` mint: MEDIA or the quote mint
//! 4. `[writable]` escrow: PDA `[consumer, provider, mint]`
//! 5. `[writable]` vault: PDA `["escrow_vault", escrow]`, a token account owned by the escrow
//! 6. `[]` token_program
//! 7. `[]` system_program
use super::config_unpaused_mut;
use media_bandwidth_interface::error::BandwidthError;
use media_bandwidth_interface::event::EscrowOpened;
use media_bandwidth_interface::seeds;
use media_bandwidth_interface::state::{Escrow, Provider};
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::{create, create_token_account, load_mut, NewPda};
use media_core::{checks, token, ProgramResult};

pub fn process(ctx: &Context) -> ProgramResult {
    let [consumer, config, provider, mint, escrow, vault, token_program, system_program] =
        ctx.accounts()?;
    let program_id = ctx.program_id;
    ctx.no_args()?;
    checks::writable_signer(consumer)?;
    checks::writable(escrow)?;
    checks::writable(vault)?;
    token::check_program(token_program)?;
    checks::system_program(system_program)?;
    let (nonce, price) = {
        let mut config_state = config_unpaused_mut(config, program_id)?;
        let mut provider_state = load_mut::<Provider>(provider, program_id)?;
        if !provider_state.active.get() {
            return Err(BandwidthError::ProviderInactive.into());
        }
        if checks::same(&provider_state.operator, consumer.address()) {
            return Err(BandwidthError::SelfDealing.into());
        }
        let price = if checks::same(mint.address(), &config_state.media_mint) {
            provider_state.media_price_per_gib.get()
        } else if checks::same(mint.address(), &config_state.quote_mint) {
            provider_state.quote_price_per_gib.get()
        } else {
            0
        };
        if price == 0 {
            return Err(BandwidthError::MintNotAccepted.into());
        }
        let nonce = provider_state.escrows_opened.get();
        provider_state.escrows_opened.try_add(1)?;
        config_state.open_escrows.try_add(1)?;
        (nonce, price)
    };
    let (mut state, bump) = create::<Escrow>(&NewPda {
        payer: consumer,
        account: escrow,
        seeds: &[
            consumer.address().as_ref(),
            provider.address().as_ref(),
            mint.address().as_ref(),
        ],
        program_id,
    })?;
    let vault_bump = create_token_account(
        &NewPda {
            payer: consumer,
            account: vault,
            seeds: &[seeds::ESCROW_VAULT, escrow.address().as_ref()],
            program_id,
        },
        mint,
        escrow.address(),
    )?;
    state.consumer = *consumer.address();
    state.provider = *provider.address();
    state.mint = *mint.address();
    state.vault = *vault.address();
    state.nonce.set(nonce);
    state.price_per_gib.set(price);
    state.bump = bump;
    state.vault_bump = vault_bump;

    EscrowOpened {
        nonce: state.nonce,
        price_per_gib: state.price_per_gib,
    }
    .emit();
    Ok(())
}
