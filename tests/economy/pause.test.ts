/**
 * A pause only stops new risk: it never blocks the path that lifts it, never keeps users
 * from their own funds, and never stops the fees that pay stakers. Told as stories after the
 * hand-over, when every config's authority is the governance PDA and a guardian key holds
 * the pause switches of staking and governance:
 * - the guardian pauses staking: stakers still vote (each vote locks stake through staking),
 *   unstake, withdraw, claim and fund rewards; new stake and rebonding wait; an unpause voted
 *   during the pause executes as soon as voting ends (a proposal that only lifts pauses has no
 *   timelock), long before the pause would lapse;
 * - the guardian pauses governance: votes, finalize and cancel go on; proposals may carry and
 *   execute only instructions that lift a pause; governance is unpaused as soon as a vote
 *   held during the pause ends, and the guardian replaced after the timelock;
 * - a pause cannot run out a passed proposal's execution window;
 * - a MEDIA settlement while staking is paused still pays the stakers' share.
 * (A pause nobody renews lapses on its own: tests/media_staking/admin.test.ts.)
 */
import { Keypair, type PublicKey, Transaction } from "@solana/web3.js";
import { expect } from "chai";
import { GOVERNANCE_DEFAULTS, ProposalState, STAKING_DEFAULTS, VoteSide, feeSplit, isPausedAt, proposalInstructions, proposalPda } from "../../sdk/src";
import { expectProgramError, expectUnchanged, snapshot, expectRefused } from "../utils/assertions";
import { GIB, PRICES, settle } from "../utils/bandwidth";
import { startBank, unixTimestamp, warpSeconds, given } from "../utils/bank";
import {
  MEDIA,
  addConsumer,
  addEscrow,
  addOperator,
  addStaker,
  addStakers,
  balanceOf,
  checkInvariants,
  expectStakingVaultSynced,
  handOverToGovernance,
  setUpEconomy,
} from "../utils/economy";
import { execute, finalize, propose, stakingSetMinStake, vote } from "../utils/governance";
import { airdrop } from "../utils/token";
import { REWARD_SCALE } from "../utils/constants";

const VOTING_PERIOD = Number(GOVERNANCE_DEFAULTS.votingPeriod);
const UNBONDING_PERIOD = Number(STAKING_DEFAULTS.unbondingPeriod);
const big = (value: { toString(): string }) => BigInt(value.toString());

