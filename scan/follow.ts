/**
 * Notifications of new transactions that mention the MEDIA programs, over the RPC's websocket
 * (`logsSubscribe` with `mentions`, one subscription per program). The indexer only needs to
 * know that something happened (it then catches up from its cursor), so this client is small,
 * closes its socket when told, and reconnects (asking for a catch-up, to cover what it missed
 * while away) when the server drops it.
 */
import type { PublicKey } from "@solana/web3.js";
import WebSocket from "ws";

/** The websocket endpoint an RPC URL implies: same host, `ws(s)://`, port + 1 (as web3.js and the localnet do). */
export function defaultWsUrl(rpc: string): string {
  const url = new URL(rpc);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  if (url.port) url.port = String(Number(url.port) + 1);
  return url.toString();
}

export interface LogsFollowerOptions {
  ws: string;
  programs: PublicKey[];
  /** Called on every notification, and after each (re)connection once subscribed. */
  onActivity: () => void;
  onError: (error: Error) => void;
  reconnectMs?: number;
}

export class LogsFollower {
  private socket: WebSocket | undefined;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LogsFollowerOptions) {}

  /** Connects and subscribes; resolves once the server acknowledged every subscription. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.options.ws);
      this.socket = socket;
      let acknowledged = 0;
      let settled = false;
      socket.on("open", () => {
        this.options.programs.forEach((program, index) => {
          socket.send(
            JSON.stringify({
              jsonrpc: "2.0",
              id: index + 1,
              method: "logsSubscribe",
              params: [{ mentions: [program.toBase58()] }, { commitment: "confirmed" }],
            }),
          );
        });
      });
      socket.on("message", (raw) => {
        let message: { id?: number; result?: unknown; error?: { message: string }; method?: string };
        try {
          message = JSON.parse(raw.toString());
        } catch {
          return;
        }
        if (message.error) {
          const error = new Error(`logsSubscribe refused by ${this.options.ws}: ${message.error.message}`);
          if (!settled) {
            settled = true;
            reject(error);
          } else this.options.onError(error);
          return;
        }
        if (message.id !== undefined && message.result !== undefined) {
          acknowledged += 1;
          if (acknowledged === this.options.programs.length && !settled) {
            settled = true;
            resolve();
            this.options.onActivity();
          }
          return;
        }
        if (message.method === "logsNotification") this.options.onActivity();
      });
      socket.on("error", (error) => {
        if (!settled) {
          settled = true;
          reject(new Error(`cannot follow ${this.options.ws} (pass --ws if the websocket is elsewhere): ${error.message}`));
        }
      });
      socket.on("close", () => {
        if (this.closed || !settled) return;
        this.timer = setTimeout(() => {
          this.start().catch((error: Error) => this.options.onError(error));
        }, this.options.reconnectMs ?? 1000);
      });
    });
  }

  stop(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close();
    this.socket = undefined;
  }
}
