import type { Provider } from "@coral-xyz/anchor";
import { BandwidthClient } from "./clients/bandwidth";
import { GovernanceClient } from "./clients/governance";
import { StakingClient } from "./clients/staking";
import { TreasuryClient } from "./clients/treasury";
import { type MediaEventInContext, type MediaEventName, type SubscribeOptions, type Unsubscribe, parseMediaEvents, subscribeMediaEvents } from "./events";
import { type MediaTransactionEvent, type TransactionSource, parseTransactionEvents } from "./transaction-events";
import { type ContributorsReport, type MediaScanOptions, type MediaScanReport, mediaScan, mediaScanContributors } from "./scan";
import { type MediaProgramIds, type MediaProgramIdsOptions, type MediaPrograms, mediaPrograms, resolveProgramIds } from "./programs";

/** Which deployment a `MediaEconomy` talks to (see `MediaProgramIdsOptions`). */
export type MediaEconomyOptions = MediaProgramIdsOptions;

/**
 * One entry point to the whole MEDIA economy over any Anchor `Provider`: an
 * `AnchorProvider` over RPC (devnet, mainnet, the project's localnet) or an in-process bank.
 *
 * ```ts
 * const economy = new MediaEconomy(provider);
 * await economy.staking.stake(mediaToBaseUnits("25"));
 * // A deployment of your own (`npm run keys:sync`): name its ids.
 * const mine = new MediaEconomy(provider, { programIds: { staking, bandwidth, treasury, governance } });
 * ```
 */
export class MediaEconomy {
  /** The Anchor `Program` of each MEDIA program, for anything the clients do not cover. */
  readonly programs: MediaPrograms;
  /** Staking: stake, unbond, withdraw, rewards, positions. */
  readonly staking: StakingClient;
  /** Bandwidth: providers, escrows, receipt settlement, quotas. */
  readonly bandwidth: BandwidthClient;
  /** Treasury: fee burns and buyback auctions. */
  readonly treasury: TreasuryClient;
  /** Governance: proposals, votes, execution. */
  readonly governance: GovernanceClient;

  /** The four programs' ids this economy talks to. */
  readonly programIds: MediaProgramIds;

  constructor(
    readonly provider: Provider,
    options: MediaEconomyOptions = {},
  ) {
    this.programIds = resolveProgramIds(options);
    this.programs = mediaPrograms(provider, this.programIds);
    this.staking = new StakingClient(this.programs.staking, this.programIds);
    this.bandwidth = new BandwidthClient(this.programs.bandwidth, this.programs.staking, this.programIds);
    this.treasury = new TreasuryClient(this.programs.treasury, this.programIds);
    this.governance = new GovernanceClient(this.programs.governance, this.programIds);
  }

  /**
   * Calls `callback` with every event named `name` (camelCase, e.g. `receiptSettled`, or `"*"`
   * for all) the four programs emit in successful transactions, over the provider connection's
   * logs subscription (`logsSubscribe`). Each event carries its program, transaction signature
   * and slot; integers are bigint. Returns the function that unsubscribes. Events come as
   * logged; `{ whole: true }` delivers them whole (see `SubscribeOptions`).
   *
   * ```ts
   * const stop = economy.onEvent("receiptSettled", (event) => console.log(event.data.amount));
   * const whole = economy.onEvent("staked", (event) => console.log(event.data.owner), { whole: true });
   * // ...
   * await stop();
   * ```
   */
  onEvent(name: MediaEventName | "*", callback: (event: MediaEventInContext) => void, options: SubscribeOptions = {}): Unsubscribe {
    return subscribeMediaEvents(this.provider.connection, this.programIds, name, callback, options);
  }

  /** The events of the four programs in a transaction's `logs` (see `parseMediaEvents`). */
  parseEvents(logs: string[], context: { signature?: string; slot?: number } = {}): MediaEventInContext[] {
    return parseMediaEvents(this.programIds, logs, context);
  }

  /**
   * The events of the four programs in a transaction, whole and with the instruction that
   * emitted each (see `parseTransactionEvents`): `getTransaction`'s answer, or its logs and
   * invocations.
   */
  parseTransactionEvents(transaction: TransactionSource): MediaTransactionEvent[] {
    return parseTransactionEvents(this.programIds, transaction);
  }

  /**
   * The events of the transaction `signature`, fetched at "confirmed" and read as
   * `parseTransactionEvents` reads them: what a logs subscriber (`onEvent`) calls for the
   * fields an event leaves to its instruction.
   *
   * ```ts
   * economy.onEvent("staked", async ({ signature }) => {
   *   for (const event of await economy.transactionEvents(signature)) {
   *     if (event.name === "staked") console.log(event.data.owner, event.data.amount);
   *   }
   * });
   * ```
   */
  async transactionEvents(signature: string): Promise<MediaTransactionEvent[]> {
    const transaction = await this.provider.connection.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    if (!transaction) {
      throw new Error(`the RPC node has no confirmed transaction ${signature}: wait for confirmation, or use a node that keeps its history`);
    }
    return parseTransactionEvents(this.programIds, transaction);
  }

  /** Media Scan: the network's totals at unix time `now` (see `mediaScan`). */
  scan(now: bigint, options: MediaScanOptions = {}): Promise<MediaScanReport> {
    return mediaScan(this.programs, now, options);
  }

  /** Media Scan's operators and delegations at unix time `now` (see `mediaScanContributors`). */
  scanContributors(now: bigint): Promise<ContributorsReport> {
    return mediaScanContributors(this.programs, now);
  }
}
