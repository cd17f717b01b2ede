//! Account layouts of `media_staking`.
use media_core::pod::{PodI64, PodU128, PodU16, PodU64};
use media_core::{account_state, Address};

account_state! {
    /// The program's singleton configuration and global totals (PDA `["config"]`).
    pub struct StakingConfig {
        /// Changes parameters; the governance PDA after hand-over.
        pub authority: Address,
        /// May pause instantly; only `authority` unpauses.
        pub pause_authority: Address,
        /// The only signer of `lock_stake`: governance's vote-authority PDA
        /// (`[VOTE_AUTHORITY_SEED]` of `media_governance`), derived when the config is created
        /// and not settable. Governance signs with it only in `cast_vote`, never in `execute`.
        pub vote_authority: Address,
        /// The MEDIA mint.
        pub media_mint: Address,
        /// The MEDIA token account holding all stake and rewards (PDA `["vault"]`).
        pub vault: Address,
        /// Smallest non-zero active stake, in base units.
        pub min_stake: PodU64,
        /// Seconds between `request_unstake` and `withdraw`.
        pub unbonding_period: PodI64,
        /// Bandwidth quota bytes per MEDIA per quota window.
        pub quota_bytes_per_media: PodU64,
        /// Sum of every account's active stake.
        pub total_active: PodU64,
        /// Sum of every account's unbonding stake.
        pub total_unbonding: PodU64,
        /// Rewards per staked base unit since genesis, scaled by `REWARD_SCALE`.
        pub reward_per_stake: PodU128,
        /// Rewards of the current period not streamed into `reward_per_stake` yet. They stream
        /// linearly until `reward_period_end`; while nothing is staked they wait (the period
        /// end moves with the clock).
        pub unstreamed_rewards: PodU64,
        /// Rewards still in the vault: unstreamed, streamed but unclaimed, and rounding dust.
        pub reward_reserve: PodU64,
        /// Every reward funded through `fund_rewards`.
        pub total_rewards_funded: PodU64,
        /// Every reward that arrived in the vault without a staking instruction (the stakers'
        /// share of fees and buybacks, paid straight in) and was folded into the stream.
        pub total_rewards_received: PodU64,
        /// Seconds over which new rewards stream out; applies from the next period (re)start.
        pub reward_duration: PodI64,
        /// When the current period's `unstreamed_rewards` will have streamed out.
        pub reward_period_end: PodI64,
        /// Time up to which the stream has been brought into `reward_per_stake`.
        pub reward_updated_at: PodI64,
        /// Counts every increase of any active stake. Stake cohorts record it, and governance
        /// snapshots it when a proposal is created, so "active before the proposal" is exact
        /// transaction order, and staking needs no clock read.
        pub stake_sequence: PodU64,
        /// The pause switch: paused until `pause.paused_until` (see `media_core::pause`).
        pub pause: media_core::pause::PauseState,
        /// Canonical bump of the config PDA (the vault's token authority).
        pub bump: u8,
        /// Canonical bump of the vault PDA.
        pub vault_bump: u8,
        /// Stake accounts with active stake: Media Scan's count of stakers.
        pub stakers: PodU64,
        /// Stake delegated to an operator may be at most this multiple of the operator's own
        /// active stake (skin in the game); the bandwidth quota counts no more than that.
        pub delegation_cap: PodU16,
        /// Seconds between a commission change and its effect. The notice applied is
        /// `max(commission_notice, unbonding_period)`, so delegators can always leave first.
        pub commission_notice: PodI64,
        /// Room for future fields.
        pub reserved: [u8; 14],
    }
}

media_core::admin_config!(StakingConfig);

