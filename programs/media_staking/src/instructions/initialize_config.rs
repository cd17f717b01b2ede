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
use media_core::admin::initialize;
use media_core::admin::within;
use media_core::event::Event;
use media_core::ix::Context;
use media_core::pda::find_program_address;
use media_core::program_ids::media_governance;
use media_core::state::{create_token_account, NewPda};
use media_core::{checks, token, ProgramResult};
use media_staking_interface::event::ConfigInitialized;
use media_staking_interface::instruction::InitializeConfigArgs;
use media_staking_interface::state::StakingConfig;
use media_staking_interface::{bounds, seeds, VOTE_AUTHORITY_SEED};

pub fn process(ctx: &Context) -> ProgramResult {
    let program_id = ctx.program_id;
    let args = ctx.args::<InitializeConfigArgs>()?;
    let ([authority, config, vault, media_mint, ..], mut state, bump) =
        initialize::<StakingConfig, 7>(ctx, &[seeds::CONFIG], |accounts| {
            let [_, _, vault, media_mint, token_program, _, _] = accounts;
            checks::writable(vault)?;
            token::check_program(token_program)?;
            token::check_mint(media_mint)?;
            Ok(())
        })?;
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
    let vault_bump = create_token_account(
        &NewPda {
            payer: authority,
            account: vault,
            seeds: &[seeds::VAULT],
            program_id,
        },
        media_mint,
        config.address(),
    )?;
    state.vote_authority = vote_authority;
    state.media_mint = *media_mint.address();
    state.vault = *vault.address();
    state.min_stake = args.min_stake;
    state.unbonding_period = args.unbonding_period;
    state.quota_bytes_per_media = args.quota_bytes_per_media;
    state.reward_duration = args.reward_duration;
    state.bump = bump;
    state.vault_bump = vault_bump;

    ConfigInitialized {}.emit();
    Ok(())
}
