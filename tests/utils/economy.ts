/**
 * A whole MEDIA economy in one bank, for the end-to-end tests: the MEDIA and quote mints, the
 * staking config, the treasury with its two vaults (the treasury config's token accounts),
 * the bandwidth config paying its fees into those vaults, and the governance config. Actors
 * made here are registered, so the invariants of ECONOMY.md can be computed from the
 * accounts themselves after every step (`checkInvariants`).
 */
import { type Keypair, PublicKey } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import {
  ECONOMY_DEFAULTS,
  GENESIS_ALLOCATIONS,
  MEDIA_DECIMALS,
  TREASURY_DEFAULTS,
  backedStake,
  genesisConfigSteps,
  bandwidthConfigPda,
  decayedQuota,
  delegationPda,
  earnedBy,
  governancePda,
  operatorPoolPda,
  quotaBytes,
  type RewardConfig,
  rewardStreamAt,
  rewardsAllocation,
  stakingConfigPda,
  stakingVaultPda,
  treasuryConfigPda,
  treasuryVaultAddress,
} from "../../sdk/src";
import { emissionVaultPda, feeShareVaultPda, rewardsPoolPda } from "../../sdk/src/generated/media_staking";
import { type BandwidthWorld, type Consumer, type EscrowHandle, type Operator, newConsumer, newOperator, openEscrow } from "./bandwidth";
import { type Bank, unixTimestamp } from "./bank";
import { expectCountersMatchAccounts } from "./counters";
import { BOUNDS, DAY, MEDIA, REWARD_SCALE } from "./constants";
import type { GovernanceWorld } from "./governance";
import { type Holding, type Staker, newStaker, stakeAll } from "./staking";
import { TEST_MINT_SUPPLY, createMint, createTokenAccount, faucetOf, mintTo } from "./token";
import { TEST_INITIAL_PRICE, type TreasuryWorld } from "./treasury";

export { BOUNDS, DAY, MEDIA };
const big = (value: { toString(): string }): bigint => BigInt(value.toString());

/** Every parameter an authority may change, per program, as the tests expect them to be. */
export interface EconomyParams {
  staking: { minStake: bigint; unbondingPeriod: bigint; quotaBytesPerMedia: bigint; rewardDuration: bigint };
  bandwidth: { protocolFeeBps: number; stakerShareBps: number; quotaWindow: bigint; disputeWindow: bigint };
  treasury: {
    auctionInterval: bigint;
    auctionDuration: bigint;
    maxLot: bigint;
    premiumBps: number;
    floorBps: number;
    minFillBps: number;
    minSoldBps: number;
    maxStepBps: number;
  };
  governance: { votingPeriod: bigint; quorumBps: number; proposalThreshold: bigint; timelock: bigint; executionWindow: bigint };
  /** The authority of each config. */
  authorities: { staking: PublicKey; bandwidth: PublicKey; treasury: PublicKey; governance: PublicKey };
}

export interface Economy {
  bank: Bank;
  mediaMint: PublicKey;
  quoteMint: PublicKey;
  stakingConfig: PublicKey;
  stakingVault: PublicKey;
  /** The rewards pool and its vaults: the emission vault holds the Staking and Rewards allocation. */
  rewardsPool: PublicKey;
  emissionVault: PublicKey;
  feeShareVault: PublicKey;
  bandwidthConfig: PublicKey;
  treasuryConfig: PublicKey;
  treasuryMediaVault: PublicKey;
  treasuryQuoteVault: PublicKey;
  governance: PublicKey;
  /** The deployer (the bank's payer): every authority at genesis, and the owner of the mints' faucets. */
  deployer: Keypair;
  /** The per-program worlds the other test helpers take. */
  bandwidthWorld: BandwidthWorld;
  treasuryWorld: TreasuryWorld;
  governanceWorld: GovernanceWorld;
  /** Every MEDIA and quote token account in the bank (program vaults included). */
  mediaAccounts: Set<string>;
  quoteAccounts: Set<string>;
  /** Every stake account in the bank. */
  stakeAccounts: Set<string>;
  /** Every provider with its operator's stake account. */
  providers: Operator[];
  /** Every escrow ever opened (closed ones are gone from the bank). */
  escrows: EscrowHandle[];
  /**
   * Each mint's fixed supply, minted once at genesis into its faucet (the mints have no
   * authority after that): supply + burned = this, forever.
   */
  genesisSupply: { media: bigint; quote: bigint };
  /** What the parameters must be: only passed proposals (or the deployer before hand-over) change them. */
  params: EconomyParams;
}

