/**
 * The contributor economy's cost as it grows: every staking instruction of delegation and
 * emissions, `settle_receipt` paying a fee share, and bandwidth's `set_activity_window`, each
 * measured with 1, 100 and 10,000 operators and as many delegators already in the bank.
 *
 * The crowd is written straight into the bank as a load generator would leave it (Anchor's
 * coder over accounts the programs created, so every written account has the programs' own
 * size and layout): other operators, each with its stake account, its self-bond, its
 * `OperatorPool` and its bandwidth `Provider`; and delegators bound to the measured operator,
 * each with its stake account and `Delegation`. The counters the instructions keep (the
 * staking config's totals, the `RewardsPool`'s bound stake and counts, the measured
 * operator's pool) are adjusted to match, so the programs see the economy they would have
 * built themselves. Only compute units are measured here.
 */
import { Keypair, PublicKey } from "@solana/web3.js";
import BN from "bn.js";
import {
  BANDWIDTH_DEFAULTS,
  BANDWIDTH_SEEDS,
  GIB,
  MEDIA_BANDWIDTH_PROGRAM_ID,
  MEDIA_STAKING_PROGRAM_ID,
  MEDIA as MEDIA_BN,
  STAKING_DEFAULTS,
  STAKING_SEEDS,
  bigintOf,
} from "../../sdk/src";
import { type BandwidthWorld, type Operator, newConsumer, newOperator, openEscrow, settle, setUpBandwidth } from "../../tests/utils/bandwidth";
import { type Bank, startBank, warpSeconds } from "../../tests/utils/bank";
import { type Staker, newStaker, setUpStaking } from "../../tests/utils/staking";
import { TERMS, fundRewardsPool, servingOperator } from "../../tests/utils/delegation";
import type { Measurement, Meter } from "./meter";
import { SCALES, writeStakers } from "./scale";

const MEDIA = bigintOf(MEDIA_BN);
const MIN_STAKE = bigintOf(STAKING_DEFAULTS.minStake);
const HOUR = 60 * 60;
const DAY = 24 * HOUR;
const STAKING = { name: "media_staking", id: MEDIA_STAKING_PROGRAM_ID };
const BANDWIDTH = { name: "media_bandwidth", id: MEDIA_BANDWIDTH_PROGRAM_ID };

/** The measured operator's own stake: its delegation cap (10×) leaves room for 10,000 delegators of 25 MEDIA and more. */
const OPERATOR_STAKE = 30_000n * MEDIA;
/** What the emission vault holds in these banks (the genesis allocation is larger; the schedule never gets near this). */
const EMISSION_FUNDS = 100_000n * MEDIA;

/** The scenario title of `what` measured with `count` operators and delegators in the bank. */
export function atScale(what: string, count: number): string {
  return `${what} with ${count.toLocaleString("en-US")} operators and delegators`;
}

/** `atScale` read back: the scenario and the count, or null for any other title. */
export function scaleOf(scenario: string): { what: string; count: number } | null {
  const match = /^(.*) with ([\d,]+) operators and delegators$/.exec(scenario);
  return match ? { what: match[1], count: Number(match[2].replaceAll(",", "")) } : null;
}

/** A PDA of the staking or bandwidth program and its bump, for the accounts written here. */
const stakingPda = (...seeds: Buffer[]) => PublicKey.findProgramAddressSync(seeds, MEDIA_STAKING_PROGRAM_ID);
const operatorPoolPda = (operator: PublicKey) => stakingPda(STAKING_SEEDS.operator, operator.toBuffer());
const delegationPda = (owner: PublicKey) => stakingPda(STAKING_SEEDS.delegation, owner.toBuffer());
const providerPda = (operator: PublicKey) => PublicKey.findProgramAddressSync([BANDWIDTH_SEEDS.provider, operator.toBuffer()], MEDIA_BANDWIDTH_PROGRAM_ID);

const bnOf = (value: bigint) => new BN(value.toString());

/** Writes `account` (an Anchor account type of `program`) at `address`, as large and rent-funded as `template`. */
async function writeAccount(
  bank: Bank,
  program: "staking" | "bandwidth",
  type: string,
  address: PublicKey,
  fields: object,
  template: { lamports: bigint; data: Uint8Array },
): Promise<void> {
  const coder = bank.programs[program].coder.accounts;
  const data = await coder.encode(type, fields);
  if (data.length !== template.data.length) throw new Error(`${type} encodes to ${data.length} bytes, the program's are ${template.data.length}`);
  const owner = program === "staking" ? MEDIA_STAKING_PROGRAM_ID : MEDIA_BANDWIDTH_PROGRAM_ID;
  await bank.runtime.setAccount(address, { lamports: template.lamports, owner, data, executable: false });
}

