//! Errors of `media_governance`: the common block from 6000; program errors from 6100.
media_core::program_errors! {
    /// Every way a `media_governance` instruction can fail.
    pub enum GovernanceError {
        BelowProposalThreshold = 6100 => "The proposer's active stake is below the proposal threshold",
        InvalidInstructionCount = 6101 => "A proposal carries between one and MAX_INSTRUCTIONS instructions",
        InstructionOutOfOrder = 6102 => "Instructions are added in order, each index once",
        InstructionTooLarge = 6103 => "A stored instruction has too many accounts or too much data, or the proposal needs more accounts than execute can take",
        InvalidStoredSigner = 6104 => "Only the governance PDA may be a signer of a stored instruction",
        ReentrantInstruction = 6105 => "A stored instruction may not call back into the governance program (only its own config setters)",
        ProposalNotDraft = 6106 => "Instructions can only be added while the proposal is a draft",
        NotProposer = 6107 => "Only the proposer may do this",
        ProposalNotVoting = 6108 => "The proposal is not open for voting",
        VotingEnded = 6109 => "The voting period has ended",
        VotingNotEnded = 6110 => "The voting period has not ended yet",
        AlreadyVoted = 6111 => "This stake account has already voted on this proposal",
        NoVoteWeight = 6112 => "The stake was not active before voting started, so it carries no weight",
        InvalidVoteSide = 6113 => "A vote is 0 (for), 1 (against) or 2 (abstain)",
        NotStakeOwner = 6114 => "The voter or proposer does not own the stake account",
        ProposalHasVotes = 6115 => "A proposal can only be cancelled before anyone votes",
        ProposalNotSucceeded = 6116 => "Only a succeeded proposal can be executed",
        ProposalAlreadyExecuted = 6117 => "The proposal has already been executed",
        TimelockNotElapsed = 6118 => "The timelock has not elapsed yet",
        ProposalExpired = 6119 => "The proposal's execution window has closed",
        InstructionAccountMismatch = 6120 => "An account passed to execute is not the one the proposal stored",
        ProposalNotCancellable = 6121 => "Only a draft or a proposal still in its voting period can be cancelled",
    }
}
