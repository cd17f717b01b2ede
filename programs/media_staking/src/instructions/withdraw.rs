//! `withdraw()`: pays unbonded MEDIA back once the unbonding period has ended. Open while
//! paused: it returns the owner's own funds. Holding the vault, it also brings the reward
//! stream up to the clock and folds what arrived in the vault into it.
//!
//! Accounts:
//! 0. `[signer]` owner
//! 1. `[writable]` owner_token_account: MEDIA destination
//! 2. `[writable]` config: signs for the vault
//! 3. `[writable]` stake_account
//! 4. `[writable]` vault
//! 5. `[]` token_program
use super::{check_vault, config_seeds, owned_stake};
use crate::rewards;
use media_core::error::{err, CommonError};
use media_core::event::Event;
use media_core::ix::{no_args, Context};
use media_core::state::load_mut;
use media_core::{checks, sysvar, token, ProgramResult};
use media_staking_interface::error::StakingError;
use media_staking_interface::event::Withdrawn;
use media_staking_interface::state::StakingConfig;
use pinocchio::cpi::Signer;

pub fn process(ctx: &Context) -> ProgramResult {
    let Context {
        program_id,
        accounts,
        args,
    } = *ctx;
    let [owner, owner_token_account, config, stake_account, vault, token_program, ..] = accounts
    else {
        return err(CommonError::NotEnoughAccounts);
    };
    no_args(args)?;
    checks::signer(owner)?;
    token::check_program(token_program)?;
    let (amount, bump) = {
        let mut config_state = load_mut::<StakingConfig>(config, program_id)?;
        check_vault(vault, &config_state)?;
        checks::distinct(owner_token_account, vault)?;
        token::check_account(owner_token_account, &config_state.media_mint, None)?;
        let mut stake = owned_stake(stake_account, owner, program_id)?;
        let amount = stake.unbonding.get();
        if amount == 0 {
            return Err(StakingError::NothingUnbonding.into());
        }
        let now = sysvar::unix_timestamp()?;
        if now < stake.unbonding_end.get() {
            return Err(StakingError::UnbondingNotFinished.into());
        }
        rewards::catch_up(&mut config_state, &rewards::NewRewards::arrived(vault, now))?;
        stake.unbonding.set(0);
        stake.unbonding_end.set(0);
        config_state.total_unbonding.try_sub(amount)?;
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

    Withdrawn {
        owner: *owner.address(),
        amount: amount.into(),
    }
    .emit();
    Ok(())
}
