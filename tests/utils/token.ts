/**
 * SPL Token set-up for tests: mints, token accounts and balances, through the bank.
 *
 * Every mint a test makes has a fixed supply, as MEDIA has since genesis: `createMint` mints
 * the whole supply once into the mint's faucet (a token account of the bank's payer) and sets
 * the mint authority to none; `mintTo` is a transfer out of that faucet. So a test world's
 * supply only ever falls (burns), and supply + burned = the supply it was created with.
 */
import {
  ACCOUNT_SIZE,
  AuthorityType,
  MINT_SIZE,
  TOKEN_PROGRAM_ID,
  createSetAuthorityInstruction,
  createInitializeAccount3Instruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  createTransferInstruction,
  getAccount,
  getMint,
} from "@solana/spl-token";
import { createHash } from "node:crypto";
import { Keypair, type PublicKey, SystemProgram, Transaction, type TransactionInstruction } from "@solana/web3.js";
import { MEDIA, MEDIA_DECIMALS } from "../../sdk/src";
import type { Bank } from "./bank";

/** Creates a rent-exempt SPL Token account of `space` bytes at a fresh keypair and runs `initialize` on it. */
async function createTokenProgramAccount(bank: Bank, space: number, initialize: (address: PublicKey) => TransactionInstruction): Promise<PublicKey> {
  const account = Keypair.generate();
  const lamports = await bank.provider.connection.getMinimumBalanceForRentExemption(space);
  const create = SystemProgram.createAccount({
    fromPubkey: bank.payer.publicKey,
    newAccountPubkey: account.publicKey,
    lamports,
    space,
    programId: TOKEN_PROGRAM_ID,
  });
  await bank.provider.sendAndConfirm(new Transaction().add(create, initialize(account.publicKey)), [account]);
  return account.publicKey;
}

/**
 * The fixed supply of a test mint: far above any test's needs (the economy engine's sponsor
 * alone holds 100,000,000 MEDIA), far below u64 so that no sum of balances overflows.
 */
export const TEST_MINT_SUPPLY = 1_000_000_000n * MEDIA;

/** Each test mint's faucet: the token account its whole supply was minted into (owned by the bank's payer). */
const faucets = new Map<string, PublicKey>();

/** The faucet of `mint`, a mint made by `createMint`: where its fixed supply sits until `mintTo` hands it out. */
export function faucetOf(mint: PublicKey): PublicKey {
  const faucet = faucets.get(mint.toBase58());
  if (!faucet) {
    throw new Error(`mint ${mint.toBase58()} has no test faucet: create it with createMint (tests/utils/token.ts), which mints its fixed supply into one`);
  }
  return faucet;
}

/** Where `createMint` takes its mint's and faucet's keys: fresh ones unless `seedMintKeys` set a sequence. */
let nextMintKey: () => Keypair = () => Keypair.generate();

/**
 * Makes every following `createMint` take its keys from a sequence seeded by `seed` (the same
 * seed, the same addresses, in the same order), or fresh ones again with `undefined`. The
 * bench seeds each group: the vaults and escrows it measures are PDAs of their mint, so a
 * random mint moves their canonical-bump search, and those rows' CU, by hundreds between runs.
 */
export function seedMintKeys(seed: string | undefined): void {
  if (seed === undefined) {
    nextMintKey = () => Keypair.generate();
    return;
  }
  let index = 0;
  nextMintKey = () => Keypair.fromSeed(createHash("sha256").update(`${seed}/${index++}`).digest());
}

/**
 * Creates a fixed-supply mint with `decimals`: `supply` base units minted once into a faucet
 * owned by the bank's payer, then the mint authority set to none, in one transaction.
 */
export async function createMint(bank: Bank, decimals = MEDIA_DECIMALS, supply = TEST_MINT_SUPPLY): Promise<PublicKey> {
  const payer = bank.payer.publicKey;
  const mint = nextMintKey();
  const faucet = nextMintKey();
  const { connection } = bank.provider;
  const tx = new Transaction().add(
    SystemProgram.createAccount({
      fromPubkey: payer,
      newAccountPubkey: mint.publicKey,
      lamports: await connection.getMinimumBalanceForRentExemption(MINT_SIZE),
      space: MINT_SIZE,
      programId: TOKEN_PROGRAM_ID,
    }),
    createInitializeMint2Instruction(mint.publicKey, decimals, payer, null),
    SystemProgram.createAccount({
      fromPubkey: payer,
      newAccountPubkey: faucet.publicKey,
      lamports: await connection.getMinimumBalanceForRentExemption(ACCOUNT_SIZE),
      space: ACCOUNT_SIZE,
      programId: TOKEN_PROGRAM_ID,
    }),
    createInitializeAccount3Instruction(faucet.publicKey, mint.publicKey, payer),
    createMintToInstruction(mint.publicKey, faucet.publicKey, payer, supply),
    createSetAuthorityInstruction(mint.publicKey, payer, AuthorityType.MintTokens, null),
  );
  await bank.provider.sendAndConfirm(tx, [mint, faucet]);
  faucets.set(mint.publicKey.toBase58(), faucet.publicKey);
  return mint.publicKey;
}

