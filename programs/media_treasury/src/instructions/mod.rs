//! One module per instruction, plus the loaders and checks they share. The admin family
//! (`set_authority`, `set_pause_authority`, `set_paused`) is `media_core::admin`'s.
pub mod burn_fees;
pub mod initialize_config;
pub mod set_auction_params;
pub mod set_reference_price;
pub mod spend;
pub mod start_auction;
pub mod take;

use media_core::error::CommonError;
use media_core::state::load_mut;
use media_core::{checks, event::Event, token, AccountView, Address, ProgramError, ProgramResult};
use media_treasury_interface::error::TreasuryError;
use media_treasury_interface::event::ParametersUpdated;
use media_treasury_interface::instruction::AuctionParams;
use media_treasury_interface::state::TreasuryConfig;
use media_treasury_interface::{auction, bounds};
use pinocchio::account::RefMut;
use pinocchio::address::address_eq;
use pinocchio::cpi::Signer;

/// Loads the config for a state change, refusing it while the program is paused.
///
/// Inlined around the shared loader: the config comes back in registers rather than through
/// an out-of-line call's `Result` on the stack (about 10 CU on every state change, for about
/// 60 bytes per call site).
#[inline(always)]
pub fn config_unpaused<'a>(
    config: &'a AccountView,
    program_id: &Address,
) -> Result<RefMut<'a, TreasuryConfig>, ProgramError> {
    let loaded = load_mut::<TreasuryConfig>(config, program_id)?;
    loaded.pause.require_unpaused()?;
    Ok(loaded)
}

/// Requires `account` to be the vault stored at `expected`. Inlined, unlike
/// [`expect_address`]: on the paths every auction takes (start_auction, take) the
/// out-of-line call and its `Result` through the stack cost about 10 CU more.
#[inline(always)]
pub fn check_vault(account: &AccountView, expected: &Address) -> Result<(), ProgramError> {
    if !checks::same(account.address(), expected) {
        return Err(TreasuryError::InvalidVault.into());
    }
    Ok(())
}

/// Requires `media_mint` to be the config's MEDIA mint, writable: the mint a burn reduces.
#[inline(never)]
pub fn check_burn_mint(media_mint: &AccountView, config: &TreasuryConfig) -> ProgramResult {
    expect_address(
        media_mint.address(),
        &config.media_mint,
        CommonError::InvalidMint as u32,
    )?;
    checks::writable(media_mint)
}

/// Requires `actual` to be `expected` (compared as words), failing with the custom error
/// `code` otherwise. Out of line: the program compares a dozen addresses and its size
/// budget is tight.
#[inline(never)]
pub fn expect_address(actual: &Address, expected: &Address, code: u32) -> Result<(), ProgramError> {
    if address_eq(actual, expected) {
        Ok(())
    } else {
        Err(ProgramError::Custom(code))
    }
}

/// Checks every auction parameter against its bounds, and that auctions cannot overlap
/// (`auction_duration <= auction_interval`). Every bound is non-negative, so a negative
/// `i64` read as `u64` is out of bounds too.
#[inline(never)]
pub fn check_params(params: &AuctionParams) -> Result<(), ProgramError> {
    let interval = params.auction_interval.get() as u64;
    let bps = |value: media_core::pod::PodU16, (low, high): (u16, u16)| {
        (value.get() as u64, (low as u64, high as u64))
    };
    let checks: [(u64, (u64, u64)); 8] = [
        (
            interval,
            (
                bounds::AUCTION_INTERVAL.0 as u64,
                bounds::AUCTION_INTERVAL.1 as u64,
            ),
        ),
        (
            params.auction_duration.get() as u64,
            (
                bounds::AUCTION_DURATION.0 as u64,
                (bounds::AUCTION_DURATION.1 as u64).min(interval),
            ),
        ),
        (params.max_lot.get(), bounds::MAX_LOT),
        bps(params.premium_bps, bounds::PREMIUM_BPS),
        bps(params.floor_bps, bounds::FLOOR_BPS),
        bps(params.min_fill_bps, bounds::MIN_FILL_BPS),
        bps(params.min_sold_bps, bounds::MIN_SOLD_BPS),
        bps(params.max_step_bps, bounds::MAX_STEP_BPS),
    ];
    for (value, (low, high)) in checks {
        if value < low || value > high {
            return Err(CommonError::ParameterOutOfBounds.into());
        }
    }
    Ok(())
}

