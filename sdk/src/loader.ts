/**
 * The upgradeable BPF loader's accounts: each MEDIA program's ProgramData names the upgrade
 * authority, the only key that may initialize the program's config. Test banks and the
 * localnet write these accounts directly, as a validator's genesis does.
 */
import { PublicKey } from "@solana/web3.js";

/** The upgradeable BPF loader. */
export const BPF_LOADER_UPGRADEABLE_PROGRAM_ID = new PublicKey("BPFLoaderUpgradeab1e11111111111111111111111");

/** Bytes before the ELF in a ProgramData account: tag, deployment slot, optional authority. */
export const PROGRAM_DATA_HEADER_LEN = 45;

/** A program's ProgramData account: the loader's PDA of the program id. */
export function programDataPda(programId: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([programId.toBuffer()], BPF_LOADER_UPGRADEABLE_PROGRAM_ID)[0];
}

/** The upgrade authority a ProgramData account records (null: the program is immutable). */
export function upgradeAuthorityOf(programData: Uint8Array): PublicKey | null {
  if (programData.length < PROGRAM_DATA_HEADER_LEN || programData[0] !== 3 || programData[12] !== 1) return null;
  return new PublicKey(programData.subarray(13, PROGRAM_DATA_HEADER_LEN));
}

/** One account as a runtime stores it. */
export interface LoaderAccount {
  address: PublicKey;
  lamports: bigint;
  owner: PublicKey;
  data: Uint8Array;
  executable: boolean;
}

/**
 * The two accounts of a program deployed through the upgradeable loader: its ProgramData
 * (`ProgramData { slot: 0, upgrade_authority }` then the ELF), listed first because loading the
 * program reads it, and the executable program account (`Program { programdata_address }`).
 */
export function upgradeableProgramAccounts(
  programId: PublicKey,
  elf: Uint8Array,
  upgradeAuthority: PublicKey | null,
  lamports = 100_000_000_000n,
): LoaderAccount[] {
  const programData = programDataPda(programId);
  const data = new Uint8Array(PROGRAM_DATA_HEADER_LEN + elf.length);
  data[0] = 3; // UpgradeableLoaderState::ProgramData; the slot (bytes 4..12) stays 0
  if (upgradeAuthority) {
    data[12] = 1;
    data.set(upgradeAuthority.toBytes(), 13);
  }
  data.set(elf, PROGRAM_DATA_HEADER_LEN);
  const program = new Uint8Array(36);
  program[0] = 2; // UpgradeableLoaderState::Program
  program.set(programData.toBytes(), 4);
  return [
    { address: programData, lamports, owner: BPF_LOADER_UPGRADEABLE_PROGRAM_ID, data, executable: false },
    { address: programId, lamports, owner: BPF_LOADER_UPGRADEABLE_PROGRAM_ID, data: program, executable: true },
  ];
}
