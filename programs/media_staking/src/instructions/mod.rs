//! One module per instruction, plus the loaders they share. The admin family
//! (`set_authority`, `set_pause_authority`, `set_paused`) is `media_core::admin`'s.
pub mod cancel_unstake;
pub mod claim_commission;
pub mod claim_delegation_rewards;
pub mod claim_rewards;
pub mod delegate;
pub mod fund_rewards;
pub mod initialize_config;
pub mod initialize_rewards_pool;
pub mod lock_stake;
pub mod open_operator;
pub mod release_emissions;
pub mod request_unstake;
pub mod set_commission;
pub mod set_delegation_params;
pub mod set_emission_schedule;
pub mod stake;
pub mod sync_operator;
pub mod sync_rewards;
pub mod undelegate;
pub mod withdraw;

use crate::rewards;
use media_core::admin::config_for_authority;
use media_core::ix::Context;
use media_core::state::{load_held, load_mut};
use media_core::{
    checks, event::Event, sysvar, token, AccountView, Address, ProgramError, ProgramResult,
};
use media_staking_interface::error::StakingError;
use media_staking_interface::event::{ParametersUpdated, RewardsClaimed, Withdrawn};
use media_staking_interface::state::{StakeAccount, StakingConfig};
use pinocchio::account::RefMut;
use pinocchio::cpi::Signer;

/// Loads the config for a change that adds risk (new stake, rebonding, parameter changes),
/// refusing it while the program is paused at `now` (the caller's one clock read). What
/// returns users' funds or reduces risk (`request_unstake`, `withdraw`, `claim_rewards`,
/// `fund_rewards`, `sync_rewards`, `lock_stake`) and the admin family load the config without
/// this check.
pub fn config_unpaused<'a>(
    config: &'a AccountView,
    program_id: &Address,
    now: i64,
) -> Result<RefMut<'a, StakingConfig>, ProgramError> {
    let loaded = load_mut::<StakingConfig>(config, program_id)?;
    loaded.pause.require_unpaused_at(now)?;
    Ok(loaded)
}

/// Requires `vault` to be the config's vault.
pub fn check_vault(vault: &AccountView, config: &StakingConfig) -> Result<(), ProgramError> {
    if !checks::same(vault.address(), &config.vault) {
        return Err(StakingError::InvalidVault.into());
    }
    Ok(())
}

/// Seeds of the config PDA, which signs for the vault.
pub fn config_seeds(bump: &[u8; 1]) -> [pinocchio::cpi::Seed<'_>; 2] {
    [media_staking_interface::seeds::CONFIG.into(), bump.into()]
}

/// The shape of every parameter setter: check the authority, refuse while paused (a
/// parameter change is new risk), apply the change and emit `ParametersUpdated`.
///
/// Accounts: see `media_core::admin::config_for_authority`.
pub(crate) fn update_parameters(
    ctx: &Context,
    apply: impl FnOnce(&mut StakingConfig),
) -> Result<(), ProgramError> {
    let mut config = config_for_authority::<StakingConfig>(ctx)?;
    config.pause.require_unpaused()?;
    apply(&mut config);
    ParametersUpdated {
        min_stake: config.min_stake,
        unbonding_period: config.unbonding_period,
        quota_bytes_per_media: config.quota_bytes_per_media,
        reward_duration: config.reward_duration,
        delegation_cap: config.delegation_cap,
        commission_notice: config.commission_notice,
    }
    .emit();
    Ok(())
}

