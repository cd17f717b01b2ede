/**
 * Rewards arithmetic against a reference model: 240 operations (stake, unstake, rebond,
 * withdraw, fund, claim) drawn from a fixed seed, with the clock moving in between, each run
 * on-chain and in the model. Funded rewards stream out linearly over the reward duration and
 * wait while nothing is staked. After every operation the outcome (success or the exact
 * error) must match, every payout must match to the base unit, and the vault must equal
 * active + unbonding + reward reserve (nothing arrives here without a staking instruction).
 */
import { expect } from "chai";
import { startBank, unixTimestamp, warpSeconds } from "../utils/bank";
import { expectProgramError } from "../utils/assertions";
import { type Staker, type StakingWorld, big, fetchConfig, fetchStake, newStaker, setUpStaking } from "../utils/staking";
import { tokenBalance } from "../utils/token";
import { random } from "../economy/model";
import { MEDIA, MIN_STAKE, REWARD_DURATION, REWARD_SCALE, UNBONDING_PERIOD } from "../utils/constants";

interface ModelStaker {
  /** The stake account exists once a first stake succeeded; before that, every other
   * instruction finds a system-owned address where it expects it. */
  exists: boolean;
  active: bigint;
  unbonding: bigint;
  unbondingEnd: number;
  paid: bigint;
  owed: bigint;
}

/** The spec's stream and accumulator, in exact integer arithmetic. */
class Model {
  totalActive = 0n;
  totalUnbonding = 0n;
  acc = 0n;
  unstreamed = 0n;
  periodEnd = 0n;
  updatedAt = 0n;
  reserve = 0n;
  now = 0;
  stakers: ModelStaker[] = [];

  settle(s: ModelStaker) {
    s.owed += (s.active * (this.acc - s.paid)) / REWARD_SCALE;
    s.paid = this.acc;
  }

  /** Streams what the time since the last update released, linearly toward the period end;
   * with nothing staked, the period waits instead. */
  update() {
    const now = BigInt(this.now);
    const last = this.updatedAt;
    if (now <= last) return;
    this.updatedAt = now;
    if (this.unstreamed === 0n) return;
    if (this.totalActive === 0n) {
      this.periodEnd = (this.periodEnd > last ? this.periodEnd : last) + (now - last);
      return;
    }
    const streamed = now >= this.periodEnd ? this.unstreamed : (this.unstreamed * (now - last)) / (this.periodEnd - last);
    this.unstreamed -= streamed;
    this.acc += (streamed * REWARD_SCALE) / this.totalActive;
  }

  /** Returns the expected error name, or undefined when the operation succeeds. */
  stake(i: number, amount: bigint): string | undefined {
    const s = this.stakers[i];
    if (amount === 0n) return "ZeroAmount";
    if (s.active + amount < MIN_STAKE) return "StakeBelowMinimum";
    this.update();
    this.settle(s);
    s.exists = true;
    s.active += amount;
    this.totalActive += amount;
    return undefined;
  }

  requestUnstake(i: number, amount: bigint): string | undefined {
    const s = this.stakers[i];
    if (amount === 0n) return "ZeroAmount";
    if (!s.exists) return "InvalidAccountOwner";
    if (amount > s.active) return "InsufficientActiveStake";
    const left = s.active - amount;
    if (left !== 0n && left < MIN_STAKE) return "StakeBelowMinimum";
    this.update();
    this.settle(s);
    s.active = left;
    s.unbonding += amount;
    s.unbondingEnd = this.now + UNBONDING_PERIOD;
    this.totalActive -= amount;
    this.totalUnbonding += amount;
    return undefined;
  }

  cancelUnstake(i: number): string | undefined {
    const s = this.stakers[i];
    if (!s.exists) return "InvalidAccountOwner";
    if (s.unbonding === 0n) return "NothingUnbonding";
    if (s.active + s.unbonding < MIN_STAKE) return "StakeBelowMinimum";
    this.update();
    this.settle(s);
    s.active += s.unbonding;
    this.totalActive += s.unbonding;
    this.totalUnbonding -= s.unbonding;
    s.unbonding = 0n;
    return undefined;
  }

  withdraw(i: number): [string | undefined, bigint] {
    const s = this.stakers[i];
    if (!s.exists) return ["InvalidAccountOwner", 0n];
    if (s.unbonding === 0n) return ["NothingUnbonding", 0n];
    if (this.now < s.unbondingEnd) return ["UnbondingNotFinished", 0n];
    this.update();
    const amount = s.unbonding;
    s.unbonding = 0n;
    this.totalUnbonding -= amount;
    return [undefined, amount];
  }

  fund(amount: bigint): string | undefined {
    if (amount === 0n) return "ZeroAmount";
    this.update();
    // What has not streamed yet and the new amount stream together over the duration from now.
    this.unstreamed += amount;
    this.periodEnd = BigInt(this.now) + REWARD_DURATION;
    this.reserve += amount;
    return undefined;
  }

  claim(i: number): [string | undefined, bigint] {
    const s = this.stakers[i];
    if (!s.exists) return ["InvalidAccountOwner", 0n];
    // A refused claim changes nothing, the stream's update included.
    const before = { acc: this.acc, unstreamed: this.unstreamed, periodEnd: this.periodEnd, updatedAt: this.updatedAt, paid: s.paid };
    this.update();
    this.settle(s);
    if (s.owed === 0n) {
      Object.assign(this, { acc: before.acc, unstreamed: before.unstreamed, periodEnd: before.periodEnd, updatedAt: before.updatedAt });
      s.paid = before.paid;
      return ["NoRewards", 0n];
    }
    const amount = s.owed;
    s.owed = 0n;
    this.reserve -= amount;
    return [undefined, amount];
  }
}

