//! Events of `media_staking`, one per state change.
use media_core::pod::{PodI64, PodU128, PodU64};
use media_core::{event, Address};

event! {
    /// The config was created.
    pub struct ConfigInitialized {
        pub authority: Address,
        pub media_mint: Address,
        pub vault: Address,
        pub min_stake: PodU64,
        pub unbonding_period: PodI64,
        pub quota_bytes_per_media: PodU64,
        pub reward_duration: PodI64,
    }
}

event! {
    /// MEDIA moved into active stake.
    pub struct Staked {
        pub owner: Address,
        pub amount: PodU64,
        /// The owner's active stake after the call.
        pub active: PodU64,
        pub total_active: PodU64,
    }
}

event! {
    /// Active stake moved to unbonding.
    pub struct UnstakeRequested {
        pub owner: Address,
        pub amount: PodU64,
        pub active: PodU64,
        pub unbonding: PodU64,
        pub unbonding_end: PodI64,
    }
}

event! {
    /// Unbonding stake returned to active stake.
    pub struct UnstakeCancelled {
        pub owner: Address,
        pub amount: PodU64,
        pub active: PodU64,
    }
}

event! {
    /// Unbonded MEDIA paid back to its owner.
    pub struct Withdrawn {
        pub owner: Address,
        pub amount: PodU64,
    }
}

event! {
    /// Rewards funded through `fund_rewards` (with the `RewardPeriodStarted` it causes). The
    /// funder is the transaction's signer.
    pub struct RewardsFunded {
        pub amount: PodU64,
    }
}

event! {
    /// New rewards joined the stream and the reward period restarted: what had not streamed
    /// yet plus the new rewards stream out at `reward_rate` until `period_end` (the end moves
    /// later by any time during which nothing is staked). APR over the period:
    /// `reward_rate / REWARD_SCALE * seconds per year / total_active`.
    pub struct RewardPeriodStarted {
        /// New rewards: funded by this call plus `received`.
        pub added: PodU64,
        /// Part of `added` that had arrived in the vault without a staking instruction (fees)
        /// and was folded in by this call.
        pub received: PodU64,
        /// Rewards to stream in this period.
        pub unstreamed: PodU64,
        /// Rewards per second, scaled by `REWARD_SCALE`.
        pub reward_rate: PodU128,
        pub period_end: PodI64,
        pub total_active: PodU64,
    }
}

event! {
    /// Rewards paid to a staker.
    pub struct RewardsClaimed {
        pub owner: Address,
        pub amount: PodU64,
    }
}

event! {
    /// A vote (through governance's vote authority) locked a stake account.
    pub struct StakeLocked {
        pub owner: Address,
        pub until: PodI64,
    }
}

event! {
    /// An authority-only setter changed a parameter: every bounded parameter as it is now.
    pub struct ParametersUpdated {
        pub min_stake: PodU64,
        pub unbonding_period: PodI64,
        pub quota_bytes_per_media: PodU64,
        pub reward_duration: PodI64,
    }
}

media_core::idl_events! {
    ConfigInitialized, Staked, UnstakeRequested, UnstakeCancelled, Withdrawn, RewardsFunded,
    RewardPeriodStarted, RewardsClaimed, StakeLocked, ParametersUpdated,
}
