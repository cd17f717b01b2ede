/**
 * The websocket subscriptions of a validator's PubSub service: signature, account, program,
 * logs, slot and root. The chain calls back on every recorded transaction (accounts it wrote,
 * its logs) and on every slot advance; each subscription is found through an index keyed by
 * what it watches, so a notification costs O(matching subscriptions), not O(all).
 *
 * Every commitment is served at once: on this single node a processed transaction is final.
 * Notification shapes follow the validator's: `{context: {slot}, value}` for account,
 * program, logs and signature; `{parent, root, slot}` for slots; a bare slot for roots.
 */
import { type Chain, type TransactionRecord, invalidParams } from "./chain";
import { type Rpc, accountRenderer, arity, commitmentOf, configParam, filtersParam, pubkeyParam, signatureParam } from "./rpc";

/** Sends one notification of a subscription. */
export type Send = (method: string, result: unknown) => void;

export interface Subscription {
  id: number;
  cancel(): void;
}

interface Watcher {
  notify(record: TransactionRecord, key: string): void;
}

/** The subscribe methods and the notification each sends. */
export const SUBSCRIBE_METHODS = ["signatureSubscribe", "accountSubscribe", "programSubscribe", "logsSubscribe", "slotSubscribe", "rootSubscribe"] as const;
export type SubscribeMethod = (typeof SUBSCRIBE_METHODS)[number];

/** Every subscribe method's unsubscribe. A validator lets any of them cancel any id. */
export const UNSUBSCRIBE_METHODS = new Set(SUBSCRIBE_METHODS.map((method) => method.replace("Subscribe", "Unsubscribe")));

export function isSubscribeMethod(method: string): method is SubscribeMethod {
  return (SUBSCRIBE_METHODS as readonly string[]).includes(method);
}

export class PubSub {
  private nextId = 0;
  private readonly accounts = new Map<string, Set<Watcher>>();
  private readonly programs = new Map<string, Set<Watcher>>();
  private readonly logsAll = new Set<Watcher>();
  private readonly logsMentions = new Map<string, Set<Watcher>>();
  private readonly slots = new Set<(slot: number, parent: number) => void>();
  private readonly detach: (() => void)[];

  constructor(
    private readonly chain: Chain,
    private readonly rpc: Rpc,
  ) {
    this.detach = [chain.onCommit((record) => this.committed(record)), chain.onSlot((slot, parent) => this.advanced(slot, parent))];
  }

  /** Subscriptions currently held, across connections. */
  get size(): number {
    let count = this.logsAll.size + this.slots.size;
    for (const index of [this.accounts, this.programs, this.logsMentions]) for (const set of index.values()) count += set.size;
    return count;
  }

  close(): void {
    for (const detach of this.detach) detach();
  }

  /**
   * Validates `params` and starts a subscription; `send` delivers its notifications and
   * `ended` is called when it ends by itself (a signature subscription, once notified).
   */
  subscribe(method: SubscribeMethod, params: unknown, send: Send, ended: () => void): Subscription {
    if (params !== undefined && params !== null && !Array.isArray(params)) throw invalidParams("params must be an array");
    const list = (params as unknown[] | undefined) ?? [];
    this.chain.tick();
    const id = this.nextId++;
    switch (method) {
      case "signatureSubscribe":
        return { id, cancel: this.signature(list, send, ended) };
      case "accountSubscribe":
        return { id, cancel: this.account(list, send) };
      case "programSubscribe":
        return { id, cancel: this.program(list, send) };
      case "logsSubscribe":
        return { id, cancel: this.logs(list, send) };
      case "slotSubscribe":
      case "rootSubscribe":
        return { id, cancel: this.slot(list, method, send) };
    }
  }

  private signature(params: unknown[], send: Send, ended: () => void): () => void {
    arity(params, 2);
    const signature = signatureParam(params[0]);
    const config = configParam(params[1]);
    commitmentOf(config);
    if (config.enableReceivedNotification !== undefined && typeof config.enableReceivedNotification !== "boolean") {
      throw invalidParams("enableReceivedNotification must be a boolean");
    }
    let cancel: () => void = () => {};
    // Deliver after the subscription id has been sent, as a validator does.
    const timer = setImmediate(() => {
      cancel = this.chain.onSignature(signature, (record) => {
        send("signatureNotification", { context: { slot: record.slot }, value: { err: record.err } });
        ended();
      });
    });
    return () => {
      clearImmediate(timer);
      cancel();
    };
  }

