//! Instructions of `media_bandwidth`: discriminators, argument layouts and account lists.
//!
//! Account lists are in the order the processor unpacks them and declare PDA seeds and fixed
//! addresses, so Anchor's methods builder fills those accounts in by itself.
use crate::seeds;
use media_core::idl::{IdlAccountDef as Account, IdlSeed, NoArgs};
use media_core::ix::AmountArgs;
use media_core::pod::{PodI64, PodU16, PodU64};
use media_core::{borsh_struct, instruction_def};

const fn config() -> Account {
    Account::new("config", "The bandwidth config").pda(&[IdlSeed::Const(seeds::CONFIG)])
}
const fn config_mut() -> Account {
    config().writable()
}
const fn operator() -> Account {
    Account::new("operator", "The provider's operator wallet").signer()
}
const fn provider() -> Account {
    Account::new("provider", "The operator's provider account")
        .writable()
        .pda(&[
            IdlSeed::Const(seeds::PROVIDER),
            IdlSeed::Account("operator"),
        ])
}
const STAKING_PROGRAM: &str = media_staking_interface::ID_STR;

const fn staking_config() -> Account {
    Account::new(
        "staking_config",
        "media_staking's config (min_stake, quota rate)",
    )
    .pda_of(
        STAKING_PROGRAM,
        &[IdlSeed::Const(media_staking_interface::seeds::CONFIG)],
    )
}
const fn stake_account() -> Account {
    Account::new(
        "stake_account",
        "The operator's media_staking stake account",
    )
    .pda_of(
        STAKING_PROGRAM,
        &[
            IdlSeed::Const(media_staking_interface::seeds::STAKE),
            IdlSeed::Account("operator"),
        ],
    )
}
const fn operator_pool() -> Account {
    Account::new(
        "operator_pool",
        "The operator's media_staking OperatorPool (delegated stake, fee share terms)",
    )
    .pda_of(
        STAKING_PROGRAM,
        &[
            IdlSeed::Const(media_staking_interface::seeds::OPERATOR),
            IdlSeed::Account("operator"),
        ],
    )
}
const fn consumer() -> Account {
    Account::new("consumer", "The escrow's consumer").signer()
}
const fn escrow() -> Account {
    Account::new("escrow", "The escrow").writable()
}
const fn vault() -> Account {
    Account::new("vault", "The escrow's token account, owned by the escrow")
        .writable()
        .pda(&[
            IdlSeed::Const(seeds::ESCROW_VAULT),
            IdlSeed::Account("escrow"),
        ])
}

borsh_struct! {
    /// Fee and window parameters, each checked against its bounds.
    pub struct ParametersArgs {
        pub protocol_fee_bps: PodU16,
        pub staker_share_bps: PodU16,
        pub quota_window: PodI64,
        pub dispute_window: PodI64,
    }
}

borsh_struct! {
    /// The config's parameters at creation: [`ParametersArgs`]' fields, then the activity
    /// window, each checked against its bounds.
    pub struct InitializeConfigArgs {
        pub protocol_fee_bps: PodU16,
        pub staker_share_bps: PodU16,
        pub quota_window: PodI64,
        pub dispute_window: PodI64,
        pub activity_window: PodI64,
    }
}

impl InitializeConfigArgs {
    /// The fee and window parameters, as `set_parameters` takes them.
    #[inline(always)]
    pub fn parameters(&self) -> ParametersArgs {
        ParametersArgs {
            protocol_fee_bps: self.protocol_fee_bps,
            staker_share_bps: self.staker_share_bps,
            quota_window: self.quota_window,
            dispute_window: self.dispute_window,
        }
    }
}

borsh_struct! {
    /// Seconds a provider counts as active after each settlement.
    pub struct SetActivityWindowArgs {
        pub activity_window: PodI64,
    }
}

borsh_struct! {
    /// A provider's prices per GiB (0 = mint not accepted).
    pub struct ProviderPricesArgs {
        pub media_price_per_gib: PodU64,
        pub quote_price_per_gib: PodU64,
    }
}

borsh_struct! {
    /// The cumulative figures of the receipt being settled (the signed message repeats them,
    /// with the escrow's address and nonce).
    pub struct SettleReceiptArgs {
        pub cumulative_bytes: PodU64,
        pub cumulative_amount: PodU64,
    }
}

instruction_def! {
    /// Creates the config. The signer becomes authority and pause authority until they are
    /// handed over. MEDIA is the staking config's mint. Revenue goes to the treasury's vaults,
    /// which `settle_receipt` reads from the treasury config (no copy is kept here).
    initialize_config(InitializeConfigArgs) [
        Account::new("authority", "Pays for the config and becomes its authority").writable().signer(),
        config_mut(),
        staking_config(),
        Account::new("media_mint", "The MEDIA mint"),
        Account::new("quote_mint", "The quote mint"),
        Account::system_program(),
        Account::program_data(),
    ]
}

instruction_def! {
    /// Sets the fee split and the windows (authority only, within bounds). Refused while
    /// paused. A running dispute window keeps the length it started with.
    set_parameters(ParametersArgs) [Account::authority(), config_mut()]
}

