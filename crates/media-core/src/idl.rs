//! Compile-time descriptions of a program's interface, from which `tools/idl-gen` writes the
//! Anchor IDL (spec 0.1.0) and the SDK its TypeScript. They sit next to the code they describe
//! (state structs, events, instruction arguments and account lists, the constants the programs
//! are built from) so there is one source of truth; none of it is linked into the on-chain
//! binary.
use crate::pod::{PodBool, PodI64, PodU128, PodU16, PodU32, PodU64};
use crate::Address;

/// An IDL field type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdlTy {
    U8,
    U16,
    U32,
    U64,
    I64,
    U128,
    Bool,
    Pubkey,
    /// A byte string of any length (constants only: seeds).
    Bytes,
    /// `[T; len]`
    Array {
        of: &'static IdlTy,
        len: usize,
    },
    /// Borsh's `Option<T>`: a one-byte tag, then `T` if the tag is 1.
    Option {
        of: &'static IdlTy,
    },
    /// A struct or an enum listed in the IDL's `types`.
    Defined(&'static str),
}

/// Maps a Rust field type to its IDL type.
pub trait IdlField {
    const TY: IdlTy;
}

macro_rules! idl_field {
    ($($ty:ty => $idl:expr),* $(,)?) => { $(impl IdlField for $ty { const TY: IdlTy = $idl; })* };
}

idl_field! {
    u8 => IdlTy::U8,
    PodU16 => IdlTy::U16,
    PodU32 => IdlTy::U32,
    PodU64 => IdlTy::U64,
    PodI64 => IdlTy::I64,
    PodU128 => IdlTy::U128,
    PodBool => IdlTy::Bool,
    Address => IdlTy::Pubkey,
}

impl<T: IdlField, const N: usize> IdlField for [T; N] {
    const TY: IdlTy = IdlTy::Array { of: &T::TY, len: N };
}

/// One named field.
#[derive(Clone, Copy, Debug)]
pub struct IdlFieldDef {
    pub name: &'static str,
    pub ty: IdlTy,
}

/// A struct with a name and fields (an account, an event, instruction arguments).
pub trait IdlStruct {
    const NAME: &'static str;
    const DOCS: &'static str;
    const FIELDS: &'static [IdlFieldDef];
}

/// An enum of unit variants, in the order of their Borsh index (see [`idl_enum!`]).
pub trait IdlEnum {
    const NAME: &'static str;
    const DOCS: &'static str;
    const VARIANTS: &'static [&'static str];
}

