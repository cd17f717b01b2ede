//! The pause switch every program shares, with the rules that keep a pause from turning into
//! a weapon:
//!
//! - a pause expires on its own [`MAX_PAUSE_DURATION`] after it started or was last renewed;
//!   only the config authority renews it, so a rogue pause key cannot hold a program;
//! - the pause authority may not start a new pause until [`MAX_PAUSE_DURATION`] after the
//!   previous one ended, so it cannot chain pauses either;
//! - the config authority may pause, renew and unpause at any time;
//! - the time a program has spent paused is kept, so a deadline that must not run while users
//!   are prevented from acting (the bandwidth dispute window) can skip it.
//!
//! What a pause stops is each instruction's business: it stops new risk only, never the
//! instructions that return users' funds or lift the pause.
use crate::borsh_struct;
use crate::checks::same;
use crate::error::{err, CommonError};
use crate::pod::PodI64;
use crate::sysvar;
use pinocchio::{error::ProgramError, Address};

/// Longest a pause lasts before it lapses, unless the config authority renews it (14 days).
///
/// Longer than a governance vote plus its shortest timelock (3 + 7 days), so that after the
/// hand-over governance can still renew a guardian's pause before it lapses; short enough
/// that a rogue guardian holds a program for two weeks at most, then not again for two weeks.
pub const MAX_PAUSE_DURATION: i64 = 14 * 24 * 60 * 60;

borsh_struct! {
    /// A program's pause: when the current (or last) pause started and ends, and how long the
    /// program was paused before it. All zero for a program that was never paused.
    pub struct PauseState {
        /// The program is paused while the clock is before this time (0: never paused).
        pub paused_until: PodI64,
        /// When the current or most recent pause started.
        pub paused_since: PodI64,
        /// Seconds spent paused in every pause before the most recent one.
        pub paused_before: PodI64,
    }
}

impl PauseState {
    /// Whether the program is paused at `now`.
    #[inline(always)]
    pub fn is_paused_at(&self, now: i64) -> bool {
        now < self.paused_until.get()
    }

    /// Refuses a state change while paused. Reads the clock only for a program that has been
    /// paused at some time, so the common path costs one compare; the rest (the clock read
    /// and the refusal) is out of line, written once per program rather than at every call.
    #[inline(always)]
    pub fn require_unpaused(&self) -> Result<(), ProgramError> {
        if self.paused_until.get() != 0 {
            return self.require_unpaused_by_clock();
        }
        Ok(())
    }

    /// [`Self::require_unpaused`] for a program that has been paused at some time.
    #[cold]
    #[inline(never)]
    fn require_unpaused_by_clock(&self) -> Result<(), ProgramError> {
        if self.is_paused_at(sysvar::unix_timestamp()?) {
            return err(CommonError::ProgramPaused);
        }
        Ok(())
    }

    /// Refuses a state change while paused, with the clock already read.
    #[inline(always)]
    pub fn require_unpaused_at(&self, now: i64) -> Result<(), ProgramError> {
        if self.is_paused_at(now) {
            return err(CommonError::ProgramPaused);
        }
        Ok(())
    }

    /// Total seconds the program has been paused up to `now`: a clock that stands still while
    /// the program is paused runs at `now - paused_seconds(now)`.
    #[inline(always)]
    pub fn paused_seconds(&self, now: i64) -> i64 {
        // Never paused (on a clock past 0, every pause and unpause sets `paused_until` past 0, and
        // `paused_before` only grows when a pause starts): nothing to add up. One compare on
        // the common path instead of the saturating sums below (~20 CU).
        if self.paused_until.get() == 0 {
            return 0;
        }
        let end = now.min(self.paused_until.get());
        let current = end.saturating_sub(self.paused_since.get()).max(0);
        self.paused_before.get().saturating_add(current)
    }

    /// Seconds of `[from, now]` during which the program was not paused, given
    /// `paused_at_from = self.paused_seconds(from)` recorded at `from`.
    #[inline(always)]
    pub fn unpaused_seconds_since(&self, from: i64, paused_at_from: i64, now: i64) -> i64 {
        let paused = self.paused_seconds(now).saturating_sub(paused_at_from);
        now.saturating_sub(from).saturating_sub(paused).max(0)
    }

