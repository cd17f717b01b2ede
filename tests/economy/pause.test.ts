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
import { expectProgramError, expectUnchanged, snapshot } from "../utils/assertions";
import { GIB, PRICES, settle } from "../utils/bandwidth";
import { type Bank, startBank, unixTimestamp, warpSeconds } from "../utils/bank";
import {
  type Economy,
  MEDIA,
  addConsumer,
  addEscrow,
  addOperator,
  addStaker,
  balanceOf,
  bn,
  checkInvariants,
  expectStakingVaultSynced,
  handOverToGovernance,
  setUpEconomy,
} from "../utils/economy";
import { execute, finalize, propose, stakingSetMinStake, vote } from "../utils/governance";
import { type Staker, cancelUnstake, claimRewards, fundRewards, requestUnstake, stake, withdraw } from "../utils/staking";
import { airdrop } from "../utils/token";

const VOTING_PERIOD = GOVERNANCE_DEFAULTS.votingPeriod.toNumber();
const UNBONDING_PERIOD = STAKING_DEFAULTS.unbondingPeriod.toNumber();
const big = (value: { toString(): string }) => BigInt(value.toString());

describe("economy: a pause only stops new risk", function () {
  this.timeout(300_000);
  let bank: Bank;
  let economy: Economy;
  const guardian = Keypair.generate();
  let alice: Staker;
  let bob: Staker;
  let carol: Staker;
  let dave: Staker;
  let erin: Staker;
  let sponsor: Staker;

  const world = () => economy.governanceWorld;
  const now = () => unixTimestamp(bank);
  const stakingPaused = async () => isPausedAt((await bank.programs.staking.account.stakingConfig.fetch(economy.stakingConfig)).pause, await now());
  const governancePaused = async () => isPausedAt((await bank.programs.governance.account.governanceConfig.fetch(economy.governance)).pause, await now());
  const nextProposal = async () => proposalPda((await bank.programs.governance.account.governanceConfig.fetch(economy.governance)).proposalCount);
  /** Warps to a finalized proposal's earliest execution. */
  const untilExecutable = async (proposal: PublicKey) => {
    const { executableAt } = await bank.programs.governance.account.proposal.fetch(proposal);
    await warpSeconds(bank, big(executableAt) - (await now()));
  };

  before(async () => {
    bank = await startBank();
    economy = await setUpEconomy(bank);
    await airdrop(bank, guardian.publicKey);
    // Given a guardian key that may pause staking and governance, and every authority with governance
    const deployer = economy.deployer.publicKey;
    await bank.programs.staking.methods.setPauseAuthority(guardian.publicKey).accounts({ authority: deployer }).rpc();
    await bank.programs.governance.methods.setPauseAuthority(guardian.publicKey).accounts({ authority: deployer }).rpc();
    [alice, bob, carol, dave, erin, sponsor] = await Promise.all([1_000n, 500n, 200n, 200n, 200n, 100n].map((m) => addStaker(economy, m * MEDIA)));
    for (const [staker, amount] of [
      [alice, 400n],
      [bob, 200n],
      [carol, 100n],
      [erin, 100n],
    ] as const) {
      await stake(world(), staker, amount * MEDIA);
    }
    await handOverToGovernance(economy);
  });

  it("the guardian pauses staking: stakers still vote, unstake, withdraw and claim; an unpause voted during the pause runs when voting ends", async () => {
    // Given Carol unbonding for the whole unbonding period, and rewards funded
    await requestUnstake(world(), carol, 100n * MEDIA);
    await fundRewards(world(), sponsor, 10n * MEDIA);
    await warpSeconds(bank, UNBONDING_PERIOD);

    // When the guardian pauses staking
    await bank.programs.staking.methods.setPaused(true).accounts({ signer: guardian.publicKey }).signers([guardian]).rpc();
    expect(await stakingPaused()).to.equal(true);

    // Then proposals can still be made and voted on: every vote locks stake through staking
    const unpauseStaking = await bank.programs.staking.methods.setPaused(false).accounts({ signer: economy.governance }).instruction();
    const unpause = await propose(world(), alice, [unpauseStaking], "ipfs://unpause-staking");
    await vote(world(), unpause, alice, VoteSide.For);
    const proposal = await propose(world(), bob, [await stakingSetMinStake(world(), bn(30n * MEDIA))], "ipfs://min-stake-30");
    await vote(world(), proposal, alice, VoteSide.For);
    await vote(world(), proposal, bob, VoteSide.Against);
    const votingEndsAt = (await bank.programs.governance.account.proposal.fetch(proposal)).votingEndsAt.toString();
    expect((await bank.programs.staking.account.stakeAccount.fetch(alice.stakeAccount)).voteLockUntil.toString()).to.equal(votingEndsAt);
    // and every way out stays open: unstaking, withdrawing, claiming, and funding the stakers
    await requestUnstake(world(), erin, 100n * MEDIA);
    const carolBefore = await balanceOf(bank, carol.tokenAccount);
    await withdraw(world(), carol);
    expect(await balanceOf(bank, carol.tokenAccount)).to.equal(carolBefore + 100n * MEDIA);
    const aliceBefore = await balanceOf(bank, alice.tokenAccount);
    await claimRewards(world(), alice);
    expect((await balanceOf(bank, alice.tokenAccount)) > aliceBefore).to.equal(true);
    await fundRewards(world(), sponsor, MEDIA);
    // but new risk waits: a new stake and a rebond
    const before = await snapshot(bank, [dave.tokenAccount, dave.stakeAccount, erin.stakeAccount, economy.stakingConfig, economy.stakingVault]);
    await expectProgramError(stake(world(), dave, 50n * MEDIA), "ProgramPaused");
    await expectProgramError(cancelUnstake(world(), erin), "ProgramPaused");
    await expectUnchanged(bank, before);
    await checkInvariants(economy, "staking paused");

    // When voting ends, the unpause, which only lifts a pause, executes at once (no timelock),
    // long before the guardian's pause would lapse
    await warpSeconds(bank, VOTING_PERIOD);
    await finalize(world(), unpause);
    const lift = await bank.programs.governance.account.proposal.fetch(unpause);
    expect(lift.executableAt.toString()).to.equal(lift.votingEndsAt.toString());
    expect(await stakingPaused(), "still within the guardian's pause").to.equal(true);
    await execute(world(), unpause);
    expect(await stakingPaused()).to.equal(false);
    await stake(world(), dave, 50n * MEDIA);
    // and the proposal voted during the pause counts every vote cast, and keeps its timelock
    await finalize(world(), proposal);
    const state = await bank.programs.governance.account.proposal.fetch(proposal);
    expect(state.state).to.deep.equal(ProposalState.Succeeded);
    expect(big(state.votesFor)).to.equal(400n * MEDIA);
    expect(big(state.votesAgainst)).to.equal(200n * MEDIA);
    expect(big(state.executableAt) - big(state.votingEndsAt)).to.equal(BigInt(GOVERNANCE_DEFAULTS.timelock.toString()));
    await checkInvariants(economy, "staking unpaused");
  });

  it("the guardian pauses governance: votes go on, only pause-lifting proposals are filled and executed, and the unpause runs when voting ends", async () => {
    // Given a passed proposal that raises the minimum, its timelock over
    const governance = bank.programs.governance;
    const raise = await propose(world(), alice, [await stakingSetMinStake(world(), bn(40n * MEDIA))], "ipfs://min-stake-40");
    await vote(world(), raise, alice, VoteSide.For);
    await warpSeconds(bank, VOTING_PERIOD);
    await finalize(world(), raise);
    await untilExecutable(raise);

    // When the guardian pauses governance
    await governance.methods.setPaused(true).accounts({ signer: guardian.publicKey }).signers([guardian]).rpc();
    expect(await governancePaused()).to.equal(true);

    // Then a proposal that lifts no pause is refused when it is filled
    const next = await nextProposal();
    const refusedFill = await snapshot(bank, [economy.governance, next]);
    await expectProgramError(propose(world(), bob, [await stakingSetMinStake(world(), bn(35n * MEDIA))]), "OnlyPauseLiftsWhilePaused");
    await expectUnchanged(bank, refusedFill);
    // and the passed one that lifts no pause is refused at execute
    const refusedRun = await snapshot(bank, [raise, economy.stakingConfig, economy.governance]);
    await expectProgramError(execute(world(), raise), "OnlyPauseLiftsWhilePaused");
    await expectUnchanged(bank, refusedRun);

    // But proposals that unpause governance and replace the pause key are created, filled and voted while paused
    const unpauseGovernance = await governance.methods.setPaused(false).accounts({ signer: economy.governance }).instruction();
    const newGuardian = Keypair.generate().publicKey;
    const replaceKey = await governance.methods.setPauseAuthority(newGuardian).accounts({ authority: economy.governance }).instruction();
    const unpause = await propose(world(), alice, [unpauseGovernance], "ipfs://unpause-governance");
    const replace = await propose(world(), bob, [replaceKey], "ipfs://replace-the-guardian");
    for (const proposal of [unpause, replace]) for (const voter of [alice, bob]) await vote(world(), proposal, voter, VoteSide.For);
    // (a draft can be cancelled too)
    const draft = await propose(world(), bob, [unpauseGovernance]);
    await governance.methods.cancel().accounts({ proposer: bob.wallet.publicKey, proposal: draft }).signers([bob.wallet]).rpc();
    await warpSeconds(bank, VOTING_PERIOD);
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
    economy.params.staking.minStake = 40n * MEDIA;
    expect(big((await bank.programs.staking.account.stakingConfig.fetch(economy.stakingConfig)).minStake)).to.equal(40n * MEDIA);
    // and, once its timelock is over, the new guardian takes over
    await untilExecutable(replace);
    await execute(world(), replace);
    expect((await governance.account.governanceConfig.fetch(economy.governance)).pauseAuthority.toBase58()).to.equal(newGuardian.toBase58());
    await checkInvariants(economy, "governance unpaused");
  });
});

