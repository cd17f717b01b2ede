//! `set_delegation_params(delegation_cap, commission_notice)`: the delegation parameters
//! (authority only, within bounds). A lower cap binds new delegations only; a notice already
//! running keeps its end. Refused while paused.
//!
//! Accounts: see `media_core::admin::config_for_authority`.
use super::update_parameters;
use media_core::admin::within;
use media_core::ix::Context;
use media_core::ProgramResult;
use media_staking_interface::bounds;
use media_staking_interface::instruction::SetDelegationParamsArgs;

pub fn process(ctx: &Context) -> ProgramResult {
    let args = ctx.args::<SetDelegationParamsArgs>()?;
    within(args.delegation_cap.get(), bounds::DELEGATION_CAP)?;
    within(args.commission_notice.get(), bounds::COMMISSION_NOTICE)?;
    update_parameters(ctx, |config| {
        config.delegation_cap = args.delegation_cap;
        config.commission_notice = args.commission_notice;
    })
}
