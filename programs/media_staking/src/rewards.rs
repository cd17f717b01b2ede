//! Staking rewards: the stream and the accumulator live in
//! `media_staking_interface::rewards` (pure arithmetic, property-tested on the host); this
//! module adds what needs the runtime: the vault's balance and the `RewardPeriodStarted` event.
use media_core::event::Event;
use media_core::{math, token, AccountView, ProgramError};
use media_staking_interface::event::RewardPeriodStarted;
use media_staking_interface::rewards;
use media_staking_interface::state::StakingConfig;

pub use media_staking_interface::rewards::{settle, update};

/// New rewards of one instruction: `funded` through `fund_rewards` (already counted by the
/// caller), plus whatever arrived in the vault since the last staking instruction.
pub struct NewRewards<'a> {
    /// The staking vault, already checked to be the config's.
    pub vault: &'a AccountView,
    pub funded: u64,
    pub now: i64,
}

impl<'a> NewRewards<'a> {
    /// Only what arrived in `vault` (an instruction that funds nothing itself).
    #[inline(always)]
    pub fn arrived(vault: &'a AccountView, now: i64) -> Self {
        Self {
            vault,
            funded: 0,
            now,
        }
    }
}

/// For an instruction that holds the vault, before its own transfers: brings the stream up to
/// `new.now` ([`update`]), then folds what arrived in the vault beyond what it owes (active +
/// unbonding + reserve) into the reserve, and restarts the period if anything is new.
/// Unpacked inline: the out-of-line body, which five instructions share, takes the three
/// fields in registers instead of reading them back from a struct the caller stored.
#[inline(always)]
pub fn catch_up(config: &mut StakingConfig, new: &NewRewards) -> Result<(), ProgramError> {
    catch_up_with(config, new.vault, new.funded, new.now)
}

/// [`catch_up`] out of line.
#[inline(never)]
fn catch_up_with(
    config: &mut StakingConfig,
    vault: &AccountView,
    funded: u64,
    now: i64,
) -> Result<(), ProgramError> {
    update(config, now)?;
    let owed = math::add(
        math::add(config.total_active.get(), config.total_unbonding.get())?,
        config.reward_reserve.get(),
    )?;
    // The vault never holds less than it owes; if it did, nothing would be new. A compare, not
    // `saturating_sub`: the backend expands that into a flag it materializes and tests. With
    // nothing arrived, an instruction that funds nothing returns after one more test.
    let balance = token::amount(vault);
    let received = if balance > owed {
        let received = balance.wrapping_sub(owed);
        config.reward_reserve.try_add(received)?;
        config.total_rewards_received.try_add(received)?;
        received
    } else if funded == 0 {
        return Ok(());
    } else {
        0
    };
    // Either term is not zero, so neither is what is added.
    restart(config, math::add(received, funded)?, received, now)
}

/// Restarts the period at `now` with `added` new rewards (`received` of them from the vault),
/// and says so in a `RewardPeriodStarted`.
fn restart(
    config: &mut StakingConfig,
    added: u64,
    received: u64,
    now: i64,
) -> Result<(), ProgramError> {
    let (unstreamed, period_end) = rewards::restart(config, added, now)?;
    let reward_rate = rewards::reward_rate(unstreamed, config.reward_duration.get())?;
    RewardPeriodStarted {
        added: added.into(),
        received: received.into(),
        unstreamed: unstreamed.into(),
        reward_rate: reward_rate.into(),
        period_end: period_end.into(),
        total_active: config.total_active,
    }
    .emit();
    Ok(())
}
