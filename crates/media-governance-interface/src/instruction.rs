//! Instructions of `media_governance`: discriminators, argument layouts and account lists.
//!
//! Account lists are in the order the processor unpacks them and declare PDA seeds and fixed
//! addresses, so Anchor's methods builder fills those accounts in by itself.
use crate::seeds;
use crate::state::StoredInstruction;
use media_core::idl::{IdlAccountDef as Account, IdlSeed, NoArgs};
use media_core::pod::{PodI64, PodU16, PodU64};
use media_core::{borsh_struct, instruction_def};

const STAKING_PROGRAM: &str = media_staking_interface::ID_STR;

const fn config() -> Account {
    Account::new("config", "The governance config (the governance PDA)")
        .pda(&[IdlSeed::Const(seeds::GOVERNANCE)])
}
const fn proposal() -> Account {
    Account::new("proposal", "The proposal").writable()
}
const fn staking_config() -> Account {
    Account::new(
        "staking_config",
        "The staking config (stake totals, unbonding period)",
    )
    .pda_of(
        STAKING_PROGRAM,
        &[IdlSeed::Const(media_staking_interface::seeds::CONFIG)],
    )
}

borsh_struct! {
    /// Governance parameters, each checked against its bounds.
    pub struct GovernanceParams {
        pub voting_period: PodI64,
        pub quorum_bps: PodU16,
        pub proposal_threshold: PodU64,
        pub timelock: PodI64,
        pub execution_window: PodI64,
    }
}

borsh_struct! {
    /// A new proposal: its id (the config's `proposal_count`), its description, and how
    /// many instructions will be added.
    pub struct CreateProposalArgs {
        pub proposal_id: PodU64,
        pub description_uri: [u8; crate::DESCRIPTION_URI_LEN],
        pub description_hash: [u8; 32],
        pub instruction_count: u8,
    }
}

borsh_struct! {
    /// The next instruction of a draft proposal.
    pub struct AddInstructionArgs {
        pub index: u8,
        pub instruction: StoredInstruction,
    }
}

borsh_struct! {
    /// A vote.
    pub struct CastVoteArgs {
        pub side: crate::VoteSide,
    }
}

instruction_def! {
    /// Creates the governance config. The signer becomes authority and pause authority until
    /// they are handed over.
    initialize_config(GovernanceParams) [
        Account::new("authority", "Pays for the config and becomes its authority").writable().signer(),
        Account::new("config", "The governance config").writable().pda(&[IdlSeed::Const(seeds::GOVERNANCE)]),
        Account::system_program(),
        Account::program_data(),
    ]
}

instruction_def! {
    /// Sets every governance parameter (authority only, within bounds; refused while paused).
    set_params(GovernanceParams) [Account::authority(), config().writable()]
}

media_core::admin_instructions!(config().writable());

instruction_def! {
    /// Creates a draft proposal. The proposer's active stake must reach the proposal
    /// threshold. The vote is measured against this moment: only stake already active now
    /// counts, and the quorum is a share of the staking program's total active stake now.
    /// Its instructions follow with `add_instruction`.
    create_proposal(CreateProposalArgs) [
        Account::new("proposer", "Proposes and pays for the proposal account").writable().signer(),
        config().writable(),
        Account::new("stake_account", "The proposer's stake account (media_staking)")
            .pda_of(STAKING_PROGRAM, &[IdlSeed::Const(media_staking_interface::seeds::STAKE), IdlSeed::Account("proposer")]),
        Account::new("proposal", "The new proposal")
            .writable()
            .pda(&[IdlSeed::Const(seeds::PROPOSAL), IdlSeed::Arg("proposal_id")]),
        staking_config(),
        Account::system_program(),
        Account::clock_sysvar(),
    ]
}

instruction_def! {
    /// Stores the next instruction of a draft proposal. When the last one is stored, voting
    /// opens and the voting end, timelock and expiry are set. While governance is paused,
    /// only instructions that lift a pause are accepted.
    add_instruction(AddInstructionArgs) [
        Account::new("proposer", "The proposer").signer(),
        config().writable(),
        proposal(),
        Account::clock_sysvar(),
    ]
}

instruction_def! {
    /// Votes with the stake that was active when the proposal was created, and vote-locks that
    /// stake in media_staking until voting ends (signed by the vote-authority PDA), which
    /// records the vote in the stake account: one vote per stake account and proposal, no
    /// account per vote. Open while any program is paused.
    cast_vote(CastVoteArgs) [
        Account::new("voter", "The stake's owner").signer(),
        config(),
        Account::new("vote_authority", "The vote-authority PDA, which signs the vote lock")
            .pda(&[IdlSeed::Const(seeds::VOTE_AUTHORITY)]),
        proposal(),
        Account::new("stake_account", "The voter's stake account (media_staking), vote-locked")
            .writable()
            .pda_of(STAKING_PROGRAM, &[IdlSeed::Const(media_staking_interface::seeds::STAKE), IdlSeed::Account("voter")]),
        staking_config(),
        Account::new("staking_program", "media_staking").address(STAKING_PROGRAM),
        Account::clock_sysvar(),
    ]
}

instruction_def! {
    /// After voting ends (anyone): Succeeded if the votes reach quorum and for > against,
    /// Defeated otherwise. The earliest execution becomes the end of voting plus the longer of
    /// the timelock and staking's current unbonding period.
    finalize(NoArgs) [proposal(), staking_config(), config().writable(), Account::clock_sysvar()]
}

instruction_def! {
    /// Executes a succeeded proposal after its timelock and before it expires, once: each
    /// stored instruction is invoked with the governance PDA signing. While governance is
    /// paused, only a proposal whose every instruction lifts a pause runs. Remaining
    /// accounts, per instruction in order: the program, then its stored accounts.
    execute(NoArgs) [config(), proposal(), Account::clock_sysvar()]
}

instruction_def! {
    /// The proposer withdraws a proposal before anyone voted.
    cancel(NoArgs) [Account::new("proposer", "The proposer").signer(), proposal(), config().writable()]
}

media_core::idl_instructions! {
    initialize_config, set_params, create_proposal, add_instruction, cast_vote, finalize,
    execute, cancel,
}
