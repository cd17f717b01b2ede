//! Who may initialize a program's config: only the program's upgrade authority, read from the
//! program's ProgramData account (the check Anchor's `program_data` constraint makes), so no
//! stranger can create a config first with his own mint, vaults and roles.
use crate::error::{err, CommonError};
use crate::pda::canonical_bump;
use pinocchio::{error::ProgramError, AccountView, Address};

/// The upgradeable BPF loader, owner of every ProgramData account.
pub const BPF_LOADER_UPGRADEABLE_ID: Address =
    crate::address_from_str("BPFLoaderUpgradeab1e11111111111111111111111");

/// `UpgradeableLoaderState::ProgramData` is variant 3 of the loader's state enum.
const PROGRAM_DATA_TAG: [u8; 4] = 3u32.to_le_bytes();
/// Tag (u32), last deployment slot (u64), then `Option<Pubkey>`: tag byte and key.
const AUTHORITY_OPTION_OFFSET: usize = 12;
const AUTHORITY_OFFSET: usize = AUTHORITY_OPTION_OFFSET + 1;
/// Length of the ProgramData header (the ELF follows).
pub const PROGRAM_DATA_HEADER_LEN: usize = AUTHORITY_OFFSET + 32;

/// Requires `signer` to be the upgrade authority recorded in `program_data`, which must be the
/// ProgramData account of `program_id` (the loader's PDA of `[program_id]`). A program that is
/// immutable (no upgrade authority) or not deployed through the upgradeable loader has no one
/// who may initialize it.
///
/// Called once per config, at initialization: it derives the PDA (a few hundred CU).
#[inline(never)]
pub fn require_upgrade_authority(
    program_data: &AccountView,
    signer: &Address,
    program_id: &Address,
) -> Result<(), ProgramError> {
    if !crate::checks::owned_by(program_data, &BPF_LOADER_UPGRADEABLE_ID) {
        return err(CommonError::InvalidAccountOwner);
    }
    canonical_bump(
        program_data.address(),
        &[program_id.as_ref()],
        &BPF_LOADER_UPGRADEABLE_ID,
    )?;
    let data = program_data.try_borrow()?;
    if data.len() < PROGRAM_DATA_HEADER_LEN
        || !crate::checks::same_bytes(&data[..4], &PROGRAM_DATA_TAG)
    {
        return err(CommonError::InvalidDiscriminator);
    }
    if data[AUTHORITY_OPTION_OFFSET] != 1
        || !crate::checks::same_bytes(
            &data[AUTHORITY_OFFSET..PROGRAM_DATA_HEADER_LEN],
            signer.as_ref(),
        )
    {
        return err(CommonError::NotUpgradeAuthority);
    }
    Ok(())
}
