/**
 * media_governance: constants, PDAs, and the conversions between web3.js instructions and
 * the fixed-size instruction slots a proposal stores.
 *
 * A proposal's life: `createProposal` (a draft; vote weights and quorum are fixed here) →
 * `addInstruction` per instruction (the last one opens voting) → `castVote` → `finalize` →
 * `execute` (remaining accounts from {@link executeRemainingAccounts}) after the timelock. {@link proposalInstructions} builds
 * the first two steps.
 */
import type { IdlTypes, Program } from "@coral-xyz/anchor";
import { type AccountMeta, PublicKey, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import { MEDIA_STAKING_PROGRAM_ID, configPda as stakingConfigPda, stakeAccountPda } from "./generated/media_staking";
import { GOVERNANCE_CONSTANTS, type MediaGovernance, configPda as governancePda, proposalPda } from "./generated/media_governance";

export {
  GOVERNANCE_BOUNDS,
  GOVERNANCE_CONSTANTS,
  GOVERNANCE_DEFAULTS,
  GOVERNANCE_SEEDS,
  ProposalState,
  VoteSide,
  proposalPda,
  voteAuthorityPda,
} from "./generated/media_governance";
/** The governance config, `["governance"]`: the governance PDA that signs executed instructions. */
export { governancePda };

/** Most instructions per proposal, accounts per instruction, and data bytes per instruction. */
export const MAX_PROPOSAL_INSTRUCTIONS = GOVERNANCE_CONSTANTS.maxInstructions;
export const MAX_STORED_ACCOUNTS = GOVERNANCE_CONSTANTS.maxInstructionAccounts;
export const MAX_STORED_DATA = GOVERNANCE_CONSTANTS.maxInstructionData;
/** Most remaining accounts `execute` takes: per instruction, its program plus its accounts. */
export const MAX_EXECUTE_ACCOUNTS = GOVERNANCE_CONSTANTS.maxExecuteAccounts;
/** Bytes of a proposal's description URI (UTF-8, zero-padded). */
export const DESCRIPTION_URI_LEN = GOVERNANCE_CONSTANTS.descriptionUriLen;

/** One account slot of a stored instruction, as Anchor encodes and decodes it. */
export type StoredAccountMeta = IdlTypes<MediaGovernance>["storedAccountMeta"];

/** A stored instruction slot, as Anchor encodes and decodes it. */
export type StoredInstruction = IdlTypes<MediaGovernance>["storedInstruction"];

/**
 * The slot for `ix`, to pass to `addInstruction`. Only the governance PDA may be a signer
 * (the program refuses anything else); it signs by seeds when the proposal executes.
 */
export function toStoredInstruction(ix: TransactionInstruction): StoredInstruction {
  if (ix.keys.length > MAX_STORED_ACCOUNTS) throw new Error(`a stored instruction takes at most ${MAX_STORED_ACCOUNTS} accounts`);
  if (ix.data.length > MAX_STORED_DATA) throw new Error(`a stored instruction carries at most ${MAX_STORED_DATA} data bytes`);
  const empty: StoredAccountMeta = { pubkey: PublicKey.default, isSigner: false, isWritable: false };
  const accounts = Array.from({ length: MAX_STORED_ACCOUNTS }, (_, i) => {
    const key = ix.keys[i];
    return key ? { pubkey: key.pubkey, isSigner: key.isSigner, isWritable: key.isWritable } : empty;
  });
  const data = new Array<number>(MAX_STORED_DATA).fill(0);
  data.splice(0, ix.data.length, ...ix.data);
  return { programId: ix.programId, accountCount: ix.keys.length, dataLen: ix.data.length, accounts, data };
}

/** The used account slots of a stored instruction. */
export function storedAccounts(stored: StoredInstruction): StoredAccountMeta[] {
  return stored.accounts.slice(0, stored.accountCount);
}

/** The instructions a fetched proposal stores, in execution order. */
export function proposalStoredInstructions(proposal: { instructionCount: number; instructions: StoredInstruction[] }): StoredInstruction[] {
  return proposal.instructions.slice(0, proposal.instructionCount);
}

/**
 * `execute`'s remaining accounts for a fetched proposal: per stored instruction, its program,
 * then its accounts with their stored writability. Nothing signs: the program signs for the
 * governance PDA with its seeds.
 */
export function executeRemainingAccounts(proposal: Parameters<typeof proposalStoredInstructions>[0]): AccountMeta[] {
  return proposalStoredInstructions(proposal).flatMap((stored) => [
    { pubkey: stored.programId, isSigner: false, isWritable: false },
    ...storedAccounts(stored).map((meta) => ({ pubkey: meta.pubkey, isSigner: false, isWritable: meta.isWritable })),
  ]);
}

/** A description URI as the 128 zero-padded bytes a proposal stores. */
export function descriptionUriBytes(uri: string): number[] {
  const bytes = new TextEncoder().encode(uri);
  if (bytes.length > DESCRIPTION_URI_LEN) throw new Error(`a description URI is at most ${DESCRIPTION_URI_LEN} bytes`);
  const out = new Array<number>(DESCRIPTION_URI_LEN).fill(0);
  out.splice(0, bytes.length, ...bytes);
  return out;
}

/** The proposer's and proposal's accounts and contents, for {@link proposalInstructions}. */
export interface ProposalSpec {
  proposer: PublicKey;
  descriptionUri: string;
  /** SHA-256 of the proposal's text (32 bytes). */
  descriptionHash: Uint8Array | number[];
  instructions: TransactionInstruction[];
}

/**
 * `create_proposal` of proposal `id` (the config's `proposalCount` when it lands) by
 * `proposer`, announcing `instructionCount` instructions; its stake account and the staking
 * config are those of `stakingProgramId`'s deployment.
 */
export function createProposalInstruction(
  program: Program<MediaGovernance>,
  spec: { id: bigint; proposer: PublicKey; descriptionUri: string; descriptionHash: Uint8Array | number[]; instructionCount: number },
  stakingProgramId: PublicKey = MEDIA_STAKING_PROGRAM_ID,
): Promise<TransactionInstruction> {
  return program.methods
    .createProposal(new BN(spec.id.toString()), descriptionUriBytes(spec.descriptionUri), Array.from(spec.descriptionHash), spec.instructionCount)
    .accountsPartial({
      proposer: spec.proposer,
      stakingConfig: stakingConfigPda(stakingProgramId),
      stakeAccount: stakeAccountPda(spec.proposer, stakingProgramId),
    })
    .instruction();
}

/**
 * The `createProposal` and `addInstruction` instructions of a new proposal, numbered from the
 * config's current `proposalCount`. `createProposal` with the first `addInstruction` fits one
 * transaction; send each further `addInstruction` in its own. Voting opens with the last one.
 */
export async function proposalInstructions(
  program: Program<MediaGovernance>,
  spec: ProposalSpec,
  stakingProgramId: PublicKey = MEDIA_STAKING_PROGRAM_ID,
): Promise<{ proposal: PublicKey; id: bigint; instructions: TransactionInstruction[] }> {
  const count = spec.instructions.length;
  if (count < 1 || count > MAX_PROPOSAL_INSTRUCTIONS) {
    throw new Error(`a proposal carries 1 to ${MAX_PROPOSAL_INSTRUCTIONS} instructions`);
  }
  const config = await program.account.governanceConfig.fetch(governancePda(program.programId));
  const id = BigInt(config.proposalCount.toString());
  const proposal = proposalPda(id, program.programId);
  const create = await createProposalInstruction(program, { ...spec, id, instructionCount: count }, stakingProgramId);
  const adds = await Promise.all(
    spec.instructions.map((ix, index) =>
      program.methods.addInstruction(index, toStoredInstruction(ix)).accounts({ proposer: spec.proposer, proposal }).instruction(),
    ),
  );
  return { proposal, id, instructions: [create, ...adds] };
}
