//! `deposit(amount)`: moves tokens from the consumer into the escrow's vault.
//!
//! Accounts:
//! 0. `[signer]` consumer
//! 1. `[writable]` consumer_token_account: source, of the escrow's mint
//! 2. `[]` config
//! 3. `[writable]` escrow
//! 4. `[writable]` vault
//! 5. `[]` token_program
use super::{check_vault, config_unpaused, consumer_escrow};
use media_bandwidth_interface::error::BandwidthError;
use media_bandwidth_interface::event::EscrowFunded;
use media_bandwidth_interface::instruction::AmountArgs;
use media_core::error::{err, CommonError};
use media_core::event::Event;
use media_core::ix::{parse_args, Context};
use media_core::{checks, math, token, ProgramResult};

pub fn process(ctx: &Context) -> ProgramResult {
    let Context {
        program_id,
        accounts,
        args,
    } = *ctx;
    let [consumer, consumer_token_account, config, escrow, vault, token_program, ..] = accounts
    else {
        return err(CommonError::NotEnoughAccounts);
    };
    let amount = parse_args::<AmountArgs>(args)?.amount.get();
    checks::signer(consumer)?;
    token::check_program(token_program)?;
    if amount == 0 {
        return Err(BandwidthError::ZeroAmount.into());
    }
    config_unpaused(config, program_id)?;
    let balance = {
        let mut state = consumer_escrow(escrow, consumer, program_id)?;
        if state.close_requested() {
            return Err(BandwidthError::EscrowClosing.into());
        }
        check_vault(vault, &state.vault)?;
        checks::distinct(consumer_token_account, vault)?;
        token::check_owned_account(consumer_token_account, &state.mint, consumer)?;
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
        escrow: *escrow.address(),
        amount: amount.into(),
        balance: balance.into(),
    }
    .emit();
    Ok(())
}