/** Re-encodes the account at `address` with `change` applied to its decoded fields. */
async function patchAccount<T extends object>(
  bank: Bank,
  program: "staking" | "bandwidth",
  type: string,
  address: PublicKey,
  change: (fields: T) => T,
): Promise<void> {
  const current = await bank.runtime.getAccount(address);
  if (!current) throw new Error(`no ${type} at ${address.toBase58()}`);
  const coder = bank.programs[program].coder.accounts;
  const data = await coder.encode(type, change(coder.decode(type, Buffer.from(current.data)) as T));
  await bank.runtime.setAccount(address, { ...current, data });
}

async function accountOf(bank: Bank, address: PublicKey) {
  const account = await bank.runtime.getAccount(address);
  if (!account) throw new Error(`no account at ${address.toBase58()}`);
  return account;
}

type Fields = Record<string, unknown>;
const add = (value: unknown, amount: bigint) => (value as BN).add(bnOf(amount));

/**
 * Writes `count` operators other than `measured` (each self-bonded with the minimum stake, its
 * pool open and its provider registered and recently active) and `count` delegators bound to
 * `measured` with the minimum stake each; then adjusts every counter they add to. The written
 * accounts are copies of `measured`'s own (stake account, pool, provider) and of `delegated`'s
 * delegation, with owners, amounts, bumps and checkpoints set.
 */
async function writeCrowd(bank: Bank, world: BandwidthWorld, count: number, measured: Operator, delegated: Staker): Promise<void> {
  const staking = bank.programs.staking;
  const bandwidth = bank.programs.bandwidth;
  const wallet = measured.wallet.publicKey;
  const [poolAddress] = operatorPoolPda(wallet);
  const [providerAddress] = providerPda(wallet);
  const [templateDelegation] = delegationPda(delegated.wallet.publicKey);
  const poolTemplate = await accountOf(bank, poolAddress);
  const providerTemplate = await accountOf(bank, providerAddress);
  const delegationTemplate = await accountOf(bank, templateDelegation);
  const pool = (await staking.account.operatorPool.fetch(poolAddress)) as unknown as Fields;
  const provider = (await bandwidth.account.provider.fetch(providerAddress)) as unknown as Fields;
  const delegation = (await staking.account.delegation.fetch(templateDelegation)) as unknown as Fields;
  const minimum = bnOf(MIN_STAKE);
  const zero = new BN(0);

  // Stake accounts of both crowds, bound (delegated) with all of their minimum stake.
  const operators = await writeStakers(bank, world.staking, count, measured.stakeAccount, { bound: true });
  const delegators = await writeStakers(bank, world.staking, count, measured.stakeAccount, { bound: true });
  for (const operator of operators) {
    const [address, bump] = operatorPoolPda(operator);
    const fields = { ...pool, operator, boundTotal: minimum, selfBound: minimum, delegators: zero, commissionOwed: zero, operatorFeesOwed: zero, bump };
    await writeAccount(
      bank,
      "staking",
      "operatorPool",
      address,
      { ...fields, commissionClaimed: zero, emissionsEarned: zero, emissionsReturned: zero },
      poolTemplate,
    );
    const [own, ownBump] = delegationPda(operator);
    await writeAccount(bank, "staking", "delegation", own, selfBond(delegation, operator, operator, pool, ownBump), delegationTemplate);
    const [providerAddress, providerBump] = providerPda(operator);
    await writeAccount(bank, "bandwidth", "provider", providerAddress, { ...provider, operator, feeSharePaid: zero, bump: providerBump }, providerTemplate);
  }
  for (const owner of delegators) {
    const [address, bump] = delegationPda(owner);
    await writeAccount(bank, "staking", "delegation", address, selfBond(delegation, owner, wallet, pool, bump), delegationTemplate);
  }
  const crowd = BigInt(count) * MIN_STAKE;
  await patchAccount<Fields>(bank, "staking", "operatorPool", poolAddress, (f) => ({
    ...f,
    boundTotal: add(f.boundTotal, crowd),
    delegators: add(f.delegators, BigInt(count)),
  }));
  await patchAccount<Fields>(bank, "staking", "rewardsPool", bank.clients.staking.rewardsPoolAddress(), (f) => ({
    ...f,
    totalBound: add(f.totalBound, 2n * crowd),
    operators: add(f.operators, BigInt(count)),
    delegations: add(f.delegations, 2n * BigInt(count)),
  }));
}

