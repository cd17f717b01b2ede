/** The staking cast of the story tests: a MEDIA mint, the config, and stakers with MEDIA. */
import { Keypair, type PublicKey } from "@solana/web3.js";
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

/** A wallet with its own MEDIA account and stake account, acting through the SDK's staking client. */
export interface Staker {
  wallet: Keypair;
  tokenAccount: PublicKey;
  stakeAccount: PublicKey;
  stake(amount: bigint): Promise<string>;
  /** Moves `amount` of active stake to unbonding. */
  requestUnstake(amount: bigint): Promise<string>;
  /** Returns all unbonding stake to active. */
  cancelUnstake(): Promise<string>;
  /** Withdraws unbonded MEDIA to its token account. */
  withdraw(): Promise<string>;
  /** Adds `amount` of MEDIA from its token account to the reward pool. */
  fundRewards(amount: bigint): Promise<string>;
  /** Claims accrued rewards to its token account. */
  claimRewards(): Promise<string>;
}

/** `wallet`, holding MEDIA in `tokenAccount`, as a staker acting on `world`. */
export function stakerOf(world: StakingWorld, wallet: Keypair, tokenAccount: PublicKey): Staker {
  const client = world.bank.clients.staking;
  const actor = { signer: wallet, tokenAccount };
  return {
    wallet,
    tokenAccount,
    stakeAccount: stakeAccountPda(wallet.publicKey),
    stake: (amount) => client.stake(amount, actor),
    requestUnstake: (amount) => client.requestUnstake(amount, actor),
    cancelUnstake: () => client.cancelUnstake(actor),
    withdraw: () => client.withdraw(actor),
    fundRewards: (amount) => client.fundRewards(amount, actor),
    claimRewards: () => client.claimRewards(actor),
  };
}

/**
 * A wallet with SOL for rent and `media` base units of MEDIA in its own token account.
 * Pass `wallet` for a deterministic address (benchmarks: PDA bump searches depend on it).
 */
export async function newStaker(world: StakingWorld, media: bigint, wallet: Keypair = Keypair.generate()): Promise<Staker> {
  await airdrop(world.bank, wallet.publicKey);
  const tokenAccount = await createTokenAccount(world.bank, world.mediaMint, wallet.publicKey);
  if (media > 0n) await mintTo(world.bank, world.mediaMint, tokenAccount, media);
  return stakerOf(world, wallet, tokenAccount);
}

/** A staker's MEDIA and the part of it staked (nothing when 0n). */
export type Holding = readonly [media: bigint, staked: bigint];

/** Stakes `holdings`' staked parts for `stakers`, in order (one at a time: the clock and vault are shared). */
export async function stakeAll(stakers: Staker[], holdings: readonly Holding[]): Promise<Staker[]> {
  for (const [i, [, staked]] of holdings.entries()) if (staked > 0n) await stakers[i].stake(staked);
  return stakers;
}

/** A staker per holding: its MEDIA minted, then its stake. */
export async function newStakers(world: StakingWorld, holdings: readonly Holding[]): Promise<Staker[]> {
  const stakers: Staker[] = [];
  for (const [media] of holdings) stakers.push(await newStaker(world, media));
  return stakeAll(stakers, holdings);
}

// The staker's actions as functions of (world, staker), for the benchmark scripts.
export const stake = (_world: StakingWorld, staker: Staker, amount: bigint) => staker.stake(amount);
export const requestUnstake = (_world: StakingWorld, staker: Staker, amount: bigint) => staker.requestUnstake(amount);
export const cancelUnstake = (_world: StakingWorld, staker: Staker) => staker.cancelUnstake();
export const withdraw = (_world: StakingWorld, staker: Staker) => staker.withdraw();
export const fundRewards = (_world: StakingWorld, funder: Staker, amount: bigint) => funder.fundRewards(amount);
export const claimRewards = (_world: StakingWorld, staker: Staker) => staker.claimRewards();

/** Anyone (the payer) folds MEDIA that arrived in the staking vault into the reward stream. */
export function syncRewards(world: StakingWorld): Promise<string> {
  return world.bank.clients.staking.syncRewards();
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
