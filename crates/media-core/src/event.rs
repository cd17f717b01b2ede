//! Events, logged as Anchor's `emit!` logs them: `sol_log_data(disc ‖ borsh(event))`.
use crate::pod::{bytes_of, Transmutable};
use crate::syscalls::sol_log_data;

/// Largest event body this crate will log.
pub const MAX_EVENT_LEN: usize = 280;

/// An event: a [`crate::borsh_struct!`] with the `event:<Name>` discriminator.
pub trait Event: Transmutable {
    const DISCRIMINATOR: [u8; 8];

    /// Logs the event as one `Program data:` line.
    #[inline(always)]
    fn emit(&self) {
        const {
            assert!(
                core::mem::size_of::<Self>() <= MAX_EVENT_LEN,
                "event too large"
            )
        };
        emit_bytes(&Self::DISCRIMINATOR, bytes_of(self));
    }
}

/// Joins discriminator and body into one buffer: `sol_log_data` base64-encodes each slice
/// separately, and Anchor's parser decodes the line as one base64 string.
#[inline(never)]
fn emit_bytes(discriminator: &[u8; 8], body: &[u8]) {
    let mut line = [0u8; 8 + MAX_EVENT_LEN];
    let len = 8usize.saturating_add(body.len()).min(line.len());
    line[..8].copy_from_slice(discriminator);
    line[8..len].copy_from_slice(&body[..len.saturating_sub(8)]);
    let slice: [&[u8]; 1] = [&line[..len]];
    // SAFETY: `slice` is an array of one `&[u8]`, whose layout (pointer, length) is the
    // `SolBytes` layout the syscall reads.
    unsafe { sol_log_data(slice.as_ptr() as *const u8, 1) };
}

/// Defines an event: a [`crate::borsh_struct!`] with the `event:<Name>` discriminator.
#[macro_export]
macro_rules! event {
    ($($item:tt)*) => {
        $crate::borsh_struct! { @discriminated $crate::event::Event, event; $($item)* }
    };
}