/**
 * Genesis: fixed-supply mints (the whole supply in each mint's faucet, which funds every actor
 * by transfer), staking, treasury (vaults first), bandwidth paying into the treasury's vaults,
 * governance. `initialPrice` is the buyback's starting reference (MEDIA per quote unit, scaled).
 */
export async function setUpEconomy(bank: Bank, options: { initialPrice?: bigint } = {}): Promise<Economy> {
  const deployer = bank.payer;
  const mediaMint = await createMint(bank, MEDIA_DECIMALS);
  const quoteMint = await createMint(bank, MEDIA_DECIMALS);
  const mints = { mediaMint, quoteMint };
  const { staking: s, bandwidth: b, governance: g } = ECONOMY_DEFAULTS;
  // The genesis steps every deployment runs (the SDK's), with the spec's defaults.
  for (const step of genesisConfigSteps(bank.clients, { ...mints, initialPrice: options.initialPrice ?? TEST_INITIAL_PRICE })) await step.send();
  // The rewards pool's Staking and Rewards allocation, from the faucet (the world's supply is minted already).
  await mintTo(bank, mediaMint, emissionVaultPda(), rewardsAllocation(GENESIS_ALLOCATIONS));
  const treasuryMediaVault = treasuryVaultAddress(mediaMint);
  const treasuryQuoteVault = treasuryVaultAddress(quoteMint);

  const stakingWorld = { bank, mediaMint, config: stakingConfigPda(), vault: stakingVaultPda(), authority: deployer };
  const t = TREASURY_DEFAULTS;
  return {
    bank,
    mediaMint,
    quoteMint,
    stakingConfig: stakingConfigPda(),
    stakingVault: stakingVaultPda(),
    rewardsPool: rewardsPoolPda(),
    emissionVault: emissionVaultPda(),
    feeShareVault: feeShareVaultPda(),
    bandwidthConfig: bandwidthConfigPda(),
    treasuryConfig: treasuryConfigPda(),
    treasuryMediaVault,
    treasuryQuoteVault,
    governance: governancePda(),
    deployer,
    bandwidthWorld: {
      bank,
      staking: stakingWorld,
      mediaMint,
      quoteMint,
      config: bandwidthConfigPda(),
      treasuryConfig: treasuryConfigPda(),
      treasuryMediaVault,
      treasuryQuoteVault,
      authority: deployer,
    },
    treasuryWorld: {
      bank,
      mediaMint,
      quoteMint,
      config: treasuryConfigPda(),
      mediaVault: treasuryMediaVault,
      quoteVault: treasuryQuoteVault,
      authority: deployer,
      stakingVault: stakingVaultPda(),
      bandwidthConfig: bandwidthConfigPda(),
    },
    governanceWorld: { ...stakingWorld, governance: governancePda() },
    mediaAccounts: new Set([stakingVaultPda(), emissionVaultPda(), feeShareVaultPda(), treasuryMediaVault, faucetOf(mediaMint)].map((k) => k.toBase58())),
    quoteAccounts: new Set([treasuryQuoteVault, faucetOf(quoteMint)].map((k) => k.toBase58())),
    stakeAccounts: new Set(),
    providers: [],
    escrows: [],
    genesisSupply: { media: TEST_MINT_SUPPLY, quote: TEST_MINT_SUPPLY },
    params: {
      staking: {
        minStake: big(s.minStake),
        unbondingPeriod: big(s.unbondingPeriod),
        quotaBytesPerMedia: big(s.quotaBytesPerMedia),
        rewardDuration: big(s.rewardDuration),
      },
      bandwidth: { protocolFeeBps: b.protocolFeeBps, stakerShareBps: b.stakerShareBps, quotaWindow: big(b.quotaWindow), disputeWindow: big(b.disputeWindow) },
      treasury: {
        auctionInterval: big(t.auctionInterval),
        auctionDuration: big(t.auctionDuration),
        maxLot: big(t.maxLot),
        premiumBps: t.premiumBps,
        floorBps: t.floorBps,
        minFillBps: t.minFillBps,
        minSoldBps: t.minSoldBps,
        maxStepBps: t.maxStepBps,
      },
      governance: {
        votingPeriod: big(g.votingPeriod),
        quorumBps: g.quorumBps,
        proposalThreshold: big(g.proposalThreshold),
        timelock: big(g.timelock),
        executionWindow: big(g.executionWindow),
      },
      authorities: { staking: deployer.publicKey, bandwidth: deployer.publicKey, treasury: deployer.publicKey, governance: deployer.publicKey },
    },
  };
}

