/**
 * Governance over the other programs once every authority is the governance PDA: a bandwidth
 * fee change that too few stakers vote on is defeated for lack of quorum, and a treasury grant
 * that a majority backs executes after its timelock, and so does a bounded activity window change.
 */
import { expect } from "chai";
import { BANDWIDTH_BOUNDS, BANDWIDTH_DEFAULTS, GOVERNANCE_DEFAULTS, ProposalState, VoteSide } from "../../sdk/src";
import { expectProgramError, expectRefused } from "../utils/assertions";
import { warpSeconds, given } from "../utils/bank";
import { MEDIA, addStakers, addTokenAccount, bn, handOverToGovernance, fundMedia, setUpEconomy } from "../utils/economy";
import { execute, finalize, propose, vote } from "../utils/governance";
import { tokenBalance } from "../utils/token";

describe("media_governance: governing bandwidth and the treasury", () => {
  const cast = given(async (bank) => {
    const economy = await setUpEconomy(bank);
    // Given three stakers with 100, 300 and 600 MEDIA, and every authority handed to governance
    const holdings = [
      [200n, 100n],
      [400n, 300n],
      [700n, 600n],
    ].map(([media, staked]) => [media * MEDIA, staked * MEDIA] as const);
    const [small, large, larger] = await addStakers(economy, holdings);
    await handOverToGovernance(economy);
    return { economy, small, large, larger };
  });

  const voting = () => warpSeconds(cast.bank, Number(GOVERNANCE_DEFAULTS.votingPeriod.toString()) + 1);
  const timelock = () => warpSeconds(cast.bank, Number(GOVERNANCE_DEFAULTS.timelock.toString()));

  it("defeats a bandwidth protocol fee change for lack of quorum", async () => {
    const b = BANDWIDTH_DEFAULTS;
    const raiseFee = await cast.bank.programs.bandwidth.methods
      .setParameters(1_500, b.stakerShareBps, bn(b.quotaWindow), bn(b.disputeWindow))
      .accounts({ authority: cast.economy.governance })
      .instruction();
    const proposal = await propose(cast.economy.governanceWorld, cast.large, [raiseFee], "ipfs://raise-protocol-fee");
    // When only the 100 MEDIA staker votes: 100 of 1,000 is below the 20% quorum
    await vote(cast.economy.governanceWorld, proposal, cast.small, VoteSide.For);
    await voting();
    await finalize(cast.economy.governanceWorld, proposal);
    // Then the proposal is defeated, cannot execute, and the fee is unchanged
    const state = await cast.bank.programs.governance.account.proposal.fetch(proposal);
    expect(state.state).to.deep.equal(ProposalState.Defeated);
    expect(Number(state.votesFor.toString())).to.be.lessThan(Number(state.quorumVotes.toString()));
    await timelock();
    await expectProgramError(execute(cast.economy.governanceWorld, proposal), "ProposalNotSucceeded");
    const bandwidth = await cast.bank.programs.bandwidth.account.bandwidthConfig.fetch(cast.economy.bandwidthConfig);
    expect(bandwidth.protocolFeeBps).to.equal(b.protocolFeeBps);
  });

  it("executes a treasury spend the majority backs, after the timelock", async () => {
    await fundMedia(cast.economy, cast.economy.treasuryMediaVault, 50n * MEDIA);
    const grantee = await addTokenAccount(cast.economy, cast.economy.mediaMint, cast.economy.deployer.publicKey);
    const grant = await cast.bank.programs.treasury.methods
      .spend(bn(20n * MEDIA))
      .accounts({ authority: cast.economy.governance, vault: cast.economy.treasuryMediaVault, destination: grantee })
      .instruction();
    const proposal = await propose(cast.economy.governanceWorld, cast.larger, [grant], "ipfs://grant-20-media");
    await vote(cast.economy.governanceWorld, proposal, cast.larger, VoteSide.For);
    await vote(cast.economy.governanceWorld, proposal, cast.large, VoteSide.Against);
    await voting();
    await finalize(cast.economy.governanceWorld, proposal);
    expect((await cast.bank.programs.governance.account.proposal.fetch(proposal)).state).to.deep.equal(ProposalState.Succeeded);
    // Not before the timelock
    await expectProgramError(execute(cast.economy.governanceWorld, proposal), "TimelockNotElapsed");
    await timelock();
    await execute(cast.economy.governanceWorld, proposal);
    expect(await tokenBalance(cast.bank, grantee)).to.equal(20n * MEDIA);
    expect(await tokenBalance(cast.bank, cast.economy.treasuryMediaVault)).to.equal(30n * MEDIA);
    expect((await cast.bank.programs.governance.account.proposal.fetch(proposal)).state).to.deep.equal(ProposalState.Executed);
  });

  it("executes an activity window change the majority backs; one out of bounds fails at execution and changes nothing", async () => {
    // Given proposals for a 3-day activity window and for one a second below its lower bound,
    // built with the SDK's builder and signed by the governance PDA
    const bandwidth = cast.bank.clients.bandwidth;
    const [low] = BANDWIDTH_BOUNDS.activityWindow.map((bound) => BigInt(bound.toString()));
    const days3 = 3n * 86_400n;
    const valid = await propose(cast.economy.governanceWorld, cast.larger, [await bandwidth.setActivityWindowInstruction(days3, cast.economy.governance)]);
    const tooShort = await propose(cast.economy.governanceWorld, cast.larger, [
      await bandwidth.setActivityWindowInstruction(low - 1n, cast.economy.governance),
    ]);
    // When the majority backs both and the timelock passes
    for (const proposal of [valid, tooShort]) await vote(cast.economy.governanceWorld, proposal, cast.larger, VoteSide.For);
    await voting();
    for (const proposal of [valid, tooShort]) await finalize(cast.economy.governanceWorld, proposal);
    await timelock();
    // Then the bounded one applies, and the other is refused by the bandwidth program's bounds
    await execute(cast.economy.governanceWorld, valid);
    expect((await bandwidth.fetchConfig()).activityWindow).to.equal(days3);
    await expectRefused(cast.bank, [cast.economy.bandwidthConfig, tooShort], "ParameterOutOfBounds", () => execute(cast.economy.governanceWorld, tooShort));
    expect((await bandwidth.fetchConfig()).activityWindow).to.equal(days3);
  });
});
