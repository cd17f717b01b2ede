//! Interface of `media_treasury`: protocol revenue vaults, burn of MEDIA fees and
//! buyback-and-burn Dutch auctions.
//!
//! The treasury holds two token accounts owned by its config PDA (`["config"]`): the MEDIA
//! fee vault, which `burn_fees` burns whole, and the quote revenue vault, which buyback
//! auctions sell for MEDIA that is burned on the spot. They are the config's associated token
//! accounts (`[config, token program, mint]` under the Associated Token program), created by
//! the deployer before `initialize_config`, which accepts those two addresses only, and only
//! with no delegate and no close authority, then records them in [`state::TreasuryConfig`].
//! After that only the config could add either, and this program never signs for one, so
//! nobody can empty a vault, close it and re-create it at the same address as their own.
//! Other programs (the bandwidth program's fee split) read the vault addresses from the
//! config itself ([`state::load_config`]), never from a copy of their own.
//!
//! # Price unit
//! Auction prices are MEDIA base units per quote base unit, scaled by [`PRICE_SCALE`]
//! (10^9): a price of `2 * PRICE_SCALE` means a taker burns 2 MEDIA base units for every
//! quote base unit paid out. The MEDIA a taker burns is `ceil(quote * price / PRICE_SCALE)`,
//! so rounding never favours the taker. See [`auction`] for the price curve.
#![no_std]

pub mod auction;
pub mod error;
pub mod event;
pub mod instruction;
pub mod state;

pub use media_core::program_ids::media_treasury::{check_id, ID, ID_STR};

/// PDA seeds.
pub mod seeds {
    /// `[CONFIG]`: the singleton [`crate::state::TreasuryConfig`]; token owner of both vaults.
    pub const CONFIG: &[u8] = b"config";
}

/// One MEDIA in base units (6 decimals).
pub const MEDIA: u64 = 1_000_000;
/// Fixed-point scale of auction prices (MEDIA base units per quote base unit).
pub const PRICE_SCALE: u64 = 1_000_000_000;
/// Basis points in one whole.
pub const BPS: u64 = 10_000;

/// Defaults used by genesis.
pub mod defaults {
    use super::PRICE_SCALE;
    /// One auction a day at most.
    pub const AUCTION_INTERVAL: i64 = 24 * 60 * 60;
    /// Each auction's price decays over six hours.
    pub const AUCTION_DURATION: i64 = 6 * 60 * 60;
    /// At most 10,000 quote units (6 decimals) per auction.
    pub const MAX_LOT: u64 = 10_000 * 1_000_000;
    /// First auction: 100 MEDIA per quote unit (both with 6 decimals).
    pub const INITIAL_PRICE: u64 = 100 * PRICE_SCALE;
    /// Each auction starts 10% above the last clearing price...
    pub const PREMIUM_BPS: u16 = 1_000;
    /// ...and decays to half its start price.
    pub const FLOOR_BPS: u16 = 5_000;
}

/// Hard bounds every parameter is checked against on-chain.
pub mod bounds {
    use super::PRICE_SCALE;
    pub const AUCTION_INTERVAL: (i64, i64) = (60, 30 * 24 * 60 * 60);
    /// Also never longer than `auction_interval`, so auctions never overlap.
    pub const AUCTION_DURATION: (i64, i64) = (60, 30 * 24 * 60 * 60);
    pub const MAX_LOT: (u64, u64) = (1, 1_000_000_000 * 1_000_000);
    /// Prices (the initial price, and every computed start and floor price).
    pub const PRICE: (u64, u64) = (1, 1_000_000_000 * PRICE_SCALE);
    pub const PREMIUM_BPS: (u16, u16) = (0, 10_000);
    pub const FLOOR_BPS: (u16, u16) = (100, 9_900);
}

/// The program's interface, from which `tools/idl-gen` writes its Anchor IDL.
pub const IDL: media_core::idl::IdlProgramDef = media_core::idl::IdlProgramDef {
    name: "media_treasury",
    version: env!("CARGO_PKG_VERSION"),
    docs: "Protocol revenue vaults, burn of MEDIA fees and buyback-and-burn Dutch auctions",
    address: ID_STR,
    instructions: instruction::ALL,
    accounts: &[media_core::idl::IdlTypeDef::account::<state::TreasuryConfig>()],
    events: event::ALL,
    types: &[media_core::idl::IdlTypeDef::plain::<
        media_core::pause::PauseState,
    >()],
    errors: error::TreasuryError::ALL,
};
