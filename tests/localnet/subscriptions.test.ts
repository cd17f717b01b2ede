/**
 * The localnet's websocket subscriptions, as real clients use them: web3.js v1's `on*` helpers
 * (whose validators check every notification's shape), @solana/kit's RPC subscriptions and
 * its `sendAndConfirmTransactionFactory`, and raw messages for unsubscribe rules. A client
 * left subscribed for seconds logs nothing (no reconnect or retry loop).
 */
import {
  AccountRole,
  address,
  appendTransactionMessageInstruction,
  assertIsTransactionWithBlockhashLifetime,
  createKeyPairSignerFromBytes,
  createSolanaRpc,
  createSolanaRpcSubscriptions,
  createTransactionMessage,
  lamports,
  pipe,
  sendAndConfirmTransactionFactory,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from "@solana/kit";
import {
  type AccountInfo,
  type Context,
  Keypair,
  LAMPORTS_PER_SOL,
  type Logs,
  type PublicKey,
  SystemProgram,
  Transaction,
  sendAndConfirmTransaction,
} from "@solana/web3.js";
import { expect } from "chai";
import WebSocket from "ws";
import BN from "bn.js";
import { runtimeName } from "../utils/bank";
import { type RpcNet, newRpcStaker, setUpStakingOverRpc, startRpc } from "../utils/rpc";

/** Resolves with the first value `register` delivers, or fails after `ms`. */
function first<T>(register: (deliver: (value: T) => void) => void, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no notification within ${ms} ms`)), ms);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

describe("localnet: websocket subscriptions", () => {
  let net: RpcNet;

  before(async function () {
    if (runtimeName() !== "litesvm") this.skip();
    net = await startRpc();
  });

  after(async () => {
    if (net?.localnet) expect(net.localnet.subscriptionCount(), "subscriptions left behind").to.equal(0);
    await net?.stop();
  });

  async function transfer(to: PublicKey, lamportsToSend = LAMPORTS_PER_SOL): Promise<string> {
    const transaction = new Transaction().add(SystemProgram.transfer({ fromPubkey: net.payer.publicKey, toPubkey: to, lamports: lamportsToSend }));
    return sendAndConfirmTransaction(net.connection, transaction, [net.payer]);
  }

  it("account subscription succeeds when the account is written: web3.js onAccountChange gets the new balance, then unsubscribes", async () => {
    const recipient = Keypair.generate().publicKey;
    let id = 0;
    const notified = first<[AccountInfo<Buffer>, Context]>((deliver) => {
      id = net.connection.onAccountChange(recipient, (info, context) => deliver([info, context]), { commitment: "confirmed", encoding: "base64" });
    });
    await new Promise((resolve) => setTimeout(resolve, 200)); // the subscription reaches the server
    await transfer(recipient);
    const [info, context] = await notified;
    expect(info.lamports).to.equal(LAMPORTS_PER_SOL);
    expect(info.owner.equals(SystemProgram.programId)).to.equal(true);
    expect(context.slot).to.be.a("number");
    await net.connection.removeAccountChangeListener(id);
    if (net.localnet) await waitFor(() => net.localnet?.subscriptionCount() === 0);
  });

  it("program subscription succeeds when a matching account is written: only the subscription whose filter matches hears it", async () => {
    const owner = Keypair.generate();
    const created = Keypair.generate();
    const space = 24;
    const ids: number[] = [];
    const notified = first<[PublicKey, AccountInfo<Buffer>]>((deliver) => {
      ids.push(
        net.connection.onProgramAccountChange(owner.publicKey, (keyed) => deliver([keyed.accountId, keyed.accountInfo]), {
          commitment: "confirmed",
          filters: [{ dataSize: space }],
        }),
      );
    });
    const skipped: PublicKey[] = [];
    ids.push(
      net.connection.onProgramAccountChange(owner.publicKey, (keyed) => skipped.push(keyed.accountId), {
        commitment: "confirmed",
        filters: [{ dataSize: space + 1 }],
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const rent = await net.connection.getMinimumBalanceForRentExemption(space);
    const transaction = new Transaction().add(
      SystemProgram.createAccount({ fromPubkey: net.payer.publicKey, newAccountPubkey: created.publicKey, lamports: rent, space, programId: owner.publicKey }),
    );
    await sendAndConfirmTransaction(net.connection, transaction, [net.payer, created]);
    const [key, info] = await notified;
    expect(key.equals(created.publicKey)).to.equal(true);
    expect(info.data.length).to.equal(space);
    expect(info.lamports).to.equal(rent);
    expect(skipped).to.deep.equal([]);
    // A web3.js connection reconnects while it holds listeners: remove them before the node stops.
    for (const id of ids) await net.connection.removeProgramAccountChangeListener(id);
  });

  it("logs subscription succeeds for all and for mentions: each transaction's signature, err and logs; another address hears nothing", async () => {
    const recipient = Keypair.generate().publicKey;
    const bystander = Keypair.generate().publicKey;
    const heard: Logs[] = [];
    const ids: number[] = [];
    const all = first<Logs>((deliver) => ids.push(net.connection.onLogs("all", (logs) => deliver(logs), "confirmed")));
    const mentions = first<Logs>((deliver) => ids.push(net.connection.onLogs(recipient, (logs) => deliver(logs), "confirmed")));
    ids.push(net.connection.onLogs(bystander, (logs) => heard.push(logs), "confirmed"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const signature = await transfer(recipient);
    for (const logs of [await all, await mentions]) {
      expect(logs.signature).to.equal(signature);
      expect(logs.err).to.equal(null);
      expect(logs.logs).to.deep.equal(["Program 11111111111111111111111111111111 invoke [1]", "Program 11111111111111111111111111111111 success"]);
    }
    expect(heard).to.deep.equal([]);
    for (const id of ids) await net.connection.removeOnLogsListener(id);
  });

  it("logs subscription fails when mentions lists two addresses: -32602 Only 1 address supported", async () => {
    const socket = await openSocket(net);
    try {
      const reply = await socket.call("logsSubscribe", [{ mentions: [Keypair.generate().publicKey.toBase58(), Keypair.generate().publicKey.toBase58()] }]);
      expect(reply.error.code).to.equal(-32602);
      expect(reply.error.message).to.include("Only 1 address supported");
    } finally {
      socket.close();
    }
  });

  it("slot and root subscriptions succeed as the clock runs: consecutive slots with parent and root, then unsubscribe stops them", async () => {
    const slots: { slot: number; parent: number; root: number }[] = [];
    const roots: number[] = [];
    const slotId = net.connection.onSlotChange((info) => slots.push(info));
    const rootId = net.connection.onRootChange((root) => roots.push(root));
    await waitFor(() => slots.length >= 3 && roots.length >= 3, 5000);
    for (const info of slots) {
      expect(info.parent).to.be.below(info.slot);
      expect(info.root).to.be.at.most(info.slot);
    }
    expect(roots[1]).to.be.greaterThan(roots[0]);
    await net.connection.removeSlotChangeListener(slotId);
    await net.connection.removeRootChangeListener(rootId);

    const socket = await openSocket(net);
    try {
      const subscribed = await socket.call("slotSubscribe", []);
      const notification = await socket.next();
      expect(notification.method).to.equal("slotNotification");
      expect(notification.params.subscription).to.equal(subscribed.result);
      expect(Object.keys(notification.params.result).sort()).to.deep.equal(["parent", "root", "slot"]);
      expect((await socket.call("slotUnsubscribe", [subscribed.result])).result).to.equal(true);
      socket.drain();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(socket.pending()).to.equal(0);
      expect((await socket.call("slotUnsubscribe", [subscribed.result])).error.code).to.equal(-32602);
    } finally {
      socket.close();
    }
  });

  it("kit subscriptions succeed: slot and account notifications, and sendAndConfirmTransactionFactory confirms a transfer", async () => {
    const rpc = createSolanaRpc(net.url);
    const subscriptions = createSolanaRpcSubscriptions(wsUrlOf(net));
    const abort = new AbortController();
    try {
      const slotStream = await subscriptions.slotNotifications().subscribe({ abortSignal: abort.signal });
      for await (const slot of slotStream) {
        expect(typeof slot.slot).to.equal("bigint");
        break;
      }
      const payer = await createKeyPairSignerFromBytes(net.payer.secretKey);
      const recipient = address(Keypair.generate().publicKey.toBase58());
      const accountStream = await subscriptions
        .accountNotifications(recipient, { commitment: "confirmed", encoding: "base64" })
        .subscribe({ abortSignal: abort.signal });
      // kit queues notifications only once the iteration has started.
      const accountNotification = accountStream[Symbol.asyncIterator]().next();
      const { value: blockhash } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
      const data = new Uint8Array(12);
      new DataView(data.buffer).setUint32(0, 2, true); // System transfer
      new DataView(data.buffer).setBigUint64(4, 5_000_000n, true);
      const message = pipe(
        createTransactionMessage({ version: 0 }),
        (m) => setTransactionMessageFeePayerSigner(payer, m),
        (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
        (m) =>
          appendTransactionMessageInstruction(
            {
              programAddress: address(SystemProgram.programId.toBase58()),
              accounts: [
                { address: payer.address, role: AccountRole.WRITABLE_SIGNER, signer: payer },
                { address: recipient, role: AccountRole.WRITABLE },
              ],
              data,
            },
            m,
          ),
      );
      const signed = await signTransactionMessageWithSigners(message);
      assertIsTransactionWithBlockhashLifetime(signed);
      await sendAndConfirmTransactionFactory({ rpc, rpcSubscriptions: subscriptions })(signed, { commitment: "confirmed" });
      const notification = await accountNotification;
      expect(notification.done).to.equal(false);
      expect(notification.value?.value.lamports).to.equal(lamports(5_000_000n));
      const { value: balance } = await rpc.getBalance(recipient).send();
      expect(balance).to.equal(5_000_000n);
    } finally {
      abort.abort();
    }
  });

  it("anchor event listener succeeds over logsSubscribe: addEventListener receives Staked from a stake sent through the SDK's client", async () => {
    const world = await setUpStakingOverRpc(net);
    const staker = await newRpcStaker(world, 100_000_000n);
    const staking = net.programs.staking;
    let listener = 0;
    const event = first<{ name: string; data: Record<string, unknown>; signature: string }>((deliver) => {
      listener = staking.addEventListener("staked", (data, _slot, signature) => deliver({ name: "staked", data, signature }));
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const signature = await staking.methods
      .stake(new BN(30_000_000))
      .accounts({ owner: staker.wallet.publicKey, ownerTokenAccount: staker.tokenAccount })
      .signers([staker.wallet])
      .rpc();
    const received = await event;
    expect(received.signature).to.equal(signature);
    expect(String(received.data.active)).to.equal("30000000");
    await staking.removeEventListener(listener);
  });

  it("web3.js connection does not log a retry loop: every kind of subscription held for 3 s logs nothing", async () => {
    const logged: string[] = [];
    const originalError = console.error;
    const originalWarn = console.warn;
    const originalWrite = process.stderr.write.bind(process.stderr);
    console.error = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
    console.warn = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
    process.stderr.write = ((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    const ids: (() => Promise<void>)[] = [];
    try {
      const key = Keypair.generate().publicKey;
      const account = net.connection.onAccountChange(key, () => {});
      const program = net.connection.onProgramAccountChange(SystemProgram.programId, () => {});
      const logs = net.connection.onLogs("all", () => {});
      const slot = net.connection.onSlotChange(() => {});
      const root = net.connection.onRootChange(() => {});
      ids.push(
        () => net.connection.removeAccountChangeListener(account),
        () => net.connection.removeProgramAccountChangeListener(program),
        () => net.connection.removeOnLogsListener(logs),
        () => net.connection.removeSlotChangeListener(slot),
        () => net.connection.removeRootChangeListener(root),
      );
      await transfer(key);
      await new Promise((resolve) => setTimeout(resolve, 3000));
    } finally {
      for (const remove of ids) await remove();
      console.error = originalError;
      console.warn = originalWarn;
      process.stderr.write = originalWrite;
    }
    expect(logged, logged.slice(0, 5).join("\n")).to.deep.equal([]);
  });
});

async function waitFor(condition: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function wsUrlOf(net: RpcNet): string {
  if (net.localnet) return net.localnet.wsUrl;
  if (process.env.MEDIA_RPC_WS_URL) return process.env.MEDIA_RPC_WS_URL;
  const url = new URL(net.url);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.port = String(Number(url.port) + 1);
  return url.toString();
}

/** A raw websocket client: call() waits for the reply to its id; next() the next notification. */
async function openSocket(net: RpcNet) {
  const socket = new WebSocket(wsUrlOf(net));
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  const notifications: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const replies = new Map<number, (reply: any) => void>(); // eslint-disable-line @typescript-eslint/no-explicit-any
  const waiters: (() => void)[] = [];
  let nextId = 1;
  socket.on("message", (data: WebSocket.Data) => {
    const message = JSON.parse(data.toString());
    if (message.id !== undefined && replies.has(message.id)) {
      replies.get(message.id)?.(message);
      replies.delete(message.id);
      return;
    }
    notifications.push(message);
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    call(method: string, params: unknown[]) {
      const id = nextId++;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return new Promise<any>((resolve) => {
        replies.set(id, resolve);
        socket.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
      });
    },
    async next() {
      while (notifications.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
      return notifications.shift();
    },
    drain() {
      notifications.length = 0;
    },
    pending() {
      return notifications.length;
    },
    close() {
      socket.close(1000);
    },
  };
}
