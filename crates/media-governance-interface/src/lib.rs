//! Interface of `media_governance`: stake-weighted proposals, votes and timelocked execution
//! signed by the governance PDA.
//!
//! The governance config's address (PDA `["governance"]`) is the governance PDA: it signs
//! every instruction a passed proposal executes, and the suite's config authorities are
//! handed to it. A second PDA, `["vote_authority"]`, is `media_staking`'s only `lock_stake`
//! signer; governance signs with it in `cast_vote` alone, so no proposal can lock stake.
//!
//! A proposal's life: `create_proposal` (a draft, proposer above the threshold; stake and
//! total stake are snapshotted here) → `add_instruction` for each instruction (the last one
//! opens voting) → `cast_vote` (weight = stake active when the proposal was created; the stake
//! is vote-locked until voting ends) → `finalize` (fixes the earliest execution at least an
//! unbonding period after voting ends) → `execute` after the timelock, once, before expiry.
//! `cancel` before any vote.
//!
//! A pause of governance stops only what adds risk: voting, finalizing and cancelling stay
//! open, proposals can still be created, but while paused a proposal may only store, and
//! `execute` only runs, instructions that lift a pause ([`lifts_pause`]).
#![no_std]

pub mod error;
pub mod event;
pub mod instruction;
pub mod state;

use error::GovernanceError;
use media_core::{math, Address, ProgramError};
use state::StoredInstruction;

use media_core::pause;
pub use media_core::program_ids::media_governance::{check_id, ID, ID_STR};

/// PDA seeds.
pub mod seeds {
    /// `[GOVERNANCE]`: the [`crate::state::GovernanceConfig`], which is the governance PDA.
    pub const GOVERNANCE: &[u8] = b"governance";
    /// `[PROPOSAL, id as u64 LE]`: a [`crate::state::Proposal`].
    pub const PROPOSAL: &[u8] = b"proposal";
    /// `[VOTE_AUTHORITY]`: the signer of `cast_vote`'s vote locks, as `media_staking` expects it.
    pub const VOTE_AUTHORITY: &[u8] = media_staking_interface::VOTE_AUTHORITY_SEED;
}

/// Longest a draft may wait for its instructions, from `create_proposal` (which fixes the vote
/// weights and the quorum) to its last `add_instruction` (which opens voting): a proposer cannot
/// keep a snapshot of stake for later use. One hour.
pub const MAX_DRAFT_AGE: i64 = 60 * 60;

/// Most instructions one proposal carries.
pub const MAX_INSTRUCTIONS: usize = 4;
/// Most accounts one stored instruction takes (the suite's CPI limit).
pub const MAX_INSTRUCTION_ACCOUNTS: usize = media_core::cpi::MAX_CPI_ACCOUNTS;
/// Most data bytes one stored instruction carries.
pub const MAX_INSTRUCTION_DATA: usize = 128;
/// Bytes of a proposal's description URI (UTF-8, zero-padded).
pub const DESCRIPTION_URI_LEN: usize = 128;
/// Most accounts the program reads in one instruction (its entrypoint bound).
pub const MAX_ACCOUNTS: usize = 24;
/// `execute`'s fixed accounts (config, proposal).
pub const EXECUTE_FIXED_ACCOUNTS: usize = 2;
/// Most remaining accounts `execute` can take: the sum over a proposal's instructions of
/// one (the program) plus its account count may not exceed this.
pub const MAX_EXECUTE_ACCOUNTS: usize = MAX_ACCOUNTS - EXECUTE_FIXED_ACCOUNTS;

/// Basis points in one whole.
pub const BPS: u64 = 10_000;

media_core::idl_enum! {
    /// A proposal's lifecycle (`Proposal::state`).
    pub struct ProposalState {
        Draft = 0,
        Voting = 1,
        Succeeded = 2,
        Defeated = 3,
        Executed = 4,
        Cancelled = 5,
    }
}

media_core::idl_enum! {
    /// Sides of a vote (`CastVoteArgs::side`).
    pub struct VoteSide {
        For = 0,
        Against = 1,
        Abstain = 2,
    }
}

