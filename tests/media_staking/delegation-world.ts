/**
 * The delegation cast of media_staking's contributor-economy tests: the bandwidth world (staking,
 * treasury, bandwidth), the rewards pool with its emission vault funded, Edge operators with an
 * open pool and a registered provider, and holders who delegate to them. Every instruction goes
 * through the SDK's Anchor program (`bank.programs.staking`), its accounts resolved from the IDL.
 */
import type { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { programDataPda, providerPda } from "../../sdk/src";
import {
  STAKING_DEFAULTS,
  delegationPda,
  emissionVaultPda,
  feeShareVaultPda,
  operatorPoolPda,
  rewardsPoolPda,
  stakeAccountPda,
} from "../../sdk/src/generated/media_staking";
import type { Bank } from "../utils/bank";
import { type BandwidthWorld, type Operator, newOperator, registerProvider, setUpBandwidth } from "../utils/bandwidth";
import { MEDIA, MIN_STAKE, bn } from "../utils/constants";
import { type Staker, newStaker } from "../utils/staking";
import { mintTo } from "../utils/token";

export interface RewardsParams {
  initialRate: bigint;
  halvingPeriod: bigint;
  delegationCap: number;
  commissionNotice: bigint;
}

/** The spec's defaults for the rewards pool. */
export const REWARDS_DEFAULTS: RewardsParams = {
  initialRate: STAKING_DEFAULTS.initialRate,
  halvingPeriod: STAKING_DEFAULTS.halvingPeriod,
  delegationCap: STAKING_DEFAULTS.delegationCap,
  commissionNotice: STAKING_DEFAULTS.commissionNotice,
};

/** The "Staking and Rewards" allocation. */
export const ALLOCATION = 2_000_000n * MEDIA;

export interface DelegationWorld extends BandwidthWorld {
  rewardsPool: PublicKey;
  emissionVault: PublicKey;
  feeShareVault: PublicKey;
}

/** Sends `ix` signed by `signer` (the payer when absent). */
export function send(bank: Bank, ix: TransactionInstruction, signer?: Keypair): Promise<string> {
  return bank.clients.staking.send([ix], signer ? { signer } : {});
}

/** `initialize_rewards_pool(params)` signed by `authority`, as an instruction. */
export function initializeRewardsPoolInstruction(world: BandwidthWorld, params: RewardsParams, authority: PublicKey) {
  const program = world.bank.programs.staking;
  return program.methods
    .initializeRewardsPool(bn(params.initialRate), bn(params.halvingPeriod), params.delegationCap, bn(params.commissionNotice))
    .accountsPartial({ authority, mediaMint: world.mediaMint, programData: programDataPda(program.programId) })
    .instruction();
}

/**
 * The bandwidth world plus the rewards pool with `params`, `funding` more MEDIA sent to its
 * emission vault. A world whose set-up already created the pool (with the defaults) gets
 * `params` through the governance setters, at the same second, so nothing was released yet.
 */
export async function setUpDelegation(bank: Bank, params = REWARDS_DEFAULTS, funding = ALLOCATION): Promise<DelegationWorld> {
  const world = await setUpBandwidth(bank);
  const authority = bank.payer.publicKey;
  if ((await bank.programs.staking.account.rewardsPool.fetchNullable(rewardsPoolPda())) === null) {
    await send(bank, await initializeRewardsPoolInstruction(world, params, authority));
  } else {
    const delegationWorld = world as DelegationWorld;
    await send(bank, await setEmissionScheduleInstruction(delegationWorld, params.initialRate, params.halvingPeriod, authority));
    await send(bank, await setDelegationParamsInstruction(delegationWorld, params.delegationCap, params.commissionNotice, authority));
  }
  const emissionVault = emissionVaultPda();
  if (funding > 0n) await mintTo(bank, world.mediaMint, emissionVault, funding);
  return { ...world, rewardsPool: rewardsPoolPda(), emissionVault, feeShareVault: feeShareVaultPda() };
}

/** An operator with an open pool: `open_operator` needs only its stake, so it runs before registration. */
export interface PoolOperator extends Operator {
  pool: PublicKey;
}

/** A wallet that stakes `stake`, opens its pool with `terms` (bps) and registers its provider. */
export async function newPoolOperator(
  world: DelegationWorld,
  stake = 100n * MEDIA,
  terms: { commissionBps: number; feeShareBps: number } = { commissionBps: 1_000, feeShareBps: 2_000 },
): Promise<PoolOperator> {
  const operator = await newOperator(world, stake, { register: false });
  await send(world.bank, await openOperatorInstruction(world, operator.wallet.publicKey, terms.commissionBps, terms.feeShareBps), operator.wallet);
  await registerProvider(world, operator);
  return { ...operator, pool: operatorPoolPda(operator.wallet.publicKey) };
}

export function openOperatorInstruction(world: DelegationWorld, operator: PublicKey, commissionBps: number, feeShareBps: number) {
  return world.bank.programs.staking.methods.openOperator(commissionBps, feeShareBps).accounts({ operator }).instruction();
}

export function setCommissionInstruction(world: DelegationWorld, operator: PublicKey, commissionBps: number, feeShareBps: number) {
  return world.bank.programs.staking.methods.setCommission(commissionBps, feeShareBps).accounts({ operator }).instruction();
}

/** The accounts that name an operator's pool where the operator is not an account of the instruction. */
function poolOf(operator: PublicKey) {
  return { operatorPool: operatorPoolPda(operator), provider: providerPda(operator) };
}

export function delegateInstruction(world: DelegationWorld, owner: PublicKey, operator: PublicKey) {
  return world.bank.programs.staking.methods
    .delegate()
    .accountsPartial({ owner, ...poolOf(operator), operatorStakeAccount: stakeAccountPda(operator) })
    .instruction();
}

export function undelegateInstruction(world: DelegationWorld, owner: PublicKey, operator: PublicKey) {
  return world.bank.programs.staking.methods
    .undelegate()
    .accountsPartial({ owner, ...poolOf(operator) })
    .instruction();
}

export function syncOperatorInstruction(world: DelegationWorld, operator: PublicKey) {
  return world.bank.programs.staking.methods.syncOperator().accountsPartial(poolOf(operator)).instruction();
}

export function releaseEmissionsInstruction(world: DelegationWorld) {
  return world.bank.programs.staking.methods.releaseEmissions().instruction();
}

export function claimDelegationRewardsInstruction(world: DelegationWorld, owner: PublicKey, tokenAccount: PublicKey, operator: PublicKey) {
  return world.bank.programs.staking.methods
    .claimDelegationRewards()
    .accountsPartial({ owner, ownerTokenAccount: tokenAccount, ...poolOf(operator) })
    .instruction();
}

export function claimCommissionInstruction(world: DelegationWorld, operator: PublicKey, tokenAccount: PublicKey) {
  return world.bank.programs.staking.methods.claimCommission().accounts({ operator, operatorTokenAccount: tokenAccount }).instruction();
}

export function setEmissionScheduleInstruction(world: DelegationWorld, initialRate: bigint, halvingPeriod: bigint, authority: PublicKey) {
  return world.bank.programs.staking.methods.setEmissionSchedule(bn(initialRate), bn(halvingPeriod)).accounts({ authority }).instruction();
}

export function setDelegationParamsInstruction(world: DelegationWorld, delegationCap: number, commissionNotice: bigint, authority: PublicKey) {
  return world.bank.programs.staking.methods.setDelegationParams(delegationCap, bn(commissionNotice)).accounts({ authority }).instruction();
}

/** A holder of `media` MEDIA who stakes `stake` of it. */
export async function newHolder(world: DelegationWorld, media = 1_000n * MEDIA, stake = 100n * MEDIA): Promise<Staker> {
  const holder = await newStaker(world.staking, media);
  if (stake > 0n) await holder.stake(stake);
  return holder;
}

/** `holder` delegates its stake to `operator`. */
export async function delegate(world: DelegationWorld, holder: Staker, operator: PoolOperator | Staker): Promise<string> {
  return send(world.bank, await delegateInstruction(world, holder.wallet.publicKey, operator.wallet.publicKey), holder.wallet);
}

/**
 * Writes `fields` into `provider`'s account: the activity run and fee share that bandwidth's
 * `settle_receipt` records. A stand-in on this branch until bandwidth's settlement writes them
 * itself; nothing else of the provider changes.
 */
export async function setProviderActivity(
  bank: Bank,
  provider: PublicKey,
  fields: { activeSince?: bigint; activeUntil?: bigint; feeSharePaid?: bigint },
): Promise<void> {
  const account = await bank.runtime.getAccount(provider);
  if (!account) throw new Error(`no provider at ${provider.toBase58()}`);
  const coder = bank.programs.bandwidth.coder.accounts;
  const decoded = coder.decode("provider", Buffer.from(account.data));
  if (fields.activeSince !== undefined) decoded.activeSince = bn(fields.activeSince);
  if (fields.activeUntil !== undefined) decoded.activeUntil = bn(fields.activeUntil);
  if (fields.feeSharePaid !== undefined) decoded.feeSharePaid = bn(fields.feeSharePaid);
  const data = await coder.encode("provider", decoded);
  await bank.runtime.setAccount(provider, { ...account, data: new Uint8Array(data) });
}

/** Decoded accounts. */
export const fetchRewardsPool = (world: DelegationWorld) => world.bank.programs.staking.account.rewardsPool.fetch(world.rewardsPool);
export const fetchOperatorPool = (world: DelegationWorld, operator: PublicKey) =>
  world.bank.programs.staking.account.operatorPool.fetch(operatorPoolPda(operator));
export const fetchDelegation = (world: DelegationWorld, owner: PublicKey) => world.bank.programs.staking.account.delegation.fetch(delegationPda(owner));

export { MIN_STAKE };
