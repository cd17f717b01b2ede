/**
 * The Media Scan indexer: catches up with the four programs' history over JSON-RPC
 * (`getSignaturesForAddress` paged with `before`, down to the stored cursor, then
 * `getTransaction` oldest first) and follows them with `logsSubscribe` (one subscription per
 * program, each notification starting a catch-up of that program, so the follow path shares
 * the catch-up's ordering and gap-free cursor). Each transaction's events and the program's
 * cursor are written in one database transaction; rows are keyed by (signature, event index),
 * so a crash between the two, or a transaction mentioned by several programs, writes nothing twice.
 * The derived tables (scan/totals.ts) are written in that same transaction, from the rows it wrote.
 */
import { type ConfirmedSignatureInfo, Connection, PublicKey } from "@solana/web3.js";
import { type Invocation, type MediaProgramIds, resolveProgramIds, transactionInvocations } from "../sdk/src";
import type { ScanDatabase } from "./database";
import { type DecodedEvent, MediaEventDecoder, PROGRAM_NAMES, type ProgramName } from "./decode";
import { LogsFollower, defaultWsUrl } from "./follow";
import { SCHEMA, refreshReceiptContext } from "./schema";
import { type ChainSnapshot, indexedOperators, readAllocations, readOperatorRuns, readSnapshot, writeSnapshot } from "./snapshot";
import { ESCROW_EVENTS, asCtes, dayOf, escrowFeePayersStatement, eventTotalsStatements, transactionTotalsStatement } from "./totals";

export interface IndexerOptions {
  rpc: string;
  /** The websocket endpoint for `logsSubscribe` (default: web3.js's, the RPC port + 1). */
  ws?: string;
  database: ScanDatabase;
  programIds?: Partial<MediaProgramIds>;
  /** Signatures per `getSignaturesForAddress` page (at most 1000). */
  pageSize?: number;
  /** Where progress lines go (default: nowhere). */
  log?: (line: string) => void;
  /** Transactions fetched at once while catching up (default 16). */
  fetchWindow?: number;
  /** Called after each transaction is written (a window at a time): a test stops the indexer here to simulate a crash. */
  afterTransaction?: (signature: string) => void | Promise<void>;
  /** Read the mint's supply, the clock and the quota parameters before each pass (default true; see snapshot.ts). */
  snapshots?: boolean;
  /** Called after each pass's snapshot is read, before the pass lists anything: a test lands a transaction here, in the snapshot's slot. */
  afterSnapshotRead?: (snapshot: ChainSnapshot) => void | Promise<void>;
}

/**
 * A transaction as the RPC returns it, reduced to what the indexer reads: where the catch-up
 * path and a replay (scripts/scan-bench.ts) hand transactions to the same decode and write code.
 */
export interface SourceTransaction {
  signature: string;
  slot: number;
  blockTime: number | null;
  failed: boolean;
  /** The first account key, who paid the fee. */
  feePayer: string | null;
  /** `meta.logMessages`. */
  logs: readonly string[];
  /** Its invocations (the SDK's `transactionInvocations`): events are made whole from them. */
  invocations: readonly Invocation[];
}

interface FetchedTransaction {
  signature: string;
  slot: number;
  blockTime: number | null;
  failed: boolean;
  /** Who paid the fee (the first account key): links a consumer's escrow to whoever paid for it. */
  feePayer: string | null;
  /** Already in the database (indexed through another program's history). */
  known: boolean;
  events: DecodedEvent[];
}

export interface CatchUpReport {
  transactions: number;
  events: number;
  seconds: number;
}

/** One pass bounded by its snapshot's slot: what it wrote, and what it found past that slot. */
interface PassReport extends CatchUpReport {
  /** The oldest and newest slot of the transactions listed past the bound, left for a later pass (null: none). */
  left: { oldest: number; newest: number } | null;
  /** The newest slot the index held before the pass (null: empty). */
  indexedThrough: number | null;
}

/** The indexer stopped while catching up (Ctrl-C, or `stop()`); what it wrote stays. */
export class IndexerStoppedError extends Error {
  override name = "IndexerStoppedError";
}

/** Creates the schema (idempotent) on `database`. */
export async function migrate(database: ScanDatabase): Promise<void> {
  await database.exec(SCHEMA);
}

