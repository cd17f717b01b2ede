//! `initialize_rewards_pool(initial_rate, halving_period, delegation_cap, commission_notice)`:
//! creates the rewards pool and its two vaults, and sets the delegation parameters in the
//! config. The emission schedule starts now. Like `initialize_config`, only the program's
//! upgrade authority may call it, and it must also be the config authority (the hand-over to
//! governance has not happened yet).
//!
//! Accounts:
//! 0. `[writable, signer]` authority: pays; the upgrade authority and the config authority
//! 1. `[writable]` config
//! 2. `[writable]` rewards_pool: PDA `["rewards_pool"]`
//! 3. `[writable]` emission_vault: PDA `["emission_vault"]`, a MEDIA token account of the config
//! 4. `[writable]` fee_share_vault: PDA `["fee_share_vault"]`, a MEDIA token account of the config
//! 5. `[]` media_mint: the config's
//! 6. `[]` token_program
//! 7. `[]` system_program
//! 8. `[]` program_data: this program's ProgramData
//! 9. `[]` clock: the Clock sysvar
use media_core::admin::within;
use media_core::error::CommonError;
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::{create, create_token_account, load_mut, NewPda};
use media_core::{checks, sysvar, token, upgrade, ProgramResult};
use media_staking_interface::event::RewardsPoolInitialized;
use media_staking_interface::instruction::InitializeRewardsPoolArgs;
use media_staking_interface::state::{RewardsPool, StakingConfig};
use media_staking_interface::{bounds, seeds};

pub fn process(ctx: &Context) -> ProgramResult {
    let [authority, config, rewards_pool, emission_vault, fee_share_vault, media_mint, token_program, system_program, program_data, clock] =
        ctx.accounts()?;
    let program_id = ctx.program_id;
    let args = ctx.args::<InitializeRewardsPoolArgs>()?;
    checks::writable_signer(authority)?;
    upgrade::require_upgrade_authority(program_data, authority.address(), program_id)?;
    token::check_program(token_program)?;
    checks::system_program(system_program)?;
    checks::writable(emission_vault)?;
    checks::writable(fee_share_vault)?;
    let mut config_state = load_mut::<StakingConfig>(config, program_id)?;
    checks::address_is(
        authority.address(),
        &config_state.authority,
        CommonError::Unauthorized,
    )?;
    checks::address_is(
        media_mint.address(),
        &config_state.media_mint,
        CommonError::InvalidMint,
    )?;
    within(args.initial_rate.get(), bounds::INITIAL_RATE)?;
    within(args.halving_period.get(), bounds::HALVING_PERIOD)?;
    within(args.delegation_cap.get(), bounds::DELEGATION_CAP)?;
    within(args.commission_notice.get(), bounds::COMMISSION_NOTICE)?;

    let (mut pool, bump) = create::<RewardsPool>(&NewPda {
        payer: authority,
        account: rewards_pool,
        seeds: &[seeds::REWARDS_POOL],
        program_id,
    })?;
    let vault = |account, seed| {
        create_token_account(
            &NewPda {
                payer: authority,
                account,
                seeds: &[seed],
                program_id,
            },
            media_mint,
            config.address(),
        )
    };
    pool.emission_vault_bump = vault(emission_vault, seeds::EMISSION_VAULT)?;
    pool.fee_share_vault_bump = vault(fee_share_vault, seeds::FEE_SHARE_VAULT)?;
    let now = sysvar::unix_timestamp_of(clock)?;
    pool.emission_vault = *emission_vault.address();
    pool.fee_share_vault = *fee_share_vault.address();
    pool.initial_rate = args.initial_rate;
    pool.halving_period = args.halving_period;
    pool.schedule_start.set(now);
    pool.released_at.set(now);
    pool.bump = bump;
    config_state.delegation_cap = args.delegation_cap;
    config_state.commission_notice = args.commission_notice;

    RewardsPoolInitialized {
        schedule_start: pool.schedule_start,
    }
    .emit();
    Ok(())
}
