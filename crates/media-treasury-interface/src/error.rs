//! Errors of `media_treasury`: the common block from 6000, the treasury's own from 6100.
media_core::program_errors! {
    /// Every way a `media_treasury` instruction can fail.
    pub enum TreasuryError {
        ZeroAmount = 6100 => "The amount must be greater than zero",
        InvalidVault = 6101 => "The vault is not the treasury vault expected",
        NothingToBurn = 6102 => "The MEDIA fee vault is empty",
        NothingToAuction = 6103 => "The quote vault holds nothing to auction",
        AuctionTooEarly = 6104 => "The auction interval has not passed since the last auction started",
        AuctionInProgress = 6105 => "An auction is still running",
        AuctionEnded = 6106 => "No auction is running: it ended, sold out, or none has started",
        SlippageExceeded = 6107 => "The MEDIA the fill costs exceeds max_media_in",
        InsufficientFunds = 6108 => "The account holds less than the amount required",
    }
}