/**
 * A mint whose authority is the bank's payer and whose supply is 0: what a genesis starts from
 * (it mints the whole supply, then sets the authority to none). Not a test world's mint.
 */
export function createGenesisMint(bank: Bank, decimals = MEDIA_DECIMALS): Promise<PublicKey> {
  return createTokenProgramAccount(bank, MINT_SIZE, (mint) => createInitializeMint2Instruction(mint, decimals, bank.payer.publicKey, null));
}

/** Creates a token account of `mint` owned by `owner` (a keypair account, not an ATA). */
export function createTokenAccount(bank: Bank, mint: PublicKey, owner: PublicKey): Promise<PublicKey> {
  return createTokenProgramAccount(bank, ACCOUNT_SIZE, (account) => createInitializeAccount3Instruction(account, mint, owner));
}

/**
 * A token account of `mint` that `preparer` created, kept the power to close, then handed to
 * `owner` (as SPL Token allows): the look-alike of a program vault that its preparer could empty
 * and re-create as its own.
 */
export async function closableTokenAccount(bank: Bank, mint: PublicKey, preparer: Keypair, owner: PublicKey): Promise<PublicKey> {
  const account = await createTokenAccount(bank, mint, preparer.publicKey);
  await bank.provider.sendAndConfirm(
    new Transaction().add(
      createSetAuthorityInstruction(account, preparer.publicKey, AuthorityType.CloseAccount, preparer.publicKey),
      createSetAuthorityInstruction(account, preparer.publicKey, AuthorityType.AccountOwner, owner),
    ),
    [preparer],
  );
  return account;
}

/**
 * Token account bytes with `delegate` approved for `amount`. SPL Token clears a delegate when an
 * account changes hands and only a PDA owner could approve one, so tests write this state.
 */
export function withDelegate(data: Uint8Array, delegate: PublicKey, amount = 0n): Buffer {
  const bytes = Buffer.from(data);
  bytes.writeUInt32LE(1, 72);
  delegate.toBuffer().copy(bytes, 76);
  bytes.writeBigUInt64LE(amount, 121);
  return bytes;
}

/**
 * Gives `destination` `amount` base units of `mint` (made by `createMint`) from the mint's
 * faucet: a transfer, never a mint, so the supply stays what it was created with.
 */
export async function mintTo(bank: Bank, mint: PublicKey, destination: PublicKey, amount: bigint): Promise<void> {
  await bank.provider.sendAndConfirm(new Transaction().add(createTransferInstruction(faucetOf(mint), destination, bank.payer.publicKey, amount)));
}

/** A plain SPL transfer of `amount` from `from`'s token account, signed by its wallet. */
export async function transfer(bank: Bank, from: { wallet: Keypair; tokenAccount: PublicKey }, to: PublicKey, amount: bigint): Promise<void> {
  await bank.provider.sendAndConfirm(new Transaction().add(createTransferInstruction(from.tokenAccount, to, from.wallet.publicKey, amount)), [from.wallet]);
}

/** A token account's balance in base units. */
export async function tokenBalance(bank: Bank, account: PublicKey): Promise<bigint> {
  return (await getAccount(bank.provider.connection, account)).amount;
}

/** A mint's supply in base units. */
export async function mintSupply(bank: Bank, mint: PublicKey): Promise<bigint> {
  return (await getMint(bank.provider.connection, mint)).supply;
}

/** Funds `wallet` with lamports from the payer so it can pay fees and rent. */
export async function airdrop(bank: Bank, wallet: PublicKey, lamports = 10_000_000_000n): Promise<void> {
  await bank.provider.sendAndConfirm(new Transaction().add(SystemProgram.transfer({ fromPubkey: bank.payer.publicKey, toPubkey: wallet, lamports })));
}
