//! The rolling quota window, the stake behind a quota and the fee split: pure arithmetic,
//! unit-tested on the host (the SDK mirrors each: `quotaRemaining`, `backedStake`, `feeSplit`,
//! `feeShare`).
use crate::BPS;
use media_core::pod::{PodI64, PodU128, PodU64};
use media_core::{math, ProgramError};

/// Bytes still counted `elapsed` seconds after `used` was recorded: the window decays
/// linearly, `used * (window - elapsed) / window` (rounded down), and is empty once a
/// whole window has passed.
#[inline(never)]
pub fn decayed(used: u64, elapsed: i64, window: i64) -> Result<u64, ProgramError> {
    if elapsed <= 0 {
        return Ok(used);
    }
    if elapsed >= window {
        return Ok(0);
    }
    // 0 < elapsed < window, so the remaining time is positive and below the window.
    math::mul_div(used, window.saturating_sub(elapsed) as u64, window as u64)
}

/// Slots of the network quota ring: [`QUOTA_SLOTS`] - 1 of them span one quota window.
pub const QUOTA_SLOTS: usize = 9;
/// Slots per quota window: a slot opens at most every `quota_window / QUOTA_SLOTS_PER_WINDOW`
/// seconds. A power of two, so the division is a shift on-chain.
const QUOTA_SLOTS_PER_WINDOW: i64 = QUOTA_SLOTS as i64 - 1;
const _: () = assert!(QUOTA_SLOTS_PER_WINDOW.count_ones() == 1);

/// The ring index after `index` (no modulo: a constant divisor costs a wide multiply on-chain).
#[inline(always)]
fn after(index: usize) -> usize {
    if index >= QUOTA_SLOTS - 1 {
        0
    } else {
        index.wrapping_add(1)
    }
}

media_core::borsh_struct! {
    /// The providers whose quota was last brought up to date (`Provider::quota_updated_at`)
    /// from `start` until the next slot's start: the sum of their `quota_used`, and of
    /// `quota_used * quota_updated_at`. Both sums wrap, so a removal always cancels its
    /// addition exactly; they are exact while the network's quota use is below 2^64 bytes.
    pub struct QuotaSlot {
        pub start: PodI64,
        /// The latest update counted in the slot (a later removal leaves it).
        pub last: PodI64,
        pub used: PodU64,
        pub used_time: PodU128,
    }
}

media_core::borsh_struct! {
    /// The network's quota use in O(1) reads: every provider's `(quota_used,
    /// quota_updated_at)` summed into the slot of its update time. A provider's figure decays
    /// linearly to zero one window after its update, so the providers of a slot that lies
    /// wholly within the last window sum exactly to
    /// `(used_time + (window - now) * used) / window`; a slot older than a window counts
    /// nothing; only the one slot that straddles `now - window` is bounded, between that
    /// linear sum (at least 0) and `used * (last + window - now) / window`, which is at most
    /// `used / (QUOTA_SLOTS - 1)` while the window does not change (a slot spans at most
    /// `window / (QUOTA_SLOTS - 1)` seconds of updates). Readers: the SDK's `networkQuotaUse`.
    pub struct NetworkQuota {
        /// The newest slot.
        pub head: u8,
        pub slots: [QuotaSlot; QUOTA_SLOTS],
    }
}

impl media_core::idl::IdlField for QuotaSlot {
    const TY: media_core::idl::IdlTy = media_core::idl::IdlTy::Defined("QuotaSlot");
}

impl media_core::idl::IdlField for NetworkQuota {
    const TY: media_core::idl::IdlTy = media_core::idl::IdlTy::Defined("NetworkQuota");
}

/// A provider's figure moving from `(old_used, old_at)`, which the ring already counts (unless
/// its slot has expired and been reused), to `(new_used, now)`, under the quota `window`.
#[derive(Clone, Copy)]
pub struct QuotaChange {
    pub old_used: u64,
    pub old_at: i64,
    pub new_used: u64,
    pub now: i64,
    pub window: i64,
}

impl QuotaSlot {
    /// Adds `(used, at)` to the slot's sums, or takes it out (`remove`). Wrapping: a removal
    /// cancels its addition exactly. One copy of the wide multiply for both directions.
    #[inline(never)]
    fn count(&mut self, used: u64, at: i64, remove: bool) {
        let (mut used, mut weighted) = (used, math::mul_u128(used, at as u64));
        if remove {
            (used, weighted) = (used.wrapping_neg(), weighted.wrapping_neg());
        }
        self.used.set(self.used.get().wrapping_add(used));
        self.used_time
            .set(self.used_time.get().wrapping_add(weighted));
    }
}

