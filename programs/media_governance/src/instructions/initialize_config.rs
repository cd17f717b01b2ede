//! `initialize_config`: creates the governance config, whose address is the governance PDA.
//!
//! Accounts:
//! 0. `[writable, signer]` authority: pays, and becomes authority and pause authority
//! 1. `[writable]` config: PDA `["governance"]`
//! 2. `[]` system_program
//! 3. `[]` program_data: this program's ProgramData; `authority` must be its upgrade authority
//!
//! Also derives the vote-authority PDA, whose bump `cast_vote` signs with.
use super::{apply_params, emit_config_updated, governance_seeds};
use media_core::error::{err, CommonError};
use media_core::ix::{parse_args, Context};
use media_core::pda::{canonical_bump, find_program_address};
use media_core::state::{init, AccountState};
use media_core::{checks, system, upgrade, ProgramResult};
use media_governance_interface::instruction::GovernanceParams;
use media_governance_interface::seeds;
use media_governance_interface::state::GovernanceConfig;
use pinocchio::cpi::Signer;

pub fn process(ctx: &Context) -> ProgramResult {
    let Context {
        program_id,
        accounts,
        args,
    } = *ctx;
    let [authority, config, system_program, program_data, ..] = accounts else {
        return err(CommonError::NotEnoughAccounts);
    };
    let params = parse_args::<GovernanceParams>(args)?;
    checks::writable_signer(authority)?;
    upgrade::require_upgrade_authority(program_data, authority.address(), program_id)?;
    checks::writable(config)?;
    checks::system_program(system_program)?;
    if config.owned_by(program_id) {
        return err(CommonError::AlreadyInitialized);
    }
    let bump = [canonical_bump(
        config.address(),
        &[seeds::GOVERNANCE],
        program_id,
    )?];
    let signer_seeds = governance_seeds(&bump);
    system::CreatePdaAccount {
        payer: authority,
        account: config,
        space: GovernanceConfig::LEN,
        owner: program_id,
    }
    .invoke(&Signer::from(&signer_seeds))?;

    let mut state = init::<GovernanceConfig>(config, program_id)?;
    apply_params(&mut state, params)?;
    state.authority = *authority.address();
    state.pause_authority = *authority.address();
    state.bump = bump[0];
    let (vote_authority, vote_authority_bump) =
        find_program_address(&[seeds::VOTE_AUTHORITY], program_id)?;
    state.vote_authority = vote_authority;
    state.vote_authority_bump = vote_authority_bump;

    emit_config_updated(&state);
    Ok(())
}
