/**
 * The rewards pool's governance and the operators' terms: creating the pool (once, by the
 * upgrade authority), the emission schedule (released by the crank, capped by the vault,
 * re-anchored by governance), the delegation parameters, commission changes that wait out
 * their notice, and the operator's own payouts. Every refusal names its error and leaves every
 * account it touched byte-identical.
 */
import { Keypair } from "@solana/web3.js";
import { expect } from "chai";
import { operatorPoolPda, stakeAccountPda } from "../../sdk/src/generated/media_staking";
import { expectRefused } from "../utils/assertions";
import { type Bank, given } from "../utils/bank";
import { DAY, HOUR, MEDIA, UNBONDING_PERIOD } from "../utils/constants";
import { big } from "../utils/staking";
import { airdrop, mintTo, tokenBalance } from "../utils/token";
import {
  claimCommissionInstruction,
  delegate,
  fetchOperatorPool,
  fetchRewardsPool,
  initializeRewardsPoolInstruction,
  newHolder,
  newPoolOperator,
  openOperatorInstruction,
  releaseEmissionsInstruction,
  send,
  setCommissionInstruction,
  setDelegationParamsInstruction,
  setEmissionScheduleInstruction,
  setProviderActivity,
  setUpDelegation,
  syncOperatorInstruction,
} from "./delegation-world";

const RATE = 1_000n;
const YEAR = 365n * BigInt(DAY);
const PARAMS = { initialRate: RATE, halvingPeriod: YEAR, delegationCap: 10, commissionNotice: BigInt(HOUR) };

/** The events media_staking logged in `signature`. */
/** The staking program's events in a transaction, whole: the fields they leave to their instructions read back. */
async function stakingEvents(cast: { bank: Bank }, signature: string) {
  const events = (await cast.bank.clients.transactionEvents(signature)).filter((event) => event.program === "staking");
  return events.map((event) => ({ ...event, data: event.data as Record<string, { toString(): string }> }));
}

