/**
 * What the client acceptance tests share: an economy set up on an in-process localnet (genesis
 * over RPC, as an operator runs it), funded wallets, the staking-and-receipt story's figures and
 * the events it must produce, and a watch on everything a client logs, so a test can prove that
 * no client fell into a retry loop.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { format } from "node:util";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAssociatedTokenAccount, transfer } from "@solana/spl-token";
import { type Connection, Keypair, PublicKey } from "@solana/web3.js";
import {
  BANDWIDTH_DEFAULTS,
  EVENT_FIELDS_FROM_INSTRUCTION,
  GIB,
  allocationAccount,
  escrowPda,
  feeSplit,
  minimumAmount,
  pascalCaseName,
  providerPda,
} from "../../../sdk/src";
import { type GenesisSummary, parseInitialPrice, runGenesis } from "../../../migrations/lib/genesis";
import { PRICES } from "../../utils/bandwidth";
import { runtimeName } from "../../utils/bank";
import { MEDIA, MIN_STAKE } from "../../utils/constants";
import type { LocalnetOptions } from "../../../localnet/server";
import { type RpcNet, airdropSol, externalRpcUrl, startRpc, testKeypair } from "../../utils/rpc";

/** The story's figures, in base units. */
export const STORY = {
  /** The operator stakes the minimum, which lets it register as a provider. */
  stake: MIN_STAKE,
  /** Its prices per GiB, recorded by the escrow opened with it. */
  prices: PRICES,
  /** The consumer escrows 10 MEDIA. */
  deposit: 10n * MEDIA,
  /** and signs a receipt for 1 GiB at the escrow's price. */
  bytes: GIB,
  amount: minimumAmount(GIB, PRICES.media),
} as const;

/** How the settlement of the story's receipt is split under the default fee parameters. */
export const SETTLEMENT = feeSplit(STORY.amount, BANDWIDTH_DEFAULTS.protocolFeeBps, BANDWIDTH_DEFAULTS.stakerShareBps, true);

/** The localnet with every config initialized by genesis, and the deployer who ran it. */
export interface StoryNet {
  net: RpcNet;
  /** The programs' upgrade authority: ran genesis, holds every config authority and the MEDIA mint. */
  authority: Keypair;
  genesis: GenesisSummary;
  mediaMint: PublicKey;
  treasuryMediaVault: PublicKey;
  stop(): Promise<void>;
}

/**
 * An in-process localnet on a free port, set up as an operator would: `runGenesis` over
 * JSON-RPC by the programs' upgrade authority, which keeps its authorities (and mints MEDIA).
 * `localnet` passes through to the localnet (a test that holds its clock, for instance).
 */
