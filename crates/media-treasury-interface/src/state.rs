//! Account layouts of `media_treasury`.
use media_core::pod::{PodI64, PodU16, PodU64};
use media_core::{account_state, Address};

account_state! {
    /// The treasury's singleton configuration, totals and current auction (PDA `["config"]`).
    ///
    /// One auction runs at a time, so its state lives here rather than in its own account.
    /// The config PDA is the token owner of both vaults and signs for them.
    pub struct TreasuryConfig {
        /// Changes parameters and spends; the governance PDA after hand-over.
        pub authority: Address,
        /// May pause instantly; only `authority` unpauses.
        pub pause_authority: Address,
        /// Least seconds between two auction starts.
        pub auction_interval: PodI64,
        /// Seconds over which an auction's price decays from start to floor.
        pub auction_duration: PodI64,
        /// Most quote base units one auction sells.
        pub max_lot: PodU64,
        /// The reference price (scaled MEDIA per quote unit) the next auction is priced from:
        /// it starts at `reference * (1 + premium_bps)` and decays to `reference * floor_bps`.
        /// Set by genesis (`initial_price`), moved by each auction's counted fills when the
        /// next one starts, and reset by the authority between auctions.
        pub reference_price: PodU64,
        /// Premium over the reference price at which an auction starts.
        pub premium_bps: PodU16,
        /// Floor price as a fraction of the reference price.
        pub floor_bps: PodU16,
        /// Least fill, as a fraction of the lot, that counts for price discovery.
        pub min_fill_bps: PodU16,
        /// Counted volume, as a fraction of the lot, from which an auction's volume-weighted
        /// price becomes the reference outright.
        pub min_sold_bps: PodU16,
        /// Most an auction that sold less than `min_sold_bps` moves the reference, as a fraction
        /// of the reference.
        pub max_step_bps: PodU16,
        /// The pause switch: paused until `pause.paused_until` (see `media_core::pause`).
        pub pause: media_core::pause::PauseState,
        /// The MEDIA mint (burned).
        pub media_mint: Address,
        /// The quote mint (sold by auctions).
        pub quote_mint: Address,
        /// MEDIA fee vault: a MEDIA token account owned by this config.
        pub media_vault: Address,
        /// Quote revenue vault: a quote token account owned by this config.
        pub quote_vault: Address,
        /// Every MEDIA base unit the treasury burned (fees and buybacks). Invariant:
        /// mint supply + total_burned = supply before the treasury burned anything.
        pub total_burned: PodU64,
        /// Part of `total_burned` burned from the fee vault.
        pub total_fees_burned: PodU64,
        /// MEDIA base units auction takers paid in (lifetime):
        /// `total_buyback_burned + total_buyback_to_stakers`.
        pub total_bought_back: PodU64,
        /// Part of `total_bought_back` burned (and of `total_burned`).
        pub total_buyback_burned: PodU64,
        /// Part of `total_bought_back` paid into the staking vault as stakers' rewards.
        pub total_buyback_to_stakers: PodU64,
        /// Quote base units paid out by auctions.
        pub total_quote_sold: PodU64,
        /// Price of the last fill of any auction, of any size (0 before the first fill).
        pub last_clearing_price: PodU64,
        /// Number of auctions started; the current (or last) auction's id.
        pub auction_id: PodU64,
        /// The last auction whose fills `reference_price` already accounts for (the one
        /// before the current, or the current one once the authority reset the reference).
        pub reference_auction_id: PodU64,
        /// When the current auction started.
        pub auction_start: PodI64,
        /// When it ends (its price reaches the floor).
        pub auction_end: PodI64,
        /// Its price at `auction_start`.
        pub start_price: PodU64,
        /// Its price at `auction_end`.
        pub floor_price: PodU64,
        /// Quote base units it offered.
        pub lot: PodU64,
        /// Quote base units it still offers.
        pub lot_remaining: PodU64,
        /// MEDIA base units its takers paid in.
        pub auction_media_in: PodU64,
        /// Quote base units of its fills of at least `min_fill_bps` of the lot.
        pub auction_counted_quote: PodU64,
        /// MEDIA base units paid for those fills.
        pub auction_counted_media: PodU64,
        /// `pause.paused_seconds` when it started: its clock skips the time paused since.
        pub auction_paused_seconds: PodI64,
        /// Canonical bump of the config PDA.
        pub bump: u8,
        /// Room for future fields.
        pub reserved: [u8; 56],
    }
}

media_core::admin_config!(TreasuryConfig);

/// Loads the treasury config for another program (to learn the vault addresses). The owner,
/// length and discriminator checks prove it is the treasury's one config PDA.
pub fn load_config(
    account: &media_core::AccountView,
) -> Result<pinocchio::account::Ref<'_, TreasuryConfig>, media_core::ProgramError> {
    media_core::state::load::<TreasuryConfig>(account, &crate::ID)
}

impl TreasuryConfig {
    /// The vault that receives revenue in `mint`: the fee vault for MEDIA, the quote vault for
    /// the quote mint, none for any other mint.
    #[inline(always)]
    pub fn vault_for(&self, mint: &Address) -> Option<&Address> {
        if media_core::checks::same(mint, &self.media_mint) {
            Some(&self.media_vault)
        } else if media_core::checks::same(mint, &self.quote_mint) {
            Some(&self.quote_vault)
        } else {
            None
        }
    }
}
