//! Events of `media_bandwidth`, one per state change.
//!
//! An event logs only what the transaction does not already hold: a field that would repeat an
//! account or argument of the instruction that emits it is left to that instruction (see
//! `media_core::event`).
use media_core::pod::{PodBool, PodI64, PodU16, PodU64};
use media_core::{event, Address};

event! {
    /// The fee split and windows were set (at initialization, by `set_parameters` or by
    /// `set_activity_window`): every parameter as it is now.
    pub struct ParametersUpdated {
        pub protocol_fee_bps: PodU16,
        pub staker_share_bps: PodU16,
        pub quota_window: PodI64,
        pub dispute_window: PodI64,
        pub activity_window: PodI64,
    }
}

event! {
    /// An operator registered as a provider.
    pub struct ProviderRegistered {
        /// The operator's active stake at registration.
        pub active_stake: PodU64,
    }
}

event! {
    /// A provider changed its prices or was (de)activated.
    pub struct ProviderUpdated {
        pub media_price_per_gib: PodU64,
        pub quote_price_per_gib: PodU64,
        pub active: PodBool,
    }
}

event! {
    /// A consumer opened an escrow.
    pub struct EscrowOpened {
        /// This lifetime's nonce, which every receipt for it signs.
        pub nonce: PodU64,
        /// The provider's price per GiB for `mint`, recorded for this lifetime.
        pub price_per_gib: PodU64,
    }
}

event! {
    /// Tokens were deposited into an escrow.
    pub struct EscrowFunded {
        /// The vault's balance after the deposit.
        pub balance: PodU64,
    }
}

event! {
    /// The consumer asked to close the escrow: refundable once `dispute_window` seconds have
    /// passed since `requested_at` while bandwidth was not paused (at `requested_at +
    /// dispute_window` if no pause intervenes).
    pub struct EscrowCloseRequested {
        pub requested_at: PodI64,
        pub dispute_window: PodI64,
    }
}

event! {
    /// The escrow was refunded and closed.
    pub struct EscrowClosed {
        pub refunded: PodU64,
    }
}

event! {
    /// A receipt was settled: the new bytes and amount and how the amount was split. The
    /// receipt's cumulative figures are the instruction's arguments, in the transaction.
    pub struct ReceiptSettled {
        pub mint: Address,
        /// Bytes paid by this settlement (difference of cumulative bytes).
        pub bytes: PodU64,
        /// Amount paid by this settlement (difference of cumulative amounts).
        pub amount: PodU64,
        /// What the provider received, after the delegators' fee share.
        pub provider_amount: PodU64,
        pub staker_amount: PodU64,
        pub treasury_amount: PodU64,
        /// The delegators' share of the provider's part, paid into media_staking's fee-share
        /// vault (0 for quote payments and for an operator nobody delegates to).
        pub fee_share_amount: PodU64,
        /// The provider's bytes in the rolling window after this settlement.
        pub quota_used: PodU64,
    }
}

media_core::idl_events! {
    ParametersUpdated, ProviderRegistered, ProviderUpdated, EscrowOpened, EscrowFunded,
    EscrowCloseRequested, EscrowClosed, ReceiptSettled,
}
