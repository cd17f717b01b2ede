//! One module per instruction, plus the loaders and checks they share.
pub mod close_escrow;
pub mod deactivate_provider;
pub mod deposit;
pub mod initialize_config;
pub mod open_escrow;
pub mod register_provider;
pub mod request_close;
pub mod set_authority;
pub mod set_parameters;
pub mod set_pause_authority;
pub mod set_paused;
pub mod settle_receipt;
pub mod update_provider;

use media_bandwidth_interface::bounds;
use media_bandwidth_interface::error::BandwidthError;
use media_bandwidth_interface::event::{ConfigUpdated, ProviderUpdated};
use media_bandwidth_interface::instruction::{ParametersArgs, ProviderPricesArgs};
use media_bandwidth_interface::state::{BandwidthConfig, Escrow, Provider};
use media_core::error::{err, CommonError};
use media_core::ix::Context;
use media_core::state::{load, load_mut};
use media_core::{checks, event::Event, AccountView, Address, ProgramError};
use media_staking_interface::state::{load_config, load_stake_account};
use pinocchio::account::{Ref, RefMut};

/// Loads the config for a state change, refusing it while the program is paused.
pub fn config_unpaused<'a>(
    config: &'a AccountView,
    program_id: &Address,
) -> Result<Ref<'a, BandwidthConfig>, ProgramError> {
    let loaded = load::<BandwidthConfig>(config, program_id)?;
    loaded.pause.require_unpaused()?;
    Ok(loaded)
}

/// Requires a bounded parameter to lie within `[low, high]`.
pub fn within<T: PartialOrd>(value: T, (low, high): (T, T)) -> Result<(), ProgramError> {
    if value < low || value > high {
        return err(CommonError::ParameterOutOfBounds);
    }
    Ok(())
}

/// Checks fee and window parameters against their bounds.
#[inline(never)]
pub fn check_parameters(args: &ParametersArgs) -> Result<(), ProgramError> {
    within(args.protocol_fee_bps.get(), bounds::PROTOCOL_FEE_BPS)?;
    within(args.staker_share_bps.get(), bounds::STAKER_SHARE_BPS)?;
    within(args.quota_window.get(), bounds::QUOTA_WINDOW)?;
    within(args.dispute_window.get(), bounds::DISPUTE_WINDOW)
}

/// Checks a provider's prices: within bounds, at least one mint accepted.
#[inline(never)]
pub fn check_prices(args: &ProviderPricesArgs) -> Result<(), ProgramError> {
    within(args.media_price_per_gib.get(), bounds::PRICE_PER_GIB)?;
    within(args.quote_price_per_gib.get(), bounds::PRICE_PER_GIB)?;
    if args.media_price_per_gib.get() == 0 && args.quote_price_per_gib.get() == 0 {
        return Err(BandwidthError::NoPriceSet.into());
    }
    Ok(())
}

/// The operator's standing in `media_staking`, read from its accounts.
pub struct OperatorStake {
    pub active: u64,
    pub quota_bytes_per_media: u64,
    pub min_stake: u64,
    /// The staking config's vault, where the stakers' share of fees is paid.
    pub staking_vault: Address,
}

impl OperatorStake {
    /// Requires the stake to be at least `min_stake`: to register or update a provider. Not to
    /// settle: data already served stays payable when the minimum rises (the quota still
    /// bounds what is settled).
    pub fn require_minimum(&self) -> Result<(), ProgramError> {
        if self.active < self.min_stake {
            return Err(BandwidthError::ProviderStakeBelowMinimum.into());
        }
        Ok(())
    }
}

/// Reads `operator`'s stake account and the staking config (owner, length and
/// discriminator checked by the staking interface's loaders), requiring the stake to belong
/// to the operator.
#[inline(never)]
pub fn operator_stake(
    staking_config: &AccountView,
    stake_account: &AccountView,
    operator: &AccountView,
) -> Result<OperatorStake, ProgramError> {
    let staking = load_config(staking_config)?;
    let stake = load_stake_account(stake_account)?;
    if !checks::same(&stake.owner, operator.address()) {
        return Err(BandwidthError::StakeOwnerMismatch.into());
    }
    Ok(OperatorStake {
        active: stake.active.get(),
        quota_bytes_per_media: staking.quota_bytes_per_media.get(),
        min_stake: staking.min_stake.get(),
        staking_vault: staking.vault,
    })
}

