//! Errors: one enum per program, numbered from 6000 as Anchor's `#[error_code]` numbers them.
//!
//! The first block of every program's enum is the common list below (account validation,
//! arithmetic, authority, pause), injected by [`program_errors!`] so the shared loaders can
//! return them without knowing which program they run in. Program-specific errors start at
//! 6100. Nothing is logged on failure: the custom code is already in the transaction's error
//! (and in the runtime's `Program <id> failed: custom program error: 0x..` log line), and
//! clients name it from the IDL, which lists every code with its name and message (the SDK's
//! `toMediaError`, Anchor's `ProgramError`). The names and messages stay off-chain.
use pinocchio::error::ProgramError;

/// Calls `$callback! { $($args)* ; <the common errors> }`. The one list of common errors.
#[doc(hidden)]
#[macro_export]
macro_rules! with_common_errors {
    ($callback:path { $($args:tt)* }) => {
        $callback! { $($args)* ;
            InvalidInstructionData = 6000 => "Instruction data is truncated, oversized or malformed",
            UnknownInstruction = 6001 => "Unknown instruction discriminator",
            NotEnoughAccounts = 6002 => "Not enough accounts were passed to the instruction",
            MissingSigner = 6003 => "A required signature is missing",
            AccountNotWritable = 6004 => "An account that must be writable was passed read-only",
            InvalidAccountOwner = 6005 => "An account is not owned by the expected program",
            InvalidDiscriminator = 6006 => "An account holds data of another type or is uninitialized",
            InvalidPda = 6007 => "An account is not the program-derived address expected for its seeds",
            AlreadyInitialized = 6008 => "The account is already initialized",
            DuplicateAccount = 6009 => "The same account was passed for two roles that must differ",
            InvalidMint = 6010 => "A token account or mint does not match the configured mint",
            InvalidTokenProgram = 6011 => "The token program passed is not the SPL Token program",
            InvalidTokenAccount = 6012 => "An account is not a valid SPL token account",
            InvalidSystemProgram = 6013 => "The system program passed is not the System program",
            InvalidSysvar = 6014 => "A sysvar account is not the sysvar expected",
            ArithmeticOverflow = 6015 => "Arithmetic overflow",
            Unauthorized = 6016 => "The signer is not the authority allowed to do this",
            ProgramPaused = 6017 => "The program is paused: this instruction is closed until it is unpaused or the pause lapses",
            ParameterOutOfBounds = 6018 => "A parameter is outside its on-chain bounds",
            InvalidProgram = 6019 => "An account is not the program expected",
            TokenAccountOwnerMismatch = 6020 => "The token account is not owned by the signer",
            NotUpgradeAuthority = 6021 => "Only the program's upgrade authority may initialize its config",
            TokenAccountDelegated = 6022 => "The token account has a delegate, who could move its tokens",
            TokenAccountClosable = 6023 => "The token account has a close authority, who could close it and re-create it as its own",
        }
    };
}

/// Defines a program's error enum: the common errors first, then `$variant = $code => $msg`.
///
/// Generates `From<$name> for ProgramError`, `$name::ALL` (code, name, message: what the IDL
/// lists, host-side only) and `$name::from_code`.
#[macro_export]
macro_rules! program_errors {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident = $code:literal => $msg:literal,)* }) => {
        $crate::with_common_errors!($crate::__program_errors_impl {
            $(#[$meta])* $name { $($variant = $code => $msg,)* }
        });
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __program_errors_impl {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal => $msg:literal,)* } ;
     $($cvariant:ident = $ccode:literal => $cmsg:literal,)*) => {
        $(#[$meta])*
        #[repr(u32)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $(#[doc = $cmsg] $cvariant = $ccode,)*
            $(#[doc = $msg] $variant = $code,)*
        }

        impl $name {
            /// Every error as (code, name, message), in code order.
            pub const ALL: &'static [(u32, &'static str, &'static str)] = &[
                $(($ccode, stringify!($cvariant), $cmsg),)*
                $(($code, stringify!($variant), $msg),)*
            ];

            /// The error with this custom code, if it is one of this program's.
            pub fn from_code(code: u32) -> Option<Self> {
                match code {
                    $($ccode => Some(Self::$cvariant),)*
                    $($code => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }

        impl From<$name> for $crate::ProgramError {
            #[inline(always)]
            fn from(error: $name) -> Self {
                $crate::ProgramError::Custom(error as u32)
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __common_error_enum {
    (; $($cvariant:ident = $ccode:literal => $cmsg:literal,)*) => {
        /// The errors every program shares, with the same codes in every program.
        #[repr(u32)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum CommonError {
            $(#[doc = $cmsg] $cvariant = $ccode,)*
        }

        impl CommonError {
            /// Every common error as (code, name, message).
            pub const ALL: &'static [(u32, &'static str, &'static str)] =
                &[$(($ccode, stringify!($cvariant), $cmsg),)*];
        }
    };
}

with_common_errors!(__common_error_enum {});

impl From<CommonError> for ProgramError {
    #[inline(always)]
    fn from(error: CommonError) -> Self {
        ProgramError::Custom(error as u32)
    }
}

/// Builds a `ProgramError` out of line, so the happy path stays short.
#[cold]
#[inline(never)]
pub fn err<T>(error: CommonError) -> Result<T, ProgramError> {
    Err(error.into())
}
