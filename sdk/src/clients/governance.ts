import type { IdlAccounts } from "@coral-xyz/anchor";
import type { PublicKey, TransactionInstruction } from "@solana/web3.js";
import { type Bigints, toBigints } from "../bigint";
import type { MediaGovernance } from "../generated/media_governance";
import {
  createProposalInstruction,
  executeRemainingAccounts,
  proposalPda,
  GOVERNANCE_DEFAULTS,
  governancePda,
  proposalInstructions,
  type ProposalSpec,
  toStoredInstruction,
  type VoteSide,
} from "../governance";
import { fieldFilter } from "../listing";
import { programDataPda } from "../loader";
import { stakeAccountPda, stakingConfigPda } from "../pdas";
import type { MediaProgramIds } from "../programs";
import type { InstructionArgs } from "../idl-type";
import { type Actor, ClientBase, type WithAmounts, toBN } from "./base";

/** A proposal's description: where its text is and the SHA-256 of that text. */
export interface ProposalDescription {
  uri: string;
  hash: number[] | Uint8Array;
}

/** media_governance's config as the SDK returns it: every amount and time a bigint. */
export type GovernanceConfigAccount = Bigints<IdlAccounts<MediaGovernance>["governanceConfig"]>;
/** A proposal as the SDK returns it. */
export type ProposalAccount = Bigints<IdlAccounts<MediaGovernance>["proposal"]>;

/** `initialize_config`'s and `set_params`' arguments. */
export type GovernanceParams = WithAmounts<InstructionArgs<MediaGovernance, "setParams">>;

/** The `media_governance` program: proposals, stake-weighted votes, timelocked execution. */
export class GovernanceClient extends ClientBase<MediaGovernance> {
  protected programName(): keyof MediaProgramIds {
    return "governance";
  }

  /** media_staking's accounts a vote or proposal of `staker` reads: its config, the staker's stake account, the program. */
  private stakingAccounts(staker: PublicKey) {
    const staking = this.programIds.staking;
    return { stakingConfig: stakingConfigPda(staking), stakeAccount: stakeAccountPda(staker, staking), stakingProgram: staking };
  }

  /** The governance PDA: its config, and the signer of executed instructions. */
  address(): PublicKey {
    return governancePda(this.programId);
  }

  /** The decoded config (amounts and times as bigint). */
  async fetchConfig(): Promise<GovernanceConfigAccount> {
    return toBigints(await this.program.account.governanceConfig.fetch(this.address()));
  }

  /** The proposal at `proposal` (ids, weights, votes and times as bigint). */
  async fetchProposal(proposal: PublicKey): Promise<ProposalAccount> {
    return toBigints(await this.program.account.proposal.fetch(proposal));
  }

  /** `initialize_config` with `params`, signed by `authority` (the programs' upgrade authority). */
  initializeConfigInstruction(params: GovernanceParams = GOVERNANCE_DEFAULTS, authority: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    return this.program.methods
      .initializeConfig(toBN(params.votingPeriod), params.quorumBps, toBN(params.proposalThreshold), toBN(params.timelock), toBN(params.executionWindow))
      .accountsPartial({ authority, programData: programDataPda(this.programId) })
      .instruction();
  }

  /** `set_params` signed by `authority` (the governance PDA after its own hand-over: put it in a proposal). */
  setParamsInstruction(params: GovernanceParams, authority: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    return this.program.methods
      .setParams(toBN(params.votingPeriod), params.quorumBps, toBN(params.proposalThreshold), toBN(params.timelock), toBN(params.executionWindow))
      .accounts({ authority })
      .instruction();
  }

  /** `add_instruction`: `proposer` stores `instruction` at `index` of its draft `proposal` (the last one opens voting). */
  addInstructionInstruction(proposal: PublicKey, index: number, instruction: TransactionInstruction, proposer: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods.addInstruction(index, toStoredInstruction(instruction)).accounts({ proposer, proposal }).instruction();
  }

  /**
   * `create_proposal` of proposal `id` (the config's `proposalCount` when it lands, see
   * `nextProposalId`) by `proposer`, announcing `instructionCount` instructions.
   */
  createProposalInstruction(id: bigint, description: ProposalDescription, instructionCount: number, proposer: PublicKey): Promise<TransactionInstruction> {
    return createProposalInstruction(
      this.program,
      { id, proposer, descriptionUri: description.uri, descriptionHash: description.hash, instructionCount },
      this.programIds.staking,
    );
  }

