import type { PublicKey, TransactionInstruction } from "@solana/web3.js";
import { Transaction } from "@solana/web3.js";
import { withMediaErrors } from "../errors";
import type { MediaGovernance } from "../generated/media_governance";
import { executeRemainingAccounts, GOVERNANCE_DEFAULTS, governancePda, proposalInstructions, type VoteSide } from "../governance";
import { type Actor, ClientBase } from "./base";

/** The `media_governance` program: proposals, stake-weighted votes, timelocked execution. */
export class GovernanceClient extends ClientBase<MediaGovernance> {
  /** The governance PDA: its config, and the signer of executed instructions. */
  address(): PublicKey {
    return governancePda(this.programId);
  }

  fetchConfig() {
    return this.program.account.governanceConfig.fetch(this.address());
  }

  fetchProposal(proposal: PublicKey) {
    return this.program.account.proposal.fetch(proposal);
  }

  initializeConfig(params = GOVERNANCE_DEFAULTS): Promise<string> {
    return withMediaErrors(() =>
      this.program.methods
        .initializeConfig(params.votingPeriod, params.quorumBps, params.proposalThreshold, params.timelock, params.executionWindow)
        .accounts({ authority: this.wallet() })
        .rpc(),
    );
  }

  /**
   * The acting staker proposes `instructions` (each must be signed, if at all, by the
   * governance PDA). Sends `create_proposal` with the first `add_instruction`, then one
   * transaction per further instruction; voting opens with the last. Returns the proposal.
   */
  async propose(instructions: TransactionInstruction[], description: { uri: string; hash: number[] }, actor: Actor = {}): Promise<PublicKey> {
    const proposer = this.actor(actor);
    const built = await proposalInstructions(this.program, {
      proposer,
      descriptionUri: description.uri,
      descriptionHash: description.hash,
      instructions,
    });
    const [create, first, ...rest] = built.instructions;
    await this.send([create, first], actor);
    for (const add of rest) await this.send([add], actor);
    return built.proposal;
  }

  /** The acting staker votes on `proposal` with its stake account. */
  castVote(proposal: PublicKey, side: VoteSide, actor: Actor = {}): Promise<string> {
    const voter = this.actor(actor);
    return withMediaErrors(() => this.program.methods.castVote(side).accounts({ voter, proposal }).signers(this.signers(actor)).rpc());
  }

  /** Closes voting on `proposal` after its voting period (anyone may). */
  finalize(proposal: PublicKey): Promise<string> {
    return withMediaErrors(() => this.program.methods.finalize().accounts({ proposal }).rpc());
  }

  /** Executes a succeeded `proposal` after its timelock (anyone may). */
  async execute(proposal: PublicKey): Promise<string> {
    const state = await this.fetchProposal(proposal);
    return withMediaErrors(() =>
      this.program.methods
        .execute()
        .accounts({ proposal })
        .remainingAccounts(executeRemainingAccounts(state as unknown as Parameters<typeof executeRemainingAccounts>[0]))
        .rpc(),
    );
  }

  private send(instructions: TransactionInstruction[], actor: Actor): Promise<string> {
    const provider = this.program.provider;
    if (!provider.sendAndConfirm) throw new Error("the provider cannot send transactions");
    return withMediaErrors(() => provider.sendAndConfirm!(new Transaction().add(...instructions), this.signers(actor)));
  }
}
