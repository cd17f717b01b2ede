/**
 * The localnet's memory of processed transactions, indexed the ways the RPC asks for them:
 * by signature (getTransaction, getSignatureStatuses), by address, newest first
 * (getSignaturesForAddress) and by slot (getBlock). Bounded: it keeps the last `capacity`
 * transactions and forgets the oldest first, from every index at once. Every lookup is O(1)
 * or O(log n); forgetting is O(keys of the forgotten transaction).
 */
import type { TransactionRecord } from "./chain";

/** The records of one address (or one slot), oldest first; drops from the front in O(1). */
class RecordQueue {
  private items: TransactionRecord[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  /** The i-th record, oldest first. */
  at(index: number): TransactionRecord {
    return this.items[this.head + index];
  }

  push(record: TransactionRecord): void {
    this.items.push(record);
  }

  /** Drops the oldest record if it is `record` (the ledger forgets in processing order). */
  dropOldest(record: TransactionRecord): void {
    if (this.items[this.head] !== record) return;
    this.items[this.head] = undefined as unknown as TransactionRecord;
    this.head += 1;
    // Compact once the dropped prefix outweighs the live part, so memory follows the size.
    if (this.head > 32 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** How many records have a sequence number below `sequence` (binary search). */
  countBefore(sequence: number): number {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.at(middle).sequence < sequence) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  toArray(): TransactionRecord[] {
    return this.items.slice(this.head);
  }
}

export interface SignaturesQuery {
  /** Start strictly before this signature (newest first); an unknown one yields nothing. */
  before?: string;
  /** Stop at (excluding) this signature. */
  until?: string;
  limit: number;
}

export class Ledger {
  private readonly bySignature = new Map<string, TransactionRecord>();
  private readonly byAddress = new Map<string, RecordQueue>();
  private readonly bySlot = new Map<number, RecordQueue>();
  /** Processing order: the oldest record first, to forget it. */
  private readonly order = new RecordQueue();
  private nextSequence = 0;
  /** The first slot whose transactions are all still remembered. */
  firstCompleteSlot = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.bySignature.size;
  }

  /** A sequence number for the next record (orders records within a slot). */
  sequence(): number {
    return this.nextSequence++;
  }

  get(signature: string): TransactionRecord | undefined {
    return this.bySignature.get(signature);
  }

  has(signature: string): boolean {
    return this.bySignature.has(signature);
  }

  add(record: TransactionRecord): void {
    this.bySignature.set(record.signature, record);
    this.order.push(record);
    for (const key of new Set(record.decoded.accountKeys)) queueOf(this.byAddress, key).push(record);
    queueOf(this.bySlot, record.slot).push(record);
    if (this.bySignature.size > this.capacity) this.forgetOldest();
  }

  /** The slot of the oldest transaction still remembered (null when none is). */
  get oldestSlot(): number | null {
    return this.order.size === 0 ? null : this.order.at(0).slot;
  }

  /** Transactions of `slot`, in processing order. */
  block(slot: number): TransactionRecord[] {
    return this.bySlot.get(slot)?.toArray() ?? [];
  }

  /** Transactions that referenced `address`, newest first (getSignaturesForAddress). */
  signaturesFor(address: string, query: SignaturesQuery): TransactionRecord[] {
    const queue = this.byAddress.get(address);
    if (!queue) return [];
    let end = queue.size;
    if (query.before !== undefined) {
      const before = this.bySignature.get(query.before);
      if (!before) return [];
      end = queue.countBefore(before.sequence);
    }
    const until = query.until === undefined ? undefined : this.bySignature.get(query.until);
    const result: TransactionRecord[] = [];
    for (let index = end - 1; index >= 0 && result.length < query.limit; index--) {
      const record = queue.at(index);
      if (until && record.sequence <= until.sequence) break;
      result.push(record);
    }
    return result;
  }

  private forgetOldest(): void {
    const oldest = this.order.at(0);
    this.order.dropOldest(oldest);
    this.firstCompleteSlot = Math.max(this.firstCompleteSlot, oldest.slot + 1);
    this.bySignature.delete(oldest.signature);
    for (const key of new Set(oldest.decoded.accountKeys)) dropFrom(this.byAddress, key, oldest);
    dropFrom(this.bySlot, oldest.slot, oldest);
  }
}

function queueOf<K>(map: Map<K, RecordQueue>, key: K): RecordQueue {
  let queue = map.get(key);
  if (!queue) {
    queue = new RecordQueue();
    map.set(key, queue);
  }
  return queue;
}

function dropFrom<K>(map: Map<K, RecordQueue>, key: K, record: TransactionRecord): void {
  const queue = map.get(key);
  if (!queue) return;
  queue.dropOldest(record);
  if (queue.size === 0) map.delete(key);
}
