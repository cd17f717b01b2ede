//! `stake(amount)`: moves MEDIA from the owner into active stake. The new stake earns from
//! now on: the reward stream is brought up to the clock first.
//!
//! Accounts:
//! 0. `[writable, signer]` owner: pays for the stake account on first use
//! 1. `[writable]` owner_token_account: MEDIA source
//! 2. `[writable]` config
//! 3. `[writable]` stake_account: PDA `["stake", owner]`, created if empty
//! 4. `[writable]` vault
//! 5. `[]` token_program
//! 6. `[]` system_program
//! 7. `[]` clock: the Clock sysvar
use super::{check_vault, config_unpaused};
use crate::{position, rewards};
use media_core::error::CommonError;
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::load_held;
use media_core::state::{create, NewPda};
use media_core::{checks, sysvar, token, AccountView, Address, ProgramResult};
use media_staking_interface::error::StakingError;
use media_staking_interface::event::Staked;
use media_staking_interface::seeds;
use media_staking_interface::state::StakeAccount;

pub fn process(ctx: &Context) -> ProgramResult {
    let [owner, owner_token_account, config, stake_account, vault, token_program, system_program, clock] =
        ctx.accounts()?;
    let program_id = ctx.program_id;
    let amount = ctx.signed_amount(owner, token_program, StakingError::ZeroAmount.into())?;
    // Checked on every call, not only when the stake account is created: an instruction
    // refuses a fake program in any slot.
    checks::system_program(system_program)?;
    let now = sysvar::unix_timestamp_of(clock)?;
    let mut config_state = config_unpaused(config, program_id, now)?;
    check_vault(vault, &config_state)?;
    // Whose it is and its mint are the token program's checks (see `token::Transfer`).
    token::check_is_account(owner_token_account)?;
    rewards::catch_up(&mut config_state, &rewards::NewRewards::arrived(vault, now))?;

    // The loader's first check is the owner's, before any other check or borrow: a stake
    // account this program does not own yet is created, then loaded. A top-up compares the
    // owner once instead of once here and once in the loader.
    let mut stake = match load_held::<StakeAccount>(stake_account, owner, program_id) {
        Err(error) if error == CommonError::InvalidAccountOwner.into() => {
            create_stake_account(owner, stake_account, program_id)?;
            load_held::<StakeAccount>(stake_account, owner, program_id)?
        }
        loaded => loaded?,
    };
    rewards::settle(&mut stake, &config_state)?;
    position::add_active(&mut stake, &mut config_state, amount)?;
    token::Transfer {
        from: owner_token_account,
        to: vault,
        authority: owner,
        amount,
    }
    .invoke(None)?;

    Staked {
        active: stake.active,
        total_active: config_state.total_active,
    }
    .emit();
    Ok(())
}

/// Creates the owner's stake account at its canonical PDA, rent paid by the owner.
fn create_stake_account(
    owner: &AccountView,
    stake_account: &AccountView,
    program_id: &Address,
) -> ProgramResult {
    checks::writable(owner)?;
    checks::writable(stake_account)?;
    let (mut created, bump) = create::<StakeAccount>(&NewPda {
        payer: owner,
        account: stake_account,
        seeds: &[seeds::STAKE, owner.address().as_ref()],
        program_id,
    })?;
    created.owner = *owner.address();
    created.bump = bump;
    // A new account earns from now on: `settle` moves its checkpoint to the current
    // accumulator while its active stake is still zero.
    Ok(())
}
