/** The governance cast of the story tests: the config, and proposals through the SDK's governance client. */
import { Keypair, type PublicKey, type TransactionInstruction } from "@solana/web3.js";
import { GOVERNANCE_DEFAULTS, type StoredInstruction, type VoteSide, governancePda } from "../../sdk/src";
import type { Bank } from "./bank";
import { airdrop } from "./token";
import { type Holding, type Staker, type StakingWorld, newStakers, setUpStaking } from "./staking";
import { warpSeconds } from "./bank";

export interface GovernanceWorld extends StakingWorld {
  /** The governance config: the PDA that signs executed instructions. */
  governance: PublicKey;
}

export type GovernanceParams = typeof GOVERNANCE_DEFAULTS;

/** Creates the governance config (the deployer is its authority and pause authority). */
export async function setUpGovernance(world: StakingWorld, params: GovernanceParams = GOVERNANCE_DEFAULTS): Promise<GovernanceWorld> {
  await world.bank.clients.governance.initializeConfig(params);
  return { ...world, governance: governancePda() };
}

/**
 * The governance tests' cast: staking and governance with the defaults, a staker per holding,
 * staking handed to the governance PDA, and a minute on the clock (stake counts from before a
 * proposal is created).
 */
export async function setUpGovernedStaking(bank: Bank, holdings: readonly Holding[]): Promise<{ world: GovernanceWorld; stakers: Staker[] }> {
  const world = await setUpGovernance(await setUpStaking(bank));
  const stakers = await newStakers(world, holdings);
  await handOverStaking(world);
  await warpSeconds(bank, 60);
  return { world, stakers };
}

/**
 * The deployer hands staking's authority to the governance PDA. (Vote locks need no hand-over:
 * staking's only `lock_stake` signer is governance's vote authority, fixed at initialization.)
 */
export async function handOverStaking(world: GovernanceWorld): Promise<void> {
  await world.bank.clients.staking.setAuthority(world.governance, { signer: world.authority });
}

/** A staking instruction the governance PDA signs as the staking authority. */
export function stakingSetMinStake(world: GovernanceWorld, minStake: bigint): Promise<TransactionInstruction> {
  return world.bank.clients.staking.setMinStakeInstruction(minStake, world.governance);
}

export function stakingSetUnbondingPeriod(world: GovernanceWorld, seconds: bigint): Promise<TransactionInstruction> {
  return world.bank.clients.staking.setUnbondingPeriodInstruction(seconds, world.governance);
}

/** The description every test proposal carries. */
const DESCRIPTION_HASH = new Array(32).fill(7);

/**
 * `proposer` proposes `instructions`: `createProposal` and the first `addInstruction` in one
 * transaction, each further `addInstruction` in its own. Returns the proposal's address.
 */
export function propose(world: GovernanceWorld, proposer: Staker, instructions: TransactionInstruction[], uri = "ipfs://proposal"): Promise<PublicKey> {
  return world.bank.clients.governance.propose(instructions, { uri, hash: DESCRIPTION_HASH }, { signer: proposer.wallet });
}

/** `voter` votes on `proposal` with their stake account. */
export function vote(world: GovernanceWorld, proposal: PublicKey, voter: Staker, side: VoteSide): Promise<string> {
  return world.bank.clients.governance.castVote(proposal, side, { signer: voter.wallet });
}

export function finalize(world: GovernanceWorld, proposal: PublicKey): Promise<string> {
  return world.bank.clients.governance.finalize(proposal);
}

/** Executes `proposal` with the remaining accounts its stored instructions name. */
export function execute(world: GovernanceWorld, proposal: PublicKey): Promise<string> {
  return world.bank.clients.governance.execute(proposal);
}

/** The `execute` instruction for `proposal`, unsent (to send it out of turn). */
export function executeInstruction(world: GovernanceWorld, proposal: PublicKey): Promise<TransactionInstruction> {
  return world.bank.clients.governance.executeInstruction(proposal);
}

/** A stored instruction slot for raw use (tests that bypass the SDK's checks). */
export type { StoredInstruction };

/** A fresh wallet funded with SOL (no MEDIA). */
export async function newWallet(bank: Bank): Promise<Keypair> {
  const wallet = Keypair.generate();
  await airdrop(bank, wallet.publicKey);
  return wallet;
}
