import type { Keypair, PublicKey } from "@solana/web3.js";
import { type MediaEconomy, MediaProgramError, mediaToBaseUnits } from "@media-network/sdk";

/** Stake, read the position, and handle a refusal by its name. */
export async function stakeExample(economy: MediaEconomy, staker: Keypair, mediaAccount: PublicKey) {
  const actor = { signer: staker, tokenAccount: mediaAccount };
  await economy.staking.stake(mediaToBaseUnits("25"), actor);

  const position = await economy.staking.position(staker.publicKey);
  console.log(`active ${position?.active}, quota ${position?.quotaBytes} bytes per day`);

  try {
    // Leaving 5 MEDIA active would break the 25 MEDIA minimum.
    await economy.staking.requestUnstake(mediaToBaseUnits("20"), actor);
  } catch (error) {
    if (!(error instanceof MediaProgramError)) throw error;
    console.log(`${error.program} refused: ${error.errorName} (${error.code})`);
  }
  return position;
}
