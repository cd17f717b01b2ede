/**
 * The localnet's transport: JSON-RPC over HTTP POST (single calls and batches) and the
 * websocket subscriptions of pubsub.ts. Loopback by default (`host` binds elsewhere). The
 * websocket is served on the HTTP port and, as on a validator, on the next port (web3.js
 * derives `ws://host:port+1` from an `http://host:port` endpoint).
 */
import { once } from "node:events";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { type Socket, isIP } from "node:net";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { PublicKey } from "@solana/web3.js";
import WebSocket from "ws";
import { MEDIA_PROGRAMS } from "../sdk/src/constants";
import { Chain, RpcError } from "./chain";
import { PubSub, UNSUBSCRIBE_METHODS, isSubscribeMethod } from "./pubsub";
import { INTERNAL_ERROR, INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR, Rpc } from "./rpc";

export const LOOPBACK = "127.0.0.1";
export const DEFAULT_PORT = 8899;
/** Largest request body accepted, as on a validator (50 KiB). */
export const MAX_REQUEST_BYTES = 50 * 1024;
/** Largest batch accepted. */
export const MAX_BATCH = 100;
/** Subscriptions one websocket connection may hold. */
const MAX_SUBSCRIPTIONS_PER_SOCKET = 1000;

export const DEPLOY_DIR = join(__dirname, "..", "target", "deploy");

export interface LocalnetOptions {
  /** HTTP port; 0 picks a free one (default 8899). */
  port?: number;
  /**
   * Address to listen on (default 127.0.0.1). Another address exposes the faucet and the
   * cheat codes to that network; see `hostAllowed` for the DNS-rebinding check.
   */
  host?: string;
  /** Also serve the websocket on port + 1, as a validator does (default: true unless port is 0). */
  wsOnNextPort?: boolean;
  /** Preload the four MEDIA programs from `deployDir` (default true). */
  programs?: boolean;
  deployDir?: string;
  /**
   * Upgrade authority of the preloaded programs: the only key that may initialize their
   * configs (run genesis with it). Null preloads them immutable, so no config can be created.
   */
  upgradeAuthority?: PublicKey | null;
  /** Wall clock in milliseconds and slot length, for tests. */
  now?: () => number;
  slotMs?: number;
  /** Transactions remembered for getTransaction, getSignaturesForAddress and getBlock (default 100,000). */
  historyCapacity?: number;
}

export interface Localnet {
  url: string;
  wsUrl: string;
  chain: Chain;
  /** Websocket subscriptions currently held, across connections. */
  subscriptionCount(): number;
  close(): Promise<void>;
}

