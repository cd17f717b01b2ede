//! Instructions of `media_staking`: discriminators, argument layouts and account lists.
//!
//! Account lists are in the order the processor unpacks them and declare PDA seeds and fixed
//! addresses, so Anchor's methods builder fills those accounts in by itself.
use crate::seeds;
use media_core::idl::{IdlAccountDef as Account, IdlSeed, NoArgs};
use media_core::ix::AmountArgs;
use media_core::pod::{PodI64, PodU64};
use media_core::{borsh_struct, instruction_def};

const fn config() -> Account {
    Account::new("config", "The staking config")
        .writable()
        .pda(&[IdlSeed::Const(seeds::CONFIG)])
}
const fn vault() -> Account {
    Account::new(
        "vault",
        "The staking vault (MEDIA token account owned by the config)",
    )
    .writable()
    .pda(&[IdlSeed::Const(seeds::VAULT)])
}
const fn stake_account() -> Account {
    Account::new("stake_account", "The owner's stake account")
        .writable()
        .pda(&[IdlSeed::Const(seeds::STAKE), IdlSeed::Account("owner")])
}
const fn owner() -> Account {
    Account::new("owner", "The wallet that owns the stake").signer()
}
const fn owner_token_account() -> Account {
    Account::new("owner_token_account", "The owner's MEDIA token account").writable()
}

borsh_struct! {
    /// Parameters of a new config, each checked against its bounds.
    pub struct InitializeConfigArgs {
        pub min_stake: PodU64,
        pub unbonding_period: PodI64,
        pub quota_bytes_per_media: PodU64,
        pub reward_duration: PodI64,
    }
}

borsh_struct! {
    /// The governance proposal voted on, and the end of its vote lock.
    pub struct LockStakeArgs {
        pub proposal_id: PodU64,
        pub until: PodI64,
    }
}

borsh_struct! {
    /// New minimum stake.
    pub struct SetMinStakeArgs {
        pub min_stake: PodU64,
    }
}

borsh_struct! {
    /// New unbonding period in seconds.
    pub struct SetUnbondingPeriodArgs {
        pub unbonding_period: PodI64,
    }
}

borsh_struct! {
    /// New quota rate.
    pub struct SetQuotaBytesPerMediaArgs {
        pub quota_bytes_per_media: PodU64,
    }
}

borsh_struct! {
    /// New reward duration in seconds.
    pub struct SetRewardDurationArgs {
        pub reward_duration: PodI64,
    }
}

instruction_def! {
    /// Creates the config and the vault. The signer becomes authority and pause authority
    /// until they are handed over; the vote authority is derived from governance's program id.
    initialize_config(InitializeConfigArgs) [
        Account::new("authority", "Pays for the accounts and becomes the config authority").writable().signer(),
        Account::new("config", "The staking config").writable().pda(&[IdlSeed::Const(seeds::CONFIG)]),
        vault(),
        Account::new("media_mint", "The MEDIA mint"),
        Account::token_program(),
        Account::system_program(),
        Account::program_data(),
    ]
}

instruction_def! {
    /// Moves MEDIA from the owner into active stake. The resulting active stake must be zero
    /// or at least `min_stake`. Creates the stake account on first use. Refused while paused.
    /// Like every instruction that holds the vault, it first brings the reward stream up to
    /// the clock and folds MEDIA that arrived in the vault since (fees) into the stream.
    stake(AmountArgs) [
        Account::new("owner", "The wallet that owns the stake; pays for a new stake account").writable().signer(),
        owner_token_account(),
        config(),
        stake_account(),
        vault(),
        Account::token_program(),
        Account::system_program(),
    ]
}

instruction_def! {
    /// Moves active stake to unbonding; what stays active must be zero or at least
    /// `min_stake`. Restarts the unbonding period for everything unbonding. Open while paused.
    request_unstake(AmountArgs) [owner(), config(), stake_account()]
}

instruction_def! {
    /// Returns all unbonding stake to active stake (rebond). Refused while paused.
    cancel_unstake(NoArgs) [owner(), config(), stake_account()]
}

instruction_def! {
    /// Pays unbonded MEDIA back to the owner once the unbonding period has ended. Open while
    /// paused.
    withdraw(NoArgs) [owner(), owner_token_account(), config(), stake_account(), vault(), Account::token_program()]
}

instruction_def! {
    /// Adds MEDIA to the stakers' rewards (anyone may fund): with what has not streamed yet, it
    /// streams out linearly over `reward_duration` from now, so stake earns only for the time
    /// it is staked. Open while paused.
    fund_rewards(AmountArgs) [
        Account::new("funder", "Signs for the funding token account").signer(),
        Account::new("funder_token_account", "MEDIA token account the rewards come from").writable(),
        config(),
        vault(),
        Account::token_program(),
    ]
}

instruction_def! {
    /// Brings the reward stream up to the clock and folds MEDIA that arrived in the vault
    /// (fees, buyback share) into it, restarting the period if any arrived. Permissionless;
    /// open while paused. Every instruction holding the vault does the same: this is the crank
    /// for quiet times.
    sync_rewards(NoArgs) [
        config(),
        Account::new("vault", "The staking vault (MEDIA token account owned by the config)").pda(&[IdlSeed::Const(seeds::VAULT)]),
    ]
}

instruction_def! {
    /// Pays the owner's rewards streamed so far. Open while paused.
    claim_rewards(NoArgs) [owner(), owner_token_account(), config(), stake_account(), vault(), Account::token_program()]
}

instruction_def! {
    /// Records the stake account's vote on governance proposal `proposal_id` (a second one is
    /// refused) and vote-locks it until `until`. Only governance's vote-authority PDA signs
    /// it, which governance does only in `cast_vote`: a passed proposal cannot lock stake.
    lock_stake(LockStakeArgs) [
        Account::new("vote_authority", "Governance's vote-authority PDA (the config's vote_authority)").signer(),
        Account::new("config", "The staking config").pda(&[IdlSeed::Const(seeds::CONFIG)]),
        Account::new("stake_account", "The stake account to lock").writable(),
    ]
}

instruction_def! {
    /// Sets `min_stake` (authority only, within bounds). Refused while paused.
    set_min_stake(SetMinStakeArgs) [Account::authority(), config()]
}

instruction_def! {
    /// Sets `unbonding_period` (authority only, within bounds). Refused while paused.
    set_unbonding_period(SetUnbondingPeriodArgs) [Account::authority(), config()]
}

instruction_def! {
    /// Sets `quota_bytes_per_media` (authority only, within bounds). Refused while paused.
    set_quota_bytes_per_media(SetQuotaBytesPerMediaArgs) [Account::authority(), config()]
}

instruction_def! {
    /// Sets `reward_duration` (authority only, within bounds), used from the next period
    /// (re)start. Refused while paused.
    set_reward_duration(SetRewardDurationArgs) [Account::authority(), config()]
}

media_core::admin_instructions!(config());

media_core::idl_instructions! {
    initialize_config, stake, request_unstake, cancel_unstake, withdraw, fund_rewards,
    sync_rewards, claim_rewards, lock_stake, set_min_stake, set_unbonding_period,
    set_quota_bytes_per_media, set_reward_duration,
}
