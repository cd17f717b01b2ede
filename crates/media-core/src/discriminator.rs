//! Anchor discriminators: the first 8 bytes of `sha256("<namespace>:<name>")`, computed at
//! compile time so no hashing happens on-chain.
use sha2_const_stable::Sha256;

/// Length of every Anchor discriminator.
pub const DISCRIMINATOR_LEN: usize = 8;

/// `sha256("<namespace>:<name>")[..8]`.
pub const fn discriminator(namespace: &str, name: &str) -> [u8; DISCRIMINATOR_LEN] {
    let hash = Sha256::new()
        .update(namespace.as_bytes())
        .update(b":")
        .update(name.as_bytes())
        .finalize();
    let mut out = [0u8; DISCRIMINATOR_LEN];
    let mut i = 0;
    while i < DISCRIMINATOR_LEN {
        out[i] = hash[i];
        // `i < DISCRIMINATOR_LEN`: cannot wrap.
        i = i.wrapping_add(1);
    }
    out
}

/// Discriminator of an instruction named `snake_name` (`global:<snake_name>`).
pub const fn instruction(snake_name: &str) -> [u8; DISCRIMINATOR_LEN] {
    discriminator("global", snake_name)
}

/// Discriminator of an account type (`account:<TypeName>`).
pub const fn account(type_name: &str) -> [u8; DISCRIMINATOR_LEN] {
    discriminator("account", type_name)
}

/// Discriminator of an event (`event:<Name>`).
pub const fn event(name: &str) -> [u8; DISCRIMINATOR_LEN] {
    discriminator("event", name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_anchor_for_known_names() {
        // Anchor's `initialize` instruction discriminator, as printed in every Anchor IDL.
        assert_eq!(
            instruction("initialize"),
            [175, 175, 109, 31, 13, 152, 155, 237]
        );
    }
}