describe("media_staking: rewards pool governance", () => {
  const cast = given(async (bank) => {
    const world = await setUpDelegation(bank, PARAMS);
    const stranger = Keypair.generate();
    await airdrop(bank, stranger.publicKey);
    return { world, stranger };
  });

  it("initialize_rewards_pool succeeded: the schedule starts now and the config holds the delegation parameters", async () => {
    const pool = await fetchRewardsPool(cast.world);
    expect(big(pool.initialRate)).to.equal(RATE);
    expect(big(pool.halvingPeriod)).to.equal(YEAR);
    expect(big(pool.scheduleStart)).to.equal(big(pool.releasedAt));
    expect(pool.emissionVault.toBase58()).to.equal(cast.world.emissionVault.toBase58());
    const config = await cast.bank.clients.staking.fetchConfig();
    expect(config.delegationCap).to.equal(10);
    expect(big(config.commissionNotice)).to.equal(BigInt(HOUR));
  });

  it("initialize_rewards_pool fails a second time: AlreadyInitialized; for a stranger: NotUpgradeAuthority", async () => {
    const touched = [cast.world.rewardsPool, cast.world.config, cast.world.emissionVault];
    await expectRefused(cast.bank, touched, "AlreadyInitialized", async () =>
      send(cast.bank, await initializeRewardsPoolInstruction(cast.world, PARAMS, cast.bank.payer.publicKey)),
    );
    await expectRefused(cast.bank, touched, "NotUpgradeAuthority", async () =>
      send(cast.bank, await initializeRewardsPoolInstruction(cast.world, PARAMS, cast.stranger.publicKey), cast.stranger),
    );
    await expectRefused(cast.bank, touched, "ParameterOutOfBounds", async () =>
      send(cast.bank, await initializeRewardsPoolInstruction(cast.world, { ...PARAMS, delegationCap: 0 }, cast.bank.payer.publicKey)),
    );
  });

  it("release_emissions succeeds: while nothing is bound the release returns to the pool", async () => {
    await cast.bank.warp(100);
    const signature = await send(cast.bank, await releaseEmissionsInstruction(cast.world));
    const [event] = await stakingEvents(cast, signature);
    expect(event.name).to.equal("emissionsReleased");
    expect([big(event.data.amount), big(event.data.returned), big(event.data.totalBound)]).to.deep.equal([RATE * 100n, RATE * 100n, 0n]);
    const pool = await fetchRewardsPool(cast.world);
    expect(big(pool.returned)).to.equal(RATE * 100n);
    expect(big(pool.emissionPerStake)).to.equal(0n);
  });

  it("set_emission_schedule succeeds: releases up to now, then re-anchors at the new rate", async () => {
    await cast.bank.warp(50);
    const signature = await send(cast.bank, await setEmissionScheduleInstruction(cast.world, 2n * RATE, 2n * YEAR, cast.bank.payer.publicKey));
    const now = await cast.bank.now();
    const pool = await fetchRewardsPool(cast.world);
    expect(big(pool.released)).to.equal(RATE * 150n, "the old rate up to now");
    expect(big(pool.scheduledBefore)).to.equal(RATE * 150n);
    expect(big(pool.scheduleStart)).to.equal(now);
    const [event] = await stakingEvents(cast, signature);
    expect(event.name).to.equal("emissionScheduleUpdated");
    expect(big(event.data.initialRate)).to.equal(2n * RATE);
    await cast.bank.warp(10);
    await send(cast.bank, await releaseEmissionsInstruction(cast.world));
    expect(big((await fetchRewardsPool(cast.world)).released)).to.equal(RATE * 150n + 2n * RATE * 10n);
  });

  it("set_emission_schedule fails for a stranger: Unauthorized; out of bounds: ParameterOutOfBounds", async () => {
    const touched = [cast.world.rewardsPool, cast.world.config];
    await expectRefused(cast.bank, touched, "Unauthorized", async () =>
      send(cast.bank, await setEmissionScheduleInstruction(cast.world, RATE, YEAR, cast.stranger.publicKey), cast.stranger),
    );
    await expectRefused(cast.bank, touched, "ParameterOutOfBounds", async () =>
      send(cast.bank, await setEmissionScheduleInstruction(cast.world, MEDIA + 1n, YEAR, cast.bank.payer.publicKey)),
    );
    await expectRefused(cast.bank, touched, "ParameterOutOfBounds", async () =>
      send(cast.bank, await setEmissionScheduleInstruction(cast.world, RATE, BigInt(DAY), cast.bank.payer.publicKey)),
    );
  });

  it("set_delegation_params succeeds: ParametersUpdated reports the new cap and notice", async () => {
    const signature = await send(cast.bank, await setDelegationParamsInstruction(cast.world, 5, 2n * BigInt(DAY), cast.bank.payer.publicKey));
    const config = await cast.bank.clients.staking.fetchConfig();
    expect(config.delegationCap).to.equal(5);
    expect(big(config.commissionNotice)).to.equal(2n * BigInt(DAY));
    const [event] = await stakingEvents(cast, signature);
    expect(event.name).to.equal("parametersUpdated");
    expect(event.data.delegationCap).to.equal(5);
  });

  it("set_delegation_params fails for a stranger: Unauthorized; out of bounds: ParameterOutOfBounds", async () => {
    const touched = [cast.world.config];
    await expectRefused(cast.bank, touched, "Unauthorized", async () =>
      send(cast.bank, await setDelegationParamsInstruction(cast.world, 5, BigInt(DAY), cast.stranger.publicKey), cast.stranger),
    );
    for (const [cap, notice] of [
      [0, BigInt(DAY)],
      [101, BigInt(DAY)],
      [5, BigInt(HOUR - 1)],
      [5, 90n * BigInt(DAY) + 1n],
    ] as const) {
      await expectRefused(cast.bank, touched, "ParameterOutOfBounds", async () =>
        send(cast.bank, await setDelegationParamsInstruction(cast.world, cap, notice, cast.bank.payer.publicKey)),
      );
    }
  });

  it("the governance setters fail while paused: ProgramPaused; the crank stays open", async () => {
    await cast.bank.clients.staking.setPaused(true);
    await expectRefused(cast.bank, [cast.world.rewardsPool], "ProgramPaused", async () =>
      send(cast.bank, await setEmissionScheduleInstruction(cast.world, RATE, YEAR, cast.bank.payer.publicKey)),
    );
    await expectRefused(cast.bank, [cast.world.config], "ProgramPaused", async () =>
      send(cast.bank, await setDelegationParamsInstruction(cast.world, 5, BigInt(DAY), cast.bank.payer.publicKey)),
    );
    await cast.bank.warp(1);
    await send(cast.bank, await releaseEmissionsInstruction(cast.world));
    await cast.bank.clients.staking.setPaused(false);
  });
});