describe("economy: a MEDIA settlement while staking is paused", function () {
  this.timeout(300_000);

  it("pays the stakers' share into the staking vault (a plain transfer, nothing of staking to pause), folded in by a claim while paused", async () => {
    const bank = await startBank();
    const economy = await setUpEconomy(bank);
    const staker = await addStaker(economy, 100n * MEDIA);
    await stake(economy.governanceWorld, staker, 100n * MEDIA);
    const operator = await addOperator(economy, 100n * MEDIA);
    const consumer = await addConsumer(economy, 100n * MEDIA, 0n);
    const escrow = await addEscrow(economy, consumer, operator, economy.mediaMint, 50n * MEDIA);
    // Given staking is paused (by the deployer, its pause authority at genesis)
    await bank.programs.staking.methods.setPaused(true).accounts({ signer: economy.deployer.publicKey }).rpc();
    // When the operator settles a MEDIA receipt for one GiB
    const vaultBefore = await balanceOf(bank, economy.stakingVault);
    await settle(economy.bandwidthWorld, escrow, escrow.channel.payAtPrice(GIB, PRICES.media));
    // Then the fee split lands, the stakers' share in the staking vault, as rewards
    const split = feeSplit(PRICES.media, 1_000, 5_000, true);
    expect((await balanceOf(bank, economy.stakingVault)) - vaultBefore).to.equal(split.stakers);
    await checkInvariants(economy, "settled while staking is paused");
    // And the staker's way out, open while paused, folds it into the reward stream on withdrawing half
    await requestUnstake(economy.governanceWorld, staker, 50n * MEDIA);
    await warpSeconds(bank, UNBONDING_PERIOD);
    await withdraw(economy.governanceWorld, staker);
    const config = await bank.programs.staking.account.stakingConfig.fetch(economy.stakingConfig);
    expect(big(config.totalRewardsReceived)).to.equal(split.stakers);
    expect(big(config.totalRewardsFunded)).to.equal(0n);
    await expectStakingVaultSynced(bank, "fees folded while paused");
    // And over the reward period it streams to the 50 + 100 MEDIA still active, the staker's third rounded down
    await warpSeconds(bank, STAKING_DEFAULTS.rewardDuration.toNumber());
    const before = await balanceOf(bank, staker.tokenAccount);
    await claimRewards(economy.governanceWorld, staker);
    const perUnit = (split.stakers * 10n ** 18n) / (150n * MEDIA);
    expect((await balanceOf(bank, staker.tokenAccount)) - before).to.equal((50n * MEDIA * perUnit) / 10n ** 18n);
    await checkInvariants(economy, "fees folded and claimed while paused");
  });
});

