/**
 * The staking client's contributor economy against the real binaries: an operator opens its
 * pool, two holders delegate, emissions release on the schedule, and every figure the SDK
 * computes off-chain (the emission mirrors in sdk/src/emissions.ts, through the client's
 * `rewardsPool()`, `operatorPool()` and `delegation()` reads) equals what the program does, to
 * the base unit: each instruction's account changes, and what each claim pays.
 */
import { expect } from "chai";
import type { Keypair, PublicKey } from "@solana/web3.js";
import {
  type DelegationAccount,
  type OperatorPoolAccount,
  type RewardsPoolAccount,
  STAKING_DEFAULTS,
  type StakingClient,
  releaseAndSync,
  scheduledAt,
  settleDelegation,
} from "../../sdk/src";
import { type Bank, given, warpSeconds } from "../utils/bank";
import { GIB, MEDIA, newConsumer, newOperator, openEscrow, registerProvider, settle, setUpBandwidth } from "../utils/bandwidth";
import { newStaker } from "../utils/staking";
import { mintTo, tokenBalance } from "../utils/token";

const DAY = 24n * 60n * 60n;
/** The "Staking and Rewards" allocation the emission vault holds. */
const ALLOCATION = 2_000_000n * MEDIA;

/** The accounts a pool sync reads, as one snapshot. */
async function readState(staking: StakingClient, operator: PublicKey) {
  const [rewardsPool, operatorPool, activity, vault] = await Promise.all([
    staking.fetchRewardsPool(),
    staking.fetchOperatorPool(operator),
    staking.fetchActivity(operator),
    tokenBalanceOf(staking, staking.emissionVaultAddress()),
  ]);
  if (!rewardsPool || !operatorPool || !activity) throw new Error("the pool, the operator pool and its provider must exist");
  return { rewardsPool, operatorPool, activity, vault };
}

async function tokenBalanceOf(staking: StakingClient, account: PublicKey): Promise<bigint> {
  const info = await staking.program.provider.connection.getAccountInfo(account);
  return info ? info.data.readBigUInt64LE(64) : 0n;
}

/** The fields the mirrors compute, for an exact comparison of chain and mirror. */
const poolFields = (pool: RewardsPoolAccount) => ({
  released: pool.released,
  releasedAt: pool.releasedAt,
  returned: pool.returned,
  emissionPerStake: pool.emissionPerStake,
  feeShareReceived: pool.feeShareReceived,
  totalBound: pool.totalBound,
});
const operatorFields = (pool: OperatorPoolAccount) => ({
  emissionPerStakePaid: pool.emissionPerStakePaid,
  rewardPerBound: pool.rewardPerBound,
  feePerDelegated: pool.feePerDelegated,
  feeShareSeen: pool.feeShareSeen,
  syncedAt: pool.syncedAt,
  activeUntilSeen: pool.activeUntilSeen,
  commissionBps: pool.commissionBps,
  feeShareBps: pool.feeShareBps,
  pendingCommissionBps: pool.pendingCommissionBps,
  pendingFeeShareBps: pool.pendingFeeShareBps,
  pendingEffectiveAt: pool.pendingEffectiveAt,
  commissionOwed: pool.commissionOwed,
  operatorFeesOwed: pool.operatorFeesOwed,
  emissionsEarned: pool.emissionsEarned,
  emissionsReturned: pool.emissionsReturned,
});
const delegationFields = (delegation: DelegationAccount) => ({
  bound: delegation.bound,
  rewardPerBoundPaid: delegation.rewardPerBoundPaid,
  feePerDelegatedPaid: delegation.feePerDelegatedPaid,
  emissionsOwed: delegation.emissionsOwed,
  feesOwed: delegation.feesOwed,
});

