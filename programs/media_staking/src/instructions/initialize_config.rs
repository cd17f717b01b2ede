//! `initialize_config`: creates the config and the vault.
//!
//! Accounts:
//! 0. `[writable, signer]` authority: pays, and becomes authority and pause authority
//! 1. `[writable]` config: PDA `["config"]`
//! 2. `[writable]` vault: PDA `["vault"]`, becomes a MEDIA token account owned by the config
//! 3. `[]` media_mint
//! 4. `[]` token_program
//! 5. `[]` system_program
//! 6. `[]` program_data: this program's ProgramData; `authority` must be its upgrade authority
use super::within;
use media_core::error::{err, CommonError};
use media_core::event::Event;
use media_core::ix::{parse_args, Context};
use media_core::pda::{canonical_bump, find_program_address};
use media_core::program_ids::media_governance;
use media_core::state::{init, AccountState};
use media_core::{checks, system, token, upgrade, ProgramResult};
use media_staking_interface::event::ConfigInitialized;
use media_staking_interface::instruction::InitializeConfigArgs;
use media_staking_interface::state::StakingConfig;
use media_staking_interface::{bounds, seeds, VOTE_AUTHORITY_SEED};
use pinocchio::cpi::Signer;

pub fn process(ctx: &Context) -> ProgramResult {
    let Context {
        program_id,
        accounts,
        args,
    } = *ctx;
    let [authority, config, vault, media_mint, token_program, system_program, program_data, ..] =
        accounts
    else {
        return err(CommonError::NotEnoughAccounts);
    };
    let args = parse_args::<InitializeConfigArgs>(args)?;
    checks::writable_signer(authority)?;
    upgrade::require_upgrade_authority(program_data, authority.address(), program_id)?;
    checks::writable(config)?;
    checks::writable(vault)?;
    token::check_program(token_program)?;
    checks::system_program(system_program)?;
    token::check_mint(media_mint)?;
    if config.owned_by(program_id) {
        return err(CommonError::AlreadyInitialized);
    }
    within(args.min_stake.get(), bounds::MIN_STAKE)?;
    within(args.unbonding_period.get(), bounds::UNBONDING_PERIOD)?;
    within(
        args.quota_bytes_per_media.get(),
        bounds::QUOTA_BYTES_PER_MEDIA,
    )?;
    within(args.reward_duration.get(), bounds::REWARD_DURATION)?;

    // The one signer of vote locks, derived here from governance's program id: no caller
    // names it and no setter changes it.
    let (vote_authority, _) = find_program_address(&[VOTE_AUTHORITY_SEED], &media_governance::ID)?;
    let config_bump = [canonical_bump(
        config.address(),
        &[seeds::CONFIG],
        program_id,
    )?];
    let vault_bump = [canonical_bump(
        vault.address(),
        &[seeds::VAULT],
        program_id,
    )?];
    let config_seeds = super::config_seeds(&config_bump);
    system::CreatePdaAccount {
        payer: authority,
        account: config,
        space: StakingConfig::LEN,
        owner: program_id,
    }
    .invoke(&Signer::from(&config_seeds))?;
    let vault_seeds = [seeds::VAULT.into(), (&vault_bump).into()];
    system::CreatePdaAccount {
        payer: authority,
        account: vault,
        space: token::TOKEN_ACCOUNT_LEN,
        owner: &token::TOKEN_PROGRAM_ID,
    }
    .invoke(&Signer::from(&vault_seeds))?;
    token::initialize_account(vault, media_mint, config.address())?;

    let mut state = init::<StakingConfig>(config, program_id)?;
    state.authority = *authority.address();
    state.pause_authority = *authority.address();
    state.vote_authority = vote_authority;
    state.media_mint = *media_mint.address();
    state.vault = *vault.address();
    state.min_stake = args.min_stake;
    state.unbonding_period = args.unbonding_period;
    state.quota_bytes_per_media = args.quota_bytes_per_media;
    state.reward_duration = args.reward_duration;
    state.bump = config_bump[0];
    state.vault_bump = vault_bump[0];

    ConfigInitialized {
        authority: state.authority,
        media_mint: state.media_mint,
        vault: state.vault,
        min_stake: state.min_stake,
        unbonding_period: state.unbonding_period,
        quota_bytes_per_media: state.quota_bytes_per_media,
        reward_duration: state.reward_duration,
    }
    .emit();
    Ok(())
}