/// Defaults of the spec, used by genesis.
pub mod defaults {
    use media_staking_interface::MEDIA;
    pub const VOTING_PERIOD: i64 = 3 * 24 * 60 * 60;
    /// 20% of the total active stake must vote.
    pub const QUORUM_BPS: u16 = 2_000;
    pub const PROPOSAL_THRESHOLD: u64 = 100 * MEDIA;
    /// As long as staking's default unbonding period: a staker who disagrees with a passed
    /// proposal can leave before it executes.
    pub const TIMELOCK: i64 = 7 * 24 * 60 * 60;
    pub const EXECUTION_WINDOW: i64 = 7 * 24 * 60 * 60;
}

/// Hard bounds every parameter is checked against on-chain.
pub mod bounds {
    use media_staking_interface::MEDIA;
    pub const VOTING_PERIOD: (i64, i64) = (60 * 60, 14 * 24 * 60 * 60);
    pub const QUORUM_BPS: (u16, u16) = (100, 10_000);
    pub const PROPOSAL_THRESHOLD: (u64, u64) = (MEDIA, 1_000_000 * MEDIA);
    /// Never below staking's default unbonding period (`finalize` also waits out the current
    /// one, which governance may change).
    pub const TIMELOCK: (i64, i64) = (7 * 24 * 60 * 60, 30 * 24 * 60 * 60);
    pub const EXECUTION_WINDOW: (i64, i64) = (24 * 60 * 60, 30 * 24 * 60 * 60);
}

// A vote lock lasts until voting ends; media_staking accepts locks up to MAX_VOTE_LOCK ahead.
const _: () = assert!(bounds::VOTING_PERIOD.1 <= media_staking_interface::bounds::MAX_VOTE_LOCK);
// A staker who disagrees can leave before execution: the timelock is never shorter than the
// default unbonding period.
const _: () = assert!(defaults::TIMELOCK >= media_staking_interface::defaults::UNBONDING_PERIOD);
const _: () = assert!(bounds::TIMELOCK.0 >= media_staking_interface::defaults::UNBONDING_PERIOD);

/// How far `finalize` pushes a proposal's execution window (opening at `executable_at`, the
/// end of voting plus the timelock) so that it opens no earlier than the end of voting plus
/// staking's current unbonding period: a staker vote-locked until the end of voting can then
/// unbond and withdraw before a proposal it opposed executes. The earliest execution becomes
/// `voting_ends_at + max(timelock, unbonding_period)`.
pub fn execution_delay(
    voting_ends_at: i64,
    executable_at: i64,
    unbonding_period: i64,
) -> Result<i64, ProgramError> {
    // The common case without the sum's overflow test: a non-negative period no longer than
    // the window's distance from the end of voting (exact as a u64 once `executable_at` is not
    // earlier) keeps `voting_ends_at + unbonding_period` between `voting_ends_at` and
    // `executable_at`, so the sum fits and the window already opens late enough.
    if unbonding_period >= 0
        && voting_ends_at <= executable_at
        && unbonding_period as u64 <= (executable_at as u64).wrapping_sub(voting_ends_at as u64)
    {
        return Ok(0);
    }
    let unbonded_at = math::add_i64(voting_ends_at, unbonding_period)?;
    // The window already opens late enough: one compare, before the saturating subtraction
    // (positive from here on) and its overflow test.
    if unbonded_at <= executable_at {
        return Ok(0);
    }
    Ok(unbonded_at.saturating_sub(executable_at))
}

/// Votes needed for quorum: `ceil(total_active * quorum_bps / 10_000)`.
pub fn quorum_votes(total_active: u64, quorum_bps: u16) -> Result<u64, ProgramError> {
    let scaled = math::mul(total_active, quorum_bps as u64)?;
    Ok(math::add(scaled, BPS - 1)? / BPS)
}