impl NetworkQuota {
    /// Moves one provider's figure as `change` says.
    #[inline(never)]
    pub fn update(&mut self, change: &QuotaChange) {
        let QuotaChange {
            old_used,
            old_at,
            new_used,
            now,
            window,
        } = *change;
        if old_used != 0 {
            if let Some(index) = self.slot_of(old_at) {
                self.slots[index].count(old_used, old_at, true);
            }
        }
        let head = self.head();
        let width = window / QUOTA_SLOTS_PER_WINDOW;
        let open = self.slots[head].start.get();
        // Clock times plus at most 30 days: far from overflowing.
        let head = if open != 0 && now < open.wrapping_add(width) {
            head
        } else {
            self.open_slot(head, now, window)
        };
        let slot = &mut self.slots[head];
        slot.last.set(now);
        slot.count(new_used, now, false);
    }

    /// What the providers' figures sum to at `now` (each decayed with [`decayed`], before
    /// rounding): `(at_least, at_most)`, equal unless a slot straddles `now - window`. The
    /// providers' rounded-down figures sum to at most `at_most` and more than
    /// `at_least - providers`. For readers off-chain (the SDK mirrors it); not used on-chain.
    pub fn use_at(&self, now: i64, window: i64) -> (u128, u128) {
        let (mut at_least, mut at_most) = (0u128, 0u128);
        for slot in self.slots.iter() {
            let used = slot.used.get() as i128;
            if used == 0 {
                continue;
            }
            let (now, window) = (now as i128, window as i128);
            let last_expiry = (slot.last.get() as i128).saturating_add(window);
            if last_expiry <= now {
                continue;
            }
            // Sum of used * (updated_at + window - now) over the slot, every term counted.
            let linear = (slot.used_time.get() as i128)
                .saturating_add(used.saturating_mul(window.saturating_sub(now)))
                .max(0)
                .checked_div(window)
                .unwrap_or(0);
            at_least = at_least.saturating_add(linear as u128);
            at_most = at_most.saturating_add(
                if (slot.start.get() as i128).saturating_add(window) >= now {
                    linear as u128
                } else {
                    used.saturating_mul(last_expiry.saturating_sub(now))
                        .checked_div(window)
                        .unwrap_or(0) as u128
                },
            );
        }
        (at_least, at_most)
    }

    /// The newest slot that started at or before `at`: the one that counts an update made at
    /// `at`. None if every slot started later: that update's slot expired and was reused, and
    /// nothing counts it any more.
    fn slot_of(&self, at: i64) -> Option<usize> {
        let mut index = self.head();
        // `black_box` keeps the loop a loop: unrolled nine times it costs more bytes than CU.
        for _ in 0..core::hint::black_box(QUOTA_SLOTS) {
            if self.slots[index].start.get() <= at {
                return Some(index);
            }
            index = index.checked_sub(1).unwrap_or(QUOTA_SLOTS - 1);
        }
        None
    }

    /// The newest slot's index (a corrupt `head` reads as slot 0).
    #[inline(always)]
    fn head(&self) -> usize {
        let head = self.head as usize;
        if head < QUOTA_SLOTS {
            head
        } else {
            0
        }
    }

    /// Opens a slot at `now` after `head` in place of the oldest. The oldest is dropped only
    /// once all its providers' figures have decayed to zero (its last update is a window
    /// old); otherwise (the window grew) it merges into the next slot, which
    /// keeps the sums exact and widens that slot.
    fn open_slot(&mut self, head: usize, now: i64, window: i64) -> usize {
        let oldest = after(head);
        let next = after(oldest);
        let (used, used_time, start, last) = {
            let slot = &self.slots[oldest];
            (
                slot.used.get(),
                slot.used_time.get(),
                slot.start.get(),
                slot.last.get(),
            )
        };
        let expired = last.wrapping_add(window) <= now;
        if used != 0 && !expired {
            let merged = &mut self.slots[next];
            // `merged` is newer: its `last` stays the later one.
            merged.start.set(start);
            merged.used.set(merged.used.get().wrapping_add(used));
            merged
                .used_time
                .set(merged.used_time.get().wrapping_add(used_time));
        }
        self.slots[oldest] = QuotaSlot {
            start: now.into(),
            last: now.into(),
            used: 0.into(),
            used_time: 0.into(),
        };
        self.head = oldest as u8;
        oldest
    }
}

