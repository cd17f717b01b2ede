/** The staking cast of the story tests: a MEDIA mint, the config, and stakers with MEDIA. */
import { Keypair, type PublicKey } from "@solana/web3.js";
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
    .initializeConfig(params.minStake, params.unbondingPeriod, params.quotaBytesPerMedia, params.rewardDuration)
    .accounts({ authority: bank.payer.publicKey, mediaMint })
    .rpc();
  return { bank, mediaMint, config: stakingConfigPda(), vault: stakingVaultPda(), authority: bank.payer };
}

export interface Staker {
  wallet: Keypair;
  tokenAccount: PublicKey;
  stakeAccount: PublicKey;
}

/**
 * A wallet with SOL for rent and `media` base units of MEDIA in its own token account.
 * Pass `wallet` for a deterministic address (benchmarks: PDA bump searches depend on it).
 */
export async function newStaker(world: StakingWorld, media: bigint, wallet: Keypair = Keypair.generate()): Promise<Staker> {
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

const bn = (value: bigint | number) => new BN(value.toString());

/** `staker` moves `amount` of active stake to unbonding. */
export function requestUnstake(world: StakingWorld, staker: Staker, amount: bigint): Promise<string> {
  return world.bank.programs.staking.methods.requestUnstake(bn(amount)).accounts({ owner: staker.wallet.publicKey }).signers([staker.wallet]).rpc();
}

/** `staker` returns all unbonding stake to active. */
export function cancelUnstake(world: StakingWorld, staker: Staker): Promise<string> {
  return world.bank.programs.staking.methods.cancelUnstake().accounts({ owner: staker.wallet.publicKey }).signers([staker.wallet]).rpc();
}

/** `staker` withdraws unbonded MEDIA to their token account. */
export function withdraw(world: StakingWorld, staker: Staker): Promise<string> {
  return world.bank.programs.staking.methods
    .withdraw()
    .accounts({ owner: staker.wallet.publicKey, ownerTokenAccount: staker.tokenAccount })
    .signers([staker.wallet])
    .rpc();
}

/** `funder` adds `amount` of MEDIA from its token account to the reward pool. */
export function fundRewards(world: StakingWorld, funder: Staker, amount: bigint): Promise<string> {
  return world.bank.programs.staking.methods
    .fundRewards(bn(amount))
    .accounts({ funder: funder.wallet.publicKey, funderTokenAccount: funder.tokenAccount })
    .signers([funder.wallet])
    .rpc();
}

/** Anyone (the payer) folds MEDIA that arrived in the staking vault into the reward stream. */
export function syncRewards(world: StakingWorld): Promise<string> {
  return world.bank.programs.staking.methods.syncRewards().rpc();
}

/** `staker` claims accrued rewards to their token account. */
export function claimRewards(world: StakingWorld, staker: Staker): Promise<string> {
  return world.bank.programs.staking.methods
    .claimRewards()
    .accounts({ owner: staker.wallet.publicKey, ownerTokenAccount: staker.tokenAccount })
    .signers([staker.wallet])
    .rpc();
}

/** The decoded stake account of `staker`. */
export function fetchStake(world: StakingWorld, staker: Staker) {
  return world.bank.programs.staking.account.stakeAccount.fetch(staker.stakeAccount);
}

/** The decoded staking config. */
export function fetchConfig(world: StakingWorld) {
  return world.bank.programs.staking.account.stakingConfig.fetch(world.config);
}

/** A decoded BN field as a bigint. */
export function big(value: { toString(): string }): bigint {
  return BigInt(value.toString());
}