instruction_def! {
    /// Sets the activity window (authority only, within bounds): how long after a settlement
    /// a provider counts as active, so that stake bound to its operator earns emissions.
    /// Applies from the next settlement on. Refused while paused.
    set_activity_window(SetActivityWindowArgs) [Account::authority(), config_mut()]
}

media_core::admin_instructions!(config_mut());

instruction_def! {
    /// Registers the operator as an Edge provider; needs active stake >= `min_stake` and the
    /// operator's OperatorPool, opened in media_staking first (`open_operator`).
    register_provider(ProviderPricesArgs) [
        Account::new("operator", "The operator wallet; pays for the provider account").writable().signer(),
        config_mut(),
        staking_config(),
        stake_account(),
        operator_pool(),
        provider(),
        Account::system_program(),
    ]
}

instruction_def! {
    /// Sets new prices and (re)activates the provider; needs active stake >= `min_stake`.
    update_provider(ProviderPricesArgs) [operator(), config_mut(), staking_config(), stake_account(), provider()]
}

instruction_def! {
    /// Stops the provider from taking new escrows and settlements.
    deactivate_provider(NoArgs) [operator(), config_mut(), provider()]
}

instruction_def! {
    /// Opens the consumer's escrow with the provider in `mint` and its vault, as a new
    /// lifetime: the escrow's nonce is the provider's count of escrows opened (which grows by
    /// one), its price is the provider's current price for `mint`, and its settled figures
    /// start at 0. Receipts sign the nonce. The consumer may not be the provider's operator.
    open_escrow(NoArgs) [
        Account::new("consumer", "The consumer; pays for the escrow and its vault").writable().signer(),
        config_mut(),
        Account::new("provider", "The provider account; counts the escrows opened with it").writable(),
        Account::new("mint", "MEDIA or the quote mint"),
        Account::new("escrow", "The escrow").writable().pda(&[
            IdlSeed::Account("consumer"),
            IdlSeed::Account("provider"),
            IdlSeed::Account("mint"),
        ]),
        vault(),
        Account::token_program(),
        Account::system_program(),
    ]
}

instruction_def! {
    /// Moves tokens from the consumer into the escrow's vault.
    deposit(AmountArgs) [
        consumer(),
        Account::new("consumer_token_account", "The consumer's token account of the escrow's mint").writable(),
        config(),
        escrow(),
        vault(),
        Account::token_program(),
    ]
}

instruction_def! {
    /// Starts the dispute window after which the consumer is refunded; records the window in
    /// force and the config's paused time, so the window only runs while bandwidth is not
    /// paused. Open while paused.
    request_close(NoArgs) [consumer(), config(), escrow(), Account::clock_sysvar()]
}

instruction_def! {
    /// Once the dispute window has run (only unpaused seconds count): refunds the remainder
    /// and closes the vault and the escrow, their rent going to the consumer; the config
    /// counts the refund. Open while paused.
    close_escrow(NoArgs) [
        Account::new("consumer", "The escrow's consumer; receives the rent").writable().signer(),
        Account::new("consumer_token_account", "Receives the refund").writable(),
        config_mut(),
        escrow(),
        vault(),
        Account::token_program(),
        Account::clock_sysvar(),
    ]
}

instruction_def! {
    /// Pays the newest consumer-signed receipt. The preceding instruction must be the
    /// Ed25519 verify instruction of exactly this receipt (for the escrow's address and
    /// nonce), signed by the escrow's consumer. Both cumulative figures strictly grow and the
    /// new amount pays at least the escrow's recorded price for the new bytes; the config's
    /// lifetime counters add the settlement. The treasury's part goes to the treasury
    /// config's vault of the escrow's mint. The quota counts the operator's own stake and the
    /// stake delegated to it, up to the staking config's `delegation_cap` times its own. Of a
    /// MEDIA payment, the operator pool's `fee_share_bps` of the provider's part goes to
    /// media_staking's fee-share vault for the operator's delegators (when it has any). Each
    /// settlement extends the provider's activity run by the activity window. Refused while
    /// paused.
    settle_receipt(SettleReceiptArgs) [
        operator(),
        config_mut(),
        provider(),
        escrow(),
        vault(),
        Account::new("provider_token_account", "Receives the provider's share").writable(),
        Account::new("treasury_config", "media_treasury's config, which names its vaults"),
        Account::new("treasury_vault", "The treasury config's vault of the escrow's mint").writable(),
        staking_config().docs("media_staking's config (quota rate, and the vault it names)"),
        Account::new("staking_vault", "The staking config's vault: receives the stakers' share of MEDIA revenue, folded into the reward stream by the next staking instruction")
            .writable()
            .pda_of(STAKING_PROGRAM, &[IdlSeed::Const(media_staking_interface::seeds::VAULT)]),
        stake_account(),
        Account::instructions_sysvar(),
        Account::token_program(),
        operator_pool(),
        Account::new("fee_share_vault", "media_staking's fee-share vault (the operator pool's): receives the delegators' share of MEDIA fees")
            .writable()
            .pda_of(STAKING_PROGRAM, &[IdlSeed::Const(media_staking_interface::seeds::FEE_SHARE_VAULT)]),
        Account::clock_sysvar(),
    ]
}

media_core::idl_instructions! {
    initialize_config, set_parameters, set_activity_window, register_provider, update_provider, deactivate_provider,
    open_escrow, deposit, request_close, close_escrow, settle_receipt,
}