/// The stake a provider's quota counts: the operator's own active stake plus what is
/// delegated to it, the delegated part capped at `delegation_cap` times the own stake (skin in
/// the game: delegation alone gives no quota). Saturating; the bounds keep it far from that.
#[inline(always)]
pub fn backed_stake(own_active: u64, delegated: u64, delegation_cap: u64) -> u64 {
    if delegated == 0 {
        return own_active;
    }
    // `math::mul`, not `saturating_mul`: that lowers to the 128-bit multiply builtin BPF lacks.
    let counted = match math::mul(own_active, delegation_cap) {
        Ok(cap) => delegated.min(cap),
        Err(_) => delegated,
    };
    own_active.saturating_add(counted)
}

/// The delegators' share of the provider's part of a payment: `fee_share_bps` of it, rounded
/// down (the provider keeps the rest). Nothing unless the payment is in MEDIA and someone
/// other than the operator has stake bound to it.
#[inline(always)]
pub fn fee_share(
    provider_part: u64,
    fee_share_bps: u16,
    is_media: bool,
    delegated: u64,
) -> Result<u64, ProgramError> {
    if !is_media || delegated == 0 || fee_share_bps == 0 {
        return Ok(0);
    }
    math::mul_div(provider_part, fee_share_bps as u64, BPS)
}

/// A payment split three ways; the parts always sum to the amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Split {
    pub provider: u64,
    pub stakers: u64,
    pub treasury: u64,
}

