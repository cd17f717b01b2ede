//! Program-owned accounts: `8-byte Anchor discriminator ‖ #[repr(C)] struct`, read in place.
//!
//! `load` trusts an account only after checking, in this order, that this program owns it,
//! that its length is exactly the type's, and that it starts with the type's discriminator.
//! A discriminator is written only by [`create`], into an account it has just created at the
//! canonical PDA of its seeds: so those three checks also prove the account is that PDA.
use crate::discriminator::DISCRIMINATOR_LEN;
use crate::error::{err, CommonError};
use crate::pda::{canonical_bump, MAX_SEEDS};
use crate::pod::{from_bytes, from_bytes_mut, Transmutable};
use crate::system::CreatePdaAccount;
use crate::token;
use pinocchio::account::{Ref, RefMut};
use pinocchio::cpi::{Seed, Signer};
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
    if !crate::checks::owned_by(account, program_id) {
        return err(CommonError::InvalidAccountOwner);
    }
    if account.data_len() != T::LEN {
        return err(CommonError::InvalidDiscriminator);
    }
    Ok(())
}

/// Requires account data of `check_layout`'s length to start with `T`'s discriminator.
#[inline(always)]
fn check_discriminator<T: AccountState>(bytes: &[u8]) -> Result<(), ProgramError> {
    if discriminator_of(bytes) != u64::from_le_bytes(T::DISCRIMINATOR) {
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
        check_discriminator::<T>(bytes)?;
        from_bytes::<T>(&bytes[DISCRIMINATOR_LEN..]).ok_or(CommonError::InvalidDiscriminator.into())
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
        check_discriminator::<T>(bytes)?;
        from_bytes_mut::<T>(&mut bytes[DISCRIMINATOR_LEN..])
            .ok_or(CommonError::InvalidDiscriminator.into())
    })
    .map_err(|(_, e)| e)
}

/// An account type that belongs to one wallet, which alone may change it (a stake position,
/// a provider, an escrow).
pub trait Held: AccountState {
    /// The error for any other wallet (the program's own name for it).
    const NOT_HOLDER: ProgramError;
    /// The wallet.
    fn holder(&self) -> &Address;
}

/// Implements [`Held`]: `held!(Type.field, error)`, `field` naming the wallet and `error` (a
/// program error enum's variant) refusing any other.
#[macro_export]
macro_rules! held {
    ($type:ident . $field:ident, $error:expr) => {
        impl $crate::state::Held for $type {
            const NOT_HOLDER: $crate::ProgramError = $crate::ProgramError::Custom($error as u32);
            fn holder(&self) -> &$crate::Address {
                &self.$field
            }
        }
    };
}

/// Mutably loads `account` as `holder`'s `T`: [`load_mut`]'s checks, then `T`'s holder must be
/// `holder` (`T::NOT_HOLDER` otherwise). Inlined: the holder check is a few instructions next
/// to `load_mut`'s call, on the paths users take most.
#[inline(always)]
pub fn load_held<'a, T: Held>(
    account: &'a AccountView,
    holder: &AccountView,
    program_id: &Address,
) -> Result<RefMut<'a, T>, ProgramError> {
    let loaded = load_mut::<T>(account, program_id)?;
    if !crate::checks::same(loaded.holder(), holder.address()) {
        return Err(T::NOT_HOLDER);
    }
    Ok(loaded)
}

/// A program-derived account to create: its address must be the canonical PDA of `seeds`
/// (without the bump) under `program_id`, and `payer` pays its rent.
pub struct NewPda<'a, 'b> {
    pub payer: &'a AccountView,
    pub account: &'a AccountView,
    pub seeds: &'b [&'b [u8]],
    pub program_id: &'b Address,
}

impl NewPda<'_, '_> {
    /// Checks the canonical bump, creates the account with `space` bytes owned by `owner`
    /// (the PDA signing with its seeds), and returns the bump.
    #[inline(never)]
    fn create_account(&self, space: usize, owner: &Address) -> Result<u8, ProgramError> {
        let bump = [canonical_bump(
            self.account.address(),
            self.seeds,
            self.program_id,
        )?];
        // Every slot starts as the bump, then the seeds overwrite the first ones: the signer's
        // seeds are `seeds ‖ [bump]`. `canonical_bump` refused more than `MAX_SEEDS` seeds.
        let mut seeds: [Seed; MAX_SEEDS + 1] = [(); MAX_SEEDS + 1].map(|()| Seed::from(&bump));
        for (slot, seed) in seeds.iter_mut().zip(self.seeds) {
            *slot = Seed::from(*seed);
        }
        let count = self.seeds.len();
        CreatePdaAccount {
            payer: self.payer,
            account: self.account,
            space,
            owner,
        }
        .invoke(&Signer::from(&seeds[..=count]))?;
        Ok(bump[0])
    }
}

/// Creates `new.account` as a `T` at the canonical PDA of its seeds (refused with
/// `AlreadyInitialized` if this program owns it already), writes `T`'s discriminator, and
/// returns it with its bump. The only writer of discriminators: see the module docs.
#[inline(always)]
pub fn create<'a, T: AccountState>(
    new: &NewPda<'a, '_>,
) -> Result<(RefMut<'a, T>, u8), ProgramError> {
    if crate::checks::owned_by(new.account, new.program_id) {
        return err(CommonError::AlreadyInitialized);
    }
    let bump = new.create_account(T::LEN, new.program_id)?;
    Ok((init::<T>(new.account, new.program_id)?, bump))
}

/// Creates `new.account` as a token account of `mint` owned by `authority`, at the canonical
/// PDA of its seeds under `new.program_id`; returns its bump.
#[inline(never)]
pub fn create_token_account(
    new: &NewPda,
    mint: &AccountView,
    authority: &Address,
) -> Result<u8, ProgramError> {
    let bump = new.create_account(token::TOKEN_ACCOUNT_LEN, &token::TOKEN_PROGRAM_ID)?;
    token::initialize_account(new.account, mint, authority)?;
    Ok(bump)
}

/// Writes `T`'s discriminator into a freshly created (all-zero) account and returns it.
#[inline(never)]
fn init<'a, T: AccountState>(
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
    // A struct with an Anchor discriminator: `$trait`'s, from `$namespace:<Name>`.
    (@discriminated $trait:path, $namespace:ident; $(#[doc = $doc:literal])* pub struct $name:ident { $($body:tt)* }) => {
        $crate::borsh_struct! { $(#[doc = $doc])* pub struct $name { $($body)* } }

        impl $trait for $name {
            const DISCRIMINATOR: [u8; 8] = $crate::discriminator::$namespace(stringify!($name));
        }
    };
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
    ($($item:tt)*) => {
        $crate::borsh_struct! { @discriminated $crate::state::AccountState, account; $($item)* }
    };
}
