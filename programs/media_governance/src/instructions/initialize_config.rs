//! `initialize_config`: creates the governance config, whose address is the governance PDA.
//!
//! Accounts:
//! 0. `[writable, signer]` authority: pays, and becomes authority and pause authority
//! 1. `[writable]` config: PDA `["governance"]`
//! 2. `[]` system_program
//! 3. `[]` program_data: this program's ProgramData; `authority` must be its upgrade authority
//!
//! Also derives the vote-authority PDA, whose bump `cast_vote` signs with.
use super::{apply_params, emit_parameters_updated};
use media_core::admin::emit_config_updated;
use media_core::admin::initialize;
use media_core::ix::Context;
use media_core::pda::find_program_address;
use media_core::ProgramResult;
use media_governance_interface::instruction::GovernanceParams;
use media_governance_interface::seeds;
use media_governance_interface::state::GovernanceConfig;

pub fn process(ctx: &Context) -> ProgramResult {
    let program_id = ctx.program_id;
    let params = ctx.args::<GovernanceParams>()?;
    let ([_, _, _, _], mut state, bump) =
        initialize::<GovernanceConfig, _>(ctx, &[seeds::GOVERNANCE], |_| Ok(()))?;
    apply_params(&mut state, params)?;
    state.bump = bump;
    let (vote_authority, vote_authority_bump) =
        find_program_address(&[seeds::VOTE_AUTHORITY], program_id)?;
    state.vote_authority = vote_authority;
    state.vote_authority_bump = vote_authority_bump;

    emit_config_updated(&mut *state);
    emit_parameters_updated(&state);
    Ok(())
}
