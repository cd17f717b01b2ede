/**
 * The whole economy as one story: 50 stakers, 10 Edge operators and 50 consumers go through
 * staking, receipts, fee splits, fee burns, buyback auctions and three governance proposals
 * over six quota windows, then unbond, withdraw and close their escrows. Every authority
 * belongs to the governance PDA from the start, so only the passed proposals change
 * parameters. After every step every invariant of ECONOMY.md is computed from the accounts
 * (`checkInvariants`); every refusal is checked to change nothing.
 */
import type { PublicKey } from "@solana/web3.js";
import { expect } from "chai";
import { BANDWIDTH_DEFAULTS, ProposalState, VoteSide, auctionPriceAt, feeSplit, mediaForQuote, priceOf, quotaBytes } from "../../sdk/src";
import { expectProgramError, expectUnchanged, snapshot, expectRefused } from "../utils/assertions";
import type { Consumer, EscrowHandle, Operator } from "../utils/bandwidth";
import { settle, settleAccounts } from "../utils/bandwidth";
import { unixTimestamp, warpSeconds, given } from "../utils/bank";
import {
  DAY,
  MEDIA,
  addConsumer,
  addEscrow,
  addOperator,
  addStaker,
  addTokenAccount,
  balanceOf,
  bn,
  checkInvariants,
  expectStakingVaultSynced,
  handOverToGovernance,
  setUpEconomy,
} from "../utils/economy";
import { execute, finalize, propose, vote } from "../utils/governance";
import { type Staker, syncRewards } from "../utils/staking";
import { burnFees, startAuction, take } from "../utils/treasury";
import { GIB, random } from "./model";
import { MIN_STAKE, UNBONDING_PERIOD } from "../utils/constants";

const STAKERS = 50;
const OPERATORS = 10;
const CONSUMERS = 50;
const ROUNDS = 12; // two rounds per quota window: six windows
const ROUND_SECONDS = DAY / 2;
const big = (value: { toString(): string }) => BigInt(value.toString());

