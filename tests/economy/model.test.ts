/**
 * Randomized economy operations against the reference model (tests/economy/model.ts), from
 * fixed seeds: staking, rewards, escrow deposits, receipts (fresh, replayed, lowered,
 * over-budget, over-quota), fee burns and buyback auctions, with the clock moving in
 * between. Each operation runs on-chain and in the model; it must fail exactly where the
 * model says, with the model's error, changing no account; and after every operation
 * balances, rewards, quotas, supply and burn totals must agree to the base unit.
 */
import type { PublicKey } from "@solana/web3.js";
import { expect } from "chai";
import { signReceipt } from "../../sdk/src";
import { expectProgramError, expectUnchanged, snapshot } from "../utils/assertions";
import { type Consumer, type EscrowHandle, type Operator, depositInto, settle } from "../utils/bandwidth";
import { type Bank, startBank, unixTimestamp, warpSeconds } from "../utils/bank";
import {
  type Economy,
  addConsumer,
  addEscrow,
  addOperator,
  addStaker,
  addTokenAccount,
  balanceOf,
  checkInvariants,
  setUpEconomy,
  supplyOf,
} from "../utils/economy";
import { type Staker, cancelUnstake, claimRewards, fundRewards, requestUnstake, stake, withdraw } from "../utils/staking";
import { TEST_INITIAL_PRICE, burnFees, startAuction, take } from "../utils/treasury";
import { EconomyModel, GIB, MEDIA, type Outcome, random } from "./model";

const big = (value: { toString(): string }) => BigInt(value.toString());
const SEEDS = [8_001, 8_002];
const OPERATIONS_PER_SEED = 250;

/** One position of the model: a stake account and the wallet's MEDIA token account. */
interface Position {
  staker: Staker;
  wallet: string;
}

