//! Account layouts of `media_bandwidth`.
use crate::quota::{NetworkQuota, Split};
use media_core::pause::PauseState;
use media_core::pod::{PodBool, PodI64, PodU16, PodU64};
use media_core::{account_state, math, Address, ProgramError};

account_state! {
    /// The program's singleton configuration (PDA `["config"]`).
    ///
    /// It keeps no copy of the treasury's vault addresses: `settle_receipt` reads them from the
    /// treasury config itself, so no setter can point revenue elsewhere.
    pub struct BandwidthConfig {
        /// Changes parameters; the governance PDA after hand-over.
        pub authority: Address,
        /// May pause instantly; only `authority` unpauses.
        pub pause_authority: Address,
        /// The MEDIA mint (the staking config's).
        pub media_mint: Address,
        /// The second accepted mint (a stablecoin).
        pub quote_mint: Address,
        /// Share of every payment that is protocol revenue, in basis points.
        pub protocol_fee_bps: PodU16,
        /// Share of MEDIA revenue that funds staking rewards, in basis points.
        pub staker_share_bps: PodU16,
        /// Length of the rolling quota window, in seconds.
        pub quota_window: PodI64,
        /// Seconds between a close request and the refund, in which providers still settle;
        /// only seconds during which the program is not paused count.
        pub dispute_window: PodI64,
        /// The pause switch: paused until `pause.paused_until` (see `media_core::pause`).
        pub pause: media_core::pause::PauseState,
        /// Lifetime counters, never reset: what settlements paid, in base units of each mint
        /// (provider, stakers and treasury parts together).
        pub fees_paid_media: PodU64,
        pub fees_paid_quote: PodU64,
        /// The protocol's revenue part of those payments (`protocol_fee_bps`): stakers' share
        /// and treasury part together.
        pub protocol_revenue_media: PodU64,
        pub protocol_revenue_quote: PodU64,
        /// The stakers' share of MEDIA revenue paid into the staking vault.
        pub staker_rewards_paid: PodU64,
        /// Every byte ever settled, over every provider.
        pub bytes_served: PodU64,
        /// What `close_escrow` refunded to consumers, per mint.
        pub refunded_media: PodU64,
        pub refunded_quote: PodU64,
        /// Providers that are active (take new escrows and settlements): Media Scan's count.
        pub active_providers: PodU64,
        /// Escrow accounts that exist (opened, not closed yet; a close may be requested).
        pub open_escrows: PodU64,
        /// Every provider's rolling quota use, summed so it reads in O(1) (see
        /// [`NetworkQuota`]): `settle_receipt` moves its provider's figure.
        pub network_quota: NetworkQuota,
        /// Canonical bump of the config PDA.
        pub bump: u8,
        /// Seconds after its last settlement during which a provider counts as active: its
        /// operator's delegated stake earns emissions only while active.
        pub activity_window: PodI64,
        /// Room for future fields.
        pub reserved: [u8; 40],
    }
}

media_core::admin_config!(BandwidthConfig);

impl BandwidthConfig {
    /// Adds a settlement of `bytes` paid as `parts` in MEDIA (`is_media`) or the quote mint
    /// to the lifetime counters.
    #[inline(always)]
    pub fn count_settlement(
        &mut self,
        is_media: bool,
        bytes: u64,
        parts: &Split,
    ) -> Result<(), ProgramError> {
        let amount = math::add(math::add(parts.provider, parts.stakers)?, parts.treasury)?;
        let revenue = math::add(parts.stakers, parts.treasury)?;
        if is_media {
            self.fees_paid_media.try_add(amount)?;
            self.protocol_revenue_media.try_add(revenue)?;
        } else {
            self.fees_paid_quote.try_add(amount)?;
            self.protocol_revenue_quote.try_add(revenue)?;
        }
        self.staker_rewards_paid.try_add(parts.stakers)?;
        self.bytes_served.try_add(bytes)
    }