/** A registered staker holding `media` MEDIA (not yet staked). */
export async function addStaker(economy: Economy, media: bigint, wallet?: Keypair): Promise<Staker> {
  const staker = await newStaker(economy.governanceWorld, media, wallet);
  economy.mediaAccounts.add(staker.tokenAccount.toBase58());
  economy.stakeAccounts.add(staker.stakeAccount.toBase58());
  return staker;
}

/** Registered stakers per holding (see `newStakers`). */
export async function addStakers(economy: Economy, holdings: readonly Holding[]): Promise<Staker[]> {
  const stakers: Staker[] = [];
  for (const [media] of holdings) stakers.push(await addStaker(economy, media));
  return stakeAll(stakers, holdings);
}

/** A registered Edge operator that stakes `stake` MEDIA and registers as a provider. */
export async function addOperator(economy: Economy, stake: bigint, prices?: { media: bigint; quote: bigint }): Promise<Operator> {
  const operator = await newOperator(economy.bandwidthWorld, stake, { prices });
  economy.mediaAccounts.add(operator.mediaAccount.toBase58());
  economy.quoteAccounts.add(operator.quoteAccount.toBase58());
  economy.stakeAccounts.add(operator.stakeAccount.toBase58());
  economy.providers.push(operator);
  return operator;
}

/** A registered consumer with `media` MEDIA and `quote` quote in its own accounts. */
export async function addConsumer(economy: Economy, media: bigint, quote: bigint): Promise<Consumer> {
  const consumer = await newConsumer(economy.bandwidthWorld, media, quote);
  economy.mediaAccounts.add(consumer.mediaAccount.toBase58());
  economy.quoteAccounts.add(consumer.quoteAccount.toBase58());
  return consumer;
}

/** A registered escrow of (consumer, operator, mint) with `deposit` in it. */
export async function addEscrow(economy: Economy, consumer: Consumer, operator: Operator, mint: PublicKey, deposit: bigint): Promise<EscrowHandle> {
  const handle = await openEscrow(economy.bandwidthWorld, consumer, operator, mint, deposit);
  (handle.isMedia ? economy.mediaAccounts : economy.quoteAccounts).add(handle.vault.toBase58());
  economy.escrows.push(handle);
  return handle;
}

/** A registered token account of `mint` for `owner` (e.g. a grant's recipient). */
export async function addTokenAccount(economy: Economy, mint: PublicKey, owner: PublicKey): Promise<PublicKey> {
  const account = await createTokenAccount(economy.bank, mint, owner);
  (mint.equals(economy.mediaMint) ? economy.mediaAccounts : economy.quoteAccounts).add(account.toBase58());
  return account;
}

/** Gives a registered account `amount` MEDIA from the MEDIA faucet (a transfer: the supply is fixed). */
export async function fundMedia(economy: Economy, to: PublicKey, amount: bigint): Promise<void> {
  await mintTo(economy.bank, economy.mediaMint, to, amount);
}

