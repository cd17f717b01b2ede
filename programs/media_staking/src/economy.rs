//! What the contributor-economy instructions share: loading the rewards pool with its vaults,
//! releasing emissions, loading an operator pool with its bandwidth provider and syncing it,
//! and paying out of the two vaults. The arithmetic is `media_staking_interface::emissions`
//! (pure, host-tested); this module adds the accounts.
use crate::instructions::config_seeds;
use media_bandwidth_interface::state::{load_config as load_bandwidth_config, load_provider};
use media_core::error::CommonError;
use media_core::state::{load, load_mut};
use media_core::{checks, token, AccountView, Address, ProgramError, ProgramResult};
use media_staking_interface::emissions::{self, ProviderActivity};
use media_staking_interface::error::StakingError;
use media_staking_interface::state::{OperatorPool, RewardsPool, StakingConfig};
use pinocchio::account::RefMut;
use pinocchio::cpi::Signer;

/// Requires `vault` to be `expected`, one of the rewards pool's vaults.
#[inline(always)]
pub fn check_pool_vault(vault: &AccountView, expected: &Address) -> Result<(), ProgramError> {
    if !checks::same(vault.address(), expected) {
        return Err(StakingError::InvalidRewardsPoolVault.into());
    }
    Ok(())
}

/// Loads the rewards pool for a change and releases what the schedule made due up to `now`
/// from `emission_vault` (which must be the pool's). Every instruction that takes the pool
/// starts with it. Out of line: eight instructions share it.
#[inline(never)]
pub fn released_pool<'a>(
    rewards_pool: &'a AccountView,
    emission_vault: &AccountView,
    program_id: &Address,
    now: i64,
) -> Result<(RefMut<'a, RewardsPool>, emissions::Released), ProgramError> {
    let mut pool = load_mut::<RewardsPool>(rewards_pool, program_id)?;
    check_pool_vault(emission_vault, &pool.emission_vault)?;
    // The vault is the token account the pool created: its balance is read in place.
    let released = emissions::release(&mut pool, token::amount(emission_vault), now)?;
    Ok((pool, released))
}

/// The accounts every instruction that syncs an operator pool takes, in its order.
pub struct PoolAccounts<'a> {
    pub rewards_pool: &'a AccountView,
    pub emission_vault: &'a AccountView,
    pub operator_pool: &'a AccountView,
    pub provider: &'a AccountView,
    /// Bandwidth's config: its pause keeps the provider's activity window from running out.
    pub bandwidth_config: &'a AccountView,
}

/// The rewards pool and an operator pool, both brought up to the clock.
pub struct SyncedPools<'a> {
    pub rewards: RefMut<'a, RewardsPool>,
    pub pool: RefMut<'a, OperatorPool>,
}

/// Releases emissions up to `now`, loads the operator pool and its operator's bandwidth
/// provider (`ProviderMismatch` unless it is that operator's), and syncs the pool against the
/// provider's activity (pause-aware, see `provider_activity`), booking what the sync returned
/// and took in. Out of line: six
/// instructions share it.
#[inline(never)]
pub fn synced_pools<'a>(
    accounts: &PoolAccounts<'a>,
    program_id: &Address,
    now: i64,
) -> Result<SyncedPools<'a>, ProgramError> {
    let (mut rewards, _) = released_pool(
        accounts.rewards_pool,
        accounts.emission_vault,
        program_id,
        now,
    )?;
    let mut pool = load_mut::<OperatorPool>(accounts.operator_pool, program_id)?;
    let activity = provider_activity(accounts, &pool.operator, now)?;
    emissions::sync(&mut pool, &mut rewards, &activity, now)?;
    Ok(SyncedPools { rewards, pool })
}

/// What `operator`'s bandwidth provider says about its activity at `now`, its run pushed back
/// by the time bandwidth was paused (nobody settles then). The loaders' owner, length and
/// discriminator checks prove the provider is a provider PDA (its `operator` field says whose)
/// and the config is bandwidth's one config.
#[inline(always)]
fn provider_activity(
    accounts: &PoolAccounts,
    operator: &Address,
    now: i64,
) -> Result<ProviderActivity, ProgramError> {
    let provider = load_provider(accounts.provider)?;
    if !checks::same(&provider.operator, operator) {
        return Err(StakingError::ProviderMismatch.into());
    }
    let bandwidth = load_bandwidth_config(accounts.bandwidth_config)?;
    Ok(ProviderActivity {
        active_since: provider.active_since.get(),
        active_until: provider.active_until_at(&bandwidth.pause, now),
        fee_share_paid: provider.fee_share_paid.get(),
    })
}

/// Requires `pool` to be the pool of `operator` (a delegation's operator): its loader proved
/// it is an operator pool PDA, its `operator` field says whose.
#[inline(always)]
pub fn check_pool_of(pool: &OperatorPool, operator: &Address) -> Result<(), ProgramError> {
    checks::address_is(&pool.operator, operator, CommonError::InvalidPda)
}

/// Requires commission terms within 10,000 basis points.
#[inline(always)]
pub fn check_terms(commission_bps: u16, fee_share_bps: u16) -> Result<(), ProgramError> {
    if commission_bps > media_staking_interface::BPS || fee_share_bps > media_staking_interface::BPS
    {
        return Err(StakingError::InvalidCommission.into());
    }
    Ok(())
}

/// Where a claim pays from and to: the emission vault and the fee-share vault, the staking
/// config that signs for both, and the claimant's chosen destination.
pub struct PayoutAccounts<'a> {
    pub config: &'a AccountView,
    pub emission_vault: &'a AccountView,
    pub fee_share_vault: &'a AccountView,
    pub destination: &'a AccountView,
}

impl PayoutAccounts<'_> {
    /// Transfers `emissions` from the emission vault and `fees` from the fee-share vault, each
    /// if not zero, the config (bump `config_bump`) signing. Out of line: both claims share it.
    #[inline(never)]
    pub fn pay(&self, config_bump: u8, emissions: u64, fees: u64) -> ProgramResult {
        let bump = [config_bump];
        let seeds = config_seeds(&bump);
        let signer = Signer::from(&seeds);
        for (vault, amount) in [
            (self.emission_vault, emissions),
            (self.fee_share_vault, fees),
        ] {
            if amount != 0 {
                token::Transfer {
                    from: vault,
                    to: self.destination,
                    authority: self.config,
                    amount,
                }
                .invoke(Some(&signer))?;
            }
        }
        Ok(())
    }
}

/// The checks both claims open with: `claimant` signed, `token_program` is the token program,
/// and `payout.destination` is a token account (anyone's: the claimant chooses) that is neither
/// vault it pays from; its mint is the token program's check (see `token::Transfer`). Returns
/// the config's bump, which signs the payout.
#[inline(never)]
pub fn check_claim(
    claimant: &AccountView,
    payout: &PayoutAccounts,
    token_program: &AccountView,
    program_id: &Address,
) -> Result<u8, ProgramError> {
    checks::signer(claimant)?;
    token::check_program(token_program)?;
    let config = load::<StakingConfig>(payout.config, program_id)?;
    for vault in [payout.emission_vault, payout.fee_share_vault] {
        checks::distinct(payout.destination, vault)?;
    }
    token::check_is_account(payout.destination)?;
    Ok(config.bump)
}
