//! `set_commission(commission_bps, fee_share_bps)`: schedules new terms for the signing
//! operator's pool. They take effect after `max(commission_notice, unbonding_period)`, so a
//! delegator who disagrees can undelegate and unbond before they apply; a new call replaces a
//! pending change and restarts the notice. The pool is synced first, so time already past is
//! paid at the terms it ran under. Refused while paused.
//!
//! Accounts:
//! 0. `[signer]` operator
//! 1. `[]` config
//! 2. `[writable]` rewards_pool
//! 3. `[]` emission_vault
//! 4. `[writable]` operator_pool: the operator's
//! 5. `[]` provider: the operator's bandwidth provider
//! 6. `[]` bandwidth_config: its pause holds the provider's activity window
//! 7. `[]` clock: the Clock sysvar
use crate::economy::{check_terms, synced_pools, PoolAccounts};
use media_core::error::CommonError;
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::load;
use media_core::{checks, math, sysvar, ProgramResult};
use media_staking_interface::event::CommissionChangeScheduled;
use media_staking_interface::instruction::CommissionArgs;
use media_staking_interface::state::StakingConfig;

pub fn process(ctx: &Context) -> ProgramResult {
    let [operator, config, rewards_pool, emission_vault, operator_pool, provider, bandwidth_config, clock] =
        ctx.accounts()?;
    let program_id = ctx.program_id;
    let args = ctx.args::<CommissionArgs>()?;
    checks::signer(operator)?;
    check_terms(args.commission_bps.get(), args.fee_share_bps.get())?;
    let now = sysvar::unix_timestamp_of(clock)?;
    let config_state = load::<StakingConfig>(config, program_id)?;
    config_state.pause.require_unpaused_at(now)?;
    let notice = config_state
        .commission_notice
        .get()
        .max(config_state.unbonding_period.get());
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
    let pool = &mut synced.pool;
    checks::address_is(
        operator.address(),
        &pool.operator,
        CommonError::Unauthorized,
    )?;
    let effective_at = math::add_i64(now, notice)?;
    pool.pending_commission_bps = args.commission_bps;
    pool.pending_fee_share_bps = args.fee_share_bps;
    pool.pending_effective_at.set(effective_at);

    CommissionChangeScheduled {
        commission_bps: pool.commission_bps,
        fee_share_bps: pool.fee_share_bps,
        effective_at: effective_at.into(),
    }
    .emit();
    Ok(())
}
