/**
 * The upgradeable BPF loader (BPFLoaderUpgradeab1e11111111111111111111111) as a client sees
 * it: its account layouts and the instructions the deploy uses, built by hand (web3.js has
 * no helpers for this loader). Instruction data is bincode: a u32 variant, then the fields.
 */
import { PublicKey, SYSVAR_CLOCK_PUBKEY, SYSVAR_RENT_PUBKEY, SystemProgram, TransactionInstruction, type AccountMeta } from "@solana/web3.js";

export const UPGRADEABLE_LOADER_ID = new PublicKey("BPFLoaderUpgradeab1e11111111111111111111111");

/** Bytes before the program in a buffer: state u32, Option<authority> (1 + 32). */
export const BUFFER_METADATA_SIZE = 37;
/** A program account: state u32, programdata address. */
export const PROGRAM_ACCOUNT_SIZE = 36;
/** Bytes before the program in programdata: state u32, slot u64, Option<upgrade authority>. */
export const PROGRAMDATA_METADATA_SIZE = 45;

const STATE_UNINITIALIZED = 0;
const STATE_BUFFER = 1;
const STATE_PROGRAM = 2;
const STATE_PROGRAMDATA = 3;

export type LoaderAccount =
  | { kind: "uninitialized" }
  | { kind: "buffer"; authority: PublicKey | null; data: Buffer }
  | { kind: "program"; programData: PublicKey }
  | { kind: "programdata"; slot: bigint; upgradeAuthority: PublicKey | null; data: Buffer };

function optionalKey(data: Buffer, offset: number): PublicKey | null {
  return data[offset] === 1 ? new PublicKey(data.subarray(offset + 1, offset + 33)) : null;
}

/** Decodes an account owned by the loader. */
export function decodeLoaderAccount(data: Buffer): LoaderAccount {
  if (data.length < 4) throw new Error(`not an upgradeable loader account (${data.length} bytes)`);
  const state = data.readUInt32LE(0);
  switch (state) {
    case STATE_UNINITIALIZED:
      return { kind: "uninitialized" };
    case STATE_BUFFER:
      return { kind: "buffer", authority: optionalKey(data, 4), data: data.subarray(BUFFER_METADATA_SIZE) };
    case STATE_PROGRAM:
      return { kind: "program", programData: new PublicKey(data.subarray(4, 36)) };
    case STATE_PROGRAMDATA:
      return {
        kind: "programdata",
        slot: data.readBigUInt64LE(4),
        upgradeAuthority: optionalKey(data, 12),
        data: data.subarray(PROGRAMDATA_METADATA_SIZE),
      };
    default:
      throw new Error(`unknown upgradeable loader state ${state}`);
  }
}

/** The programdata account of `programId`, `[program id]` under the loader. */
export function programDataAddress(programId: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([programId.toBuffer()], UPGRADEABLE_LOADER_ID)[0];
}

const u32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
};
const u64 = (value: number | bigint) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(value));
  return bytes;
};
const meta = (pubkey: PublicKey, isSigner: boolean, isWritable: boolean): AccountMeta => ({ pubkey, isSigner, isWritable });
const loaderIx = (data: Buffer, keys: AccountMeta[]) => new TransactionInstruction({ programId: UPGRADEABLE_LOADER_ID, keys, data });

/** InitializeBuffer: an empty loader-owned account of 37 + len bytes becomes a buffer of `authority`. */
export function initializeBufferIx(buffer: PublicKey, authority: PublicKey): TransactionInstruction {
  return loaderIx(u32(0), [meta(buffer, false, true), meta(authority, false, false)]);
}

/** Write: `bytes` at `offset` of the program in the buffer (the authority signs). */
export function writeIx(buffer: PublicKey, authority: PublicKey, offset: number, bytes: Uint8Array): TransactionInstruction {
  return loaderIx(Buffer.concat([u32(1), u32(offset), u64(bytes.length), Buffer.from(bytes)]), [meta(buffer, false, true), meta(authority, true, false)]);
}

/**
 * DeployWithMaxDataLen: the buffer's program becomes `program`, in a programdata account of
 * `maxDataLen` bytes paid by `payer`; `authority` (the buffer's) becomes the upgrade authority.
 * The program account must exist, owned by the loader, 36 bytes, uninitialized.
 */
export function deployWithMaxDataLenIx(
  payer: PublicKey,
  program: PublicKey,
  buffer: PublicKey,
  authority: PublicKey,
  maxDataLen: number,
): TransactionInstruction {
  return loaderIx(Buffer.concat([u32(2), u64(maxDataLen)]), [
    meta(payer, true, true),
    meta(programDataAddress(program), false, true),
    meta(program, false, true),
    meta(buffer, false, true),
    meta(SYSVAR_RENT_PUBKEY, false, false),
    meta(SYSVAR_CLOCK_PUBKEY, false, false),
    meta(SystemProgram.programId, false, false),
    meta(authority, true, false),
  ]);
}

/** Upgrade: the buffer's program replaces `program`'s; the buffer's lamports go to `spill`. */
export function upgradeIx(program: PublicKey, buffer: PublicKey, spill: PublicKey, authority: PublicKey): TransactionInstruction {
  return loaderIx(u32(3), [
    meta(programDataAddress(program), false, true),
    meta(program, false, true),
    meta(buffer, false, true),
    meta(spill, false, true),
    meta(SYSVAR_RENT_PUBKEY, false, false),
    meta(SYSVAR_CLOCK_PUBKEY, false, false),
    meta(authority, true, false),
  ]);
}

/** SetAuthority on a buffer or programdata account; `newAuthority` null makes a program immutable. */
export function setAuthorityIx(account: PublicKey, current: PublicKey, newAuthority: PublicKey | null): TransactionInstruction {
  const keys = [meta(account, false, true), meta(current, true, false)];
  if (newAuthority) keys.push(meta(newAuthority, false, false));
  return loaderIx(u32(4), keys);
}

/** Close a buffer: its lamports go to `recipient`. */
export function closeBufferIx(buffer: PublicKey, recipient: PublicKey, authority: PublicKey): TransactionInstruction {
  return loaderIx(u32(5), [meta(buffer, false, true), meta(recipient, false, true), meta(authority, true, false)]);
}

/** ExtendProgram: grows `program`'s programdata by `additionalBytes`, paid by `payer`. */
export function extendProgramIx(program: PublicKey, payer: PublicKey, additionalBytes: number): TransactionInstruction {
  return loaderIx(Buffer.concat([u32(6), u32(additionalBytes)]), [
    meta(programDataAddress(program), false, true),
    meta(program, false, true),
    meta(SystemProgram.programId, false, false),
    meta(payer, true, true),
  ]);
}
