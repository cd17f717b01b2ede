//! `claim_commission()`: pays the operator its emission commission from the emission vault and
//! the fee share that arrived while nobody was delegated from the fee-share vault (the config
//! signs for both). The pool is synced first. Open while paused: it returns what is owed.
//!
//! Accounts:
//! 0. `[signer]` operator
//! 1. `[writable]` operator_token_account: MEDIA destination
//! 2. `[]` config: signs for the vaults
//! 3. `[writable]` rewards_pool
//! 4. `[writable]` emission_vault
//! 5. `[writable]` fee_share_vault
//! 6. `[writable]` operator_pool: the operator's
//! 7. `[]` provider: the operator's bandwidth provider
//! 8. `[]` bandwidth_config: its pause holds the provider's activity window
//! 9. `[]` token_program
//! 10. `[]` clock: the Clock sysvar
use crate::economy::{check_claim, check_pool_vault, synced_pools, PayoutAccounts, PoolAccounts};
use media_core::error::CommonError;
use media_core::event::Event;
use media_core::ix::Context;
use media_core::{checks, sysvar, ProgramResult};
use media_staking_interface::error::StakingError;
use media_staking_interface::event::CommissionClaimed;

pub fn process(ctx: &Context) -> ProgramResult {
    let [operator, operator_token_account, config, rewards_pool, emission_vault, fee_share_vault, operator_pool, provider, bandwidth_config, token_program, clock] =
        ctx.accounts()?;
    let program_id = ctx.program_id;
    ctx.no_args()?;
    let payout = PayoutAccounts {
        config,
        emission_vault,
        fee_share_vault,
        destination: operator_token_account,
    };
    let config_bump = check_claim(operator, &payout, token_program, program_id)?;
    let now = sysvar::unix_timestamp_of(clock)?;
    let (commission, fees) = {
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
        let (rewards, pool) = (&mut synced.rewards, &mut synced.pool);
        checks::address_is(
            operator.address(),
            &pool.operator,
            CommonError::Unauthorized,
        )?;
        check_pool_vault(fee_share_vault, &rewards.fee_share_vault)?;
        let (commission, fees) = (pool.commission_owed.get(), pool.operator_fees_owed.get());
        if commission == 0 && fees == 0 {
            return Err(StakingError::NoRewards.into());
        }
        pool.commission_owed.set(0);
        pool.operator_fees_owed.set(0);
        pool.commission_claimed.try_add(commission)?;
        rewards.claimed.try_add(commission)?;
        rewards.fee_share_claimed.try_add(fees)?;
        (commission, fees)
    };
    payout.pay(config_bump, commission, fees)?;

    CommissionClaimed {
        commission: commission.into(),
        fees: fees.into(),
    }
    .emit();
    Ok(())
}