/// Splits `amount`: `protocol_fee_bps` of it (rounded down) is revenue, the rest the
/// provider's; of MEDIA revenue `staker_share_bps` (rounded down) funds stakers and the rest
/// goes to the treasury; quote revenue goes wholly to the treasury.
#[inline(never)]
pub fn split(
    amount: u64,
    protocol_fee_bps: u16,
    staker_share_bps: u16,
    is_media: bool,
) -> Result<Split, ProgramError> {
    let revenue = math::mul_div(amount, protocol_fee_bps as u64, BPS)?;
    let stakers = if is_media {
        math::mul_div(revenue, staker_share_bps as u64, BPS)?
    } else {
        0
    };
    Ok(Split {
        provider: math::sub(amount, revenue)?,
        stakers,
        treasury: math::sub(revenue, stakers)?,
    })
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // host tests: a failed overflow check is a failed test
mod tests {
    use super::*;

    /// Providers settling at pseudo-random times, as `settle_receipt` moves their figures.
    struct Network {
        providers: [(u64, i64); 7],
        ring: NetworkQuota,
        seed: u64,
    }

    impl Network {
        fn new() -> Self {
            let mut bytes = [0u8; core::mem::size_of::<NetworkQuota>()];
            let ring = *media_core::pod::from_bytes_mut::<NetworkQuota>(&mut bytes).unwrap();
            Network {
                providers: [(0, 0); 7],
                ring,
                seed: 7,
            }
        }

        fn random(&mut self, below: u64) -> u64 {
            self.seed = self
                .seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.seed >> 33) % below
        }

        fn settle(&mut self, provider: usize, bytes: u64, now: i64, window: i64) {
            let (used, at) = self.providers[provider];
            let new = decayed(used, now - at, window).unwrap() + bytes;
            self.ring.update(&QuotaChange {
                old_used: used,
                old_at: at,
                new_used: new,
                now,
                window,
            });
            self.providers[provider] = (new, now);
        }

        /// The providers' own figures at `now`, as Media Scan summed them account by account.
        fn scanned(&self, now: i64, window: i64) -> u128 {
            self.providers
                .iter()
                .map(|&(used, at)| decayed(used, now - at, window).unwrap() as u128)
                .sum()
        }

        fn check(&self, now: i64, window: i64) {
            let (at_least, at_most) = self.ring.use_at(now, window);
            let scanned = self.scanned(now, window);
            let providers = self.providers.len() as u128;
            assert!(
                scanned <= at_most,
                "at {now}: scanned {scanned} > at most {at_most}"
            );
            assert!(
                scanned + providers > at_least,
                "at {now}: scanned {scanned} << at least {at_least}"
            );
            // Only the straddling slot is uncertain: by at most its figures over the slots per
            // window, which is at most what all providers ever counted over the same.
            let total: u128 = self
                .ring
                .slots
                .iter()
                .map(|slot| slot.used.get() as u128)
                .sum();
            assert!(at_most - at_least <= total / QUOTA_SLOTS_PER_WINDOW as u128 + 1);
        }
    }

    #[test]
    fn the_network_ring_sums_what_the_providers_hold() {
        let window = 86_400;
        let mut network = Network::new();
        let mut now = 1_700_000_000;
        for step in 0..4_000 {
            now += network.random(3_000) as i64;
            let provider = network.random(7) as usize;
            let bytes = 1 + network.random(1 << 40);
            network.settle(provider, bytes, now, window);
            network.check(now, window);
            let later = now + network.random(2 * window as u64) as i64;
            network.check(later, window);
            if step % 500 == 0 {
                // A quiet day: everything decays to zero, and the ring says so exactly.
                now += 2 * window;
                assert_eq!(network.ring.use_at(now, window), (0, 0));
            }
        }
    }

    #[test]
    fn the_network_ring_is_exact_when_no_slot_straddles_the_window() {
        let window = 8 * 3_600;
        let mut network = Network::new();
        let start = 1_000_000;
        for (i, provider) in [0usize, 1, 2, 0, 3].iter().enumerate() {
            network.settle(
                *provider,
                1_000_000 * (i as u64 + 1),
                start + 100 * i as i64,
                window,
            );
        }
        // All five updates sit in the first slot, which lies wholly within the window.
        let (at_least, at_most) = network.ring.use_at(start + 3_600, window);
        assert_eq!(at_least, at_most);
        let scanned = network.scanned(start + 3_600, window);
        assert!(scanned <= at_most && scanned + 4 > at_least);
    }

    #[test]
    fn a_longer_window_merges_slots_instead_of_dropping_live_ones() {
        let mut network = Network::new();
        let mut now = 1_000_000;
        for step in 0..200 {
            // The window grows from one hour to thirty days while providers settle.
            let window = (3_600 * (step + 1)).min(30 * 86_400);
            now += 1_000;
            let provider = network.random(7) as usize;
            network.settle(provider, 1 << 30, now, window);
            network.check(now, window);
        }
    }

    #[test]
    fn decay_is_linear_and_empties_after_a_window() {
        let day = 86_400;
        assert_eq!(decayed(1000, 0, day).unwrap(), 1000);
        assert_eq!(decayed(1000, -5, day).unwrap(), 1000);
        assert_eq!(decayed(1000, day / 2, day).unwrap(), 500);
        assert_eq!(decayed(1001, day / 2, day).unwrap(), 500);
        assert_eq!(decayed(1000, day - 1, day).unwrap(), 0);
        assert_eq!(
            decayed(u64::MAX, 1, day).unwrap(),
            (u64::MAX as u128 * (day as u128 - 1) / day as u128) as u64
        );
        assert_eq!(decayed(1000, day, day).unwrap(), 0);
        assert_eq!(decayed(1000, i64::MAX, day).unwrap(), 0);
    }

    #[test]
    fn backed_stake_caps_delegation_at_a_multiple_of_the_own_stake() {
        assert_eq!(backed_stake(100, 0, 10), 100);
        assert_eq!(backed_stake(100, 400, 10), 500);
        assert_eq!(backed_stake(100, 1_000, 10), 1_100, "exactly at the cap");
        assert_eq!(
            backed_stake(100, 1_001, 10),
            1_100,
            "beyond the cap counts nothing"
        );
        assert_eq!(backed_stake(0, 1_000, 10), 0, "no own stake, no quota");
        assert_eq!(backed_stake(u64::MAX, u64::MAX, 100), u64::MAX, "saturates");
    }

    #[test]
    fn fee_share_is_the_bps_of_the_provider_part_rounded_down() {
        assert_eq!(fee_share(90_003, 2_000, true, 1).unwrap(), 18_000);
        assert_eq!(fee_share(9, 5_000, true, 1).unwrap(), 4);
        assert_eq!(fee_share(u64::MAX, 10_000, true, 1).unwrap(), u64::MAX);
        assert_eq!(fee_share(90_003, 2_000, false, 1).unwrap(), 0, "quote");
        assert_eq!(
            fee_share(90_003, 2_000, true, 0).unwrap(),
            0,
            "nobody delegated"
        );
        assert_eq!(fee_share(90_003, 0, true, 1).unwrap(), 0);
    }

    #[test]
    fn split_sums_to_the_amount() {
        for amount in [0u64, 1, 9, 10, 11, 999, 1_000_001, u64::MAX] {
            for (fee, share) in [(1000u16, 5000u16), (0, 0), (5000, 10_000), (333, 7777)] {
                for media in [true, false] {
                    let s = split(amount, fee, share, media).unwrap();
                    assert_eq!(
                        s.provider as u128 + s.stakers as u128 + s.treasury as u128,
                        amount as u128
                    );
                    if !media {
                        assert_eq!(s.stakers, 0);
                    }
                }
            }
        }
        assert_eq!(
            split(1_000_003, 1000, 5000, true).unwrap(),
            Split {
                provider: 900_003,
                stakers: 50_000,
                treasury: 50_000
            }
        );
        assert_eq!(
            split(1_000_003, 1000, 5000, false).unwrap(),
            Split {
                provider: 900_003,
                stakers: 0,
                treasury: 100_000
            }
        );
    }
}