    /// Applies `set_paused(pause)` by `signer` at `now`: the pause authority may start a pause
    /// (not renew one, and not within [`MAX_PAUSE_DURATION`] of the last one's end); the
    /// config authority may start, renew or lift one. Returns the new `paused_until`.
    #[inline(never)]
    pub fn set(&mut self, change: &PauseChange) -> Result<i64, ProgramError> {
        let PauseChange {
            authority,
            pause_authority,
            signer,
            pause,
            now,
        } = *change;
        let is_authority = same(signer, authority);
        let paused = self.is_paused_at(now);
        if !is_authority {
            let may_pause = pause
                && same(signer, pause_authority)
                && !paused
                && (self.paused_until.get() == 0
                    || now >= self.paused_until.get().saturating_add(MAX_PAUSE_DURATION));
            if !may_pause {
                return err(CommonError::Unauthorized);
            }
        }
        if pause {
            if !paused {
                // A new pause: fold the last one into the total first.
                let last = self
                    .paused_until
                    .get()
                    .saturating_sub(self.paused_since.get())
                    .max(0);
                self.paused_before
                    .set(self.paused_before.get().saturating_add(last));
                self.paused_since.set(now);
            }
            self.paused_until
                .set(now.saturating_add(MAX_PAUSE_DURATION));
        } else if paused {
            self.paused_until.set(now);
        }
        Ok(self.paused_until.get())
    }
}

impl crate::idl::IdlField for PauseState {
    const TY: crate::idl::IdlTy = crate::idl::IdlTy::Defined("PauseState");
}

/// A `set_paused` request: the config's two roles, who signed, what they asked, and when.
#[derive(Clone, Copy)]
pub struct PauseChange<'a> {
    pub authority: &'a Address,
    pub pause_authority: &'a Address,
    pub signer: &'a Address,
    pub pause: bool,
    pub now: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUTHORITY: Address = Address::new_from_array([1; 32]);
    const GUARDIAN: Address = Address::new_from_array([2; 32]);
    const STRANGER: Address = Address::new_from_array([3; 32]);

    fn set(
        state: &mut PauseState,
        signer: &Address,
        pause: bool,
        now: i64,
    ) -> Result<i64, ProgramError> {
        state.set(&PauseChange {
            authority: &AUTHORITY,
            pause_authority: &GUARDIAN,
            signer,
            pause,
            now,
        })
    }

    fn never_paused() -> PauseState {
        PauseState {
            paused_until: 0.into(),
            paused_since: 0.into(),
            paused_before: 0.into(),
        }
    }

    #[test]
    fn a_guardian_pause_lapses_after_the_maximum_duration() {
        let mut state = never_paused();
        set(&mut state, &GUARDIAN, true, 1_000).unwrap();
        assert!(state.is_paused_at(1_000 + MAX_PAUSE_DURATION - 1));
        assert!(!state.is_paused_at(1_000 + MAX_PAUSE_DURATION));
    }

    #[test]
    fn the_guardian_can_neither_renew_nor_chain_pauses() {
        let mut state = never_paused();
        set(&mut state, &GUARDIAN, true, 1_000).unwrap();
        assert!(set(&mut state, &GUARDIAN, true, 2_000).is_err());
        let lapsed = 1_000 + MAX_PAUSE_DURATION;
        assert!(set(&mut state, &GUARDIAN, true, lapsed).is_err());
        assert!(set(&mut state, &GUARDIAN, true, lapsed + MAX_PAUSE_DURATION - 1).is_err());
        set(&mut state, &GUARDIAN, true, lapsed + MAX_PAUSE_DURATION).unwrap();
    }

    #[test]
    fn only_the_authority_renews_and_unpauses() {
        let mut state = never_paused();
        set(&mut state, &GUARDIAN, true, 1_000).unwrap();
        assert!(set(&mut state, &GUARDIAN, false, 1_500).is_err());
        assert!(set(&mut state, &STRANGER, true, 1_500).is_err());
        set(&mut state, &AUTHORITY, true, 5_000).unwrap();
        assert_eq!(state.paused_until.get(), 5_000 + MAX_PAUSE_DURATION);
        set(&mut state, &AUTHORITY, false, 6_000).unwrap();
        assert!(!state.is_paused_at(6_000));
    }

    #[test]
    fn paused_time_accumulates_across_pauses() {
        let mut state = never_paused();
        set(&mut state, &AUTHORITY, true, 100).unwrap();
        set(&mut state, &AUTHORITY, false, 300).unwrap();
        assert_eq!(state.paused_seconds(1_000), 200);
        let (recorded_at, recorded) = (500, state.paused_seconds(500));
        set(&mut state, &AUTHORITY, true, 1_000).unwrap();
        assert_eq!(state.paused_seconds(1_050), 250);
        // A pause that lapses stops counting when it ends.
        assert_eq!(
            state.paused_seconds(1_000 + MAX_PAUSE_DURATION + 10),
            200 + MAX_PAUSE_DURATION
        );
        // A deadline measured from 500 skips the 50 paused seconds since.
        assert_eq!(
            state.unpaused_seconds_since(recorded_at, recorded, 1_050),
            550 - 50
        );
    }
}