describe("economy: governance deadlines do not run against those a pause or a draft holds back", function () {
  this.timeout(300_000);
  let bank: Bank;
  let economy: Economy;
  let alice: Staker;
  const guardian = Keypair.generate();
  const world = () => economy.governanceWorld;

  before(async () => {
    bank = await startBank();
    economy = await setUpEconomy(bank);
    await airdrop(bank, guardian.publicKey);
    await bank.programs.governance.methods.setPauseAuthority(guardian.publicKey).accounts({ authority: economy.deployer.publicKey }).rpc();
    alice = await addStaker(economy, 1_000n * MEDIA);
    await stake(world(), alice, 400n * MEDIA);
    await handOverToGovernance(economy);
  });

  it("test_execute_ok_after_a_pause_longer_than_its_window: the execution window is extended by the time governance was paused", async () => {
    // Given a passed proposal whose timelock is over
    const raise = await propose(world(), alice, [await stakingSetMinStake(world(), bn(40n * MEDIA))], "ipfs://min-stake-40");
    await vote(world(), raise, alice, VoteSide.For);
    await warpSeconds(bank, VOTING_PERIOD);
    await finalize(world(), raise);
    const { executableAt, expiresAt } = await bank.programs.governance.account.proposal.fetch(raise);
    await warpSeconds(bank, big(executableAt) - (await unixTimestamp(bank)));
    // When the guardian pauses governance for its whole (longer) pause, during which it cannot run
    await bank.programs.governance.methods.setPaused(true).accounts({ signer: guardian.publicKey }).signers([guardian]).rpc();
    const before = await snapshot(bank, [raise, economy.stakingConfig]);
    await expectProgramError(execute(world(), raise), "OnlyPauseLiftsWhilePaused");
    await expectUnchanged(bank, before);
    const { pause } = await bank.programs.governance.account.governanceConfig.fetch(economy.governance);
    await warpSeconds(bank, big(pause.pausedUntil) - (await unixTimestamp(bank)));
    // Then, the pause lapsed and its wall-clock window long over, it still executes
    expect((await unixTimestamp(bank)) > big(expiresAt)).to.equal(true);
    await execute(world(), raise);
    expect(big((await bank.programs.staking.account.stakingConfig.fetch(economy.stakingConfig)).minStake)).to.equal(40n * MEDIA);
    economy.params.staking.minStake = 40n * MEDIA;
  });

  it("test_add_instruction_fails_when_the_draft_is_older_than_max_draft_age: DraftExpired, nothing changed", async () => {
    // Given a draft whose vote snapshot was taken at creation
    const setMinimum = await stakingSetMinStake(world(), bn(50n * MEDIA));
    const built = await proposalInstructions(bank.programs.governance, {
      proposer: alice.wallet.publicKey,
      descriptionUri: "ipfs://kept-for-later",
      descriptionHash: new Array(32).fill(7),
      instructions: [setMinimum],
    });
    const [create, fill] = built.instructions;
    await bank.provider.sendAndConfirm(new Transaction().add(create), [alice.wallet]);
    // When its proposer comes back after the draft's hour to fill it
    await warpSeconds(bank, 60 * 60 + 1);
    // Then it is refused: the snapshot cannot be kept for later use
    const before = await snapshot(bank, [built.proposal, economy.governance]);
    await expectProgramError(bank.provider.sendAndConfirm(new Transaction().add(fill), [alice.wallet]), "DraftExpired");
    await expectUnchanged(bank, before);
  });
});