  private account(params: unknown[], send: Send): () => void {
    arity(params, 2);
    const key = pubkeyParam(params[0]);
    const config = configParam(params[1]);
    commitmentOf(config);
    const render = accountRenderer(config, "binary", this.rpc.decimalsOf, "describe");
    return watch(this.accounts, key, {
      notify: (record) => {
        send("accountNotification", { context: { slot: record.slot }, value: render(this.chain.account(key) ?? closedAccount()) });
      },
    });
  }

  private program(params: unknown[], send: Send): () => void {
    arity(params, 2);
    const program = pubkeyParam(params[0]);
    const config = configParam(params[1]);
    commitmentOf(config);
    const filters = filtersParam(config.filters);
    const render = accountRenderer(config, "binary", this.rpc.decimalsOf, "describe");
    return watch(this.programs, program, {
      notify: (record, pubkey) => {
        const account = this.chain.account(pubkey);
        if (!account || !filters.every((filter) => filter(account.data))) return;
        send("programNotification", { context: { slot: record.slot }, value: { pubkey, account: render(account) } });
      },
    });
  }

  private logs(params: unknown[], send: Send): () => void {
    arity(params, 2);
    const filter = params[0];
    commitmentOf(configParam(params[1]));
    const watcher: Watcher = {
      notify: (record) => {
        send("logsNotification", {
          context: { slot: record.slot },
          value: { signature: record.signature, err: record.err, logs: record.logs },
        });
      },
    };
    // There are no vote transactions here: "all" and "allWithVotes" see the same ones.
    if (filter === "all" || filter === "allWithVotes") {
      this.logsAll.add(watcher);
      return () => this.logsAll.delete(watcher);
    }
    const mentions = typeof filter === "object" && filter !== null && !Array.isArray(filter) ? (filter as { mentions?: unknown }).mentions : undefined;
    if (!Array.isArray(mentions)) throw invalidParams('logsSubscribe filter must be "all", "allWithVotes" or {"mentions": [address]}');
    if (mentions.length !== 1) throw invalidParams("Invalid Request: Only 1 address supported");
    return watch(this.logsMentions, pubkeyParam(mentions[0]), watcher);
  }

  private slot(params: unknown[], method: "slotSubscribe" | "rootSubscribe", send: Send): () => void {
    arity(params, 0);
    // Every slot is rooted as soon as it is produced here.
    const listener =
      method === "slotSubscribe"
        ? (slot: number, parent: number) => send("slotNotification", { parent, root: slot, slot })
        : (slot: number) => send("rootNotification", slot);
    this.slots.add(listener);
    return () => this.slots.delete(listener);
  }

  private committed(record: TransactionRecord): void {
    for (const key of this.chain.writtenAccounts(record)) {
      for (const watcher of this.accounts.get(key) ?? []) watcher.notify(record, key);
      const owner = this.programs.size === 0 ? undefined : this.chain.account(key)?.owner;
      if (owner !== undefined) for (const watcher of this.programs.get(owner) ?? []) watcher.notify(record, key);
    }
    for (const watcher of this.logsAll) watcher.notify(record, "");
    if (this.logsMentions.size > 0) {
      for (const key of new Set(record.decoded.accountKeys)) {
        for (const watcher of this.logsMentions.get(key) ?? []) watcher.notify(record, key);
      }
    }
  }

  private advanced(slot: number, parent: number): void {
    for (const listener of this.slots) listener(slot, parent);
  }
}

/** A closed account, as a validator reports it to account subscribers. */
function closedAccount() {
  return { lamports: 0n, owner: "11111111111111111111111111111111", data: new Uint8Array(0), executable: false };
}

function watch(index: Map<string, Set<Watcher>>, key: string, watcher: Watcher): () => void {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(watcher);
  return () => {
    set.delete(watcher);
    if (set.size === 0 && index.get(key) === set) index.delete(key);
  };
}