/// Declares the bounded one-parameter setters: `name(Args.field, bound)` sets the config's
/// `field` from the argument of the same name, within `bound`.
macro_rules! parameter_setters {
    ($($(#[doc = $doc:literal])* $name:ident($args:ident . $field:ident, $bound:path);)*) => {$(
        $(#[doc = $doc])*
        pub mod $name {
            /// Refused while paused. Accounts: see `media_core::admin::config_for_authority`.
            pub fn process(ctx: &media_core::ix::Context) -> media_core::ProgramResult {
                let value = ctx.args::<media_staking_interface::instruction::$args>()?.$field;
                media_core::admin::within(value.get(), $bound)?;
                super::update_parameters(ctx, |config| config.$field = value)
            }
        }
    )*};
}

parameter_setters! {
    /// `set_min_stake`: the minimum active stake.
    set_min_stake(SetMinStakeArgs.min_stake, media_staking_interface::bounds::MIN_STAKE);
    /// `set_unbonding_period`: seconds between `request_unstake` and `withdraw`; a request
    /// already made keeps its end.
    set_unbonding_period(SetUnbondingPeriodArgs.unbonding_period, media_staking_interface::bounds::UNBONDING_PERIOD);
    /// `set_quota_bytes_per_media`: the bandwidth quota rate.
    set_quota_bytes_per_media(SetQuotaBytesPerMediaArgs.quota_bytes_per_media, media_staking_interface::bounds::QUOTA_BYTES_PER_MEDIA);
    /// `set_reward_duration`: the seconds over which new rewards stream out. The running
    /// period keeps its end; the new duration applies from the next (re)start.
    set_reward_duration(SetRewardDurationArgs.reward_duration, media_staking_interface::bounds::REWARD_DURATION);
}

/// What `claim_rewards` and `withdraw` pay out.
#[derive(Clone, Copy)]
pub enum Payout {
    /// The owner's rewards streamed so far.
    Rewards,
    /// The owner's unbonded stake, once the unbonding period has ended.
    Unbonded,
}

/// What `claim_rewards` and `withdraw` share: their accounts, checks and payout. Brings the
/// reward stream up to the clock (folding what arrived in the vault), books `payout` out of
/// the owner's stake and the config, and has the vault pay it to the owner's token account,
/// the config signing; then says so (`RewardsClaimed` or `Withdrawn`).
///
/// Accounts:
/// 0. `[signer]` owner
/// 1. `[writable]` owner_token_account: MEDIA destination
/// 2. `[writable]` config: signs for the vault
/// 3. `[writable]` stake_account
/// 4. `[writable]` vault
/// 5. `[]` token_program
/// 6. `[]` clock: the Clock sysvar
#[inline(never)]
pub fn pay_owner(ctx: &Context, payout: Payout) -> ProgramResult {
    let [owner, owner_token_account, config, stake_account, vault, token_program, clock] =
        ctx.accounts()?;
    ctx.no_args()?;
    checks::signer(owner)?;
    token::check_program(token_program)?;
    let (amount, bump) = {
        let mut config_state = load_mut::<StakingConfig>(config, ctx.program_id)?;
        check_vault(vault, &config_state)?;
        checks::distinct(owner_token_account, vault)?;
        // Its mint is the token program's check (see `token::Transfer`).
        token::check_is_account(owner_token_account)?;
        let mut stake = load_held::<StakeAccount>(stake_account, owner, ctx.program_id)?;
        let now = sysvar::unix_timestamp_of_inline(clock)?;
        rewards::catch_up(&mut config_state, &rewards::NewRewards::arrived(vault, now))?;
        let amount = match payout {
            Payout::Rewards => take_rewards(&mut config_state, &mut stake)?,
            Payout::Unbonded => take_unbonded(&mut config_state, &mut stake, now)?,
        };
        (amount, config_state.bump)
    };
    let bump = [bump];
    token::Transfer {
        from: vault,
        to: owner_token_account,
        authority: config,
        amount,
    }
    .invoke(Some(&Signer::from(&config_seeds(&bump))))?;
    let amount = amount.into();
    match payout {
        Payout::Rewards => RewardsClaimed { amount }.emit(),
        Payout::Unbonded => Withdrawn { amount }.emit(),
    }
    Ok(())
}

/// Books the owner's settled rewards out of the reserve.
fn take_rewards(config: &mut StakingConfig, stake: &mut StakeAccount) -> Result<u64, ProgramError> {
    rewards::settle(stake, config)?;
    let amount = stake.rewards_owed.get();
    if amount == 0 {
        return Err(StakingError::NoRewards.into());
    }
    stake.rewards_owed.set(0);
    stake.total_claimed.try_add(amount)?;
    config.reward_reserve.try_sub(amount)?;
    Ok(amount)
}

/// Books the owner's unbonding stake out, once its period has ended at `now`.
fn take_unbonded(
    config: &mut StakingConfig,
    stake: &mut StakeAccount,
    now: i64,
) -> Result<u64, ProgramError> {
    let amount = stake.unbonding.get();
    if amount == 0 {
        return Err(StakingError::NothingUnbonding.into());
    }
    if now < stake.unbonding_end.get() {
        return Err(StakingError::UnbondingNotFinished.into());
    }
    stake.unbonding.set(0);
    stake.unbonding_end.set(0);
    config.total_unbonding.try_sub(amount)?;
    Ok(amount)
}
