//! Instructions of `media_treasury`: discriminators, argument layouts and account lists.
//!
//! Account lists are in the order the processor unpacks them and declare PDA seeds and fixed
//! addresses, so Anchor's methods builder fills those accounts in by itself.
use crate::seeds;
use media_core::idl::{IdlAccountDef as Account, IdlSeed, NoArgs};
use media_core::ix::AmountArgs;
use media_core::pod::{PodI64, PodU16, PodU64};
use media_core::{borsh_struct, instruction_def};

const STAKING_PROGRAM: &str = media_staking_interface::ID_STR;
const BANDWIDTH_PROGRAM: &str = media_bandwidth_interface::ID_STR;

const fn config() -> Account {
    Account::new("config", "The treasury config")
        .writable()
        .pda(&[IdlSeed::Const(seeds::CONFIG)])
}
const fn media_vault() -> Account {
    Account::new("media_vault", "The MEDIA fee vault (the config's)")
        .writable()
        .relations(&["config"])
}
const fn quote_vault() -> Account {
    Account::new("quote_vault", "The quote revenue vault (the config's)")
        .writable()
        .relations(&["config"])
}
const fn media_mint() -> Account {
    Account::new(
        "media_mint",
        "The MEDIA mint (its supply drops by every burn)",
    )
    .writable()
    .relations(&["config"])
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
        /// Premium over the reference price at which an auction starts.
        pub premium_bps: PodU16,
        /// Floor as a fraction of the reference price.
        pub floor_bps: PodU16,
        /// Least fill, as a fraction of the lot, that counts for price discovery.
        pub min_fill_bps: PodU16,
        /// Counted volume, as a fraction of the lot, from which an auction's volume-weighted
        /// price becomes the reference outright.
        pub min_sold_bps: PodU16,
        /// Most an auction that sold less moves the reference, as a fraction of it.
        pub max_step_bps: PodU16,
    }
}

borsh_struct! {
    /// The auction parameters ([`AuctionParams`], same fields first) and the initial reference
    /// price: MEDIA base units per quote base unit, scaled by 10^9. Required, with no default:
    /// the first auction starts at `initial_price * (1 + premium_bps)` and decays to
    /// `initial_price * floor_bps`, so it must be near the market's price.
    pub struct InitializeConfigArgs {
        pub auction_interval: PodI64,
        pub auction_duration: PodI64,
        pub max_lot: PodU64,
        pub premium_bps: PodU16,
        pub floor_bps: PodU16,
        pub min_fill_bps: PodU16,
        pub min_sold_bps: PodU16,
        pub max_step_bps: PodU16,
        pub initial_price: PodU64,
    }
}

impl InitializeConfigArgs {
    /// The auction parameters: the first fields, viewed in place.
    #[inline(always)]
    pub fn params(&self) -> &AuctionParams {
        const {
            assert!(
                core::mem::size_of::<AuctionParams>() + core::mem::size_of::<PodU64>()
                    == core::mem::size_of::<InitializeConfigArgs>()
            )
        };
        // SAFETY: both are `Transmutable` (alignment 1, any bit pattern), `AuctionParams` is
        // smaller (asserted above) and its fields are the first fields of this struct, in order
        // and of the same types (a test below compares them).
        unsafe { &*(self as *const InitializeConfigArgs as *const AuctionParams) }
    }
}

borsh_struct! {
    /// A new reference price (scaled MEDIA per quote unit).
    pub struct PriceArgs {
        pub price: PodU64,
    }
}

borsh_struct! {
    /// A fill: quote base units wanted, and the most MEDIA base units the taker will burn.
    pub struct TakeArgs {
        pub quote_amount: PodU64,
        pub max_media_in: PodU64,
    }
}

instruction_def! {
    /// Creates the config and records its two vaults: the config PDA's associated token
    /// accounts of the MEDIA and quote mints, created beforehand (e.g. earlier in the same
    /// transaction), with no delegate and no close authority. The signer becomes authority
    /// and pause authority until they are handed over.
    initialize_config(InitializeConfigArgs) [
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
    start_auction(NoArgs) [config(), Account::new("quote_vault", "The quote revenue vault (the config's)").relations(&["config"]), Account::clock_sysvar()]
}

instruction_def! {
    /// Buys up to `quote_amount` of the running auction's lot at the current price for the
    /// taker's MEDIA (at most `max_media_in`): the bandwidth config's `staker_share_bps` of it
    /// goes into the staking vault, the rest is burned; the quote is paid out. A request beyond
    /// the remaining lot is filled with what remains. Refused while paused.
    take(TakeArgs) [
        Account::new("taker", "Signs for the MEDIA it pays").signer(),
        Account::new("taker_media_account", "The taker's MEDIA token account, paid from").writable(),
        Account::new("taker_quote_account", "Quote token account the lot is paid to").writable(),
        config(),
        quote_vault(),
        media_mint(),
        Account::token_program(),
        Account::new("bandwidth_config", "media_bandwidth's config (staker_share_bps)").pda_of(
            BANDWIDTH_PROGRAM,
            &[IdlSeed::Const(media_bandwidth_interface::seeds::CONFIG)],
        ),
        Account::new("staking_config", "media_staking's config (names its vault)").pda_of(
            STAKING_PROGRAM,
            &[IdlSeed::Const(media_staking_interface::seeds::CONFIG)],
        ),
        Account::new("staking_vault", "media_staking's vault: receives the stakers' share")
            .writable()
            .pda_of(
                STAKING_PROGRAM,
                &[IdlSeed::Const(media_staking_interface::seeds::VAULT)],
            ),
        Account::clock_sysvar(),
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
    /// Resets the reference price the next auction starts from (authority only, within the
    /// price bounds); the last auction's fills no longer move it. Refused while an auction with
    /// lot remaining runs, and while paused.
    set_reference_price(PriceArgs) [Account::authority(), config(), Account::clock_sysvar()]
}

media_core::admin_instructions!(config());

media_core::idl_instructions! {
    initialize_config, burn_fees, start_auction, take, spend, set_auction_params,
    set_reference_price,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auction_params_are_the_first_fields_of_the_initialize_args() {
        let mut bytes = [0u8; core::mem::size_of::<InitializeConfigArgs>()];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = i as u8;
        }
        let args = media_core::pod::from_bytes::<InitializeConfigArgs>(&bytes).unwrap();
        let params = args.params();
        assert_eq!(params.auction_interval, args.auction_interval);
        assert_eq!(params.auction_duration, args.auction_duration);
        assert_eq!(params.max_lot, args.max_lot);
        assert_eq!(params.premium_bps, args.premium_bps);
        assert_eq!(params.floor_bps, args.floor_bps);
        assert_eq!(params.min_fill_bps, args.min_fill_bps);
        assert_eq!(params.min_sold_bps, args.min_sold_bps);
        assert_eq!(params.max_step_bps, args.max_step_bps);
    }
}