/// Loads `operator`'s provider account for a change.
pub fn operated_provider<'a>(
    provider: &'a AccountView,
    operator: &AccountView,
    program_id: &Address,
) -> Result<RefMut<'a, Provider>, ProgramError> {
    let loaded = load_mut::<Provider>(provider, program_id)?;
    if !checks::same(&loaded.operator, operator.address()) {
        return Err(BandwidthError::ProviderMismatch.into());
    }
    Ok(loaded)
}

/// Loads `consumer`'s escrow for a change.
pub fn consumer_escrow<'a>(
    escrow: &'a AccountView,
    consumer: &AccountView,
    program_id: &Address,
) -> Result<RefMut<'a, Escrow>, ProgramError> {
    let loaded = load_mut::<Escrow>(escrow, program_id)?;
    if !checks::same(&loaded.consumer, consumer.address()) {
        return err(CommonError::Unauthorized);
    }
    Ok(loaded)
}

/// Requires `vault` to be the vault expected (the escrow's, or the treasury's).
pub fn check_vault(vault: &AccountView, expected: &Address) -> Result<(), ProgramError> {
    if !checks::same(vault.address(), expected) {
        return Err(BandwidthError::InvalidVault.into());
    }
    Ok(())
}

/// Requires `treasury_vault` to be the vault the treasury config names for `mint`. The config is
/// loaded through the treasury's interface: its owner and discriminator prove it is the
/// treasury's one config, so no copy of the vault address is needed here.
pub fn check_treasury_vault(
    treasury_config: &AccountView,
    treasury_vault: &AccountView,
    mint: &Address,
) -> Result<(), ProgramError> {
    let treasury = media_treasury_interface::state::load_config(treasury_config)?;
    match treasury.vault_for(mint) {
        Some(expected) => check_vault(treasury_vault, expected),
        None => Err(BandwidthError::InvalidVault.into()),
    }
}

/// Seeds of an escrow PDA (the vault's token authority).
pub fn escrow_seeds<'a>(escrow: &'a Escrow, bump: &'a [u8; 1]) -> [pinocchio::cpi::Seed<'a>; 4] {
    [
        escrow.consumer.as_ref().into(),
        escrow.provider.as_ref().into(),
        escrow.mint.as_ref().into(),
        bump.into(),
    ]
}

/// Emits the config as it is after a change.
#[inline(never)]
pub fn emit_config_updated(config: &BandwidthConfig) {
    ConfigUpdated {
        authority: config.authority,
        pause_authority: config.pause_authority,
        protocol_fee_bps: config.protocol_fee_bps,
        staker_share_bps: config.staker_share_bps,
        quota_window: config.quota_window,
        dispute_window: config.dispute_window,
        pause: config.pause,
    }
    .emit();
}

/// Emits a provider as it is after a change.
#[inline(never)]
pub fn emit_provider_updated(provider: &AccountView, state: &Provider) {
    ProviderUpdated {
        provider: *provider.address(),
        media_price_per_gib: state.media_price_per_gib,
        quote_price_per_gib: state.quote_price_per_gib,
        active: state.active,
    }
    .emit();
}

/// What an authority-only setter does while the program is paused.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum WhilePaused {
    /// A parameter change: refused, like every other state change.
    Refused,
    /// A change of role (authority, pause authority): open, so a pause can always be lifted
    /// and a rogue pause key replaced.
    Open,
}

/// The shape of every authority-only setter: unpack `[authority, config, ..]`, check the
/// authority (and the pause, for a parameter change), apply the change, emit the resulting
/// config.
///
/// Accounts:
/// 0. `[signer]` authority
/// 1. `[writable]` config
pub fn update_config(
    ctx: &Context,
    while_paused: WhilePaused,
    apply: impl FnOnce(&mut BandwidthConfig),
) -> Result<(), ProgramError> {
    let [authority, config, ..] = ctx.accounts else {
        return err(CommonError::NotEnoughAccounts);
    };
    checks::signer(authority)?;
    let mut state = load_mut::<BandwidthConfig>(config, ctx.program_id)?;
    checks::address_is(
        authority.address(),
        &state.authority,
        CommonError::Unauthorized,
    )?;
    if while_paused == WhilePaused::Refused {
        state.pause.require_unpaused()?;
    }
    apply(&mut state);
    emit_config_updated(&state);
    Ok(())
}
