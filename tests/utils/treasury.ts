/**
 * The treasury cast of the tests: MEDIA and quote mints, the config with its two vaults, the
 * staking and bandwidth configs a take reads (the stakers' share and where it goes), fee
 * revenue arriving in the vaults, and takers holding MEDIA and a quote account. Also the
 * tampering helpers the hostile tests use on instructions built by Anchor.
 */
import { Keypair, type PublicKey, Transaction, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import {
  BANDWIDTH_DEFAULTS,
  TREASURY_DEFAULTS,
  TREASURY_PRICE_SCALE,
  type TreasuryAuctionParams,
  bandwidthConfigPda,
  createTreasuryVaultsInstructions,
  stakingConfigPda,
  stakingVaultPda,
  treasuryConfigPda,
  treasuryVaultAddress,
} from "../../sdk/src";
import type { Bank } from "./bank";
import { sendInstruction, withData } from "./tamper";
import { setUpStaking } from "./staking";
import { airdrop, createMint, createTokenAccount, mintSupply, mintTo } from "./token";

/** `initialize_config`'s arguments: the auction parameters and the initial reference price. */
export type TreasuryParams = TreasuryAuctionParams & { initialPrice: BN };

/**
 * The tests' market: 1 quote unit trades for 100 MEDIA (both 6 decimals), so the reference
 * price genesis is given is 100 MEDIA base units per quote base unit.
 */
export const TEST_INITIAL_PRICE = 100n * TREASURY_PRICE_SCALE;
/** Genesis parameters of the tests: the defaults and the tests' market price. */
export const TREASURY_TEST_PARAMS: TreasuryParams = { ...TREASURY_DEFAULTS, initialPrice: new BN(TEST_INITIAL_PRICE.toString()) };

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

/** `initialize_config` with `params`, for the mints and the vaults given (built, not sent). */
export function initializeIx(
  bank: Bank,
  accounts: { mediaMint: PublicKey; quoteMint: PublicKey; mediaVault: PublicKey; quoteVault: PublicKey },
  params: TreasuryParams = TREASURY_TEST_PARAMS,
): Promise<TransactionInstruction> {
  const p = params;
  return bank.programs.treasury.methods
    .initializeConfig(p.auctionInterval, p.auctionDuration, p.maxLot, p.premiumBps, p.floorBps, p.minFillBps, p.minSoldBps, p.maxStepBps, p.initialPrice)
    .accounts({ authority: bank.payer.publicKey, ...accounts })
    .instruction();
}

/** Creates two mints (6 decimals, or the MEDIA mint given) and the vaults, without initializing the config. */
export async function treasuryMintsAndVaults(bank: Bank, media?: PublicKey) {
  const mediaMint = media ?? (await createMint(bank, 6));
  const quoteMint = await createMint(bank, 6);
  await bank.provider.sendAndConfirm(new Transaction().add(...createTreasuryVaultsInstructions(bank.payer.publicKey, mediaMint, quoteMint)));
  return { mediaMint, quoteMint, mediaVault: treasuryVaultAddress(mediaMint), quoteVault: treasuryVaultAddress(quoteMint) };
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
  const accounts = await treasuryMintsAndVaults(bank, staking.mediaMint);
  await sendInstruction(bank, await initializeIx(bank, accounts, params));
  return withBandwidthConfig(bank, accounts, stakerShareBps);
}

/**
 * Initializes the bandwidth config (defaults, `stakerShareBps`) over the treasury's mints, after
 * the staking config and the treasury config; returns the treasury world.
 */
export async function withBandwidthConfig(
  bank: Bank,
  accounts: { mediaMint: PublicKey; quoteMint: PublicKey; mediaVault: PublicKey; quoteVault: PublicKey },
  stakerShareBps: number = BANDWIDTH_DEFAULTS.stakerShareBps,
): Promise<TreasuryWorld> {
  const b = BANDWIDTH_DEFAULTS;
  await bank.programs.bandwidth.methods
    .initializeConfig(b.protocolFeeBps, stakerShareBps, b.quotaWindow, b.disputeWindow)
    .accountsPartial({ authority: bank.payer.publicKey, stakingConfig: stakingConfigPda(), mediaMint: accounts.mediaMint, quoteMint: accounts.quoteMint })
    .rpc();
  return { bank, ...accounts, config: treasuryConfigPda(), authority: bank.payer, stakingVault: stakingVaultPda(), bandwidthConfig: bandwidthConfigPda() };
}

/** `set_reference_price(price)` signed by `authority` (built, not sent). */
export function setReferencePriceIx(world: TreasuryWorld, price: bigint, authority: PublicKey = world.authority.publicKey): Promise<TransactionInstruction> {
  return world.bank.programs.treasury.methods.setReferencePrice(new BN(price.toString())).accounts({ authority }).instruction();
}

/**
 * Fee revenue reaching the treasury. The bandwidth program's fee split will send it; until
 * then the tests mint it straight into the vaults.
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

const bn = (value: bigint) => new BN(value.toString());

/** `take(quoteAmount, maxMediaIn)` by `taker` (built, not sent). */
export function takeIx(world: TreasuryWorld, taker: Taker, quoteAmount: bigint, maxMediaIn: bigint) {
  return world.bank.programs.treasury.methods
    .take(bn(quoteAmount), bn(maxMediaIn))
    .accountsPartial({
      taker: taker.wallet.publicKey,
      takerMediaAccount: taker.mediaAccount,
      takerQuoteAccount: taker.quoteAccount,
      quoteVault: world.quoteVault,
      mediaMint: world.mediaMint,
    })
    .instruction();
}

/** `taker` takes through the Anchor client; returns the signature. */
export function take(world: TreasuryWorld, taker: Taker, quoteAmount: bigint, maxMediaIn: bigint): Promise<string> {
  return world.bank.programs.treasury.methods
    .take(bn(quoteAmount), bn(maxMediaIn))
    .accountsPartial({
      taker: taker.wallet.publicKey,
      takerMediaAccount: taker.mediaAccount,
      takerQuoteAccount: taker.quoteAccount,
      quoteVault: world.quoteVault,
      mediaMint: world.mediaMint,
    })
    .signers([taker.wallet])
    .rpc();
}

/** `burn_fees()` (permissionless). */
export function burnFees(world: TreasuryWorld): Promise<string> {
  return world.bank.programs.treasury.methods.burnFees().accounts({ mediaVault: world.mediaVault, mediaMint: world.mediaMint }).rpc();
}

/** `start_auction()` (permissionless). */
export function startAuction(world: TreasuryWorld): Promise<string> {
  return world.bank.programs.treasury.methods.startAuction().accounts({ quoteVault: world.quoteVault }).rpc();
}

/** The treasury config as Anchor decodes it. */
export function fetchConfig(world: TreasuryWorld) {
  return world.bank.programs.treasury.account.treasuryConfig.fetch(world.config);
}

/**
 * The supply invariant: the mint's supply plus everything the treasury burned equals the
 * supply before the treasury burned anything.
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
