//! `media_staking` program: MEDIA stake positions, unbonding, rewards, quota and vote locks.
//!
//! The interface (accounts, instructions, events, errors) is `media-staking-interface`;
//! this crate is only the processor.
#![no_std]

mod economy;
mod instructions;
mod position;
mod rewards;

use media_staking_interface::instruction as ix;
use media_staking_interface::state::StakingConfig;

media_core::program_entrypoint!(dispatch, media_staking_interface::instruction::MAX_ACCOUNTS);

media_core::dispatch! { ix, instructions, StakingConfig, [
    initialize_config, stake, request_unstake, cancel_unstake, withdraw, fund_rewards,
    sync_rewards, claim_rewards, lock_stake, set_min_stake, set_unbonding_period,
    set_quota_bytes_per_media, set_reward_duration, initialize_rewards_pool, release_emissions,
    open_operator, set_commission, delegate, undelegate, sync_operator, claim_delegation_rewards,
    claim_commission, set_emission_schedule, set_delegation_params,
] }
