//! Instructions of `media_staking`: discriminators, argument layouts and account lists.
//!
//! Account lists are in the order the processor unpacks them and declare PDA seeds and fixed
//! addresses, so Anchor's methods builder fills those accounts in by itself.
use crate::seeds;
use media_core::idl::{IdlAccountDef as Account, IdlSeed, NoArgs};
use media_core::ix::AmountArgs;
use media_core::pod::{PodI64, PodU16, PodU64};
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
const fn config_read() -> Account {
    Account::new("config", "The staking config").pda(&[IdlSeed::Const(seeds::CONFIG)])
}
const fn rewards_pool() -> Account {
    Account::new("rewards_pool", "The rewards pool")
        .writable()
        .pda(&[IdlSeed::Const(seeds::REWARDS_POOL)])
}
const fn emission_vault() -> Account {
    Account::new(
        "emission_vault",
        "The emission vault (MEDIA token account owned by the config)",
    )
    .pda(&[IdlSeed::Const(seeds::EMISSION_VAULT)])
}
const fn fee_share_vault() -> Account {
    Account::new(
        "fee_share_vault",
        "The fee-share vault (MEDIA token account owned by the config)",
    )
    .writable()
    .pda(&[IdlSeed::Const(seeds::FEE_SHARE_VAULT)])
}
const fn operator() -> Account {
    Account::new("operator", "The Edge operator wallet").signer()
}
/// The signing operator's own pool.
const fn own_operator_pool() -> Account {
    Account::new("operator_pool", "The operator's delegation pool")
        .writable()
        .pda(&[
            IdlSeed::Const(seeds::OPERATOR),
            IdlSeed::Account("operator"),
        ])
}
/// A pool named by the caller (the operator is not an account of the instruction).
const fn operator_pool() -> Account {
    Account::new(
        "operator_pool",
        "The delegation pool of the operator the position binds to",
    )
    .writable()
}
/// The bandwidth provider of the signing operator.
const fn own_provider() -> Account {
    Account::new(
        "provider",
        "The operator's media_bandwidth provider (its activity and fee share)",
    )
    .pda_of(
        media_core::program_ids::media_bandwidth::ID_STR,
        &[
            IdlSeed::Const(crate::PROVIDER_SEED),
            IdlSeed::Account("operator"),
        ],
    )
}
/// The bandwidth provider of the pool's operator, named by the caller.
const fn provider() -> Account {
    Account::new(
        "provider",
        "The media_bandwidth provider of the pool's operator (PDA [\"provider\", operator] of media_bandwidth)",
    )
}
/// Bandwidth's config, read for its pause: while bandwidth is paused nobody settles, so the
/// operator's activity window does not run (every program's config is `["config"]`).
const fn bandwidth_config() -> Account {
    Account::new(
        "bandwidth_config",
        "The media_bandwidth config (its pause holds the provider's activity window)",
    )
    .pda_of(
        media_core::program_ids::media_bandwidth::ID_STR,
        &[IdlSeed::Const(seeds::CONFIG)],
    )
}
const fn delegation() -> Account {
    Account::new("delegation", "The owner's delegation")
        .writable()
        .pda(&[IdlSeed::Const(seeds::DELEGATION), IdlSeed::Account("owner")])
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
        Account::clock_sysvar(),
    ]
}

instruction_def! {
    /// Moves active stake to unbonding; what stays active must be zero or at least
    /// `min_stake`. Restarts the unbonding period for everything unbonding. Open while paused.
    request_unstake(AmountArgs) [owner(), config(), stake_account(), Account::clock_sysvar()]
}

instruction_def! {
    /// Returns all unbonding stake to active stake (rebond). Refused while paused.
    cancel_unstake(NoArgs) [owner(), config(), stake_account(), Account::clock_sysvar()]
}

instruction_def! {
    /// Pays unbonded MEDIA back to the owner once the unbonding period has ended. Open while
    /// paused.
    withdraw(NoArgs) [owner(), owner_token_account(), config(), stake_account(), vault(), Account::token_program(), Account::clock_sysvar()]
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
        Account::clock_sysvar(),
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
        Account::clock_sysvar(),
    ]
}