describe("economy: a pause only stops new risk", function () {
  this.timeout(300_000);
  const guardian = Keypair.generate();

  const world = () => cast.economy.governanceWorld;
  const now = () => unixTimestamp(cast.bank);
  const stakingPaused = async () => isPausedAt((await cast.bank.programs.staking.account.stakingConfig.fetch(cast.economy.stakingConfig)).pause, await now());
  const governancePaused = async () =>
    isPausedAt((await cast.bank.programs.governance.account.governanceConfig.fetch(cast.economy.governance)).pause, await now());
  const nextProposal = async () => proposalPda((await cast.bank.programs.governance.account.governanceConfig.fetch(cast.economy.governance)).proposalCount);
  /** Warps to a finalized proposal's earliest execution. */
  const untilExecutable = async (proposal: PublicKey) => {
    const { executableAt } = await cast.bank.programs.governance.account.proposal.fetch(proposal);
    await warpSeconds(cast.bank, big(executableAt) - (await now()));
  };

  const cast = given(async (bank) => {
    const economy = await setUpEconomy(bank);
    await airdrop(bank, guardian.publicKey);
    // Given a guardian key that may pause staking and governance, and every authority with governance
    await bank.clients.staking.setPauseAuthority(guardian.publicKey);
    await bank.clients.governance.setPauseAuthority(guardian.publicKey);
    const holdings = [
      [1_000n, 400n],
      [500n, 200n],
      [200n, 100n],
      [200n, 0n],
      [200n, 100n],
      [100n, 0n],
    ].map(([media, staked]) => [media * MEDIA, staked * MEDIA] as const);
    const [alice, bob, carol, dave, erin, sponsor] = await addStakers(economy, holdings);
    await handOverToGovernance(economy);
    return { economy, alice, bob, carol, dave, erin, sponsor };
  });

  it("the guardian pauses staking: stakers still vote, unstake, withdraw and claim; an unpause voted during the pause runs when voting ends", async () => {
    // Given Carol unbonding for the whole unbonding period, and rewards funded
    await cast.carol.requestUnstake(100n * MEDIA);
    await cast.sponsor.fundRewards(10n * MEDIA);
    await warpSeconds(cast.bank, UNBONDING_PERIOD);

    // When the guardian pauses staking
    await cast.bank.clients.staking.setPaused(true, { signer: guardian });
    expect(await stakingPaused()).to.equal(true);

    // Then proposals can still be made and voted on: every vote locks stake through staking
    const unpauseStaking = await cast.bank.clients.staking.setPausedInstruction(false, cast.economy.governance);
    const unpause = await propose(world(), cast.alice, [unpauseStaking], "ipfs://unpause-staking");
    await vote(world(), unpause, cast.alice, VoteSide.For);
    const proposal = await propose(world(), cast.bob, [await stakingSetMinStake(world(), 30n * MEDIA)], "ipfs://min-stake-30");
    await vote(world(), proposal, cast.alice, VoteSide.For);
    await vote(world(), proposal, cast.bob, VoteSide.Against);
    const votingEndsAt = (await cast.bank.programs.governance.account.proposal.fetch(proposal)).votingEndsAt.toString();
    expect((await cast.bank.programs.staking.account.stakeAccount.fetch(cast.alice.stakeAccount)).voteLockUntil.toString()).to.equal(votingEndsAt);
    // and every way out stays open: unstaking, withdrawing, claiming, and funding the stakers
    await cast.erin.requestUnstake(100n * MEDIA);
    const carolBefore = await balanceOf(cast.bank, cast.carol.tokenAccount);
    await cast.carol.withdraw();
    expect(await balanceOf(cast.bank, cast.carol.tokenAccount)).to.equal(carolBefore + 100n * MEDIA);
    const aliceBefore = await balanceOf(cast.bank, cast.alice.tokenAccount);
    await cast.alice.claimRewards();
    expect((await balanceOf(cast.bank, cast.alice.tokenAccount)) > aliceBefore).to.equal(true);
    await cast.sponsor.fundRewards(MEDIA);
    // but new risk waits: a new stake and a rebond
    const before = await snapshot(cast.bank, [
      cast.dave.tokenAccount,
      cast.dave.stakeAccount,
      cast.erin.stakeAccount,
      cast.economy.stakingConfig,
      cast.economy.stakingVault,
    ]);
    await expectProgramError(cast.dave.stake(50n * MEDIA), "ProgramPaused");
    await expectProgramError(cast.erin.cancelUnstake(), "ProgramPaused");
    await expectUnchanged(cast.bank, before);
    await checkInvariants(cast.economy, "staking paused");

    // When voting ends, the unpause, which only lifts a pause, executes at once (no timelock),
    // long before the guardian's pause would lapse
    await warpSeconds(cast.bank, VOTING_PERIOD);
    await finalize(world(), unpause);
    const lift = await cast.bank.programs.governance.account.proposal.fetch(unpause);
    expect(lift.executableAt.toString()).to.equal(lift.votingEndsAt.toString());
    expect(await stakingPaused(), "still within the guardian's pause").to.equal(true);
    await execute(world(), unpause);
    expect(await stakingPaused()).to.equal(false);
    await cast.dave.stake(50n * MEDIA);
    // and the proposal voted during the pause counts every vote cast, and keeps its timelock
    await finalize(world(), proposal);
    const state = await cast.bank.programs.governance.account.proposal.fetch(proposal);
    expect(state.state).to.deep.equal(ProposalState.Succeeded);
    expect(big(state.votesFor)).to.equal(400n * MEDIA);
    expect(big(state.votesAgainst)).to.equal(200n * MEDIA);
    expect(big(state.executableAt) - big(state.votingEndsAt)).to.equal(BigInt(GOVERNANCE_DEFAULTS.timelock.toString()));
    await checkInvariants(cast.economy, "staking unpaused");
  });

  it("the guardian pauses governance: votes go on, only pause-lifting proposals are filled and executed, and the unpause runs when voting ends", async () => {
    // Given a passed proposal that raises the minimum, its timelock over
    const governance = cast.bank.programs.governance;
    const raise = await propose(world(), cast.alice, [await stakingSetMinStake(world(), 40n * MEDIA)], "ipfs://min-stake-40");
    await vote(world(), raise, cast.alice, VoteSide.For);
    await warpSeconds(cast.bank, VOTING_PERIOD);
    await finalize(world(), raise);
    await untilExecutable(raise);

    // When the guardian pauses governance
    await governance.methods.setPaused(true).accounts({ signer: guardian.publicKey }).signers([guardian]).rpc();
    expect(await governancePaused()).to.equal(true);

    // Then a proposal that lifts no pause is refused when it is filled
    const next = await nextProposal();
    const refusedFill = await snapshot(cast.bank, [cast.economy.governance, next]);
    await expectProgramError(propose(world(), cast.bob, [await stakingSetMinStake(world(), 35n * MEDIA)]), "OnlyPauseLiftsWhilePaused");
    await expectUnchanged(cast.bank, refusedFill);
    // and the passed one that lifts no pause is refused at execute
    const refusedRun = await snapshot(cast.bank, [raise, cast.economy.stakingConfig, cast.economy.governance]);
    await expectProgramError(execute(world(), raise), "OnlyPauseLiftsWhilePaused");
    await expectUnchanged(cast.bank, refusedRun);

    // But proposals that unpause governance and replace the pause key are created, filled and voted while paused
    const unpauseGovernance = await governance.methods.setPaused(false).accounts({ signer: cast.economy.governance }).instruction();
    const newGuardian = Keypair.generate().publicKey;
    const replaceKey = await governance.methods.setPauseAuthority(newGuardian).accounts({ authority: cast.economy.governance }).instruction();
    const unpause = await propose(world(), cast.alice, [unpauseGovernance], "ipfs://unpause-governance");
    const replace = await propose(world(), cast.bob, [replaceKey], "ipfs://replace-the-guardian");
    for (const proposal of [unpause, replace]) for (const voter of [cast.alice, cast.bob]) await vote(world(), proposal, voter, VoteSide.For);
    // (a draft can be cancelled too)
    const draft = await propose(world(), cast.bob, [unpauseGovernance]);
    await governance.methods.cancel().accounts({ proposer: cast.bob.wallet.publicKey, proposal: draft }).signers([cast.bob.wallet]).rpc();
    await warpSeconds(cast.bank, VOTING_PERIOD);
    expect(await governancePaused()).to.equal(true);
    await finalize(world(), unpause);
    await finalize(world(), replace);

    // And the unpause runs as soon as voting ends (it only unpauses: no timelock)
    await execute(world(), unpause);
    expect(await governancePaused()).to.equal(false);
    // while replacing the pause key keeps its timelock, like every other change
    const replaced = await governance.account.proposal.fetch(replace);
    expect(big(replaced.executableAt) - big(replaced.votingEndsAt)).to.equal(BigInt(GOVERNANCE_DEFAULTS.timelock.toString()));
    await expectProgramError(execute(world(), replace), "TimelockNotElapsed");
    // after which the raise, still within its execution window, runs too
    await execute(world(), raise);
    cast.economy.params.staking.minStake = 40n * MEDIA;
    expect(big((await cast.bank.programs.staking.account.stakingConfig.fetch(cast.economy.stakingConfig)).minStake)).to.equal(40n * MEDIA);
    // and, once its timelock is over, the new guardian takes over
    await untilExecutable(replace);
    await execute(world(), replace);
    expect((await governance.account.governanceConfig.fetch(cast.economy.governance)).pauseAuthority.toBase58()).to.equal(newGuardian.toBase58());
    await checkInvariants(cast.economy, "governance unpaused");
  });
});

