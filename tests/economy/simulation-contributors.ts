/**
 * The contributor economy's agents (ECONOMY.md, "v2: contributor economy"): Edge operators who
 * stake, serve bandwidth and take a commission, holders who delegate to them, and three
 * adversaries, each beside an honest twin with the same capital and the same demand:
 * - self-dealer: an operator that, on top of its real traffic, pays itself for fake usage every
 *   day, hoping usage earns emissions (emissions follow stake, so it only pays the protocol fee
 *   and its delegators' fee share on the fake traffic);
 * - commission raiser: an operator that attracts delegators with a 5% commission and raises it
 *   to 100% by surprise (the raise waits out a notice at least as long as unbonding; its
 *   delegator sees it and leaves to the twin operator first);
 * - stake hopper: a delegator that binds an hour before each weekly emission crank and leaves an
 *   hour after, hoping to catch the week's release (releases are continuous and every bind
 *   releases first, and leaving makes it wait out unbonding before it may bind again).
 *
 * The run is written against `ContributorWorld`, so the same agents act on the reference model
 * alone (`modelWorld`, instant) or on the programs with the model checked beside them after
 * every step (`contributors-chain.ts`). Profit and loss is in MEDIA base units: wallet, stake
 * and what is left to claim, end minus start.
 */
import { BANDWIDTH_DEFAULTS, feeSplit } from "../../sdk/src";
import { DAY, MEDIA } from "../utils/constants";
import type { ContributorModel, Outcome } from "./contributors-model";

const HOUR = 3_600n;

/** One world the agents act in: every method sends one instruction (or one receipt) and follows it in the model. */
export interface ContributorWorld {
  readonly model: ContributorModel;
  goTo(time: bigint): Promise<void>;
  /** A wallet holding `media` MEDIA: its position index. */
  addWallet(media: bigint): Promise<number>;
  stake(i: number, amount: bigint): Promise<void>;
  /** `open_operator` by position `i`'s owner, and its provider's registration: the operator index. */
  addOperator(i: number, commissionBps: number, feeShareBps: number): Promise<number>;
  /** A MEDIA receipt of `amount` from position `payer`'s wallet, settled by operator `k` (an escrow per pair). */
  serve(k: number, payer: number, amount: bigint): Promise<void>;
  delegate(i: number, k: number): Promise<Outcome>;
  undelegate(i: number): Promise<Outcome>;
  setCommission(k: number, commissionBps: number, feeShareBps: number): Promise<Outcome>;
  claimDelegationRewards(i: number): Promise<Outcome>;
  claimCommission(k: number): Promise<Outcome>;
  releaseEmissions(): Promise<void>;
  syncOperator(k: number): Promise<void>;
  /** Bandwidth's `set_paused` by its authority (settlements are refused while paused). */
  setBandwidthPaused(paused: boolean): Promise<void>;
  /** MEDIA in position `i`'s wallet. */
  wallet(i: number): Promise<bigint>;
  /** Every invariant, after a step. */
  check(where: string): Promise<void>;
}

/** What a MEDIA receipt of `amount` leaves the provider before the fee share (the protocol's cut taken). */
export const providerPartOf = (amount: bigint): bigint => feeSplit(amount, BANDWIDTH_DEFAULTS.protocolFeeBps, BANDWIDTH_DEFAULTS.stakerShareBps, true).provider;

