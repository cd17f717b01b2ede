//! Events of `media_treasury`, one per state change. Burn events carry the running totals,
//! so an indexer can check the supply invariant from events alone.
//!
//! An event logs only what the transaction does not already hold: a field that would repeat an
//! account or argument of the instruction that emits it is left to that instruction (see
//! `media_core::event`).
use media_core::event;
use media_core::pod::{PodBool, PodI64, PodU16, PodU64};

event! {
    /// The config was created, recording the `initialize_config` instruction's mints and vaults.
    pub struct ConfigInitialized {
    }
}

event! {
    /// The MEDIA fee vault was burned.
    pub struct FeesBurned {
        pub amount: PodU64,
        pub total_burned: PodU64,
        pub total_fees_burned: PodU64,
    }
}

event! {
    /// A buyback auction started.
    pub struct AuctionStarted {
        pub auction_id: PodU64,
        /// Quote base units offered.
        pub lot: PodU64,
        pub start_price: PodU64,
        pub floor_price: PodU64,
        pub auction_start: PodI64,
        pub auction_end: PodI64,
        /// The reference price both were derived from (after the last auction's fills moved it).
        pub reference_price: PodU64,
    }
}

event! {
    /// A taker paid MEDIA for part of the lot: `media_in = media_burned + media_to_stakers`. The
    /// taker is the transaction's signer.
    pub struct AuctionTaken {
        pub auction_id: PodU64,
        /// Quote base units paid out.
        pub quote_amount: PodU64,
        /// MEDIA base units the taker paid.
        pub media_in: PodU64,
        /// Part of `media_in` burned.
        pub media_burned: PodU64,
        /// Part of `media_in` paid into the staking vault (`staker_share_bps`, rounded down).
        pub media_to_stakers: PodU64,
        /// The fill's price, now the last clearing price.
        pub price: PodU64,
        /// Whether the fill is large enough (`min_fill_bps` of the lot) to count for price
        /// discovery.
        pub counted: PodBool,
        pub lot_remaining: PodU64,
        pub total_burned: PodU64,
        pub total_bought_back: PodU64,
        pub total_buyback_to_stakers: PodU64,
    }
}

event! {
    /// The authority (governance) granted the `spend` instruction's `amount` from its `vault` to
    /// its `destination`.
    pub struct Spent {
    }
}

event! {
    /// The auction parameters were set (`initialize_config`, `set_auction_params`): all of
    /// them and the reference price as they are now.
    pub struct ParametersUpdated {
        pub auction_interval: PodI64,
        pub auction_duration: PodI64,
        pub max_lot: PodU64,
        pub reference_price: PodU64,
        pub premium_bps: PodU16,
        pub floor_bps: PodU16,
        pub min_fill_bps: PodU16,
        pub min_sold_bps: PodU16,
        pub max_step_bps: PodU16,
    }
}

event! {
    /// `set_reference_price`: the next auction is priced from `reference_price`, which the last
    /// auction's fills no longer move. Only what changed: the other parameters are as the last
    /// `ParametersUpdated` logged them.
    pub struct ReferencePriceSet {
        pub reference_price: PodU64,
    }
}

media_core::idl_events! {
    ConfigInitialized, FeesBurned, AuctionStarted, AuctionTaken, Spent, ParametersUpdated,
    ReferencePriceSet,
}