describe("media_staking: the emission vault caps releases", () => {
  const cast = given(async (bank) => {
    const world = await setUpDelegation(bank, PARAMS, 0n);
    const operator = await newPoolOperator(world, 100n * MEDIA);
    await delegate(world, operator, operator);
    // The highest rate and longest halving the bounds allow: a flat MEDIA per second.
    await send(bank, await setEmissionScheduleInstruction(world, MEDIA, 10n * YEAR, bank.payer.publicKey));
    return { world, operator };
  });

  /** Warps `seconds` and cranks; returns what was released. */
  const releaseAfter = async (seconds: bigint) => {
    await cast.bank.warp(seconds);
    const [event] = await stakingEvents(cast, await send(cast.bank, await releaseEmissionsInstruction(cast.world)));
    return big(event.data.amount);
  };

  it("release_emissions never releases more than the vault holds beyond what it owes; a shortfall is not carried", async () => {
    // Given 1.5 MEDIA more in the vault than it owes (whatever the set-up put there)
    await mintTo(cast.bank, cast.world.mediaMint, cast.world.emissionVault, 1_500_000n);
    const pool = await fetchRewardsPool(cast.world);
    const owed = big(pool.released) - big(pool.claimed) - big(pool.returned);
    const available = (await tokenBalance(cast.bank, cast.world.emissionVault)) - owed;
    // When more falls due than that, only what is available is released, then nothing
    const seconds = available / MEDIA + 1n;
    expect(await releaseAfter(seconds)).to.equal(available);
    expect(await releaseAfter(1n)).to.equal(0n);
    // MEDIA sent to the vault is simply available, and only what is due now is released
    await mintTo(cast.bank, cast.world.mediaMint, cast.world.emissionVault, 3n * MEDIA);
    expect(await releaseAfter(2n)).to.equal(2n * MEDIA, "what is due now, not the earlier shortfall");
  });
});

