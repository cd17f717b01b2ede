/**
 * Hostile input to the JSON-RPC layer, sent as raw HTTP and websocket messages: every bad
 * request gets the JSON-RPC error a validator would give, and the endpoint keeps serving.
 */
import { request } from "node:http";
import { Keypair, LAMPORTS_PER_SOL, SystemProgram, Transaction } from "@solana/web3.js";
import { expect } from "chai";
import WebSocket from "ws";
import { startLocalnet } from "../../localnet/server";
import { type RpcNet, externalRpcUrl, startRpc } from "../utils/rpc";

interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe("localnet: hostile JSON-RPC input", () => {
  let net: RpcNet;

  before(async () => {
    net = await startRpc();
  });

  after(async () => {
    await net?.stop();
  });

  async function post(body: string): Promise<Reply> {
    const response = await fetch(net.url, { method: "POST", headers: { "Content-Type": "application/json" }, body });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async function call(method: string, params?: unknown): Promise<Reply> {
    return post(JSON.stringify({ jsonrpc: "2.0", id: 1, method, ...(params === undefined ? {} : { params }) }));
  }

  async function expectError(reply: Promise<Reply>, code: number, message?: string) {
    const { body } = await reply;
    expect(body.error, JSON.stringify(body)).to.be.an("object");
    expect(body.error.code, JSON.stringify(body)).to.equal(code);
    if (message) expect(body.error.message).to.include(message);
    return body;
  }

  /** A signed system transfer of `lamports` from the funded payer, base64. */
  async function transfer(lamports: number, blockhash?: string): Promise<string> {
    const transaction = new Transaction({
      feePayer: net.payer.publicKey,
      blockhash: blockhash ?? (await net.connection.getLatestBlockhash()).blockhash,
      lastValidBlockHeight: 0,
    }).add(SystemProgram.transfer({ fromPubkey: net.payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports }));
    transaction.sign(net.payer);
    return transaction.serialize().toString("base64");
  }

  it("rpc fails when json is malformed: -32700 with a null id", async () => {
    const body = await expectError(post('{"jsonrpc":"2.0","id":1,"method":'), -32700, "Parse error");
    expect(body.id).to.equal(null);
    await expectError(post("\u0000\u00ff not json"), -32700);
  });

  it("rpc fails when request is invalid: -32600 for a non-object, a missing version or method, an empty batch", async () => {
    await expectError(post("42"), -32600);
    await expectError(post(JSON.stringify({ id: 1, method: "getSlot" })), -32600);
    await expectError(post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: 7 })), -32600);
    await expectError(post(JSON.stringify({ jsonrpc: "2.0", id: { nested: true }, method: "getSlot" })), -32600);
    await expectError(post("[]"), -32600);
    await expectError(post(JSON.stringify(new Array(101).fill({ jsonrpc: "2.0", id: 1, method: "getSlot" }))), -32600);
  });

  it("rpc fails when method is unknown: -32601, including inherited object keys", async () => {
    await expectError(call("getNothing"), -32601, "Method not found");
    await expectError(call("constructor"), -32601);
    await expectError(call("__proto__"), -32601);
    await expectError(call("accountSubscribe", []), -32601);
  });

  it("rpc fails when params are bad: -32602 for wrong types, bad keys, limits and unknown options", async () => {
    const key = Keypair.generate().publicKey.toBase58();
    await expectError(call("getBalance", ["not-a-key"]), -32602);
    await expectError(call("getBalance", [12345]), -32602);
    await expectError(call("getBalance", [key, { commitment: "eventually" }]), -32602);
    await expectError(call("getBalance", [key, {}, "extra"]), -32602);
    await expectError(call("getBalance", { pubkey: key }), -32602);
    await expectError(call("getAccountInfo", [key, { encoding: "base64+lz4" }]), -32602);
    await expectError(call("getAccountInfo", [key, { dataSlice: { offset: -1, length: 2 } }]), -32602);
    await expectError(call("getMultipleAccounts", [new Array(101).fill(key)]), -32602, "max 100");
    await expectError(call("getProgramAccounts", [key, { filters: new Array(5).fill({ dataSize: 1 }) }]), -32602);
    await expectError(call("getProgramAccounts", [key, { filters: [{ memcmp: { offset: 0, bytes: "0OIl" } }] }]), -32602);
    await expectError(call("getProgramAccounts", [key, { filters: [{ tokenAccountState: {} }] }]), -32602);
    await expectError(call("getSignatureStatuses", [["nope"]]), -32602);
    await expectError(call("getTransaction", [bs58Signature(), { commitment: "processed" }]), -32602, "confirmed");
    await expectError(call("getMinimumBalanceForRentExemption", [1.5]), -32602);
    await expectError(call("getTokenAccountBalance", [net.payer.publicKey.toBase58()]), -32602, "not a Token account");
    await expectError(call("requestAirdrop", [key, -1]), -32602);
    await expectError(call("requestAirdrop", [key, 2e15]), -32602);
    await expectError(call("getSlot", [{ minContextSlot: 1e12 }]), -32016);
    await expectError(call("getSignaturesForAddress", [key, { limit: 0 }]), -32602, "limit");
    await expectError(call("getSignaturesForAddress", [key, { before: "nope" }]), -32602);
    await expectError(call("getBlock", ["1"]), -32602);
    await expectError(call("getBlock", [1, { transactionDetails: "everything" }]), -32602);
    await expectError(call("getBlocks", [0, 600_000]), -32602, "Slot range too large");
    await expectError(call("getTokenAccountsByOwner", [key, { mint: key, programId: key }]), -32602);
    await expectError(call("getTokenLargestAccounts", [key]), -32602);
    await expectError(call("getRecentPrioritizationFees", [new Array(129).fill(key)]), -32602, "max 128");
    await expectError(call("surfnet_timeTravel", [{ absoluteTimestamp: "tomorrow" }]), -32602);
    await expectError(call("surfnet_timeTravel", [{ relative: 1000 }]), -32602, "absoluteTimestamp");
    // The endpoint is still healthy
    expect((await call("getHealth")).body.result).to.equal("ok");
  });

  it("rpc fails when body is too large: a body over 50 KiB is refused with 413 and -32600", async () => {
    const huge = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getSlot", params: ["x".repeat(60 * 1024)] });
    const reply = await post(huge);
    expect(reply.status).to.equal(413);
    expect(reply.body.error.code).to.equal(-32600);
    expect((await call("getHealth")).body.result).to.equal("ok");
  });

  it("rpc http rules: batches answer per call, notifications get nothing, GET and foreign Host are refused", async () => {
    const batch = await post(
      JSON.stringify([
        { jsonrpc: "2.0", id: "a", method: "getHealth" },
        { jsonrpc: "2.0", method: "getHealth" },
        { jsonrpc: "2.0", id: "b", method: "nope" },
      ]),
    );
    expect(batch.body).to.deep.equal([
      { jsonrpc: "2.0", result: "ok", id: "a" },
      { jsonrpc: "2.0", error: { code: -32601, message: "Method not found" }, id: "b" },
    ]);
    const notification = await post(JSON.stringify({ jsonrpc: "2.0", method: "getHealth" }));
    expect(notification.status).to.equal(204);
    expect((await fetch(net.url, { method: "PUT" })).status).to.equal(405);
    if (!externalRpcUrl()) expect(await statusWithHost(net.url, "attacker.example")).to.equal(403);
  });

  it("rpc host rules with --host: bound beyond loopback, IP literals, loopback names and the host itself pass; other names are refused", async function () {
    if (externalRpcUrl()) this.skip();
    const exposed = await startLocalnet({ port: 0, host: "0.0.0.0", programs: false });
    try {
      const port = new URL(exposed.url).port;
      expect(await statusWithHost(exposed.url, `10.1.2.3:${port}`)).to.equal(200);
      expect(await statusWithHost(exposed.url, `[fd00::7]:${port}`)).to.equal(200);
      expect(await statusWithHost(exposed.url, `localhost:${port}`)).to.equal(200);
      expect(await statusWithHost(exposed.url, `0.0.0.0:${port}`)).to.equal(200);
      expect(await statusWithHost(exposed.url, `rebind.attacker.example:${port}`)).to.equal(403);
      expect(await statusWithHost(exposed.url, `10.1.2.3:${Number(port) + 7}`)).to.equal(403);
    } finally {
      await exposed.close();
    }
    expect(await statusWithHost(net.url, "10.1.2.3")).to.equal(403);
  });

  it("send transaction fails when bytes are bad: -32602 for garbage, oversize and bad encodings; -32003 for a forged signature", async () => {
    await expectError(call("sendTransaction", ["AAAA", { encoding: "base64" }]), -32602);
    await expectError(call("sendTransaction", ["!!!!", { encoding: "base64" }]), -32602);
    await expectError(call("sendTransaction", ["A".repeat(2000), { encoding: "base64" }]), -32602, "too large");
    await expectError(call("sendTransaction", ["0OIl", {}]), -32602);
    await expectError(call("sendTransaction", [await transfer(1), { encoding: "base32" }]), -32602);
    const wire = Buffer.from(await transfer(LAMPORTS_PER_SOL), "base64");
    wire[10] ^= 0xff; // inside the signature
    await expectError(call("sendTransaction", [wire.toString("base64"), { encoding: "base64" }]), -32003);
    const trailing = Buffer.concat([Buffer.from(await transfer(2), "base64"), Buffer.from([0])]);
    await expectError(call("sendTransaction", [trailing.toString("base64"), { encoding: "base64" }]), -32602);
  });

  it("send transaction failure shapes: preflight -32002 with err and logs; without preflight the error is in meta", async () => {
    // Given a transfer of more lamports than the payer has
    const failing = await transfer(1_000_000 * LAMPORTS_PER_SOL);
    const expectedErr = { InstructionError: [0, { Custom: 1 }] };

    // Preflight: -32002, the validator's message, the error and the logs in data
    const refused = await expectError(call("sendTransaction", [failing, { encoding: "base64" }]), -32002);
    expect(refused.error.message).to.equal("Transaction simulation failed: Error processing Instruction 0: custom program error: 0x1");
    expect(refused.error.data.err).to.deep.equal(expectedErr);
    expect(refused.error.data.logs).to.include("Program 11111111111111111111111111111111 failed: custom program error: 0x1");
    expect(refused.error.data.unitsConsumed).to.be.a("number");

    // No preflight: a signature, and the transaction lands failed with the fee charged
    const { body } = await call("sendTransaction", [failing, { encoding: "base64", skipPreflight: true }]);
    const signature = body.result as string;
    expect(signature).to.be.a("string");
    const statuses = (await call("getSignatureStatuses", [[signature]])).body.result.value;
    expect(statuses[0].err).to.deep.equal(expectedErr);
    expect(statuses[0].status).to.deep.equal({ Err: expectedErr });
    const landed = (await call("getTransaction", [signature, { encoding: "json" }])).body.result;
    expect(landed.meta.err).to.deep.equal(expectedErr);
    expect(landed.meta.status).to.deep.equal({ Err: expectedErr });
    expect(landed.meta.fee).to.equal(5000);
    expect(landed.transaction.signatures).to.deep.equal([signature]);
    const base64 = (await call("getTransaction", [signature, { encoding: "base64" }])).body.result;
    expect(base64.transaction).to.deep.equal([failing, "base64"]);

    // Sending it again: preflight says AlreadyProcessed; an unknown blockhash says BlockhashNotFound
    await expectError(call("sendTransaction", [failing, { encoding: "base64" }]), -32002, "already been processed");
    const stale = await transfer(LAMPORTS_PER_SOL, Keypair.generate().publicKey.toBase58());
    const notFound = await expectError(call("sendTransaction", [stale, { encoding: "base64" }]), -32002, "Blockhash not found");
    expect(notFound.error.data.err).to.equal("BlockhashNotFound");
    const simulated = (await call("simulateTransaction", [stale, { encoding: "base64" }])).body.result.value;
    expect(simulated.err).to.equal("BlockhashNotFound");
    await expectError(call("simulateTransaction", [stale, { encoding: "base64", sigVerify: true, replaceRecentBlockhash: true }]), -32602);
    const replaced = (await call("simulateTransaction", [stale, { encoding: "base64", replaceRecentBlockhash: true }])).body.result.value;
    expect(replaced.err).to.equal(null);
    expect(replaced.replacementBlockhash.blockhash).to.be.a("string");
  });

  it("websocket fails on bad messages: -32700, -32601 and -32602, and a signature already processed notifies at once", async () => {
    const wsUrl = process.env.MEDIA_RPC_WS_URL || wsUrlOf(net);
    const socket = new WebSocket(wsUrl);
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    const messages: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    const waiters: (() => void)[] = [];
    socket.on("message", (data: WebSocket.Data) => {
      messages.push(JSON.parse(data.toString()));
      for (const wake of waiters.splice(0)) wake();
    });
    const next = async () => {
      while (messages.length === 0) await new Promise<void>((resolve) => waiters.push(resolve));
      return messages.shift();
    };
    try {
      socket.send("{oops");
      expect((await next()).error.code).to.equal(-32700);
      socket.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "blockSubscribe" }));
      expect((await next()).error.code).to.equal(-32601);
      socket.send(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "signatureSubscribe", params: ["bad"] }));
      expect((await next()).error.code).to.equal(-32602);
      socket.send(JSON.stringify({ jsonrpc: "2.0", id: 3, method: "signatureUnsubscribe", params: [99] }));
      expect((await next()).error.code).to.equal(-32602);
      for (const [method, params] of [
        ["accountSubscribe", ["not-a-key"]],
        ["accountSubscribe", [Keypair.generate().publicKey.toBase58(), { encoding: "base64+lz4" }]],
        ["programSubscribe", [Keypair.generate().publicKey.toBase58(), { filters: [{ memcmp: { offset: 0 } }] }]],
        ["logsSubscribe", ["some"]],
        ["logsSubscribe", [{ mentions: [] }]],
        ["slotSubscribe", [1]],
      ] as const) {
        socket.send(JSON.stringify({ jsonrpc: "2.0", id: 5, method, params }));
        const reply = await next();
        expect(reply.error?.code, `${method} ${JSON.stringify(params)}`).to.equal(-32602);
      }

      const { body } = await call("requestAirdrop", [Keypair.generate().publicKey.toBase58(), LAMPORTS_PER_SOL]);
      socket.send(JSON.stringify({ jsonrpc: "2.0", id: 4, method: "signatureSubscribe", params: [body.result, { commitment: "confirmed" }] }));
      const subscribed = await next();
      expect(subscribed.id).to.equal(4);
      const notification = await next();
      expect(notification.method).to.equal("signatureNotification");
      expect(notification.params.subscription).to.equal(subscribed.result);
      expect(notification.params.result.value).to.deep.equal({ err: null });
    } finally {
      socket.close(1000);
    }
  });
});

function bs58Signature(): string {
  return "1".repeat(64);
}

function wsUrlOf(net: RpcNet): string {
  if (net.localnet) return net.localnet.wsUrl;
  const url = new URL(net.url);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.port = String(Number(url.port) + 1);
  return url.toString();
}

/** The HTTP status of a request sent with a forged Host header (fetch cannot set one). */
function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const outgoing = request(
      { host: target.hostname, port: target.port, method: "POST", headers: { Host: host, "Content-Type": "application/json" } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getHealth" }));
  });
}