/** The reference model alone, with wallets kept beside it. */
export function modelWorld(model: ContributorModel): ContributorWorld {
  const wallets: bigint[] = [];
  const credit = (i: number, amount: bigint) => {
    wallets[i] += amount;
    if (wallets[i] < 0n) throw new Error(`model world: wallet ${i} would go negative`);
  };
  const paidOut = (i: number) => (model.paid.emissions.get(i) ?? 0n) + (model.paid.fees.get(i) ?? 0n);
  /** Runs `operation` and credits position `i` with what it was paid out of the vaults. */
  const paying = (i: number, operation: () => Outcome): Outcome => {
    const before = paidOut(i);
    const outcome = operation();
    credit(i, paidOut(i) - before);
    return outcome;
  };
  const must = (outcome: Outcome, what: string) => {
    if (outcome) throw new Error(`model world: ${what} refused: ${outcome}`);
  };
  return {
    model,
    goTo: async (time) => {
      if (time > model.now) model.now = time;
    },
    addWallet: async (media) => {
      const i = model.addPosition();
      wallets[i] = media;
      return i;
    },
    stake: async (i, amount) => {
      must(model.stake(i, amount), "stake");
      credit(i, -amount);
    },
    addOperator: async (i, commissionBps, feeShareBps) => {
      const k = model.addOperator(i);
      must(model.openOperator(k, commissionBps, feeShareBps), "open_operator");
      return k;
    },
    serve: async (k, payer, amount) => {
      const part = providerPartOf(amount);
      const fee = model.settleReceipt(k, part, true);
      credit(payer, -amount);
      credit(model.operators[k].position, part - fee);
    },
    delegate: async (i, k) => model.delegate(i, k),
    undelegate: async (i) => model.undelegate(i),
    setCommission: async (k, commissionBps, feeShareBps) => model.setCommission(k, commissionBps, feeShareBps),
    claimDelegationRewards: async (i) => paying(i, () => model.claimDelegationRewards(i)),
    claimCommission: async (k) => paying(model.operators[k].position, () => model.claimCommission(k)),
    releaseEmissions: async () => {
      model.releaseEmissions();
    },
    setBandwidthPaused: async (paused) => model.setBandwidthPaused(paused),
    syncOperator: async (k) => {
      model.syncOperatorPool(k);
    },
    wallet: async (i) => wallets[i],
    check: async (where) => model.checkBooks(where),
  };
}

export interface ContributorAgent {
  name: string;
  role: "operator" | "delegator";
  honest: boolean;
  twin?: string;
  /** MEDIA base units: wallet + stake + left to claim, end minus start. */
  pnl: bigint;
  /** Emissions it earned (claimed and claimable), commission included. */
  emissions: bigint;
  note: string;
}

export interface ContributorSimulationResult {
  agents: ContributorAgent[];
  /** Refusals the adversaries met, by error name. */
  refusals: Record<string, number>;
  /** What the pool released, and how it split. */
  pool: { released: bigint; claimed: bigint; returned: bigint; feeShareReceived: bigint };
  /** Days the hopper was bound, out of the run. */
  hopperBoundHours: bigint;
  /** When the raiser scheduled its raise, when it took effect, when its delegator left and the commission it paid until then. */
  raise: { scheduledAt: bigint; effectiveAt: bigint; delegatorLeftAt: bigint; commissionBpsWhenLeft: number };
  invariantChecks: number;
}

/** How long the simulation runs, and a progress callback. */
export interface ContributorSimulationOptions {
  days: number;
  onDay?: (day: number) => void;
}

const OWN_STAKE = 1_000n * MEDIA;
const DELEGATED = 5_000n * MEDIA;
/** Real demand per operator per day, and the self-dealer's fake usage on top. */
const REAL_PER_DAY = 20n * MEDIA;
const FAKE_PER_DAY = 50n * MEDIA;

/**
 * The agents over `days` simulated days in `world`. Every day at 04:00 the operators settle
 * their consumer's receipt; every seven days at 02:00 a keeper cranks `release_emissions`.
 */
