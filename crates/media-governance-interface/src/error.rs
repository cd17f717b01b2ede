//! Errors of `media_governance`: the common block from 6000; program errors from 6100.
media_core::program_errors! {
    /// Every way a `media_governance` instruction can fail.
    pub enum GovernanceError {
        BelowProposalThreshold = 6100 => "The proposer's active stake is below the proposal threshold",
        InvalidInstructionCount = 6101 => "A proposal carries one to four instructions",
        InstructionOutOfOrder = 6102 => "Instructions are added in order, each index once",
        InstructionTooLarge = 6103 => "Too many accounts or too much data for a stored instruction or for execute",
        InvalidStoredSigner = 6104 => "Only the governance PDA may sign a stored instruction",
        ReentrantInstruction = 6105 => "A stored instruction may not call back into governance or pass its proposal",
        ProposalNotDraft = 6106 => "The proposal is not a draft",
        NotProposer = 6107 => "Only the proposer may do this",
        ProposalNotVoting = 6108 => "The proposal is not open for voting",
        VotingEnded = 6109 => "The voting period has ended",
        VotingNotEnded = 6110 => "The voting period has not ended yet",
        AlreadyVoted = 6111 => "This stake account has already voted on this proposal",
        NoVoteWeight = 6112 => "The stake was not active when the proposal was created",
        InvalidVoteSide = 6113 => "A vote is 0 (for), 1 (against) or 2 (abstain)",
        NotStakeOwner = 6114 => "The signer does not own the stake account",
        ProposalHasVotes = 6115 => "The proposal already has votes",
        ProposalNotSucceeded = 6116 => "The proposal has not succeeded",
        ProposalAlreadyExecuted = 6117 => "The proposal has already been executed",
        TimelockNotElapsed = 6118 => "The timelock has not elapsed yet",
        ProposalExpired = 6119 => "The proposal's execution window has closed",
        InstructionAccountMismatch = 6120 => "An account differs from the one the proposal stored",
        ProposalNotCancellable = 6121 => "Only a draft or a proposal in its voting period can be cancelled",
        OnlyPauseLiftsWhilePaused = 6122 => "While governance is paused, a proposal may only carry instructions that lift a pause (set_paused(false) or set_pause_authority)",
        StoredVoteLock = 6123 => "A proposal may not store lock_stake: stake is vote-locked only by cast_vote",
        DraftExpired = 6124 => "The draft was not filled within MAX_DRAFT_AGE of its creation (its vote snapshot is too old): create a new proposal",
        VoteWindowPassed = 6125 => "This stake voted on a proposal 64 or more ids newer than this one, so it can no longer vote on this one",
    }
}
