//! `initialize_config`: creates the config.
//!
//! Accounts:
//! 0. `[writable, signer]` authority: pays, and becomes authority and pause authority
//! 1. `[writable]` config: PDA `["config"]`
//! 2. `[]` staking_config: media_staking's config, whose MEDIA mint this program takes
//! 3. `[]` media_mint
//! 4. `[]` quote_mint
//! 5. `[]` system_program
//! 6. `[]` program_data: this program's ProgramData; `authority` must be its upgrade authority
//!
//! Revenue goes to the treasury's vaults, which `settle_receipt` reads from the treasury
//! config: this config keeps no copy of them.
use super::{check_parameters, emit_config_updated};
use media_bandwidth_interface::instruction::ParametersArgs;
use media_bandwidth_interface::seeds;
use media_bandwidth_interface::state::BandwidthConfig;
use media_core::error::{err, CommonError};
use media_core::ix::{parse_args, Context};
use media_core::pda::canonical_bump;
use media_core::state::{init, AccountState};
use media_core::{checks, system, token, upgrade, ProgramResult};
use media_staking_interface::state::load_config;
use pinocchio::cpi::Signer;

pub fn process(ctx: &Context) -> ProgramResult {
    let Context {
        program_id,
        accounts,
        args,
    } = *ctx;
    let [authority, config, staking_config, media_mint, quote_mint, system_program, program_data, ..] =
        accounts
    else {
        return err(CommonError::NotEnoughAccounts);
    };
    let args = parse_args::<ParametersArgs>(args)?;
    checks::writable_signer(authority)?;
    upgrade::require_upgrade_authority(program_data, authority.address(), program_id)?;
    checks::writable(config)?;
    checks::system_program(system_program)?;
    check_parameters(args)?;
    checks::address_is(
        media_mint.address(),
        &load_config(staking_config)?.media_mint,
        CommonError::InvalidMint,
    )?;
    token::check_mint(media_mint)?;
    token::check_mint(quote_mint)?;
    checks::distinct(media_mint, quote_mint)?;
    if config.owned_by(program_id) {
        return err(CommonError::AlreadyInitialized);
    }

    let bump = [canonical_bump(
        config.address(),
        &[seeds::CONFIG],
        program_id,
    )?];
    let signer_seeds = [seeds::CONFIG.into(), (&bump).into()];
    system::CreatePdaAccount {
        payer: authority,
        account: config,
        space: BandwidthConfig::LEN,
        owner: program_id,
    }
    .invoke(&Signer::from(&signer_seeds))?;

    let mut state = init::<BandwidthConfig>(config, program_id)?;
    state.authority = *authority.address();
    state.pause_authority = *authority.address();
    state.media_mint = *media_mint.address();
    state.quote_mint = *quote_mint.address();
    state.protocol_fee_bps = args.protocol_fee_bps;
    state.staker_share_bps = args.staker_share_bps;
    state.quota_window = args.quota_window;
    state.dispute_window = args.dispute_window;
    state.bump = bump[0];
    emit_config_updated(&state);
    Ok(())
}