    /// Adds a refund of `amount` in MEDIA (`is_media`) or the quote mint.
    #[inline(always)]
    pub fn count_refund(&mut self, is_media: bool, amount: u64) -> Result<(), ProgramError> {
        if is_media {
            self.refunded_media.try_add(amount)
        } else {
            self.refunded_quote.try_add(amount)
        }
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
        /// Escrows ever opened with this provider: the nonce of the next one. It only grows
        /// (provider accounts are never closed), so no two escrow lifetimes share a nonce.
        pub escrows_opened: PodU64,
        /// Canonical bump of this PDA.
        pub bump: u8,
        /// MEDIA paid into staking's fee-share vault for this operator's delegators, cumulative.
        pub fee_share_paid: PodU64,
        /// Start of the current activity run (a settlement after `active_until` starts a new
        /// one).
        pub active_since: PodI64,
        /// End of the current activity run as recorded: the last settlement plus the activity
        /// window. Read it through [`Provider::active_until_at`], which adds the time paused since.
        pub active_until: PodI64,
        /// The config's paused-seconds counter (`PauseState::paused_seconds`) at the last
        /// settlement.
        pub settled_paused_seconds: PodI64,
    }
}

account_state! {
    /// A consumer's prepaid channel to one provider in one mint
    /// (PDA `[consumer, provider, mint]`).
    ///
    /// Receipts carry cumulative figures; the escrow keeps the last settled ones, so each
    /// receipt pays only the difference. The address is the same after a close and a reopen,
    /// so each lifetime of the escrow has its own `nonce`, which every receipt signs: a receipt
    /// of an earlier lifetime never pays again, and a receipt pays at most once, ever.
    /// Vault balance = `deposited - paid - refunded`.
    pub struct Escrow {
        /// The wallet that deposits, signs receipts and is refunded.
        pub consumer: Address,
        /// The provider account (PDA) the escrow pays.
        pub provider: Address,
        /// The mint of the deposits (MEDIA or the quote mint).
        pub mint: Address,
        /// The escrow's token account (PDA `["escrow_vault", escrow]`, owned by the escrow).
        pub vault: Address,
        /// This lifetime of the escrow: the provider's `escrows_opened` when it opened.
        pub nonce: PodU64,
        /// The provider's price per GiB for the escrow's mint when the escrow opened: every
        /// settlement pays at least this for its new bytes. Later price changes apply to new
        /// escrows only.
        pub price_per_gib: PodU64,
        /// Every deposit.
        pub deposited: PodU64,
        /// Every settlement payment (provider, stakers and treasury parts).
        pub paid: PodU64,
        /// Cumulative bytes of the last settled receipt (0 at open).
        pub settled_bytes: PodU64,
        /// Cumulative amount of the last settled receipt (0 at open).
        pub settled_amount: PodU64,
        /// When the consumer requested the close; 0 while open.
        pub close_requested_at: PodI64,
        /// The config's paused-seconds counter (`PauseState::paused_seconds`) at the request.
        pub close_paused_seconds: PodI64,
        /// The dispute window in force at the request: the refund opens once that many seconds
        /// have passed since the request while the program was not paused.
        pub close_window: PodI64,
        /// Canonical bump of this PDA (the vault's token authority).
        pub bump: u8,
        /// Canonical bump of the vault PDA.
        pub vault_bump: u8,
        /// Room for future fields.
        pub reserved: [u8; 24],
    }
}

impl Provider {
    /// End of the current activity run as of `now`, given the config's `pause`. Nobody can
    /// settle while the program is paused, so the window must not run out under a pause: a
    /// pause that began before the run ended pushes the end back by the seconds it lasted
    /// (up to `now`); one that began after the run ended changes nothing.
    ///
    /// The pause state details only the most recent pause. Earlier pauses since the last
    /// settlement are known only by their total, and are added whole. That can favour the
    /// operator, by at most their length, and only if pauses the run did not reach came
    /// before the most recent one. It never counts against the operator.
    #[inline(always)]
    pub fn active_until_at(&self, pause: &PauseState, now: i64) -> i64 {
        let recorded = self.active_until.get();
        let paused_before = pause.paused_before.get();
        let settled_paused = self.settled_paused_seconds.get();
        // The counter at the settlement already covers the most recent pause: it ended before
        // the settlement (settlements are refused while paused), so no pause came since.
        if settled_paused > paused_before {
            return recorded;
        }
        // Both counters are sums of clock differences: far from overflowing.
        let until = recorded.saturating_add(paused_before.saturating_sub(settled_paused));
        let pause_start = pause.paused_since.get();
        if pause_start > until {
            return until;
        }
        let pause_end = now.min(pause.paused_until.get());
        until.saturating_add(pause_end.saturating_sub(pause_start).max(0))
    }