/** A delegation of `owner` bound to `operator` with the minimum stake, its checkpoints at the pool's current values. */
function selfBond(template: Fields, owner: PublicKey, operator: PublicKey, pool: Fields, bump: number): Fields {
  const zero = new BN(0);
  return {
    ...template,
    owner,
    operator,
    bound: bnOf(MIN_STAKE),
    rewardPerBoundPaid: pool.rewardPerBound,
    feePerDelegatedPaid: pool.feePerDelegated,
    emissionsOwed: zero,
    feesOwed: zero,
    emissionsClaimed: zero,
    feesClaimed: zero,
    rebindAfter: zero,
    bump,
  };
}

/**
 * Every delegation and emission instruction at each of `scales` operators and delegators,
 * each sent alone in its transaction through the SDK's staking client. Wallets are fixed (PDA
 * bump searches depend on the addresses), so every run measures the same work.
 */
export async function benchDelegation(meter: Meter, scales: readonly number[] = SCALES): Promise<void> {
  for (const count of scales) {
    const bank = await startBank();
    const world = await setUpBandwidth(bank);
    const client = bank.clients.staking;
    const staking = (instruction: string, what: string, send: () => Promise<string>) => meter.measure(bank, STAKING, instruction, atScale(what, count), send);
    const bandwidth = (instruction: string, what: string, send: () => Promise<string>) =>
      meter.measure(bank, BANDWIDTH, instruction, atScale(what, count), send);
    const as = (who: Staker) => ({ signer: who.wallet, tokenAccount: who.tokenAccount });
    await fundRewardsPool(world, EMISSION_FUNDS);

    // The measured operator serving, self-bonded, with a first delegator (whose delegation the written ones copy).
    const helper = await newStaker(world.staking, 100n * MEDIA, Keypair.fromSeed(Buffer.alloc(32, 22)));
    await helper.stake(MIN_STAKE);
    const olivia = await servingOperator(world, [helper], OPERATOR_STAKE, Keypair.fromSeed(Buffer.alloc(32, 21)));
    const operator = olivia.wallet.publicKey;
    process.stderr.write(`  writing ${count.toLocaleString("en-US")} operators and ${count.toLocaleString("en-US")} delegators...\n`);
    await writeCrowd(bank, world, count, olivia, helper);

    // Traffic: a consumer's MEDIA escrow with the measured operator (settled once unmeasured, so quota timestamps are warm).
    const consumer = await newConsumer(world, 1_000n * MEDIA, 0n, Keypair.fromSeed(Buffer.alloc(32, 23)));
    const escrow = await openEscrow(world, consumer, olivia, world.mediaMint, 500n * MEDIA);
    await settle(world, escrow, escrow.channel.pay(GIB, 1_000_000n));
    await warpSeconds(bank, HOUR);

    await staking("release_emissions", "an hour since the last release", () => client.releaseEmissions());
    const oscar = await newOperator(world, 100n * MEDIA, { register: false, wallet: Keypair.fromSeed(Buffer.alloc(32, 24)) });
    await staking("open_operator", "pool created", () => client.openOperator(TERMS.commissionBps, TERMS.feeShareBps, as(oscar)));
    const dan = await newStaker(world.staking, 1_000n * MEDIA, Keypair.fromSeed(Buffer.alloc(32, 25)));
    await dan.stake(100n * MEDIA);
    await staking("delegate", "first bind (creates the delegation)", () => client.delegate(operator, as(dan)));
    await warpSeconds(bank, HOUR);
    await bandwidth("settle_receipt", "MEDIA, with the delegators' fee share", () => settle(world, escrow, escrow.channel.pay(GIB, 1_234_567n)));
    await warpSeconds(bank, HOUR);
    await staking("sync_operator", "active operator, fee share arrived", () => client.syncOperator(operator));
    await dan.stake(50n * MEDIA);
    await warpSeconds(bank, HOUR);
    await staking("delegate", "top-up to the new active stake", () => client.delegate(operator, as(dan)));
    await warpSeconds(bank, HOUR);
    await staking("set_commission", "change scheduled after the notice", () => client.setCommission(TERMS.commissionBps + 500, TERMS.feeShareBps, as(olivia)));
    await warpSeconds(bank, DAY);
    await staking("claim_delegation_rewards", "emissions and fee share", () => client.claimDelegationRewards(as(dan)));
    await staking("claim_commission", "emission commission", () => client.claimCommission(as(olivia)));
    // Past the activity window with no settlement: the idle stretch goes back to the pool.
    await warpSeconds(bank, 8 * DAY);
    await staking("sync_operator", "idle operator, idle share returned", () => client.syncOperator(operator));
    await staking("undelegate", "unbinds everything", () => client.undelegate(as(dan)));
    // The pool's creation, in a bank of its own where the crowd exists only as unbound stakers.
    const fresh = await startBank();
    const stakingWorld = await setUpStaking(fresh);
    const staker = await newStaker(stakingWorld, 100n * MEDIA, Keypair.fromSeed(Buffer.alloc(32, 26)));
    await staker.stake(MIN_STAKE);
    await writeStakers(fresh, stakingWorld, 2 * count, staker.stakeAccount);
    if (await fresh.runtime.getAccount(fresh.clients.staking.rewardsPoolAddress())) {
      throw new Error("setUpStaking created the rewards pool: measure initialize_rewards_pool where it is created");
    }
    await meter.measure(fresh, STAKING, "initialize_rewards_pool", atScale("pool and both vaults created (the crowd as unbound stakers)", count), () =>
      fresh.clients.staking.initializeRewardsPool(),
    );
    await staking("set_delegation_params", "authority sets bounded parameters", () =>
      client.setDelegationParams(STAKING_DEFAULTS.delegationCap, STAKING_DEFAULTS.commissionNotice),
    );
    await bandwidth("set_activity_window", "authority sets a bounded parameter", () =>
      bank.programs.bandwidth.methods.setActivityWindow(bnOf(BANDWIDTH_DEFAULTS.activityWindow)).accountsPartial({ authority: bank.payer.publicKey }).rpc(),
    );
    await staking("set_emission_schedule", "authority re-anchors the schedule", () =>
      client.setEmissionSchedule(STAKING_DEFAULTS.initialRate, STAKING_DEFAULTS.halvingPeriod),
    );
  }
}

