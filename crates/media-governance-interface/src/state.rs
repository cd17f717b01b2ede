//! Account layouts of `media_governance`.
//!
//! A proposal stores up to [`MAX_INSTRUCTIONS`] instructions inline, each in a fixed-size
//! [`StoredInstruction`] slot, so every account has one fixed length that Anchor's coder
//! decodes field by field (no opaque blob). Unused slots and unused accounts are zero.
use crate::{
    ProposalState, VoteSide, MAX_INSTRUCTIONS, MAX_INSTRUCTION_ACCOUNTS, MAX_INSTRUCTION_DATA,
};
use media_core::idl::{IdlField, IdlTy, IdlTypeDef};
use media_core::pod::{PodBool, PodI64, PodU16, PodU32, PodU64};
use media_core::{account_state, borsh_struct, Address};

account_state! {
    /// The governance singleton (PDA `["governance"]`). Its address is the governance PDA:
    /// it signs every instruction a proposal executes, and the suite's config authorities
    /// are handed to it.
    pub struct GovernanceConfig {
        /// Changes the parameters below; the governance PDA itself after hand-over.
        pub authority: Address,
        /// Emergency key: may pause `execute` at once, never unpause or change parameters.
        pub pause_authority: Address,
        /// Seconds a proposal is open for votes once its instructions are complete.
        pub voting_period: PodI64,
        /// Votes needed (for + against + abstain), in basis points of the total active stake
        /// when the proposal is created.
        pub quorum_bps: PodU16,
        /// Active stake a proposer needs, in base units.
        pub proposal_threshold: PodU64,
        /// Seconds between the end of voting and the earliest execution (`finalize` waits out
        /// staking's unbonding period too, if it is longer).
        pub timelock: PodI64,
        /// Seconds after the timelock during which a succeeded proposal can be executed.
        pub execution_window: PodI64,
        /// Proposals created so far; the next proposal's id.
        pub proposal_count: PodU64,
        /// The pause switch: paused until `pause.paused_until` (see `media_core::pause`).
        pub pause: media_core::pause::PauseState,
        /// Canonical bump of this PDA (the signer seeds of executed instructions).
        pub bump: u8,
        /// The vote-authority PDA (`["vote_authority"]`), `media_staking`'s only `lock_stake`
        /// signer. `cast_vote` signs with it; `execute` never does.
        pub vote_authority: Address,
        /// Canonical bump of the vote-authority PDA, derived once at initialization.
        pub vote_authority_bump: u8,
        /// Proposals in the voting state: voting opened (`add_instruction`), not yet
        /// finalized or cancelled. Media Scan's count of open proposals.
        pub proposals_voting: PodU64,
        /// Room for future fields.
        pub reserved: [u8; 23],
    }
}

media_core::admin_config!(GovernanceConfig);

borsh_struct! {
    /// One account of a stored instruction. Only the governance PDA may be a signer.
    pub struct StoredAccountMeta {
        pub pubkey: Address,
        pub is_signer: PodBool,
        pub is_writable: PodBool,
    }
}

borsh_struct! {
    /// An instruction a proposal executes, signed by the governance PDA: the program, the
    /// first `account_count` of `accounts` in order, and the first `data_len` bytes of `data`.
    pub struct StoredInstruction {
        pub program_id: Address,
        pub account_count: u8,
        pub data_len: PodU16,
        pub accounts: [StoredAccountMeta; MAX_INSTRUCTION_ACCOUNTS],
        pub data: [u8; MAX_INSTRUCTION_DATA],
    }
}

impl StoredInstruction {
    /// The used account slots; empty if `account_count` is out of range.
    #[inline(always)]
    pub fn accounts(&self) -> &[StoredAccountMeta] {
        self.accounts
            .get(..self.account_count as usize)
            .unwrap_or(&[])
    }

    /// The used data bytes; empty if `data_len` is out of range.
    #[inline(always)]
    pub fn data(&self) -> &[u8] {
        self.data.get(..self.data_len.get() as usize).unwrap_or(&[])
    }
}

account_state! {
    /// A proposal (PDA `["proposal", id as u64 LE]`): its description, its instructions, its
    /// vote tally and its lifecycle. Created as a draft, which fixes the vote weights and the
    /// quorum; voting opens when the last instruction is added, which fixes the deadlines.
    pub struct Proposal {
        pub id: PodU64,
        pub proposer: Address,
        /// Where the proposal's text lives (UTF-8, zero-padded).
        pub description_uri: [u8; crate::DESCRIPTION_URI_LEN],
        /// SHA-256 of the proposal's text.
        pub description_hash: [u8; 32],
        pub state: ProposalState,
        /// Instructions the proposal carries (1..=4).
        pub instruction_count: u8,
        /// Instructions stored so far.
        pub instructions_added: u8,
        /// Accounts `execute` takes after its fixed ones: per instruction, the program and
        /// its accounts.
        pub execute_accounts: u8,
        pub created_at: PodI64,
        /// When voting opened.
        pub voting_starts_at: PodI64,
        pub voting_ends_at: PodI64,
        /// Earliest execution: the end of voting plus the timelock, pushed by `finalize` to at
        /// least the end of voting plus staking's unbonding period.
        pub executable_at: PodI64,
        /// Execution is refused from this time on.
        pub expires_at: PodI64,
        /// The staking program's total active stake when the proposal was created.
        pub total_active_snapshot: PodU64,
        /// Stake counts only if it became active before the staking program's
        /// `stake_sequence` passed this value: one more than the sequence at creation.
        pub stake_sequence_snapshot: PodU64,
        /// Votes needed for quorum, fixed when the proposal was created.
        pub quorum_votes: PodU64,
        pub votes_for: PodU64,
        pub votes_against: PodU64,
        pub votes_abstain: PodU64,
        /// Votes cast.
        pub vote_count: PodU32,
        pub executed_at: PodI64,
        /// Governance's `pause.paused_seconds` when voting opened: the execution window is
        /// extended by the time governance spends paused after it, so a pause cannot run out a
        /// passed proposal's window.
        pub paused_seconds_at_voting: PodI64,
        /// Canonical bump of this PDA.
        pub bump: u8,
        /// Room for future fields.
        pub reserved: [u8; 16],
        /// The instruction slots; the first `instruction_count` are executed in order.
        pub instructions: [StoredInstruction; MAX_INSTRUCTIONS],
    }
}

impl IdlField for StoredAccountMeta {
    const TY: IdlTy = IdlTy::Defined("StoredAccountMeta");
}

impl IdlField for StoredInstruction {
    const TY: IdlTy = IdlTy::Defined("StoredInstruction");
}

/// The nested types accounts and arguments use, for the IDL.
pub const TYPES: &[IdlTypeDef] = &[
    IdlTypeDef::plain::<StoredInstruction>(),
    IdlTypeDef::plain::<StoredAccountMeta>(),
    IdlTypeDef::enumeration::<ProposalState>(),
    IdlTypeDef::enumeration::<VoteSide>(),
    IdlTypeDef::plain::<media_core::pause::PauseState>(),
];

// The sizes of the deployed layouts, which accounts already created keep: a field added,
// removed or widened fails here, not on chain.
const _: () = {
    assert!(core::mem::size_of::<StoredInstruction>() == 435);
    assert!(core::mem::size_of::<Proposal>() == 2069);
};
