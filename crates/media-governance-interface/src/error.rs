//! Errors of `media_governance`: the common block from 6000; program errors from 6100.
media_core::program_errors! {
    /// Every way a `media_governance` instruction can fail.
    pub enum GovernanceError {}
}
