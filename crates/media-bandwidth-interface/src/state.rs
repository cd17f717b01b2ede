//! Account layouts of `media_bandwidth`.
use media_core::pod::{PodBool, PodI64, PodU16, PodU64};
use media_core::{account_state, Address};

account_state! {
    /// The program's singleton configuration (PDA `["config"]`).
    pub struct BandwidthConfig {
        /// Changes parameters; the governance PDA after hand-over.
        pub authority: Address,
        /// May pause instantly; only `authority` unpauses.
        pub pause_authority: Address,
        /// The MEDIA mint (the staking config's).
        pub media_mint: Address,
        /// The second accepted mint (a stablecoin).
        pub quote_mint: Address,
        /// The treasury's MEDIA token account that receives MEDIA revenue to be burned.
        pub treasury_media_vault: Address,
        /// The treasury's quote token account that receives quote revenue for buybacks.
        pub treasury_quote_vault: Address,
        /// Share of every payment that is protocol revenue, in basis points.
        pub protocol_fee_bps: PodU16,
        /// Share of MEDIA revenue that funds staking rewards, in basis points.
        pub staker_share_bps: PodU16,
        /// Length of the rolling quota window, in seconds.
        pub quota_window: PodI64,
        /// Seconds between a close request and the refund, in which providers still settle.
        pub dispute_window: PodI64,
        /// The pause switch: paused until `pause.paused_until` (see `media_core::pause`).
        pub pause: media_core::pause::PauseState,
        /// Canonical bump of the config PDA.
        pub bump: u8,
        /// Room for future fields.
        pub reserved: [u8; 64],
    }
}

account_state! {
    /// An Edge operator's registration (PDA `["provider", operator]`).
    pub struct Provider {
        /// The operator wallet: signs settlements and owns the stake account.
        pub operator: Address,
        /// Price per GiB in MEDIA base units; 0 means MEDIA is not accepted.
        pub media_price_per_gib: PodU64,
        /// Price per GiB in quote base units; 0 means the quote mint is not accepted.
        pub quote_price_per_gib: PodU64,
        /// Whether the provider accepts new escrows and settlements.
        pub active: PodBool,
        /// Bytes in the rolling quota window as of `quota_updated_at` (decays linearly).
        pub quota_used: PodU64,
        /// When `quota_used` was last brought up to date.
        pub quota_updated_at: PodI64,
        /// Every byte ever settled.
        pub total_bytes: PodU64,
        /// Canonical bump of this PDA.
        pub bump: u8,
        /// Room for future fields.
        pub reserved: [u8; 32],
    }
}

account_state! {
    /// A consumer's prepaid channel to one provider in one mint
    /// (PDA `[consumer, provider, mint]`).
    ///
    /// Receipts carry cumulative figures; the escrow keeps the last settled ones, so each
    /// receipt pays only the difference and pays at most once. Vault balance =
    /// `deposited - paid - refunded`.
    pub struct Escrow {
        /// The wallet that deposits, signs receipts and is refunded.
        pub consumer: Address,
        /// The provider account (PDA) the escrow pays.
        pub provider: Address,
        /// The mint of the deposits (MEDIA or the quote mint).
        pub mint: Address,
        /// The escrow's token account (PDA `["escrow_vault", escrow]`, owned by the escrow).
        pub vault: Address,
        /// Every deposit.
        pub deposited: PodU64,
        /// Every settlement payment (provider, stakers and treasury parts).
        pub paid: PodU64,
        /// Cumulative bytes of the last settled receipt (starts at the open baseline).
        pub settled_bytes: PodU64,
        /// Cumulative amount of the last settled receipt (starts at the open baseline).
        pub settled_amount: PodU64,
        /// When the refund opens (close request + dispute window); 0 while open.
        pub close_after: PodI64,
        /// Canonical bump of this PDA (the vault's token authority).
        pub bump: u8,
        /// Canonical bump of the vault PDA.
        pub vault_bump: u8,
        /// Room for future fields.
        pub reserved: [u8; 32],
    }
}
