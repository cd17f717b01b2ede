//! Errors of `media_bandwidth`: the common block from 6000; program errors from 6100.
media_core::program_errors! {
    /// Every way a `media_bandwidth` instruction can fail.
    pub enum BandwidthError {
        ZeroAmount = 6100 => "The amount must be greater than zero",
        StakeOwnerMismatch = 6101 => "The stake account belongs to another wallet than the operator",
        ProviderStakeBelowMinimum = 6102 => "The operator's active stake is below the staking program's min_stake",
        ProviderInactive = 6103 => "The provider is deactivated",
        ProviderMismatch = 6104 => "The provider account is not the escrow's provider or not the operator's",
        MintNotAccepted = 6105 => "The mint is neither MEDIA nor the quote mint, or the provider sets no price for it",
        InvalidVault = 6106 => "The vault is not the escrow's vault, the treasury's vault of the escrow's mint, the staking config's vault, or the operator pool's fee-share vault",
        EscrowClosing = 6107 => "The escrow's close was requested; it takes no deposits and no second request",
        CloseNotRequested = 6108 => "The consumer has not requested the escrow's close",
        DisputeWindowOpen = 6109 => "The dispute window has not ended: it runs only while bandwidth is not paused",
        EscrowClosed = 6110 => "The dispute window has ended; the escrow only refunds now",
        Ed25519InstructionMissing = 6111 => "The instruction before settle_receipt is not an Ed25519 verify instruction",
        Ed25519SignatureCount = 6112 => "The Ed25519 instruction must verify exactly one signature",
        Ed25519OffsetsMismatch = 6113 => "The Ed25519 instruction's offsets, instruction indices or length are not the expected ones",
        ReceiptSignerMismatch = 6114 => "The receipt was not signed by the escrow's consumer",
        ReceiptMessageMismatch = 6115 => "The verified message is not this receipt for this escrow",
        StaleReceipt = 6116 => "The receipt's cumulative bytes or amount do not exceed the last settled ones (both must strictly grow)",
        InsufficientEscrowBalance = 6117 => "The escrow holds less than the receipt's new amount",
        QuotaExceeded = 6118 => "The bytes exceed the provider's rolling-window quota",
        NotTopLevelInstruction = 6119 => "settle_receipt must be a top-level instruction of the transaction",
        NoPriceSet = 6120 => "A provider must set a price for at least one mint",
        ReceiptNonceMismatch = 6121 => "The receipt was signed for another lifetime of this escrow (its nonce is not the escrow's)",
        Underpriced = 6122 => "The receipt pays less than ceil(bytes * price_per_gib / GiB) for its new bytes at the escrow's recorded price",
        SelfDealing = 6123 => "The consumer is the provider's operator: an operator cannot buy its own bandwidth",
        OperatorPoolMismatch = 6124 => "The operator pool is not the operator's (open_operator in media_staking first)",
    }
}
