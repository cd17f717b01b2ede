//! `lock_stake(proposal_id, until)`: records the stake account's vote on governance proposal
//! `proposal_id` in the account itself (`StakeAccount::record_vote`: a second vote on it is
//! refused, so no account per vote is needed) and forbids `request_unstake` until `until`, so
//! a stake that voted cannot leave and vote again elsewhere. Only governance's vote-authority
//! PDA signs it, and governance signs with that PDA only in `cast_vote` (never in `execute`),
//! so only a vote locks stake. Open while paused: a pause must not stop votes.
//!
//! Accounts:
//! 0. `[signer]` vote_authority: the config's `vote_authority`
//! 1. `[]` config
//! 2. `[writable]` stake_account
//! 3. `[]` clock: the Clock sysvar
use media_core::admin::within;
use media_core::error::CommonError;
use media_core::event::Event;
use media_core::ix::Context;
use media_core::state::{load, load_mut};
use media_core::{checks, math, sysvar, ProgramResult};
use media_staking_interface::bounds;
use media_staking_interface::error::StakingError;
use media_staking_interface::event::StakeLocked;
use media_staking_interface::instruction::LockStakeArgs;
use media_staking_interface::state::{StakeAccount, StakingConfig, VoteRefusal};

pub fn process(ctx: &Context) -> ProgramResult {
    let [vote_authority, config, stake_account, clock] = ctx.accounts()?;
    let program_id = ctx.program_id;
    let args = ctx.args::<LockStakeArgs>()?;
    let until = args.until.get();
    checks::signer(vote_authority)?;
    let config_state = load::<StakingConfig>(config, program_id)?;
    checks::address_is(
        vote_authority.address(),
        &config_state.vote_authority,
        CommonError::Unauthorized,
    )?;
    let now = sysvar::unix_timestamp_of(clock)?;
    within(until, (now, math::add_i64(now, bounds::MAX_VOTE_LOCK)?))?;
    let mut stake = load_mut::<StakeAccount>(stake_account, program_id)?;
    // Governance refuses these first with its own errors; the record is kept here, by its owner.
    stake
        .record_vote(args.proposal_id.get())
        .map_err(|refusal| match refusal {
            VoteRefusal::AlreadyVoted => StakingError::AlreadyVoted,
            VoteRefusal::WindowPassed => StakingError::VoteWindowPassed,
        })?;
    if until > stake.vote_lock_until.get() {
        stake.vote_lock_until.set(until);
    }

    StakeLocked {
        owner: stake.owner,
        until: stake.vote_lock_until,
    }
    .emit();
    Ok(())
}