describe("economy: random operations against the reference model", function () {
  this.timeout(600_000);
  const totals = { operations: 0, refusals: 0 };

  for (const seed of SEEDS) {
    it(`agrees to the base unit over ${OPERATIONS_PER_SEED} operations (seed ${seed})`, async () => {
      const rng = random(seed);
      const bank: Bank = await startBank();
      const economy: Economy = await setUpEconomy(bank);
      const model = new EconomyModel({
        minStake: 25n * MEDIA,
        unbondingPeriod: 7n * 86_400n,
        quotaBytesPerMedia: GIB,
        rewardDuration: 7n * 86_400n,
        protocolFeeBps: 1_000n,
        stakerShareBps: 5_000n,
        quotaWindow: 86_400n,
        auctionInterval: 86_400n,
        auctionDuration: 6n * 3_600n,
        maxLot: 10_000n * MEDIA,
        initialPrice: TEST_INITIAL_PRICE,
        premiumBps: 10_000n,
        floorBps: 5_000n,
        minFillBps: 100n,
        minSoldBps: 5_000n,
        maxStepBps: 2_000n,
      });
      model.now = await unixTimestamp(bank);
      const accounts = new Map<string, PublicKey>();

      // Given six stakers (the first also takes buyback lots), two operators, four consumers with one escrow each, and a sponsor
      const positions: Position[] = [];
      for (let i = 0; i < 6; i++) {
        const staker = await addStaker(economy, 2_000n * MEDIA);
        const wallet = `w${i}`;
        model.addStake();
        model.mint(wallet, 2_000n * MEDIA);
        accounts.set(wallet, staker.tokenAccount);
        positions.push({ staker, wallet });
      }
      const taker = positions[0];
      const takerQuote = await addTokenAccount(economy, economy.quoteMint, taker.staker.wallet.publicKey);
      accounts.set(`${taker.wallet}:quote`, takerQuote);
      const operators: Operator[] = [];
      for (let k = 0; k < 2; k++) {
        const stakeAmount = (80n + 40n * BigInt(k)) * MEDIA;
        const operator = await addOperator(economy, stakeAmount);
        const index = model.addStake();
        const wallet = `w${index}`;
        model.mint(wallet, stakeAmount);
        expect(model.stake(index, wallet, stakeAmount)).to.equal(undefined);
        model.addProvider(index);
        accounts.set(wallet, operator.mediaAccount);
        accounts.set(`${wallet}:quote`, operator.quoteAccount);
        positions.push({ staker: operator, wallet });
        operators.push(operator);
      }
      const consumers: Consumer[] = [];
      const escrows: EscrowHandle[] = [];
      for (let j = 0; j < 4; j++) {
        const consumer = await addConsumer(economy, 500n * MEDIA, 500n * MEDIA);
        const wallet = `c${j}`;
        model.mint(wallet, 500n * MEDIA);
        model.mintQuote(wallet, 500n * MEDIA);
        accounts.set(wallet, consumer.mediaAccount);
        accounts.set(`${wallet}:quote`, consumer.quoteAccount);
        const isMedia = j < 3;
        const handle = await addEscrow(economy, consumer, operators[j % 2], isMedia ? economy.mediaMint : economy.quoteMint, 0n);
        const e = model.addEscrow(j % 2, isMedia, handle.pricePerGib);
        accounts.set(`escrow:${e}`, handle.vault);
        consumers.push(consumer);
        escrows.push(handle);
      }
      const sponsor = await addStaker(economy, 100_000n * MEDIA);
      model.mint("sponsor", 100_000n * MEDIA);
      accounts.set("sponsor", sponsor.tokenAccount);
      accounts.set("staking:vault", economy.stakingVault);
      accounts.set("treasury:media", economy.treasuryMediaVault);
      accounts.set("treasury:quote", economy.treasuryQuoteVault);
      const everyAccount = [
        ...accounts.values(),
        ...positions.map((p) => p.staker.stakeAccount),
        ...operators.map((o) => o.provider),
        ...escrows.map((h) => h.escrow),
        economy.stakingConfig,
        economy.bandwidthConfig,
        economy.treasuryConfig,
        economy.mediaMint,
        economy.quoteMint,
      ];

      const counts: Record<string, number> = {};
      const outcomes: Record<string, number> = {};
      /** Runs one operation on-chain and in the model: same outcome, and a refusal changes nothing. */
      const run = async (name: string, expected: Outcome, action: () => Promise<unknown>, before?: Awaited<ReturnType<typeof snapshot>>) => {
        counts[name] = (counts[name] ?? 0) + 1;
        outcomes[`${name}:${expected ?? "ok"}`] = (outcomes[`${name}:${expected ?? "ok"}`] ?? 0) + 1;
        totals.operations++;
        if (expected) {
          totals.refusals++;
          await expectProgramError(action(), expected);
          if (before) await expectUnchanged(bank, before);
        } else {
          await action();
        }
      };
      /** Decides the model's outcome first (it applies on success), with a snapshot for refusals. */
      const op = async (name: string, decide: () => Outcome, action: () => Promise<unknown>) => {
        const before = await snapshot(bank, everyAccount);
        const shadow = structuredClone(model);
        const expected = decide();
        if (expected) Object.assign(model, shadow); // a refusal changes nothing in the model either
        await run(name, expected, action, expected ? before : undefined);
      };

      for (let step = 0; step < OPERATIONS_PER_SEED; step++) {
        const kind = rng.int(100);
        // Operators' own positions are drawn rarely: an operator below the minimum cannot settle
        const p = rng.next() < 0.1 ? 6 + rng.int(2) : rng.int(6);
        const position = positions[p];
        const world = economy.governanceWorld;
        if (kind < 12) {
          const amount = rng.next() < 0.15 ? rng.big(model.params.minStake) : rng.big(200n * MEDIA) + 1n;
          if (model.balance(position.wallet) < amount) continue;
          await op(
            "stake",
            () => model.stake(p, position.wallet, amount),
            () => stake(world, position.staker, amount),
          );
        } else if (kind < 20) {
          const active = model.stakes[p].active;
          const amount = rng.next() < 0.4 ? active : rng.big(active + 2n);
          await op(
            "request_unstake",
            () => model.requestUnstake(p, amount),
            () => requestUnstake(world, position.staker, amount),
          );
        } else if (kind < 24) {
          await op(
            "cancel_unstake",
            () => model.cancelUnstake(p),
            () => cancelUnstake(world, position.staker),
          );
        } else if (kind < 29) {
          await op(
            "withdraw",
            () => model.withdraw(p, position.wallet),
            () => withdraw(world, position.staker),
          );
        } else if (kind < 34) {
          const amount = rng.next() < 0.3 ? rng.big(7n) : rng.big(20n * MEDIA) + 1n;
          await op(
            "fund_rewards",
            () => model.fundRewards("sponsor", amount),
            () => fundRewards(world, sponsor, amount),
          );
        } else if (kind < 40) {
          await op(
            "claim_rewards",
            () => model.claim(p, position.wallet),
            () => claimRewards(world, position.staker),
          );
        } else if (kind < 48) {
          const e = rng.int(escrows.length);
          const amount = rng.next() < 0.1 ? 0n : rng.big(30n * MEDIA) + 1n;
          const wallet = `c${e}`;
          const funds = model.escrows[e].isMedia ? model.balance(wallet) : model.balance(`${wallet}:quote`);
          if (funds < amount) continue;
          await op(
            "deposit",
            () => model.deposit(e, wallet, amount),
            () => depositInto(economy.bandwidthWorld, escrows[e], amount),
          );
        } else if (kind < 75) {
          const e = rng.int(escrows.length);
          const handle = escrows[e];
          const escrow = model.escrows[e];
          const providerWallet = positions[model.providers[escrow.provider].stake].wallet;
          const shape = rng.int(10);
          let cumulativeBytes: bigint;
          let cumulativeAmount: bigint;
          if (shape === 0 && escrow.settledBytes > 0n) {
            // a replay of the newest settled receipt
            [cumulativeBytes, cumulativeAmount] = [escrow.settledBytes, escrow.settledAmount];
          } else if (shape === 1 && escrow.settledAmount > 0n) {
            // more bytes for a lower cumulative amount
            [cumulativeBytes, cumulativeAmount] = [escrow.settledBytes + GIB, escrow.settledAmount - 1n];
          } else {
            const bytes = rng.big(25n * GIB) + 1n;
            const amount = shape === 2 ? rng.big(200n * MEDIA) : rng.big(3n * MEDIA);
            [cumulativeBytes, cumulativeAmount] = [escrow.settledBytes + bytes, escrow.settledAmount + amount];
          }
          handle.channel.cumulativeBytes = cumulativeBytes;
          handle.channel.cumulativeAmount = cumulativeAmount;
          const receipt = signReceipt(handle.consumer.wallet, handle.escrow, handle.nonce, cumulativeBytes, cumulativeAmount);
          await op(
            "settle_receipt",
            () => model.settle(e, providerWallet, cumulativeBytes, cumulativeAmount),
            () => settle(economy.bandwidthWorld, handle, receipt),
          );
        } else if (kind < 80) {
          await op(
            "burn_fees",
            () => model.burnFees(),
            () => burnFees(economy.treasuryWorld),
          );
        } else if (kind < 85) {
          await op(
            "start_auction",
            () => model.startAuction(),
            () => startAuction(economy.treasuryWorld),
          );
        } else if (kind < 91) {
          const quote = rng.next() < 0.1 ? 0n : rng.next() < 0.2 ? 10n ** 15n : rng.big(model.lotRemaining + 2n) + 1n;
          const cost = model.lotRemaining > 0n && model.now < model.auctionEnd ? model.mediaFor(quote < model.lotRemaining ? quote : model.lotRemaining) : 0n;
          const maxIn = rng.next() < 0.2 && cost > 0n ? cost - 1n : cost + rng.big(MEDIA);
          const who = { wallet: taker.staker.wallet, mediaAccount: taker.staker.tokenAccount, quoteAccount: takerQuote };
          await op(
            "take",
            () => model.take(taker.wallet, quote, maxIn),
            () => take(economy.treasuryWorld, who, quote, maxIn),
          );
        } else {
          const seconds = rng.pick([60, 3_600, 6 * 3_600, 86_400, 8 * 86_400]);
          await warpSeconds(bank, seconds);
          model.now = await unixTimestamp(bank);
          counts.warp = (counts.warp ?? 0) + 1;
          continue;
        }

        // After every operation: the model and the bank agree to the base unit
        const at = `seed ${seed} step ${step}`;
        for (const [name, address] of accounts) expect(await balanceOf(bank, address), `${name} at ${at}`).to.equal(model.balance(name));
        expect(await supplyOf(bank, economy.mediaMint), `supply at ${at}`).to.equal(model.mediaSupply);
        const staking = await bank.programs.staking.account.stakingConfig.fetch(economy.stakingConfig);
        expect(
          [
            staking.totalActive,
            staking.totalUnbonding,
            staking.rewardPerStake,
            staking.unstreamedRewards,
            staking.rewardPeriodEnd,
            staking.rewardUpdatedAt,
            staking.rewardReserve,
            staking.totalRewardsFunded,
            staking.totalRewardsReceived,
          ].map(big),
          `staking totals at ${at}`,
        ).to.deep.equal([
          model.totalActive,
          model.totalUnbonding,
          model.acc,
          model.unstreamed,
          model.periodEnd,
          model.updatedAt,
          model.reserve,
          model.totalFunded,
          model.totalReceived,
        ]);
        for (const [i, { staker }] of positions.entries()) {
          const s = model.stakes[i];
          const account = await bank.programs.staking.account.stakeAccount.fetchNullable(staker.stakeAccount);
          if (!s.exists) continue;
          expect(account, `stake ${i} exists at ${at}`).to.not.equal(null);
          const claimable = big(account!.rewardsOwed) + (big(account!.active) * (model.acc - big(account!.rewardPerStakePaid))) / 10n ** 18n;
          expect([big(account!.active), big(account!.unbonding), claimable], `stake ${i} at ${at}`).to.deep.equal([s.active, s.unbonding, model.claimable(i)]);
        }
        for (const [k, operator] of operators.entries()) {
          const provider = await bank.programs.bandwidth.account.provider.fetch(operator.provider);
          const m = model.providers[k];
          expect([big(provider.quotaUsed), big(provider.quotaUpdatedAt), big(provider.totalBytes)], `provider ${k} at ${at}`).to.deep.equal([
            m.used,
            m.updatedAt,
            m.totalBytes,
          ]);
        }
        for (const [e, handle] of escrows.entries()) {
          const escrow = await bank.programs.bandwidth.account.escrow.fetch(handle.escrow);
          const m = model.escrows[e];
          expect([escrow.deposited, escrow.paid, escrow.settledBytes, escrow.settledAmount].map(big), `escrow ${e} at ${at}`).to.deep.equal([
            m.deposited,
            m.paid,
            m.settledBytes,
            m.settledAmount,
          ]);
        }
        const bandwidth = await bank.programs.bandwidth.account.bandwidthConfig.fetch(economy.bandwidthWorld.config);
        const totals = Object.keys(model.bandwidthTotals) as (keyof typeof model.bandwidthTotals)[];
        expect(
          totals.map((key) => big(bandwidth[key])),
          `bandwidth counters at ${at}`,
        ).to.deep.equal(totals.map((key) => model.bandwidthTotals[key]));
        const treasury = await bank.programs.treasury.account.treasuryConfig.fetch(economy.treasuryConfig);
        expect(
          [
            treasury.totalBurned,
            treasury.totalFeesBurned,
            treasury.totalBoughtBack,
            treasury.totalBuybackBurned,
            treasury.totalBuybackToStakers,
            treasury.totalQuoteSold,
            treasury.lastClearingPrice,
            treasury.referencePrice,
            treasury.auctionId,
            treasury.lotRemaining,
            treasury.startPrice,
            treasury.floorPrice,
          ].map(big),
          `treasury at ${at}`,
        ).to.deep.equal([
          model.totalBurned,
          model.totalFeesBurned,
          model.totalBoughtBack,
          model.totalBuybackBurned,
          model.totalBuybackToStakers,
          model.totalQuoteSold,
          model.lastClearingPrice,
          model.referencePrice,
          model.auctionId,
          model.lotRemaining,
          model.startPrice,
          model.floorPrice,
        ]);
        expect(model.mediaSupply + model.totalBurned, `supply + burned = minted at ${at}`).to.equal(model.minted);
      }
      // And the whole economy's invariants hold at the end, computed from the accounts alone
      await checkInvariants(economy, `seed ${seed}`);
      // Fees paid straight into the staking vault were folded into the stream along the way
      expect(model.totalReceived > 0n, `fees folded into rewards at seed ${seed}`).to.equal(true);
      for (const name of ["stake", "request_unstake", "settle_receipt", "claim_rewards", "deposit", "take", "burn_fees", "start_auction"]) {
        expect(counts[name] ?? 0, `${name} drawn at seed ${seed}`).to.be.greaterThan(3);
      }
      process.stdout.write(`      seed ${seed}: ${JSON.stringify(outcomes)}\n`);
    });
  }

  after(() => {
    process.stdout.write(`      model: ${totals.operations} operations, ${totals.refusals} refused exactly where the model said\n`);
  });
});
