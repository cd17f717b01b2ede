//! `update_provider(media_price_per_gib, quote_price_per_gib)`: sets new prices and
//! (re)activates the provider; its stake must still be at least `min_stake`.
//!
//! Accounts:
//! 0. `[signer]` operator
//! 1. `[]` config
//! 2. `[]` staking_config
//! 3. `[]` stake_account: the operator's
//! 4. `[writable]` provider
use super::{
    check_prices, config_unpaused, emit_provider_updated, operated_provider, operator_stake,
};
use media_bandwidth_interface::instruction::ProviderPricesArgs;
use media_core::error::{err, CommonError};
use media_core::ix::{parse_args, Context};
use media_core::pod::PodBool;
use media_core::{checks, ProgramResult};

pub fn process(ctx: &Context) -> ProgramResult {
    let Context {
        program_id,
        accounts,
        args,
    } = *ctx;
    let [operator, config, staking_config, stake_account, provider, ..] = accounts else {
        return err(CommonError::NotEnoughAccounts);
    };
    let args = parse_args::<ProviderPricesArgs>(args)?;
    checks::signer(operator)?;
    config_unpaused(config, program_id)?;
    check_prices(args)?;
    operator_stake(staking_config, stake_account, operator)?.require_minimum()?;
    let mut state = operated_provider(provider, operator, program_id)?;
    state.media_price_per_gib = args.media_price_per_gib;
    state.quote_price_per_gib = args.quote_price_per_gib;
    state.active = PodBool::new(true);
    emit_provider_updated(provider, &state);
    Ok(())
}