/// Requires a reference price within the price bounds.
#[inline(always)]
pub fn check_price(price: u64) -> Result<(), ProgramError> {
    if price < bounds::PRICE.0 || price > bounds::PRICE.1 {
        return Err(CommonError::ParameterOutOfBounds.into());
    }
    Ok(())
}

/// Stores checked auction parameters.
pub fn apply_params(config: &mut TreasuryConfig, params: &AuctionParams) {
    config.auction_interval = params.auction_interval;
    config.auction_duration = params.auction_duration;
    config.max_lot = params.max_lot;
    config.premium_bps = params.premium_bps;
    config.floor_bps = params.floor_bps;
    config.min_fill_bps = params.min_fill_bps;
    config.min_sold_bps = params.min_sold_bps;
    config.max_step_bps = params.max_step_bps;
}

/// Whether an auction is running with lot left to sell, at wall time `now` (its end moves
/// with the time the treasury spent paused). The lot test is inlined (a sold-out or first
/// auction needs no clock arithmetic), the clock out of line.
#[inline(always)]
pub fn auction_live(config: &TreasuryConfig, now: i64) -> bool {
    config.lot_remaining.get() > 0 && auction_running(config, now)
}

/// Whether the current auction's clock at wall time `now` is before its end.
#[inline(never)]
pub fn auction_running(config: &TreasuryConfig, now: i64) -> bool {
    auction::clock(config, now) < config.auction_end.get()
}

/// Emits the auction parameters and the reference price as they are after a change.
#[inline(never)]
pub fn emit_parameters_updated(config: &TreasuryConfig) {
    ParametersUpdated {
        auction_interval: config.auction_interval,
        auction_duration: config.auction_duration,
        max_lot: config.max_lot,
        reference_price: config.reference_price,
        premium_bps: config.premium_bps,
        floor_bps: config.floor_bps,
        min_fill_bps: config.min_fill_bps,
        min_sold_bps: config.min_sold_bps,
        max_step_bps: config.max_step_bps,
    }
    .emit();
}

/// `Burn` CPI. Inlined: `token::Burn::invoke` already goes through media-core's one
/// out-of-line `invoke_token`, so a second out-of-line call here only adds its frame.
#[inline(always)]
pub fn burn(burn: &token::Burn, signer: Option<&Signer>) -> ProgramResult {
    burn.invoke(signer)
}

/// `Transfer` CPI. Inlined for the same reason as [`burn`]: the shared copy is media-core's
/// `invoke_token`.
#[inline(always)]
pub fn transfer(transfer: &token::Transfer, signer: Option<&Signer>) -> ProgramResult {
    transfer.invoke(signer)
}

/// `Transfer` CPI out of a vault, signed by the config (take and spend).
#[inline(always)]
pub fn transfer_from_vault(transfer_ix: &token::Transfer, bump: u8) -> ProgramResult {
    let bump = [bump];
    transfer(transfer_ix, Some(&Signer::from(&config_seeds(&bump))))
}

/// Seeds of the config PDA, which signs for both vaults.
pub fn config_seeds(bump: &[u8; 1]) -> [pinocchio::cpi::Seed<'_>; 2] {
    [media_treasury_interface::seeds::CONFIG.into(), bump.into()]
}

/// Requires `signer` to be the config authority.
#[inline(always)]
pub fn is_authority(signer: &AccountView, config: &TreasuryConfig) -> Result<(), ProgramError> {
    checks::address_is(
        signer.address(),
        &config.authority,
        CommonError::Unauthorized,
    )
}