    /// Records a settlement at `now` as activity: one after the current run ended (or the
    /// first ever) starts a new run; every one extends the run to `now + activity_window`
    /// (plus the time the program will be paused before that, see
    /// [`Provider::active_until_at`]). Staking credits the operator's bound stake with
    /// emissions for the runs' time only.
    #[inline(always)]
    pub fn record_activity(&mut self, pause: &PauseState, now: i64, activity_window: i64) {
        if now > self.active_until_at(pause, now) {
            self.active_since.set(now);
        }
        // Clock times plus at most 90 days: far from overflowing.
        self.active_until.set(now.saturating_add(activity_window));
        self.settled_paused_seconds.set(pause.paused_seconds(now));
    }
}

media_core::held!(
    Provider.operator,
    crate::error::BandwidthError::ProviderMismatch
);
media_core::held!(
    Escrow.consumer,
    media_core::error::CommonError::Unauthorized
);

impl Escrow {
    /// Whether the consumer has requested the close.
    #[inline(always)]
    pub fn close_requested(&self) -> bool {
        self.close_requested_at.get() != 0
    }

    /// Whether the dispute window of a requested close is over at `now`: `close_window`
    /// seconds have passed since the request during which the program was not paused (so a
    /// pause, which stops settlement, also stops the window).
    ///
    /// A program never paused, with no paused seconds recorded at the request, has nothing to
    /// take off: `unpaused_seconds_since` then reduces to `now - from` saturated, at least 0,
    /// and reaching `window` means a window of no length, or `now` at least `from` with the
    /// difference (exact as a `u64`: it lies in `0..2^64`) at least `window`. Three compares
    /// instead of the saturating subtractions and their overflow tests (same result for
    /// every input: a property test checks it against the general form).
    #[inline(always)]
    pub fn dispute_window_over(&self, pause: &media_core::pause::PauseState, now: i64) -> bool {
        let from = self.close_requested_at.get();
        let paused_at_from = self.close_paused_seconds.get();
        let window = self.close_window.get();
        if pause.paused_until.get() == 0 && paused_at_from == 0 {
            return window <= 0
                || (now >= from && (now as u64).wrapping_sub(from as u64) >= window as u64);
        }
        unpaused_seconds_since(pause, from, paused_at_from, now) >= window
    }
}

/// [`PauseState::unpaused_seconds_since`](media_core::pause::PauseState::unpaused_seconds_since)
/// once out of line: only a program that has been paused takes it, and `close_escrow` and
/// `settle_receipt` share the copy.
#[cold]
#[inline(never)]
fn unpaused_seconds_since(
    pause: &media_core::pause::PauseState,
    from: i64,
    paused_at_from: i64,
    now: i64,
) -> i64 {
    pause.unpaused_seconds_since(from, paused_at_from, now)
}

/// Loads a provider for another program (staking reads its activity and fee share): owned by
/// `media_bandwidth`, of the right length and discriminator, so it is the canonical PDA of
/// `["provider", provider.operator]`. The caller checks `operator` against its own.
pub fn load_provider(
    account: &media_core::AccountView,
) -> Result<pinocchio::account::Ref<'_, Provider>, media_core::ProgramError> {
    media_core::state::load::<Provider>(account, &crate::ID)
}

/// Loads the bandwidth config for another program (the treasury reads `staker_share_bps`).
/// The owner, length and discriminator checks prove it is the program's one config PDA.
pub fn load_config(
    account: &media_core::AccountView,
) -> Result<pinocchio::account::Ref<'_, BandwidthConfig>, media_core::ProgramError> {
    media_core::state::load::<BandwidthConfig>(account, &crate::ID)
}

#[cfg(test)]
mod tests {
    use super::*;
    use media_core::pause::PauseChange;

