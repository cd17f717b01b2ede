//! Events of `media_governance`, one per state change.
//!
//! An event logs only what the transaction does not already hold: a field that would repeat an
//! account or argument of the instruction that emits it is left to that instruction (see
//! `media_core::event`).
use media_core::pod::{PodI64, PodU16, PodU64};
use media_core::{event, Address};

event! {
    /// The parameters were set (at initialization or by `set_params`): every parameter as it
    /// is now.
    pub struct ParametersUpdated {
        pub voting_period: PodI64,
        pub quorum_bps: PodU16,
        pub proposal_threshold: PodU64,
        pub timelock: PodI64,
        pub execution_window: PodI64,
    }
}

event! {
    /// A draft proposal was created: the `create_proposal` instruction's `proposal`, with its
    /// `proposer`, `proposal_id`, `instruction_count` and `description_hash`.
    pub struct ProposalCreated {
    }
}

event! {
    /// An instruction was stored in a draft proposal.
    pub struct InstructionAdded {
        pub program_id: Address,
    }
}

event! {
    /// A proposal's instructions are complete and voting is open.
    pub struct VotingStarted {
        pub voting_starts_at: PodI64,
        pub voting_ends_at: PodI64,
        pub total_active_snapshot: PodU64,
        pub quorum_votes: PodU64,
    }
}

event! {
    /// A stake account voted.
    pub struct VoteCast {
        pub weight: PodU64,
        pub votes_for: PodU64,
        pub votes_against: PodU64,
        pub votes_abstain: PodU64,
    }
}

event! {
    /// Voting ended and the outcome was recorded.
    pub struct ProposalFinalized {
        /// Succeeded or Defeated.
        pub state: crate::ProposalState,
        pub votes_for: PodU64,
        pub votes_against: PodU64,
        pub votes_abstain: PodU64,
        pub quorum_votes: PodU64,
    }
}

event! {
    /// A proposal's instructions were executed.
    pub struct ProposalExecuted {
        pub instruction_count: u8,
        pub executed_at: PodI64,
    }
}

event! {
    /// The proposer cancelled the `cancel` instruction's `proposal`.
    pub struct ProposalCancelled {
    }
}

media_core::idl_events! {
    ParametersUpdated, ProposalCreated, InstructionAdded, VotingStarted, VoteCast,
    ProposalFinalized, ProposalExecuted, ProposalCancelled,
}
