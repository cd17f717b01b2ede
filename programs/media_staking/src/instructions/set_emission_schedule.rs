//! `set_emission_schedule(initial_rate, halving_period)`: governance changes the schedule
//! (authority only, within bounds). What the old schedule made due is released first, then
//! the schedule is re-anchored at now: `scheduled_before` keeps what was scheduled so far,
//! so nothing scheduled is lost or counted twice. Refused while paused.
//!
//! Accounts:
//! 0. `[signer]` authority
//! 1. `[writable]` config
//! 2. `[writable]` rewards_pool
//! 3. `[]` emission_vault
//! 4. `[]` clock: the Clock sysvar
use crate::economy::released_pool;
use media_core::admin::{config_for_authority_inline, within};
use media_core::event::Event;
use media_core::ix::Context;
use media_core::{sysvar, ProgramResult};
use media_staking_interface::bounds;
use media_staking_interface::emissions::scheduled;
use media_staking_interface::event::EmissionScheduleUpdated;
use media_staking_interface::instruction::SetEmissionScheduleArgs;
use media_staking_interface::state::StakingConfig;

pub fn process(ctx: &Context) -> ProgramResult {
    let [_, _, rewards_pool, emission_vault, clock] = ctx.accounts()?;
    let args = ctx.args::<SetEmissionScheduleArgs>()?;
    within(args.initial_rate.get(), bounds::INITIAL_RATE)?;
    within(args.halving_period.get(), bounds::HALVING_PERIOD)?;
    let now = sysvar::unix_timestamp_of(clock)?;
    config_for_authority_inline::<StakingConfig>(ctx)?
        .pause
        .require_unpaused_at(now)?;
    let (mut pool, _) = released_pool(rewards_pool, emission_vault, ctx.program_id, now)?;
    let scheduled_before = scheduled(&pool, now)?;
    pool.scheduled_before.set(scheduled_before);
    pool.schedule_start.set(now);
    pool.initial_rate = args.initial_rate;
    pool.halving_period = args.halving_period;

    EmissionScheduleUpdated {
        schedule_start: pool.schedule_start,
        scheduled_before: pool.scheduled_before,
    }
    .emit();
    Ok(())
}
