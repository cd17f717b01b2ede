//! `media_governance` program: stake-weighted proposals, votes and timelocked execution
//! signed by the governance PDA.
//!
//! The interface (accounts, instructions, events, errors) is `media-governance-interface`;
//! this crate is only the processor.
#![no_std]

mod instructions;

use media_governance_interface::instruction as ix;
use media_governance_interface::state::GovernanceConfig;

// `execute` takes its two fixed accounts plus up to MAX_EXECUTE_ACCOUNTS remaining ones.
media_core::program_entrypoint!(dispatch, media_governance_interface::MAX_ACCOUNTS);

media_core::dispatch! { ix, instructions, GovernanceConfig, [
    initialize_config, set_params, create_proposal, add_instruction, cast_vote, finalize,
    execute, cancel,
] }