export class Indexer {
  readonly connection: Connection;
  readonly programIds: MediaProgramIds;
  private readonly decoder: MediaEventDecoder;
  private readonly database: ScanDatabase;
  private readonly pageSize: number;
  private readonly fetchWindow: number;
  private readonly log: (line: string) => void;
  private stopped = false;
  private migrated = false;
  private follower: LogsFollower | undefined;
  /** One catch-up at a time; notifications that arrive meanwhile ask for one more pass. */
  private running: Promise<CatchUpReport> | undefined;
  private again = false;
  private followErrors: Error[] = [];

  constructor(private readonly options: IndexerOptions) {
    this.connection = new Connection(options.rpc, { commitment: "confirmed", fetch: retryingFetch });
    this.programIds = resolveProgramIds({ programIds: options.programIds });
    this.decoder = new MediaEventDecoder(this.programIds);
    this.database = options.database;
    this.pageSize = Math.min(Math.max(options.pageSize ?? 1000, 1), 1000);
    this.log = options.log ?? (() => {});
    this.fetchWindow = Math.max(options.fetchWindow ?? 16, 1);
  }

  /** Indexes every transaction not yet indexed, program by program, oldest first. */
  catchUp(): Promise<CatchUpReport> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      const total: CatchUpReport = { transactions: 0, events: 0, seconds: 0 };
      try {
        do {
          this.again = false;
          const deployer = await this.deployer();
          const operators = this.options.snapshots === false ? [] : await this.operators();
          const snapshot = this.options.snapshots === false ? undefined : await this.readClaimableSnapshot(deployer, operators);
          if (snapshot) await this.options.afterSnapshotRead?.(snapshot);
          const pass = await this.catchUpOnce(snapshot?.slot);
          // The first pass indexes genesis itself: only then is the deployer, whose accounts hold
          // the allocations, known (their balances are read just after the snapshot's slot).
          const found = deployer ?? (await this.deployer());
          if (snapshot?.mediaMint && !deployer && found) {
            snapshot.allocations = await readAllocations(this.connection, new PublicKey(snapshot.mediaMint), this.programIds, found);
          }
          // Operators the pass found: their runs too (read just after the snapshot's slot, as above).
          if (snapshot) {
            const known = new Set(operators.map((operator) => operator.toBase58()));
            const opened = (await this.operators()).filter((operator) => !known.has(operator.toBase58()));
            Object.assign(snapshot.operatorRuns, await readOperatorRuns(this.connection, this.programIds, opened, snapshot));
          }
          // Written after the pass: a snapshot at slot S says every transaction up to S is indexed.
          if (snapshot && claims(snapshot, pass)) await writeSnapshot(this.database, snapshot);
          // Transactions past the claimable slot (left by the pass, or indexed before it) need a
          // later snapshot. It can only cover them once their slot is complete: on a node whose
          // reads answer in the open slot (the localnet), reading again before it closes would
          // leave them out again.
          const uncovered = Math.max(pass.left?.newest ?? -1, pass.indexedThrough ?? -1);
          if (snapshot && uncovered > snapshot.slot) {
            this.again = true;
            await this.slotPast(uncovered);
          }
          total.transactions += pass.transactions;
          total.events += pass.events;
          total.seconds += pass.seconds;
        } while (this.again && !this.stopped);
        return total;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /**
   * Who ran genesis: the authority staking's `ConfigInitialized` names (its named token accounts
   * hold the genesis allocations). Null until that event is indexed.
   */
  private async deployer(): Promise<PublicKey | null> {
    if (!this.migrated) return null;
    const [row] = await this.database.query<{ authority: string }>(
      "select data->>'authority' as authority from events where name = 'ConfigInitialized' and data ? 'media_mint' and data ? 'min_stake' order by slot, id limit 1",
    );
    return row?.authority ? new PublicKey(row.authority) : null;
  }

  /**
   * The chain snapshot, with `slot` set to the newest slot it can speak for: one that was
   * complete before the first read, so no transaction can still land in it. At "confirmed" a
   * validator answers at a complete slot (votes confirm frozen banks), behind the slot it works
   * in; but the localnet, and any node answering at "processed", answers in the slot it is still filling:
   * a transaction landing later in that slot would be indexed by the pass while the supply
   * read before it predates it. So the claim is at most the slot before the node's working
   * slot as it stood before the reads. The pass then indexes only up to that slot (`claims`
   * says when the reads saw nothing past it).
   */
  private async readClaimableSnapshot(deployer: PublicKey | null, operators: PublicKey[]): Promise<ChainSnapshot> {
    const working = await this.connection.getSlot("processed");
    const snapshot = await readSnapshot(this.connection, this.programIds, deployer, operators);
    snapshot.slot = Math.min(snapshot.readSlots.first, working - 1);
    return snapshot;
  }

  /** Waits until the node works in a slot after `slot` (the slot is then complete), or the indexer stops. */
  private async slotPast(slot: number): Promise<void> {
    // Polled: a slot lasts 400 ms, and the catch-up path has no subscription of its own to wait on.
    while (!this.stopped && (await this.connection.getSlot("processed")) <= slot) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The operators that opened a pool, as indexed so far (none before the first pass). */
  private async operators(): Promise<PublicKey[]> {
    return this.migrated ? indexedOperators(this.database) : [];
  }

  /** Indexes the new transactions up to slot `bound` (all of them without one), oldest first. */
  private async catchUpOnce(bound = Number.POSITIVE_INFINITY): Promise<PassReport> {
    if (!this.migrated) {
      await migrate(this.database);
      this.migrated = true;
    }
    const started = Date.now();
    const [{ slot: indexedThrough }] = await this.database.query<{ slot: string | null }>("select max(slot)::text as slot from cursors");
    const pending: { program: ProgramName; signatures: ConfirmedSignatureInfo[] }[] = [];
    /** The oldest and the newest slot each program lists past the bound. */
    const pastSlots: number[] = [];
    for (const program of PROGRAM_NAMES) {
      const listed = await this.newSignatures(program);
      // Oldest first, so those within the bound are a prefix; the cursor stops before the rest.
      const within = listed.filter((info) => info.slot <= bound);
      if (listed.length > within.length) pastSlots.push(listed[within.length].slot, listed[listed.length - 1].slot);
      pending.push({ program, signatures: within });
    }
    const left = pastSlots.length ? { oldest: Math.min(...pastSlots), newest: Math.max(...pastSlots) } : null;
    const count = pending.reduce((sum, { signatures }) => sum + signatures.length, 0);
    if (count > 0) this.log(`catching up: ${count} signatures to read across ${pending.filter((p) => p.signatures.length).length} programs`);
    let done = 0;
    let events = 0;
    let lastLine = Date.now();
    for (const { program, signatures } of pending) {
      // Fetch a window of transactions at once (the RPC round trip dominates), write them in order.
      for (let start = 0; start < signatures.length; start += this.fetchWindow) {
        const window = signatures.slice(start, start + this.fetchWindow);
        const known = await this.knownSignatures(window.map((info) => info.signature));
        const fetched = await Promise.all(window.map((info) => this.fetchTransaction(program, info, known.has(info.signature))));
        if (this.stopped) throw new IndexerStoppedError(`stopped after ${done} of ${count} signatures; run again to resume`);
        events += await this.writeTransactions(program, fetched);
        for (const transaction of fetched) {
          done += 1;
          await this.options.afterTransaction?.(transaction.signature);
        }
        if (Date.now() - lastLine >= 1000 || done === count) {
          const seconds = (Date.now() - started) / 1000;
          this.log(`${done} of ${count} signatures, ${events} events, ${(events / Math.max(seconds, 0.001)).toFixed(1)} events/s`);
          lastLine = Date.now();
        }
      }
    }
    return {
      transactions: done,
      events,
      seconds: (Date.now() - started) / 1000,
      left,
      indexedThrough: indexedThrough === null ? null : Number(indexedThrough),
    };
  }

  /** The program's signatures newer than its cursor, oldest first. */
  private async newSignatures(program: ProgramName): Promise<ConfirmedSignatureInfo[]> {
    const [cursor] = await this.database.query<{ signature: string }>("select signature from cursors where program = $1", [program]);
    const newestFirst: ConfirmedSignatureInfo[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await this.connection.getSignaturesForAddress(
        this.programIds[program],
        { before, until: cursor?.signature, limit: this.pageSize },
        "confirmed",
      );
      newestFirst.push(...page);
      if (page.length < this.pageSize) break;
      before = page[page.length - 1].signature;
    }
    return newestFirst.reverse();
  }

  /** Which of `signatures` are already indexed (read through another program's history, or before a crash). */
  private async knownSignatures(signatures: string[]): Promise<Set<string>> {
    // A join on the array, not `= any($1)`: the planner then probes the key for each one
    // instead of reading the whole table once a window is a noticeable share of it.
    const rows = await this.database.query<{ signature: string }>(
      "select t.signature from unnest($1::text[]) as s (signature) join transactions t on t.signature = s.signature",
      [signatures],
    );
    return new Set(rows.map((row) => row.signature));
  }

  /** The transaction's events, unless it is already indexed (then `known`) or failed (none). */
  private async fetchTransaction(program: ProgramName, info: ConfirmedSignatureInfo, known: boolean): Promise<FetchedTransaction> {
    const listed = {
      signature: info.signature,
      slot: info.slot,
      blockTime: info.blockTime ?? null,
      failed: info.err !== null,
      feePayer: null,
      logs: [],
      invocations: [],
    };
    if (known) return { ...listed, known: true, events: [] };
    if (listed.failed) return this.decoded(listed);
    const transaction = await this.connection.getTransaction(info.signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    if (!transaction)
      throw new Error(
        `the RPC lists ${info.signature} for ${program} but getTransaction returns nothing: is it pruning history? Point --rpc at a node that keeps it`,
      );
    return this.decoded({
      signature: info.signature,
      slot: transaction.slot,
      blockTime: transaction.blockTime ?? listed.blockTime,
      failed: transaction.meta?.err != null,
      feePayer: transaction.transaction.message.staticAccountKeys[0]?.toBase58() ?? null,
      logs: transaction.meta?.logMessages ?? [],
      invocations: transactionInvocations(transaction),
    });
  }

  private decoded(source: SourceTransaction): FetchedTransaction {
    const { signature, slot, blockTime, failed, feePayer, logs, invocations } = source;
    return { signature, slot, blockTime, failed, feePayer, known: false, events: failed ? [] : this.decoder.decode(logs, invocations) };
  }

  /**
   * Decodes and writes `transactions` (oldest first, all from `program`'s history) exactly as a
   * catch-up window is written: already indexed ones are skipped, and `program`'s cursor moves
   * to the last. Returns the events written. The catch-up path's own write step, for callers
   * that already hold the transactions (a replay that measures the write path without an RPC).
   */
  async ingest(program: ProgramName, transactions: SourceTransaction[]): Promise<number> {
    if (!transactions.length) return 0;
    if (!this.migrated) {
      await migrate(this.database);
      this.migrated = true;
    }
    const known = await this.knownSignatures(transactions.map((transaction) => transaction.signature));
    return this.writeTransactions(
      program,
      transactions.map((transaction) =>
        known.has(transaction.signature) ? { ...this.decoded(transaction), known: true, events: [] } : this.decoded(transaction),
      ),
    );
  }

  /**
   * Writes a window of transactions (oldest first) and moves `program`'s cursor to the last,
   * in one database transaction; returns the events written.
   */
  private async writeTransactions(program: ProgramName, transactions: FetchedTransaction[]): Promise<number> {
    const fresh = transactions.filter((transaction) => !transaction.known);
    const rows = fresh.flatMap(({ signature, slot, blockTime, events }) =>
      events.map((event) => [signature, slot, blockTime, event.program, event.instructionIndex, event.eventIndex, event.name, JSON.stringify(event.data)]),
    );
    const last = transactions[transactions.length - 1];
    await this.database.transaction(async (db) => {
      if (rows.length) {
        // One array per column: a fixed statement whatever the window's size, cheaper to parse than a VALUES list.
        // The event totals add exactly the rows this insert wrote (none for an event already stored).
        await db.query(
          `with added as (
             insert into events (signature, slot, block_time, program, instruction_index, event_index, name, data)
             select * from unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::integer[], $6::integer[], $7::text[], $8::jsonb[])
             on conflict (signature, event_index) do nothing
             returning *),
           written as (select a.*, ${dayOf("a")} as day from added a),
           ${asCtes(eventTotalsStatements("written"), "totals")}
           select count(*) from added`,
          columns(rows, 8),
        );
        await refreshReceiptContext(
          db,
          fresh.flatMap(({ signature, events }) => events.map((event) => ({ signature, name: event.name, data: event.data }))),
        );
      }
      if (fresh.length) {
        await db.query(
          `with added as (
             insert into transactions (signature, slot, block_time, failed, event_count, fee_payer)
             select * from unnest($1::text[], $2::bigint[], $3::bigint[], $4::boolean[], $5::integer[], $6::text[])
             on conflict (signature) do nothing
             returning *)
           ${transactionTotalsStatement("added")}`,
          columns(
            fresh.map(({ signature, slot, blockTime, failed, events, feePayer }) => [signature, slot, blockTime, failed, events.length, feePayer]),
            6,
          ),
        );
        // Escrow openings and deposits with who paid for them: now that both rows are written.
        const escrowSignatures = fresh.filter(({ events }) => events.some((event) => ESCROW_EVENTS.includes(event.name))).map(({ signature }) => signature);
        if (escrowSignatures.length) await db.query(escrowFeePayersStatement("e.signature = any($1::text[])"), [escrowSignatures]);
      }
      await db.query(
        `insert into cursors (program, program_id, signature, slot) values ($1, $2, $3, $4)
         on conflict (program) do update set signature = excluded.signature, slot = excluded.slot, updated_at = now()`,
        [program, this.programIds[program].toBase58(), last.signature, last.slot],
      );
    });
    return rows.length;
  }

  /**
   * Catches up, then follows: subscribes to the logs that mention each program (before the
   * first catch-up, so nothing lands between the two) and catches up on every notification.
   */
  async follow(): Promise<CatchUpReport> {
    this.follower = new LogsFollower({
      ws: this.options.ws ?? defaultWsUrl(this.options.rpc),
      programs: PROGRAM_NAMES.map((program) => this.programIds[program]),
      onActivity: () => {
        if (this.stopped) return;
        this.catchUp().catch((error: Error) => this.followError(error));
      },
      onError: (error) => this.followError(error),
    });
    await this.follower.start();
    return this.catchUp();
  }

  private followError(error: Error): void {
    if (error instanceof IndexerStoppedError || this.stopped) return;
    this.followErrors.push(error);
    this.log(`follow: ${error.message}`);
  }

  /** Errors met while following (a test asserts there are none). */
  errors(): readonly Error[] {
    return this.followErrors;
  }

  /** Whether a catch-up is running (or asked for). */
  busy(): boolean {
    return this.running !== undefined;
  }

  /** Stops following and any catch-up after its current transaction; waits for it to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.follower?.stop();
    this.follower = undefined;
    await this.running?.catch(() => undefined);
  }
}

/**
 * Whether `snapshot` may be stored as "every transaction up to its slot S is indexed, and its
 * figures are as of S" after `pass`: the pass indexed every transaction up to S (S was complete
 * before the reads, and the pass listed after them) and none after; the index held none after
 * S before it; and none of the transactions it left lies at or below the last slot the reads
 * were answered at, so the reads saw none of them (a transaction in such a slot may have run
 * before a read, its effect in the figures but its events not indexed). A slot below 0 claims
 * nothing.
 */
function claims(snapshot: ChainSnapshot, pass: PassReport): boolean {
  if (snapshot.slot < 0 || (pass.indexedThrough ?? -1) > snapshot.slot) return false;
  return pass.left === null || pass.left.oldest > snapshot.readSlots.last;
}

/** `rows` as one array per column, for `unnest`. */
function columns(rows: unknown[][], count: number): unknown[][] {
  return Array.from({ length: count }, (_, column) => rows.map((row) => row[column]));
}

const TRANSIENT = /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up|fetch failed|429|502|503|504/;

/**
 * `fetch` that retries a request the network dropped (a reset keep-alive socket, a busy node's
 * 429/5xx) a few times with a growing pause: every RPC call the indexer makes is a read, so
 * repeating one is safe, and a long catch-up should not die on one dropped connection.
 */
async function retryingFetch(input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(input, init);
      if (attempt < 5 && [429, 502, 503, 504].includes(response.status)) throw new Error(String(response.status));
      return response;
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause;
      const text = `${(error as Error).message} ${cause?.message ?? ""} ${(cause as { code?: string } | undefined)?.code ?? ""}`;
      if (attempt >= 5 || !TRANSIENT.test(text)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}
