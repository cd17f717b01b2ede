//! Account layouts of `media_staking`.
use media_core::pod::{PodI64, PodU128, PodU64};
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
        /// Room for future fields.
        pub reserved: [u8; 24],
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
        /// Room for future fields.
        pub reserved: [u8; 16],
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
            reserved: [0; 16],
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
