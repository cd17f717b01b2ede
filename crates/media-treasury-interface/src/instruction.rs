//! Instructions of `media_treasury`: discriminators, argument layouts and account lists.
//!
//! Account lists are in the order the processor unpacks them and declare PDA seeds and fixed
//! addresses, so Anchor's methods builder fills those accounts in by itself.
use crate::seeds;
use media_core::idl::{IdlAccountDef as Account, IdlInstructionDef, IdlSeed, NoArgs};
use media_core::pod::{PodBool, PodI64, PodU16, PodU64};
use media_core::{borsh_struct, instruction_def, Address};

const fn config() -> Account {
    Account::new("config", "The treasury config")
        .writable()
        .pda(&[IdlSeed::Const(seeds::CONFIG)])
}
const fn media_vault() -> Account {
    Account::new("media_vault", "The MEDIA fee vault (the config's)").writable()
}
const fn quote_vault() -> Account {
    Account::new("quote_vault", "The quote revenue vault (the config's)").writable()
}
const fn media_mint() -> Account {
    Account::new(
        "media_mint",
        "The MEDIA mint (its supply drops by every burn)",
    )
    .writable()
}

borsh_struct! {
    /// Auction parameters, each checked against its bounds (and duration <= interval).
    pub struct AuctionParams {
        /// Least seconds between two auction starts.
        pub auction_interval: PodI64,
        /// Seconds over which the price decays from start to floor.
        pub auction_duration: PodI64,
        /// Most quote base units one auction sells.
        pub max_lot: PodU64,
        /// The first auction's start price (MEDIA base units per quote base unit, scaled by 10^9).
        pub initial_price: PodU64,
        /// Premium over the last clearing price at which later auctions start.
        pub premium_bps: PodU16,
        /// Floor as a fraction of the start price.
        pub floor_bps: PodU16,
    }
}

borsh_struct! {
    /// A fill: quote base units wanted, and the most MEDIA base units the taker will burn.
    pub struct TakeArgs {
        pub quote_amount: PodU64,
        pub max_media_in: PodU64,
    }
}

borsh_struct! {
    /// An amount in base units of the vault's mint.
    pub struct AmountArgs {
        pub amount: PodU64,
    }
}

borsh_struct! {
    /// A new holder of a role (authority, pause authority).
    pub struct SetAddressArgs {
        pub new_address: Address,
    }
}

borsh_struct! {
    /// The pause switch.
    pub struct SetPausedArgs {
        pub paused: PodBool,
    }
}

instruction_def! {
    /// Creates the config and records its two vaults: the config PDA's associated token
    /// accounts of the MEDIA and quote mints, created beforehand (e.g. earlier in the same
    /// transaction), with no delegate and no close authority. The signer becomes authority
    /// and pause authority until they are handed over.
    initialize_config(AuctionParams) [
        Account::new("authority", "Pays for the config and becomes the config authority").writable().signer(),
        config(),
        Account::new("media_vault", "The config PDA's associated token account of the MEDIA mint: the fee vault"),
        Account::new("quote_vault", "The config PDA's associated token account of the quote mint: the revenue vault"),
        Account::new("media_mint", "The MEDIA mint"),
        Account::new("quote_mint", "The quote mint sold by buyback auctions"),
        Account::system_program(),
        Account::program_data(),
    ]
}

instruction_def! {
    /// Burns the whole MEDIA fee vault (permissionless crank). Refused while paused.
    burn_fees(NoArgs) [config(), media_vault(), media_mint(), Account::token_program()]
}

instruction_def! {
    /// Starts a buyback auction of up to `max_lot` from the quote vault (permissionless, at
    /// most once per `auction_interval`, never while an auction runs). Refused while paused.
    start_auction(NoArgs) [config(), Account::new("quote_vault", "The quote revenue vault (the config's)")]
}

instruction_def! {
    /// Buys up to `quote_amount` of the running auction's lot at the current price: burns the
    /// taker's MEDIA (at most `max_media_in`) and pays the quote out. A request beyond the
    /// remaining lot is filled with what remains. Refused while paused.
    take(TakeArgs) [
        Account::new("taker", "Signs for the MEDIA it burns").signer(),
        Account::new("taker_media_account", "The taker's MEDIA token account, burned from").writable(),
        Account::new("taker_quote_account", "Quote token account the lot is paid to").writable(),
        config(),
        quote_vault(),
        media_mint(),
        Account::token_program(),
    ]
}

instruction_def! {
    /// Authority only: pays `amount` from either vault (grants, returning misrouted funds).
    /// Never touches the part of the quote vault a running auction offers. Refused while paused.
    spend(AmountArgs) [
        Account::authority(),
        config(),
        Account::new("vault", "The MEDIA fee vault or the quote vault").writable(),
        Account::new("destination", "Token account of the vault's mint that receives the funds").writable(),
        Account::token_program(),
    ]
}

instruction_def! {
    /// Sets the auction parameters (authority only, within bounds). Refused while paused.
    set_auction_params(AuctionParams) [Account::authority(), config()]
}

instruction_def! {
    /// Hands the config authority to a new address (governance's PDA at genesis). Open while
    /// paused.
    set_authority(SetAddressArgs) [Account::authority(), config()]
}

instruction_def! {
    /// Sets the emergency key that may pause (never unpause). Open while paused, so a rogue
    /// pause key can be replaced.
    set_pause_authority(SetAddressArgs) [Account::authority(), config()]
}

instruction_def! {
    /// Pauses (pause authority or authority) or unpauses (authority only).
    set_paused(SetPausedArgs) [
        Account::new("signer", "The pause authority (pause only) or the config authority").signer(),
        config(),
    ]
}

/// Every instruction, for the IDL.
pub const ALL: &[IdlInstructionDef] = &[
    initialize_config::IDL,
    burn_fees::IDL,
    start_auction::IDL,
    take::IDL,
    spend::IDL,
    set_auction_params::IDL,
    set_authority::IDL,
    set_pause_authority::IDL,
    set_paused::IDL,
];
