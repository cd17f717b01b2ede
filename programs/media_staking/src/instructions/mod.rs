//! One module per instruction, plus the loaders they share.
pub mod cancel_unstake;
pub mod claim_rewards;
pub mod fund_rewards;
pub mod initialize_config;
pub mod lock_stake;
pub mod request_unstake;
pub mod set_authority;
pub mod set_min_stake;
pub mod set_pause_authority;
pub mod set_paused;
pub mod set_quota_bytes_per_media;
pub mod set_reward_duration;
pub mod set_unbonding_period;
pub mod stake;
pub mod sync_rewards;
pub mod withdraw;

use media_core::error::{err, CommonError};
use media_core::ix::Context;
use media_core::pod::PodU64;
use media_core::state::load_mut;
use media_core::{checks, event::Event, AccountView, Address, ProgramError};
use media_staking_interface::error::StakingError;
use media_staking_interface::event::{ParameterUpdated, RoleUpdated};
use media_staking_interface::state::{StakeAccount, StakingConfig};
use pinocchio::account::RefMut;

/// Loads the config for a change that adds risk (new stake, rebonding, parameter changes),
/// refusing it while the program is paused at `now` (the caller's one clock read). What
/// returns users' funds or reduces risk (`request_unstake`, `withdraw`, `claim_rewards`,
/// `fund_rewards`, `sync_rewards`, `lock_stake`) and what lifts or hands over the pause
/// (`set_paused`, `set_pause_authority`, `set_authority`) loads the config without this check.
pub fn config_unpaused<'a>(
    config: &'a AccountView,
    program_id: &Address,
    now: i64,
) -> Result<RefMut<'a, StakingConfig>, ProgramError> {
    let loaded = load_mut::<StakingConfig>(config, program_id)?;
    loaded.pause.require_unpaused_at(now)?;
    Ok(loaded)
}

/// Loads the config for an authority-only change, after checking the authority's signature.
pub fn config_for_authority<'a>(
    authority: &AccountView,
    config: &'a AccountView,
    program_id: &Address,
) -> Result<RefMut<'a, StakingConfig>, ProgramError> {
    checks::signer(authority)?;
    let loaded = load_mut::<StakingConfig>(config, program_id)?;
    checks::address_is(
        authority.address(),
        &loaded.authority,
        CommonError::Unauthorized,
    )?;
    Ok(loaded)
}

/// Loads `owner`'s stake account for a change.
pub fn owned_stake<'a>(
    stake: &'a AccountView,
    owner: &AccountView,
    program_id: &Address,
) -> Result<RefMut<'a, StakeAccount>, ProgramError> {
    let loaded = load_mut::<StakeAccount>(stake, program_id)?;
    if !checks::same(&loaded.owner, owner.address()) {
        return Err(StakingError::StakeOwnerMismatch.into());
    }
    Ok(loaded)
}

/// Requires `vault` to be the config's vault.
pub fn check_vault(vault: &AccountView, config: &StakingConfig) -> Result<(), ProgramError> {
    if !checks::same(vault.address(), &config.vault) {
        return Err(StakingError::InvalidVault.into());
    }
    Ok(())
}

/// Requires a bounded parameter to lie within `[low, high]`.
pub fn within<T: PartialOrd>(value: T, (low, high): (T, T)) -> Result<(), ProgramError> {
    if value < low || value > high {
        return err(CommonError::ParameterOutOfBounds);
    }
    Ok(())
}

/// Seeds of the config PDA, which signs for the vault.
pub fn config_seeds(bump: &[u8; 1]) -> [pinocchio::cpi::Seed<'_>; 2] {
    [media_staking_interface::seeds::CONFIG.into(), bump.into()]
}

/// The shape of every parameter setter: unpack `[authority, config]`, check the authority,
/// refuse while paused (a parameter change is new risk), then apply the change (which emits
/// its event).
///
/// Accounts:
/// 0. `[signer]` authority
/// 1. `[writable]` config
pub fn update_config(
    ctx: &Context,
    apply: impl FnOnce(&mut StakingConfig),
) -> Result<(), ProgramError> {
    let [authority, config, ..] = ctx.accounts else {
        return err(CommonError::NotEnoughAccounts);
    };
    let mut state = config_for_parameter(authority, config, ctx.program_id)?;
    apply(&mut state);
    Ok(())
}

/// The shape of the role setters (`set_authority`, `set_pause_authority`): as
/// [`update_config`], but open while paused, since handing a role over can be what ends a
/// pause (a rogue pause key replaced).
///
/// Accounts: as [`update_config`].
pub fn update_role(
    ctx: &Context,
    apply: impl FnOnce(&mut StakingConfig),
) -> Result<(), ProgramError> {
    let [authority, config, ..] = ctx.accounts else {
        return err(CommonError::NotEnoughAccounts);
    };
    let mut state = config_for_authority(authority, config, ctx.program_id)?;
    apply(&mut state);
    Ok(())
}

/// [`config_for_authority`], refused while paused. Out of line: the pause check reads the
/// clock, and inlined into each setter it grows the binary and every instruction's dispatch.
#[inline(never)]
fn config_for_parameter<'a>(
    authority: &AccountView,
    config: &'a AccountView,
    program_id: &Address,
) -> Result<RefMut<'a, StakingConfig>, ProgramError> {
    let state = config_for_authority(authority, config, program_id)?;
    state.pause.require_unpaused()?;
    Ok(state)
}

/// Sets a bounded `u64` parameter and emits `ParameterUpdated`.
pub fn set_parameter(field: &mut PodU64, parameter: u8, new_value: u64) {
    ParameterUpdated {
        parameter,
        old_value: *field,
        new_value: new_value.into(),
    }
    .emit();
    field.set(new_value);
}

/// Hands a role to `new_address` and emits `RoleUpdated`.
pub fn set_role(field: &mut Address, role: u8, new_address: Address) {
    *field = new_address;
    RoleUpdated { role, new_address }.emit();
}