  /** Proposals (all, or `proposer`'s), with their addresses, over `getProgramAccounts`. */
  async listProposals(filter: { proposer?: PublicKey } = {}): Promise<{ address: PublicKey; account: ProposalAccount }[]> {
    const filters = filter.proposer ? [fieldFilter(this.program.rawIdl, "Proposal", "proposer", filter.proposer)] : [];
    const found = await this.program.account.proposal.all(filters);
    return found
      .map(({ publicKey, account }) => ({ address: publicKey, account: toBigints(account) }))
      .sort((a, b) => (a.account.id < b.account.id ? -1 : a.account.id > b.account.id ? 1 : 0));
  }

  /** The id the next proposal gets (the config's `proposalCount`). */
  async nextProposalId(): Promise<bigint> {
    return (await this.fetchConfig()).proposalCount;
  }

  /** The address of proposal `id`. */
  proposalAddress(id: bigint | number): PublicKey {
    return proposalPda(id, this.programId);
  }

  /**
   * The transactions of a proposal by `proposer` of `instructions` (each signed, if at all, by
   * the governance PDA): `create_proposal` with the first `add_instruction`, then one per
   * further instruction; voting opens with the last.
   */
  async proposeTransactions(
    instructions: TransactionInstruction[],
    description: ProposalDescription,
    proposer: PublicKey,
  ): Promise<{ proposal: PublicKey; transactions: TransactionInstruction[][] }> {
    const spec: ProposalSpec = { proposer, descriptionUri: description.uri, descriptionHash: description.hash, instructions };
    const built = await proposalInstructions(this.program, spec, this.programIds.staking);
    const [create, first, ...rest] = built.instructions;
    return { proposal: built.proposal, transactions: [[create, first], ...rest.map((add) => [add])] };
  }

  /** `cast_vote(side)` of `voter` with its stake account. */
  castVoteInstruction(proposal: PublicKey, side: VoteSide, voter: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods
      .castVote(side)
      .accountsPartial({ voter, proposal, ...this.stakingAccounts(voter) })
      .instruction();
  }

  /** `finalize` of `proposal` (anyone may, after its voting period). */
  finalizeInstruction(proposal: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods
      .finalize()
      .accountsPartial({ proposal, stakingConfig: stakingConfigPda(this.programIds.staking) })
      .instruction();
  }

  /** `execute` of `proposal`, with the remaining accounts its stored instructions name. */
  async executeInstruction(proposal: PublicKey): Promise<TransactionInstruction> {
    const state = await this.fetchProposal(proposal);
    return this.program.methods
      .execute()
      .accounts({ proposal })
      .remainingAccounts(executeRemainingAccounts(state as unknown as Parameters<typeof executeRemainingAccounts>[0]))
      .instruction();
  }

  /** `cancel` of `proposal` by its proposer (before any vote). */
  cancelInstruction(proposal: PublicKey, proposer: PublicKey): Promise<TransactionInstruction> {
    return this.program.methods.cancel().accounts({ proposer, proposal }).instruction();
  }

  /** Sets the governance parameters as the config authority (before governance's own hand-over). */
  async setParams(params: GovernanceParams, actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.setParamsInstruction(params, signer));
  }

  /** The acting proposer stores `instruction` at `index` of its draft `proposal` (the last one opens voting). */
  async addInstruction(proposal: PublicKey, index: number, instruction: TransactionInstruction, actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.addInstructionInstruction(proposal, index, instruction, signer));
  }

  /** Creates the config (once, by the deployer). */
  async initializeConfig(params: GovernanceParams = GOVERNANCE_DEFAULTS, actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.initializeConfigInstruction(params, signer));
  }

  /**
   * The acting staker proposes `instructions` (see `proposeTransactions`), one transaction
   * after the other. Returns the proposal.
   */
  async propose(instructions: TransactionInstruction[], description: ProposalDescription, actor: Actor = {}): Promise<PublicKey> {
    const { proposal, transactions } = await this.proposeTransactions(instructions, description, this.actor(actor));
    for (const transaction of transactions) await this.send(transaction, actor);
    return proposal;
  }

  /** The acting staker votes on `proposal` with its stake account. */
  async castVote(proposal: PublicKey, side: VoteSide, actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.castVoteInstruction(proposal, side, signer));
  }

  /** Closes voting on `proposal` after its voting period (anyone may). */
  async finalize(proposal: PublicKey): Promise<string> {
    return this.send([await this.finalizeInstruction(proposal)]);
  }

  /** Executes a succeeded `proposal` after its timelock (anyone may). */
  async execute(proposal: PublicKey): Promise<string> {
    return this.send([await this.executeInstruction(proposal)]);
  }

  /** The acting proposer cancels `proposal` before any vote. */
  async cancel(proposal: PublicKey, actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.cancelInstruction(proposal, signer));
  }
}
