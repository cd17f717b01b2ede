//! `register_provider(media_price_per_gib, quote_price_per_gib)`: registers the operator as
//! an Edge provider. Its media_staking stake must be its own and at least `min_stake`, and it
//! must have opened its OperatorPool in media_staking (`open_operator`): the pool is where
//! stake delegated to it is bound and where its delegators' fee share is accounted.
//!
//! Accounts:
//! 0. `[writable, signer]` operator: pays for the provider account
//! 1. `[writable]` config: counts the active provider
//! 2. `[]` staking_config
//! 3. `[]` stake_account: the operator's
//! 4. `[]` operator_pool: the operator's media_staking OperatorPool
//! 5. `[writable]` provider: PDA `["provider", operator]`
//! 6. `[]` system_program
use super::{check_prices, config_unpaused_mut, operator_pool, operator_stake};
use media_bandwidth_interface::event::ProviderRegistered;
use media_bandwidth_interface::instruction::ProviderPricesArgs;
use media_bandwidth_interface::seeds;
use media_bandwidth_interface::state::Provider;
use media_core::event::Event;
use media_core::ix::Context;
use media_core::pod::PodBool;
use media_core::state::{create, NewPda};
use media_core::{checks, ProgramResult};

pub fn process(ctx: &Context) -> ProgramResult {
    let [operator, config, staking_config, stake_account, pool, provider, system_program] =
        ctx.accounts()?;
    let program_id = ctx.program_id;
    let args = ctx.args::<ProviderPricesArgs>()?;
    checks::writable_signer(operator)?;
    checks::writable(provider)?;
    checks::system_program(system_program)?;
    let mut config_state = config_unpaused_mut(config, program_id)?;
    check_prices(args)?;
    let stake = operator_stake(staking_config, stake_account, operator)?;
    stake.require_minimum()?;
    operator_pool(pool, operator)?;
    let (mut state, bump) = create::<Provider>(&NewPda {
        payer: operator,
        account: provider,
        seeds: &[seeds::PROVIDER, operator.address().as_ref()],
        program_id,
    })?;
    state.operator = *operator.address();
    state.media_price_per_gib = args.media_price_per_gib;
    state.quote_price_per_gib = args.quote_price_per_gib;
    state.active = PodBool::new(true);
    state.bump = bump;
    config_state.active_providers.try_add(1)?;

    ProviderRegistered {
        active_stake: stake.active.into(),
    }
    .emit();
    Ok(())
}
