/** The governance cast of the story tests: the config, proposals through the Anchor client. */
import { Keypair, type PublicKey, Transaction, type TransactionInstruction } from "@solana/web3.js";
import type BN from "bn.js";
import {
  GOVERNANCE_DEFAULTS,
  type StoredInstruction,
  type VoteSide,
  executeRemainingAccounts,
  governancePda,
  proposalInstructions,
  voteRecordPda,
} from "../../sdk/src";
import type { Bank } from "./bank";
import type { Staker, StakingWorld } from "./staking";

export interface GovernanceWorld extends StakingWorld {
  /** The governance config: the PDA that signs executed instructions. */
  governance: PublicKey;
}

export type GovernanceParams = typeof GOVERNANCE_DEFAULTS;

/** Creates the governance config (the deployer is its authority and pause authority). */
export async function setUpGovernance(world: StakingWorld, params: GovernanceParams = GOVERNANCE_DEFAULTS): Promise<GovernanceWorld> {
  const { bank } = world;
  await bank.programs.governance.methods
    .initializeConfig(params.votingPeriod, params.quorumBps, params.proposalThreshold, params.timelock, params.executionWindow)
    .accounts({ authority: bank.payer.publicKey })
    .rpc();
  return { ...world, governance: governancePda() };
}

/**
 * The deployer hands staking's authority to the governance PDA. (Vote locks need no hand-over:
 * staking's only `lock_stake` signer is governance's vote authority, fixed at initialization.)
 */
export async function handOverStaking(world: GovernanceWorld): Promise<void> {
  const staking = world.bank.programs.staking;
  await staking.methods.setAuthority(world.governance).accounts({ authority: world.authority.publicKey }).rpc();
}

/** A staking instruction the governance PDA signs as the staking authority. */
export function stakingSetMinStake(world: GovernanceWorld, minStake: BN): Promise<TransactionInstruction> {
  return world.bank.programs.staking.methods.setMinStake(minStake).accounts({ authority: world.governance }).instruction();
}

export function stakingSetUnbondingPeriod(world: GovernanceWorld, seconds: BN): Promise<TransactionInstruction> {
  return world.bank.programs.staking.methods.setUnbondingPeriod(seconds).accounts({ authority: world.governance }).instruction();
}

/**
 * `proposer` proposes `instructions`: `createProposal` and the first `addInstruction` in one
 * transaction, each further `addInstruction` in its own. Returns the proposal's address.
 */
export async function propose(world: GovernanceWorld, proposer: Staker, instructions: TransactionInstruction[], uri = "ipfs://proposal"): Promise<PublicKey> {
  const { bank } = world;
  const built = await proposalInstructions(bank.programs.governance, {
    proposer: proposer.wallet.publicKey,
    descriptionUri: uri,
    descriptionHash: new Array(32).fill(7),
    instructions,
  });
  const [create, first, ...rest] = built.instructions;
  await bank.provider.sendAndConfirm(new Transaction().add(create, first), [proposer.wallet]);
  for (const add of rest) await bank.provider.sendAndConfirm(new Transaction().add(add), [proposer.wallet]);
  return built.proposal;
}

/** `voter` votes on `proposal` with their stake account. */
export function vote(world: GovernanceWorld, proposal: PublicKey, voter: Staker, side: VoteSide): Promise<string> {
  return world.bank.programs.governance.methods
    .castVote(side)
    .accountsPartial({ voter: voter.wallet.publicKey, proposal, stakeAccount: voter.stakeAccount })
    .signers([voter.wallet])
    .rpc();
}

export function finalize(world: GovernanceWorld, proposal: PublicKey): Promise<string> {
  return world.bank.programs.governance.methods.finalize().accounts({ proposal }).rpc();
}

/** Executes `proposal` with the remaining accounts its stored instructions name. */
export async function execute(world: GovernanceWorld, proposal: PublicKey): Promise<string> {
  return (await executeBuilder(world, proposal)).rpc();
}

/** The `execute` instruction for `proposal`, unsent (to send it out of turn). */
export async function executeInstruction(world: GovernanceWorld, proposal: PublicKey): Promise<TransactionInstruction> {
  return (await executeBuilder(world, proposal)).instruction();
}

async function executeBuilder(world: GovernanceWorld, proposal: PublicKey) {
  const governance = world.bank.programs.governance;
  const state = await governance.account.proposal.fetch(proposal);
  return governance.methods
    .execute()
    .accounts({ proposal })
    .remainingAccounts(executeRemainingAccounts(state as unknown as Parameters<typeof executeRemainingAccounts>[0]));
}

export function voteRecord(proposal: PublicKey, voter: Staker): PublicKey {
  return voteRecordPda(proposal, voter.stakeAccount);
}

/** A stored instruction slot for raw use (tests that bypass the SDK's checks). */
export type { StoredInstruction };

/** A fresh wallet funded with SOL (no MEDIA). */
export async function newWallet(bank: Bank): Promise<Keypair> {
  const { airdrop } = await import("./token");
  const wallet = Keypair.generate();
  await airdrop(bank, wallet.publicKey);
  return wallet;
}
