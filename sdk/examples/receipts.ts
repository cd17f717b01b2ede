import type { Keypair, PublicKey } from "@solana/web3.js";
import { GIB, type MediaEconomy, verifyReceipt } from "@media-network/sdk";

/**
 * The consumer pays by signing cumulative receipts off-chain, each paying at least the price the
 * escrow recorded when it opened; the provider checks each one and settles the newest that fits
 * its remaining quota on-chain (the Ed25519 instruction is added by the SDK).
 */
export async function receiptsExample(
  economy: MediaEconomy,
  consumer: Keypair,
  escrow: PublicKey,
  provider: { operator: Keypair; tokenAccount: PublicKey; treasuryVault: PublicKey },
) {
  // Consumer side: the channel of the escrow's current lifetime (its nonce and price, read from
  // the escrow), then one receipt per chunk of data. `channel.pay(bytes)` signs the least that
  // meets the escrow's price (`channel.amountFor(bytes)`); this consumer pays 2 MEDIA per GiB.
  const channel = await economy.bandwidth.receiptChannel(escrow, consumer);
  const pricePerGib = 2_000_000n;
  channel.payAtPrice(10n * GIB, pricePerGib);
  const newest = channel.payAtPrice(5n * GIB, pricePerGib);

  // Provider side: check the signature off-chain, then settle the newest receipt that fits its
  // remaining quota; any later receipt stays in the channel for a later settlement.
  if (!verifyReceipt(newest)) throw new Error("bad receipt");
  const settled = await economy.bandwidth.settleChannel(
    channel,
    { providerTokenAccount: provider.tokenAccount, treasuryVault: provider.treasuryVault },
    { signer: provider.operator },
  );
  return { settled, paid: channel.settledAmount };
}