describe("economy: a MEDIA settlement while staking is paused", function () {
  this.timeout(300_000);

  it("pays the stakers' share into the staking vault (a plain transfer, nothing of staking to pause), folded in by a claim while paused", async () => {
    const bank = await startBank();
    const economy = await setUpEconomy(bank);
    const staker = await addStaker(economy, 100n * MEDIA);
    await staker.stake(100n * MEDIA);
    const operator = await addOperator(economy, 100n * MEDIA);
    const consumer = await addConsumer(economy, 100n * MEDIA, 0n);
    const escrow = await addEscrow(economy, consumer, operator, economy.mediaMint, 50n * MEDIA);
    // Given staking is paused (by the deployer, its pause authority at genesis)
    await bank.clients.staking.setPaused(true);
    // When the operator settles a MEDIA receipt for one GiB
    const vaultBefore = await balanceOf(bank, economy.stakingVault);
    await settle(economy.bandwidthWorld, escrow, escrow.channel.payAtPrice(GIB, PRICES.media));
    // Then the fee split lands, the stakers' share in the staking vault, as rewards
    const split = feeSplit(PRICES.media, 1_000, 5_000, true);
    expect((await balanceOf(bank, economy.stakingVault)) - vaultBefore).to.equal(split.stakers);
    await checkInvariants(economy, "settled while staking is paused");
    // And the staker's way out, open while paused, folds it into the reward stream on withdrawing half
    await staker.requestUnstake(50n * MEDIA);
    await warpSeconds(bank, UNBONDING_PERIOD);
    await staker.withdraw();
    const config = await bank.programs.staking.account.stakingConfig.fetch(economy.stakingConfig);
    expect(big(config.totalRewardsReceived)).to.equal(split.stakers);
    expect(big(config.totalRewardsFunded)).to.equal(0n);
    await expectStakingVaultSynced(bank, "fees folded while paused");
    // And over the reward period it streams to the 50 + 100 MEDIA still active, the staker's third rounded down
    await warpSeconds(bank, STAKING_DEFAULTS.rewardDuration);
    const before = await balanceOf(bank, staker.tokenAccount);
    await staker.claimRewards();
    const perUnit = (split.stakers * REWARD_SCALE) / (150n * MEDIA);
    expect((await balanceOf(bank, staker.tokenAccount)) - before).to.equal((50n * MEDIA * perUnit) / REWARD_SCALE);
    await checkInvariants(economy, "fees folded and claimed while paused");
  });
});

