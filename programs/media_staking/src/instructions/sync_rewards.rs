//! `sync_rewards()`: brings the reward stream up to the clock and folds MEDIA that arrived in
//! the vault without a staking instruction (the stakers' share of fees and buybacks, paid
//! straight in) into it, restarting the period if anything arrived. Permissionless, and open
//! while paused: it only starts paying out what already belongs to stakers. Every staking
//! instruction that holds the vault does the same; this is the crank for when none runs, since
//! a claim with nothing owed yet is refused and so folds nothing.
//!
//! Accounts:
//! 0. `[writable]` config
//! 1. `[]` vault
//! 2. `[]` clock: the Clock sysvar
use super::check_vault;
use crate::rewards;
use media_core::ix::Context;
use media_core::state::load_mut;
use media_core::{sysvar, ProgramResult};
use media_staking_interface::state::StakingConfig;

pub fn process(ctx: &Context) -> ProgramResult {
    let [config, vault, clock] = ctx.accounts()?;
    let program_id = ctx.program_id;
    ctx.no_args()?;
    let mut config_state = load_mut::<StakingConfig>(config, program_id)?;
    check_vault(vault, &config_state)?;
    let now = sysvar::unix_timestamp_of(clock)?;
    rewards::catch_up(&mut config_state, &rewards::NewRewards::arrived(vault, now))
}
