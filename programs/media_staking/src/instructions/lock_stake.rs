//! `lock_stake(until)`: governance, signing as its PDA, forbids `request_unstake` on a stake
//! account until `until`, so a stake that voted cannot leave and vote again elsewhere.
//!
//! Accounts:
//! 0. `[signer]` governance: the config's `governance`
//! 1. `[]` config
//! 2. `[writable]` stake_account
use super::within;
use media_core::error::{err, CommonError};
use media_core::event::Event;
use media_core::ix::{Context, parse_args};
use media_core::state::{load, load_mut};
use media_core::{checks, math, sysvar, ProgramResult};
use media_staking_interface::bounds;
use media_staking_interface::event::StakeLocked;
use media_staking_interface::instruction::LockStakeArgs;
use media_staking_interface::state::{StakeAccount, StakingConfig};

pub fn process(ctx: &Context) -> ProgramResult {
    let Context { program_id, accounts, args } = *ctx;
    let [governance, config, stake_account, ..] = accounts else {
        return err(CommonError::NotEnoughAccounts);
    };
    let until = parse_args::<LockStakeArgs>(args)?.until.get();
    checks::signer(governance)?;
    let config_state = load::<StakingConfig>(config, program_id)?;
    checks::address_is(governance.address(), &config_state.governance, CommonError::Unauthorized)?;
    let now = sysvar::unix_timestamp()?;
    within(until, (now, math::add_i64(now, bounds::MAX_VOTE_LOCK)?))?;
    let mut stake = load_mut::<StakeAccount>(stake_account, program_id)?;
    if until > stake.vote_lock_until.get() {
        stake.vote_lock_until.set(until);
    }

    StakeLocked { owner: stake.owner, until: stake.vote_lock_until }.emit();
    Ok(())
}
