/**
 * Cost as the economy grows: the same instructions measured with 1, 100 and 10,000 existing
 * positions, providers, escrows and votes. They are written straight into the bank with
 * Anchor's coder (valid accounts at their PDAs, totals adjusted in the config or proposal);
 * only CU is measured here.
 */
import { Keypair, PublicKey } from "@solana/web3.js";
import BN from "bn.js";
import { ACCOUNT_SIZE, AccountLayout, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import {
  BANDWIDTH_SEEDS,
  GIB,
  MEDIA_BANDWIDTH_PROGRAM_ID,
  mediaScan,
  MEDIA_GOVERNANCE_PROGRAM_ID,
  MEDIA_STAKING_PROGRAM_ID,
  STAKING_DEFAULTS,
  STAKING_SEEDS,
  VoteSide,
  MEDIA as MEDIA_BN,
  bigintOf,
} from "../../sdk/src";
import { newConsumer, newOperator, openEscrow, settle, setUpBandwidth } from "../../tests/utils/bandwidth";
import { handOverStaking, propose, setUpGovernance, stakingSetMinStake, vote } from "../../tests/utils/governance";
import { type Bank, startBank, warpSeconds } from "../../tests/utils/bank";
import { fundRewards, claimRewards, newStaker, setUpStaking, stake, type StakingWorld } from "../../tests/utils/staking";
import type { Meter } from "./meter";

const MEDIA = bigintOf(MEDIA_BN);
const MIN_STAKE = bigintOf(STAKING_DEFAULTS.minStake);
const PROGRAM = { name: "media_staking", id: MEDIA_STAKING_PROGRAM_ID };
export const SCALES = [1, 100, 10_000];

/**
 * Writes `count` active stake positions of 25 MEDIA each (bound to an operator, `delegated`,
 * when `bound`) and adds them to the config totals and staker count. `template` is a stake
 * account the program created: the written ones are copies of it with their own owner,
 * amounts and bump, so they match its size and layout.
 */
export async function writeStakers(
  bank: Bank,
  world: StakingWorld,
  count: number,
  template: PublicKey,
  options: { bound?: boolean } = {},
): Promise<PublicKey[]> {
  const coder = bank.programs.staking.coder.accounts;
  const owners: PublicKey[] = [];
  const real = await bank.runtime.getAccount(template);
  if (!real) throw new Error("the template stake account does not exist");
  const fields = coder.decode("stakeAccount", Buffer.from(real.data));
  const minimum = new BN(MIN_STAKE.toString());
  for (let i = 0; i < count; i++) {
    const owner = Keypair.generate().publicKey;
    const [address, bump] = PublicKey.findProgramAddressSync([STAKING_SEEDS.stake, owner.toBuffer()], MEDIA_STAKING_PROGRAM_ID);
    const data = await coder.encode("stakeAccount", {
      ...fields,
      owner,
      active: minimum,
      unbonding: new BN(0),
      unbondingEnd: new BN(0),
      voteLockUntil: new BN(0),
      matureSince: new BN(i + 1),
      youngAmount: minimum,
      youngSince: new BN(i + 1),
      rewardPerStakePaid: new BN(0),
      rewardsOwed: new BN(0),
      totalClaimed: new BN(0),
      bump,
      votedThrough: new BN(0),
      votedBelow: new BN(0),
      delegated: options.bound ? minimum : new BN(0),
    });
    if (data.length !== real.data.length) throw new Error(`stake account encodes to ${data.length} bytes, the program's are ${real.data.length}`);
    await bank.runtime.setAccount(address, { lamports: real.lamports, owner: MEDIA_STAKING_PROGRAM_ID, data, executable: false });
    owners.push(owner);
  }
  const config = await bank.programs.staking.account.stakingConfig.fetch(world.config);
  const configData = await bank.programs.staking.coder.accounts.encode("stakingConfig", {
    ...config,
    totalActive: config.totalActive.add(new BN((BigInt(count) * MIN_STAKE).toString())),
    stakeSequence: config.stakeSequence.add(new BN(count)),
    stakers: config.stakers.add(new BN(count)),
  });
  const current = await bank.runtime.getAccount(world.config);
  if (!current) throw new Error("no staking config");
  await bank.runtime.setAccount(world.config, { ...current, data: configData });
  return owners;
}

export async function benchScale(meter: Meter): Promise<void> {
  for (const count of SCALES) {
    const bank = await startBank();
    const world = await setUpStaking(bank);
    const staker = await newStaker(world, 1_000n * MEDIA, Keypair.fromSeed(Buffer.alloc(32, 1)));
    const sponsor = await newStaker(world, 1_000n * MEDIA, Keypair.fromSeed(Buffer.alloc(32, 2)));
    await stake(world, staker, MIN_STAKE);
    process.stderr.write(`  writing ${count} stake positions...\n`);
    await writeStakers(bank, world, count, staker.stakeAccount);
    const scenario = `with ${count.toLocaleString("en-US")} existing stakers`;
    await meter.measure(bank, PROGRAM, "stake", `top-up ${scenario}`, () => stake(world, staker, MIN_STAKE));
    await fundRewards(world, sponsor, 100n * MEDIA);
    await warpSeconds(bank, 24 * 60 * 60);
    await meter.measure(bank, PROGRAM, "claim_rewards", scenario, () => claimRewards(world, staker));
  }
}

/**
 * Writes `count` registered providers (operators that do not exist elsewhere) with some quota
 * used: copies of `template`, a provider the program created, with their own operator and bump.
 */
async function writeProviders(bank: Bank, count: number, template: PublicKey): Promise<void> {
  const coder = bank.programs.bandwidth.coder.accounts;
  const real = await bank.runtime.getAccount(template);
  if (!real) throw new Error("the template provider does not exist");
  const fields = coder.decode("provider", Buffer.from(real.data));
  for (let i = 0; i < count; i++) {
    const operator = Keypair.generate().publicKey;
    const [address, bump] = PublicKey.findProgramAddressSync([BANDWIDTH_SEEDS.provider, operator.toBuffer()], MEDIA_BANDWIDTH_PROGRAM_ID);
    const data = await coder.encode("provider", {
      ...fields,
      operator,
      mediaPricePerGib: new BN(100_000),
      quotePricePerGib: new BN(50_000),
      active: true,
      quotaUsed: new BN(i),
      quotaUpdatedAt: new BN(1),
      totalBytes: new BN(i),
      escrowsOpened: new BN(1),
      bump,
    });
    if (data.length !== real.data.length) throw new Error(`provider encodes to ${data.length} bytes, the program's are ${real.data.length}`);
    await bank.runtime.setAccount(address, { lamports: real.lamports, owner: MEDIA_BANDWIDTH_PROGRAM_ID, data, executable: false });
  }
}

/** Writes `count` escrows of other consumers with `provider`, each with its (empty) vault. */
async function writeEscrows(bank: Bank, count: number, provider: PublicKey, mint: PublicKey, template: { escrow: PublicKey; vault: PublicKey }): Promise<void> {
  const coder = bank.programs.bandwidth.coder.accounts;
  const realEscrow = await bank.runtime.getAccount(template.escrow);
  const realVault = await bank.runtime.getAccount(template.vault);
  if (!realEscrow || !realVault) throw new Error("the template escrow does not exist");
  for (let i = 0; i < count; i++) {
    const consumer = Keypair.generate().publicKey;
    const [escrow, bump] = PublicKey.findProgramAddressSync([consumer.toBuffer(), provider.toBuffer(), mint.toBuffer()], MEDIA_BANDWIDTH_PROGRAM_ID);
    const [vault, vaultBump] = PublicKey.findProgramAddressSync([BANDWIDTH_SEEDS.escrowVault, escrow.toBuffer()], MEDIA_BANDWIDTH_PROGRAM_ID);
    const data = await coder.encode("escrow", {
      consumer,
      provider,
      mint,
      vault,
      nonce: new BN(0),
      pricePerGib: new BN(100_000),
      deposited: new BN(0),
      paid: new BN(0),
      settledBytes: new BN(0),
      settledAmount: new BN(0),
      closeRequestedAt: new BN(0),
      closePausedSeconds: new BN(0),
      closeWindow: new BN(0),
      bump,
      vaultBump,
      reserved: new Array(24).fill(0),
    });
    if (data.length !== realEscrow.data.length) throw new Error(`escrow encodes to ${data.length} bytes, the program's are ${realEscrow.data.length}`);
    await bank.runtime.setAccount(escrow, { lamports: realEscrow.lamports, owner: MEDIA_BANDWIDTH_PROGRAM_ID, data, executable: false });
    const vaultData = Buffer.alloc(ACCOUNT_SIZE);
    AccountLayout.encode(
      {
        mint,
        owner: escrow,
        amount: 0n,
        delegateOption: 0,
        delegate: PublicKey.default,
        state: 1,
        isNativeOption: 0,
        isNative: 0n,
        delegatedAmount: 0n,
        closeAuthorityOption: 0,
        closeAuthority: PublicKey.default,
      },
      vaultData,
    );
    await bank.runtime.setAccount(vault, { lamports: realVault.lamports, owner: TOKEN_PROGRAM_ID, data: vaultData, executable: false });
  }
}

/**
 * Adds `count` votes on `proposal` (for, one MEDIA each) to its tallies: a vote leaves no account
 * of its own (the voter's stake account records it), so the tallies are all there is to write.
 */
async function writeVotes(bank: Bank, count: number, proposal: PublicKey): Promise<void> {
  const governance = bank.programs.governance;
  // The proposal is larger than Anchor's encode buffer: patch its tallies in place.
  const before = await governance.account.proposal.fetch(proposal);
  const current = await bank.runtime.getAccount(proposal);
  if (!current) throw new Error("no proposal");
  const encoded = Buffer.from(current.data);
  const VOTES_FOR = 8 + 8 + 32 + 128 + 32 + 4 + 5 * 8 + 3 * 8;
  const VOTE_COUNT = VOTES_FOR + 3 * 8;
  encoded.writeBigUInt64LE(encoded.readBigUInt64LE(VOTES_FOR) + BigInt(count) * MEDIA, VOTES_FOR);
  encoded.writeUInt32LE(encoded.readUInt32LE(VOTE_COUNT) + count, VOTE_COUNT);
  await bank.runtime.setAccount(proposal, { ...current, data: encoded });
  const after = await governance.account.proposal.fetch(proposal);
  if (after.voteCount !== before.voteCount + count || !after.votesFor.eq(before.votesFor.add(new BN((BigInt(count) * MEDIA).toString())))) {
    throw new Error("the proposal's tallies were not patched where expected");
  }
}

/**
 * settle_receipt with 1, 100 and 10,000 other providers and as many escrows of the same
 * provider; cast_vote with as many stakers and votes already cast on the proposal.
 */
export async function benchScaleMarket(meter: Meter): Promise<void> {
  for (const count of SCALES) {
    const bank = await startBank();
    const world = await setUpBandwidth(bank);
    const operator = await newOperator(world, 1_000n * MEDIA);
    const consumer = await newConsumer(world);
    const handle = await openEscrow(world, consumer, operator, world.mediaMint, 100n * MEDIA);
    process.stderr.write(`  writing ${count} providers and ${count} escrows...\n`);
    await writeProviders(bank, count, operator.provider);
    await writeEscrows(bank, count, operator.provider, world.mediaMint, handle);
    const scenario = `with ${count.toLocaleString("en-US")} existing providers and escrows`;
    await settle(world, handle, handle.channel.pay(GIB, 100_000n)); // quota timestamps warm
    await meter.measure(bank, { name: "media_bandwidth", id: MEDIA_BANDWIDTH_PROGRAM_ID }, "settle_receipt", scenario, () =>
      settle(world, handle, handle.channel.pay(GIB, 1_234_567n)),
    );
  }
  for (const count of SCALES) {
    const bank = await startBank();
    const staking = await setUpStaking(bank);
    const alice = await newStaker(staking, 1_000n * MEDIA, Keypair.fromSeed(Buffer.alloc(32, 3)));
    const bob = await newStaker(staking, 1_000n * MEDIA, Keypair.fromSeed(Buffer.alloc(32, 4)));
    await stake(staking, alice, 200n * MEDIA);
    await stake(staking, bob, 100n * MEDIA);
    process.stderr.write(`  writing ${count} stake positions and ${count} votes...\n`);
    await writeStakers(bank, staking, count, alice.stakeAccount);
    const world = await setUpGovernance(staking);
    await handOverStaking(world);
    const proposal = await propose(world, alice, [await stakingSetMinStake(world, MIN_STAKE)]);
    await vote(world, proposal, alice, VoteSide.For);
    await writeVotes(bank, count, proposal);
    const scenario = `with ${count.toLocaleString("en-US")} existing stakers and votes`;
    await meter.measure(bank, { name: "media_governance", id: MEDIA_GOVERNANCE_PROGRAM_ID }, "cast_vote", scenario, () =>
      vote(world, proposal, bob, VoteSide.Against),
    );
  }
}

/** Media Scan's wall time over `accounts` stake accounts (median of 5 runs). */
export interface ScanTiming {
  accounts: number;
  milliseconds: number;
  /** One listing of every stake account, as Media Scan counted stakers before the counters. */
  listingMilliseconds: number;
}

export const SCAN_SCALES = [100, 10_000, 100_000];

/**
 * Times the SDK's Media Scan over 100, 10,000 and 100,000 stake positions written into a
 * LiteSVM bank (wall time, so indicative), and, for contrast, one listing of every stake
 * account (`getProgramAccounts`, which LiteSVM serves natively, as an RPC node does): the scan
 * reads the four configs in one call and must not grow with the accounts; the listing does.
 */
export async function benchScanTiming(): Promise<ScanTiming[]> {
  const timings: ScanTiming[] = [];
  for (const count of SCAN_SCALES) {
    const bank = await startBank("litesvm");
    const world = await setUpStaking(bank);
    const staker = await newStaker(world, 100n * MEDIA);
    await stake(world, staker, MIN_STAKE);
    process.stderr.write(`  writing ${count.toLocaleString("en-US")} stake positions...\n`);
    await writeStakers(bank, world, count, staker.stakeAccount);
    const now = await bank.runtime.unixTimestamp();
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const report = await mediaScan(bank.programs, now);
      runs.push(performance.now() - started);
      if (report.staking.stakers !== count + 1) throw new Error(`Media Scan counted ${report.staking.stakers} stakers, expected ${count + 1}`);
    }
    runs.sort((a, b) => a - b);
    const listed = performance.now();
    const listing = await bank.programs.staking.account.stakeAccount.all();
    const listingMilliseconds = Math.round(performance.now() - listed);
    if (listing.length !== count + 1) throw new Error(`listed ${listing.length} stake accounts, expected ${count + 1}`);
    timings.push({ accounts: count + 1, milliseconds: Math.round(runs[2] * 10) / 10, listingMilliseconds });
    process.stderr.write(
      `  Media Scan over ${(count + 1).toLocaleString("en-US")} stake accounts: ${runs[2].toFixed(1)} ms (listing them: ${listingMilliseconds} ms)\n`,
    );
  }
  return timings;
}
