/**
 * Idempotent genesis step: creates the staking config with the spec's defaults if it does
 * not exist yet. Runs against any cluster through Anchor's provider environment:
 *
 *   ANCHOR_PROVIDER_URL=<rpc url> ANCHOR_WALLET=~/.config/solana/id.json \
 *     MEDIA_MINT=<mint> npx tsx migrations/initialize-staking.ts
 */
import { AnchorProvider } from "@coral-xyz/anchor";
import { PublicKey } from "@solana/web3.js";
import { STAKING_DEFAULTS, mediaPrograms, stakingConfigPda } from "../sdk/src";

async function main() {
  const mint = process.env.MEDIA_MINT;
  if (!mint) throw new Error("Set MEDIA_MINT to the MEDIA mint's address.");
  const provider = AnchorProvider.env();
  const { staking } = mediaPrograms(provider);
  const config = stakingConfigPda(staking.programId);
  if (await provider.connection.getAccountInfo(config)) {
    console.log(`Staking config ${config.toBase58()} already exists; nothing to do.`);
    return;
  }
  const signature = await staking.methods
    .initializeConfig(STAKING_DEFAULTS.minStake, STAKING_DEFAULTS.unbondingPeriod, STAKING_DEFAULTS.quotaBytesPerMedia)
    .accounts({ authority: provider.wallet.publicKey, mediaMint: new PublicKey(mint) })
    .rpc();
  console.log(`Initialized staking config ${config.toBase58()} (${signature}).`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
