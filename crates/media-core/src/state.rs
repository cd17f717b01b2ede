//! Program-owned accounts: `8-byte Anchor discriminator ‖ #[repr(C)] struct`, read in place.
//!
//! `load` trusts an account only after checking, in this order, that this program owns it,
//! that its length is exactly the type's, and that it starts with the type's discriminator.
//! Since a program only ever writes a discriminator into an account it created at the
//! canonical PDA, those three checks also prove the account is the PDA the program made.
use crate::discriminator::DISCRIMINATOR_LEN;
use crate::error::{err, CommonError};
use crate::pod::{from_bytes, from_bytes_mut, Transmutable};
use pinocchio::account::{Ref, RefMut};
use pinocchio::{error::ProgramError, AccountView, Address};

/// A struct stored in a program-owned account behind its Anchor discriminator.
pub trait AccountState: Transmutable {
    const DISCRIMINATOR: [u8; DISCRIMINATOR_LEN];
    /// Account size: discriminator plus struct.
    const LEN: usize = DISCRIMINATOR_LEN + core::mem::size_of::<Self>();
}

/// The first 8 bytes of account data as the `u64` a discriminator is compared as.
#[inline(always)]
fn discriminator_of(bytes: &[u8]) -> u64 {
    let mut word = [0u8; DISCRIMINATOR_LEN];
    word.copy_from_slice(&bytes[..DISCRIMINATOR_LEN]);
    u64::from_le_bytes(word)
}

#[inline(always)]
fn check_layout<T: AccountState>(
    account: &AccountView,
    program_id: &Address,
) -> Result<(), ProgramError> {
    if !account.owned_by(program_id) {
        return err(CommonError::InvalidAccountOwner);
    }
    if account.data_len() != T::LEN {
        return err(CommonError::InvalidDiscriminator);
    }
    Ok(())
}

/// Borrows `account` as a `T` after the owner, length and discriminator checks.
#[inline(never)]
pub fn load<'a, T: AccountState>(
    account: &'a AccountView,
    program_id: &Address,
) -> Result<Ref<'a, T>, ProgramError> {
    check_layout::<T>(account, program_id)?;
    let data = account.try_borrow()?;
    Ref::try_map(data, |bytes| {
        if discriminator_of(bytes) != u64::from_le_bytes(T::DISCRIMINATOR) {
            return err(CommonError::InvalidDiscriminator);
        }
        let body = &bytes[DISCRIMINATOR_LEN..];
        from_bytes::<T>(body).ok_or(CommonError::InvalidDiscriminator.into())
    })
    .map_err(|(_, e)| e)
}

/// Mutably borrows `account` as a `T`; also requires it to be writable.
#[inline(never)]
pub fn load_mut<'a, T: AccountState>(
    account: &'a AccountView,
    program_id: &Address,
) -> Result<RefMut<'a, T>, ProgramError> {
    check_layout::<T>(account, program_id)?;
    if !account.is_writable() {
        return err(CommonError::AccountNotWritable);
    }
    let data = account.try_borrow_mut()?;
    RefMut::try_map(data, |bytes| {
        if discriminator_of(bytes) != u64::from_le_bytes(T::DISCRIMINATOR) {
            return err(CommonError::InvalidDiscriminator);
        }
        let body = &mut bytes[DISCRIMINATOR_LEN..];
        from_bytes_mut::<T>(body).ok_or(CommonError::InvalidDiscriminator.into())
    })
    .map_err(|(_, e)| e)
}

/// Writes `T`'s discriminator into a freshly created (all-zero) account and returns it.
#[inline(never)]
pub fn init<'a, T: AccountState>(
    account: &'a AccountView,
    program_id: &Address,
) -> Result<RefMut<'a, T>, ProgramError> {
    check_layout::<T>(account, program_id)?;
    let data = account.try_borrow_mut()?;
    RefMut::try_map(data, |bytes| {
        if discriminator_of(bytes) != 0 {
            return err(CommonError::AlreadyInitialized);
        }
        let (disc, body) = bytes.split_at_mut(DISCRIMINATOR_LEN);
        disc.copy_from_slice(&T::DISCRIMINATOR);
        from_bytes_mut::<T>(body).ok_or(CommonError::InvalidDiscriminator.into())
    })
    .map_err(|(_, e)| e)
}

/// Defines a Borsh-compatible zero-copy struct and its IDL description.
///
/// Fields must be align-1 types (`Address`, `Pod*`, `u8`, `[u8; N]`); a compile-time check
/// proves the struct has no padding, so its bytes are its Borsh encoding.
#[macro_export]
macro_rules! borsh_struct {
    ($(#[doc = $doc:literal])* pub struct $name:ident { $($(#[doc = $fdoc:literal])* pub $field:ident : $ty:ty),* $(,)? }) => {
        $(#[doc = $doc])*
        #[repr(C)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name {
            $($(#[doc = $fdoc])* pub $field: $ty,)*
        }

        const _: () = {
            assert!(core::mem::align_of::<$name>() == 1, "fields must have alignment 1");
            assert!(core::mem::size_of::<$name>() == 0 $(+ core::mem::size_of::<$ty>())*, "struct has padding");
        };

        // SAFETY: every field is `Transmutable` (alignment 1, any bit pattern) and the
        // assertions above prove alignment 1 and no padding for the struct.
        unsafe impl $crate::pod::Transmutable for $name {}

        impl $crate::idl::IdlStruct for $name {
            const NAME: &'static str = stringify!($name);
            const DOCS: &'static str = concat!($($doc, "\n",)* "");
            const FIELDS: &'static [$crate::idl::IdlFieldDef] = &[
                $($crate::idl::IdlFieldDef {
                    name: stringify!($field),
                    ty: <$ty as $crate::idl::IdlField>::TY,
                },)*
            ];
        }
    };
}

/// Defines an account type: a [`borsh_struct!`] with the `account:<Name>` discriminator.
#[macro_export]
macro_rules! account_state {
    ($(#[doc = $doc:literal])* pub struct $name:ident { $($body:tt)* }) => {
        $crate::borsh_struct! { $(#[doc = $doc])* pub struct $name { $($body)* } }

        impl $crate::state::AccountState for $name {
            const DISCRIMINATOR: [u8; 8] = $crate::discriminator::account(stringify!($name));
        }
    };
}
