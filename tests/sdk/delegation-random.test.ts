/**
 * The emission mirrors against the chain over a seeded random history: waits of random length
 * (within and past the activity window), MEDIA settlements that keep the operator active and
 * bring fee share, syncs, claims by each position and the operator, and stake topped up and
 * bound. Before each staking instruction the test predicts, with sdk/src/emissions.ts, the
 * rewards pool, the operator pool and the delegation after it, and what a claim pays; the chain
 * must agree to the base unit at every step.
 */
import { expect } from "chai";
import type { PublicKey } from "@solana/web3.js";
import { STAKING_DEFAULTS, releaseAndSync, settleDelegation } from "../../sdk/src";
import { type Bank, given, warpSeconds } from "../utils/bank";
import { GIB, MEDIA, newConsumer, newOperator, openEscrow, registerProvider, settle, setUpBandwidth } from "../utils/bandwidth";
import { type Staker, newStaker } from "../utils/staking";
import { mintTo, tokenBalance } from "../utils/token";

const STEPS = 30;
const HOUR = 3_600n;

/** A small deterministic generator (mulberry32), so a failure replays. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe("sdk: emission mirrors against the chain over a random history", () => {
  const cast = given(async (bank: Bank) => {
    const world = await setUpBandwidth(bank);
    const staking = bank.clients.staking;
    await staking.initializeRewardsPool(STAKING_DEFAULTS);
    await mintTo(bank, world.mediaMint, staking.emissionVaultAddress(), 2_000_000n * MEDIA);
    const operator = await newOperator(world, 100n * MEDIA, { register: false });
    await staking.openOperator(1_500, 3_000, { signer: operator.wallet });
    await registerProvider(world, operator);
    await staking.delegate(operator.wallet.publicKey, { signer: operator.wallet });
    const holders: Staker[] = [];
    for (const amount of [50n, 120n]) {
      const holder = await newStaker(world.staking, 1_000n * MEDIA);
      await holder.stake(amount * MEDIA);
      await staking.delegate(operator.wallet.publicKey, { signer: holder.wallet });
      holders.push(holder);
    }
    const consumer = await newConsumer(world, 10_000n * MEDIA);
    const escrow = await openEscrow(world, consumer, operator, world.mediaMint, 5_000n * MEDIA);
    return { world, staking, operator, holders, escrow };
  });

  async function state() {
    const operator = cast.operator.wallet.publicKey;
    const [rewardsPool, operatorPool, activity, vault] = await Promise.all([
      cast.staking.fetchRewardsPool(),
      cast.staking.fetchOperatorPool(operator),
      cast.staking.fetchActivity(operator),
      tokenBalance(cast.bank, cast.staking.emissionVaultAddress()),
    ]);
    if (!rewardsPool || !operatorPool || !activity) throw new Error("the pools and the provider exist");
    return { rewardsPool, operatorPool, activity, vault, now: await cast.bank.now() };
  }

  /** What the mirrors say the next staking instruction at this clock does to the pools. */
  async function predict() {
    const before = await state();
    return releaseAndSync(before.rewardsPool, before.vault, before.operatorPool, before.activity, before.now);
  }

  async function expectPools(expected: Awaited<ReturnType<typeof predict>>, step: string) {
    const after = await state();
    const { rewardsPool, operatorPool } = expected;
    expect(after.rewardsPool.emissionPerStake, `${step}: emission_per_stake`).to.equal(rewardsPool.emissionPerStake);
    expect(after.rewardsPool.released, `${step}: released`).to.equal(rewardsPool.released);
    expect(after.rewardsPool.returned, `${step}: returned`).to.equal(rewardsPool.returned);
    expect(after.rewardsPool.feeShareReceived, `${step}: fee_share_received`).to.equal(rewardsPool.feeShareReceived);
    expect(after.operatorPool.rewardPerBound, `${step}: reward_per_bound`).to.equal(operatorPool.rewardPerBound);
    expect(after.operatorPool.feePerDelegated, `${step}: fee_per_delegated`).to.equal(operatorPool.feePerDelegated);
    expect(after.operatorPool.emissionsEarned, `${step}: emissions_earned`).to.equal(operatorPool.emissionsEarned);
    expect(after.operatorPool.emissionsReturned, `${step}: emissions_returned`).to.equal(operatorPool.emissionsReturned);
    expect(after.operatorPool.operatorFeesOwed, `${step}: operator_fees_owed`).to.equal(operatorPool.operatorFeesOwed);
  }

  /** Claims as `holder` when it has something to claim; returns whether it did. */
  async function claimAs(holder: Staker, step: string): Promise<boolean> {
    const expected = await predict();
    const delegation = await cast.staking.fetchDelegation(holder.wallet.publicKey);
    if (!delegation) throw new Error("the holder delegated");
    const settled = settleDelegation(delegation, expected.operatorPool);
    const owed = settled.emissionsOwed + settled.feesOwed;
    if (owed === 0n) return false;
    const balance = await tokenBalance(cast.bank, holder.tokenAccount);
    await cast.staking.claimDelegationRewards({ signer: holder.wallet, tokenAccount: holder.tokenAccount });
    expect((await tokenBalance(cast.bank, holder.tokenAccount)) - balance, `${step}: paid`).to.equal(owed);
    await expectPools(expected, step);
    return true;
  }

  it(`agrees with the chain at every one of ${STEPS} random steps, on both levels of the accumulator`, async () => {
    const next = random(15);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
    const operator: PublicKey = cast.operator.wallet.publicKey;
    const done: string[] = [];
    for (let i = 0; i < STEPS; i += 1) {
      // Waits from an hour to ten days: some within the seven-day activity window, some past it.
      await warpSeconds(cast.bank, HOUR * BigInt(1 + Math.floor(next() * 240)));
      const action = pick(["serve", "serve", "sync", "claim", "commission", "top-up"] as const);
      const step = `step ${i} (${action})`;
      if (action === "serve") {
        await settle(cast.world, cast.escrow, cast.escrow.channel.pay(GIB, MEDIA * BigInt(1 + Math.floor(next() * 5))));
      } else if (action === "sync") {
        const expected = await predict();
        await cast.staking.syncOperator(operator);
        await expectPools(expected, step);
      } else if (action === "claim") {
        if (!(await claimAs(pick([cast.operator, ...cast.holders]), step))) continue;
      } else if (action === "commission") {
        const expected = await predict();
        if (expected.operatorPool.commissionOwed + expected.operatorPool.operatorFeesOwed === 0n) continue;
        const balance = await tokenBalance(cast.bank, cast.operator.tokenAccount);
        await cast.staking.claimCommission({ signer: cast.operator.wallet, tokenAccount: cast.operator.tokenAccount });
        expect((await tokenBalance(cast.bank, cast.operator.tokenAccount)) - balance, `${step}: commission`).to.equal(
          expected.operatorPool.commissionOwed + expected.operatorPool.operatorFeesOwed,
        );
        await expectPools(expected, step);
      } else {
        // A holder stakes 10 MEDIA more and binds it: the pool syncs and the position settles first.
        const holder = pick(cast.holders);
        await holder.stake(10n * MEDIA);
        const expected = await predict();
        await cast.staking.delegate(operator, { signer: holder.wallet });
        await expectPools(expected, step);
      }
      done.push(action);
    }
    // The history did each kind of step, and had active and idle stretches.
    expect([...new Set(done)]).to.include.members(["serve", "sync", "claim", "commission", "top-up"]);
    const pool = await cast.staking.fetchOperatorPool(operator);
    expect(pool && pool.emissionsEarned > 0n && pool.emissionsReturned > 0n).to.equal(true);
  });
});