/// One seed of a PDA, as Anchor's IDL expresses it.
#[derive(Clone, Copy, Debug)]
pub enum IdlSeed {
    /// A constant byte string.
    Const(&'static [u8]),
    /// The address of another account of the same instruction, by its snake_case name.
    Account(&'static str),
    /// An instruction argument, by its snake_case name.
    Arg(&'static str),
    /// The 32 bytes of this program's id.
    ThisProgramId,
}

/// One account of an instruction, in the order the program unpacks them.
#[derive(Clone, Copy, Debug)]
pub struct IdlAccountDef {
    pub name: &'static str,
    pub docs: &'static str,
    pub writable: bool,
    pub signer: bool,
    /// A fixed address (programs, sysvars), base58.
    pub address: Option<&'static str>,
    /// PDA seeds, so clients can fill the account in.
    pub pda: &'static [IdlSeed],
    /// The program the PDA belongs to, base58 (`None`: this program).
    pub pda_program: Option<&'static str>,
    /// Accounts of the same instruction whose stored field of this account's name holds its
    /// address, so clients can read it from them.
    pub relations: &'static [&'static str],
}

impl IdlAccountDef {
    /// A read-only, non-signing account.
    pub const fn new(name: &'static str, docs: &'static str) -> Self {
        Self {
            name,
            docs,
            writable: false,
            signer: false,
            address: None,
            pda: &[],
            pda_program: None,
            relations: &[],
        }
    }

    /// The same account described for another instruction.
    pub const fn docs(mut self, docs: &'static str) -> Self {
        self.docs = docs;
        self
    }

    pub const fn writable(mut self) -> Self {
        self.writable = true;
        self
    }

    pub const fn signer(mut self) -> Self {
        self.signer = true;
        self
    }

    pub const fn address(mut self, address: &'static str) -> Self {
        self.address = Some(address);
        self
    }

    pub const fn pda(mut self, seeds: &'static [IdlSeed]) -> Self {
        self.pda = seeds;
        self
    }

    /// A PDA of another program (`program`, base58), derived by clients from that program's id.
    pub const fn pda_of(mut self, program: &'static str, seeds: &'static [IdlSeed]) -> Self {
        self.pda = seeds;
        self.pda_program = Some(program);
        self
    }

    /// The account's address is the field of its name in each of `accounts` (accounts of the
    /// same instruction, by their snake_case names).
    pub const fn relations(mut self, accounts: &'static [&'static str]) -> Self {
        self.relations = accounts;
        self
    }

    /// The program's ProgramData account (the upgradeable loader's PDA of the program id),
    /// whose upgrade authority alone may initialize the program's config.
    pub const fn program_data() -> Self {
        Self::new(
            "program_data",
            "The program's ProgramData account: its upgrade authority must sign",
        )
        .pda_of(
            "BPFLoaderUpgradeab1e11111111111111111111111",
            &[IdlSeed::ThisProgramId],
        )
    }

    /// The config authority, signing.
    pub const fn authority() -> Self {
        Self::new("authority", "The config authority").signer()
    }

    /// The SPL Token program, at its fixed address.
    pub const fn token_program() -> Self {
        Self::new("token_program", "SPL Token")
            .address("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
    }

    /// The System program, at its fixed address.
    pub const fn system_program() -> Self {
        Self::new("system_program", "System program").address("11111111111111111111111111111111")
    }

    /// The Clock sysvar, at its fixed address.
    pub const fn clock_sysvar() -> Self {
        Self::new("clock", "The Clock sysvar")
            .address("SysvarC1ock11111111111111111111111111111111")
    }

    /// The instructions sysvar, at its fixed address.
    pub const fn instructions_sysvar() -> Self {
        Self::new("instructions_sysvar", "The instructions sysvar")
            .address("Sysvar1nstructions1111111111111111111111111")
    }
}

/// An instruction's interface.
#[derive(Clone, Copy, Debug)]
pub struct IdlInstructionDef {
    pub name: &'static str,
    pub docs: &'static str,
    pub discriminator: [u8; 8],
    pub accounts: &'static [IdlAccountDef],
    pub args: &'static [IdlFieldDef],
}

/// A program's whole interface.
#[derive(Clone, Copy, Debug)]
pub struct IdlProgramDef {
    pub name: &'static str,
    pub version: &'static str,
    pub docs: &'static str,
    pub address: &'static str,
    pub instructions: &'static [IdlInstructionDef],
    pub accounts: &'static [IdlTypeDef],
    pub events: &'static [IdlTypeDef],
    /// Other named structs and enums used by fields.
    pub types: &'static [IdlTypeDef],
    pub errors: &'static [(u32, &'static str, &'static str)],
    /// The seeds, defaults and bounds the program is built from (see [`idl_constants!`]).
    pub constants: &'static [IdlConstDef],
}

/// What a named type is made of.
#[derive(Clone, Copy, Debug)]
pub enum IdlTypeBody {
    Struct(&'static [IdlFieldDef]),
    /// Unit variants, by Borsh index.
    Enum(&'static [&'static str]),
}

/// A named type with its discriminator (zero for plain types and enums).
#[derive(Clone, Copy, Debug)]
pub struct IdlTypeDef {
    pub name: &'static str,
    pub docs: &'static str,
    pub discriminator: [u8; 8],
    pub body: IdlTypeBody,
}

impl IdlTypeDef {
    /// Describes the account type `T`.
    pub const fn account<T: IdlStruct + crate::state::AccountState>() -> Self {
        Self {
            name: T::NAME,
            docs: T::DOCS,
            discriminator: T::DISCRIMINATOR,
            body: IdlTypeBody::Struct(T::FIELDS),
        }
    }

    /// Describes the event `T`.
    pub const fn event<T: IdlStruct + crate::event::Event>() -> Self {
        Self {
            name: T::NAME,
            docs: T::DOCS,
            discriminator: T::DISCRIMINATOR,
            body: IdlTypeBody::Struct(T::FIELDS),
        }
    }

    /// Describes `T`, a plain struct that accounts, events or arguments nest.
    pub const fn plain<T: IdlStruct>() -> Self {
        Self {
            name: T::NAME,
            docs: T::DOCS,
            discriminator: [0; 8],
            body: IdlTypeBody::Struct(T::FIELDS),
        }
    }

    /// Describes `T`, an enum that fields or arguments use.
    pub const fn enumeration<T: IdlEnum>() -> Self {
        Self {
            name: T::NAME,
            docs: T::DOCS,
            discriminator: [0; 8],
            body: IdlTypeBody::Enum(T::VARIANTS),
        }
    }
}

/// The value of a constant, typed as the IDL writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdlConstValue {
    U8(u8),
    U16(u16),
    U32(u32),
    U64(u64),
    I64(i64),
    U128(u128),
    Bytes(&'static [u8]),
    /// A `(min, max)` bound, written as a two-element array.
    U16Range(u16, u16),
    U64Range(u64, u64),
    I64Range(i64, i64),
}

/// A Rust const the IDL can carry, converted to its IDL value.
pub trait IdlConstSource {
    fn idl_const(&'static self) -> IdlConstValue;
}

macro_rules! idl_const_source {
    ($($ty:ty => $variant:ident),* $(,)?) => {
        $(impl IdlConstSource for $ty {
            fn idl_const(&'static self) -> IdlConstValue {
                IdlConstValue::$variant(*self)
            }
        })*
    };
}

idl_const_source! {
    u8 => U8,
    u16 => U16,
    u32 => U32,
    u64 => U64,
    i64 => I64,
    u128 => U128,
    &'static [u8] => Bytes,
}

impl<const N: usize> IdlConstSource for [u8; N] {
    fn idl_const(&'static self) -> IdlConstValue {
        IdlConstValue::Bytes(self)
    }
}

impl IdlConstSource for usize {
    /// Sizes and counts: the IDL has no `usize`; they are small, so a `u32`.
    fn idl_const(&'static self) -> IdlConstValue {
        IdlConstValue::U32(u32::try_from(*self).expect("an IDL size constant fits a u32"))
    }
}

impl IdlConstSource for (u16, u16) {
    fn idl_const(&'static self) -> IdlConstValue {
        IdlConstValue::U16Range(self.0, self.1)
    }
}

impl IdlConstSource for (u64, u64) {
    fn idl_const(&'static self) -> IdlConstValue {
        IdlConstValue::U64Range(self.0, self.1)
    }
}

impl IdlConstSource for (i64, i64) {
    fn idl_const(&'static self) -> IdlConstValue {
        IdlConstValue::I64Range(self.0, self.1)
    }
}

/// One constant of the IDL. The value is read by `tools/idl-gen` on the host, through a
/// function, so any Rust const converts (the conversion is not `const`).
#[derive(Clone, Copy, Debug)]
pub struct IdlConstDef {
    pub name: &'static str,
    pub value: fn() -> IdlConstValue,
}

/// How a call marks one account of an instruction (from its [`IdlAccountDef`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccountFlags {
    pub writable: bool,
    pub signer: bool,
}

/// The [`AccountFlags`] of an instruction's accounts, in order (`N` is their count).
pub const fn account_flags<const N: usize>(accounts: &[IdlAccountDef]) -> [AccountFlags; N] {
    let mut flags = [AccountFlags {
        writable: false,
        signer: false,
    }; N];
    let mut i = 0;
    while i < N {
        flags[i] = AccountFlags {
            writable: accounts[i].writable,
            signer: accounts[i].signer,
        };
        // `i < N`: cannot wrap.
        i = i.wrapping_add(1);
    }
    flags
}

/// Arguments of an instruction that takes none.
#[derive(Clone, Copy)]
pub struct NoArgs;

// SAFETY: a unit struct has no bytes, so none of them can be padding.
unsafe impl crate::pod::Transmutable for NoArgs {}

impl IdlStruct for NoArgs {
    const NAME: &'static str = "NoArgs";
    const DOCS: &'static str = "";
    const FIELDS: &'static [IdlFieldDef] = &[];
}

/// The IDL constants of a program, from the Rust consts it is built from (not copies): each
/// group is a prefix, a module and the consts it names, e.g. `"SEED_" seeds { CONFIG, VAULT }`
/// gives `SEED_CONFIG` and `SEED_VAULT` (`"" self { MEDIA }` for the crate root's). The SDK groups them back by prefix (`SEED_`, `DEFAULT_`,
/// `BOUNDS_`; anything else is a plain constant).
#[macro_export]
macro_rules! idl_constants {
    ($($prefix:literal $module:ident { $($name:ident),* $(,)? }),* $(,)?) => {
        &[$($($crate::idl::IdlConstDef {
            name: concat!($prefix, stringify!($name)),
            value: || $crate::idl::IdlConstSource::idl_const(&$module::$name),
        },)*)*]
    };
}

/// Declares a one-byte code with named values, stored as a plain `u8` so that every byte is a
/// valid value (accounts stay `Transmutable`), and described in the IDL as an enum of unit
/// variants: Borsh encodes a unit variant as its index, so the bytes are the same. Values must
/// count from 0 in the order written (checked at compile time).
#[macro_export]
macro_rules! idl_enum {
    ($(#[doc = $doc:literal])* pub struct $name:ident { $($(#[doc = $vdoc:literal])* $variant:ident = $value:literal),* $(,)? }) => {
        $(#[doc = $doc])*
        #[repr(transparent)]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name(pub u8);

        #[allow(non_upper_case_globals)]
        impl $name {
            $($(#[doc = $vdoc])* pub const $variant: Self = Self($value);)*

            /// Whether the byte is one of the named values (an argument may hold any byte).
            #[inline(always)]
            pub const fn is_known(self) -> bool {
                (self.0 as usize) < <Self as $crate::idl::IdlEnum>::VARIANTS.len()
            }
        }

        const _: () = {
            let values: &[u8] = &[$($value),*];
            let mut index = 0;
            while index < values.len() {
                assert!(values[index] as usize == index, "variants count from 0 in order");
                index += 1;
            }
        };

        // SAFETY: a transparent wrapper of one byte.
        unsafe impl $crate::pod::Transmutable for $name {}

        impl $crate::idl::IdlField for $name {
            const TY: $crate::idl::IdlTy = $crate::idl::IdlTy::Defined(stringify!($name));
        }

        impl $crate::idl::IdlEnum for $name {
            const NAME: &'static str = stringify!($name);
            const DOCS: &'static str = concat!($($doc, "\n",)* "");
            const VARIANTS: &'static [&'static str] = &[$(stringify!($variant)),*];
        }
    };
}

/// Declares an instruction's interface in a module named after it: its discriminator
/// (`global:<name>`), the `u64` the dispatcher matches, and its IDL entry (accounts in the
/// order the processor unpacks them, arguments from the `$args` struct's fields).
// `crate::ID` is meant: the id of the interface crate that declares the instruction.
#[allow(clippy::crate_in_macro_def)]
#[macro_export]
macro_rules! instruction_def {
    ($(#[doc = $doc:literal])* $name:ident($args:ty) [$($account:expr),* $(,)?]) => {
        $(#[doc = $doc])*
        pub mod $name {
            #[allow(unused_imports)]
            use super::*;
            /// `sha256("global:<name>")[..8]`
            pub const DISCRIMINATOR: [u8; 8] = $crate::discriminator::instruction(stringify!($name));
            /// The discriminator as the dispatcher matches it.
            pub const DISCRIMINATOR_U64: u64 = u64::from_le_bytes(DISCRIMINATOR);
            /// The instruction's IDL entry.
            pub const IDL: $crate::idl::IdlInstructionDef = $crate::idl::IdlInstructionDef {
                name: stringify!($name),
                docs: concat!($($doc, "\n",)* ""),
                discriminator: DISCRIMINATOR,
                accounts: &[$($account),*],
                args: <$args as $crate::idl::IdlStruct>::FIELDS,
            };
            /// How many accounts the instruction takes.
            pub const ACCOUNT_COUNT: usize = IDL.accounts.len();
            /// What a call of this instruction marks each account, in order (from `IDL`).
            pub const ACCOUNT_FLAGS: [$crate::idl::AccountFlags; ACCOUNT_COUNT] =
                $crate::idl::account_flags(IDL.accounts);
            /// The instruction's data length: discriminator and arguments.
            pub const DATA_LEN: usize = 8 + core::mem::size_of::<$args>();
            /// A call of this instruction from another program: the accounts in the order above,
            /// marked and encoded as declared here, so no caller writes the bytes by hand.
            #[inline(always)]
            pub fn cpi<'a>(
                accounts: [&'a $crate::AccountView; ACCOUNT_COUNT],
                args: &$args,
            ) -> $crate::cpi::DeclaredCall<'a, ACCOUNT_COUNT, DATA_LEN> {
                let mut data = [0u8; DATA_LEN];
                data[..8].copy_from_slice(&DISCRIMINATOR);
                data[8..].copy_from_slice($crate::pod::bytes_of(args));
                $crate::cpi::DeclaredCall {
                    program_id: &crate::ID,
                    flags: &ACCOUNT_FLAGS,
                    accounts,
                    data,
                }
            }
        }
    };
}

/// Declares `ALL`, every instruction of a program for its IDL: the ones named, then the admin
/// family every program shares (see [`crate::admin_instructions!`]).
#[macro_export]
macro_rules! idl_instructions {
    ($($name:ident),* $(,)?) => {
        /// Every instruction, for the IDL.
        pub const ALL: &[$crate::idl::IdlInstructionDef] = &[
            $($name::IDL,)* set_authority::IDL, set_pause_authority::IDL, set_paused::IDL,
        ];

        /// The most accounts any instruction lists: the entrypoint's capacity, so a longer
        /// account list can never be cut short.
        pub const MAX_ACCOUNTS: usize = $crate::idl::max_accounts(ALL);
    };
}

/// The longest account list of `instructions`.
pub const fn max_accounts(instructions: &[IdlInstructionDef]) -> usize {
    let mut most = 0;
    let mut i = 0;
    while i < instructions.len() {
        if instructions[i].accounts.len() > most {
            most = instructions[i].accounts.len();
        }
        i = i.wrapping_add(1);
    }
    most
}

/// Declares `ALL`, every event of a program for its IDL: the ones named, then the events every
/// program's admin family emits (`ConfigUpdated` at creation, one slim event per setter).
#[macro_export]
macro_rules! idl_events {
    ($($event:ty),* $(,)?) => {
        /// Every event, for the IDL.
        pub const ALL: &[$crate::idl::IdlTypeDef] = &[
            $($crate::idl::IdlTypeDef::event::<$event>(),)*
            $crate::idl::IdlTypeDef::event::<$crate::admin::ConfigUpdated>(),
            $crate::idl::IdlTypeDef::event::<$crate::admin::AuthoritySet>(),
            $crate::idl::IdlTypeDef::event::<$crate::admin::PauseAuthoritySet>(),
            $crate::idl::IdlTypeDef::event::<$crate::admin::PauseSet>(),
        ];
    };
}

/// Declares `IDL`, a program's interface from which `tools/idl-gen` writes its Anchor IDL. The
/// version, address (`ID_STR`), instructions (`instruction::ALL`) and events (`event::ALL`) are
/// the interface crate's own; the call names the rest.
#[macro_export]
macro_rules! idl_program {
    (
        $name:literal, $docs:literal,
        accounts: [$($account:ty),* $(,)?],
        types: $types:expr,
        errors: $errors:expr,
        constants: $constants:expr $(,)?
    ) => {
        /// The program's interface, from which `tools/idl-gen` writes its Anchor IDL.
        pub const IDL: $crate::idl::IdlProgramDef = $crate::idl::IdlProgramDef {
            name: $name,
            version: env!("CARGO_PKG_VERSION"),
            docs: $docs,
            address: ID_STR,
            instructions: instruction::ALL,
            accounts: &[$($crate::idl::IdlTypeDef::account::<$account>()),*],
            events: event::ALL,
            types: $types,
            errors: $errors,
            constants: $constants,
        };
    };
}
