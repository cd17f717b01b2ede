/**
 * An Anchor `Provider` over an in-process runtime (solana-bankrun or LiteSVM), so
 * `@coral-xyz/anchor`'s `Program` (0.32) runs unchanged against it. Written here rather than
 * pinned from `anchor-bankrun`, whose peer range stops at Anchor 0.30.
 *
 * Every transaction's logs and compute units are kept by signature, for event parsing in
 * tests and for the benchmarks.
 */
import { type Provider, type Wallet, utils } from "@coral-xyz/anchor";
import {
  type AccountInfo,
  type Commitment,
  type Connection,
  type PublicKey,
  type Signer,
  type Transaction,
  type VersionedMessage,
  VersionedTransaction,
  type VersionedTransactionResponse,
} from "@solana/web3.js";
import type { InnerInstructionGroup, Runtime } from "./runtime";

export interface TransactionRecord {
  logs: string[];
  computeUnits: bigint;
  /** The transaction as sent, for `getTransaction`. */
  sent: Transaction | VersionedTransaction;
  slot: number;
  error: string | null;
  /** Reads them; null where the runtime does not report them (see `Processed.innerInstructions`). */
  innerInstructions: (() => InnerInstructionGroup[]) | null;
}

/** A failed transaction, shaped like web3.js's `SendTransactionError` for Anchor's parser. */
export class RuntimeTransactionError extends Error {
  constructor(
    message: string,
    readonly logs: string[],
  ) {
    super(message);
  }
}

/** The subset of `Connection` that Anchor's `Program` and `@solana/spl-token` reads use. */
class RuntimeConnection {
  readonly commitment: Commitment = "confirmed";
  constructor(
    private readonly runtime: Runtime,
    private readonly transactions: ReadonlyMap<string, TransactionRecord>,
  ) {}

  /**
   * A transaction sent through this provider, shaped as the RPC returns it, without fee or
   * balances. solana-bankrun reports no inner instructions: there `innerInstructions` is null,
   * as from a node that did not record them.
   */
  async getTransaction(signature: string): Promise<VersionedTransactionResponse | null> {
    const record = this.transactions.get(signature);
    if (!record) return null;
    const message = record.sent instanceof VersionedTransaction ? record.sent.message : record.sent.compileMessage();
    return {
      slot: record.slot,
      blockTime: null,
      transaction: { message: message as VersionedMessage, signatures: [signature] },
      meta: {
        err: record.error,
        fee: 0,
        preBalances: [],
        postBalances: [],
        logMessages: record.logs,
        innerInstructions: record.innerInstructions?.() ?? null,
        computeUnitsConsumed: Number(record.computeUnits),
      },
    };
  }

  async getAccountInfo(address: PublicKey): Promise<AccountInfo<Buffer> | null> {
    const account = await this.runtime.getAccount(address);
    if (!account) return null;
    return { lamports: Number(account.lamports), owner: account.owner, executable: account.executable, data: Buffer.from(account.data), rentEpoch: 0 };
  }

  async getAccountInfoAndContext(address: PublicKey) {
    return { context: { slot: await this.getSlot() }, value: await this.getAccountInfo(address) };
  }

  async getMultipleAccountsInfo(addresses: PublicKey[]) {
    return Promise.all(addresses.map((address) => this.getAccountInfo(address)));
  }

  async getMultipleAccountsInfoAndContext(addresses: PublicKey[]) {
    return { context: { slot: await this.getSlot() }, value: await this.getMultipleAccountsInfo(addresses) };
  }

  async getBalance(address: PublicKey): Promise<number> {
    return Number((await this.runtime.getAccount(address))?.lamports ?? 0n);
  }

  async getMinimumBalanceForRentExemption(dataLength: number): Promise<number> {
    return Number(await this.runtime.minimumBalance(dataLength));
  }

  async getLatestBlockhash() {
    return { blockhash: await this.runtime.latestBlockhash(), lastValidBlockHeight: (await this.getSlot()) + 150 };
  }

  async getSlot(): Promise<number> {
    return Number(await this.runtime.slot());
  }

  /** `getProgramAccounts` with `memcmp` (base58 bytes) and `dataSize` filters. */
  async getProgramAccounts(programId: PublicKey, config?: { filters?: ({ memcmp: { offset: number; bytes: string } } | { dataSize: number })[] }) {
    const filters = (config?.filters ?? []).map((filter) =>
      "memcmp" in filter ? { offset: filter.memcmp.offset, bytes: Buffer.from(utils.bytes.bs58.decode(filter.memcmp.bytes)) } : { size: filter.dataSize },
    );
    const accounts = await this.runtime.programAccounts(programId);
    return accounts
      .filter(({ account }) =>
        filters.every((f) =>
          "size" in f ? account.data.length === f.size : Buffer.from(account.data.subarray(f.offset, f.offset + f.bytes.length)).equals(f.bytes),
        ),
      )
      .map(({ address, account }) => ({
        pubkey: address,
        account: { lamports: Number(account.lamports), owner: account.owner, executable: account.executable, data: Buffer.from(account.data), rentEpoch: 0 },
      }));
  }
}

export class RuntimeProvider implements Provider {
  readonly connection: Connection;
  readonly transactions = new Map<string, TransactionRecord>();

  constructor(
    readonly runtime: Runtime,
    readonly wallet: Wallet,
  ) {
    this.connection = new RuntimeConnection(runtime, this.transactions) as unknown as Connection;
  }

  get publicKey(): PublicKey {
    return this.wallet.publicKey;
  }

  /** Sends run one at a time: each ends by moving to a new blockhash for the next. */
  private queue: Promise<unknown> = Promise.resolve();

  /** Signs with `signers` and the wallet (the fee payer), processes, and returns the signature. */
  sendAndConfirm(tx: Transaction | VersionedTransaction, signers: Signer[] = []): Promise<string> {
    const sent = this.queue.then(() => this.sendNow(tx, signers));
    this.queue = sent.catch(() => undefined);
    return sent;
  }

  private async sendNow(tx: Transaction | VersionedTransaction, signers: Signer[]): Promise<string> {
    if (tx instanceof VersionedTransaction) {
      tx.sign(signers);
    } else {
      tx.feePayer ??= this.wallet.publicKey;
      tx.recentBlockhash = await this.runtime.latestBlockhash();
      if (signers.length > 0) tx.partialSign(...signers);
    }
    const signed = await this.wallet.signTransaction(tx);
    const result = await this.runtime.process(signed);
    const signature = utils.bytes.bs58.encode(signed instanceof VersionedTransaction ? signed.signatures[0] : (signed.signature ?? new Uint8Array(64)));
    this.transactions.set(signature, {
      logs: result.logs,
      computeUnits: result.computeUnits,
      sent: signed,
      slot: Number(await this.runtime.slot()),
      error: result.error ?? null,
      innerInstructions: result.innerInstructions ?? null,
    });
    // A new blockhash for the next transaction, so an identical retry is not refused as
    // already processed.
    await this.runtime.nextBlockhash();
    if (result.error) throw new RuntimeTransactionError(`Transaction failed: ${result.error}`, result.logs);
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
