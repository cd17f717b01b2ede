//! Program-owned accounts: `8-byte Anchor discriminator ‖ #[repr(C)] struct`, read in place.
//!
//! `load` trusts an account only after checking, in this order, that this program owns it,
//! that its length is exactly the type's, and that it starts with the type's discriminator.
//! A discriminator is written only by [`create`], into an account it has just created at the
//! canonical PDA of its seeds: so those three checks also prove the account is that PDA.
use crate::discriminator::DISCRIMINATOR_LEN;
use crate::error::{err, CommonError};
use crate::pda::PdaSearch;
use crate::pod::Transmutable;
use crate::system::CreatePdaAccount;
use crate::token;
use pinocchio::account::{Ref, RefMut};
use pinocchio::{error::ProgramError, AccountView, Address};

/// A struct stored in a program-owned account behind its Anchor discriminator.
pub trait AccountState: Transmutable {
    const DISCRIMINATOR: [u8; DISCRIMINATOR_LEN];
    /// Account size: discriminator plus struct.
    const LEN: usize = DISCRIMINATOR_LEN + core::mem::size_of::<Self>();
    /// What the loaders check, handed to their shared core.
    const LAYOUT: Layout = Layout::new(core::mem::size_of::<Self>(), Self::DISCRIMINATOR);
}

/// An account type as the loaders check it: its exact size and its discriminator.
///
/// The loaders are one out-of-line core for every account type, given a `Layout`, and a
/// generic wrapper per type that is only a pointer cast: a generic loader would be a copy of
/// the checks per account type (about 550 bytes each).
pub struct Layout {
    /// Account size: discriminator plus struct, so at least `DISCRIMINATOR_LEN` (the loaders
    /// read the discriminator of an account of this length without checking it again).
    len: usize,
    /// The discriminator, as the little-endian word the first 8 bytes are compared as.
    discriminator: u64,
}

impl Layout {
    /// The layout of an account of `DISCRIMINATOR_LEN + body` bytes with `discriminator`.
    const fn new(body: usize, discriminator: [u8; DISCRIMINATOR_LEN]) -> Self {
        Layout {
            len: match DISCRIMINATOR_LEN.checked_add(body) {
                Some(len) => len,
                None => panic!("account too large"),
            },
            discriminator: u64::from_le_bytes(discriminator),
        }
    }
}

/// The discriminator of `data` as the `u64` it is compared as.
///
/// # Safety
/// `data` is at least `DISCRIMINATOR_LEN` bytes long.
#[inline(always)]
unsafe fn discriminator_of(data: &[u8]) -> u64 {
    // SAFETY: the caller's contract; alignment 1 (`read_unaligned`).
    unsafe { (data.as_ptr() as *const u64).read_unaligned() }
}

/// The `T` after the discriminator of data a loader core has checked.
///
/// # Safety
/// `data` must be `T::LEN` bytes long (the cores check the length against `T::LAYOUT`).
#[inline(always)]
unsafe fn body<T: AccountState>(data: &[u8]) -> &T {
    // SAFETY: `data` is `DISCRIMINATOR_LEN + size_of::<T>()` bytes (the caller's contract), and
    // `T` is `Transmutable`: alignment 1, any bits.
    unsafe { &*(data.as_ptr().add(DISCRIMINATOR_LEN) as *const T) }
}

/// [`body`], mutably.
///
/// # Safety
/// As for [`body`].
#[inline(always)]
unsafe fn body_mut<T: AccountState>(data: &mut [u8]) -> &mut T {
    // SAFETY: as in `body`, and the borrow is unique.
    unsafe { &mut *(data.as_mut_ptr().add(DISCRIMINATOR_LEN) as *mut T) }
}

/// A loader core's refusal, out of line: each failed check branches to its own call instead
/// of first loading its error code into the register a shared error exit returns, which put
/// one instruction per check on the path of every account that passes.
#[cold]
#[inline(never)]
fn refused(error: CommonError) -> ProgramError {
    error.into()
}

/// Requires `account` to be owned by `program_id` and exactly `layout.len` bytes long.
#[inline(always)]
fn check_layout(
    account: &AccountView,
    program_id: &Address,
    layout: &Layout,
) -> Result<(), ProgramError> {
    if !crate::checks::owned_by(account, program_id) {
        return Err(refused(CommonError::InvalidAccountOwner));
    }
    if account.data_len() != layout.len {
        return Err(refused(CommonError::InvalidDiscriminator));
    }
    Ok(())
}

/// The loaders' shared core: the owner, length and discriminator checks, then the struct's
/// data, borrowed. One out-of-line copy per program; [`load_inline`] writes the same checks
/// into its caller.
#[inline(never)]
fn load_data<'a>(
    account: &'a AccountView,
    program_id: &Address,
    layout: &Layout,
) -> Result<Ref<'a, [u8]>, ProgramError> {
    checked_data(account, program_id, layout)
}

/// [`load_data`]'s checks, written where they are called.
#[inline(always)]
fn checked_data<'a>(
    account: &'a AccountView,
    program_id: &Address,
    layout: &Layout,
) -> Result<Ref<'a, [u8]>, ProgramError> {
    check_layout(account, program_id, layout)?;
    let data = account.try_borrow()?;
    // SAFETY: `check_layout` checked the length, `layout.len >= DISCRIMINATOR_LEN`.
    if unsafe { discriminator_of(&data) } != layout.discriminator {
        return Err(refused(CommonError::InvalidDiscriminator));
    }
    Ok(data)
}

