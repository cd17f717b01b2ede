//! `open_operator(commission_bps, fee_share_bps)`: opens the signing operator's delegation
//! pool with its terms. The operator must have at least `min_stake` active: an Edge operator
//! stakes before anyone can back it. Refused while paused (new risk).
//!
//! Accounts:
//! 0. `[writable, signer]` operator: pays for the pool
//! 1. `[]` config
//! 2. `[writable]` rewards_pool
//! 3. `[]` stake_account: the operator's
//! 4. `[writable]` operator_pool: PDA `["operator", operator]`, created
//! 5. `[]` system_program
//! 6. `[]` clock: the Clock sysvar
use crate::economy::check_terms;
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::{create, load, load_mut, NewPda};
use media_core::{checks, sysvar, ProgramResult};
use media_staking_interface::error::StakingError;
use media_staking_interface::event::OperatorOpened;
use media_staking_interface::instruction::CommissionArgs;
use media_staking_interface::seeds;
use media_staking_interface::state::{OperatorPool, RewardsPool, StakeAccount, StakingConfig};

pub fn process(ctx: &Context) -> ProgramResult {
    let [operator, config, rewards_pool, stake_account, operator_pool, system_program, clock] =
        ctx.accounts()?;
    let program_id = ctx.program_id;
    let args = ctx.args::<CommissionArgs>()?;
    checks::writable_signer(operator)?;
    checks::system_program(system_program)?;
    check_terms(args.commission_bps.get(), args.fee_share_bps.get())?;
    let now = sysvar::unix_timestamp_of(clock)?;
    let config_state = load::<StakingConfig>(config, program_id)?;
    config_state.pause.require_unpaused_at(now)?;
    {
        let stake = load::<StakeAccount>(stake_account, program_id)?;
        if !checks::same(&stake.owner, operator.address()) {
            return Err(StakingError::StakeOwnerMismatch.into());
        }
        if stake.active.get() < config_state.min_stake.get() {
            return Err(StakingError::StakeBelowMinimum.into());
        }
    }
    let mut rewards = load_mut::<RewardsPool>(rewards_pool, program_id)?;

    let (mut pool, bump) = create::<OperatorPool>(&NewPda {
        payer: operator,
        account: operator_pool,
        seeds: &[seeds::OPERATOR, operator.address().as_ref()],
        program_id,
    })?;
    pool.operator = *operator.address();
    pool.fee_share_vault = rewards.fee_share_vault;
    pool.commission_bps = args.commission_bps;
    pool.fee_share_bps = args.fee_share_bps;
    // Nothing is bound yet: the pool earns from its first bind, whatever was released before.
    pool.emission_per_stake_paid = rewards.emission_per_stake;
    pool.synced_at.set(now);
    pool.bump = bump;
    rewards.operators.try_add(1)?;

    OperatorOpened {}.emit();
    Ok(())
}
