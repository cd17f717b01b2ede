//! Interface of `media_treasury`: protocol revenue vaults, burn of MEDIA fees and
//! buyback-and-burn Dutch auctions.
//!
//! The treasury holds two token accounts owned by its config PDA (`["config"]`): the MEDIA
//! fee vault, which `burn_fees` burns whole, and the quote revenue vault, which buyback
//! auctions sell for MEDIA: the bandwidth config's `staker_share_bps` of it goes straight into
//! the staking vault (stakers' rewards), the rest is burned on the spot. They are the config's associated token
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
//! (10^9): a price of `2 * PRICE_SCALE` means a taker pays 2 MEDIA base units for every
//! quote base unit paid out. The MEDIA a taker pays is `ceil(quote * price / PRICE_SCALE)`,
//! so rounding never favours the taker. See [`auction`] for the price curve.
#![no_std]

pub mod auction;
pub mod error;
pub mod event;
pub mod instruction;
pub mod state;

use media_core::pause;
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

/// Defaults used by genesis. There is no default price: genesis must be told the market's
/// price (`initialize_config`'s `initial_price`), which only the operator can know.
pub mod defaults {
    /// One auction a day at most.
    pub const AUCTION_INTERVAL: i64 = 24 * 60 * 60;
    /// Each auction's price decays over six hours.
    pub const AUCTION_DURATION: i64 = 6 * 60 * 60;
    /// At most 10,000 quote units (6 decimals) per auction.
    pub const MAX_LOT: u64 = 10_000 * 1_000_000;
    /// Each auction starts at twice the reference price...
    pub const PREMIUM_BPS: u16 = 10_000;
    /// ...and decays to half the reference price.
    pub const FLOOR_BPS: u16 = 5_000;
    /// Fills of less than 1% of the lot execute but do not count for price discovery.
    pub const MIN_FILL_BPS: u16 = 100;
    /// An auction whose counted fills bought at least half its lot sets the reference to their
    /// volume-weighted price...
    pub const MIN_SOLD_BPS: u16 = 5_000;
    /// ...otherwise the reference moves towards that price (down, if nothing counted) by at
    /// most 20%.
    pub const MAX_STEP_BPS: u16 = 2_000;
}

/// Hard bounds every parameter is checked against on-chain.
///
/// The price bounds are chosen together so that the window of every auction
/// (`floor_bps` to `10_000 + premium_bps` of the reference) holds the market price whenever
/// the reference is off by at most one step, for any parameters within bounds:
/// `(10_000 + PREMIUM_BPS.0) * (10_000 - MAX_STEP_BPS.1) >= 10_000^2` and
/// `FLOOR_BPS.1 * (10_000 + MAX_STEP_BPS.1) <= 10_000^2` (asserted below). A reference pushed
/// one step the wrong way therefore still leaves the next auction able to sell, and its fills
/// correct the reference.
pub mod bounds {
    use super::PRICE_SCALE;
    pub const AUCTION_INTERVAL: (i64, i64) = (60, 30 * 24 * 60 * 60);
    /// Also never longer than `auction_interval`, so auctions never overlap.
    pub const AUCTION_DURATION: (i64, i64) = (60, 30 * 24 * 60 * 60);
    pub const MAX_LOT: (u64, u64) = (1, 1_000_000_000 * 1_000_000);
    /// Prices (the reference price, and every computed start and floor price).
    pub const PRICE: (u64, u64) = (1, 1_000_000_000 * PRICE_SCALE);
    /// The start is at least 25% above the reference...
    pub const PREMIUM_BPS: (u16, u16) = (2_500, 30_000);
    /// ...and the floor at most 80% of it.
    pub const FLOOR_BPS: (u16, u16) = (1_000, 8_000);
    /// The smallest fill that counts is at most 10% of the lot, so a lot always has room for
    /// ten counted fills.
    pub const MIN_FILL_BPS: (u16, u16) = (1, 1_000);
    pub const MIN_SOLD_BPS: (u16, u16) = (1_000, 10_000);
    /// At most 20% per auction, at least 1%.
    pub const MAX_STEP_BPS: (u16, u16) = (100, 2_000);

    const _: () = {
        let whole = super::BPS as u128;
        let up = (whole + PREMIUM_BPS.0 as u128) * (whole - MAX_STEP_BPS.1 as u128);
        let down = FLOOR_BPS.1 as u128 * (whole + MAX_STEP_BPS.1 as u128);
        assert!(up >= whole * whole && down <= whole * whole);
    };
}

media_core::idl_program! {
    "media_treasury",
    "Protocol revenue vaults, burn of MEDIA fees and buyback-and-burn Dutch auctions",
    accounts: [state::TreasuryConfig],
    types: &[media_core::idl::IdlTypeDef::plain::<media_core::pause::PauseState>()],
    errors: error::TreasuryError::ALL,
    constants: media_core::idl_constants! {
        "SEED_" seeds { CONFIG },
        "DEFAULT_" defaults {
            AUCTION_INTERVAL, AUCTION_DURATION, MAX_LOT, PREMIUM_BPS, FLOOR_BPS, MIN_FILL_BPS,
            MIN_SOLD_BPS, MAX_STEP_BPS,
        },
        "BOUNDS_" bounds {
            AUCTION_INTERVAL, AUCTION_DURATION, MAX_LOT, PRICE, PREMIUM_BPS, FLOOR_BPS,
            MIN_FILL_BPS, MIN_SOLD_BPS, MAX_STEP_BPS,
        },
        "" self { MEDIA, PRICE_SCALE, BPS },
        "" pause { MAX_PAUSE_DURATION },
    },
}