    const AUTHORITY: Address = Address::new_from_array([1; 32]);
    const DAY: i64 = 86_400;

    fn set_paused(pause: &mut PauseState, paused: bool, now: i64) {
        pause
            .set(&PauseChange {
                authority: &AUTHORITY,
                pause_authority: &AUTHORITY,
                signer: &AUTHORITY,
                pause: paused,
                now,
            })
            .unwrap();
    }

    fn escrow_closing_at(requested_at: i64, pause: &PauseState) -> Escrow {
        let mut bytes = [0u8; core::mem::size_of::<Escrow>()];
        let escrow = media_core::pod::from_bytes_mut::<Escrow>(&mut bytes).unwrap();
        escrow.close_requested_at.set(requested_at);
        escrow
            .close_paused_seconds
            .set(pause.paused_seconds(requested_at));
        escrow.close_window.set(DAY);
        *escrow
    }

    /// Staking declares this program's provider seed itself (it cannot depend on this crate),
    /// to read providers: it must stay this program's.
    #[test]
    fn staking_knows_the_provider_seed() {
        assert_eq!(
            media_staking_interface::PROVIDER_SEED,
            crate::seeds::PROVIDER
        );
    }

    /// Staking derives this program's config with its own config seed: they must be equal.
    #[test]
    fn staking_knows_the_config_seed() {
        assert_eq!(media_staking_interface::seeds::CONFIG, crate::seeds::CONFIG);
    }

    #[test]
    fn settlements_extend_the_activity_run_and_a_gap_starts_a_new_one() {
        let mut bytes = [0u8; core::mem::size_of::<Provider>()];
        let provider = media_core::pod::from_bytes_mut::<Provider>(&mut bytes).unwrap();
        let run = |p: &Provider| (p.active_since.get(), p.active_until.get());
        let never_paused = never_paused();
        provider.record_activity(&never_paused, 1_000, DAY);
        assert_eq!(run(provider), (1_000, 1_000 + DAY), "the first settlement");
        provider.record_activity(&never_paused, 5_000, DAY);
        assert_eq!(run(provider), (1_000, 5_000 + DAY), "within the run");
        provider.record_activity(&never_paused, 5_000 + DAY, DAY);
        assert_eq!(
            run(provider),
            (1_000, 5_000 + 2 * DAY),
            "at its last second"
        );
        provider.record_activity(&never_paused, 5_000 + 4 * DAY + 1, DAY);
        assert_eq!(
            run(provider),
            (5_000 + 4 * DAY + 1, 5_000 + 5 * DAY + 1),
            "after a gap"
        );
    }

    fn never_paused() -> PauseState {
        PauseState {
            paused_until: 0.into(),
            paused_since: 0.into(),
            paused_before: 0.into(),
        }
    }

    fn provider_settled_at(settled_at: i64, pause: &PauseState) -> Provider {
        let mut bytes = [0u8; core::mem::size_of::<Provider>()];
        let provider = media_core::pod::from_bytes_mut::<Provider>(&mut bytes).unwrap();
        provider.record_activity(pause, settled_at, DAY);
        *provider
    }

    #[test]
    fn a_pause_the_run_reaches_pushes_its_end_back_by_the_time_paused() {
        let mut pause = never_paused();
        let provider = provider_settled_at(1_000, &pause);
        set_paused(&mut pause, true, 1_000 + DAY / 2);
        let mid_pause = 1_000 + 3 * DAY;
        assert_eq!(
            provider.active_until_at(&pause, mid_pause),
            mid_pause + DAY / 2,
            "while paused the run lasts through now, with what was left of it still to come"
        );
        set_paused(&mut pause, false, 1_000 + 5 * DAY);
        let after = 1_000 + 10 * DAY;
        assert_eq!(
            provider.active_until_at(&pause, after),
            1_000 + DAY + (5 * DAY - DAY / 2),
            "after the pause: the recorded end plus the whole pause"
        );
    }