/** Hands every config's authority to the governance PDA. */
export async function handOverToGovernance(economy: Economy): Promise<void> {
  const { clients } = economy.bank;
  const { governance } = economy;
  for (const client of [clients.staking, clients.bandwidth, clients.treasury, clients.governance]) await client.setAuthority(governance);
  economy.params.authorities = { staking: governance, bandwidth: governance, treasury: governance, governance };
}

/** Token balances read from the bank: 0 for a closed account. */
export async function balanceOf(bank: Bank, address: string | PublicKey): Promise<bigint> {
  const account = await bank.runtime.getAccount(typeof address === "string" ? new PublicKey(address) : address);
  if (!account) return 0n;
  return Buffer.from(account.data).readBigUInt64LE(64);
}

/** A mint's supply, read from its account. */
export async function supplyOf(bank: Bank, mint: PublicKey): Promise<bigint> {
  const account = await bank.runtime.getAccount(mint);
  if (!account) throw new Error(`no mint ${mint.toBase58()}`);
  return Buffer.from(account.data).readBigUInt64LE(36);
}

/** An Anchor-decoded account (camelCase fields). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Decoded = Record<string, any>;

const within = (value: bigint | number, [low, high]: readonly [bigint, bigint], name: string) => {
  const v = BigInt(value);
  expect(v >= low && v <= high, `${name} = ${v} outside [${low}, ${high}]`).to.equal(true);
};

/** What `checkInvariants` computed, for the caller's own assertions. */
export interface EconomyTotals {
  mediaSupply: bigint;
  totalBurned: bigint;
  mediaHeld: bigint;
  stakingVault: bigint;
  totalActive: bigint;
  totalUnbonding: bigint;
  rewardReserve: bigint;
  openEscrows: number;
}

/**
 * Every invariant of ECONOMY.md, computed from the accounts in the bank:
 * 1. MEDIA is conserved: every MEDIA balance (wallets and vaults) sums to the supply, and the
 *    supply plus what the treasury burned is the genesis supply (likewise for quote, without burns).
 * 2. Staking vault >= total active + total unbonding + reward reserve; the stake accounts sum
 *    to the totals, and what stakers can claim now plus what is still to stream never exceeds
 *    the reserve (rewards never pay more than arrived). Not `=`: MEDIA may arrive in the vault
 *    with no staking instruction (the stakers' share of fees, paid straight in by
 *    settle_receipt; the buyback's share), and stays unaccounted until the next staking
 *    instruction that holds the vault (stake, withdraw, claim_rewards, fund_rewards) folds it
 *    into the reserve and the stream. So the excess is exactly what arrived since the last such
 *    instruction, and right after one, with nothing arrived since, the vault equals the sum
 *    (`expectStakingVaultSynced`).
 * 3. Every open escrow's vault = deposited - paid (settled); a closed escrow is gone with its vault.
 * 4. A receipt pays at most once: `paid` equals the cumulative amount of the newest settled receipt.
 * 5. Every provider's decayed quota use is within the quota of its own stake plus the stake
 *    delegated to it up to the cap (unless `operatorsMayUnstake`: quota binds at settlement, not
 *    after the operator unstakes or its delegators leave).
 * 6. Every parameter is within its bounds and is what the authority set; authorities are as expected.
 */
