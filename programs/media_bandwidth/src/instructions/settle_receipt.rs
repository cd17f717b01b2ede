//! `settle_receipt(cumulative_bytes, cumulative_amount)`: pays the newest receipt the
//! consumer signed, within the provider's rolling quota, split between provider, stakers
//! and treasury, and of MEDIA the provider's part shared with its operator's delegators.
//!
//! The preceding instruction must be the Ed25519 verify instruction of exactly this
//! receipt, for this escrow's address and nonce (see `crate::receipt`). Both cumulative
//! figures strictly grow (so a receipt pays at most once in a lifetime, and the nonce keeps it
//! from paying in another) and the amount's growth pays at least the escrow's recorded price
//! for the bytes' growth (`media_bandwidth_interface::price`): served bytes cannot be made
//! up for free. The differences are paid, and added to the config's lifetime counters.
//! Refused while paused, and once the dispute window of a requested close has run; open after
//! the provider deactivates or `min_stake` rises above its stake (the quota still applies).
//!
//! The quota counts the operator's own active stake plus the stake delegated to it (bound in
//! its media_staking OperatorPool), the delegated part capped at the staking config's
//! `delegation_cap` times the own stake. Of a MEDIA payment, the pool's fee share (the terms
//! in effect now) of the provider's part goes to media_staking's fee-share vault when anyone
//! but the operator has stake bound to it; the provider account counts it (`fee_share_paid`), which is how staking
//! learns of it. Every settlement proves the provider active: it starts a new activity run if
//! the last one had ended, and extends the run to now + the config's activity window.
//!
//! Accounts:
//! 0. `[signer]` operator
//! 1. `[writable]` config: its lifetime counters and the network's quota use
//! 2. `[writable]` provider: the operator's, the escrow's
//! 3. `[writable]` escrow
//! 4. `[writable]` vault: the escrow's
//! 5. `[writable]` provider_token_account: receives the provider's share
//! 6. `[]` treasury_config: media_treasury's config (owner and discriminator checked)
//! 7. `[writable]` treasury_vault: the treasury config's vault of the escrow's mint
//! 8. `[]` staking_config: media_staking's config (quota rate, its vault)
//! 9. `[writable]` staking_vault: the staking config's vault; receives the stakers' share,
//!    which the next staking instruction folds into the reward stream
//! 10. `[]` stake_account: the operator's (quota and minimum stake)
//! 11. `[]` instructions_sysvar
//! 12. `[]` token_program
//! 13. `[]` operator_pool: the operator's media_staking OperatorPool (delegated stake, terms)
//! 14. `[writable]` fee_share_vault: the vault the pool names; receives the delegators' share
//! 15. `[]` clock: the Clock sysvar
use super::{check_treasury_vault, check_vault, escrow_seeds, operator_stake, pool_terms};
use crate::receipt::ExpectedReceipt;
use media_bandwidth_interface::error::BandwidthError;
use media_bandwidth_interface::event::ReceiptSettled;
use media_bandwidth_interface::instruction::SettleReceiptArgs;
use media_bandwidth_interface::price::require_price_met;
use media_bandwidth_interface::quota::{backed_stake, decayed, fee_share, split, QuotaChange};
use media_bandwidth_interface::receipt;
use media_bandwidth_interface::state::{BandwidthConfig, Escrow, Provider};
use media_core::event::{address_field, Event};
use media_core::ix::Context;
use media_core::state::{load_held, load_mut, loaded};
use media_core::{checks, math, sysvar, token, ProgramResult};
use media_staking_interface::state::{quota_bytes, StakingConfig};
use pinocchio::cpi::Signer;

