//! Events, logged as Anchor's `emit!` logs them: `sol_log_data(disc ‖ borsh(event))`.
//!
//! An event logs only what the transaction does not already hold. A field that would repeat an
//! account or argument of the instruction that emits it (the signer, the escrow named, the
//! amount asked for) is left out: `sol_log_data` charges a compute unit per byte on every call,
//! and a reader of the transaction has the value anyway. The SDK's
//! `EVENT_FIELDS_FROM_INSTRUCTION` lists those fields, and `parseTransactionEvents` (which
//! Media Scan's indexer uses) adds them back from the instruction.
use crate::pod::Transmutable;
use crate::syscalls::sol_log_data;
use crate::Address;

/// Largest event body this crate will log.
pub const MAX_EVENT_LEN: usize = 280;

/// An event: a [`crate::borsh_struct!`] with the `event:<Name>` discriminator.
pub trait Event: Transmutable {
    const DISCRIMINATOR: [u8; 8];

    /// Logs the event as one `Program data:` line.
    ///
    /// The line is built where the event is: discriminator and body side by side in one
    /// `#[repr(C)]` value, so the body the caller just wrote lands in place. A shared
    /// out-of-line joiner would zero a line buffer (a `memset` syscall) and copy the body into
    /// it (a `memcpy` syscall) for every event.
    #[inline(always)]
    fn emit(&self) {
        const {
            assert!(
                core::mem::size_of::<Self>() <= MAX_EVENT_LEN,
                "event too large"
            )
        };
        let line = Line {
            discriminator: Self::DISCRIMINATOR,
            body: *self,
        };
        // SAFETY: `Line<Self>` has no padding (a byte array, then an alignment-1 `Self` that
        // has none), so all its bytes are initialized.
        log_line(unsafe {
            core::slice::from_raw_parts(
                &line as *const Line<Self> as *const u8,
                core::mem::size_of::<Line<Self>>(),
            )
        });
    }
}

/// One `Program data:` line: `sol_log_data` base64-encodes each slice it is given separately,
/// and Anchor's parser decodes the line as one base64 string, so discriminator and body must
/// be one slice.
#[repr(C)]
struct Line<E> {
    discriminator: [u8; 8],
    body: E,
}

/// Logs `line` as one slice. Out of line: one copy of the syscall set-up.
#[inline(never)]
fn log_line(line: &[u8]) {
    let slice: [&[u8]; 1] = [line];
    // SAFETY: `slice` is an array of one `&[u8]`, whose layout (pointer, length) is the
    // `SolBytes` layout the syscall reads.
    unsafe { sol_log_data(slice.as_ptr() as *const u8, 1) };
}

/// `address`, copied for an event field as four 64-bit words.
///
/// A field written as `*account.address()` (a 32-byte array copy) makes the compiler build the
/// whole event on the stack and copy it into its logged [`Line`] (a load and a store per 8
/// bytes of the event); word copies let it write the fields straight into the line.
#[inline(always)]
pub fn address_field(address: &Address) -> Address {
    let words = address.as_array().as_ptr() as *const u64;
    // SAFETY: `address` is 32 readable bytes, read as four unaligned words; any bits are an
    // `Address`, and `[u64; 4]` and `Address` have the same size.
    unsafe {
        core::mem::transmute::<[u64; 4], Address>([
            words.read_unaligned(),
            words.add(1).read_unaligned(),
            words.add(2).read_unaligned(),
            words.add(3).read_unaligned(),
        ])
    }
}

/// Defines an event: a [`crate::borsh_struct!`] with the `event:<Name>` discriminator.
#[macro_export]
macro_rules! event {
    ($($item:tt)*) => {
        $crate::borsh_struct! { @discriminated $crate::event::Event, event; $($item)* }
    };
}
