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
use super::{check_vault, config_unpaused, owned_stake};
use crate::{position, rewards};
use media_core::error::{err, CommonError};
use media_core::event::Event;
use media_core::ix::{parse_args, Context};
use media_core::pda::canonical_bump;
use media_core::state::{init, AccountState};
use media_core::{checks, math, system, sysvar, token, AccountView, Address, ProgramResult};
use media_staking_interface::error::StakingError;
use media_staking_interface::event::Staked;
use media_staking_interface::instruction::AmountArgs;
use media_staking_interface::seeds;
use media_staking_interface::state::StakeAccount;
use pinocchio::cpi::Signer;

pub fn process(ctx: &Context) -> ProgramResult {
    let Context {
        program_id,
        accounts,
        args,
    } = *ctx;
    let [owner, owner_token_account, config, stake_account, vault, token_program, system_program, ..] =
        accounts
    else {
        return err(CommonError::NotEnoughAccounts);
    };
    let amount = parse_args::<AmountArgs>(args)?.amount.get();
    checks::signer(owner)?;
    token::check_program(token_program)?;
    // Checked on every call, not only when the stake account is created: an instruction
    // refuses a fake program in any slot.
    checks::system_program(system_program)?;
    if amount == 0 {
        return Err(StakingError::ZeroAmount.into());
    }
    let now = sysvar::unix_timestamp()?;
    let mut config_state = config_unpaused(config, program_id, now)?;
    check_vault(vault, &config_state)?;
    checks::distinct(owner_token_account, vault)?;
    token::check_owned_account(owner_token_account, &config_state.media_mint, owner)?;
    rewards::catch_up(&mut config_state, &rewards::NewRewards::arrived(vault, now))?;

    if !stake_account.owned_by(program_id) {
        create_stake_account(owner, stake_account, program_id)?;
    }
    let mut stake = owned_stake(stake_account, owner, program_id)?;
    rewards::settle(&mut stake, &config_state)?;
    position::check_minimum(
        math::add(stake.active.get(), amount)?,
        config_state.min_stake.get(),
    )?;
    position::add_active(&mut stake, &mut config_state, amount)?;
    config_state.total_active.try_add(amount)?;
    token::Transfer {
        from: owner_token_account,
        to: vault,
        authority: owner,
        amount,
    }
    .invoke(None)?;

    Staked {
        owner: *owner.address(),
        amount: amount.into(),
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
    let bump = [canonical_bump(
        stake_account.address(),
        &[seeds::STAKE, owner.address().as_ref()],
        program_id,
    )?];
    let signer_seeds = [
        seeds::STAKE.into(),
        owner.address().as_ref().into(),
        (&bump).into(),
    ];
    system::CreatePdaAccount {
        payer: owner,
        account: stake_account,
        space: StakeAccount::LEN,
        owner: program_id,
    }
    .invoke(&Signer::from(&signer_seeds))?;
    let mut created = init::<StakeAccount>(stake_account, program_id)?;
    created.owner = *owner.address();
    created.bump = bump[0];
    // A new account earns from now on: `settle` moves its checkpoint to the current
    // accumulator while its active stake is still zero.
    Ok(())
}