pub fn process(ctx: &Context) -> ProgramResult {
    let [operator, config, provider, escrow, vault, provider_token_account, treasury_config, treasury_vault, staking_config, staking_vault, stake_account, instructions, token_program, operator_pool, fee_share_vault, clock] =
        ctx.accounts()?;
    let program_id = ctx.program_id;
    let receipt_args = ctx.args::<SettleReceiptArgs>()?;
    let (cumulative_bytes, cumulative_amount) = (
        receipt_args.cumulative_bytes.get(),
        receipt_args.cumulative_amount.get(),
    );
    checks::signer(operator)?;
    token::check_program(token_program)?;
    let mut config_state = load_mut::<BandwidthConfig>(config, program_id)?;
    let now = sysvar::unix_timestamp_of(clock)?;
    config_state.pause.require_unpaused_at(now)?;
    let stake = operator_stake(staking_config, stake_account, operator)?;
    let pool = pool_terms(operator_pool, operator, fee_share_vault, now)?;

    let event = {
        let mut provider_state = load_held::<Provider>(provider, operator, program_id)?;
        // Neither a deactivated provider nor one whose stake fell below a raised `min_stake`
        // loses what its escrows owe it for data already served: both may still settle, within
        // the quota their stake gives.
        let mut state = load_mut::<Escrow>(escrow, program_id)?;
        if !checks::same(&state.provider, provider.address()) {
            return Err(BandwidthError::ProviderMismatch.into());
        }
        if state.close_requested() && state.dispute_window_over(&config_state.pause, now) {
            return Err(BandwidthError::EscrowClosed.into());
        }
        check_vault(vault, &state.vault)?;
        let is_media = checks::same(&state.mint, &config_state.media_mint);
        check_treasury_vault(treasury_config, treasury_vault, &state.mint)?;

        let message = receipt::message(
            escrow.address(),
            state.nonce.get(),
            cumulative_bytes,
            cumulative_amount,
        );
        ExpectedReceipt {
            sysvar: instructions,
            consumer: &state.consumer,
            message: &message,
            program_id,
            args: ctx.args,
        }
        .verify()?;

        let (settled_bytes, settled_amount) =
            (state.settled_bytes.get(), state.settled_amount.get());
        if cumulative_bytes <= settled_bytes || cumulative_amount <= settled_amount {
            return Err(BandwidthError::StaleReceipt.into());
        }
        let bytes = math::sub(cumulative_bytes, settled_bytes)?;
        let amount = math::sub(cumulative_amount, settled_amount)?;
        require_price_met(bytes, amount, state.price_per_gib.get())?;
        if amount > math::sub(state.deposited.get(), state.paid.get())? {
            return Err(BandwidthError::InsufficientEscrowBalance.into());
        }

        let window = config_state.quota_window.get();
        let elapsed = now.saturating_sub(provider_state.quota_updated_at.get());
        let used = math::add(
            decayed(provider_state.quota_used.get(), elapsed, window)?,
            bytes,
        )?;
        let backed = backed_stake(stake.active, pool.delegated, stake.delegation_cap);
        if used > quota_bytes(backed, stake.quota_bytes_per_media) {
            return Err(BandwidthError::QuotaExceeded.into());
        }
        config_state.network_quota.update(&QuotaChange {
            old_used: provider_state.quota_used.get(),
            old_at: provider_state.quota_updated_at.get(),
            new_used: used,
            now,
            window,
        });
        provider_state.quota_used.set(used);
        provider_state.quota_updated_at.set(now);
        provider_state.total_bytes.try_add(bytes)?;
        provider_state.record_activity(
            &config_state.pause,
            now,
            config_state.activity_window.get(),
        );
        state.settled_bytes.set(cumulative_bytes);
        state.settled_amount.set(cumulative_amount);
        state.paid.try_add(amount)?;

        let parts = split(
            amount,
            config_state.protocol_fee_bps.get(),
            config_state.staker_share_bps.get(),
            is_media,
        )?;
        config_state.count_settlement(is_media, bytes, &parts)?;
        let shared = fee_share(parts.provider, pool.fee_share_bps, is_media, pool.delegated)?;
        if shared > 0 {
            provider_state.fee_share_paid.try_add(shared)?;
        }
        ReceiptSettled {
            mint: address_field(&state.mint),
            bytes: bytes.into(),
            amount: amount.into(),
            provider_amount: math::sub(parts.provider, shared)?.into(),
            staker_amount: parts.stakers.into(),
            treasury_amount: parts.treasury.into(),
            fee_share_amount: shared.into(),
            quota_used: used.into(),
        }
    };
    // SAFETY: loaded as an `Escrow` above; only this program writes it, and not below.
    let escrow_state = unsafe { loaded::<Escrow>(escrow) };
    // The provider's share must land in the provider's account, never in a vault: paid into the
    // treasury vault it would be burned as fees, into the staking or fee-share vault it would
    // break that vault's accounting.
    checks::distinct(provider_token_account, vault)?;
    checks::distinct(provider_token_account, treasury_vault)?;
    checks::distinct(provider_token_account, staking_vault)?;
    checks::distinct(provider_token_account, fee_share_vault)?;
    // Its mint is the token program's check (see `token::Transfer`).
    token::check_is_account(provider_token_account)?;
    // The stakers' share goes straight into the staking vault (no CPI): only the vault its
    // config names counts it as rewards. Read in place: `operator_stake` copies out only the
    // figures every caller needs.
    // SAFETY: `operator_stake` loaded `staking_config` as a `StakingConfig` and dropped its
    // borrow; only media_staking writes it, and no CPI has run yet.
    let staking_state = unsafe { loaded::<StakingConfig>(staking_config) };
    if !checks::same(staking_vault.address(), &staking_state.vault) {
        return Err(BandwidthError::InvalidVault.into());
    }

    let bump = [escrow_state.bump];
    let seeds = escrow_seeds(escrow_state, &bump);
    let signer = Signer::from(&seeds);
    let shares = [
        (provider_token_account, event.provider_amount),
        (fee_share_vault, event.fee_share_amount),
        (staking_vault, event.staker_amount),
        (treasury_vault, event.treasury_amount),
    ];
    for (to, amount) in shares {
        if amount.get() > 0 {
            token::Transfer {
                from: vault,
                to,
                authority: escrow,
                amount: amount.get(),
            }
            .invoke(Some(&signer))?;
        }
    }
    event.emit();
    Ok(())
}
