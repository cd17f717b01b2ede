/** Building an instruction with Anchor, then tampering with it the way an attacker would. */
import type { Keypair, PublicKey, Signer, TransactionInstruction } from "@solana/web3.js";
import { Transaction } from "@solana/web3.js";
import type { Bank } from "./bank";

/** Sends `ix` as-is (signed by the payer and `signers`), bypassing the methods builder. */
export function sendInstruction(bank: Bank, ix: TransactionInstruction, signers: Signer[] = []): Promise<string> {
  return bank.provider.sendAndConfirm(new Transaction().add(ix), signers);
}

/** Replaces the account at `index` (in the IDL's order) with `address`. */
export function withAccount(ix: TransactionInstruction, index: number, address: PublicKey): TransactionInstruction {
  ix.keys[index] = { ...ix.keys[index], pubkey: address };
  return ix;
}

/** Clears the signer flag of `who` (so it is passed but has not signed). */
export function unsigned(ix: TransactionInstruction, who: PublicKey | Keypair): TransactionInstruction {
  const key = "publicKey" in who ? who.publicKey : who;
  for (const meta of ix.keys) if (meta.pubkey.equals(key)) meta.isSigner = false;
  return ix;
}

/** Replaces the instruction data (after the discriminator when `keepDiscriminator`). */
export function withData(ix: TransactionInstruction, data: Buffer, keepDiscriminator = true): TransactionInstruction {
  ix.data = keepDiscriminator ? Buffer.concat([ix.data.subarray(0, 8), data]) : data;
  return ix;
}
