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
import { Keypair, type PublicKey, SystemProgram, Transaction } from "@solana/web3.js";
import type { Bank } from "./bank";

/** Creates a mint with `decimals`, minted by `authority` (the payer by default). */
export async function createMint(bank: Bank, decimals = 6, authority: PublicKey = bank.payer.publicKey): Promise<PublicKey> {
  const mint = Keypair.generate();
  const rent = await bank.provider.connection.getMinimumBalanceForRentExemption(MINT_SIZE);
  const tx = new Transaction().add(
    SystemProgram.createAccount({
      fromPubkey: bank.payer.publicKey,
      newAccountPubkey: mint.publicKey,
      lamports: rent,
      space: MINT_SIZE,
      programId: TOKEN_PROGRAM_ID,
    }),
    createInitializeMint2Instruction(mint.publicKey, decimals, authority, null),
  );
  await bank.provider.sendAndConfirm(tx, [mint]);
  return mint.publicKey;
}

/** Creates a token account of `mint` owned by `owner` (a keypair account, not an ATA). */
export async function createTokenAccount(bank: Bank, mint: PublicKey, owner: PublicKey): Promise<PublicKey> {
  const account = Keypair.generate();
  const rent = await bank.provider.connection.getMinimumBalanceForRentExemption(ACCOUNT_SIZE);
  const tx = new Transaction().add(
    SystemProgram.createAccount({
      fromPubkey: bank.payer.publicKey,
      newAccountPubkey: account.publicKey,
      lamports: rent,
      space: ACCOUNT_SIZE,
      programId: TOKEN_PROGRAM_ID,
    }),
    createInitializeAccount3Instruction(account.publicKey, mint, owner),
  );
  await bank.provider.sendAndConfirm(tx, [account]);
  return account.publicKey;
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