account_state! {
    /// One wallet's stake position (PDA `["stake", owner]`).
    ///
    /// Active stake is kept as two cohorts, each dated by the config's `stake_sequence` when it
    /// became active, so governance can weigh only stake that was already active when a
    /// proposal was created. A new deposit starts the young cohort; a later one folds the
    /// young cohort into the mature one, which then dates from the younger sequence: weights
    /// can err low, never high.
    pub struct StakeAccount {
        /// The wallet that owns the stake.
        pub owner: Address,
        /// Stake that counts for quota, rewards and votes.
        pub active: PodU64,
        /// Stake waiting out the unbonding period; earns and counts for nothing.
        pub unbonding: PodU64,
        /// When the unbonding stake can be withdrawn.
        pub unbonding_end: PodI64,
        /// `request_unstake` is refused until this time.
        pub vote_lock_until: PodI64,
        /// Stake sequence at which `active - young_amount` was (at the latest) added.
        pub mature_since: PodU64,
        /// Part of `active` added most recently.
        pub young_amount: PodU64,
        /// Stake sequence at which the young cohort was added.
        pub young_since: PodU64,
        /// `reward_per_stake` at the last settlement.
        pub reward_per_stake_paid: PodU128,
        /// Settled, unclaimed rewards.
        pub rewards_owed: PodU64,
        /// Every reward claimed.
        pub total_claimed: PodU64,
        /// Canonical bump of this PDA.
        pub bump: u8,
        /// One more than the id of the newest governance proposal this stake voted on (0: it
        /// never voted). With `voted_below`, what refuses a second vote (see
        /// [`StakeAccount::vote_recorded`]).
        pub voted_through: PodU64,
        /// Bit `i` set: this stake voted on proposal `voted_through - 2 - i`, for the 64 ids
        /// below the newest.
        pub voted_below: PodU64,
        /// Part of `active` bound to an operator through this wallet's [`Delegation`] (0 when
        /// unbound): `request_unstake` never takes active below it.
        pub delegated: PodU64,
        /// Room for future fields.
        pub reserved: [u8; 8],
    }
}

/// Why a stake may not vote on a proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteRefusal {
    /// It already voted on this proposal.
    AlreadyVoted,
    /// It voted on a proposal [`VOTE_WINDOW`] or more ids newer: its votes on ids that old are
    /// no longer told apart, so none is accepted.
    WindowPassed,
}

pub use crate::VOTE_WINDOW;

media_core::held!(
    StakeAccount.owner,
    crate::error::StakingError::StakeOwnerMismatch
);

impl StakeAccount {
    /// Active stake that was already active before the config's `stake_sequence` read
    /// `sequence` (a proposal's snapshot of it): the vote weight for that proposal.
    pub fn vote_weight_before(&self, sequence: u64) -> u64 {
        let young = self.young_amount.get();
        let mature = self.active.get().saturating_sub(young);
        let mut weight = 0u64;
        if self.mature_since.get() < sequence {
            weight = weight.saturating_add(mature);
        }
        if self.young_since.get() < sequence {
            weight = weight.saturating_add(young);
        }
        weight
    }

    /// `(voted_through, voted_below)` once this stake has voted on proposal `id`, or why it may
    /// not. Governance's proposal ids are unique and never reused (the config's counter), so
    /// an id the record holds is a vote cast on that very proposal.
    pub fn vote_recorded(&self, id: u64) -> Result<(u64, u64), VoteRefusal> {
        let through = self.voted_through.get();
        let below = self.voted_below.get();
        let next = id.checked_add(1).ok_or(VoteRefusal::WindowPassed)?;
        if next > through {
            // A newer proposal: the old newest (if any) moves into the bits, the rest shift.
            let shift = next.wrapping_sub(through);
            if through == 0 {
                return Ok((next, 0));
            }
            let shifted = below.checked_shl(shift.min(64) as u32).unwrap_or(0);
            let old_newest = 1u64
                .checked_shl(shift.wrapping_sub(1).min(64) as u32)
                .unwrap_or(0);
            return Ok((next, shifted | old_newest));
        }
        if next == through {
            return Err(VoteRefusal::AlreadyVoted);
        }
        // An older proposal: `through - 2 - id` is its bit, if it is still in the window.
        let bit = through.wrapping_sub(2).wrapping_sub(id);
        if bit >= VOTE_WINDOW {
            return Err(VoteRefusal::WindowPassed);
        }
        let mask = 1u64 << bit;
        if below & mask != 0 {
            return Err(VoteRefusal::AlreadyVoted);
        }
        Ok((through, below | mask))
    }