describe("media_staking: rewards against a reference model", () => {
  it("agrees to the base unit over 240 random operations (seed 20261122)", async () => {
    const bank = await startBank();
    const world: StakingWorld = await setUpStaking(bank);
    const rng = random(20261122);
    const model = new Model();
    const stakers: Staker[] = [];
    for (let i = 0; i < 5; i++) {
      stakers.push(await newStaker(world, 1_000_000n * MEDIA));
      model.stakers.push({ exists: false, active: 0n, unbonding: 0n, unbondingEnd: 0, paid: 0n, owed: 0n });
    }
    const sponsor = await newStaker(world, 10_000_000n * MEDIA);
    let elapsed = 0;
    model.now = Number(await unixTimestamp(bank));
    elapsed = model.now;
    const counts: Record<string, number> = {};

    const run = async (name: string, expectedError: string | undefined, action: () => Promise<string>) => {
      counts[name] = (counts[name] ?? 0) + 1;
      if (expectedError) await expectProgramError(action(), expectedError);
      else await action();
    };
    const paidOut = async (staker: Staker, action: () => Promise<unknown>) => {
      const before = await tokenBalance(bank, staker.tokenAccount);
      await action();
      return (await tokenBalance(bank, staker.tokenAccount)) - before;
    };

    for (let step = 0; step < 240; step++) {
      if (rng.next() < 0.35) {
        // Seconds to days: rewards stream in between, and a period may run out.
        const seconds = rng.pick([1, 59, 3_600, 86_399, 3 * 86_400, 8 * 86_400]);
        await warpSeconds(bank, seconds);
        elapsed += seconds;
        model.now = elapsed;
      }
      const i = rng.int(stakers.length);
      const staker = stakers[i];
      const kind = rng.int(100);
      if (kind < 30) {
        // Mostly valid stakes, sometimes dust (below the minimum) or zero.
        const amount = rng.next() < 0.15 ? rng.big(MIN_STAKE) : rng.big(300n * MEDIA) + 1n;
        await run("stake", model.stake(i, amount), () => staker.stake(amount));
      } else if (kind < 45) {
        const active = model.stakers[i].active;
        const amount = rng.next() < 0.5 ? active : rng.big(active + 2n);
        await run("request_unstake", model.requestUnstake(i, amount), () => staker.requestUnstake(amount));
      } else if (kind < 52) {
        await run("cancel_unstake", model.cancelUnstake(i), () => staker.cancelUnstake());
      } else if (kind < 60) {
        if (rng.next() < 0.5) {
          const seconds = UNBONDING_PERIOD + 1;
          await warpSeconds(bank, seconds);
          elapsed += seconds;
          model.now = elapsed;
        }
        const [error, amount] = model.withdraw(i);
        counts.withdraw = (counts.withdraw ?? 0) + 1;
        if (error) await expectProgramError(staker.withdraw(), error);
        else expect(await paidOut(staker, () => staker.withdraw())).to.equal(amount);
      } else if (kind < 80) {
        // Awkward amounts on purpose: single base units and primes make rounding show.
        const amount = rng.next() < 0.3 ? rng.big(7n) : rng.big(50n * MEDIA) + 1n;
        await run("fund_rewards", model.fund(amount), () => sponsor.fundRewards(amount));
      } else {
        const [error, amount] = model.claim(i);
        counts.claim_rewards = (counts.claim_rewards ?? 0) + 1;
        if (error) await expectProgramError(staker.claimRewards(), error);
        else expect(await paidOut(staker, () => staker.claimRewards()), `claim at step ${step}`).to.equal(amount);
      }

      const config = await fetchConfig(world);
      expect(big(config.totalActive), `total active at step ${step}`).to.equal(model.totalActive);
      expect(big(config.totalUnbonding)).to.equal(model.totalUnbonding);
      expect(big(config.rewardPerStake), `accumulator at step ${step}`).to.equal(model.acc);
      expect(big(config.unstreamedRewards), `unstreamed at step ${step}`).to.equal(model.unstreamed);
      expect(big(config.rewardPeriodEnd), `period end at step ${step}`).to.equal(model.periodEnd);
      expect(big(config.rewardReserve)).to.equal(model.reserve);
      const vault = await tokenBalance(bank, world.vault);
      expect(vault, `vault at step ${step}`).to.equal(model.totalActive + model.totalUnbonding + model.reserve);
    }

    // Every position agrees, and what is still owed never exceeds what the vault keeps for it.
    let owedTotal = 0n;
    for (let i = 0; i < stakers.length; i++) {
      const s = model.stakers[i];
      if (!s.exists) continue;
      const onChain = await fetchStake(world, stakers[i]);
      expect(big(onChain.active)).to.equal(s.active);
      expect(big(onChain.unbonding)).to.equal(s.unbonding);
      const pending = big(onChain.rewardsOwed) + (big(onChain.active) * (model.acc - big(onChain.rewardPerStakePaid))) / REWARD_SCALE;
      model.settle(s);
      expect(pending).to.equal(s.owed);
      owedTotal += pending;
    }
    expect(owedTotal <= model.reserve).to.equal(true);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).to.equal(240);
    for (const op of ["stake", "request_unstake", "cancel_unstake", "withdraw", "fund_rewards", "claim_rewards"]) {
      expect(counts[op] ?? 0, `${op} never drawn`).to.be.greaterThan(5);
    }
  });
});