export async function startStoryNet(localnet: LocalnetOptions = {}): Promise<StoryNet> {
  const net = await startRpc(localnet);
  const keysDir = mkdtempSync(join(tmpdir(), "media-clients-"));
  try {
    const authority = testKeypair("authority");
    await airdropSol(net.connection, authority.publicKey, 100);
    const genesis = await runGenesis({ connection: net.connection, payer: authority, keysDir, initialPrice: parseInitialPrice("20"), keepAuthority: true });
    return {
      net,
      authority,
      genesis,
      mediaMint: new PublicKey(genesis.mediaMint),
      treasuryMediaVault: new PublicKey(genesis.treasury.mediaVault),
      stop: async () => {
        await net.stop();
        rmSync(keysDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await net.stop();
    rmSync(keysDir, { recursive: true, force: true });
    throw error;
  }
}

/** A wallet with 10 SOL from the faucet and `media` base units in its associated MEDIA account, from the deployer's "Community" allocation (the supply is fixed at genesis). */
export interface StoryWallet {
  keypair: Keypair;
  tokenAccount: PublicKey;
}

export async function fundedWallet(story: StoryNet, media: bigint): Promise<StoryWallet> {
  const { connection } = story.net;
  const keypair = Keypair.generate();
  await airdropSol(connection, keypair.publicKey, 10);
  const tokenAccount = await createAssociatedTokenAccount(connection, keypair, story.mediaMint, keypair.publicKey, { commitment: "confirmed" });
  if (media > 0n) {
    const community = await allocationAccount(story.authority.publicKey, story.mediaMint, { name: "Community", holder: "deployer" });
    await transfer(connection, story.authority, community, tokenAccount, story.authority, media, [], { commitment: "confirmed" });
  }
  return { keypair, tokenAccount };
}

/** The story's cast: an operator holding exactly the stake, and a consumer holding the deposit. */
export async function storyCast(story: StoryNet): Promise<{ operator: StoryWallet; consumer: StoryWallet; provider: PublicKey; escrow: PublicKey }> {
  const operator = await fundedWallet(story, STORY.stake);
  const consumer = await fundedWallet(story, STORY.deposit);
  const provider = providerPda(operator.keypair.publicKey);
  return { operator, consumer, provider, escrow: escrowPda(consumer.keypair.publicKey, provider, story.mediaMint) };
}

/** A decoded event, its fields as strings (base58 keys, decimal integers) so every client compares alike. */
export interface PlainEvent {
  name: string;
  data: Record<string, string>;
}

/** `{ name, data }` as Anchor's coder decodes it, with the name in the IDL's casing and fields as strings. */
export function plainEvent(event: { name: string; data: Record<string, unknown> }): PlainEvent {
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.data)) {
    // Anchor's coder camel-cases some paths and not others; compare on the IDL's snake_case.
    const field = key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    data[field] = value instanceof PublicKey ? value.toBase58() : String(value);
  }
  return { name: pascalCaseName(event.name), data };
}

/**
 * `events` as their logs carry them: without the fields each leaves to the instruction that
 * emits it (`EVENT_FIELDS_FROM_INSTRUCTION`), which a logs subscription does not see.
 */
export function asLogged(events: PlainEvent[]): PlainEvent[] {
  return events.map(({ name, data }) => {
    const left = new Set(
      Object.values(EVENT_FIELDS_FROM_INSTRUCTION).flatMap((instructions) =>
        Object.values(instructions).flatMap((emitted) => Object.keys(emitted[name] ?? {})),
      ),
    );
    return { name, data: Object.fromEntries(Object.entries(data).filter(([field]) => !left.has(field))) };
  });
}

/** The events the story must produce, in order, whole (as `parseTransactionEvents` reads them), with their exact figures. */
export function expectedStoryEvents(story: StoryNet, cast: Awaited<ReturnType<typeof storyCast>>): PlainEvent[] {
  const operator = cast.operator.keypair.publicKey.toBase58();
  const stake = STORY.stake.toString();
  return [
    { name: "Staked", data: { owner: operator, amount: stake, active: stake, total_active: stake } },
    // The SDK's registration opens the operator's pool in staking first, at no commission and no fee share
    { name: "OperatorOpened", data: { operator, commission_bps: "0", fee_share_bps: "0" } },
    {
      name: "ProviderRegistered",
      data: {
        provider: cast.provider.toBase58(),
        operator,
        media_price_per_gib: STORY.prices.media.toString(),
        quote_price_per_gib: STORY.prices.quote.toString(),
        active_stake: stake,
      },
    },
    {
      name: "EscrowOpened",
      data: {
        escrow: cast.escrow.toBase58(),
        consumer: cast.consumer.keypair.publicKey.toBase58(),
        provider: cast.provider.toBase58(),
        mint: story.mediaMint.toBase58(),
        nonce: "0",
        price_per_gib: STORY.prices.media.toString(),
      },
    },
    { name: "EscrowFunded", data: { escrow: cast.escrow.toBase58(), amount: STORY.deposit.toString(), balance: STORY.deposit.toString() } },
    {
      name: "ReceiptSettled",
      data: {
        escrow: cast.escrow.toBase58(),
        provider: cast.provider.toBase58(),
        mint: story.mediaMint.toBase58(),
        bytes: STORY.bytes.toString(),
        amount: STORY.amount.toString(),
        provider_amount: SETTLEMENT.provider.toString(),
        staker_amount: SETTLEMENT.stakers.toString(),
        treasury_amount: SETTLEMENT.treasury.toString(),
        // Nobody is delegated to the operator: no fee share
        fee_share_amount: "0",
        quota_used: STORY.bytes.toString(),
      },
    },
  ];
}

/** Resolves once `done()` holds (checked every 20 ms), or fails after `ms` naming `what`. */
export async function eventually(done: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Whether web3.js's `connection` holds `count` subscriptions the server acknowledged. web3.js
 * sends a subscribe request once its websocket is open and offers no signal for it; a test that
 * sends a transaction before then could miss its notification, as a dApp could. Its private
 * table of subscriptions is the only place the acknowledgement shows.
 */
export function subscriptionsAcknowledged(connection: Connection, count: number): boolean {
  const table = (connection as unknown as { _subscriptionsByHash?: Record<string, { state: string }> })._subscriptionsByHash;
  if (!table) throw new Error("this web3.js version keeps no _subscriptionsByHash table: update subscriptionsAcknowledged");
  return Object.values(table).filter((subscription) => subscription.state === "subscribed").length >= count;
}

/** What a websocket client prints when it errors, reconnects or retries. */
const RETRY_NOISE = /ws error|websocket|reconnect|retry|ECONNREFUSED|ECONNRESET|socket hang up|JSON-RPC error|subscription|method not found/i;

/**
 * Records every line written to console.error, console.warn and stderr while it runs (still
 * passing them through), so a test can assert that a client logged no retry loop.
 */
export class LogWatch {
  readonly lines: string[] = [];
  private restore: (() => void) | undefined;

  start(): this {
    const { error, warn } = console;
    const write = process.stderr.write.bind(process.stderr);
    const record = (text: string) => {
      for (const line of text.split("\n")) if (line.trim()) this.lines.push(line);
    };
    console.error = (...args: unknown[]) => {
      record(format(...args));
      error(...args);
    };
    console.warn = (...args: unknown[]) => {
      record(format(...args));
      warn(...args);
    };
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      record(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write;
    this.restore = () => {
      console.error = error;
      console.warn = warn;
      process.stderr.write = write;
    };
    return this;
  }

  stop(): void {
    this.restore?.();
    this.restore = undefined;
  }

  /** The lines that look like a websocket error, a reconnect or a retry. */
  retryNoise(): string[] {
    return this.lines.filter((line) => RETRY_NOISE.test(line));
  }
}

/**
 * The scene of one client's story: a localnet started before the describe's tests (on the LiteSVM
 * run only, and not against an external RPC) and stopped after them, with a watch on what the
 * client logs. `beforeStop` releases the client's own subscriptions first.
 */
export function givenStoryNet(beforeStop: () => void = () => {}): { story: StoryNet; watch: LogWatch } {
  const scene = { watch: new LogWatch() } as { story: StoryNet; watch: LogWatch };
  before(async function () {
    if (runtimeName() !== "litesvm" || externalRpcUrl()) this.skip();
    scene.watch.start();
    scene.story = await startStoryNet();
  });
  after(async () => {
    beforeStop();
    scene.watch.stop();
    await scene.story?.stop();
  });
  return scene;
}
