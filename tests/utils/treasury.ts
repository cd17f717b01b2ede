/**
 * The treasury cast of the tests: MEDIA and quote mints, the config with its two vaults, the
 * staking and bandwidth configs a take reads (the stakers' share and where it goes), fee
 * revenue arriving in the vaults, and takers holding MEDIA and a quote account. Also the
 * tampering helpers the hostile tests use on instructions built by Anchor.
 */
import { Keypair, type PublicKey, Transaction, type TransactionInstruction } from "@solana/web3.js";
import {
  BANDWIDTH_DEFAULTS,
  TREASURY_DEFAULTS,
  TREASURY_PRICE_SCALE,
  type TreasuryAuctionParams,
  bandwidthConfigPda,
  createTreasuryVaultsInstructions,
  stakingVaultPda,
  treasuryConfigPda,
  treasuryVaultAddress,
} from "../../sdk/src";
import { type Bank, given } from "./bank";
import { expect } from "chai";
import { withData } from "./tamper";
import { setUpStaking } from "./staking";
import { TEST_MINT_SUPPLY, airdrop, createMint, createTokenAccount, mintSupply, mintTo } from "./token";

/** `initialize_config`'s arguments: the auction parameters and the initial reference price. */
export type TreasuryParams = TreasuryAuctionParams & { initialPrice: bigint };

/**
 * The tests' market: 1 quote unit trades for 100 MEDIA (both 6 decimals), so the reference
 * price genesis is given is 100 MEDIA base units per quote base unit.
 */
export const TEST_INITIAL_PRICE = 100n * TREASURY_PRICE_SCALE;
/** Genesis parameters of the tests: the defaults and the tests' market price. */
export const TREASURY_TEST_PARAMS: TreasuryParams = { ...TREASURY_DEFAULTS, initialPrice: TEST_INITIAL_PRICE };

export interface TreasuryWorld {
  bank: Bank;
  mediaMint: PublicKey;
  quoteMint: PublicKey;
  config: PublicKey;
  mediaVault: PublicKey;
  quoteVault: PublicKey;
  /** The deployer: config authority and pause authority at genesis. */
  authority: Keypair;
  /** media_staking's vault: receives the stakers' share of every take. */
  stakingVault: PublicKey;
  /** media_bandwidth's config: names `staker_share_bps`. */
  bandwidthConfig: PublicKey;
}

/** Both mints' treasury vaults (the config's associated token accounts). */
export type TreasuryAccounts = { mediaMint: PublicKey; quoteMint: PublicKey; mediaVault: PublicKey; quoteVault: PublicKey };

/** `initialize_config` with `params`, for the mints and the vaults given (built, not sent). */
export function initializeIx(bank: Bank, accounts: TreasuryAccounts, params: TreasuryParams = TREASURY_TEST_PARAMS): Promise<TransactionInstruction> {
  return bank.clients.treasury.initializeConfigInstruction(accounts, params.initialPrice, params);
}

/** Creates the vaults of `mints` (idempotent), as the deployer. */
async function createVaults(bank: Bank, mints: { mediaMint: PublicKey; quoteMint: PublicKey }): Promise<TreasuryAccounts> {
  await bank.provider.sendAndConfirm(new Transaction().add(...createTreasuryVaultsInstructions(bank.payer.publicKey, mints.mediaMint, mints.quoteMint)));
  return { ...mints, mediaVault: treasuryVaultAddress(mints.mediaMint), quoteVault: treasuryVaultAddress(mints.quoteMint) };
}

/** Creates two mints (6 decimals, or the MEDIA mint given) and the vaults, without initializing the config. */
export async function treasuryMintsAndVaults(bank: Bank, media?: PublicKey): Promise<TreasuryAccounts> {
  const mediaMint = media ?? (await createMint(bank, 6));
  return createVaults(bank, { mediaMint, quoteMint: await createMint(bank, 6) });
}

/** The treasury's vaults over `mints` and its config (the tests' parameters unless given), as the deployer. */
export async function initializeTreasury(
  bank: Bank,
  mints: { mediaMint: PublicKey; quoteMint: PublicKey },
  params: TreasuryParams = TREASURY_TEST_PARAMS,
): Promise<TreasuryAccounts> {
  const accounts = await createVaults(bank, mints);
  await bank.clients.treasury.initializeConfig(mints, params.initialPrice, params);
  return accounts;
}

/**
 * MEDIA and quote mints, both vaults and an initialized config (the tests' parameters unless
 * given), with the staking config (its vault receives the stakers' share) and the bandwidth
 * config (its `staker_share_bps`, `stakerShareBps` unless given) a take reads.
 */
export async function setUpTreasury(
  bank: Bank,
  params: TreasuryParams = TREASURY_TEST_PARAMS,
  stakerShareBps: number = BANDWIDTH_DEFAULTS.stakerShareBps,
): Promise<TreasuryWorld> {
  const staking = await setUpStaking(bank);
  const accounts = await initializeTreasury(bank, { mediaMint: staking.mediaMint, quoteMint: await createMint(bank, 6) }, params);
  return withBandwidthConfig(bank, accounts, stakerShareBps);
}

/**
 * Initializes the bandwidth config (defaults, `stakerShareBps`) over the treasury's mints, after
 * the staking config and the treasury config; returns the treasury world.
 */
