//! Plain-old-data integers stored as little-endian byte arrays.
//!
//! Every field of an account or event is one of these (or an `Address`, or a byte array),
//! so structs are `#[repr(C)]` with alignment 1 and no padding. Their in-memory bytes are
//! exactly their Borsh encoding, which is what lets Anchor's coder decode them and lets the
//! programs read them in place without copying.

/// Types that can be viewed directly over account or instruction bytes.
///
/// # Safety
/// Implementors must have alignment 1, no padding, and accept every bit pattern.
pub unsafe trait Transmutable: Copy {}

macro_rules! pod_int {
    ($(#[$doc:meta])* $name:ident, $int:ty, $len:literal) => {
        $(#[$doc])*
        #[repr(transparent)]
        #[derive(Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name(pub [u8; $len]);

        impl $name {
            /// Wraps a native integer.
            #[inline(always)]
            pub const fn new(value: $int) -> Self {
                Self(value.to_le_bytes())
            }

            /// The native integer.
            #[inline(always)]
            pub const fn get(&self) -> $int {
                <$int>::from_le_bytes(self.0)
            }

            /// Overwrites the value.
            #[inline(always)]
            pub fn set(&mut self, value: $int) {
                self.0 = value.to_le_bytes();
            }

            /// Adds `value` in place; fails with `ArithmeticOverflow` and changes nothing on
            /// overflow.
            #[inline(always)]
            pub fn try_add(&mut self, value: $int) -> Result<(), pinocchio::error::ProgramError> {
                match crate::math::CheckedSum::checked_sum(self.get(), value) {
                    Some(sum) => {
                        self.set(sum);
                        Ok(())
                    }
                    None => Err(crate::error::CommonError::ArithmeticOverflow.into()),
                }
            }

            /// Subtracts `value` in place; fails with `ArithmeticOverflow` and changes nothing
            /// on underflow.
            #[inline(always)]
            pub fn try_sub(&mut self, value: $int) -> Result<(), pinocchio::error::ProgramError> {
                let difference = self.get().checked_sub(value).ok_or(crate::error::CommonError::ArithmeticOverflow)?;
                self.set(difference);
                Ok(())
            }
        }

        impl From<$int> for $name {
            #[inline(always)]
            fn from(value: $int) -> Self {
                Self::new(value)
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                self.get().fmt(f)
            }
        }

        // SAFETY: a transparent wrapper of a byte array: alignment 1, no padding, any bits.
        unsafe impl Transmutable for $name {}
    };
}

pod_int!(/// A little-endian `u16`.
    PodU16, u16, 2);
pod_int!(/// A little-endian `u32`.
    PodU32, u32, 4);
pod_int!(/// A little-endian `u64`.
    PodU64, u64, 8);
pod_int!(/// A little-endian `i64`.
    PodI64, i64, 8);
pod_int!(/// A little-endian `u128`.
    PodU128, u128, 16);

/// A Borsh `bool`: one byte, 0 or 1. Any non-zero byte reads as `true`.
#[repr(transparent)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct PodBool(pub u8);

impl PodBool {
    /// Wraps a native bool.
    #[inline(always)]
    pub const fn new(value: bool) -> Self {
        Self(value as u8)
    }

    /// The native bool.
    #[inline(always)]
    pub const fn get(&self) -> bool {
        self.0 != 0
    }

    /// Overwrites the value.
    #[inline(always)]
    pub fn set(&mut self, value: bool) {
        self.0 = value as u8;
    }
}

// SAFETY: a transparent wrapper of one byte.
unsafe impl Transmutable for PodBool {}
// SAFETY: arrays of align-1 types that accept any bits have alignment 1, no padding (an
// array's stride is its element's size) and accept any bits.
unsafe impl<T: Transmutable, const N: usize> Transmutable for [T; N] {}
// SAFETY: `u8` is a single byte.
unsafe impl Transmutable for u8 {}
// SAFETY: `Address` is a transparent `[u8; 32]`.
unsafe impl Transmutable for crate::Address {}

/// Views `bytes` as a `T` in place.
///
/// Returns `None` unless `bytes` is exactly `size_of::<T>()` long.
#[inline(always)]
pub fn from_bytes<T: Transmutable>(bytes: &[u8]) -> Option<&T> {
    if bytes.len() != core::mem::size_of::<T>() {
        return None;
    }
    // SAFETY: the length matches and `Transmutable` guarantees alignment 1 and that every
    // bit pattern is a valid `T`.
    Some(unsafe { &*(bytes.as_ptr() as *const T) })
}

/// Views `bytes` as a mutable `T` in place; `None` unless the length matches exactly.
#[inline(always)]
pub fn from_bytes_mut<T: Transmutable>(bytes: &mut [u8]) -> Option<&mut T> {
    if bytes.len() != core::mem::size_of::<T>() {
        return None;
    }
    // SAFETY: as in `from_bytes`, and the unique borrow of `bytes` is carried over.
    Some(unsafe { &mut *(bytes.as_mut_ptr() as *mut T) })
}

/// The bytes of a `T`, which are its Borsh encoding.
#[inline(always)]
pub fn bytes_of<T: Transmutable>(value: &T) -> &[u8] {
    // SAFETY: `T` has no padding, so every byte of it is initialized.
    unsafe {
        core::slice::from_raw_parts(value as *const T as *const u8, core::mem::size_of::<T>())
    }
}
