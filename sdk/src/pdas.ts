import { PublicKey } from "@solana/web3.js";
import { MEDIA_STAKING_PROGRAM_ID, STAKING_SEEDS } from "./constants";

/** The staking config, `["config"]`. */
export function stakingConfigPda(programId: PublicKey = MEDIA_STAKING_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([STAKING_SEEDS.config], programId)[0];
}

/** The staking vault (MEDIA token account owned by the config), `["vault"]`. */
export function stakingVaultPda(programId: PublicKey = MEDIA_STAKING_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([STAKING_SEEDS.vault], programId)[0];
}

/** A wallet's stake account, `["stake", owner]`. */
export function stakeAccountPda(owner: PublicKey, programId: PublicKey = MEDIA_STAKING_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([STAKING_SEEDS.stake, owner.toBuffer()], programId)[0];
}
