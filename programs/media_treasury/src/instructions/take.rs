//! `take(quote_amount, max_media_in)`: buys part of the running auction's lot.
//!
//! The fill is `min(quote_amount, lot_remaining)`; it costs
//! `ceil(fill * price / PRICE_SCALE)` MEDIA at the current price, which must not exceed
//! `max_media_in`. Of that MEDIA, the bandwidth config's `staker_share_bps` (rounded down) is
//! transferred into the staking vault, which folds it into the stakers' reward stream on its
//! next instruction, and the rest is burned; both straight from the taker's account, signed
//! by the taker. The quote is paid out of the vault (signed by the config). A fill of at least
//! `min_fill_bps` of the lot counts for the next reference price. Refused while paused.
//!
//! Accounts:
//! 0. `[signer]` taker
//! 1. `[writable]` taker_media_account: MEDIA, owned by the taker, paid from
//! 2. `[writable]` taker_quote_account: quote token account paid to (any owner)
//! 3. `[writable]` config: signs for the quote vault
//! 4. `[writable]` quote_vault
//! 5. `[writable]` media_mint
//! 6. `[]` token_program
//! 7. `[]` bandwidth_config: media_bandwidth's config (`staker_share_bps`)
//! 8. `[]` staking_config: media_staking's config, which names its vault
//! 9. `[writable]` staking_vault
//! 10. `[]` clock: the Clock sysvar
use super::{
    burn, check_burn_mint, check_vault, config_unpaused, expect_address, transfer,
    transfer_from_vault,
};
use media_core::event::Event;
use media_core::ix::Context;
use media_core::pod::PodBool;
use media_core::{checks, math, sysvar, token, ProgramResult};
use media_treasury_interface::error::TreasuryError;
use media_treasury_interface::event::AuctionTaken;
use media_treasury_interface::instruction::TakeArgs;
use media_treasury_interface::{auction, BPS};

pub fn process(ctx: &Context) -> ProgramResult {
    let [taker, taker_media_account, taker_quote_account, config, quote_vault, media_mint, token_program, bandwidth_config, staking_config, staking_vault, clock] =
        ctx.accounts()?;
    let program_id = ctx.program_id;
    let args = ctx.args::<TakeArgs>()?;
    checks::signer(taker)?;
    token::check_program(token_program)?;
    let quote_amount = args.quote_amount.get();
    if quote_amount == 0 {
        return Err(TreasuryError::ZeroAmount.into());
    }
    let staker_share_bps =
        media_bandwidth_interface::state::load_config(bandwidth_config)?.staker_share_bps;
    expect_address(
        staking_vault.address(),
        &media_staking_interface::state::load_config(staking_config)?.vault,
        TreasuryError::InvalidVault as u32,
    )?;
    let (event, bump) = {
        let mut state = config_unpaused(config, program_id)?;
        check_vault(quote_vault, &state.quote_vault)?;
        check_burn_mint(media_mint, &state)?;
        // Whose the taker's two token accounts are, their mints and the MEDIA balance are the
        // token program's checks (see `token::Transfer`). The quote vault paying into itself
        // would succeed, so that one is checked here.
        checks::distinct(taker_quote_account, quote_vault)?;
        token::check_is_account(taker_quote_account)?;
        token::check_is_account(taker_media_account)?;
        let now = auction::clock(&state, sysvar::unix_timestamp_of(clock)?);
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
        let to_stakers = math::mul_div(media_in, staker_share_bps.get() as u64, BPS)?;
        let burned = math::sub(media_in, to_stakers)?;
        let counted = auction::at_least_bps(fill, state.lot.get(), state.min_fill_bps.get());
        state.lot_remaining.try_sub(fill)?;
        state.auction_media_in.try_add(media_in)?;
        if counted {
            state.auction_counted_quote.try_add(fill)?;
            state.auction_counted_media.try_add(media_in)?;
        }
        state.last_clearing_price.set(price);
        state.total_burned.try_add(burned)?;
        state.total_bought_back.try_add(media_in)?;
        state.total_buyback_burned.try_add(burned)?;
        state.total_buyback_to_stakers.try_add(to_stakers)?;
        state.total_quote_sold.try_add(fill)?;
        let event = AuctionTaken {
            auction_id: state.auction_id,
            quote_amount: fill.into(),
            media_in: media_in.into(),
            media_burned: burned.into(),
            media_to_stakers: to_stakers.into(),
            price: price.into(),
            counted: PodBool::new(counted),
            lot_remaining: state.lot_remaining,
            total_burned: state.total_burned,
            total_bought_back: state.total_bought_back,
            total_buyback_to_stakers: state.total_buyback_to_stakers,
        };
        (event, state.bump)
    };
    if event.media_burned.get() > 0 {
        burn(
            &token::Burn {
                account: taker_media_account,
                mint: media_mint,
                authority: taker,
                amount: event.media_burned.get(),
            },
            None,
        )?;
    }
    if event.media_to_stakers.get() > 0 {
        transfer(
            &token::Transfer {
                from: taker_media_account,
                to: staking_vault,
                authority: taker,
                amount: event.media_to_stakers.get(),
            },
            None,
        )?;
    }
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
