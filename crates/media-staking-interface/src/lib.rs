//! Interface of `media_staking`: what other programs and clients need to know about it.
//!
//! Stake positions with a minimum, unbonding, MEDIA staking rewards, the bandwidth quota
//! derived from stake, the vote lock used by governance, and the contributor economy: an
//! emission pool released on a halving schedule to stake delegated to active Edge operators,
//! with their commission and fee share ([`emissions`]). Other programs read
//! [`state::StakeAccount`] through [`state::load_stake_account`] and never depend on the
//! processor.
#![no_std]

pub mod emissions;
pub mod error;
pub mod event;
pub mod instruction;
pub mod rewards;
pub mod state;
pub mod wide;

use media_core::pause;
pub use media_core::program_ids::media_staking::{check_id, ID, ID_STR};

/// PDA seeds.
pub mod seeds {
    /// `[CONFIG]`: the singleton [`crate::state::StakingConfig`].
    pub const CONFIG: &[u8] = b"config";
    /// `[VAULT]`: the MEDIA token account holding every stake and reward, owned by the config.
    pub const VAULT: &[u8] = b"vault";
    /// `[STAKE, owner]`: one [`crate::state::StakeAccount`] per wallet.
    pub const STAKE: &[u8] = b"stake";
    /// `[REWARDS_POOL]`: the singleton [`crate::state::RewardsPool`].
    pub const REWARDS_POOL: &[u8] = b"rewards_pool";
    /// `[EMISSION_VAULT]`: the MEDIA token account holding the "Staking and Rewards"
    /// allocation, owned by the config.
    pub const EMISSION_VAULT: &[u8] = b"emission_vault";
    /// `[FEE_SHARE_VAULT]`: the MEDIA token account receiving delegators' fee share, owned by
    /// the config.
    pub const FEE_SHARE_VAULT: &[u8] = b"fee_share_vault";
    /// `[OPERATOR, operator]`: one [`crate::state::OperatorPool`] per Edge operator wallet.
    pub const OPERATOR: &[u8] = b"operator";
    /// `[DELEGATION, owner]`: one [`crate::state::Delegation`] per stake position.
    pub const DELEGATION: &[u8] = b"delegation";
}

/// Seed of `media_bandwidth`'s provider PDA (`[PROVIDER_SEED, operator]` of the bandwidth
/// program), which staking reads for an operator's activity. Declared here because the
/// bandwidth interface depends on this one, not the other way; the staking program's tests
/// check it against the bandwidth interface's own seed.
pub const PROVIDER_SEED: &[u8] = b"provider";

/// Seed of `media_governance`'s vote-authority PDA (`[VOTE_AUTHORITY_SEED]` of the governance
/// program), the only signer `lock_stake` accepts. Declared here, by the program that trusts
/// it; governance signs with it only when a stake votes, so no proposal can lock stake.
pub const VOTE_AUTHORITY_SEED: &[u8] = b"vote_authority";

/// One MEDIA in base units (6 decimals).
pub const MEDIA: u64 = 1_000_000;
/// Scale of the reward accumulator (reward per staked base unit).
pub const REWARD_SCALE: u128 = 1_000_000_000_000_000_000;
/// Basis points in one whole (commission and fee share).
pub const BPS: u16 = 10_000;
/// How many proposal ids below the newest one a stake voted on keep their own vote bit (see
/// [`state::StakeAccount::vote_recorded`]).
pub const VOTE_WINDOW: u64 = 64;

/// Defaults of the spec, used by genesis.
pub mod defaults {
    use super::MEDIA;
    pub const MIN_STAKE: u64 = 25 * MEDIA;
    pub const UNBONDING_PERIOD: i64 = 7 * 24 * 60 * 60;
    /// 1 GiB per MEDIA per quota window.
    pub const QUOTA_BYTES_PER_MEDIA: u64 = 1 << 30;
    /// New rewards stream out over 7 days.
    pub const REWARD_DURATION: i64 = 7 * 24 * 60 * 60;
    /// Emission rate at the start, in base units per second: about 1,000,000 MEDIA in the
    /// first year; with a one-year halving, about 2,000,000 MEDIA over all time.
    pub const INITIAL_RATE: u64 = 31_709;
    /// The emission rate halves every year.
    pub const HALVING_PERIOD: i64 = 365 * 24 * 60 * 60;
    /// Delegated stake up to 10 times the operator's own.
    pub const DELEGATION_CAP: u16 = 10;
    /// A commission change waits a week (and never less than the unbonding period).
    pub const COMMISSION_NOTICE: i64 = 7 * 24 * 60 * 60;
}

/// Hard bounds every parameter is checked against on-chain.
pub mod bounds {
    use super::MEDIA;
    pub const MIN_STAKE: (u64, u64) = (MEDIA, 1_000_000 * MEDIA);
    pub const UNBONDING_PERIOD: (i64, i64) = (60 * 60, 90 * 24 * 60 * 60);
    pub const QUOTA_BYTES_PER_MEDIA: (u64, u64) = (1 << 20, 1 << 40);
    /// At least a day, so a funding can never be sniped by stake added just before it; at most
    /// 90 days, so rewards reach stakers within a season.
    pub const REWARD_DURATION: (i64, i64) = (24 * 60 * 60, 90 * 24 * 60 * 60);
    /// Longest a vote lock may reach past the current time.
    pub const MAX_VOTE_LOCK: i64 = 60 * 24 * 60 * 60;
    /// At most 1 MEDIA per second: with the longest halving, about 2 × 10 years of it, still
    /// a bounded amount; the pool never releases more than it holds anyway.
    pub const INITIAL_RATE: (u64, u64) = (0, MEDIA);
    /// From 30 days to 10 years.
    pub const HALVING_PERIOD: (i64, i64) = (30 * 24 * 60 * 60, 10 * 365 * 24 * 60 * 60);
    pub const DELEGATION_CAP: (u16, u16) = (1, 100);
    /// From an hour to 90 days (the unbonding period raises the notice applied).
    pub const COMMISSION_NOTICE: (i64, i64) = (60 * 60, 90 * 24 * 60 * 60);
}

media_core::idl_program! {
    "media_staking",
    "MEDIA staking: stake positions with a minimum, unbonding, staking rewards, bandwidth quota and governance vote locks",
    accounts: [
        state::StakingConfig,
        state::StakeAccount,
        state::RewardsPool,
        state::OperatorPool,
        state::Delegation,
    ],
    types: &[media_core::idl::IdlTypeDef::plain::<media_core::pause::PauseState>()],
    errors: error::StakingError::ALL,
    constants: media_core::idl_constants! {
        "SEED_" seeds { CONFIG, VAULT, STAKE, REWARDS_POOL, EMISSION_VAULT, FEE_SHARE_VAULT, OPERATOR, DELEGATION },
        "DEFAULT_" defaults {
            MIN_STAKE, UNBONDING_PERIOD, QUOTA_BYTES_PER_MEDIA, REWARD_DURATION, INITIAL_RATE,
            HALVING_PERIOD, DELEGATION_CAP, COMMISSION_NOTICE,
        },
        "BOUNDS_" bounds {
            MIN_STAKE, UNBONDING_PERIOD, QUOTA_BYTES_PER_MEDIA, REWARD_DURATION, MAX_VOTE_LOCK,
            INITIAL_RATE, HALVING_PERIOD, DELEGATION_CAP, COMMISSION_NOTICE,
        },
        "" self { MEDIA, REWARD_SCALE, VOTE_AUTHORITY_SEED, VOTE_WINDOW, PROVIDER_SEED, BPS },
        "" pause { MAX_PAUSE_DURATION },
    },
}
