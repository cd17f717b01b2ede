//! Compile-time descriptions of a program's interface, from which `tools/idl-gen` writes the
//! Anchor IDL (spec 0.1.0). They sit next to the code they describe (state structs, events,
//! instruction arguments and account lists) so there is one source of truth; none of it is
//! linked into the on-chain binary.
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
    /// `[u8; N]`
    Bytes(usize),
    /// A struct listed in the IDL's `types`.
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

impl<const N: usize> IdlField for [u8; N] {
    const TY: IdlTy = IdlTy::Bytes(N);
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
    pub optional: bool,
    /// A fixed address (programs, sysvars), base58.
    pub address: Option<&'static str>,
    /// PDA seeds, so clients can fill the account in.
    pub pda: &'static [IdlSeed],
    /// The program the PDA belongs to, base58 (`None`: this program).
    pub pda_program: Option<&'static str>,
}

impl IdlAccountDef {
    /// A read-only, non-signing account.
    pub const fn new(name: &'static str, docs: &'static str) -> Self {
        Self {
            name,
            docs,
            writable: false,
            signer: false,
            optional: false,
            address: None,
            pda: &[],
            pda_program: None,
        }
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
    /// Account types: (name, discriminator, fields).
    pub accounts: &'static [IdlTypeDef],
    pub events: &'static [IdlTypeDef],
    /// Other named structs used by fields.
    pub types: &'static [IdlTypeDef],
    pub errors: &'static [(u32, &'static str, &'static str)],
}

/// A named struct with its discriminator (zero for plain types).
#[derive(Clone, Copy, Debug)]
pub struct IdlTypeDef {
    pub name: &'static str,
    pub docs: &'static str,
    pub discriminator: [u8; 8],
    pub fields: &'static [IdlFieldDef],
}

impl IdlTypeDef {
    /// Describes the account type `T`.
    pub const fn account<T: IdlStruct + crate::state::AccountState>() -> Self {
        Self {
            name: T::NAME,
            docs: T::DOCS,
            discriminator: T::DISCRIMINATOR,
            fields: T::FIELDS,
        }
    }

    /// Describes the event `T`.
    pub const fn event<T: IdlStruct + crate::event::Event>() -> Self {
        Self {
            name: T::NAME,
            docs: T::DOCS,
            discriminator: T::DISCRIMINATOR,
            fields: T::FIELDS,
        }
    }

    /// Describes `T`, a plain struct that accounts, events or arguments nest.
    pub const fn plain<T: IdlStruct>() -> Self {
        Self {
            name: T::NAME,
            docs: T::DOCS,
            discriminator: [0; 8],
            fields: T::FIELDS,
        }
    }
}

/// Arguments of an instruction that takes none.
pub struct NoArgs;

impl IdlStruct for NoArgs {
    const NAME: &'static str = "NoArgs";
    const DOCS: &'static str = "";
    const FIELDS: &'static [IdlFieldDef] = &[];
}

/// Declares an instruction's interface in a module named after it: its discriminator
/// (`global:<name>`), the `u64` the dispatcher matches, and its IDL entry (accounts in the
/// order the processor unpacks them, arguments from the `$args` struct's fields).
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
        }
    };
}
