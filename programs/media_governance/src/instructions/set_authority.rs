//! `set_authority`: hands the config authority over (to the governance PDA itself).
//!
//! Accounts: see [`super::config_for_authority`].
use super::{config_for_authority, emit_config_updated};
use media_core::ix::{parse_args, Context};
use media_core::ProgramResult;
use media_governance_interface::instruction::SetAddressArgs;

pub fn process(ctx: &Context) -> ProgramResult {
    let new_address = parse_args::<SetAddressArgs>(ctx.args)?.new_address;
    let mut config = config_for_authority(ctx)?;
    config.authority = new_address;
    emit_config_updated(&config);
    Ok(())
}