describe("economy: governance deadlines do not run against those a pause or a draft holds back", function () {
  this.timeout(300_000);
  const guardian = Keypair.generate();
  const world = () => cast.economy.governanceWorld;

  const cast = given(async (bank) => {
    const economy = await setUpEconomy(bank);
    await airdrop(bank, guardian.publicKey);
    await bank.clients.governance.setPauseAuthority(guardian.publicKey);
    const alice = await addStaker(economy, 1_000n * MEDIA);
    await alice.stake(400n * MEDIA);
    await handOverToGovernance(economy);
    return { economy, alice };
  });

  it("execute succeeds after a pause longer than its window: the execution window is extended by the time governance was paused", async () => {
    // Given a passed proposal whose timelock is over
    const raise = await propose(world(), cast.alice, [await stakingSetMinStake(world(), 40n * MEDIA)], "ipfs://min-stake-40");
    await vote(world(), raise, cast.alice, VoteSide.For);
    await warpSeconds(cast.bank, VOTING_PERIOD);
    await finalize(world(), raise);
    const { executableAt, expiresAt } = await cast.bank.programs.governance.account.proposal.fetch(raise);
    await warpSeconds(cast.bank, big(executableAt) - (await unixTimestamp(cast.bank)));
    // When the guardian pauses governance for its whole (longer) pause, during which it cannot run
    await cast.bank.clients.governance.setPaused(true, { signer: guardian });
    await expectRefused(cast.bank, [raise, cast.economy.stakingConfig], "OnlyPauseLiftsWhilePaused", () => execute(world(), raise));
    const { pause } = await cast.bank.programs.governance.account.governanceConfig.fetch(cast.economy.governance);
    await warpSeconds(cast.bank, big(pause.pausedUntil) - (await unixTimestamp(cast.bank)));
    // Then, the pause lapsed and its wall-clock window long over, it still executes
    expect((await unixTimestamp(cast.bank)) > big(expiresAt)).to.equal(true);
    await execute(world(), raise);
    expect(big((await cast.bank.programs.staking.account.stakingConfig.fetch(cast.economy.stakingConfig)).minStake)).to.equal(40n * MEDIA);
    cast.economy.params.staking.minStake = 40n * MEDIA;
  });

  it("add_instruction fails when the draft is older than max draft age: DraftExpired, nothing changed", async () => {
    // Given a draft whose vote snapshot was taken at creation
    const setMinimum = await stakingSetMinStake(world(), 50n * MEDIA);
    const built = await proposalInstructions(cast.bank.programs.governance, {
      proposer: cast.alice.wallet.publicKey,
      descriptionUri: "ipfs://kept-for-later",
      descriptionHash: new Array(32).fill(7),
      instructions: [setMinimum],
    });
    const [create, fill] = built.instructions;
    await cast.bank.provider.sendAndConfirm(new Transaction().add(create), [cast.alice.wallet]);
    // When its proposer comes back after the draft's hour to fill it
    await warpSeconds(cast.bank, 60 * 60 + 1);
    // Then it is refused: the snapshot cannot be kept for later use
    await expectRefused(cast.bank, [built.proposal, cast.economy.governance], "DraftExpired", () =>
      cast.bank.provider.sendAndConfirm(new Transaction().add(fill), [cast.alice.wallet]),
    );
  });
});