export async function checkInvariants(economy: Economy, where = "", options: { operatorsMayUnstake?: boolean } = {}): Promise<EconomyTotals> {
  const { bank } = economy;
  const at = where ? ` (${where})` : "";
  const staking = bank.programs.staking;
  const decode = async (
    program: { coder: { accounts: { decode(name: string, data: Buffer): Decoded } } },
    name: string,
    address: PublicKey,
  ): Promise<Decoded> => {
    const account = await bank.runtime.getAccount(address);
    if (!account) throw new Error(`${name} ${address.toBase58()} is missing${at}`);
    return program.coder.accounts.decode(name, Buffer.from(account.data));
  };

  // 1. Conservation.
  const mediaSupply = await supplyOf(bank, economy.mediaMint);
  const quoteSupply = await supplyOf(bank, economy.quoteMint);
  const treasury: Decoded = await decode(bank.programs.treasury, "treasuryConfig", economy.treasuryConfig);
  const totalBurned = big(treasury.totalBurned);
  const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);
  const mediaHeld = sum(await Promise.all([...economy.mediaAccounts].map((address) => balanceOf(bank, address))));
  const quoteHeld = sum(await Promise.all([...economy.quoteAccounts].map((address) => balanceOf(bank, address))));
  expect(mediaHeld, `MEDIA balances + vaults = supply${at}`).to.equal(mediaSupply);
  expect(mediaSupply + totalBurned, `MEDIA supply + burned = genesis supply${at}`).to.equal(economy.genesisSupply.media);
  expect(big(treasury.totalFeesBurned) + big(treasury.totalBuybackBurned), `burned = fees burned + buyback burned${at}`).to.equal(totalBurned);
  expect(big(treasury.totalBuybackBurned) + big(treasury.totalBuybackToStakers), `bought back = burned + to stakers${at}`).to.equal(
    big(treasury.totalBoughtBack),
  );
  within(big(treasury.referencePrice), BOUNDS.treasury.price, `treasury.referencePrice${at}`);
  expect(quoteHeld, `quote balances + vaults = supply${at}`).to.equal(quoteSupply);
  expect(quoteSupply, `quote supply = genesis supply${at}`).to.equal(economy.genesisSupply.quote);

  // 2. Staking vault.
  const config: Decoded = await decode(staking, "stakingConfig", economy.stakingConfig);
  const stakingVault = await balanceOf(bank, economy.stakingVault);
  const [totalActive, totalUnbonding, rewardReserve] = [big(config.totalActive), big(config.totalUnbonding), big(config.rewardReserve)];
  expect(stakingVault >= totalActive + totalUnbonding + rewardReserve, `staking vault ${stakingVault} >= active + unbonding + reserve${at}`).to.equal(true);
  let active = 0n;
  let unbonding = 0n;
  let claimable = 0n;
  const stream = rewardStreamAt(config as unknown as RewardConfig, await bank.runtime.unixTimestamp());
  const acc = stream.rewardPerStake;
  const stakes = new Map<string, bigint>();
  const raws = await Promise.all([...economy.stakeAccounts].map(async (address) => [address, await bank.runtime.getAccount(new PublicKey(address))] as const));
  for (const [address, raw] of raws) {
    if (!raw) continue; // never staked
    const stake: Decoded = staking.coder.accounts.decode("stakeAccount", Buffer.from(raw.data));
    active += big(stake.active);
    unbonding += big(stake.unbonding);
    claimable += big(stake.rewardsOwed) + (big(stake.active) * (acc - big(stake.rewardPerStakePaid))) / REWARD_SCALE;
    stakes.set(address, big(stake.active));
  }
  expect(active, `stake accounts' active = total active${at}`).to.equal(totalActive);
  expect(unbonding, `stake accounts' unbonding = total unbonding${at}`).to.equal(totalUnbonding);
  expect(claimable + stream.unstreamed <= rewardReserve, `claimable ${claimable} + unstreamed ${stream.unstreamed} <= reserve ${rewardReserve}${at}`).to.equal(
    true,
  );

  // 3 and 4. Escrows.
  let openEscrows = 0;
  for (const handle of economy.escrows) {
    const raw = await bank.runtime.getAccount(handle.escrow);
    if (!raw) {
      expect(await bank.runtime.getAccount(handle.vault), `closed escrow's vault${at}`).to.equal(null);
      continue;
    }
    openEscrows++;
    const escrow: Decoded = bank.programs.bandwidth.coder.accounts.decode("escrow", Buffer.from(raw.data));
    const vault = await balanceOf(bank, handle.vault);
    expect(vault, `escrow vault = deposited - settled${at}`).to.equal(big(escrow.deposited) - big(escrow.paid));
    expect(big(escrow.paid), `escrow paid = newest receipt's amount${at}`).to.equal(big(escrow.settledAmount));
  }

  // 5. Quotas.
  const now = await unixTimestamp(bank);
  const bandwidth: Decoded = await decode(bank.programs.bandwidth, "bandwidthConfig", economy.bandwidthConfig);
  for (const operator of economy.providers) {
    const provider: Decoded = await decode(bank.programs.bandwidth, "provider", operator.provider);
    const used = decayedQuota(big(provider.quotaUsed), now - big(provider.quotaUpdatedAt), big(bandwidth.quotaWindow));
    // Its own stake plus what is delegated to it, delegated stake counting up to the cap.
    const own = stakes.get(operator.stakeAccount.toBase58()) ?? 0n;
    const poolRaw = await bank.runtime.getAccount(operatorPoolPda(operator.wallet.publicKey));
    const pool: Decoded | undefined = poolRaw ? staking.coder.accounts.decode("operatorPool", Buffer.from(poolRaw.data)) : undefined;
    const delegated = pool ? big(pool.boundTotal) - big(pool.selfBound) : 0n;
    const quota = quotaBytes(backedStake(own, delegated, BigInt(config.delegationCap)), big(config.quotaBytesPerMedia));
    // Quota is enforced when a receipt settles; an operator who unstakes afterwards (or whose
    // delegators leave) may hold less quota than its (decaying) use, so worlds where operators
    // unstake check the rule at settlement instead (the model run predicts every QuotaExceeded).
    if (!options.operatorsMayUnstake) expect(used <= quota, `provider quota used ${used} <= quota ${quota}${at}`).to.equal(true);
  }

  // 6. Parameters: within bounds, equal to what the authority set.
  const governance: Decoded = await decode(bank.programs.governance, "governanceConfig", economy.governance);
  const actual = {
    staking: {
      minStake: big(config.minStake),
      unbondingPeriod: big(config.unbondingPeriod),
      quotaBytesPerMedia: big(config.quotaBytesPerMedia),
      rewardDuration: big(config.rewardDuration),
    },
    bandwidth: {
      protocolFeeBps: bandwidth.protocolFeeBps as number,
      stakerShareBps: bandwidth.stakerShareBps as number,
      quotaWindow: big(bandwidth.quotaWindow),
      disputeWindow: big(bandwidth.disputeWindow),
    },
    treasury: {
      auctionInterval: big(treasury.auctionInterval),
      auctionDuration: big(treasury.auctionDuration),
      maxLot: big(treasury.maxLot),
      premiumBps: treasury.premiumBps as number,
      floorBps: treasury.floorBps as number,
      minFillBps: treasury.minFillBps as number,
      minSoldBps: treasury.minSoldBps as number,
      maxStepBps: treasury.maxStepBps as number,
    },
    governance: {
      votingPeriod: big(governance.votingPeriod),
      quorumBps: governance.quorumBps as number,
      proposalThreshold: big(governance.proposalThreshold),
      timelock: big(governance.timelock),
      executionWindow: big(governance.executionWindow),
    },
  };
  for (const [program, fields] of Object.entries(actual)) {
    for (const [name, value] of Object.entries(fields)) {
      within(value, (BOUNDS as unknown as Record<string, Record<string, [bigint, bigint]>>)[program][name], `${program}.${name}${at}`);
    }
  }
  expect(actual, `parameters are what the authority set${at}`).to.deep.equal({
    staking: economy.params.staking,
    bandwidth: economy.params.bandwidth,
    treasury: economy.params.treasury,
    governance: economy.params.governance,
  });
  expect(big(treasury.auctionDuration) <= big(treasury.auctionInterval), "auctions never overlap").to.equal(true);
  const authorities = {
    staking: (config.authority as PublicKey).toBase58(),
    bandwidth: (bandwidth.authority as PublicKey).toBase58(),
    treasury: (treasury.authority as PublicKey).toBase58(),
    governance: (governance.authority as PublicKey).toBase58(),
  };
  const expected = economy.params.authorities;
  expect(authorities, `authorities${at}`).to.deep.equal({
    staking: expected.staking.toBase58(),
    bandwidth: expected.bandwidth.toBase58(),
    treasury: expected.treasury.toBase58(),
    governance: expected.governance.toBase58(),
  });

  // 7. Media Scan's counters say what the accounts say.
  await expectCountersMatchAccounts(bank, where);

  // 8. The contributor economy's books, once the rewards pool exists.
  await checkContributorBooks(economy, raws, at);

  return {
    mediaSupply,
    totalBurned,
    mediaHeld,
    stakingVault,
    totalActive,
    totalUnbonding,
    rewardReserve,
    openEscrows,
  };
}

