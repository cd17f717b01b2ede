/** The staking cast of the story tests: a MEDIA mint, the config, and stakers with MEDIA. */
import { Keypair, PublicKey } from "@solana/web3.js";
import BN from "bn.js";
import { MEDIA_STAKING_PROGRAM_ID, STAKING_DEFAULTS, stakeAccountPda, stakingConfigPda, stakingVaultPda } from "../../sdk/src";
import type { Bank } from "./bank";
import { airdrop, createMint, createTokenAccount, mintTo } from "./token";

export interface StakingWorld {
  bank: Bank;
  mediaMint: PublicKey;
  config: PublicKey;
  vault: PublicKey;
  /** The deployer: config authority, pause authority and governance at genesis. */
  authority: Keypair;
}

/** A MEDIA mint (6 decimals) and an initialized staking config with the spec's defaults. */
export async function setUpStaking(bank: Bank, params = STAKING_DEFAULTS): Promise<StakingWorld> {
  const mediaMint = await createMint(bank, 6);
  await bank.programs.staking.methods
    .initializeConfig(params.minStake, params.unbondingPeriod, params.quotaBytesPerMedia)
    .accounts({ authority: bank.payer.publicKey, mediaMint })
    .rpc();
  return { bank, mediaMint, config: stakingConfigPda(), vault: stakingVaultPda(), authority: bank.payer };
}

export interface Staker {
  wallet: Keypair;
  tokenAccount: PublicKey;
  stakeAccount: PublicKey;
}

/** A wallet with SOL for rent and `media` base units of MEDIA in its own token account. */
export async function newStaker(world: StakingWorld, media: bigint): Promise<Staker> {
  const wallet = Keypair.generate();
  await airdrop(world.bank, wallet.publicKey);
  const tokenAccount = await createTokenAccount(world.bank, world.mediaMint, wallet.publicKey);
  if (media > 0n) await mintTo(world.bank, world.mediaMint, tokenAccount, media);
  return { wallet, tokenAccount, stakeAccount: stakeAccountPda(wallet.publicKey, MEDIA_STAKING_PROGRAM_ID) };
}

/** `staker` stakes `amount` base units through the Anchor client; returns the signature. */
export function stake(world: StakingWorld, staker: Staker, amount: bigint | BN): Promise<string> {
  return world.bank.programs.staking.methods
    .stake(new BN(amount.toString()))
    .accounts({ owner: staker.wallet.publicKey, ownerTokenAccount: staker.tokenAccount })
    .signers([staker.wallet])
    .rpc();
}
