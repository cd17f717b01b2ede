/** The staking cast of the story tests: a MEDIA mint, the config, and stakers with MEDIA. */
import { Keypair, type PublicKey } from "@solana/web3.js";
import type BN from "bn.js";
import { MEDIA_DECIMALS, STAKING_DEFAULTS, stakeAccountPda, stakingConfigPda, stakingVaultPda } from "../../sdk/src";
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

/** A MEDIA mint and an initialized staking config (the spec's defaults unless given). */
export async function setUpStaking(bank: Bank, params = STAKING_DEFAULTS): Promise<StakingWorld> {
  const mediaMint = await createMint(bank, MEDIA_DECIMALS);
  await bank.clients.staking.initializeConfig(mediaMint, params);
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
  return { wallet, tokenAccount, stakeAccount: stakeAccountPda(wallet.publicKey) };
}

/** `staker` acting through the SDK: its keypair signs, its own MEDIA account pays and is paid. */
export const as = (staker: Staker) => ({ signer: staker.wallet, tokenAccount: staker.tokenAccount });

/** `staker` stakes `amount` base units; returns the signature. */
export function stake(world: StakingWorld, staker: Staker, amount: bigint | BN): Promise<string> {
  return world.bank.clients.staking.stake(amount, as(staker));
}

/** `staker` moves `amount` of active stake to unbonding. */
export function requestUnstake(world: StakingWorld, staker: Staker, amount: bigint): Promise<string> {
  return world.bank.clients.staking.requestUnstake(amount, as(staker));
}

/** `staker` returns all unbonding stake to active. */
export function cancelUnstake(world: StakingWorld, staker: Staker): Promise<string> {
  return world.bank.clients.staking.cancelUnstake(as(staker));
}

/** `staker` withdraws unbonded MEDIA to their token account. */
export function withdraw(world: StakingWorld, staker: Staker): Promise<string> {
  return world.bank.clients.staking.withdraw(as(staker));
}

/** `funder` adds `amount` of MEDIA from its token account to the reward pool. */
export function fundRewards(world: StakingWorld, funder: Staker, amount: bigint): Promise<string> {
  return world.bank.clients.staking.fundRewards(amount, as(funder));
}

/** Anyone (the payer) folds MEDIA that arrived in the staking vault into the reward stream. */
export function syncRewards(world: StakingWorld): Promise<string> {
  return world.bank.clients.staking.syncRewards();
}

/** `staker` claims accrued rewards to their token account. */
export function claimRewards(world: StakingWorld, staker: Staker): Promise<string> {
  return world.bank.clients.staking.claimRewards(as(staker));
}

/** The decoded stake account of `staker`. */
export function fetchStake(world: StakingWorld, staker: Staker) {
  return world.bank.programs.staking.account.stakeAccount.fetch(staker.stakeAccount);
}

/** The decoded staking config. */
export function fetchConfig(world: StakingWorld) {
  return world.bank.clients.staking.fetchConfig();
}

/** A decoded BN field as a bigint. */
export function big(value: { toString(): string }): bigint {
  return BigInt(value.toString());
}
