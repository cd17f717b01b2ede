//! Errors of `media_staking`: the common block from 6000, staking's own from 6100.
media_core::program_errors! {
    /// Every way a `media_staking` instruction can fail.
    pub enum StakingError {
        StakeBelowMinimum = 6100 => "Active stake after this call would be above zero but below min_stake",
        ZeroAmount = 6101 => "The amount must be greater than zero",
        InsufficientActiveStake = 6102 => "The amount exceeds the active stake",
        NothingUnbonding = 6103 => "There is no unbonding stake",
        UnbondingNotFinished = 6104 => "The unbonding period has not ended yet",
        StakeVoteLocked = 6105 => "The stake is vote-locked until the proposals it voted on end",
        NoRewards = 6106 => "There are no rewards to claim",
        StakeOwnerMismatch = 6107 => "The stake account belongs to another owner",
        InvalidVault = 6108 => "The vault is not the staking vault",
        AlreadyVoted = 6109 => "This stake account has already voted on this proposal",
        VoteWindowPassed = 6110 => "This stake voted on a proposal 64 or more ids newer than this one, so it can no longer vote on this one",
        AlreadyDelegated = 6111 => "The stake position is bound to another operator: undelegate first",
        NotDelegated = 6112 => "The stake position is not bound to an operator",
        RebindTooSoon = 6113 => "The position was undelegated less than an unbonding period ago",
        DelegationCapExceeded = 6114 => "Stake delegated to this operator would exceed delegation_cap times its own active stake",
        StakeDelegated = 6115 => "Active stake cannot go below the stake bound to an operator: undelegate first",
        InvalidCommission = 6116 => "A commission or fee share is above 10,000 basis points",
        ProviderMismatch = 6117 => "The provider account is not the pool operator's bandwidth provider",
        InvalidRewardsPoolVault = 6118 => "A vault is not the rewards pool's emission or fee-share vault",
    }
}
