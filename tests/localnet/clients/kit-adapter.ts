/**
 * The SDK's builders return web3.js `TransactionInstruction`s; a dApp on @solana/kit converts
 * them into kit instructions and signs with kit signers. This is that conversion.
 */
import { AccountRole, type AccountMeta, type Instruction, type TransactionSigner, address } from "@solana/kit";
import type { TransactionInstruction } from "@solana/web3.js";

/** The role kit gives an account web3.js marks signer and/or writable. */
function role(meta: { isSigner: boolean; isWritable: boolean }): AccountRole {
  if (meta.isSigner) return meta.isWritable ? AccountRole.WRITABLE_SIGNER : AccountRole.READONLY_SIGNER;
  return meta.isWritable ? AccountRole.WRITABLE : AccountRole.READONLY;
}

/**
 * `instruction` as a kit instruction. A signer account gets the kit signer of its address from
 * `signers`, so that `signTransactionMessageWithSigners` signs for it; a signer account none of
 * `signers` holds is refused here, before anything is sent.
 */
export function toKitInstruction(instruction: TransactionInstruction, signers: readonly TransactionSigner[] = []): Instruction {
  const accounts = instruction.keys.map((meta): AccountMeta => {
    const account = { address: address(meta.pubkey.toBase58()), role: role(meta) };
    if (!meta.isSigner) return account;
    const signer = signers.find((candidate) => candidate.address === account.address);
    if (!signer) throw new Error(`${account.address} must sign this instruction, but no kit signer for it was given`);
    return { ...account, signer } as AccountMeta;
  });
  return { programAddress: address(instruction.programId.toBase58()), accounts, data: new Uint8Array(instruction.data) };
}
