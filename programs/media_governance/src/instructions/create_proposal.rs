//! `create_proposal`: a staker above the proposal threshold opens a draft proposal; its
//! instructions follow with `add_instruction`. The vote is measured against this moment, not
//! one the proposer picks later: only stake active now will weigh, and the quorum is a share
//! of the total active stake now. Open while governance is paused (what a paused governance
//! may store is `add_instruction`'s business).
//!
//! Accounts:
//! 0. `[writable, signer]` proposer: pays for the proposal account
//! 1. `[writable]` config: its `proposal_count` numbers the proposal
//! 2. `[]` stake_account: the proposer's media_staking stake account
//! 3. `[writable]` proposal: PDA `["proposal", id as u64 LE]`
//! 4. `[]` staking_config: media_staking's config (stake sequence and total active stake)
//! 5. `[]` system_program
//! 6. `[]` clock: the Clock sysvar
use super::copy_pod;
use media_core::error::{err, CommonError};
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::{create, load_mut, NewPda};
use media_core::{checks, math, sysvar, ProgramResult};
use media_governance_interface::error::GovernanceError;
use media_governance_interface::event::ProposalCreated;
use media_governance_interface::instruction::CreateProposalArgs;
use media_governance_interface::state::{GovernanceConfig, Proposal};
use media_governance_interface::{quorum_votes, seeds, ProposalState, MAX_INSTRUCTIONS};
use media_staking_interface::state::{load_config, load_stake_account};

pub fn process(ctx: &Context) -> ProgramResult {
    let [proposer, config, stake_account, proposal, staking_config, system_program, clock] =
        ctx.accounts()?;
    let program_id = ctx.program_id;
    let args = ctx.args::<CreateProposalArgs>()?;
    checks::writable_signer(proposer)?;
    checks::writable(proposal)?;
    checks::system_program(system_program)?;
    let count = args.instruction_count;
    if count == 0 || count as usize > MAX_INSTRUCTIONS {
        return Err(GovernanceError::InvalidInstructionCount.into());
    }
    let mut config_state = load_mut::<GovernanceConfig>(config, program_id)?;
    {
        let stake = load_stake_account(stake_account)?;
        if !checks::same(&stake.owner, proposer.address()) {
            return Err(GovernanceError::NotStakeOwner.into());
        }
        if stake.active.get() < config_state.proposal_threshold.get() {
            return Err(GovernanceError::BelowProposalThreshold.into());
        }
    }
    let (total_active, stake_sequence) = {
        let staking = load_config(staking_config)?;
        (staking.total_active, staking.stake_sequence.get())
    };
    let quorum = quorum_votes(total_active.get(), config_state.quorum_bps.get())?;
    let id = config_state.proposal_count;
    if args.proposal_id != id || checks::owned_by(proposal, program_id) {
        return err(CommonError::InvalidPda);
    }
    let (mut state, bump) = create::<Proposal>(&NewPda {
        payer: proposer,
        account: proposal,
        seeds: &[seeds::PROPOSAL, &id.0],
        program_id,
    })?;
    config_state.proposal_count.try_add(1)?;
    state.id = id;
    state.proposer = *proposer.address();
    copy_pod(&mut state.description_uri, &args.description_uri);
    copy_pod(&mut state.description_hash, &args.description_hash);
    state.state = ProposalState::Draft;
    state.instruction_count = count;
    state.created_at.set(sysvar::unix_timestamp_of(clock)?);
    state.total_active_snapshot = total_active;
    // Every stake cohort that exists now is dated at or below `stake_sequence`.
    state
        .stake_sequence_snapshot
        .set(math::add(stake_sequence, 1)?);
    state.quorum_votes.set(quorum);
    state.bump = bump;

    ProposalCreated {}.emit();
    Ok(())
}