instruction_def! {
    /// Pays the owner's rewards streamed so far. Open while paused.
    claim_rewards(NoArgs) [owner(), owner_token_account(), config(), stake_account(), vault(), Account::token_program(), Account::clock_sysvar()]
}

instruction_def! {
    /// Records the stake account's vote on governance proposal `proposal_id` (a second one is
    /// refused) and vote-locks it until `until`. Only governance's vote-authority PDA signs
    /// it, which governance does only in `cast_vote`: a passed proposal cannot lock stake.
    lock_stake(LockStakeArgs) [
        Account::new("vote_authority", "Governance's vote-authority PDA (the config's vote_authority)").signer(),
        Account::new("config", "The staking config").pda(&[IdlSeed::Const(seeds::CONFIG)]),
        Account::new("stake_account", "The stake account to lock").writable(),
        Account::clock_sysvar(),
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

borsh_struct! {
    /// Parameters of the rewards pool and of delegation, each checked against its bounds.
    pub struct InitializeRewardsPoolArgs {
        pub initial_rate: PodU64,
        pub halving_period: PodI64,
        pub delegation_cap: PodU16,
        pub commission_notice: PodI64,
    }
}

borsh_struct! {
    /// An operator's terms, in basis points: commission on emissions, share of MEDIA fee
    /// income paid to delegators.
    pub struct CommissionArgs {
        pub commission_bps: PodU16,
        pub fee_share_bps: PodU16,
    }
}

borsh_struct! {
    /// A new emission schedule from now.
    pub struct SetEmissionScheduleArgs {
        pub initial_rate: PodU64,
        pub halving_period: PodI64,
    }
}

borsh_struct! {
    /// New delegation parameters.
    pub struct SetDelegationParamsArgs {
        pub delegation_cap: PodU16,
        pub commission_notice: PodI64,
    }
}

instruction_def! {
    /// Creates the rewards pool and its two vaults, and sets the delegation parameters in the
    /// config. The emission schedule starts now. Only the program's upgrade authority, which
    /// must also be the config authority, may call it, once.
    initialize_rewards_pool(InitializeRewardsPoolArgs) [
        Account::new("authority", "Pays for the accounts; the upgrade authority and the config authority").writable().signer(),
        config(),
        rewards_pool(),
        emission_vault().writable(),
        fee_share_vault(),
        Account::new("media_mint", "The MEDIA mint (the config's)").relations(&["config"]),
        Account::token_program(),
        Account::system_program(),
        Account::program_data(),
        Account::clock_sysvar(),
    ]
}

instruction_def! {
    /// Releases what the schedule made due since the last release into the accumulator (or
    /// back to the pool while nothing is bound). Permissionless; open while paused.
    release_emissions(NoArgs) [rewards_pool(), emission_vault(), Account::clock_sysvar()]
}

instruction_def! {
    /// Opens the signing operator's delegation pool with its terms. The operator's active
    /// stake must be at least `min_stake`. Refused while paused.
    open_operator(CommissionArgs) [
        Account::new("operator", "The Edge operator wallet; pays for the pool").writable().signer(),
        config_read(),
        rewards_pool(),
        Account::new("stake_account", "The operator's stake account")
            .pda(&[IdlSeed::Const(seeds::STAKE), IdlSeed::Account("operator")]),
        own_operator_pool(),
        Account::system_program(),
        Account::clock_sysvar(),
    ]
}

instruction_def! {
    /// Schedules new terms for the signing operator's pool: they take effect after
    /// `max(commission_notice, unbonding_period)`; a new call replaces a pending change and
    /// restarts the notice. Syncs the pool first. Refused while paused.
    set_commission(CommissionArgs) [
        operator(),
        config_read(),
        rewards_pool(),
        emission_vault(),
        own_operator_pool(),
        own_provider(),
        bandwidth_config(),
        Account::clock_sysvar(),
    ]
}

instruction_def! {
    /// Binds the owner's whole active stake to the pool's operator (creating the delegation
    /// on first use), or tops it up to the current active stake if already bound to it.
    /// Delegated stake stays within `delegation_cap` times the operator's own active stake.
    /// Refused while paused.
    delegate(NoArgs) [
        Account::new("owner", "The wallet that owns the stake; pays for a new delegation").writable().signer(),
        config_read(),
        rewards_pool(),
        emission_vault(),
        stake_account(),
        delegation(),
        operator_pool(),
        Account::new("operator_stake_account", "The pool operator's stake account (its own active stake bounds delegation)"),
        provider(),
        bandwidth_config(),
        Account::system_program(),
        Account::clock_sysvar(),
    ]
}

instruction_def! {
    /// Unbinds the owner's position from its operator: it stops earning at once and may bind
    /// again after an unbonding period. Settles first. Open while paused.
    undelegate(NoArgs) [
        owner(),
        config_read(),
        rewards_pool(),
        emission_vault(),
        stake_account(),
        delegation(),
        operator_pool().docs("The delegation pool of the position's operator"),
        provider(),
        bandwidth_config(),
        Account::clock_sysvar(),
    ]
}

instruction_def! {
    /// Brings an operator's pool up to the clock: credits its stake's emissions for the time
    /// the operator was active, returns the rest to the pool, takes in new fee share and
    /// applies terms whose notice has run out. Permissionless; open while paused.
    sync_operator(NoArgs) [
        rewards_pool(),
        emission_vault(),
        operator_pool().docs("The delegation pool to sync"),
        provider(),
        bandwidth_config(),
        Account::clock_sysvar(),
    ]
}

instruction_def! {
    /// Pays the owner's settled emissions (emission vault) and fee share (fee-share vault).
    /// Open while paused.
    claim_delegation_rewards(NoArgs) [
        owner(),
        owner_token_account(),
        config_read().docs("The staking config (signs for the vaults)"),
        rewards_pool(),
        emission_vault().writable(),
        fee_share_vault(),
        delegation(),
        operator_pool().docs("The delegation pool of the position's operator"),
        provider(),
        bandwidth_config(),
        Account::token_program(),
        Account::clock_sysvar(),
    ]
}

instruction_def! {
    /// Pays the operator its emission commission (emission vault) and the fee share that
    /// arrived while nobody was delegated (fee-share vault). Open while paused.
    claim_commission(NoArgs) [
        operator(),
        Account::new("operator_token_account", "The operator's MEDIA token account").writable(),
        config_read().docs("The staking config (signs for the vaults)"),
        rewards_pool(),
        emission_vault().writable(),
        fee_share_vault(),
        own_operator_pool(),
        own_provider(),
        bandwidth_config(),
        Account::token_program(),
        Account::clock_sysvar(),
    ]
}

instruction_def! {
    /// Sets the emission schedule (authority only, within bounds): releases up to now, then
    /// re-anchors the schedule at now with the new parameters. Refused while paused.
    set_emission_schedule(SetEmissionScheduleArgs) [
        Account::authority(),
        config(),
        rewards_pool(),
        emission_vault(),
        Account::clock_sysvar(),
    ]
}

instruction_def! {
    /// Sets `delegation_cap` and `commission_notice` (authority only, within bounds). Refused
    /// while paused.
    set_delegation_params(SetDelegationParamsArgs) [Account::authority(), config()]
}

media_core::admin_instructions!(config());

media_core::idl_instructions! {
    initialize_config, stake, request_unstake, cancel_unstake, withdraw, fund_rewards,
    sync_rewards, claim_rewards, lock_stake, set_min_stake, set_unbonding_period,
    set_quota_bytes_per_media, set_reward_duration, initialize_rewards_pool, release_emissions,
    open_operator, set_commission, delegate, undelegate, sync_operator, claim_delegation_rewards,
    claim_commission, set_emission_schedule, set_delegation_params,
}
