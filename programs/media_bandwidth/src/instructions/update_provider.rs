//! `update_provider(media_price_per_gib, quote_price_per_gib)`: sets new prices and
//! (re)activates the provider; its stake must still be at least `min_stake`.
//!
//! Accounts:
//! 0. `[signer]` operator
//! 1. `[writable]` config: counts the active providers
//! 2. `[]` staking_config
//! 3. `[]` stake_account: the operator's
//! 4. `[writable]` provider
use super::{check_prices, config_unpaused_mut, emit_provider_updated, operator_stake};
use media_bandwidth_interface::instruction::ProviderPricesArgs;
use media_bandwidth_interface::state::Provider;
use media_core::ix::Context;
use media_core::pod::PodBool;
use media_core::state::load_held;
use media_core::{checks, ProgramResult};

pub fn process(ctx: &Context) -> ProgramResult {
    let [operator, config, staking_config, stake_account, provider] = ctx.accounts()?;
    let program_id = ctx.program_id;
    let args = ctx.args::<ProviderPricesArgs>()?;
    checks::signer(operator)?;
    let mut config_state = config_unpaused_mut(config, program_id)?;
    check_prices(args)?;
    operator_stake(staking_config, stake_account, operator)?.require_minimum()?;
    let mut state = load_held::<Provider>(provider, operator, program_id)?;
    state.media_price_per_gib = args.media_price_per_gib;
    state.quote_price_per_gib = args.quote_price_per_gib;
    if !state.active.get() {
        config_state.active_providers.try_add(1)?;
    }
    state.active = PodBool::new(true);
    emit_provider_updated(&state);
    Ok(())
}
