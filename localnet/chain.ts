/**
 * The localnet's ledger: one LiteSVM instance (the current Agave runtime, in process) with a
 * clock that follows wall time, validator-like blockhashes, a faucet and a record of every
 * transaction it processed. The JSON-RPC layer (rpc.ts) only talks to this class.
 *
 * Choices that differ from a validator, all documented in the README:
 * - one node, no forks: a transaction is final in the slot that processed it;
 * - a slot lasts `slotMs` (400 ms) of wall time; the block height equals the slot; every slot
 *   produces a block (empty or not) except those `timeTravel` jumps over;
 * - blockhashes are this instance's own (a hash of a random seed and the slot); a blockhash
 *   is valid for 150 slots, as on a validator. Durable-nonce transactions are not supported;
 * - SlotHashes also lists the current slot (see `advanceSlotHashes`);
 * - the ledger remembers the last `historyCapacity` transactions (ledger.ts).
 */
import { createHash, createPublicKey, randomBytes, verify } from "node:crypto";
import { utils } from "@coral-xyz/anchor";
import { Keypair, type PublicKey, SystemProgram, Transaction, VersionedTransaction } from "@solana/web3.js";
import { Clock, EpochSchedule, LiteSVM, type FailedTransactionMetadata, type SlotHash, type TransactionMetadata } from "litesvm";
import { readFileSync } from "node:fs";
import { upgradeableProgramAccounts } from "../sdk/src/loader";
import { type InnerInstructionGroup, innerInstructionsOf } from "../sdk/src/testing/runtime";
import { transactionErrorJson, type TransactionErrorJson } from "./errors";
import { Ledger } from "./ledger";

const { bs58 } = utils.bytes;

type Address = Parameters<LiteSVM["getBalance"]>[0];
type KitTransaction = Parameters<LiteSVM["sendTransaction"]>[0];
type Lamports = Parameters<LiteSVM["airdrop"]>[1];

export const LAMPORTS_PER_SIGNATURE = 5000n;
/** A blockhash is usable for this many slots after its own (MAX_PROCESSING_AGE). */
export const MAX_BLOCKHASH_AGE = 150;
export const SLOTS_PER_EPOCH = 432_000;
/** Largest wire transaction (PACKET_DATA_SIZE). */
export const MAX_TRANSACTION_BYTES = 1232;
/** Largest single airdrop: 1,000,000 SOL. */
export const MAX_AIRDROP_LAMPORTS = 1_000_000n * 1_000_000_000n;
const FAUCET_LAMPORTS = 1_000_000_000n * 1_000_000_000n;
/** Transactions remembered for getTransaction/getSignatureStatuses (oldest dropped first). */
export const HISTORY_CAPACITY = 100_000;
/** Entries of the SlotHashes sysvar (MAX_ENTRIES), newest first. */
const SLOT_HASHES_ENTRIES = 512;

export const TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
export const TOKEN_2022_PROGRAM = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";
export const SYSTEM_PROGRAM = "11111111111111111111111111111111";
const COMPUTE_BUDGET_PROGRAM = "ComputeBudget111111111111111111111111111111";
const SIGNATURE_PRECOMPILES = new Set([
  "Ed25519SigVerify111111111111111111111111111",
  "KeccakSecp256k11111111111111111111111111111",
  "Secp256r1SigVerify1111111111111111111111111",
]);
const ADDRESS_LOOKUP_TABLE_PROGRAM = "AddressLookupTab1e1111111111111111111111111";
const LOOKUP_TABLE_META_SIZE = 56;
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** An error the RPC layer reports as a JSON-RPC error (code, message, optional data). */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export const invalidParams = (message: string) => new RpcError(-32602, `Invalid params: ${message}`);

/** A transaction as received, decoded once. */
export interface DecodedTransaction {
  wire: Buffer;
  transaction: VersionedTransaction;
  signature: string;
  version: "legacy" | number;
  /** Static keys, then addresses loaded from lookup tables (writable, then readonly). */
  accountKeys: string[];
  loadedAddresses: { writable: string[]; readonly: string[] };
}