describe("sdk: the staking client's delegation and emissions, against the chain", () => {
  const cast = given(async (bank: Bank) => {
    const world = await setUpBandwidth(bank);
    const staking = bank.clients.staking;
    await staking.initializeRewardsPool(STAKING_DEFAULTS);
    await mintTo(bank, world.mediaMint, staking.emissionVaultAddress(), ALLOCATION);
    const operator = await newOperator(world, 100n * MEDIA, { register: false });
    await staking.openOperator(1_000, 2_000, { signer: operator.wallet });
    await registerProvider(world, operator);
    const alice = await newStaker(world.staking, 300n * MEDIA);
    const bob = await newStaker(world.staking, 200n * MEDIA);
    await alice.stake(300n * MEDIA);
    await bob.stake(200n * MEDIA);
    // A consumer paying the operator in MEDIA: each settlement keeps the operator active and
    // sends its fee share to the delegators.
    const consumer = await newConsumer(world);
    const escrow = await openEscrow(world, consumer, operator, world.mediaMint, 100n * MEDIA);
    return { world, staking, operator, alice, bob, escrow };
  });
  const wallet = (who: { wallet: Keypair }) => who.wallet.publicKey;

  it("opens the operator's pool with its terms, and derives every account the instructions take", async () => {
    const pool = await cast.staking.operatorPool(wallet(cast.operator));
    expect(pool?.operator.equals(wallet(cast.operator))).to.equal(true);
    expect(pool).to.include({ commissionBps: 1_000, feeShareBps: 2_000, pending: null, delegated: 0n });
    const rewards = await cast.staking.rewardsPool();
    expect(rewards?.emissionVaultBalance).to.equal(ALLOCATION);
    expect(rewards?.emissionRate).to.equal(STAKING_DEFAULTS.initialRate);
  });

  it("delegate binds the whole active stake; the reads show it", async () => {
    await cast.staking.delegate(wallet(cast.operator), { signer: cast.operator.wallet });
    await cast.staking.delegate(wallet(cast.operator), { signer: cast.alice.wallet });
    await cast.staking.delegate(wallet(cast.operator), { signer: cast.bob.wallet });
    const pool = await cast.staking.operatorPool(wallet(cast.operator));
    expect(pool?.account).to.include({ boundTotal: 600n * MEDIA, selfBound: 100n * MEDIA, delegators: 2n });
    expect(pool?.delegated).to.equal(500n * MEDIA);
    const alice = await cast.staking.delegation(wallet(cast.alice));
    expect(alice?.bound).to.equal(300n * MEDIA);
    expect(alice?.operator.equals(wallet(cast.operator))).to.equal(true);
    expect((await cast.staking.rewardsPool())?.account.totalBound).to.equal(600n * MEDIA);
  });

  /** The operator serves 1 GiB more for 1 MEDIA more: active for another activity window. */
  const serve = () => settle(cast.world, cast.escrow, cast.escrow.channel.pay(GIB, MEDIA));

  it("sync_operator changes the rewards pool and the operator pool exactly as the mirrors say", async () => {
    await serve();
    await warpSeconds(cast.bank, DAY);
    const before = await readState(cast.staking, wallet(cast.operator));
    const now = await cast.bank.now();
    const expected = releaseAndSync(before.rewardsPool, before.vault, before.operatorPool, before.activity, now);
    await cast.staking.syncOperator(wallet(cast.operator));
    const after = await readState(cast.staking, wallet(cast.operator));
    expect(poolFields(after.rewardsPool)).to.deep.equal(poolFields(expected.rewardsPool));
    expect(operatorFields(after.operatorPool)).to.deep.equal(operatorFields(expected.operatorPool));
    // A day of the schedule was due, and the vault held it.
    expect(after.rewardsPool.released - before.rewardsPool.released).to.equal(
      scheduledAt(before.rewardsPool, now) - scheduledAt(before.rewardsPool, before.rewardsPool.releasedAt),
    );
  });

  it("claim_delegation_rewards pays exactly what delegation() said was claimable, and settles as the mirror does", async () => {
    await warpSeconds(cast.bank, DAY);
    const view = await cast.staking.delegation(wallet(cast.alice));
    if (!view) throw new Error("alice has a delegation");
    const state = await readState(cast.staking, wallet(cast.operator));
    const synced = releaseAndSync(state.rewardsPool, state.vault, state.operatorPool, state.activity, await cast.bank.now());
    const settled = settleDelegation(view.account, synced.operatorPool);
    const paid = view.claimable.emissions + view.claimable.fees;
    const balance = await tokenBalance(cast.bank, cast.alice.tokenAccount);
    // Active all along: emissions; one MEDIA settlement with a delegator bound: fee share.
    expect(view.claimable.emissions > 0n && view.claimable.fees > 0n).to.equal(true);
    await cast.staking.claimDelegationRewards({ signer: cast.alice.wallet, tokenAccount: cast.alice.tokenAccount });
    expect((await tokenBalance(cast.bank, cast.alice.tokenAccount)) - balance).to.equal(paid);
    const after = await cast.staking.fetchDelegation(wallet(cast.alice));
    if (!after) throw new Error("alice's delegation stays");
    expect(delegationFields(after)).to.deep.equal({ ...delegationFields(settled), emissionsOwed: 0n, feesOwed: 0n });
    expect(after.emissionsClaimed).to.equal(view.claimable.emissions);
  });

  it("set_commission schedules new terms after max(notice, unbonding); the pool shows them pending", async () => {
    const now = await cast.bank.now();
    await cast.staking.setCommission(2_500, 1_000, { signer: cast.operator.wallet });
    const config = await cast.staking.fetchConfig();
    const notice = config.commissionNotice > config.unbondingPeriod ? config.commissionNotice : config.unbondingPeriod;
    const pool = await cast.staking.operatorPool(wallet(cast.operator));
    expect(pool?.pending).to.deep.equal({ commissionBps: 2_500, feeShareBps: 1_000, effectiveAt: now + notice });
    expect(pool).to.include({ commissionBps: 1_000, feeShareBps: 2_000 });
    // At the effective time the read shows the new terms in effect, before any sync.
    const later = await cast.staking.operatorPool(wallet(cast.operator), now + notice);
    expect(later).to.include({ commissionBps: 2_500, feeShareBps: 1_000, pending: null });
  });

  it("undelegate unbinds at once; the delegation keeps its operator and may rebind after unbonding", async () => {
    const now = await cast.bank.now();
    await cast.staking.undelegate({ signer: cast.bob.wallet });
    const bob = await cast.staking.delegation(wallet(cast.bob));
    expect(bob?.bound).to.equal(0n);
    expect(bob?.operator.equals(wallet(cast.operator))).to.equal(true);
    const config = await cast.staking.fetchConfig();
    expect(bob?.account.rebindAfter).to.equal(now + config.unbondingPeriod);
    expect((await cast.staking.operatorPool(wallet(cast.operator)))?.delegated).to.equal(300n * MEDIA);
  });

  it("claim_commission pays exactly what operatorPool() said was claimable", async () => {
    await warpSeconds(cast.bank, DAY);
    const view = await cast.staking.operatorPool(wallet(cast.operator));
    if (!view) throw new Error("the operator has a pool");
    const paid = view.claimable.commission + view.claimable.fees;
    expect(view.claimable.commission > 0n).to.equal(true);
    const balance = await tokenBalance(cast.bank, cast.operator.tokenAccount);
    await cast.staking.claimCommission({ signer: cast.operator.wallet, tokenAccount: cast.operator.tokenAccount });
    expect((await tokenBalance(cast.bank, cast.operator.tokenAccount)) - balance).to.equal(paid);
  });

  it("release_emissions releases what rewardsPool() said was releasable", async () => {
    await warpSeconds(cast.bank, DAY);
    const view = await cast.staking.rewardsPool();
    if (!view) throw new Error("the pool exists");
    await cast.staking.releaseEmissions();
    const after = await cast.staking.fetchRewardsPool();
    expect(after?.released).to.equal(view.account.released + view.releasable);
  });

  it("an operator idle past its activity window: the sync returns its idle share exactly as the mirror says", async () => {
    const window = (await cast.bank.clients.bandwidth.fetchConfig()).activityWindow;
    await warpSeconds(cast.bank, window);
    const before = await readState(cast.staking, wallet(cast.operator));
    const now = await cast.bank.now();
    expect(before.activity.activeUntil < now).to.equal(true);
    const expected = releaseAndSync(before.rewardsPool, before.vault, before.operatorPool, before.activity, now);
    expect(expected.sync.returned > 0n && expected.sync.active > 0n).to.equal(true);
    await cast.staking.syncOperator(wallet(cast.operator));
    const after = await readState(cast.staking, wallet(cast.operator));
    expect(poolFields(after.rewardsPool)).to.deep.equal(poolFields(expected.rewardsPool));
    expect(operatorFields(after.operatorPool)).to.deep.equal(operatorFields(expected.operatorPool));
    // Idle now: its APRs are 0 until it serves again.
    expect((await cast.staking.operatorPool(wallet(cast.operator)))?.apr).to.deep.equal({ delegator: 0, operator: 0 });
  });

  it("governance's setters through the client: the schedule re-anchors at the call, keeping what was scheduled; the cap and notice are stored", async () => {
    const now = await cast.bank.now();
    const before = await cast.staking.fetchRewardsPool();
    if (!before) throw new Error("the pool exists");
    const halving = 2n * 365n * DAY;
    await cast.staking.setEmissionSchedule(20_000n, halving);
    const view = await cast.staking.rewardsPool();
    expect(view?.account).to.include({ initialRate: 20_000n, halvingPeriod: halving, scheduleStart: now, scheduledBefore: scheduledAt(before, now) });
    expect(view?.emissionRate).to.equal(20_000n);
    expect(view?.scheduled).to.equal(scheduledAt(before, now));
    await cast.staking.setDelegationParams(5, 14n * DAY);
    expect(await cast.staking.fetchConfig()).to.include({ delegationCap: 5, commissionNotice: 14n * DAY });
  });

  it("Media Scan reports supply, the pool and every operator and delegation with the client's figures", async () => {
    const now = await cast.bank.now();
    const report = await cast.bank.clients.scan(now);
    const pool = await cast.staking.rewardsPool(now);
    expect(report.emissions).to.include({
      poolBalance: pool?.emissionVaultBalance,
      emissionRate: pool?.emissionRate,
      initialRate: 20_000n,
      totalBound: pool?.account.totalBound,
      released: pool?.account.released,
      claimed: pool?.account.claimed,
      releasable: pool?.releasable,
    });
    expect(report.supply.mint.equals(cast.world.mediaMint)).to.equal(true);
    const contributors = await cast.bank.clients.scanContributors(now);
    expect(contributors.operators.map((o) => o.operator.toBase58())).to.deep.equal([wallet(cast.operator).toBase58()]);
    const operatorView = await cast.staking.operatorPool(wallet(cast.operator), now);
    expect(contributors.operators[0].claimable).to.deep.equal(operatorView?.claimable);
    expect(contributors.operators[0].apr).to.deep.equal(operatorView?.apr);
    // Bound positions only: the operator's own and alice's (bob left).
    expect(contributors.delegations.map((d) => d.owner.toBase58()).sort()).to.deep.equal([wallet(cast.alice), wallet(cast.operator)].map(String).sort());
    const alice = contributors.delegations.find((d) => d.owner.equals(wallet(cast.alice)));
    expect(alice?.claimable).to.deep.equal((await cast.staking.delegation(wallet(cast.alice), now))?.claimable);
  });
});
