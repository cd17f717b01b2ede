/**
 * An Anchor `Provider` over solana-bankrun, so `@coral-xyz/anchor`'s `Program` (0.32) runs
 * unchanged against the in-process bank. Written here rather than pinned from
 * `anchor-bankrun`, whose peer range stops at Anchor 0.30.
 *
 * Every transaction's logs and compute units are kept by signature, for event parsing in
 * tests and for the benchmarks.
 */
import type { Provider, Wallet } from "@coral-xyz/anchor";
import {
  type AccountInfo,
  type Commitment,
  type Connection,
  type PublicKey,
  type Signer,
  Transaction,
  VersionedTransaction,
} from "@solana/web3.js";
import { utils } from "@coral-xyz/anchor";
import type { BanksClient, ProgramTestContext } from "solana-bankrun";

export interface TransactionRecord {
  logs: string[];
  computeUnits: bigint;
}

/** A failed transaction, shaped like web3.js's `SendTransactionError` for Anchor's parser. */
export class BankrunTransactionError extends Error {
  constructor(
    message: string,
    readonly logs: string[],
  ) {
    super(message);
  }
}

/** The subset of `Connection` that Anchor's `Program` and `@solana/spl-token` reads use. */
class BankrunConnection {
  readonly commitment: Commitment = "confirmed";
  constructor(private readonly banks: BanksClient) {}

  async getAccountInfo(address: PublicKey): Promise<AccountInfo<Buffer> | null> {
    const account = await this.banks.getAccount(address);
    if (!account) return null;
    return { ...account, data: Buffer.from(account.data), rentEpoch: 0 };
  }

  async getAccountInfoAndContext(address: PublicKey) {
    return { context: { slot: Number(await this.banks.getSlot()) }, value: await this.getAccountInfo(address) };
  }

  async getMultipleAccountsInfo(addresses: PublicKey[]) {
    return Promise.all(addresses.map((address) => this.getAccountInfo(address)));
  }

  async getMultipleAccountsInfoAndContext(addresses: PublicKey[]) {
    return { context: { slot: Number(await this.banks.getSlot()) }, value: await this.getMultipleAccountsInfo(addresses) };
  }

  async getBalance(address: PublicKey): Promise<number> {
    return Number(await this.banks.getBalance(address));
  }

  async getMinimumBalanceForRentExemption(dataLength: number): Promise<number> {
    const rent = await this.banks.getRent();
    return Number(rent.minimumBalance(BigInt(dataLength)));
  }

  async getLatestBlockhash() {
    const latest = await this.banks.getLatestBlockhash();
    if (!latest) throw new Error("the bank has no blockhash yet");
    return { blockhash: latest[0], lastValidBlockHeight: Number(latest[1]) };
  }

  async getSlot(): Promise<number> {
    return Number(await this.banks.getSlot());
  }
}

export class BankrunProvider implements Provider {
  readonly connection: Connection;
  readonly transactions = new Map<string, TransactionRecord>();

  constructor(
    readonly context: ProgramTestContext,
    readonly wallet: Wallet,
  ) {
    this.connection = new BankrunConnection(context.banksClient) as unknown as Connection;
  }

  get publicKey(): PublicKey {
    return this.wallet.publicKey;
  }

  /** Signs with `signers` and the wallet (the fee payer), processes, and returns the signature. */
  async sendAndConfirm(tx: Transaction | VersionedTransaction, signers: Signer[] = []): Promise<string> {
    if (tx instanceof VersionedTransaction) {
      tx.sign(signers);
    } else {
      tx.feePayer ??= this.wallet.publicKey;
      tx.recentBlockhash = (await this.connection.getLatestBlockhash()).blockhash;
      if (signers.length > 0) tx.partialSign(...signers);
    }
    const signed = await this.wallet.signTransaction(tx);
    const result = await this.context.banksClient.tryProcessTransaction(signed);
    const signature = utils.bytes.bs58.encode(
      signed instanceof VersionedTransaction ? signed.signatures[0] : (signed.signature ?? new Uint8Array(64)),
    );
    const logs = result.meta?.logMessages ?? [];
    this.transactions.set(signature, { logs, computeUnits: result.meta?.computeUnitsConsumed ?? 0n });
    // A new slot gives the next transaction a new blockhash, so an identical retry is not
    // refused as already processed.
    await this.context.warpToSlot((await this.context.banksClient.getSlot()) + 1n);
    if (result.result) throw new BankrunTransactionError(`Transaction failed: ${result.result}`, logs);
    return signature;
  }

  async send(tx: Transaction | VersionedTransaction, signers?: Signer[]): Promise<string> {
    return this.sendAndConfirm(tx, signers);
  }

  async sendAll<T extends Transaction | VersionedTransaction>(txs: { tx: T; signers?: Signer[] }[]): Promise<string[]> {
    const signatures: string[] = [];
    for (const { tx, signers } of txs) signatures.push(await this.sendAndConfirm(tx, signers));
    return signatures;
  }

  /** The logs and compute units of a transaction this provider sent. */
  record(signature: string): TransactionRecord {
    const record = this.transactions.get(signature);
    if (!record) throw new Error(`no transaction ${signature} was sent through this provider`);
    return record;
  }
}