describe("economy: the story of 110 actors over six quota windows", function () {
  this.timeout(600_000);
  const stakers: Staker[] = [];
  const operators: Operator[] = [];
  const consumers: Consumer[] = [];
  const escrows: EscrowHandle[] = [];
  const proposals: PublicKey[] = [];
  const rng = random(8_2026);
  const counts = { steps: 0, invariantChecks: 0, settled: 0, quotaRefusals: 0, replays: 0, burns: 0, takes: 0, claims: 0, votes: 0 };

  /** One step of the story: every invariant must hold after it. */
  async function step(where: string) {
    counts.steps++;
    counts.invariantChecks++;
    return checkInvariants(cast.economy, where);
  }

  const refused = (touched: PublicKey[], error: string, attack: () => Promise<unknown>) => expectRefused(cast.bank, touched, error, attack);

  const cast = given(async (bank) => {
    const economy = await setUpEconomy(bank);
    return { economy };
  });

  it("genesis: the deployer hands every authority to the governance PDA", async () => {
    await handOverToGovernance(cast.economy);
    await step("hand-over");
    // Then the deployer can no longer change a parameter
    const before = await snapshot(cast.bank, [cast.economy.bandwidthConfig]);
    const b = BANDWIDTH_DEFAULTS;
    await expectProgramError(
      cast.bank.programs.bandwidth.methods
        .setParameters(2_000, b.stakerShareBps, bn(b.quotaWindow), bn(b.disputeWindow))
        .accounts({ authority: cast.economy.deployer.publicKey })
        .rpc(),
      "Unauthorized",
    );
    await expectUnchanged(cast.bank, before);
  });

  it(`${STAKERS} stakers stake between 25 and 2,000 MEDIA; 24.999999 MEDIA is refused`, async () => {
    for (let i = 0; i < STAKERS; i++) {
      const staker = await addStaker(cast.economy, 5_000n * MEDIA);
      stakers.push(staker);
      // The first three (the proposers) stake over the 100 MEDIA proposal threshold
      const amount = i < 3 ? BigInt(2_000 - 500 * i) * MEDIA : MIN_STAKE + rng.big(1_975n * MEDIA);
      if (i === 1) {
        await refused([staker.tokenAccount, staker.stakeAccount, cast.economy.stakingConfig, cast.economy.stakingVault], "StakeBelowMinimum", () =>
          staker.stake(MIN_STAKE - 1n),
        );
      }
      await staker.stake(amount);
      await step(`staker ${i}`);
    }
    const totals = await checkInvariants(cast.economy);
    expect(totals.totalActive > 50n * MIN_STAKE).to.equal(true);
  });

  it(`${OPERATORS} Edge operators stake 100 to 400 MEDIA and register as providers`, async () => {
    for (let i = 0; i < OPERATORS; i++) {
      operators.push(await addOperator(cast.economy, 100n * MEDIA + BigInt(i) * 33n * MEDIA));
      await step(`operator ${i}`);
    }
  });

  it(`${CONSUMERS} consumers open escrows with the operators, 35 in MEDIA and 15 in the quote mint`, async () => {
    for (let i = 0; i < CONSUMERS; i++) {
      const consumer = await addConsumer(cast.economy, 300n * MEDIA, 300n * MEDIA);
      consumers.push(consumer);
      const mint = i % 10 < 7 ? cast.economy.mediaMint : cast.economy.quoteMint;
      escrows.push(await addEscrow(cast.economy, consumer, operators[i % OPERATORS], mint, i === 0 ? 1n * MEDIA : 200n * MEDIA));
      await step(`consumer ${i}`);
    }
  });

  it("three proposals open: raise the protocol fee, a treasury grant, a longer unbonding period", async () => {
    const world = cast.economy.governanceWorld;
    const b = BANDWIDTH_DEFAULTS;
    const grantee = await addTokenAccount(cast.economy, cast.economy.mediaMint, cast.economy.deployer.publicKey);
    const raiseFee = await cast.bank.programs.bandwidth.methods
      .setParameters(1_500, b.stakerShareBps, bn(b.quotaWindow), bn(b.disputeWindow))
      .accounts({ authority: cast.economy.governance })
      .instruction();
    const grant = await cast.bank.programs.treasury.methods
      .spend(bn(1n * MEDIA))
      .accounts({ authority: cast.economy.governance, vault: cast.economy.treasuryMediaVault, destination: grantee })
      .instruction();
    const unbonding = await cast.bank.clients.staking.setUnbondingPeriodInstruction(14 * DAY, cast.economy.governance);
    for (const [index, ix] of [raiseFee, grant, unbonding].entries()) {
      proposals.push(await propose(world, stakers[index], [ix], `ipfs://proposal-${index}`));
      await step(`proposal ${index}`);
    }
    // When every staker votes on each proposal: the first two pass, the third is voted down
    for (const [p, proposal] of proposals.entries()) {
      for (const [i, staker] of stakers.entries()) {
        const side = p < 2 ? (i % 5 === 4 ? VoteSide.Against : i % 7 === 6 ? VoteSide.Abstain : VoteSide.For) : i % 3 === 0 ? VoteSide.For : VoteSide.Against;
        await vote(world, proposal, staker, side);
        counts.votes++;
      }
      await step(`votes on proposal ${p}`);
    }
    // Then a second vote fails, and a locked stake cannot unbond
    const voter = stakers[3];
    await refused([proposals[0], voter.stakeAccount], "AlreadyVoted", () => vote(world, proposals[0], voter, VoteSide.For));
    await refused([voter.stakeAccount, cast.economy.stakingConfig], "StakeVoteLocked", () => voter.requestUnstake(MIN_STAKE));
    // And a stake made after voting opened weighs nothing (no flash staking)
    const flash = await addStaker(cast.economy, 10_000n * MEDIA);
    await flash.stake(10_000n * MEDIA);
    await refused([proposals[1], flash.stakeAccount], "NoVoteWeight", () => vote(world, proposals[1], flash, VoteSide.For));
    stakers.push(flash);
    await step("flash stake");
  });

  it(`${ROUNDS} rounds of traffic over six quota windows: receipts, fee splits, quota refusals, burns and buybacks`, async () => {
    const taker = stakers[STAKERS - 1];
    const takerQuote = await addTokenAccount(cast.economy, cast.economy.quoteMint, taker.wallet.publicKey);
    const takerWorld = { ...cast.economy.treasuryWorld };
    for (let round = 0; round < ROUNDS; round++) {
      const now = await unixTimestamp(cast.bank);
      const bandwidth = await cast.bank.programs.bandwidth.account.bandwidthConfig.fetch(cast.economy.bandwidthConfig);
      const stakingConfig = await cast.bank.programs.staking.account.stakingConfig.fetch(cast.economy.stakingConfig);
      // The fee rise applies from the round after it executed
      expect(bandwidth.protocolFeeBps).to.equal(round > 9 ? 1_500 : 1_000);
      for (const [i, handle] of escrows.entries()) {
        const operator = handle.operator;
        const provider = await cast.bank.programs.bandwidth.account.provider.fetch(operator.provider);
        const stakeAccount = await cast.bank.programs.staking.account.stakeAccount.fetch(operator.stakeAccount);
        const price = handle.isMedia ? big(provider.mediaPricePerGib) : big(provider.quotePricePerGib);
        const bytes = GIB * (5n + rng.big(56n)) + rng.big(GIB);
        const amount = priceOf(bytes, price);
        const receipt = handle.channel.pay(bytes, amount);
        // The model of this one settlement, from the accounts as they are
        const elapsed = now - big(provider.quotaUpdatedAt);
        const window = big(bandwidth.quotaWindow);
        const decayed = elapsed >= window ? 0n : (big(provider.quotaUsed) * (window - elapsed)) / window;
        const quota = quotaBytes(big(stakeAccount.active), big(stakingConfig.quotaBytesPerMedia));
        const escrow = await cast.bank.programs.bandwidth.account.escrow.fetch(handle.escrow);
        const left = big(escrow.deposited) - big(escrow.paid);
        const expected = amount > left ? "InsufficientEscrowBalance" : decayed + bytes > quota ? "QuotaExceeded" : undefined;
        if (expected) {
          await refused(settleAccounts(cast.economy.bandwidthWorld, handle), expected, () => settle(cast.economy.bandwidthWorld, handle, receipt));
          if (expected === "QuotaExceeded") counts.quotaRefusals++;
          // The consumer's channel stays where the escrow is
          handle.channel.cumulativeBytes -= bytes;
          handle.channel.cumulativeAmount -= amount;
        } else {
          const before = await Promise.all([handle.providerAccount, handle.treasuryVault, cast.economy.stakingVault].map((a) => balanceOf(cast.bank, a)));
          await settle(cast.economy.bandwidthWorld, handle, receipt);
          const after = await Promise.all([handle.providerAccount, handle.treasuryVault, cast.economy.stakingVault].map((a) => balanceOf(cast.bank, a)));
          const parts = feeSplit(amount, bandwidth.protocolFeeBps, bandwidth.stakerShareBps, handle.isMedia);
          expect([after[0] - before[0], after[1] - before[1], after[2] - before[2]], `split of escrow ${i}`).to.deep.equal([
            parts.provider,
            parts.treasury,
            parts.stakers,
          ]);
          counts.settled++;
          // A receipt pays at most once: replaying it is refused
          if (i % 10 === 3) {
            await refused(settleAccounts(cast.economy.bandwidthWorld, handle), "StaleReceipt", () => settle(cast.economy.bandwidthWorld, handle, receipt));
            counts.replays++;
          }
        }
        await step(`round ${round} escrow ${i}`);
      }

      // A keeper folds the stakers' share of the round's fees into the reward stream
      await syncRewards(cast.economy.governanceWorld);
      await expectStakingVaultSynced(cast.bank, `round ${round} sync`);
      await step(`round ${round} sync`);
      // Some stakers claim what streamed to them since the fees of earlier rounds (nothing has streamed in the first)
      for (let k = 0; k < (round === 0 ? 0 : 5); k++) {
        const staker = stakers[(round * 5 + k) % STAKERS];
        const before = await balanceOf(cast.bank, staker.tokenAccount);
        await staker.claimRewards();
        expect((await balanceOf(cast.bank, staker.tokenAccount)) > before).to.equal(true);
        counts.claims++;
        await step(`round ${round} claim ${k}`);
      }

      // At the end of every window: the fee crank burns the MEDIA fees, a buyback auction sells the quote revenue
      if (round % 2 === 1) {
        if (round === 7) {
          // Voting has ended (three days): finalize the three proposals
          for (const proposal of proposals) await finalize(cast.economy.governanceWorld, proposal);
          const states = await Promise.all(proposals.map((p) => cast.bank.programs.governance.account.proposal.fetch(p)));
          expect(states.map((s) => s.state)).to.deep.equal([ProposalState.Succeeded, ProposalState.Succeeded, ProposalState.Defeated]);
          await step("finalized");
        }
        if (round === 9) {
          // After the timelock (a week after voting ended, as long as the unbonding period, so
          // stakers who voted against could leave first): the fee rise and the grant execute
          // (before the day's burn)
          const { executableAt } = await cast.bank.programs.governance.account.proposal.fetch(proposals[0]);
          await warpSeconds(cast.bank, Number(big(executableAt) - (await unixTimestamp(cast.bank))));
          await execute(cast.economy.governanceWorld, proposals[0]);
          cast.economy.params.bandwidth.protocolFeeBps = 1_500;
          await step("fee rise executed");
          const feeVault = await balanceOf(cast.bank, cast.economy.treasuryMediaVault);
          expect(feeVault >= MEDIA, "the fee vault holds the grant").to.equal(true);
          await execute(cast.economy.governanceWorld, proposals[1]);
          expect(await balanceOf(cast.bank, cast.economy.treasuryMediaVault)).to.equal(feeVault - MEDIA);
          await step("grant executed");
          await refused([proposals[2]], "ProposalNotSucceeded", () => execute(cast.economy.governanceWorld, proposals[2]));
          await refused([proposals[0], cast.economy.bandwidthConfig], "ProposalAlreadyExecuted", () => execute(cast.economy.governanceWorld, proposals[0]));
        }
        const fees = await balanceOf(cast.bank, cast.economy.treasuryMediaVault);
        const supply = (await checkInvariants(cast.economy)).mediaSupply;
        await burnFees(cast.economy.treasuryWorld);
        counts.burns++;
        const totals = await step(`round ${round} burn`);
        expect(totals.mediaSupply).to.equal(supply - fees);

        await startAuction(cast.economy.treasuryWorld);
        await step(`round ${round} auction`);
        // Four hours in, the price has decayed from twice the reference to the reference itself
        await warpSeconds(cast.bank, 4 * 60 * 60);
        const config = await cast.bank.programs.treasury.account.treasuryConfig.fetch(cast.economy.treasuryConfig);
        const price = auctionPriceAt(config as never, await unixTimestamp(cast.bank));
        const quote = big(config.lotRemaining) / 2n + 1n;
        const media = mediaForQuote(quote, price);
        // A bid below the price is refused; one at it burns the taker's MEDIA
        await refused(
          [taker.tokenAccount, takerQuote, cast.economy.treasuryConfig, cast.economy.treasuryQuoteVault, cast.economy.mediaMint],
          "SlippageExceeded",
          () => take(takerWorld, { wallet: taker.wallet, mediaAccount: taker.tokenAccount, quoteAccount: takerQuote }, quote, media - 1n),
        );
        await take(takerWorld, { wallet: taker.wallet, mediaAccount: taker.tokenAccount, quoteAccount: takerQuote }, quote, media);
        counts.takes++;
        expect((await balanceOf(cast.bank, takerQuote)) > 0n).to.equal(true);
        await step(`round ${round} take`);
        await warpSeconds(cast.bank, ROUND_SECONDS - 4 * 60 * 60);
      } else {
        await warpSeconds(cast.bank, ROUND_SECONDS);
      }
    }
    expect(counts.quotaRefusals, "some settlements hit the quota").to.be.greaterThan(0);
    expect(counts.settled).to.be.greaterThan(300);
  });

  it("stakers unbond after the vote locks end and withdraw after the unbonding period; consumers close their escrows", async () => {
    for (let i = 0; i < 10; i++) {
      const position = await cast.bank.programs.staking.account.stakeAccount.fetch(stakers[i].stakeAccount);
      await stakers[i].requestUnstake(big(position.active));
      await step(`unstake ${i}`);
    }
    for (const handle of escrows.slice(0, 10)) {
      await cast.bank.programs.bandwidth.methods
        .requestClose()
        .accounts({ consumer: handle.consumer.wallet.publicKey, escrow: handle.escrow })
        .signers([handle.consumer.wallet])
        .rpc();
      await step("request close");
    }
    await refused([stakers[0].stakeAccount, cast.economy.stakingVault, stakers[0].tokenAccount], "UnbondingNotFinished", () => stakers[0].withdraw());
    await warpSeconds(cast.bank, UNBONDING_PERIOD);
    for (let i = 0; i < 10; i++) {
      const before = await balanceOf(cast.bank, stakers[i].tokenAccount);
      const position = await cast.bank.programs.staking.account.stakeAccount.fetch(stakers[i].stakeAccount);
      await stakers[i].withdraw();
      expect(await balanceOf(cast.bank, stakers[i].tokenAccount)).to.equal(before + big(position.unbonding));
      await step(`withdraw ${i}`);
    }
    for (const handle of escrows.slice(0, 10)) {
      const escrow = await cast.bank.programs.bandwidth.account.escrow.fetch(handle.escrow);
      const before = await balanceOf(cast.bank, handle.consumerAccount);
      await cast.bank.programs.bandwidth.methods
        .closeEscrow()
        .accounts({ consumer: handle.consumer.wallet.publicKey, consumerTokenAccount: handle.consumerAccount, escrow: handle.escrow })
        .signers([handle.consumer.wallet])
        .rpc();
      // deposited - settled - refunded = 0
      expect(await balanceOf(cast.bank, handle.consumerAccount)).to.equal(before + big(escrow.deposited) - big(escrow.paid));
      const totals = await step("close escrow");
      expect(totals.openEscrows).to.be.lessThan(CONSUMERS);
    }
    const totals = await checkInvariants(cast.economy, "the end");
    expect(totals.totalBurned > 0n).to.equal(true);
    const treasury = await cast.bank.programs.treasury.account.treasuryConfig.fetch(cast.economy.treasuryConfig);
    expect(big(treasury.totalBoughtBack) > 0n && big(treasury.totalFeesBurned) > 0n).to.equal(true);
    // The counts the closing note reports
    process.stdout.write(
      `      story: ${STAKERS + 1} stakers, ${OPERATORS} operators, ${CONSUMERS} consumers, ${proposals.length} proposals; ` +
        `${counts.steps} steps with every invariant checked; ${counts.settled} receipts settled, ${counts.quotaRefusals} refused over quota, ` +
        `${counts.replays} replays refused, ${counts.votes} votes, ${counts.burns} burns, ${counts.takes} buyback fills, ${counts.claims} claims\n`,
    );
  });
});