export interface TokenBalance {
  accountIndex: number;
  mint: string;
  owner: string;
  programId: string;
  uiTokenAmount: UiTokenAmount;
}

export interface UiTokenAmount {
  amount: string;
  decimals: number;
  uiAmount: number | null;
  uiAmountString: string;
}

/** Everything getTransaction and getSignatureStatuses report about a processed transaction. */
export interface TransactionRecord {
  signature: string;
  /** Processing order across the ledger. */
  sequence: number;
  slot: number;
  blockTime: number;
  decoded: DecodedTransaction;
  err: TransactionErrorJson | null;
  logs: string[];
  fee: number;
  preBalances: number[];
  postBalances: number[];
  preTokenBalances: TokenBalance[];
  postTokenBalances: TokenBalance[];
  innerInstructions: InnerInstructions[];
  computeUnitsConsumed: number;
  returnData: { programId: string; data: [string, "base64"] } | null;
}

export type InnerInstructions = InnerInstructionGroup;

/** The outcome of running a transaction without committing it. */
export interface Simulation {
  err: TransactionErrorJson | null;
  logs: string[];
  unitsConsumed: number;
  returnData: TransactionRecord["returnData"];
  innerInstructions: InnerInstructions[];
  postAccounts: Map<string, AccountView>;
}

/** An account as the RPC layer renders it. */
export interface AccountView {
  lamports: bigint;
  owner: string;
  data: Uint8Array;
  executable: boolean;
}

export interface ChainOptions {
  /** Programs to load at genesis, through the upgradeable loader: id and path of the `.so`. */
  programs?: { programId: PublicKey; path: string }[];
  /** Their upgrade authority (null: immutable). */
  upgradeAuthority?: PublicKey | null;
  /** Wall time in milliseconds (tests pass a controllable clock). */
  now?: () => number;
  /** Length of a slot in milliseconds (400 as on mainnet). */
  slotMs?: number;
  /** Transactions remembered (default HISTORY_CAPACITY). */
  historyCapacity?: number;
}

/** Where `surfnet_timeTravel` moves the clock: one absolute target (surfpool's config). */
export type TimeTravelTarget = { absoluteSlot: number } | { absoluteEpoch: number } | { absoluteTimestamp: number };

export class Chain {
  readonly svm: LiteSVM;
  readonly faucet = Keypair.generate();
  private readonly now: () => number;
  private readonly slotMs: number;
  private readonly genesisMs: number;
  private readonly seed = randomBytes(32);
  private slot = -1;
  private unixTimestamp = 0;
  /** Milliseconds added to wall time by time travel. */
  private travelMs = 0;
  /** Slot ranges jumped over by time travel: no block was produced in them. */
  private readonly skipped: { from: number; to: number }[] = [];
  /** The SlotHashes sysvar's entries, newest first. */
  private slotHashes: SlotHash[] = [];
  /** blockhash -> slot, for the last 300 slots whose blockhash was handed out. */
  private readonly blockhashes = new Map<string, number>();
  readonly ledger: Ledger;
  private readonly listeners = new Map<string, Set<(record: TransactionRecord) => void>>();
  private readonly commitListeners = new Set<(record: TransactionRecord) => void>();
  private readonly slotListeners = new Set<(slot: number, parent: number) => void>();
  private transactionCount = 0;