export async function runContributorSimulation(world: ContributorWorld, options: ContributorSimulationOptions): Promise<ContributorSimulationResult> {
  const { model } = world;
  const refusals: Record<string, number> = {};
  const refused = (outcome: Outcome) => {
    if (outcome) refusals[outcome] = (refusals[outcome] ?? 0) + 1;
  };
  const start = model.now;
  const at = (day: number, hours: bigint) => start + BigInt(day) * BigInt(DAY) + hours * HOUR;
  let invariantChecks = 0;
  const step = async (where: string) => {
    await world.check(where);
    invariantChecks++;
  };

  // The cast: four operators with the same stake, five delegators with the same capital, a consumer per operator.
  const operatorNames = ["honest operator", "self-dealer", "steady operator", "commission raiser"] as const;
  const operatorPositions: number[] = [];
  const operators: number[] = [];
  for (const name of operatorNames) {
    const i = await world.addWallet(OWN_STAKE + 10_000n * MEDIA);
    await world.stake(i, OWN_STAKE);
    const commission = name === "steady operator" || name === "commission raiser" ? 500 : 1_000;
    operators.push(await world.addOperator(i, commission, 2_000));
    operatorPositions.push(i);
  }
  const [honest, selfDealer, steady, raiser] = operators;
  for (const k of operators) {
    const delegate = await world.delegate(operatorPositions[k], k);
    if (delegate) throw new Error(`operator ${k} self-bond refused: ${delegate}`);
  }
  // The patient delegator, the self-dealer's, the steady operator's, the raiser's, and the hopper
  const delegators: number[] = [];
  for (let d = 0; d < 5; d++) {
    const i = await world.addWallet(DELEGATED);
    await world.stake(i, DELEGATED);
    delegators.push(i);
  }
  const [patient, dealerDelegator, steadyDelegator, raiserDelegator, hopper] = delegators;
  const bindings: [number, number][] = [
    [patient, honest],
    [dealerDelegator, selfDealer],
    [steadyDelegator, steady],
    [raiserDelegator, raiser],
  ];
  for (const [i, k] of bindings) {
    const outcome = await world.delegate(i, k);
    if (outcome) throw new Error(`delegation ${i} -> ${k} refused: ${outcome}`);
  }
  const consumer = await world.addWallet(100_000n * MEDIA);
  // The self-dealer's second wallet pays it for the fake usage (an operator's escrow to itself is refused).
  const puppet = await world.addWallet(FAKE_PER_DAY * BigInt(options.days));
  await step("cast");

  const everyone = [...operatorPositions, ...delegators];
  const holdingsOf = async (i: number) => (await world.wallet(i)) + model.positions[i].active + model.positions[i].unbonding;
  const startValue = new Map<number, bigint>();
  for (const i of [...everyone, puppet]) startValue.set(i, await holdingsOf(i));

  let hopperBoundHours = 0n;
  const raise = { scheduledAt: 0n, effectiveAt: 0n, delegatorLeftAt: 0n, commissionBpsWhenLeft: 0 };
  let raiserDelegatorMoved = false;
  const raiseDay = Math.min(8, Math.max(1, options.days - 10));
  for (let day = 0; day < options.days; day++) {
    // 01:00 the hopper binds to the honest operator before the weekly crank; 03:00 it leaves.
    const crankDay = day % 7 === 0;
    if (crankDay) {
      await world.goTo(at(day, 1n));
      const outcome = await world.delegate(hopper, honest);
      refused(outcome);
      if (!outcome) {
        await world.goTo(at(day, 2n));
        await world.releaseEmissions();
        await world.goTo(at(day, 3n));
        refused(await world.undelegate(hopper));
        hopperBoundHours += 2n;
      }
    } else {
      // The hopper tries every day to bind again: refused while its rebind wait runs.
      await world.goTo(at(day, 1n));
      const outcome = await world.delegate(hopper, honest);
      refused(outcome);
      if (!outcome) {
        await world.goTo(at(day, 3n));
        refused(await world.undelegate(hopper));
        hopperBoundHours += 2n;
      }
    }

    // 04:00 every operator settles its consumer's receipt; the self-dealer also pays itself.
    await world.goTo(at(day, 4n));
    for (const k of operators) await world.serve(k, consumer, REAL_PER_DAY);
    await world.serve(selfDealer, puppet, FAKE_PER_DAY);

    // The raiser raises its commission to 100% (and its fee share to 0) by surprise.
    if (day === raiseDay) {
      await world.goTo(at(day, 5n));
      const outcome = await world.setCommission(raiser, 10_000, 0);
      if (outcome) throw new Error(`set_commission refused: ${outcome}`);
      raise.scheduledAt = model.now;
      raise.effectiveAt = model.operators[raiser].pool!.pendingEffectiveAt;
    }
    // Its delegator watches the pending change: it leaves the next day, and moves to the steady
    // operator once its rebind wait is over.
    const pending = model.operators[raiser].pool!.pendingEffectiveAt;
    if (pending !== 0n && day === raiseDay + 1) {
      await world.goTo(at(day, 6n));
      const outcome = await world.undelegate(raiserDelegator);
      if (outcome) throw new Error(`the raiser's delegator could not leave: ${outcome}`);
      raise.delegatorLeftAt = model.now;
      raise.commissionBpsWhenLeft = model.operators[raiser].pool!.commissionBps;
    }
    if (!raiserDelegatorMoved && day > raiseDay + 1) {
      const rebindAfter = model.delegations[raiserDelegator]!.rebindAfter;
      if (at(day, 6n) >= rebindAfter) {
        await world.goTo(at(day, 6n));
        const outcome = await world.delegate(raiserDelegator, steady);
        if (outcome) throw new Error(`the raiser's delegator could not move: ${outcome}`);
        raiserDelegatorMoved = true;
      }
    }

    // 23:00 weekly claims; every invariant after the day.
    await world.goTo(at(day, 23n));
    if (day % 7 === 6) {
      for (const i of everyone) refused(await world.claimDelegationRewards(i));
      for (const k of operators) refused(await world.claimCommission(k));
    }
    await step(`day ${day}`);
    options.onDay?.(day);
  }

  // The end: everyone claims what is left (a refusal is NoRewards: nothing left), then the books.
  await world.goTo(at(options.days, 0n));
  for (const i of everyone) await world.claimDelegationRewards(i);
  for (const k of operators) await world.claimCommission(k);
  await step("end");

  const emissionsOf = (i: number) => model.paid.emissions.get(i) ?? 0n;
  const pnlOf = async (i: number) => (await holdingsOf(i)) - (startValue.get(i) ?? 0n);
  const agent = async (name: string, i: number, role: ContributorAgent["role"], honest: boolean, note: string, twin?: string): Promise<ContributorAgent> => ({
    name,
    role,
    honest,
    twin,
    // The self-dealer's puppet wallet is its own money.
    pnl: (await pnlOf(i)) + (i === operatorPositions[selfDealer] ? await pnlOf(puppet) : 0n),
    emissions: emissionsOf(i),
    note,
  });
  const agents = [
    await agent("honest operator", operatorPositions[honest], "operator", true, "serves its consumer, 10% commission"),
    await agent("self-dealer", operatorPositions[selfDealer], "operator", false, "same, plus fake usage paid to itself", "honest operator"),
    await agent("steady operator", operatorPositions[steady], "operator", true, "5% commission all along"),
    await agent("commission raiser", operatorPositions[raiser], "operator", false, "5%, then 100% by surprise", "steady operator"),
    await agent("patient delegator", patient, "delegator", true, "bound to the honest operator all along"),
    await agent("stake hopper", hopper, "delegator", false, "binds around each weekly crank", "patient delegator"),
    await agent("self-dealer's delegator", dealerDelegator, "delegator", true, "bound to the self-dealer"),
    await agent("steady's delegator", steadyDelegator, "delegator", true, "bound to the steady operator"),
    await agent("raiser's delegator", raiserDelegator, "delegator", true, "leaves the raiser on notice, rebinds after unbonding"),
  ];
  return {
    agents,
    refusals,
    pool: {
      released: model.pool.released,
      claimed: model.pool.claimed,
      returned: model.pool.returned,
      feeShareReceived: model.pool.feeShareReceived,
    },
    hopperBoundHours,
    raise,
    invariantChecks,
  };
}
