/** SPL Token set-up for tests: mints, token accounts and balances, through the bank. */
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
import { Keypair, type PublicKey, SystemProgram, Transaction, type TransactionInstruction } from "@solana/web3.js";
import { MEDIA_DECIMALS } from "../../sdk/src";
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

/** Creates a mint with `decimals`, minted by `authority` (the payer by default). */
export function createMint(bank: Bank, decimals = MEDIA_DECIMALS, authority: PublicKey = bank.payer.publicKey): Promise<PublicKey> {
  return createTokenProgramAccount(bank, MINT_SIZE, (mint) => createInitializeMint2Instruction(mint, decimals, authority, null));
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

/** Mints `amount` base units of `mint` (whose authority is the payer) to `destination`. */
export async function mintTo(bank: Bank, mint: PublicKey, destination: PublicKey, amount: bigint): Promise<void> {
  await bank.provider.sendAndConfirm(new Transaction().add(createMintToInstruction(mint, destination, bank.payer.publicKey, amount)));
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
