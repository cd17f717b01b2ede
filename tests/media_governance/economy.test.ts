/**
 * Governance over the other programs once every authority is the governance PDA: a bandwidth
 * fee change that too few stakers vote on is defeated for lack of quorum, and a treasury grant
 * that a majority backs executes after its timelock.
 */
import { expect } from "chai";
import { BANDWIDTH_DEFAULTS, GOVERNANCE_DEFAULTS, ProposalState, VoteSide } from "../../sdk/src";
import { expectProgramError } from "../utils/assertions";
import { type Bank, startBank, warpSeconds } from "../utils/bank";
import { type Economy, MEDIA, addStaker, addTokenAccount, bn, handOverToGovernance, mintMedia, setUpEconomy } from "../utils/economy";
import { execute, finalize, propose, vote } from "../utils/governance";
import { type Staker, stake } from "../utils/staking";
import { tokenBalance } from "../utils/token";

describe("media_governance: governing bandwidth and the treasury", () => {
  let bank: Bank;
  let economy: Economy;
  let small: Staker;
  let large: Staker;
  let larger: Staker;

  before(async () => {
    bank = await startBank();
    economy = await setUpEconomy(bank);
    // Given three stakers with 100, 300 and 600 MEDIA, and every authority handed to governance
    [small, large, larger] = await Promise.all([200n, 400n, 700n].map((m) => addStaker(economy, m * MEDIA)));
    for (const [staker, amount] of [
      [small, 100n],
      [large, 300n],
      [larger, 600n],
    ] as const) {
      await stake(economy.governanceWorld, staker, amount * MEDIA);
    }
    await handOverToGovernance(economy);
  });

  const voting = () => warpSeconds(bank, Number(GOVERNANCE_DEFAULTS.votingPeriod.toString()) + 1);
  const timelock = () => warpSeconds(bank, Number(GOVERNANCE_DEFAULTS.timelock.toString()));

  it("defeats a bandwidth protocol fee change for lack of quorum", async () => {
    const b = BANDWIDTH_DEFAULTS;
    const raiseFee = await bank.programs.bandwidth.methods
      .setParameters(1_500, b.stakerShareBps, b.quotaWindow, b.disputeWindow)
      .accounts({ authority: economy.governance })
      .instruction();
    const proposal = await propose(economy.governanceWorld, large, [raiseFee], "ipfs://raise-protocol-fee");
    // When only the 100 MEDIA staker votes: 100 of 1,000 is below the 20% quorum
    await vote(economy.governanceWorld, proposal, small, VoteSide.For);
    await voting();
    await finalize(economy.governanceWorld, proposal);
    // Then the proposal is defeated, cannot execute, and the fee is unchanged
    const state = await bank.programs.governance.account.proposal.fetch(proposal);
    expect(state.state).to.deep.equal(ProposalState.Defeated);
    expect(Number(state.votesFor.toString())).to.be.lessThan(Number(state.quorumVotes.toString()));
    await timelock();
    await expectProgramError(execute(economy.governanceWorld, proposal), "ProposalNotSucceeded");
    const bandwidth = await bank.programs.bandwidth.account.bandwidthConfig.fetch(economy.bandwidthConfig);
    expect(bandwidth.protocolFeeBps).to.equal(b.protocolFeeBps);
  });

  it("executes a treasury spend the majority backs, after the timelock", async () => {
    await mintMedia(economy, economy.treasuryMediaVault, 50n * MEDIA);
    const grantee = await addTokenAccount(economy, economy.mediaMint, economy.deployer.publicKey);
    const grant = await bank.programs.treasury.methods
      .spend(bn(20n * MEDIA))
      .accounts({ authority: economy.governance, vault: economy.treasuryMediaVault, destination: grantee })
      .instruction();
    const proposal = await propose(economy.governanceWorld, larger, [grant], "ipfs://grant-20-media");
    await vote(economy.governanceWorld, proposal, larger, VoteSide.For);
    await vote(economy.governanceWorld, proposal, large, VoteSide.Against);
    await voting();
    await finalize(economy.governanceWorld, proposal);
    expect((await bank.programs.governance.account.proposal.fetch(proposal)).state).to.deep.equal(ProposalState.Succeeded);
    // Not before the timelock
    await expectProgramError(execute(economy.governanceWorld, proposal), "TimelockNotElapsed");
    await timelock();
    await execute(economy.governanceWorld, proposal);
    expect(await tokenBalance(bank, grantee)).to.equal(20n * MEDIA);
    expect(await tokenBalance(bank, economy.treasuryMediaVault)).to.equal(30n * MEDIA);
    expect((await bank.programs.governance.account.proposal.fetch(proposal)).state).to.deep.equal(ProposalState.Executed);
  });
});
