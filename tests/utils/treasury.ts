/**
 * The treasury cast of the tests: MEDIA and quote mints, the config with its two vaults,
 * fee revenue arriving in the vaults, and takers holding MEDIA and a quote account. Also
 * the tampering helpers the hostile tests use on instructions built by Anchor.
 */
import { Keypair, type PublicKey, Transaction, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import { TREASURY_DEFAULTS, createTreasuryVaultsInstructions, treasuryConfigPda, treasuryVaultAddress } from "../../sdk/src";
import type { Bank } from "./bank";
import { sendInstruction, withData } from "./tamper";
import { airdrop, createMint, createTokenAccount, mintSupply, mintTo } from "./token";

export type TreasuryParams = {
  auctionInterval: BN;
  auctionDuration: BN;
  maxLot: BN;
  initialPrice: BN;
  premiumBps: number;
  floorBps: number;
};

export interface TreasuryWorld {
  bank: Bank;
  mediaMint: PublicKey;
  quoteMint: PublicKey;
  config: PublicKey;
  mediaVault: PublicKey;
  quoteVault: PublicKey;
  /** The deployer: config authority and pause authority at genesis. */
  authority: Keypair;
}

/** `initialize_config` with `params`, for the mints and the vaults given (built, not sent). */
export function initializeIx(
  bank: Bank,
  accounts: { mediaMint: PublicKey; quoteMint: PublicKey; mediaVault: PublicKey; quoteVault: PublicKey },
  params: TreasuryParams = TREASURY_DEFAULTS,
): Promise<TransactionInstruction> {
  return bank.programs.treasury.methods
    .initializeConfig(params.auctionInterval, params.auctionDuration, params.maxLot, params.initialPrice, params.premiumBps, params.floorBps)
    .accounts({ authority: bank.payer.publicKey, ...accounts })
    .instruction();
}

/** Creates two mints (6 decimals) and the vaults, without initializing the config. */
export async function treasuryMintsAndVaults(bank: Bank) {
  const mediaMint = await createMint(bank, 6);
  const quoteMint = await createMint(bank, 6);
  await bank.provider.sendAndConfirm(new Transaction().add(...createTreasuryVaultsInstructions(bank.payer.publicKey, mediaMint, quoteMint)));
  return { mediaMint, quoteMint, mediaVault: treasuryVaultAddress(mediaMint), quoteVault: treasuryVaultAddress(quoteMint) };
}

/** MEDIA and quote mints, both vaults and an initialized config (defaults unless given). */
export async function setUpTreasury(bank: Bank, params: TreasuryParams = TREASURY_DEFAULTS): Promise<TreasuryWorld> {
  const accounts = await treasuryMintsAndVaults(bank);
  await sendInstruction(bank, await initializeIx(bank, accounts, params));
  return { bank, ...accounts, config: treasuryConfigPda(), authority: bank.payer };
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
    .accounts({
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
    .accounts({
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