export async function withBandwidthConfig(
  bank: Bank,
  accounts: TreasuryAccounts,
  stakerShareBps: number = BANDWIDTH_DEFAULTS.stakerShareBps,
): Promise<TreasuryWorld> {
  await bank.clients.bandwidth.initializeConfig(accounts, { ...BANDWIDTH_DEFAULTS, stakerShareBps });
  return { bank, ...accounts, config: treasuryConfigPda(), authority: bank.payer, stakingVault: stakingVaultPda(), bandwidthConfig: bandwidthConfigPda() };
}

/** `set_reference_price(price)` signed by `authority` (built, not sent). */
export function setReferencePriceIx(world: TreasuryWorld, price: bigint, authority: PublicKey = world.authority.publicKey): Promise<TransactionInstruction> {
  return world.bank.clients.treasury.setReferencePriceInstruction(price, authority);
}

/**
 * Fee revenue reaching the treasury, from the mints' faucets (the bandwidth program's fee split
 * sends it in the economy; the treasury's own tests do not need a provider).
 */
export async function receiveFees(world: TreasuryWorld, media: bigint, quote: bigint): Promise<void> {
  if (media > 0n) await mintTo(world.bank, world.mediaMint, world.mediaVault, media);
  if (quote > 0n) await mintTo(world.bank, world.quoteMint, world.quoteVault, quote);
}

export interface Taker {
  wallet: Keypair;
  mediaAccount: PublicKey;
  quoteAccount: PublicKey;
}

/** A wallet with SOL, `media` base units of MEDIA and an empty quote account. */
export async function newTaker(world: TreasuryWorld, media: bigint): Promise<Taker> {
  const wallet = Keypair.generate();
  await airdrop(world.bank, wallet.publicKey);
  const mediaAccount = await createTokenAccount(world.bank, world.mediaMint, wallet.publicKey);
  const quoteAccount = await createTokenAccount(world.bank, world.quoteMint, wallet.publicKey);
  if (media > 0n) await mintTo(world.bank, world.mediaMint, mediaAccount, media);
  return { wallet, mediaAccount, quoteAccount };
}

/** `take(quoteAmount, maxMediaIn)` by `taker` (built, not sent). */
export function takeIx(world: TreasuryWorld, taker: Taker, quoteAmount: bigint, maxMediaIn: bigint): Promise<TransactionInstruction> {
  return world.bank.clients.treasury.takeInstruction(quoteAmount, maxMediaIn, {
    taker: taker.wallet.publicKey,
    takerMediaAccount: taker.mediaAccount,
    takerQuoteAccount: taker.quoteAccount,
    quoteVault: world.quoteVault,
    mediaMint: world.mediaMint,
  });
}

/** `taker` takes; returns the signature. */
export async function take(world: TreasuryWorld, taker: Taker, quoteAmount: bigint, maxMediaIn: bigint): Promise<string> {
  return world.bank.clients.treasury.send([await takeIx(world, taker, quoteAmount, maxMediaIn)], { signer: taker.wallet });
}

/** `burn_fees()` (permissionless). */
export async function burnFees(world: TreasuryWorld): Promise<string> {
  const treasury = world.bank.clients.treasury;
  return treasury.send([await treasury.burnFeesInstruction({ mediaVault: world.mediaVault, mediaMint: world.mediaMint })]);
}

/** `start_auction()` (permissionless). */
export async function startAuction(world: TreasuryWorld): Promise<string> {
  const treasury = world.bank.clients.treasury;
  return treasury.send([await treasury.startAuctionInstruction(world.quoteVault)]);
}

/** The treasury config as Anchor decodes it. */
export function fetchConfig(world: TreasuryWorld) {
  return world.bank.programs.treasury.account.treasuryConfig.fetch(world.config);
}

/**
 * The auction tests' cast, as hooks of the calling `describe`: a fresh bank with the treasury
 * (see `setUpTreasury`) and a taker per name holding that much MEDIA; after every test, the
 * supply invariant (`keepsSupply`).
 */
export function treasuryCast<Name extends string>(takers: Record<Name, bigint>): { bank: Bank; world: TreasuryWorld } & Record<Name, Taker> {
  const cast = given(async (bank) => {
    const world = await setUpTreasury(bank);
    const named = {} as Record<Name, Taker>;
    for (const [name, media] of Object.entries(takers) as [Name, bigint][]) named[name] = await newTaker(world, media);
    return { world, ...named };
  });
  keepsSupply(cast);
  return cast as { bank: Bank; world: TreasuryWorld } & Record<Name, Taker>;
}

/** After every test of the calling `describe`: the supply plus everything burned is the mint's genesis supply. */
export function keepsSupply(cast: { world: TreasuryWorld }): void {
  afterEach(async () => {
    expect(await supplyPlusBurned(cast.world), "supply + total burned = genesis supply").to.equal(TEST_MINT_SUPPLY);
  });
}

/**
 * The supply invariant: the mint's supply plus everything the treasury burned equals its
 * genesis supply (`TEST_MINT_SUPPLY`: test mints are fixed-supply, and funding is a transfer).
 */
export async function supplyPlusBurned(world: TreasuryWorld): Promise<bigint> {
  const config = await fetchConfig(world);
  return (await mintSupply(world.bank, world.mediaMint)) + BigInt(config.totalBurned.toString());
}

// Tampering helpers are shared by every program's tests.
export { sendInstruction, unsigned, withAccount } from "./tamper";

/** Replaces the argument bytes after the 8-byte discriminator. */
export function withArgs(ix: TransactionInstruction, args: Buffer): TransactionInstruction {
  return withData(ix, args);
}