    /// Records a vote on proposal `id` (see [`Self::vote_recorded`]).
    pub fn record_vote(&mut self, id: u64) -> Result<(), VoteRefusal> {
        let (through, below) = self.vote_recorded(id)?;
        self.voted_through.set(through);
        self.voted_below.set(below);
        Ok(())
    }
}

account_state! {
    /// The emission pool (PDA `["rewards_pool"]`): the "Staking and Rewards" allocation, held
    /// in the emission vault and released on a halving schedule into `emission_per_stake`,
    /// the first level of the two-level accumulator (per stake bound to any operator). See
    /// [`crate::emissions`].
    ///
    /// Invariant: `released = claimed + claimable + returned + dust`, the dust (floors) tiny;
    /// emission vault = funded − claimed; fee-share vault = Σ provider `fee_share_paid` −
    /// `fee_share_claimed`.
    pub struct RewardsPool {
        /// MEDIA token account holding the allocation (PDA `["emission_vault"]`), owned by the
        /// staking config.
        pub emission_vault: Address,
        /// MEDIA token account receiving the delegators' share of operators' fee income (PDA
        /// `["fee_share_vault"]`), owned by the staking config.
        pub fee_share_vault: Address,
        /// Base units per second at `schedule_start`; halves every `halving_period`.
        pub initial_rate: PodU64,
        pub halving_period: PodI64,
        /// Start of the current schedule (re-anchored when governance changes it).
        pub schedule_start: PodI64,
        /// What earlier schedules had scheduled up to `schedule_start`.
        pub scheduled_before: PodU64,
        /// Everything released from the pool into the accumulator (or returned).
        pub released: PodU64,
        /// Time of the last release.
        pub released_at: PodI64,
        /// Every emission paid out: delegators' emissions and operators' commission.
        pub claimed: PodU64,
        /// Released but unearned (idle operators' shares, releases while nothing was bound):
        /// it stays in the vault and is released again.
        pub returned: PodU64,
        /// Sum of every [`OperatorPool::bound_total`].
        pub total_bound: PodU64,
        /// Released per bound base unit, scaled by `REWARD_SCALE` (level 1).
        pub emission_per_stake: PodU128,
        /// Fee share brought in by operator syncs.
        pub fee_share_received: PodU64,
        /// Fee share paid out (to delegators and, while none was delegated, to operators).
        pub fee_share_claimed: PodU64,
        /// Operator pools opened.
        pub operators: PodU64,
        /// Positions currently bound, self-bonds included.
        pub delegations: PodU64,
        /// Canonical bump of this PDA.
        pub bump: u8,
        pub emission_vault_bump: u8,
        pub fee_share_vault_bump: u8,
        /// Room for future fields.
        pub reserved: [u8; 32],
    }
}