/// [`load_data`], mutably: also requires the account to be writable.
#[inline(never)]
fn load_data_mut<'a>(
    account: &'a AccountView,
    program_id: &Address,
    layout: &Layout,
) -> Result<RefMut<'a, [u8]>, ProgramError> {
    checked_data_mut(account, program_id, layout)
}

/// [`load_data_mut`]'s checks, written where they are called.
#[inline(always)]
fn checked_data_mut<'a>(
    account: &'a AccountView,
    program_id: &Address,
    layout: &Layout,
) -> Result<RefMut<'a, [u8]>, ProgramError> {
    check_layout(account, program_id, layout)?;
    if !account.is_writable() {
        return Err(refused(CommonError::AccountNotWritable));
    }
    let data = account.try_borrow_mut()?;
    // SAFETY: as in `checked_data`.
    if unsafe { discriminator_of(&data) } != layout.discriminator {
        return Err(refused(CommonError::InvalidDiscriminator));
    }
    Ok(data)
}

/// Borrows `account` as a `T` after the owner, length and discriminator checks.
#[inline(always)]
pub fn load<'a, T: AccountState>(
    account: &'a AccountView,
    program_id: &Address,
) -> Result<Ref<'a, T>, ProgramError> {
    let data = load_data(account, program_id, &T::LAYOUT)?;
    // SAFETY: `load_data` checked the length against `T::LAYOUT`.
    Ok(Ref::map(data, |data| unsafe { body::<T>(data) }))
}

/// Mutably borrows `account` as a `T`; also requires it to be writable.
#[inline(always)]
pub fn load_mut<'a, T: AccountState>(
    account: &'a AccountView,
    program_id: &Address,
) -> Result<RefMut<'a, T>, ProgramError> {
    let data = load_data_mut(account, program_id, &T::LAYOUT)?;
    // SAFETY: `load_data_mut` checked the length against `T::LAYOUT`.
    Ok(RefMut::map(data, |data| unsafe { body_mut::<T>(data) }))
}

/// [`load`] with its checks written into the caller: no call, and the borrow handed over in
/// registers rather than through a `Result` on the stack (about 15 CU a load), for about
/// 250 bytes a call site. For an instruction whose budget that call decides.
#[inline(always)]
pub fn load_inline<'a, T: AccountState>(
    account: &'a AccountView,
    program_id: &Address,
) -> Result<Ref<'a, T>, ProgramError> {
    let data = checked_data(account, program_id, &T::LAYOUT)?;
    // SAFETY: `checked_data` checked the length against `T::LAYOUT`.
    Ok(Ref::map(data, |data| unsafe { body::<T>(data) }))
}

/// [`load_mut`] with its checks written into the caller (see [`load_inline`]).
#[inline(always)]
pub fn load_mut_inline<'a, T: AccountState>(
    account: &'a AccountView,
    program_id: &Address,
) -> Result<RefMut<'a, T>, ProgramError> {
    let data = checked_data_mut(account, program_id, &T::LAYOUT)?;
    // SAFETY: `checked_data_mut` checked the length against `T::LAYOUT`.
    Ok(RefMut::map(data, |data| unsafe { body_mut::<T>(data) }))
}

/// The `T` in `account` without a borrow or a copy: for a processor that has loaded the account
/// as a `T` (so the loader's checks passed) and dropped that borrow before a CPI, to read what
/// the CPI needs from it (a PDA's seeds) in place rather than copy the whole struct out first.
///
/// # Safety
/// `account` was loaded as a `T` earlier in this instruction, and nothing writes its data
/// while the returned reference lives (a CPI may not: only this program owns the account).
#[inline(always)]
pub unsafe fn loaded<T: AccountState>(account: &AccountView) -> &T {
    // SAFETY: the caller's contract: the length and discriminator were checked by a loader.
    unsafe { body::<T>(account.borrow_unchecked()) }
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
    /// (the PDA signing with its seeds), and returns the bump. The search's hash input doubles
    /// as the signer seeds: no second array is built.
    #[inline(never)]
    fn create_account(&self, space: usize, owner: &Address) -> Result<u8, ProgramError> {
        let mut search = core::mem::MaybeUninit::uninit();
        let search = PdaSearch::find(&mut search, self.seeds, self.program_id)?;
        if !crate::checks::same(&search.address, self.account.address()) {
            return err(CommonError::InvalidPda);
        }
        CreatePdaAccount {
            payer: self.payer,
            account: self.account,
            space,
            owner,
        }
        .invoke(&search.signer())?;
        Ok(search.bump())
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
#[inline(always)]
fn init<'a, T: AccountState>(
    account: &'a AccountView,
    program_id: &Address,
) -> Result<RefMut<'a, T>, ProgramError> {
    let data = init_data(account, program_id, &T::LAYOUT)?;
    // SAFETY: `init_data` checked the length against `T::LAYOUT`.
    Ok(RefMut::map(data, |data| unsafe { body_mut::<T>(data) }))
}

/// [`init`]'s core, shared by every account type: checks the new account's owner and length,
/// refuses one that already has a discriminator, writes `layout`'s.
#[inline(never)]
fn init_data<'a>(
    account: &'a AccountView,
    program_id: &Address,
    layout: &Layout,
) -> Result<RefMut<'a, [u8]>, ProgramError> {
    check_layout(account, program_id, layout)?;
    let mut data = account.try_borrow_mut()?;
    // SAFETY: `check_layout` checked the length, `layout.len >= DISCRIMINATOR_LEN`.
    if unsafe { discriminator_of(&data) } != 0 {
        return err(CommonError::AlreadyInitialized);
    }
    if let Some(discriminator) = data.first_chunk_mut::<DISCRIMINATOR_LEN>() {
        *discriminator = layout.discriminator.to_le_bytes();
    }
    Ok(data)
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