/**
 * The scaling table of BENCHMARKS.md: one row per scenario measured by `benchDelegation`, its
 * own CU at each scale side by side, the budget (`budget(program, instruction, cpis)`, the
 * bench's own) and the spread across scales. Empty when no such scenario ran.
 */
export function scaleTable(results: readonly Measurement[], budget: (program: string, instruction: string, cpis: number) => number): string[] {
  const rows = new Map<string, { program: string; instruction: string; what: string; own: Map<number, number>; cpis: number }>();
  const counts = new Set<number>();
  for (const m of results) {
    const scaled = scaleOf(m.scenario);
    if (!scaled) continue;
    const key = `${m.program}.${m.instruction}.${scaled.what}`;
    const entry = rows.get(key) ?? { program: m.program, instruction: m.instruction, what: scaled.what, own: new Map(), cpis: m.cpis };
    entry.own.set(scaled.count, m.own);
    entry.cpis = Math.max(entry.cpis, m.cpis);
    rows.set(key, entry);
    counts.add(scaled.count);
  }
  if (rows.size === 0) return [];
  const scales = [...counts].sort((a, b) => a - b);
  const header = `| program | instruction | scenario | ${scales.map((n) => `own CU at ${n.toLocaleString("en-US")}`).join(" | ")} | spread | own budget | |`;
  const align = `|---|---|---|${scales.map(() => "---:|").join("")}---:|---:|---|`;
  const lines = [...rows.values()].map((r) => {
    const own = scales.map((n) => r.own.get(n));
    const measured = own.filter((x): x is number => x !== undefined);
    const spread = Math.max(...measured) - Math.min(...measured);
    const limit = budget(r.program, r.instruction, r.cpis);
    const within = measured.every((x) => x <= limit);
    return `| ${r.program} | ${r.instruction} | ${r.what} | ${own.map((x) => x ?? "–").join(" | ")} | ${spread} | ${limit} | ${within ? "ok" : "over"} |`;
  });
  return [header, align, ...lines];
}