account_state! {
    /// An Edge operator's delegation pool (PDA `["operator", operator]`): the stake bound to
    /// it, its commission terms and the second level of the accumulator (per stake bound to
    /// this operator, after commission). Synced lazily against the operator's bandwidth
    /// `Provider` activity (see [`crate::emissions::sync`]).
    pub struct OperatorPool {
        /// The operator wallet.
        pub operator: Address,
        /// The fee-share vault, copied from the [`RewardsPool`] at open: `settle_receipt` pays
        /// the delegators' fee share into it and checks it against this.
        pub fee_share_vault: Address,
        /// All stake bound to this operator, its own self-bond included.
        pub bound_total: PodU64,
        /// The operator's own position's bound stake.
        pub self_bound: PodU64,
        /// Positions bound other than the operator's own.
        pub delegators: PodU64,
        /// `RewardsPool::emission_per_stake` at the last sync (level-1 checkpoint).
        pub emission_per_stake_paid: PodU128,
        /// Emissions per bound unit after commission, scaled (level 2).
        pub reward_per_bound: PodU128,
        /// Fee share per delegated (not self-bound) unit, scaled (level 2).
        pub fee_per_delegated: PodU128,
        /// The provider's `fee_share_paid` at the last sync.
        pub fee_share_seen: PodU64,
        pub synced_at: PodI64,
        /// The provider's `active_until` at the last sync.
        pub active_until_seen: PodI64,
        /// Commission on emissions, in basis points.
        pub commission_bps: PodU16,
        /// Share of the operator's MEDIA fee income paid to delegators, in basis points.
        pub fee_share_bps: PodU16,
        /// Terms that take effect at `pending_effective_at`.
        pub pending_commission_bps: PodU16,
        pub pending_fee_share_bps: PodU16,
        /// When the pending terms take effect; 0: no change pending.
        pub pending_effective_at: PodI64,
        /// The operator's emission commission, paid from the emission vault.
        pub commission_owed: PodU64,
        /// Fee share that arrived while nobody was delegated: the operator's, paid from the
        /// fee-share vault.
        pub operator_fees_owed: PodU64,
        pub commission_claimed: PodU64,
        /// Gross emissions credited to this pool for active time (before commission).
        pub emissions_earned: PodU64,
        /// Gross emissions of idle time, returned to the pool.
        pub emissions_returned: PodU64,
        /// Canonical bump of this PDA.
        pub bump: u8,
        /// Room for future fields.
        pub reserved: [u8; 32],
    }
}

account_state! {
    /// One wallet's delegation of its stake position to one operator at a time (PDA
    /// `["delegation", owner]`), the operator's own self-bond included.
    pub struct Delegation {
        /// The wallet that owns the stake position.
        pub owner: Address,
        /// The operator bound last (kept after `undelegate`, so the position can still claim).
        pub operator: Address,
        /// Stake bound to `operator` (0 when unbound).
        pub bound: PodU64,
        /// The pool's `reward_per_bound` at the last settlement.
        pub reward_per_bound_paid: PodU128,
        /// The pool's `fee_per_delegated` at the last settlement.
        pub fee_per_delegated_paid: PodU128,
        /// Settled, unclaimed emissions (after commission).
        pub emissions_owed: PodU64,
        /// Settled, unclaimed fee share.
        pub fees_owed: PodU64,
        pub emissions_claimed: PodU64,
        pub fees_claimed: PodU64,
        /// No bind before this time (set by `undelegate` to now + unbonding period).
        pub rebind_after: PodI64,
        /// Canonical bump of this PDA.
        pub bump: u8,
        /// Room for future fields.
        pub reserved: [u8; 16],
    }
}

media_core::held!(
    OperatorPool.operator,
    media_core::error::CommonError::Unauthorized
);
media_core::held!(
    Delegation.owner,
    crate::error::StakingError::StakeOwnerMismatch
);

impl OperatorPool {
    /// `(commission_bps, fee_share_bps)` in effect at `t`: the pending terms once their notice
    /// has run out, else the current ones.
    #[inline(always)]
    pub fn terms_at(&self, t: i64) -> (u16, u16) {
        let effective_at = self.pending_effective_at.get();
        if effective_at != 0 && t >= effective_at {
            (
                self.pending_commission_bps.get(),
                self.pending_fee_share_bps.get(),
            )
        } else {
            (self.commission_bps.get(), self.fee_share_bps.get())
        }
    }

    /// Stake bound by positions other than the operator's own.
    #[inline(always)]
    pub fn delegated(&self) -> u64 {
        self.bound_total.get().saturating_sub(self.self_bound.get())
    }
}

/// Bandwidth quota of `active` stake: `active * quota_bytes_per_media / 10^6` bytes per
/// window (saturating; the bounds keep it far from saturation).
pub fn quota_bytes(active: u64, quota_bytes_per_media: u64) -> u64 {
    media_core::math::mul_div(active, quota_bytes_per_media, crate::MEDIA).unwrap_or(u64::MAX)
}

