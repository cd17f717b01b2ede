//! `take(quote_amount, max_media_in)`: buys part of the running auction's lot.
//!
//! The fill is `min(quote_amount, lot_remaining)`; it costs
//! `ceil(fill * price / PRICE_SCALE)` MEDIA at the current price, which must not exceed
//! `max_media_in`. The taker's MEDIA is burned straight from their account (an SPL burn
//! they sign for), the quote is paid out of the vault (signed by the config), and the fill's
//! price becomes the last clearing price. Refused while paused.
//!
//! Accounts:
//! 0. `[signer]` taker
//! 1. `[writable]` taker_media_account: MEDIA, owned by the taker, burned from
//! 2. `[writable]` taker_quote_account: quote token account paid to (any owner)
//! 3. `[writable]` config: signs for the quote vault
//! 4. `[writable]` quote_vault
//! 5. `[writable]` media_mint
//! 6. `[]` token_program
use super::{burn, check_vault, config_unpaused, expect_address, transfer_from_vault};
use media_core::error::CommonError;
use media_core::event::Event;
use media_core::ix::{parse_args, Context};
use media_core::{checks, sysvar, token, ProgramResult};
use media_treasury_interface::auction;
use media_treasury_interface::error::TreasuryError;
use media_treasury_interface::event::AuctionTaken;
use media_treasury_interface::instruction::TakeArgs;

#[inline(never)]
pub fn process(ctx: &Context) -> ProgramResult {
    let Context {
        program_id,
        accounts,
        args,
    } = *ctx;
    let [taker, taker_media_account, taker_quote_account, config, quote_vault, media_mint, token_program, ..] =
        accounts
    else {
        return Err(CommonError::NotEnoughAccounts.into());
    };
    let args = parse_args::<TakeArgs>(args)?;
    checks::signer(taker)?;
    token::check_program(token_program)?;
    let quote_amount = args.quote_amount.get();
    if quote_amount == 0 {
        return Err(TreasuryError::ZeroAmount.into());
    }
    let (event, bump) = {
        let mut state = config_unpaused(config, program_id)?;
        check_vault(quote_vault, &state.quote_vault)?;
        expect_address(
            media_mint.address(),
            &state.media_mint,
            CommonError::InvalidMint as u32,
        )?;
        checks::writable(media_mint)?;
        checks::distinct(taker_quote_account, quote_vault)?;
        token::checked_amount(taker_quote_account, &state.quote_mint, None)?;
        let media_balance = token::checked_amount(
            taker_media_account,
            &state.media_mint,
            Some(taker.address()),
        )?;
        let now = auction::clock(&state, sysvar::unix_timestamp()?);
        let lot_remaining = state.lot_remaining.get();
        if now >= state.auction_end.get() || lot_remaining == 0 {
            return Err(TreasuryError::AuctionEnded.into());
        }
        let fill = quote_amount.min(lot_remaining);
        let price = auction::price_at(&state, now)?;
        let media_in = auction::media_for_quote(fill, price)?;
        if media_in > args.max_media_in.get() {
            return Err(TreasuryError::SlippageExceeded.into());
        }
        if media_in > media_balance {
            return Err(TreasuryError::InsufficientFunds.into());
        }
        state.lot_remaining.try_sub(fill)?;
        state.auction_media_in.try_add(media_in)?;
        state.last_clearing_price.set(price);
        state.total_burned.try_add(media_in)?;
        state.total_bought_back.try_add(media_in)?;
        state.total_quote_sold.try_add(fill)?;
        let event = AuctionTaken {
            auction_id: state.auction_id,
            taker: *taker.address(),
            quote_amount: fill.into(),
            media_in: media_in.into(),
            price: price.into(),
            lot_remaining: state.lot_remaining,
            total_burned: state.total_burned,
            total_bought_back: state.total_bought_back,
        };
        (event, state.bump)
    };
    burn(
        &token::Burn {
            account: taker_media_account,
            mint: media_mint,
            authority: taker,
            amount: event.media_in.get(),
        },
        None,
    )?;
    transfer_from_vault(
        &token::Transfer {
            from: quote_vault,
            to: taker_quote_account,
            authority: config,
            amount: event.quote_amount.get(),
        },
        bump,
    )?;

    event.emit();
    Ok(())
}
