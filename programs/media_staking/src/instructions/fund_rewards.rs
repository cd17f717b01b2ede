//! `fund_rewards(amount)`: adds MEDIA to the stakers' rewards. Anyone may fund. The amount,
//! with whatever arrived in the vault since the last staking instruction and what had not
//! streamed yet, streams out over `reward_duration` from now (see `crate::rewards`). Open
//! while paused: funding adds no risk.
//!
//! Accounts:
//! 0. `[signer]` funder
//! 1. `[writable]` funder_token_account: MEDIA source
//! 2. `[writable]` config
//! 3. `[writable]` vault
//! 4. `[]` token_program
//! 5. `[]` clock: the Clock sysvar
use super::check_vault;
use crate::rewards;
use media_core::ix::Context;
use media_core::state::load_mut;
use media_core::{sysvar, token, ProgramResult};
use media_staking_interface::error::StakingError;
use media_staking_interface::state::StakingConfig;

pub fn process(ctx: &Context) -> ProgramResult {
    let [funder, funder_token_account, config, vault, token_program, clock] = ctx.accounts()?;
    let program_id = ctx.program_id;
    let amount = ctx.signed_amount(funder, token_program, StakingError::ZeroAmount.into())?;
    let mut config_state = load_mut::<StakingConfig>(config, program_id)?;
    check_vault(vault, &config_state)?;
    // Whose it is and its mint are the token program's checks (see `token::Transfer`).
    token::check_is_account(funder_token_account)?;

    let now = sysvar::unix_timestamp_of(clock)?;
    // The vault's balance is read before the transfer: the funded amount counts once.
    rewards::catch_up(
        &mut config_state,
        &rewards::NewRewards {
            vault,
            funded: amount,
            now,
        },
    )?;
    config_state.reward_reserve.try_add(amount)?;
    config_state.total_rewards_funded.try_add(amount)?;
    token::Transfer {
        from: funder_token_account,
        to: vault,
        authority: funder,
        amount,
    }
    .invoke(None)?;
    Ok(())
}