/// The outcome of a finished vote: Succeeded if every vote together reaches quorum and for
/// beats against, Defeated otherwise.
pub fn outcome(
    votes_for: u64,
    votes_against: u64,
    votes_abstain: u64,
    quorum: u64,
) -> Result<ProposalState, ProgramError> {
    let turnout = math::add(math::add(votes_for, votes_against)?, votes_abstain)?;
    Ok(if turnout >= quorum && votes_for > votes_against {
        ProposalState::Succeeded
    } else {
        ProposalState::Defeated
    })
}

/// Instructions of this program that a proposal may call: the config setters, through which
/// governance changes its own parameters once its authority is its own PDA. Everything else
/// (`execute` above all) would re-enter the proposal machinery and is refused.
pub const SELF_CALLS: [[u8; 8]; 4] = [
    instruction::set_params::DISCRIMINATOR,
    instruction::set_authority::DISCRIMINATOR,
    instruction::set_pause_authority::DISCRIMINATOR,
    instruction::set_paused::DISCRIMINATOR,
];

/// The suite's programs: a stored instruction that lifts a pause must call one of them.
const MEDIA_PROGRAMS: [Address; 4] = [
    media_core::program_ids::media_staking::ID,
    media_core::program_ids::media_bandwidth::ID,
    media_core::program_ids::media_treasury::ID,
    ID,
];
/// `set_paused(false)`: the discriminator and a false `bool`.
const UNPAUSE_DATA_LEN: usize = 8 + 1;
/// `set_pause_authority(new_address)`: the discriminator and an address.
const SET_PAUSE_AUTHORITY_DATA_LEN: usize = 8 + 32;

// Every program's admin family is `media_core::admin`'s: the same instruction names (so the
// same Anchor discriminators), arguments and `[signer, config]` accounts, so one check
// recognises `set_paused` and `set_pause_authority` in any of the four.
const _: () = {
    assert!(core::mem::size_of::<media_core::admin::SetPausedArgs>() == UNPAUSE_DATA_LEN - 8);
    assert!(
        core::mem::size_of::<media_core::admin::SetAddressArgs>()
            == SET_PAUSE_AUTHORITY_DATA_LEN - 8
    );
};

/// The first 8 data bytes of a stored instruction as a discriminator (0 if shorter).
#[inline(always)]
fn stored_discriminator(ix: &StoredInstruction) -> u64 {
    ix.data()
        .first_chunk::<8>()
        .map_or(0, |disc| u64::from_le_bytes(*disc))
}

/// Whether a stored instruction unpauses one of the four programs (`set_paused(false)`): the
/// only kind of instruction a proposal may carry and still skip the timelock, since it changes
/// no parameter and moves no funds, and a pause must not outlast the vote that lifts it. The
/// data length first: it rules out most instructions in one compare, inlined, so `finalize`
/// calls out only for a stored instruction of the unpause's length.
#[inline(always)]
pub fn unpauses(ix: &StoredInstruction) -> bool {
    ix.data().len() == UNPAUSE_DATA_LEN && lifts_pause(ix)
}

/// Whether a stored instruction lifts a pause: `set_paused(false)` or `set_pause_authority` (a
/// rogue pause key replaced) on any of the four programs, recognised by program id,
/// discriminator and arguments. Each callee loads only its own config, whatever account is
/// stored. While governance is paused, proposals may carry only these. The data is tested
/// before the program id (four address compares), which only a recognised call needs.
#[inline(never)]
pub fn lifts_pause(ix: &StoredInstruction) -> bool {
    let data = ix.data();
    let disc = stored_discriminator(ix);
    let recognised = match data.len() {
        UNPAUSE_DATA_LEN => disc == instruction::set_paused::DISCRIMINATOR_U64 && data[8] == 0,
        SET_PAUSE_AUTHORITY_DATA_LEN => disc == instruction::set_pause_authority::DISCRIMINATOR_U64,
        _ => false,
    };
    recognised
        && MEDIA_PROGRAMS
            .iter()
            .any(|program| media_core::checks::same(program, &ix.program_id))
}