/// Loads a stake account for another program: owned by `media_staking`, of the right length
/// and discriminator. Only `media_staking` writes that discriminator, and only into the
/// canonical PDA of `["stake", owner]`, so the returned account is that wallet's stake.
pub fn load_stake_account(
    account: &media_core::AccountView,
) -> Result<pinocchio::account::Ref<'_, StakeAccount>, media_core::ProgramError> {
    media_core::state::load::<StakeAccount>(account, &crate::ID)
}

/// Loads an operator's delegation pool for another program (bandwidth's quota and fee share):
/// owned by `media_staking`, of the right length and discriminator, so it is the canonical PDA
/// of `["operator", pool.operator]`. The caller checks `operator` against its own.
pub fn load_operator_pool(
    account: &media_core::AccountView,
) -> Result<pinocchio::account::Ref<'_, OperatorPool>, media_core::ProgramError> {
    media_core::state::load::<OperatorPool>(account, &crate::ID)
}

/// Loads the staking config for another program (for `min_stake` and the quota rate).
pub fn load_config(
    account: &media_core::AccountView,
) -> Result<pinocchio::account::Ref<'_, StakingConfig>, media_core::ProgramError> {
    media_core::state::load::<StakingConfig>(account, &crate::ID)
}

#[cfg(test)]
mod tests {
    use super::*;
    use media_core::pod::{PodU128, PodU64};

    fn position(active: u64, mature_since: u64, young: u64, young_since: u64) -> StakeAccount {
        StakeAccount {
            owner: Address::new_from_array([1; 32]),
            active: PodU64::new(active),
            unbonding: PodU64::new(0),
            unbonding_end: 0.into(),
            vote_lock_until: 0.into(),
            mature_since: PodU64::new(mature_since),
            young_amount: PodU64::new(young),
            young_since: PodU64::new(young_since),
            reward_per_stake_paid: PodU128::new(0),
            rewards_owed: PodU64::new(0),
            total_claimed: PodU64::new(0),
            bump: 255,
            voted_through: PodU64::new(0),
            voted_below: PodU64::new(0),
            delegated: PodU64::new(0),
            reserved: [0; 8],
        }
    }

    #[test]
    fn vote_weight_counts_only_stake_active_before_the_snapshot() {
        // 100 mature since sequence 3, 40 young since sequence 9.
        let stake = position(140, 3, 40, 9);
        assert_eq!(
            stake.vote_weight_before(3),
            0,
            "nothing was active before sequence 3"
        );
        assert_eq!(
            stake.vote_weight_before(4),
            100,
            "the mature cohort counts from sequence 4"
        );
        assert_eq!(
            stake.vote_weight_before(9),
            100,
            "the young cohort joined at 9"
        );
        assert_eq!(stake.vote_weight_before(10), 140);
    }

    #[test]
    fn vote_weight_never_exceeds_active_after_unstaking() {
        // A position that shrank to 30 (young cohort consumed first) weighs at most 30.
        let stake = position(30, 3, 0, 9);
        assert_eq!(stake.vote_weight_before(100), 30);
    }

    #[test]
    fn quota_is_active_times_rate_over_one_media() {
        assert_eq!(quota_bytes(25 * crate::MEDIA, 1 << 30), 25 << 30);
        assert_eq!(quota_bytes(1, 1 << 30), 1073, "rounds down");
        assert_eq!(quota_bytes(u64::MAX, u64::MAX), u64::MAX, "saturates");
    }

    #[test]
    fn layouts_are_packed() {
        assert_eq!(
            core::mem::size_of::<StakeAccount>(),
            32 + 8 * 7 + 16 + 8 * 2 + 1 + 32
        );
        assert_eq!(core::mem::align_of::<StakeAccount>(), 1);
        assert_eq!(core::mem::align_of::<StakingConfig>(), 1);
    }
}
