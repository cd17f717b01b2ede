//! Errors of `media_treasury`: the common block from 6000; program errors from 6100.
media_core::program_errors! {
    /// Every way a `media_treasury` instruction can fail.
    pub enum TreasuryError {}
}