  constructor(options: ChainOptions = {}) {
    this.now = options.now ?? Date.now;
    this.slotMs = options.slotMs ?? 400;
    this.genesisMs = this.now();
    this.ledger = new Ledger(options.historyCapacity ?? HISTORY_CAPACITY);
    // Validators check blockhashes against their recent-blockhash queue; LiteSVM only knows its
    // single latest one, so this class checks them (see `checkBlockhash`).
    this.svm = new LiteSVM().withBlockhashCheck(false).withTransactionHistory(BigInt(HISTORY_CAPACITY));
    this.svm.setEpochSchedule(new EpochSchedule(BigInt(SLOTS_PER_EPOCH), BigInt(SLOTS_PER_EPOCH), false, 0n, 0n));
    for (const { programId, path } of options.programs ?? []) {
      for (const account of upgradeableProgramAccounts(programId, readFileSync(path), options.upgradeAuthority ?? null)) {
        this.svm.setAccount({
          address: address(account.address.toBase58()),
          lamports: account.lamports as Lamports,
          programAddress: address(account.owner.toBase58()),
          data: account.data,
          executable: account.executable,
          space: BigInt(account.data.length),
        });
      }
    }
    this.svm.setAccount({
      address: address(this.faucet.publicKey.toBase58()),
      lamports: FAUCET_LAMPORTS as Lamports,
      programAddress: address(SystemProgram.programId.toBase58()),
      data: new Uint8Array(0),
      executable: false,
      space: 0n,
    });
    this.tick();
  }

  /**
   * Moves the slot, the Clock and the SlotHashes sysvars up to wall time (plus time travel).
   * Every RPC request calls it first, and the server calls it every slot.
   */
  tick(): void {
    const now = this.now() + this.travelMs;
    const slot = Math.max(this.slot, Math.floor((now - this.genesisMs) / this.slotMs));
    if (slot === this.slot) return;
    const parent = this.slot;
    this.slot = slot;
    this.unixTimestamp = Math.max(this.unixTimestamp, Math.floor(now / 1000));
    const epoch = Math.floor(slot / SLOTS_PER_EPOCH);
    const epochStart = Math.floor((this.genesisMs + epoch * SLOTS_PER_EPOCH * this.slotMs) / 1000);
    this.svm.warpToSlot(BigInt(slot));
    this.svm.setClock(new Clock(BigInt(slot), BigInt(epochStart), BigInt(epoch), BigInt(epoch + 1), BigInt(this.unixTimestamp)));
    this.advanceSlotHashes(parent);
    for (const [hash, hashSlot] of this.blockhashes) {
      if (hashSlot >= slot - 2 * MAX_BLOCKHASH_AGE) break;
      this.blockhashes.delete(hash);
    }
    if (parent >= 0) for (const listener of this.slotListeners) listener(slot, parent);
  }

  /**
   * SlotHashes lists the recent slots with their hashes; the address lookup table program
   * only accepts a `recent_slot` found there. A validator lists the parents of the current
   * slot; this one also lists the current slot, because here a transaction may land in the
   * very slot `getSlot` reported.
   */
  private advanceSlotHashes(parent: number): void {
    const first = Math.max(parent + 1, this.slot - SLOT_HASHES_ENTRIES + 1, 0);
    const added: SlotHash[] = [];
    for (let slot = this.slot; slot >= first; slot--) {
      if (!this.isSkipped(slot)) added.push({ slot: BigInt(slot), hash: this.hashOf(slot) } as SlotHash);
    }
    this.slotHashes = [...added, ...this.slotHashes].slice(0, SLOT_HASHES_ENTRIES);
    this.svm.setSlotHashes(this.slotHashes);
  }

  /**
   * Moves the clock forward to an absolute slot, epoch or unix time in milliseconds
   * (surfpool's `surfnet_timeTravel`); the slots in between are skipped, as if the node had
   * been down. Refuses to go backwards.
   */
  timeTravel(target: TimeTravelTarget): void {
    this.tick();
    const now = this.now() + this.travelMs;
    let targetMs: number;
    if ("absoluteTimestamp" in target) {
      if (target.absoluteTimestamp < now) {
        throw invalidParams(
          `cannot travel back in time: absoluteTimestamp ${target.absoluteTimestamp} ms is before the clock's ${now} ms ` +
            "(the timestamp is in milliseconds: multiply a Clock unix_timestamp by 1000)",
        );
      }
      targetMs = target.absoluteTimestamp;
    } else {
      const slot = "absoluteSlot" in target ? target.absoluteSlot : target.absoluteEpoch * SLOTS_PER_EPOCH;
      const name = "absoluteSlot" in target ? `absoluteSlot ${slot}` : `absoluteEpoch ${target.absoluteEpoch} (slot ${slot})`;
      if (slot < this.slot) throw invalidParams(`cannot travel back in time: ${name} is before the current slot ${this.slot}`);
      targetMs = Math.max(now, this.genesisMs + slot * this.slotMs);
    }
    const from = this.slot;
    this.travelMs += targetMs - now;
    this.tick();
    if (this.slot > from + 1) this.skipped.push({ from: from + 1, to: this.slot });
  }

