//! One module per instruction, plus the loaders and checks they share. The admin family
//! (`set_authority`, `set_pause_authority`, `set_paused`) is `media_core::admin`'s.
pub mod close_escrow;
pub mod deactivate_provider;
pub mod deposit;
pub mod initialize_config;
pub mod open_escrow;
pub mod register_provider;
pub mod request_close;
pub mod set_activity_window;
pub mod set_parameters;
pub mod settle_receipt;
pub mod update_provider;

use media_bandwidth_interface::bounds;
use media_bandwidth_interface::error::BandwidthError;
use media_bandwidth_interface::event::{ParametersUpdated, ProviderUpdated};
use media_bandwidth_interface::instruction::{ParametersArgs, ProviderPricesArgs};
use media_bandwidth_interface::state::{BandwidthConfig, Escrow, Provider};
use media_core::admin::within;
use media_core::state::{load, load_mut};
use media_core::{checks, event::Event, AccountView, Address, ProgramError};
use media_staking_interface::state::{
    load_config, load_operator_pool, load_stake_account, OperatorPool,
};
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

/// [`config_unpaused`] for an instruction that moves one of the config's counters. Inlined:
/// out of line, its `Result` went through the stack to each caller and back.
#[inline(always)]
pub fn config_unpaused_mut<'a>(
    config: &'a AccountView,
    program_id: &Address,
) -> Result<RefMut<'a, BandwidthConfig>, ProgramError> {
    let loaded = load_mut::<BandwidthConfig>(config, program_id)?;
    loaded.pause.require_unpaused()?;
    Ok(loaded)
}

/// Checks fee and window parameters against their bounds.
#[inline(never)]
pub fn check_parameters(args: &ParametersArgs) -> Result<(), ProgramError> {
    within(args.protocol_fee_bps.get(), bounds::PROTOCOL_FEE_BPS)?;
    within(args.staker_share_bps.get(), bounds::STAKER_SHARE_BPS)?;
    within(args.quota_window.get(), bounds::QUOTA_WINDOW)?;
    within(args.dispute_window.get(), bounds::DISPUTE_WINDOW)
}

/// Checks a provider's prices: within bounds, at least one mint accepted. Inlined: five
/// compares, which an out-of-line call's set-up and `Result` through the stack outweighed.
#[inline(always)]
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
    /// Delegated stake counts for quota up to this multiple of the operator's own.
    pub delegation_cap: u64,
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
        delegation_cap: staking.delegation_cap.get() as u64,
    })
}

/// Loads `operator`'s OperatorPool through the staking interface (owner, length and
/// discriminator checked: only media_staking writes one, at the PDA of its operator) and
/// requires it to be the operator's own.
#[inline(always)]
pub fn operator_pool<'a>(
    pool: &'a AccountView,
    operator: &AccountView,
) -> Result<Ref<'a, OperatorPool>, ProgramError> {
    let loaded = load_operator_pool(pool)?;
    if !checks::same(&loaded.operator, operator.address()) {
        return Err(BandwidthError::OperatorPoolMismatch.into());
    }
    Ok(loaded)
}

/// What the operator's pool means for a settlement at `now`.
pub struct PoolTerms {
    /// Stake bound to the operator by others (its own self-bond excluded).
    pub delegated: u64,
    /// The delegators' share of the provider's part of MEDIA fees, in basis points.
    pub fee_share_bps: u16,
}

/// Reads the operator's pool in place (no copy of it): the stake delegated to the operator and
/// the fee share in effect at `now`; requires `fee_share_vault` to be the vault the pool names.
#[inline(never)]
pub fn pool_terms(
    pool: &AccountView,
    operator: &AccountView,
    fee_share_vault: &AccountView,
    now: i64,
) -> Result<PoolTerms, ProgramError> {
    let pool = operator_pool(pool, operator)?;
    check_vault(fee_share_vault, &pool.fee_share_vault)?;
    Ok(PoolTerms {
        // The staking program keeps `self_bound <= bound_total`.
        delegated: pool.bound_total.get().saturating_sub(pool.self_bound.get()),
        fee_share_bps: pool.terms_at(now).1,
    })
}

/// Requires `vault` to be the vault expected (the escrow's, the treasury's, the fee share's).
#[inline(always)]
pub fn check_vault(vault: &AccountView, expected: &Address) -> Result<(), ProgramError> {
    if !checks::same(vault.address(), expected) {
        return Err(refused(BandwidthError::InvalidVault));
    }
    Ok(())
}

/// `error` as a `ProgramError`, out of line: a check that fails branches to its own call
/// instead of loading its code, on the path of every account that passes, into the register
/// a shared error exit returns (one instruction per check).
#[cold]
#[inline(never)]
pub fn refused(error: BandwidthError) -> ProgramError {
    error.into()
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

/// Stores checked parameters and emits every parameter (`ParametersUpdated`).
#[inline(never)]
pub fn apply_parameters(config: &mut BandwidthConfig, args: &ParametersArgs) {
    config.protocol_fee_bps = args.protocol_fee_bps;
    config.staker_share_bps = args.staker_share_bps;
    config.quota_window = args.quota_window;
    config.dispute_window = args.dispute_window;
    emit_parameters(config);
}

/// Emits every parameter of `config` as it is now (`ParametersUpdated`).
#[inline(never)]
pub fn emit_parameters(config: &BandwidthConfig) {
    ParametersUpdated {
        protocol_fee_bps: config.protocol_fee_bps,
        staker_share_bps: config.staker_share_bps,
        quota_window: config.quota_window,
        dispute_window: config.dispute_window,
        activity_window: config.activity_window,
    }
    .emit();
}

/// Emits a provider as it is after a change (which provider is the instruction's account).
#[inline(never)]
pub fn emit_provider_updated(state: &Provider) {
    ProviderUpdated {
        media_price_per_gib: state.media_price_per_gib,
        quote_price_per_gib: state.quote_price_per_gib,
        active: state.active,
    }
    .emit();
}
