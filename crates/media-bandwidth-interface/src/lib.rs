//! Interface of `media_bandwidth`: Edge provider registry, stake-bounded bandwidth quotas,
//! consumer escrows paid by signed receipts, fee split.
//!
//! Providers register against their `media_staking` stake account and operator pool (the
//! stake delegated to them, up to the staking config's cap, adds to their quota:
//! [`quota::backed_stake`]; of MEDIA fees, the pool's fee share goes to its delegators through
//! staking's fee-share vault: [`quota::fee_share`]; each settlement extends the provider's
//! activity run, which staking reads to credit emissions); consumers open an escrow
//! per (consumer, provider, mint) and pay by signing cumulative receipts off-chain
//! ([`receipt`]); the provider settles the newest receipt in a transaction whose preceding
//! instruction is the native Ed25519 verify instruction.
//!
//! Three rules keep the channel honest:
//! - a receipt pays at most once, ever: each lifetime of an escrow address (open to close)
//!   has its own nonce, taken from the provider's ever-growing count of escrows opened, and
//!   the signed message includes it ([`state::Escrow`]);
//! - the dispute window after a close request counts only time during which bandwidth is not
//!   paused, since a paused program refuses settlements ([`state::Escrow::dispute_window_over`]);
//! - the treasury's part of every payment goes to the vault the treasury config names, read
//!   from that config at settlement, never from a copy a setter could change.
//!
//! And usage cannot be faked for free: an escrow records its provider's price when it opens
//! and every settlement pays at least that price for its new bytes ([`price`]); both
//! cumulative figures strictly grow; an operator cannot open an escrow to itself. Lifetime
//! counters in [`state::BandwidthConfig`] keep the history closed escrows take with them.
#![no_std]

pub mod error;
pub mod event;
pub mod instruction;
pub mod price;
pub mod quota;
pub mod receipt;
pub mod state;

use media_core::pause;
pub use media_core::program_ids::media_bandwidth::{check_id, ID, ID_STR};

/// PDA seeds.
pub mod seeds {
    /// `[CONFIG]`: the singleton [`crate::state::BandwidthConfig`].
    pub const CONFIG: &[u8] = b"config";
    /// `[PROVIDER, operator]`: one [`crate::state::Provider`] per operator wallet.
    pub const PROVIDER: &[u8] = b"provider";
    // `[consumer, provider, mint]`: one `crate::state::Escrow` per (consumer, provider, mint)
    // at a time; a reopened escrow has the same address and a new nonce. Three address seeds
    // and no tag: the shared PDA helper takes at most three seeds, and 96 bytes of seeds cannot
    // collide with the other PDAs' shorter seeds.
    /// `[ESCROW_VAULT, escrow]`: the escrow's token account, owned by the escrow PDA.
    pub const ESCROW_VAULT: &[u8] = b"escrow_vault";
}

/// Basis points in one whole.
pub const BPS: u64 = 10_000;
/// Bytes in one GiB (prices are quoted per GiB).
pub const GIB: u64 = 1 << 30;

/// Defaults of the spec, used by genesis.
pub mod defaults {
    /// 10% of every payment is protocol revenue.
    pub const PROTOCOL_FEE_BPS: u16 = 1_000;
    /// Half of MEDIA revenue funds staking rewards.
    pub const STAKER_SHARE_BPS: u16 = 5_000;
    /// The rolling quota window: one day.
    pub const QUOTA_WINDOW: i64 = 24 * 60 * 60;
    /// Time between `request_close` and `close_escrow`: one day.
    pub const DISPUTE_WINDOW: i64 = 24 * 60 * 60;
    /// A provider counts as active (its bound stake earns emissions) for a week after each
    /// settlement.
    pub const ACTIVITY_WINDOW: i64 = 7 * 24 * 60 * 60;
}

/// Hard bounds every parameter is checked against on-chain.
pub mod bounds {
    pub const PROTOCOL_FEE_BPS: (u16, u16) = (0, 5_000);
    pub const STAKER_SHARE_BPS: (u16, u16) = (0, 10_000);
    pub const QUOTA_WINDOW: (i64, i64) = (60 * 60, 30 * 24 * 60 * 60);
    pub const DISPUTE_WINDOW: (i64, i64) = (60 * 60, 30 * 24 * 60 * 60);
    /// At least an hour, so a provider between two settlements is not idle; at most a season,
    /// so an operator that stopped serving stops earning.
    pub const ACTIVITY_WINDOW: (i64, i64) = (60 * 60, 90 * 24 * 60 * 60);
    /// Price per GiB in base units of the mint; 0 means the mint is not accepted.
    pub const PRICE_PER_GIB: (u64, u64) = (0, 1_000_000_000_000);
}

media_core::idl_program! {
    "media_bandwidth",
    "Edge provider registry, stake-bounded bandwidth quotas, consumer escrows paid by signed receipts, fee split",
    accounts: [state::BandwidthConfig, state::Provider, state::Escrow],
    types: &[
        media_core::idl::IdlTypeDef::plain::<media_core::pause::PauseState>(),
        media_core::idl::IdlTypeDef::plain::<quota::NetworkQuota>(),
        media_core::idl::IdlTypeDef::plain::<quota::QuotaSlot>(),
    ],
    errors: error::BandwidthError::ALL,
    constants: media_core::idl_constants! {
        "SEED_" seeds { CONFIG, PROVIDER, ESCROW_VAULT },
        "DEFAULT_" defaults { PROTOCOL_FEE_BPS, STAKER_SHARE_BPS, QUOTA_WINDOW, DISPUTE_WINDOW, ACTIVITY_WINDOW },
        "BOUNDS_" bounds { PROTOCOL_FEE_BPS, STAKER_SHARE_BPS, QUOTA_WINDOW, DISPUTE_WINDOW, ACTIVITY_WINDOW, PRICE_PER_GIB },
        "RECEIPT_" receipt { DOMAIN_TAG, MESSAGE_LEN },
        "" self { BPS, GIB },
        "" quota { QUOTA_SLOTS },
        "" pause { MAX_PAUSE_DURATION },
    },
}
