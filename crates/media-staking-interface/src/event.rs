//! Events of `media_staking`, one per state change.
//!
//! An event logs only what the transaction does not already hold: a field that would repeat an
//! account or argument of the instruction that emits it is left to that instruction (see
//! `media_core::event`).
use media_core::pod::{PodI64, PodU128, PodU16, PodU64};
use media_core::{event, Address};

event! {
    /// The config was created, with the `initialize_config` instruction's authority, mint, vault
    /// and parameters.
    pub struct ConfigInitialized {
    }
}

event! {
    /// MEDIA moved into active stake: the `stake` instruction's `amount`, from its `owner`.
    pub struct Staked {
        /// The owner's active stake after the call.
        pub active: PodU64,
        pub total_active: PodU64,
    }
}

event! {
    /// Active stake moved to unbonding: the `request_unstake` instruction's `amount`, of its
    /// `owner`.
    pub struct UnstakeRequested {
        pub active: PodU64,
        pub unbonding: PodU64,
        pub unbonding_end: PodI64,
    }
}

event! {
    /// Unbonding stake returned to active stake, of the `cancel_unstake` instruction's `owner`.
    pub struct UnstakeCancelled {
        pub amount: PodU64,
        pub active: PodU64,
    }
}

event! {
    /// Unbonded MEDIA paid back to the `withdraw` instruction's `owner`.
    pub struct Withdrawn {
        pub amount: PodU64,
    }
}

event! {
    /// New rewards joined the stream and the reward period restarted: what had not streamed
    /// yet plus the new rewards stream out at `reward_rate` until `period_end` (the end moves
    /// later by any time during which nothing is staked). APR over the period:
    /// `reward_rate / REWARD_SCALE * seconds per year / total_active`.
    pub struct RewardPeriodStarted {
        /// New rewards: funded by this call plus `received` (so `fund_rewards` funded
        /// `added - received`, its `amount`).
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
    /// Rewards paid to the `claim_rewards` instruction's `owner`.
    pub struct RewardsClaimed {
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
    /// An authority-only setter changed a parameter: every bounded parameter of the config as
    /// it is now (the emission schedule's are in `EmissionScheduleUpdated`).
    pub struct ParametersUpdated {
        pub min_stake: PodU64,
        pub unbonding_period: PodI64,
        pub quota_bytes_per_media: PodU64,
        pub reward_duration: PodI64,
        pub delegation_cap: PodU16,
        pub commission_notice: PodI64,
    }
}

event! {
    /// The rewards pool and its two vaults were created.
    pub struct RewardsPoolInitialized {
        pub schedule_start: PodI64,
    }
}

event! {
    /// `release_emissions` released what the schedule made due since the last release (never
    /// more than the vault holds beyond what it owes).
    pub struct EmissionsReleased {
        /// Released by this call.
        pub amount: PodU64,
        /// Part of `amount` returned to the pool at once: all of it while nothing is bound.
        pub returned: PodU64,
        pub total_bound: PodU64,
    }
}

event! {
    /// Governance changed the emission schedule; it is re-anchored at `schedule_start`.
    pub struct EmissionScheduleUpdated {
        pub schedule_start: PodI64,
        pub scheduled_before: PodU64,
    }
}

event! {
    /// An Edge operator opened its delegation pool, with the `open_operator` instruction's
    /// `operator` and terms.
    pub struct OperatorOpened {
    }
}

event! {
    /// An operator scheduled new terms; they take effect at `effective_at`, after a notice at
    /// least as long as unbonding, so delegators can leave first.
    pub struct CommissionChangeScheduled {
        /// The terms in effect now.
        pub commission_bps: PodU16,
        pub fee_share_bps: PodU16,
        pub effective_at: PodI64,
    }
}

event! {
    /// A stake position was bound (or topped up) to an operator.
    pub struct Delegated {
        pub operator: Address,
        /// Newly bound by this call.
        pub amount: PodU64,
        /// The position's bound stake after the call.
        pub bound: PodU64,
    }
}

event! {
    /// A stake position was unbound from its operator; it stops earning at once and may bind
    /// again from `rebind_after`.
    pub struct Undelegated {
        pub operator: Address,
        pub amount: PodU64,
        pub rebind_after: PodI64,
    }
}

event! {
    /// A delegator was paid its emissions (emission vault) and fee share (fee-share vault).
    pub struct DelegationRewardsClaimed {
        pub operator: Address,
        pub emissions: PodU64,
        pub fees: PodU64,
    }
}

event! {
    /// An operator was paid its emission commission and the fee share that arrived while
    /// nobody was delegated.
    pub struct CommissionClaimed {
        pub commission: PodU64,
        pub fees: PodU64,
    }
}

media_core::idl_events! {
    ConfigInitialized, Staked, UnstakeRequested, UnstakeCancelled, Withdrawn,
    RewardPeriodStarted, RewardsClaimed, StakeLocked, ParametersUpdated, RewardsPoolInitialized,
    EmissionsReleased, EmissionScheduleUpdated, OperatorOpened, CommissionChangeScheduled,
    Delegated, Undelegated, DelegationRewardsClaimed, CommissionClaimed,
}