/// Checks a stored instruction against the rules of a proposal: within the size limits,
/// only `governance` (the governance PDA) as a signer, no vote lock (`lock_stake` is
/// reachable only through `cast_vote`), and no call back into this program other than
/// [`SELF_CALLS`]. Returns the accounts `execute` will need for it (the program and its
/// accounts). `add_instruction` and `execute` both run it.
pub fn check_stored_instruction(
    ix: &StoredInstruction,
    governance: &Address,
) -> Result<usize, ProgramError> {
    let count = ix.account_count as usize;
    if count > MAX_INSTRUCTION_ACCOUNTS || ix.data_len.get() as usize > MAX_INSTRUCTION_DATA {
        return Err(GovernanceError::InstructionTooLarge.into());
    }
    // Refused by name although staking would refuse it anyway (only the vote authority signs
    // a lock, and a stored instruction's only signer is the governance PDA).
    if media_core::checks::same(&ix.program_id, &media_staking_interface::ID)
        && stored_discriminator(ix)
            == media_staking_interface::instruction::lock_stake::DISCRIMINATOR_U64
    {
        return Err(GovernanceError::StoredVoteLock.into());
    }
    if check_id(&ix.program_id) {
        let disc = stored_discriminator(ix);
        let allowed = ix.data().len() >= 8
            && SELF_CALLS
                .iter()
                .any(|call| u64::from_le_bytes(*call) == disc);
        if !allowed {
            return Err(GovernanceError::ReentrantInstruction.into());
        }
    }
    if ix
        .accounts()
        .iter()
        .any(|meta| meta.is_signer.get() && !media_core::checks::same(&meta.pubkey, governance))
    {
        return Err(GovernanceError::InvalidStoredSigner.into());
    }
    // `count <= MAX_INSTRUCTION_ACCOUNTS` (checked above): cannot wrap.
    Ok(count.wrapping_add(1))
}