  /** Whether time travel jumped over `slot` (no block). */
  isSkipped(slot: number): boolean {
    // Few jumps happen in a session: a linear scan from the newest is enough.
    for (let index = this.skipped.length - 1; index >= 0; index--) {
      const range = this.skipped[index];
      if (slot >= range.to) return false;
      if (slot >= range.from) return true;
    }
    return false;
  }

  /** The slot before `slot` that produced a block. */
  parentSlot(slot: number): number {
    let parent = slot - 1;
    for (let index = this.skipped.length - 1; index >= 0; index--) {
      const range = this.skipped[index];
      if (parent >= range.from && parent < range.to) parent = range.from - 1;
    }
    return Math.max(parent, 0);
  }

  /** Unix time of `slot` (its transactions' blockTime when it has some). */
  slotTime(slot: number): number {
    const [first] = this.ledger.block(slot);
    if (first) return first.blockTime;
    if (slot === this.slot) return this.unixTimestamp;
    return Math.floor((this.genesisMs + slot * this.slotMs) / 1000);
  }

  /** Calls `listener` after every transaction the ledger records. */
  onCommit(listener: (record: TransactionRecord) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** Calls `listener` every time the slot advances. */
  onSlot(listener: (slot: number, parent: number) => void): () => void {
    this.slotListeners.add(listener);
    return () => this.slotListeners.delete(listener);
  }

  /** The accounts a recorded transaction stored: its writable keys, or only the fee payer if it failed. */
  writtenAccounts(record: TransactionRecord): string[] {
    const { message } = record.decoded.transaction;
    if (record.err !== null) return [record.decoded.accountKeys[0]];
    return record.decoded.accountKeys.filter((_key, index) => message.isAccountWritable(index));
  }

  get currentSlot(): number {
    return this.slot;
  }

  get blockTime(): number {
    return this.unixTimestamp;
  }

  get epochInfo() {
    return {
      absoluteSlot: this.slot,
      blockHeight: this.slot,
      epoch: Math.floor(this.slot / SLOTS_PER_EPOCH),
      slotIndex: this.slot % SLOTS_PER_EPOCH,
      slotsInEpoch: SLOTS_PER_EPOCH,
      transactionCount: this.transactionCount,
    };
  }

  /** The blockhash of `slot` (default: the current one), registered as recent. */
  blockhash(slot = this.slot): string {
    const hash = this.hashOf(slot);
    if (!this.blockhashes.has(hash)) this.blockhashes.set(hash, slot);
    return hash;
  }

  /** The hash of `slot`'s block, without registering it as a recent blockhash. */
  hashOf(slot: number): string {
    return bs58.encode(createHash("sha256").update(this.seed).update(String(slot)).digest());
  }

  /** Whether `hash` is a blockhash of the last 150 slots. */
  isBlockhashValid(hash: string): boolean {
    const slot = this.blockhashes.get(hash);
    return slot !== undefined && slot >= this.slot - MAX_BLOCKHASH_AGE;
  }

  /** Last block height at which a transaction using the current blockhash can land. */
  get lastValidBlockHeight(): number {
    return this.slot + MAX_BLOCKHASH_AGE;
  }

  account(key: string): AccountView | null {
    const account = this.svm.getAccount(address(key));
    if (!account.exists) return null;
    return { lamports: account.lamports, owner: account.programAddress, data: account.data, executable: account.executable };
  }

  programAccounts(owner: string): { pubkey: string; account: AccountView }[] {
    return this.svm.getProgramAccounts(address(owner)).map((account) => ({
      pubkey: account.address,
      account: {
        lamports: account.lamports,
        owner: account.programAddress,
        data: account.data as Uint8Array,
        executable: account.executable,
      },
    }));
  }

  balance(key: string): bigint {
    return this.svm.getBalance(address(key)) ?? 0n;
  }

  minimumBalance(dataLength: number): bigint {
    return this.svm.minimumBalanceForRentExemption(BigInt(dataLength));
  }

  record(signature: string): TransactionRecord | undefined {
    return this.ledger.get(signature);
  }

  /** Calls `listener` once when `signature` is processed (at once if it already was). */
  onSignature(signature: string, listener: (record: TransactionRecord) => void): () => void {
    const known = this.ledger.get(signature);
    if (known) {
      listener(known);
      return () => {};
    }
    let set = this.listeners.get(signature);
    if (!set) {
      set = new Set();
      this.listeners.set(signature, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(signature);
    };
  }

  /** Decodes and sanity-checks a wire transaction; throws -32602 errors like a validator. */
  decode(wire: Buffer): DecodedTransaction {
    if (wire.length > MAX_TRANSACTION_BYTES) {
      throw invalidParams(`transaction too large: ${wire.length} bytes (max: ${MAX_TRANSACTION_BYTES} bytes)`);
    }
    let transaction: VersionedTransaction;
    try {
      transaction = VersionedTransaction.deserialize(wire);
      if (!Buffer.from(transaction.serialize()).equals(wire)) throw new Error("trailing or non-canonical bytes");
    } catch (error) {
      throw invalidParams(`failed to deserialize transaction: ${(error as Error).message}`);
    }
    const { message } = transaction;
    const { header } = message;
    const staticKeys = message.staticAccountKeys.map((key) => key.toBase58());
    if (
      header.numRequiredSignatures < 1 ||
      transaction.signatures.length !== header.numRequiredSignatures ||
      header.numRequiredSignatures > staticKeys.length ||
      new Set(staticKeys).size !== staticKeys.length
    ) {
      throw invalidParams("invalid transaction: Transaction failed to sanitize accounts offsets correctly");
    }
    const loadedAddresses = { writable: [] as string[], readonly: [] as string[] };
    for (const lookup of message.addressTableLookups) {
      const table = this.account(lookup.accountKey.toBase58());
      if (!table || table.owner !== ADDRESS_LOOKUP_TABLE_PROGRAM) continue; // the runtime reports it
      const entry = (index: number) => {
        const start = LOOKUP_TABLE_META_SIZE + 32 * index;
        return start + 32 <= table.data.length ? bs58.encode(table.data.subarray(start, start + 32)) : null;
      };
      for (const index of lookup.writableIndexes) loadedAddresses.writable.push(entry(index) ?? "");
      for (const index of lookup.readonlyIndexes) loadedAddresses.readonly.push(entry(index) ?? "");
    }
    return {
      wire,
      transaction,
      signature: bs58.encode(transaction.signatures[0]),
      version: message.version,
      accountKeys: [...staticKeys, ...loadedAddresses.writable, ...loadedAddresses.readonly].filter((key) => key !== ""),
      loadedAddresses,
    };
  }

  /** Whether every signature verifies against its signer's key. */
  verifySignatures(decoded: DecodedTransaction): boolean {
    const message = decoded.transaction.message.serialize();
    return decoded.transaction.signatures.every((signature, index) => {
      const key = createPublicKey({
        key: Buffer.concat([ED25519_SPKI_PREFIX, decoded.transaction.message.staticAccountKeys[index].toBuffer()]),
        format: "der",
        type: "spki",
      });
      return verify(null, message, key, signature);
    });
  }

  /** Runs a transaction without committing it. */
  simulate(decoded: DecodedTransaction, options: { sigVerify: boolean }): Simulation {
    const result = ((): ReturnType<LiteSVM["simulateTransaction"]> => {
      this.svm.withSigverify(options.sigVerify);
      try {
        return this.svm.simulateTransaction(kitTransaction(decoded));
      } finally {
        this.svm.withSigverify(true);
      }
    })();
    const failed = isFailed(result);
    const meta = result.meta();
    const postAccounts = new Map<string, AccountView>();
    if (!failed) {
      for (const account of result.postAccounts()) {
        postAccounts.set(account.address, {
          lamports: account.lamports,
          owner: account.programAddress,
          data: account.data as Uint8Array,
          executable: account.executable,
        });
      }
    }
    return {
      err: failed ? transactionErrorJson(result.err()) : null,
      logs: meta.logs(),
      unitsConsumed: Number(meta.computeUnitsConsumed()),
      returnData: returnDataJson(meta),
      innerInstructions: innerInstructionsOf(meta),
      postAccounts,
    };
  }

  /**
   * Executes a decoded (and already checked) transaction and records it, unless the runtime
   * refused it before charging the fee (then it is returned but not on the ledger).
   */
  execute(decoded: DecodedTransaction): TransactionRecord {
    const keys = decoded.accountKeys;
    const preBalances = keys.map((key) => Number(this.balance(key)));
    const preTokenBalances = this.tokenBalances(keys);
    const result = this.svm.sendTransaction(kitTransaction(decoded));
    const failed = isFailed(result);
    const meta = failed ? result.meta() : result;
    const record: TransactionRecord = {
      signature: decoded.signature,
      sequence: -1,
      slot: this.slot,
      blockTime: this.unixTimestamp,
      decoded,
      err: failed ? transactionErrorJson(result.err()) : null,
      logs: meta.logs(),
      fee: Number(this.fee(decoded)),
      preBalances,
      postBalances: keys.map((key) => Number(this.balance(key))),
      preTokenBalances,
      postTokenBalances: this.tokenBalances(keys),
      innerInstructions: innerInstructionsOf(meta),
      computeUnitsConsumed: Number(meta.computeUnitsConsumed()),
      returnData: returnDataJson(meta),
    };
    // A transaction refused before execution (blockhash, fee payer, duplicate) is not on the
    // ledger: the fee payer's balance did not move.
    if (failed && preBalances[0] === record.postBalances[0]) return record;
    this.remember(record);
    return record;
  }

  /** Sends `lamports` from the faucet to `recipient` in a real, recorded transfer. */
  airdrop(recipient: PublicKey, lamports: bigint): TransactionRecord {
    // Identical airdrops in one slot would share a signature: use an older recent blockhash.
    for (let age = 0; age < MAX_BLOCKHASH_AGE; age++) {
      const transaction = new Transaction({
        feePayer: this.faucet.publicKey,
        blockhash: this.blockhash(Math.max(0, this.slot - age)),
        lastValidBlockHeight: 0,
      }).add(SystemProgram.transfer({ fromPubkey: this.faucet.publicKey, toPubkey: recipient, lamports }));
      transaction.sign(this.faucet);
      const decoded = this.decode(transaction.serialize());
      if (this.ledger.has(decoded.signature)) continue;
      return this.execute(decoded);
    }
    throw new RpcError(-32603, "airdrop request failed: too many identical airdrops, retry in a moment");
  }

  /** The fee of a transaction (see `transactionFee`). */
  fee(decoded: DecodedTransaction): bigint {
    return transactionFee(decoded);
  }

  private remember(record: TransactionRecord): void {
    this.transactionCount += 1;
    record.sequence = this.ledger.sequence();
    this.ledger.add(record);
    const listeners = this.listeners.get(record.signature);
    if (listeners) {
      this.listeners.delete(record.signature);
      for (const listener of listeners) listener(record);
    }
    for (const listener of this.commitListeners) listener(record);
  }

  /** SPL Token (and Token-2022) balances among `keys`, as in a transaction's meta. */
  private tokenBalances(keys: string[]): TokenBalance[] {
    const balances: TokenBalance[] = [];
    keys.forEach((key, accountIndex) => {
      const account = this.account(key);
      const parsed = account && this.tokenAccount(account);
      if (parsed) balances.push({ accountIndex, ...parsed, programId: account.owner });
    });
    return balances;
  }

  /** Mint, owner and amount of an SPL token account, or null if `account` is not one. */
  tokenAccount(account: AccountView): { mint: string; owner: string; uiTokenAmount: UiTokenAmount } | null {
    if (account.owner !== TOKEN_PROGRAM && account.owner !== TOKEN_2022_PROGRAM) return null;
    const data = Buffer.from(account.data);
    // A token account is 165 bytes; Token-2022 accounts with extensions mark byte 165 with 2.
    if (data.length < 165 || (data.length > 165 && data[165] !== 2)) return null;
    const mint = bs58.encode(data.subarray(0, 32));
    const mintAccount = this.account(mint);
    if (!mintAccount || mintAccount.data.length < 82) return null;
    return {
      mint,
      owner: bs58.encode(data.subarray(32, 64)),
      uiTokenAmount: uiTokenAmount(data.readBigUInt64LE(64), mintAccount.data[44]),
    };
  }
}

/** A raw token amount with its decimal rendering, as the RPC reports it. */
export function uiTokenAmount(amount: bigint, decimals: number): UiTokenAmount {
  const digits = amount.toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, "");
  const uiAmountString = fraction ? `${whole}.${fraction}` : whole;
  return { amount: amount.toString(), decimals, uiAmount: Number(uiAmountString), uiAmountString };
}

function address(key: string): Address {
  return key as Address;
}

function isFailed<T>(result: T | FailedTransactionMetadata): result is FailedTransactionMetadata {
  return typeof (result as FailedTransactionMetadata).err === "function";
}

/** LiteSVM's `Transaction`: the message bytes and each signer's signature, in order. */
function kitTransaction(decoded: DecodedTransaction): KitTransaction {
  const signatures: Record<string, Uint8Array> = {};
  decoded.transaction.signatures.forEach((signature, index) => {
    signatures[decoded.transaction.message.staticAccountKeys[index].toBase58()] = signature;
  });
  const messageBytes = decoded.wire.subarray(decoded.wire.length - decoded.transaction.message.serialize().length);
  return { messageBytes, signatures } as unknown as KitTransaction;
}

/**
 * The fee a validator charges: 5000 lamports per signature (the transaction's and those its
 * signature-verification precompile instructions check) plus the prioritization fee
 * (compute-unit price x limit).
 */
function transactionFee(decoded: DecodedTransaction): bigint {
  const { message } = decoded.transaction;
  let signatures = BigInt(message.header.numRequiredSignatures);
  for (const instruction of message.compiledInstructions) {
    const program = decoded.accountKeys[instruction.programIdIndex];
    if (SIGNATURE_PRECOMPILES.has(program)) signatures += BigInt(instruction.data[0] ?? 0);
  }
  const { price, limit } = computeBudget(decoded);
  const priority = (price * limit + 999_999n) / 1_000_000n;
  return signatures * LAMPORTS_PER_SIGNATURE + priority;
}

/**
 * The compute-unit price (micro-lamports) and limit a transaction requested through the
 * Compute Budget program; without a limit, 200,000 units per other instruction (at most 1.4M).
 */
export function computeBudget(decoded: DecodedTransaction): { price: bigint; limit: bigint } {
  let price = 0n;
  let limit: bigint | null = null;
  let otherInstructions = 0n;
  for (const instruction of decoded.transaction.message.compiledInstructions) {
    const data = Buffer.from(instruction.data);
    if (decoded.accountKeys[instruction.programIdIndex] === COMPUTE_BUDGET_PROGRAM) {
      if (data[0] === 2 && data.length >= 5) limit = BigInt(data.readUInt32LE(1));
      if (data[0] === 3 && data.length >= 9) price = data.readBigUInt64LE(1);
    } else {
      otherInstructions += 1n;
    }
  }
  return { price, limit: limit ?? (otherInstructions * 200_000n > 1_400_000n ? 1_400_000n : otherInstructions * 200_000n) };
}

function returnDataJson(meta: TransactionMetadata): TransactionRecord["returnData"] {
  const returnData = meta.returnData();
  const data = returnData.data();
  if (data.length === 0) return null;
  return { programId: bs58.encode(returnData.programId()), data: [Buffer.from(data).toString("base64"), "base64"] };
}