/**
 * 8. The contributor economy (ECONOMY.md, "v2"), from the rewards pool, every registered
 * provider's operator pool and every registered staker's delegation:
 * - the pool never owes more than its emission vault holds (released - claimed - returned <=
 *   vault: it never releases what it does not hold);
 * - released = claimed + claimable + returned + dust, with claimable everything a claim could
 *   pay now (owed, plus what the accumulators moved since each pool's and delegation's last
 *   checkpoint) and 0 <= dust, less than one base unit per floor taken. The accumulators move
 *   at most once a second (a release at a time already released adds nothing), and each move
 *   costs at most one floor in the release, two in each pool's sync and one in each
 *   delegation's settlement, so dust < (seconds of the pool's life + 1) x (1 + 2 x pools +
 *   delegations);
 * - the fee-share vault holds what providers paid in less what was claimed, and covers what is
 *   still claimable;
 * - bound stake adds up: delegations per pool = its bound total, pools = total bound, every
 *   stake position's `delegated` = its delegation's bound, and the counters count them.
 */
async function checkContributorBooks(economy: Economy, stakeRaws: readonly (readonly [string, { data: Uint8Array } | null])[], at: string): Promise<void> {
  const { bank } = economy;
  const staking = bank.programs.staking;
  const poolRaw = await bank.runtime.getAccount(rewardsPoolPda());
  if (!poolRaw) return;
  const decode = (name: string, data: Uint8Array): Decoded => staking.coder.accounts.decode(name, Buffer.from(data));
  const pool = decode("rewardsPool", poolRaw.data);
  const emissionVault = await balanceOf(bank, pool.emissionVault as PublicKey);
  const feeShareVault = await balanceOf(bank, pool.feeShareVault as PublicKey);
  const [released, claimed, returned] = [big(pool.released), big(pool.claimed), big(pool.returned)];
  const emissionPerStake = big(pool.emissionPerStake);
  expect(released - claimed - returned <= emissionVault, `emissions owed ${released - claimed - returned} <= emission vault ${emissionVault}${at}`).to.equal(
    true,
  );

  let claimableEmissions = 0n;
  let claimableFees = 0n;
  let feeSharePaid = 0n;
  let totalBound = 0n;
  let openPools = 0n;
  const pools = new Map<string, Decoded>();
  // Every read at once: this runs after every step of the economy tests.
  const providerRaws = await Promise.all(
    economy.providers.map((operator) =>
      Promise.all([bank.runtime.getAccount(operator.provider), bank.runtime.getAccount(operatorPoolPda(operator.wallet.publicKey))]),
    ),
  );
  for (const [index, operator] of economy.providers.entries()) {
    const [providerRaw, raw] = providerRaws[index];
    if (!providerRaw) throw new Error(`provider ${operator.provider.toBase58()} is missing${at}`);
    const provider: Decoded = bank.programs.bandwidth.coder.accounts.decode("provider", Buffer.from(providerRaw.data));
    feeSharePaid += big(provider.feeSharePaid);
    if (!raw) continue;
    const operatorPool = decode("operatorPool", raw.data);
    pools.set(operator.wallet.publicKey.toBase58(), { ...operatorPool, boundSeen: 0n, selfSeen: 0n, delegatorsSeen: 0n });
    openPools++;
    totalBound += big(operatorPool.boundTotal);
    claimableEmissions += big(operatorPool.commissionOwed) + earnedBy(big(operatorPool.boundTotal), emissionPerStake - big(operatorPool.emissionPerStakePaid));
    claimableFees += big(operatorPool.operatorFeesOwed) + big(provider.feeSharePaid) - big(operatorPool.feeShareSeen);
  }
  let bound = 0n;
  let delegations = 0n;
  const stakes = stakeRaws.flatMap(([, raw]) => (raw ? [decode("stakeAccount", raw.data)] : []));
  const delegationRaws = await Promise.all(stakes.map((stake) => bank.runtime.getAccount(delegationPda(stake.owner as PublicKey))));
  for (const [index, stake] of stakes.entries()) {
    const delegationRaw = delegationRaws[index];
    const delegation = delegationRaw ? decode("delegation", delegationRaw.data) : undefined;
    const delegationBound = delegation ? big(delegation.bound) : 0n;
    expect(big(stake.delegated), `stake.delegated = its delegation's bound${at}`).to.equal(delegationBound);
    if (!delegation) continue;
    delegations++;
    const operatorPool = pools.get((delegation.operator as PublicKey).toBase58());
    if (!operatorPool) continue; // bound to a provider this world did not register
    if (delegationBound > 0n) {
      bound++;
      operatorPool.boundSeen += delegationBound;
      if ((delegation.owner as PublicKey).equals(delegation.operator as PublicKey)) operatorPool.selfSeen += delegationBound;
      else operatorPool.delegatorsSeen += 1n;
    }
    claimableEmissions += big(delegation.emissionsOwed) + earnedBy(delegationBound, big(operatorPool.rewardPerBound) - big(delegation.rewardPerBoundPaid));
    claimableFees += big(delegation.feesOwed);
    if (!(delegation.owner as PublicKey).equals(delegation.operator as PublicKey))
      claimableFees += earnedBy(delegationBound, big(operatorPool.feePerDelegated) - big(delegation.feePerDelegatedPaid));
  }
  for (const [operator, operatorPool] of pools) {
    expect(
      [operatorPool.boundSeen, operatorPool.selfSeen, operatorPool.delegatorsSeen],
      `operator ${operator}'s pool: bound, self-bound, delegators${at}`,
    ).to.deep.equal([big(operatorPool.boundTotal), big(operatorPool.selfBound), big(operatorPool.delegators)]);
  }
  expect([totalBound, openPools, bound], `total bound, operators, delegations${at}`).to.deep.equal([
    big(pool.totalBound),
    big(pool.operators),
    big(pool.delegations),
  ]);

  const dust = released - claimed - claimableEmissions - returned;
  const lifetime = big(pool.releasedAt) - big(pool.scheduleStart) + 1n;
  // (one more of each for the floors this reading of the claimable takes)
  const dustBound = (lifetime + 1n) * (1n + 2n * BigInt(pools.size) + delegations);
  expect(dust >= 0n && dust <= dustBound, `released - claimed - claimable - returned = ${dust} within [0, ${dustBound}]${at}`).to.equal(true);
  expect(feeShareVault, `fee-share vault = fee share paid - claimed${at}`).to.equal(feeSharePaid - big(pool.feeShareClaimed));
  expect(claimableFees <= feeShareVault, `claimable fee share ${claimableFees} <= fee-share vault ${feeShareVault}${at}`).to.equal(true);
}

/** `bn` of a bigint. */
export const bn = (value: bigint | number) => new BN(value.toString());

/**
 * Right after a staking instruction that holds the vault (stake, withdraw, claim_rewards,
 * fund_rewards), with no MEDIA arrived in the vault since, the vault holds exactly what the
 * staking config owes: active + unbonding + reward reserve (see `checkInvariants`, 2).
 */
export async function expectStakingVaultSynced(bank: Bank, where = ""): Promise<void> {
  const config = await bank.programs.staking.account.stakingConfig.fetch(stakingConfigPda());
  const owed = big(config.totalActive) + big(config.totalUnbonding) + big(config.rewardReserve);
  expect(await balanceOf(bank, stakingVaultPda()), `staking vault = active + unbonding + reserve${where ? ` (${where})` : ""}`).to.equal(owed);
}