describe("media_staking: operator terms and payouts", () => {
  const cast = given(async (bank) => {
    const world = await setUpDelegation(bank, PARAMS);
    const operator = await newPoolOperator(world, 100n * MEDIA, { commissionBps: 1_000, feeShareBps: 2_000 });
    await delegate(world, operator, operator);
    const holder = await newHolder(world, 1_000n * MEDIA, 100n * MEDIA);
    return { world, operator, holder };
  });
  const operatorKey = () => cast.operator.wallet.publicKey;

  it("open_operator fails a second time: AlreadyInitialized; with another's stake account: StakeOwnerMismatch", async () => {
    const pool = operatorPoolPda(operatorKey());
    await expectRefused(cast.bank, [pool, cast.world.rewardsPool], "AlreadyInitialized", async () =>
      send(cast.bank, await openOperatorInstruction(cast.world, operatorKey(), 0, 0), cast.operator.wallet),
    );
    const holder = cast.holder.wallet.publicKey;
    const ix = await cast.bank.programs.staking.methods
      .openOperator(0, 0)
      .accountsPartial({ operator: holder, stakeAccount: stakeAccountPda(operatorKey()) })
      .instruction();
    await expectRefused(cast.bank, [operatorPoolPda(holder), cast.world.rewardsPool], "StakeOwnerMismatch", () => send(cast.bank, ix, cast.holder.wallet));
  });

  it("open_operator fails while paused: ProgramPaused", async () => {
    await cast.bank.clients.staking.setPaused(true);
    const holder = cast.holder.wallet.publicKey;
    await expectRefused(cast.bank, [operatorPoolPda(holder), cast.world.rewardsPool], "ProgramPaused", async () =>
      send(cast.bank, await openOperatorInstruction(cast.world, holder, 0, 0), cast.holder.wallet),
    );
    await expectRefused(cast.bank, [operatorPoolPda(operatorKey())], "ProgramPaused", async () =>
      send(cast.bank, await setCommissionInstruction(cast.world, operatorKey(), 0, 0), cast.operator.wallet),
    );
    await cast.bank.clients.staking.setPaused(false);
  });

  it("set_commission succeeds: new terms wait max(commission_notice, unbonding_period); a new call restarts the notice", async () => {
    const signature = await send(cast.bank, await setCommissionInstruction(cast.world, operatorKey(), 5_000, 0), cast.operator.wallet);
    const now = await cast.bank.now();
    // The notice (an hour) is shorter than unbonding (a week): unbonding applies.
    let pool = await fetchOperatorPool(cast.world, operatorKey());
    expect(big(pool.pendingEffectiveAt)).to.equal(now + BigInt(UNBONDING_PERIOD));
    const [event] = await stakingEvents(cast, signature);
    expect(event.name).to.equal("commissionChangeScheduled");
    expect([event.data.commissionBps, event.data.pendingCommissionBps]).to.deep.equal([1_000, 5_000]);

    await cast.bank.warp(DAY);
    await send(cast.bank, await setCommissionInstruction(cast.world, operatorKey(), 4_000, 500), cast.operator.wallet);
    const restarted = await cast.bank.now();
    pool = await fetchOperatorPool(cast.world, operatorKey());
    expect([pool.pendingCommissionBps, pool.pendingFeeShareBps]).to.deep.equal([4_000, 500]);
    expect(big(pool.pendingEffectiveAt)).to.equal(restarted + BigInt(UNBONDING_PERIOD));

    // A sync before the notice has run out keeps the terms; one after applies them.
    await cast.bank.warp(UNBONDING_PERIOD - 1);
    await send(cast.bank, await syncOperatorInstruction(cast.world, operatorKey()));
    expect((await fetchOperatorPool(cast.world, operatorKey())).commissionBps).to.equal(1_000);
    await cast.bank.warp(1);
    await send(cast.bank, await syncOperatorInstruction(cast.world, operatorKey()));
    pool = await fetchOperatorPool(cast.world, operatorKey());
    expect([pool.commissionBps, pool.feeShareBps, big(pool.pendingEffectiveAt)]).to.deep.equal([4_000, 500, 0n]);
  });

  it("set_commission fails for another signer: Unauthorized; above 10,000 bps: InvalidCommission", async () => {
    const pool = operatorPoolPda(operatorKey());
    const ix = await cast.bank.programs.staking.methods
      .setCommission(0, 0)
      .accountsPartial({ operator: cast.holder.wallet.publicKey, operatorPool: pool, provider: cast.operator.provider })
      .instruction();
    await expectRefused(cast.bank, [pool, cast.world.rewardsPool], "Unauthorized", () => send(cast.bank, ix, cast.holder.wallet));
    await expectRefused(cast.bank, [pool, cast.world.rewardsPool], "InvalidCommission", async () =>
      send(cast.bank, await setCommissionInstruction(cast.world, operatorKey(), 0, 10_001), cast.operator.wallet),
    );
  });

  it("claim_commission pays the fee share that arrived while nobody was delegated, and the commission", async () => {
    // Given only the operator's self-bond, active, and 0.3 MEDIA of fee share paid in
    const now = await cast.bank.now();
    await setProviderActivity(cast.bank, cast.operator.provider, { activeSince: now, activeUntil: now + BigInt(DAY), feeSharePaid: 300_000n });
    await mintTo(cast.bank, cast.world.mediaMint, cast.world.feeShareVault, 300_000n);
    await send(cast.bank, await syncOperatorInstruction(cast.world, operatorKey()));
    await cast.bank.warp(1_000);
    const before = await tokenBalance(cast.bank, cast.operator.tokenAccount);
    const signature = await send(cast.bank, await claimCommissionInstruction(cast.world, operatorKey(), cast.operator.tokenAccount), cast.operator.wallet);
    // The whole release is the self-bond's (nothing else is bound); commission 40% after the change above
    const [event] = await stakingEvents(cast, signature);
    expect(event.name).to.equal("commissionClaimed");
    expect(big(event.data.fees)).to.equal(300_000n);
    expect(big(event.data.commission)).to.equal((RATE * 1_000n * 4_000n) / 10_000n);
    expect(await tokenBalance(cast.bank, cast.operator.tokenAccount)).to.equal(before + 300_000n + 400_000n);
  });

  it("claim_commission fails with nothing owed: NoRewards; for another signer: Unauthorized", async () => {
    const pool = operatorPoolPda(operatorKey());
    const touched = [pool, cast.world.rewardsPool, cast.world.emissionVault, cast.world.feeShareVault];
    await expectRefused(cast.bank, touched, "NoRewards", async () =>
      send(cast.bank, await claimCommissionInstruction(cast.world, operatorKey(), cast.operator.tokenAccount), cast.operator.wallet),
    );
    await cast.bank.warp(10);
    const ix = await cast.bank.programs.staking.methods
      .claimCommission()
      .accountsPartial({
        operator: cast.holder.wallet.publicKey,
        operatorTokenAccount: cast.holder.tokenAccount,
        operatorPool: pool,
        provider: cast.operator.provider,
      })
      .instruction();
    await expectRefused(cast.bank, [...touched, cast.holder.tokenAccount], "Unauthorized", () => send(cast.bank, ix, cast.holder.wallet));
  });
});
