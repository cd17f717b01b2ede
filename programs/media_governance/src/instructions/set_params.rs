//! `set_params`: sets every governance parameter, within bounds.
//!
//! Accounts: see [`super::update_config`].
use super::{apply_params, update_config};
use media_core::ix::{parse_args, Context};
use media_core::ProgramResult;
use media_governance_interface::instruction::GovernanceParams;

pub fn process(ctx: &Context) -> ProgramResult {
    let params = parse_args::<GovernanceParams>(ctx.args)?;
    update_config(ctx, |config| apply_params(config, params))
}
