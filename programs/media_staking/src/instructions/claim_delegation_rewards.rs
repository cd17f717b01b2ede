//! `claim_delegation_rewards()`: pays the owner's settled emissions from the emission vault
//! and fee share from the fee-share vault (the config signs for both). The pool is synced and
//! the position settled first. Open while paused: it returns what is owed.
//!
//! Accounts:
//! 0. `[signer]` owner
//! 1. `[writable]` owner_token_account: MEDIA destination
//! 2. `[]` config: signs for the vaults
//! 3. `[writable]` rewards_pool
//! 4. `[writable]` emission_vault
//! 5. `[writable]` fee_share_vault
//! 6. `[writable]` delegation: the owner's
//! 7. `[writable]` operator_pool: the pool of the position's operator
//! 8. `[]` provider: that operator's bandwidth provider
//! 9. `[]` bandwidth_config: its pause holds the provider's activity window
//! 10. `[]` token_program
//! 11. `[]` clock: the Clock sysvar
use crate::economy::{
    check_claim, check_pool_of, check_pool_vault, synced_pools, PayoutAccounts, PoolAccounts,
};
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::load_held;
use media_core::{sysvar, ProgramResult};
use media_staking_interface::emissions::settle;
use media_staking_interface::error::StakingError;
use media_staking_interface::event::DelegationRewardsClaimed;
use media_staking_interface::state::Delegation;

pub fn process(ctx: &Context) -> ProgramResult {
    let [owner, owner_token_account, config, rewards_pool, emission_vault, fee_share_vault, delegation, operator_pool, provider, bandwidth_config, token_program, clock] =
        ctx.accounts()?;
    let program_id = ctx.program_id;
    ctx.no_args()?;
    let payout = PayoutAccounts {
        config,
        emission_vault,
        fee_share_vault,
        destination: owner_token_account,
    };
    let config_bump = check_claim(owner, &payout, token_program, program_id)?;
    let now = sysvar::unix_timestamp_of(clock)?;
    let (emissions, fees, operator) = {
        let mut synced = synced_pools(
            &PoolAccounts {
                rewards_pool,
                emission_vault,
                operator_pool,
                provider,
                bandwidth_config,
            },
            program_id,
            now,
        )?;
        let (rewards, pool) = (&mut synced.rewards, &synced.pool);
        check_pool_vault(fee_share_vault, &rewards.fee_share_vault)?;
        let mut position = load_held::<Delegation>(delegation, owner, program_id)?;
        check_pool_of(pool, &position.operator)?;
        settle(&mut position, pool)?;
        let (emissions, fees) = (position.emissions_owed.get(), position.fees_owed.get());
        if emissions == 0 && fees == 0 {
            return Err(StakingError::NoRewards.into());
        }
        position.emissions_owed.set(0);
        position.fees_owed.set(0);
        position.emissions_claimed.try_add(emissions)?;
        position.fees_claimed.try_add(fees)?;
        rewards.claimed.try_add(emissions)?;
        rewards.fee_share_claimed.try_add(fees)?;
        (emissions, fees, pool.operator)
    };
    payout.pay(config_bump, emissions, fees)?;

    DelegationRewardsClaimed {
        operator,
        emissions: emissions.into(),
        fees: fees.into(),
    }
    .emit();
    Ok(())
}
