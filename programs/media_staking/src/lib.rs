//! `media_staking` program: MEDIA stake positions, unbonding, rewards, quota and vote locks.
//!
//! The interface (accounts, instructions, events, errors) is `media-staking-interface`;
//! this crate is only the processor.
#![no_std]

mod instructions;
mod position;
mod rewards;

use media_core::error::{err, CommonError};
use media_core::ix::Context;
use media_core::ProgramResult;
use media_staking_interface::error::StakingError;
use media_staking_interface::instruction as ix;

media_core::program_entrypoint!(dispatch, StakingError, 8);

/// Routes an instruction by its 8-byte Anchor discriminator.
pub fn dispatch(discriminator: u64, ctx: &Context) -> ProgramResult {
    match discriminator {
        // initialize_config
        ix::initialize_config::DISCRIMINATOR_U64 => instructions::initialize_config::process(ctx),
        // stake
        ix::stake::DISCRIMINATOR_U64 => instructions::stake::process(ctx),
        // request_unstake
        ix::request_unstake::DISCRIMINATOR_U64 => instructions::request_unstake::process(ctx),
        // cancel_unstake
        ix::cancel_unstake::DISCRIMINATOR_U64 => instructions::cancel_unstake::process(ctx),
        // withdraw
        ix::withdraw::DISCRIMINATOR_U64 => instructions::withdraw::process(ctx),
        // fund_rewards
        ix::fund_rewards::DISCRIMINATOR_U64 => instructions::fund_rewards::process(ctx),
        // sync_rewards
        ix::sync_rewards::DISCRIMINATOR_U64 => instructions::sync_rewards::process(ctx),
        // claim_rewards
        ix::claim_rewards::DISCRIMINATOR_U64 => instructions::claim_rewards::process(ctx),
        // lock_stake
        ix::lock_stake::DISCRIMINATOR_U64 => instructions::lock_stake::process(ctx),
        // set_min_stake
        ix::set_min_stake::DISCRIMINATOR_U64 => instructions::set_min_stake::process(ctx),
        // set_unbonding_period
        ix::set_unbonding_period::DISCRIMINATOR_U64 => {
            instructions::set_unbonding_period::process(ctx)
        }
        // set_quota_bytes_per_media
        ix::set_quota_bytes_per_media::DISCRIMINATOR_U64 => {
            instructions::set_quota_bytes_per_media::process(ctx)
        }
        // set_reward_duration
        ix::set_reward_duration::DISCRIMINATOR_U64 => {
            instructions::set_reward_duration::process(ctx)
        }
        // set_authority
        ix::set_authority::DISCRIMINATOR_U64 => instructions::set_authority::process(ctx),
        // set_pause_authority
        ix::set_pause_authority::DISCRIMINATOR_U64 => {
            instructions::set_pause_authority::process(ctx)
        }
        // set_paused
        ix::set_paused::DISCRIMINATOR_U64 => instructions::set_paused::process(ctx),
        _ => err(CommonError::UnknownInstruction),
    }
}