media_core::idl_program! {
    "media_governance",
    "Stake-weighted proposals, votes and timelocked execution signed by the governance PDA",
    accounts: [state::GovernanceConfig, state::Proposal],
    types: state::TYPES,
    errors: error::GovernanceError::ALL,
    constants: media_core::idl_constants! {
        "SEED_" seeds { GOVERNANCE, PROPOSAL, VOTE_AUTHORITY },
        "DEFAULT_" defaults { VOTING_PERIOD, QUORUM_BPS, PROPOSAL_THRESHOLD, TIMELOCK, EXECUTION_WINDOW },
        "BOUNDS_" bounds { VOTING_PERIOD, QUORUM_BPS, PROPOSAL_THRESHOLD, TIMELOCK, EXECUTION_WINDOW },
        "" self {
            MAX_DRAFT_AGE, MAX_INSTRUCTIONS, MAX_INSTRUCTION_ACCOUNTS, MAX_INSTRUCTION_DATA,
            MAX_EXECUTE_ACCOUNTS, DESCRIPTION_URI_LEN, BPS,
        },
        "" pause { MAX_PAUSE_DURATION },
    },
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use media_core::pod::{PodBool, PodU16};
    use state::StoredAccountMeta;

    fn code(error: ProgramError) -> u32 {
        match error {
            ProgramError::Custom(code) => code,
            other => panic!("not a custom error: {other:?}"),
        }
    }

    fn stored(
        program_id: Address,
        data: &[u8],
        metas: &[(Address, bool, bool)],
    ) -> StoredInstruction {
        let empty = StoredAccountMeta {
            pubkey: Address::new_from_array([0; 32]),
            is_signer: PodBool::new(false),
            is_writable: PodBool::new(false),
        };
        let mut ix = StoredInstruction {
            program_id,
            account_count: metas.len() as u8,
            data_len: PodU16::new(data.len() as u16),
            accounts: [empty; MAX_INSTRUCTION_ACCOUNTS],
            data: [0; MAX_INSTRUCTION_DATA],
        };
        ix.data[..data.len()].copy_from_slice(data);
        for (slot, (pubkey, signer, writable)) in ix.accounts.iter_mut().zip(metas) {
            *slot = StoredAccountMeta {
                pubkey: *pubkey,
                is_signer: PodBool::new(*signer),
                is_writable: PodBool::new(*writable),
            };
        }
        ix
    }

    const GOV: Address = Address::new_from_array([7; 32]);
    const OTHER: Address = Address::new_from_array([9; 32]);
    const STAKING: Address = media_staking_interface::ID;

    #[test]
    fn quorum_rounds_up() {
        assert_eq!(quorum_votes(190_000_000, 2_000).unwrap(), 38_000_000);
        assert_eq!(quorum_votes(1, 2_000).unwrap(), 1);
        assert_eq!(quorum_votes(0, 2_000).unwrap(), 0);
        assert_eq!(quorum_votes(10_001, 10_000).unwrap(), 10_001);
        assert!(quorum_votes(u64::MAX, 10_000).is_err());
    }

    #[test]
    fn outcome_needs_quorum_and_a_majority() {
        const SUCCEEDED: ProposalState = ProposalState::Succeeded;
        const DEFEATED: ProposalState = ProposalState::Defeated;
        assert_eq!(outcome(60, 40, 0, 100).unwrap(), SUCCEEDED);
        assert_eq!(outcome(30, 0, 0, 38).unwrap(), DEFEATED, "below quorum");
        assert_eq!(
            outcome(20, 0, 18, 38).unwrap(),
            SUCCEEDED,
            "abstain counts for quorum"
        );
        assert_eq!(outcome(50, 50, 0, 38).unwrap(), DEFEATED, "a tie fails");
        assert_eq!(outcome(0, 0, 0, 0).unwrap(), DEFEATED, "nobody voted");
    }

    #[test]
    fn stored_accounts_are_the_used_slots() {
        let metas: std::vec::Vec<_> = (0..8u8)
            .map(|i| (Address::new_from_array([i; 32]), false, i % 2 == 0))
            .collect();
        let ix = stored(STAKING, &[1, 2, 3], &metas);
        for (i, meta) in ix.accounts().iter().enumerate() {
            assert_eq!(meta.pubkey, Address::new_from_array([i as u8; 32]));
            assert_eq!(meta.is_writable.get(), i % 2 == 0);
        }
        assert_eq!(ix.accounts().len(), 8);
        assert_eq!(ix.data(), &[1, 2, 3]);
        let mut out_of_range = ix;
        out_of_range.account_count = 9;
        assert!(out_of_range.accounts().is_empty());
    }

    #[test]
    fn stored_instruction_rules() {
        let ok = stored(
            STAKING,
            &[0; 16],
            &[(GOV, true, false), (OTHER, false, true)],
        );
        assert_eq!(check_stored_instruction(&ok, &GOV).unwrap(), 3);

        let setter = stored(
            ID,
            &instruction::set_params::DISCRIMINATOR,
            &[(GOV, true, false), (GOV, false, true)],
        );
        assert_eq!(check_stored_instruction(&setter, &GOV).unwrap(), 3);

        let mut too_many = ok;
        too_many.account_count = 9;
        let mut too_long = ok;
        too_long.data_len = PodU16::new(129);
        let execute = &instruction::execute::DISCRIMINATOR;
        let refused = [
            (
                "a foreign signer",
                stored(STAKING, &[0; 16], &[(OTHER, true, false)]),
                GovernanceError::InvalidStoredSigner,
            ),
            (
                "execute itself",
                stored(ID, execute, &[(GOV, false, false)]),
                GovernanceError::ReentrantInstruction,
            ),
            (
                "no data",
                stored(ID, &[], &[]),
                GovernanceError::ReentrantInstruction,
            ),
            (
                "nine accounts",
                too_many,
                GovernanceError::InstructionTooLarge,
            ),
            ("129 bytes", too_long, GovernanceError::InstructionTooLarge),
        ];
        for (case, ix, error) in refused {
            let refusal = check_stored_instruction(&ix, &GOV).unwrap_err();
            assert_eq!(code(refusal), error as u32, "{case}");
        }
    }

    #[test]
    fn a_stored_vote_lock_is_refused() {
        let mut data = [0u8; 16];
        data[..8].copy_from_slice(&media_staking_interface::instruction::lock_stake::DISCRIMINATOR);
        let lock = stored(
            STAKING,
            &data,
            &[
                (GOV, true, false),
                (OTHER, false, false),
                (OTHER, false, true),
            ],
        );
        assert_eq!(
            code(check_stored_instruction(&lock, &GOV).unwrap_err()),
            GovernanceError::StoredVoteLock as u32
        );
        // The same bytes sent to another program are that program's business.
        let elsewhere = stored(OTHER, &data, &[(GOV, true, false)]);
        assert_eq!(check_stored_instruction(&elsewhere, &GOV).unwrap(), 2);
    }

    #[test]
    fn lifting_a_pause_is_unpausing_or_replacing_the_pause_key_on_a_media_program() {
        let programs = [
            STAKING,
            media_core::program_ids::media_bandwidth::ID,
            media_core::program_ids::media_treasury::ID,
            ID,
        ];
        let mut unpause = [0u8; 9];
        unpause[..8].copy_from_slice(&instruction::set_paused::DISCRIMINATOR);
        let mut pause = unpause;
        pause[8] = 1;
        let mut new_key = [7u8; 40];
        new_key[..8].copy_from_slice(&instruction::set_pause_authority::DISCRIMINATOR);
        let metas = [(GOV, true, false), (OTHER, false, true)];
        for program in programs {
            assert!(lifts_pause(&stored(program, &unpause, &metas)));
            assert!(lifts_pause(&stored(program, &new_key, &metas)));
            // Only the unpause skips the timelock; a new pause key keeps it.
            assert!(unpauses(&stored(program, &unpause, &metas)));
            assert!(!unpauses(&stored(program, &new_key, &metas)));
            assert!(!unpauses(&stored(program, &pause, &metas)));
            assert!(
                !lifts_pause(&stored(program, &pause, &metas)),
                "pausing is not lifting"
            );
            assert!(
                !lifts_pause(&stored(program, &unpause[..8], &metas)),
                "truncated"
            );
            assert!(
                !lifts_pause(&stored(
                    program,
                    &[unpause.as_slice(), &[0]].concat(),
                    &metas
                )),
                "oversized"
            );
            assert!(
                !lifts_pause(&stored(program, &new_key[..39], &metas)),
                "truncated address"
            );
            let mut set_params = [0u8; 9];
            set_params[..8].copy_from_slice(&instruction::set_params::DISCRIMINATOR);
            assert!(
                !lifts_pause(&stored(program, &set_params, &metas)),
                "another setter with the same length"
            );
        }
        assert!(
            !lifts_pause(&stored(OTHER, &unpause, &metas)),
            "another program's set_paused"
        );
        assert!(!unpauses(&stored(OTHER, &unpause, &metas)));
        // A `bool` other than 0 is not "false".
        let mut odd = unpause;
        odd[8] = 2;
        assert!(!lifts_pause(&stored(STAKING, &odd, &metas)));
    }

    #[test]
    fn execution_waits_out_the_longer_of_timelock_and_unbonding() {
        let day = 24 * 60 * 60;
        // Voting ended at 100 days; the timelock of 7 days put the window at 107 days.
        assert_eq!(execution_delay(100 * day, 107 * day, 7 * day).unwrap(), 0);
        assert_eq!(
            execution_delay(100 * day, 107 * day, 3 * day).unwrap(),
            0,
            "never earlier than the timelock"
        );
        assert_eq!(
            execution_delay(100 * day, 107 * day, 14 * day).unwrap(),
            7 * day,
            "a longer unbonding period pushes it"
        );
        assert!(execution_delay(i64::MAX, 0, 1).is_err());
    }

    #[test]
    fn errors_are_numbered_from_6100() {
        let own: std::vec::Vec<_> = GovernanceError::ALL
            .iter()
            .filter(|(code, _, _)| *code >= 6100)
            .collect();
        for (i, (code, _, _)) in own.iter().enumerate() {
            assert_eq!(*code, 6100 + i as u32);
        }
    }
}