interface JsonRpcResponse {
  jsonrpc: "2.0";
  id: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/** Starts the localnet; resolves once it listens. */
export async function startLocalnet(options: LocalnetOptions = {}): Promise<Localnet> {
  const deployDir = options.deployDir ?? DEPLOY_DIR;
  const programs =
    options.programs === false
      ? []
      : MEDIA_PROGRAMS.map(({ name, programId }) => {
          const path = join(deployDir, `${name}.so`);
          if (!existsSync(path)) throw new Error(`${name}.so is missing from ${deployDir}: run \`npm run build\` first.`);
          return { programId, path };
        });
  const host = options.host ?? LOOPBACK;
  const chain = new Chain({
    programs,
    upgradeAuthority: options.upgradeAuthority ?? null,
    now: options.now,
    slotMs: options.slotMs,
    historyCapacity: options.historyCapacity,
  });
  const rpc = new Rpc(chain);
  const pubsub = new PubSub(chain, rpc);
  // Slots advance with wall time even when nobody calls: slot subscribers hear every one.
  const slotTimer = setInterval(() => chain.tick(), options.slotMs ?? 400);
  slotTimer.unref();
  const sockets = new Set<Socket>();
  const wss = new WebSocket.Server({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  wss.on("connection", (socket: WebSocket) => serveWebsocket(socket, pubsub));

  const servers: Server[] = [];
  const listen = async (port: number, http: boolean): Promise<Server> => {
    const server = createServer((request, response) => {
      if (http) serveHttp(request, response, rpc, server, host);
      else response.writeHead(400).end("websocket only");
    });
    server.on("connection", (socket: Socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    server.on("upgrade", (request: IncomingMessage, socket: Socket, head: Buffer) => {
      if (!hostAllowed(request, server, host)) {
        socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
    });
    server.listen(port, host);
    await once(server, "listening");
    servers.push(server);
    return server;
  };

  const main = await listen(options.port ?? DEFAULT_PORT, true);
  const port = (main.address() as { port: number }).port;
  let wsPort = port;
  if (options.wsOnNextPort ?? options.port !== 0) {
    try {
      await listen(port + 1, false);
      wsPort = port + 1;
    } catch (error) {
      main.close();
      throw error;
    }
  }

  let closed = false;
  const reachableAt = urlHost(host);
  return {
    url: `http://${reachableAt}:${port}`,
    wsUrl: `ws://${reachableAt}:${wsPort}`,
    chain,
    subscriptionCount: () => pubsub.size,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(slotTimer);
      pubsub.close();
      // Close code 1000 (normal closure) tells web3.js's websocket client not to reconnect.
      await Promise.all(
        [...wss.clients].map((client) => {
          const gone = once(client, "close");
          client.close(1000, "localnet stopping");
          const timer = setTimeout(() => client.terminate(), 500);
          return gone.finally(() => clearTimeout(timer));
        }),
      );
      wss.close();
      await Promise.all(
        servers.map((server) => {
          const done = once(server, "close");
          server.close();
          return done;
        }),
      );
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** The host part of a URL reaching a server bound to `host` (loopback for a wildcard). */
function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return LOOPBACK;
  return isIP(host) === 6 ? `[${host}]` : host;
}

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Refuses requests whose Host header names something other than this server: a web page on
 * another origin could otherwise reach it through DNS rebinding (its own name resolving to
 * this address). Loopback names are always accepted; bound to another address, so are IP
 * literals (no page can be served from those by an attacker's DNS) and the `--host` value.
 */
function hostAllowed(request: IncomingMessage, server: Server, bound: string): boolean {
  const header = request.headers.host;
  if (header === undefined) return true;
  const port = (server.address() as { port: number }).port;
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:]+)(?::(\d+))?$/.exec(header);
  if (!match || (match[2] !== undefined && Number(match[2]) !== port)) return false;
  const name = match[1].toLowerCase();
  if (LOOPBACK_NAMES.has(name)) return true;
  if (bound === LOOPBACK) return false;
  return name === urlHost(bound).toLowerCase() || isIP(name.replace(/^\[|\]$/g, "")) !== 0;
}

/** Request headers a CORS preflight may ask for: header names only (RFC 7230 tokens). */
const HEADER_LIST = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*,\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*$/;

function serveHttp(request: IncomingMessage, response: ServerResponse, rpc: Rpc, server: Server, host: string): void {
  response.setHeader("Access-Control-Allow-Origin", "*");
  if (!hostAllowed(request, server, host)) {
    request.resume();
    response.writeHead(403, { "Content-Type": "text/plain" }).end("forbidden host\n");
    return;
  }
  if (request.method === "OPTIONS") {
    // Browsers ask before sending web3.js's `solana-client` header (or any other): allow what
    // they ask for, as a validator's RPC does.
    const requested = request.headers["access-control-request-headers"];
    const allowed = typeof requested === "string" && HEADER_LIST.test(requested) ? requested : "Content-Type, solana-client";
    response
      .writeHead(204, { "Access-Control-Allow-Methods": "POST, GET, OPTIONS", "Access-Control-Allow-Headers": allowed, "Access-Control-Max-Age": "86400" })
      .end();
    return;
  }
  if (request.method === "GET" && request.url === "/health") {
    response.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
    return;
  }
  if (request.method !== "POST") {
    request.resume();
    response.writeHead(405, { Allow: "POST", "Content-Type": "text/plain" }).end("JSON-RPC: use POST\n");
    return;
  }
  const declared = Number(request.headers["content-length"] ?? 0);
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = declared > MAX_REQUEST_BYTES;
  const refuse = () => {
    refused = true;
    chunks.length = 0;
    // Answer at once and close; keep reading (discarding) a little so the client sees the
    // answer rather than a reset, then cut the connection.
    response.writeHead(413, { "Content-Type": "application/json", Connection: "close" });
    response.end(stringify(errorResponse(null, new RpcError(INVALID_REQUEST, `request body exceeds ${MAX_REQUEST_BYTES} bytes`))));
    setTimeout(() => request.destroy(), 1000).unref();
  };
  if (refused) refuse();
  request.on("data", (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) return refuse();
    chunks.push(chunk);
  });
  request.on("error", () => request.destroy());
  request.on("end", () => {
    if (refused) return;
    const body = handleBody(rpc, Buffer.concat(chunks).toString("utf8"));
    if (body === null) {
      response.writeHead(204).end();
      return;
    }
    response.writeHead(200, { "Content-Type": "application/json" }).end(body);
  });
}

/** Handles one HTTP body: a call or a batch. Returns the response text (null: nothing to say). */
export function handleBody(rpc: Rpc, text: string): string | null {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return stringify(errorResponse(null, new RpcError(PARSE_ERROR, "Parse error")));
  }
  if (Array.isArray(payload)) {
    if (payload.length === 0) return stringify(errorResponse(null, new RpcError(INVALID_REQUEST, "Invalid request")));
    if (payload.length > MAX_BATCH) {
      return stringify(errorResponse(null, new RpcError(INVALID_REQUEST, `batch exceeds ${MAX_BATCH} requests`)));
    }
    const responses = payload.map((item) => handleCall(rpc, item)).filter((item) => item !== null);
    return responses.length === 0 ? null : stringify(responses);
  }
  const response = handleCall(rpc, payload);
  return response === null ? null : stringify(response);
}

function handleCall(rpc: Rpc, request: unknown): JsonRpcResponse | null {
  const validId = (id: unknown) => id === null || typeof id === "string" || (typeof id === "number" && Number.isFinite(id));
  if (typeof request !== "object" || request === null || Array.isArray(request)) {
    return errorResponse(null, new RpcError(INVALID_REQUEST, "Invalid request"));
  }
  const { jsonrpc, method, params, id } = request as Record<string, unknown>;
  const isNotification = !("id" in request);
  if (jsonrpc !== "2.0" || typeof method !== "string" || (!isNotification && !validId(id))) {
    return errorResponse(validId(id) ? id : null, new RpcError(INVALID_REQUEST, "Invalid request"));
  }
  let response: JsonRpcResponse;
  try {
    response = { jsonrpc: "2.0", result: rpc.call(method, params), id };
  } catch (error) {
    response = errorResponse(id, toRpcError(error));
  }
  return isNotification ? null : response;
}

function toRpcError(error: unknown): RpcError {
  if (error instanceof RpcError) return error;
  // Never a crash: anything unexpected is an internal error of this one call.
  return new RpcError(INTERNAL_ERROR, `Internal error: ${(error as Error)?.message ?? String(error)}`);
}

function errorResponse(id: unknown, error: RpcError): JsonRpcResponse {
  return {
    jsonrpc: "2.0",
    error: { code: error.code, message: error.message, ...(error.data === undefined ? {} : { data: error.data }) },
    id: id ?? null,
  };
}

// JSON with exact integers for bigint values (lamports can exceed 2^53).
const BIGINT_MARK = `__bigint_${Math.random().toString(36).slice(2)}__`;
const BIGINT_PATTERN = new RegExp(`"${BIGINT_MARK}(\\d+)"`, "g");

export function stringify(value: unknown): string {
  return JSON.stringify(value, (_key, item) => (typeof item === "bigint" ? `${BIGINT_MARK}${item}` : item)).replace(BIGINT_PATTERN, "$1");
}

/** One websocket connection: the subscriptions of pubsub.ts and their unsubscribes. */
function serveWebsocket(socket: WebSocket, pubsub: PubSub): void {
  const subscriptions = new Map<number, () => void>();
  const send = (message: unknown) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(stringify(message));
  };
  socket.on("message", (data: WebSocket.Data) => {
    let request: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(data.toString());
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        send(errorResponse(null, new RpcError(INVALID_REQUEST, "Invalid request")));
        return;
      }
      request = parsed as Record<string, unknown>;
    } catch {
      send(errorResponse(null, new RpcError(PARSE_ERROR, "Parse error")));
      return;
    }
    const { id, method, params } = request;
    if (!("id" in request)) return; // notifications (web3.js's keep-alive "ping") need no answer
    if (request.jsonrpc !== "2.0" || typeof method !== "string") {
      send(errorResponse(null, new RpcError(INVALID_REQUEST, "Invalid request")));
      return;
    }
    try {
      if (isSubscribeMethod(method)) {
        if (subscriptions.size >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
          throw new RpcError(INTERNAL_ERROR, `Internal error: too many subscriptions on this connection (max ${MAX_SUBSCRIPTIONS_PER_SOCKET})`);
        }
        let subscription = -1;
        const { id: created, cancel } = pubsub.subscribe(
          method,
          params,
          (notification, result) => send({ jsonrpc: "2.0", method: notification, params: { result, subscription } }),
          () => subscriptions.delete(subscription),
        );
        subscription = created;
        subscriptions.set(subscription, cancel);
        send({ jsonrpc: "2.0", result: subscription, id });
      } else if (UNSUBSCRIBE_METHODS.has(method)) {
        const target = Array.isArray(params) && params.length === 1 ? params[0] : undefined;
        if (typeof target !== "number") throw new RpcError(INVALID_PARAMS, "Invalid params: expected [subscription id]");
        const cancel = subscriptions.get(target);
        if (!cancel) throw new RpcError(INVALID_PARAMS, "Invalid subscription id.");
        cancel();
        subscriptions.delete(target);
        send({ jsonrpc: "2.0", result: true, id });
      } else {
        throw new RpcError(METHOD_NOT_FOUND, "Method not found");
      }
    } catch (error) {
      send(errorResponse(id, toRpcError(error)));
    }
  });
  socket.on("error", () => socket.terminate());
  socket.on("close", () => {
    for (const cancel of subscriptions.values()) cancel();
    subscriptions.clear();
  });
}
