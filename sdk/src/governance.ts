/**
 * media_governance: constants, PDAs, and the conversions between web3.js instructions and
 * the fixed-size instruction slots a proposal stores.
 *
 * A proposal's life: `createProposal` (a draft; vote weights and quorum are fixed here) →
 * `addInstruction` per instruction (the last one opens voting) → `castVote` → `finalize` →
 * `execute` (remaining accounts from {@link executeRemainingAccounts}) after the timelock. {@link proposalInstructions} builds
 * the first two steps.
 */
import type { Program } from "@coral-xyz/anchor";
import { type AccountMeta, PublicKey, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import { MEDIA, MEDIA_GOVERNANCE_PROGRAM_ID, MEDIA_STAKING_PROGRAM_ID } from "./constants";
import type { MediaGovernance } from "./generated/media_governance";
import { stakeAccountPda } from "./pdas";

/** PDA seeds of media_governance. */
export const GOVERNANCE_SEEDS = {
  governance: Buffer.from("governance"),
  proposal: Buffer.from("proposal"),
  vote: Buffer.from("vote"),
  voteAuthority: Buffer.from("vote_authority"),
} as const;

/** Most instructions per proposal, accounts per instruction, and data bytes per instruction. */
export const MAX_PROPOSAL_INSTRUCTIONS = 4;
export const MAX_STORED_ACCOUNTS = 8;
export const MAX_STORED_DATA = 128;
/** Most remaining accounts `execute` takes: per instruction, its program plus its accounts. */
export const MAX_EXECUTE_ACCOUNTS = 22;
/** Bytes of a proposal's description URI (UTF-8, zero-padded). */
export const DESCRIPTION_URI_LEN = 128;

/**
 * The governance defaults (ECONOMY.md), used by genesis. The timelock is as long as staking's
 * default unbonding period (and `finalize` waits out the current one if it is longer), so a
 * staker who disagrees with a passed proposal can leave before it executes.
 */
export const GOVERNANCE_DEFAULTS = {
  votingPeriod: new BN(3 * 24 * 60 * 60),
  quorumBps: 2_000,
  proposalThreshold: new BN(100).mul(MEDIA),
  timelock: new BN(7 * 24 * 60 * 60),
  executionWindow: new BN(7 * 24 * 60 * 60),
} as const;

/** `Proposal.state`. */
export enum ProposalState {
  Draft = 0,
  Voting = 1,
  Succeeded = 2,
  Defeated = 3,
  Executed = 4,
  Cancelled = 5,
}

/** `castVote(side)`. */
export enum VoteSide {
  For = 0,
  Against = 1,
  Abstain = 2,
}

/** The governance config, `["governance"]`: the governance PDA that signs executed instructions. */
export function governancePda(programId: PublicKey = MEDIA_GOVERNANCE_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([GOVERNANCE_SEEDS.governance], programId)[0];
}

/**
 * The vote authority, `["vote_authority"]`: media_staking's only `lock_stake` signer, which
 * governance signs with in `cast_vote` and never in `execute` (no proposal can lock stake).
 */
export function voteAuthorityPda(programId: PublicKey = MEDIA_GOVERNANCE_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([GOVERNANCE_SEEDS.voteAuthority], programId)[0];
}

/** Proposal number `id`, `["proposal", id as u64 LE]`. */
export function proposalPda(id: BN | number | bigint, programId: PublicKey = MEDIA_GOVERNANCE_PROGRAM_ID): PublicKey {
  const idBytes = new BN(id.toString()).toArrayLike(Buffer, "le", 8);
  return PublicKey.findProgramAddressSync([GOVERNANCE_SEEDS.proposal, idBytes], programId)[0];
}

/** The vote of `stakeAccount` on `proposal`, `["vote", proposal, stake_account]`. */
export function voteRecordPda(proposal: PublicKey, stakeAccount: PublicKey, programId: PublicKey = MEDIA_GOVERNANCE_PROGRAM_ID): PublicKey {
  return PublicKey.findProgramAddressSync([GOVERNANCE_SEEDS.vote, proposal.toBuffer(), stakeAccount.toBuffer()], programId)[0];
}

/** One account slot of a stored instruction, as Anchor encodes and decodes it. */
export interface StoredAccountMeta {
  pubkey: PublicKey;
  isSigner: boolean;
  isWritable: boolean;
}

/** A stored instruction slot, as Anchor encodes and decodes it. */
export interface StoredInstruction {
  programId: PublicKey;
  accountCount: number;
  dataLen: number;
  account0: StoredAccountMeta;
  account1: StoredAccountMeta;
  account2: StoredAccountMeta;
  account3: StoredAccountMeta;
  account4: StoredAccountMeta;
  account5: StoredAccountMeta;
  account6: StoredAccountMeta;
  account7: StoredAccountMeta;
  data: number[];
}

const SLOT_KEYS = ["account0", "account1", "account2", "account3", "account4", "account5", "account6", "account7"] as const;

/**
 * The slot for `ix`, to pass to `addInstruction`. Only the governance PDA may be a signer
 * (the program refuses anything else); it signs by seeds when the proposal executes.
 */
export function toStoredInstruction(ix: TransactionInstruction): StoredInstruction {
  if (ix.keys.length > MAX_STORED_ACCOUNTS) throw new Error(`a stored instruction takes at most ${MAX_STORED_ACCOUNTS} accounts`);
  if (ix.data.length > MAX_STORED_DATA) throw new Error(`a stored instruction carries at most ${MAX_STORED_DATA} data bytes`);
  const empty: StoredAccountMeta = { pubkey: PublicKey.default, isSigner: false, isWritable: false };
  const slots = SLOT_KEYS.map((_, i) => {
    const key = ix.keys[i];
    return key ? { pubkey: key.pubkey, isSigner: key.isSigner, isWritable: key.isWritable } : empty;
  });
  const data = new Array<number>(MAX_STORED_DATA).fill(0);
  data.splice(0, ix.data.length, ...ix.data);
  return {
    programId: ix.programId,
    accountCount: ix.keys.length,
    dataLen: ix.data.length,
    account0: slots[0],
    account1: slots[1],
    account2: slots[2],
    account3: slots[3],
    account4: slots[4],
    account5: slots[5],
    account6: slots[6],
    account7: slots[7],
    data,
  };
}

/** The used account slots of a stored instruction. */
export function storedAccounts(stored: StoredInstruction): StoredAccountMeta[] {
  return SLOT_KEYS.slice(0, stored.accountCount).map((key) => stored[key]);
}

/** The instructions a fetched proposal stores, in execution order. */
export function proposalStoredInstructions(proposal: {
  instructionCount: number;
  instruction0: StoredInstruction;
  instruction1: StoredInstruction;
  instruction2: StoredInstruction;
  instruction3: StoredInstruction;
}): StoredInstruction[] {
  return [proposal.instruction0, proposal.instruction1, proposal.instruction2, proposal.instruction3].slice(0, proposal.instructionCount);
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
  const bytes = Buffer.from(uri, "utf8");
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
 * The `createProposal` and `addInstruction` instructions of a new proposal, numbered from the
 * config's current `proposalCount`. `createProposal` with the first `addInstruction` fits one
 * transaction; send each further `addInstruction` in its own. Voting opens with the last one.
 */
export async function proposalInstructions(
  program: Program<MediaGovernance>,
  spec: ProposalSpec,
): Promise<{ proposal: PublicKey; id: BN; instructions: TransactionInstruction[] }> {
  const count = spec.instructions.length;
  if (count < 1 || count > MAX_PROPOSAL_INSTRUCTIONS) {
    throw new Error(`a proposal carries 1 to ${MAX_PROPOSAL_INSTRUCTIONS} instructions`);
  }
  const config = await program.account.governanceConfig.fetch(governancePda(program.programId));
  const id = config.proposalCount;
  const proposal = proposalPda(id, program.programId);
  const create = await program.methods
    .createProposal(id, descriptionUriBytes(spec.descriptionUri), Array.from(spec.descriptionHash), count)
    .accounts({ proposer: spec.proposer, stakeAccount: stakeAccountPda(spec.proposer, MEDIA_STAKING_PROGRAM_ID) })
    .instruction();
  const adds = await Promise.all(
    spec.instructions.map((ix, index) =>
      program.methods.addInstruction(index, toStoredInstruction(ix)).accounts({ proposer: spec.proposer, proposal }).instruction(),
    ),
  );
  return { proposal, id, instructions: [create, ...adds] };
}