    #[test]
    fn a_pause_after_the_run_ended_or_before_the_settlement_changes_nothing() {
        let mut pause = never_paused();
        let provider = provider_settled_at(1_000, &pause);
        set_paused(&mut pause, true, 1_000 + 2 * DAY);
        set_paused(&mut pause, false, 1_000 + 3 * DAY);
        assert_eq!(
            provider.active_until_at(&pause, 1_000 + 9 * DAY),
            1_000 + DAY
        );

        let later = provider_settled_at(1_000 + 4 * DAY, &pause);
        assert_eq!(
            later.active_until_at(&pause, 1_000 + 9 * DAY),
            1_000 + 5 * DAY,
            "the pause ended before this settlement"
        );
    }

    #[test]
    fn a_settlement_after_a_pause_continues_the_run_the_pause_kept_alive() {
        let mut pause = never_paused();
        let mut provider = provider_settled_at(1_000, &pause);
        set_paused(&mut pause, true, 1_000 + DAY / 2);
        set_paused(&mut pause, false, 1_000 + 3 * DAY);
        let resumed = 1_000 + 3 * DAY + DAY / 4;
        provider.record_activity(&pause, resumed, DAY);
        assert_eq!(
            (provider.active_since.get(), provider.active_until.get()),
            (1_000, resumed + DAY),
            "the same run goes on"
        );
        assert_eq!(
            provider.active_until_at(&pause, resumed + 2 * DAY),
            resumed + DAY
        );
    }

    #[test]
    fn counters_add_up_per_mint() {
        let mut bytes = [0u8; core::mem::size_of::<BandwidthConfig>()];
        let config = media_core::pod::from_bytes_mut::<BandwidthConfig>(&mut bytes).unwrap();
        let media = crate::quota::split(1_000_003, 1_000, 5_000, true).unwrap();
        let quote = crate::quota::split(777, 1_000, 5_000, false).unwrap();
        config.count_settlement(true, 10, &media).unwrap();
        config.count_settlement(true, 5, &media).unwrap();
        config.count_settlement(false, 1, &quote).unwrap();
        config.count_refund(true, 9).unwrap();
        config.count_refund(false, 4).unwrap();
        assert_eq!(config.fees_paid_media.get(), 2_000_006);
        assert_eq!(config.protocol_revenue_media.get(), 200_000);
        assert_eq!(config.staker_rewards_paid.get(), 100_000);
        assert_eq!(config.fees_paid_quote.get(), 777);
        assert_eq!(config.protocol_revenue_quote.get(), 77);
        assert_eq!(config.bytes_served.get(), 16);
        assert_eq!(config.refunded_media.get(), 9);
        assert_eq!(config.refunded_quote.get(), 4);
        config.bytes_served.set(u64::MAX);
        assert!(config.count_settlement(true, 1, &media).is_err());
    }

    #[test]
    fn the_dispute_window_skips_paused_time() {
        let mut pause = never_paused();
        // An earlier pause counts for nothing.
        set_paused(&mut pause, true, 100);
        set_paused(&mut pause, false, 200);
        let escrow = escrow_closing_at(1_000, &pause);
        assert!(!escrow.dispute_window_over(&pause, 1_000 + DAY - 1));
        // Paused for an hour in the middle of the window: the window ends an hour later.
        set_paused(&mut pause, true, 1_000 + 10);
        assert!(!escrow.dispute_window_over(&pause, 1_000 + DAY + 10));
        set_paused(&mut pause, false, 1_000 + 10 + 3_600);
        assert!(!escrow.dispute_window_over(&pause, 1_000 + DAY + 3_600 - 1));
        assert!(escrow.dispute_window_over(&pause, 1_000 + DAY + 3_600));
    }

    #[test]
    fn a_close_requested_while_paused_waits_for_the_unpause() {
        let mut pause = never_paused();
        set_paused(&mut pause, true, 1_000);
        let escrow = escrow_closing_at(5_000, &pause);
        // A pause lapses on its own after MAX_PAUSE_DURATION; only then does the window run.
        let lapse = 1_000 + media_core::pause::MAX_PAUSE_DURATION;
        assert!(!escrow.dispute_window_over(&pause, lapse + DAY - 1));
        assert!(escrow.dispute_window_over(&pause, lapse + DAY));
    }
}
