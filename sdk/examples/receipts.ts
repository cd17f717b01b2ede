import type { Keypair, PublicKey } from "@solana/web3.js";
import { GIB, type MediaEconomy, verifyReceipt } from "../src";

/**
 * The consumer pays by signing cumulative receipts off-chain; the provider checks each one
 * and settles the newest on-chain (the Ed25519 instruction is added by the SDK).
 */
export async function receiptsExample(
  economy: MediaEconomy,
  consumer: Keypair,
  escrow: PublicKey,
  provider: { operator: Keypair; tokenAccount: PublicKey; treasuryVault: PublicKey },
) {
  // Consumer side: the channel of the escrow's current lifetime (its nonce, read from the
  // escrow), then one receipt per chunk of data, at the provider's MEDIA price per GiB.
  const channel = await economy.bandwidth.receiptChannel(escrow, consumer);
  const pricePerGib = 2_000_000n;
  channel.payAtPrice(10n * GIB, pricePerGib);
  const newest = channel.payAtPrice(5n * GIB, pricePerGib);

  // Provider side: check the signature off-chain, then settle the newest receipt.
  if (!verifyReceipt(newest)) throw new Error("bad receipt");
  const signature = await economy.bandwidth.settleReceipt(
    newest,
    { providerTokenAccount: provider.tokenAccount, treasuryVault: provider.treasuryVault },
    { signer: provider.operator },
  );
  return { signature, paid: newest.cumulativeAmount };
}
