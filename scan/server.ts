/**
 * The Media Scan dashboard's web server (node:http, no framework): the page (scan/web, plain
 * HTML/CSS/JS with inline SVG charts), its JSON (`/api/dashboard`, `/api/figure/<figure>`) and a
 * server-sent event stream (`/api/updates`) that tells open pages when the indexer wrote
 * something, so they refresh without polling the database themselves.
 */
import { readFileSync } from "node:fs";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { MEDIA, TREASURY_PRICE_SCALE } from "../sdk/src";
import { UnknownFigureError, dashboardData, dataVersion, figureEvidence } from "./dashboard";
import type { ScanDatabase } from "./database";

const WEB = join(__dirname, "web");
const ASSETS: Record<string, { file: string; type: string }> = {
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
};
/** Decimals of MEDIA (and of the quote mint, a USDC stand-in): the page converts base units with it. */
const DECIMALS = MEDIA.toString().length - 1;
/** Auction prices are MEDIA per quote unit scaled by the treasury's price scale. */
const PRICE_DECIMALS = TREASURY_PRICE_SCALE.toString().length - 1;

export interface DashboardServerOptions {
  database: Pick<ScanDatabase, "query">;
  port?: number;
  host?: string;
  /** What the page says it is looking at (the RPC URL). */
  source: string;
  /** How often the server checks for new data while a page listens (ms, default 500). */
  pollMs?: number;
  /** Whether the indexer is catching up (shown on the page). */
  busy?: () => boolean;
}

export interface DashboardServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const { database } = options;
  const listeners = new Set<ServerResponse>();
  let version = "";
  let checking = false;
  const check = async () => {
    if (checking || listeners.size === 0) return;
    checking = true;
    try {
      const latest = await dataVersion(database);
      if (latest !== version) {
        version = latest;
        for (const listener of listeners) listener.write(`event: version\ndata: ${latest}\n\n`);
      }
    } catch {
      // The database is busy or closing; the next tick tries again.
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(check, options.pollMs ?? 500);

  const page = () => readFileSync(join(WEB, "index.html"), "utf8");
  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }).end(JSON.stringify(body));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const path = url.pathname;
    if (request.method !== "GET") return json(response, 405, { error: "only GET" });
    if (path === "/" || path.startsWith("/figure/")) {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(page());
      return;
    }
    const asset = ASSETS[path];
    if (asset) {
      response.writeHead(200, { "content-type": asset.type, "cache-control": "no-store" }).end(readFileSync(join(WEB, asset.file)));
      return;
    }
    if (path === "/api/dashboard") {
      const data = await dashboardData(database);
      return json(response, 200, {
        source: options.source,
        decimals: DECIMALS,
        priceDecimals: PRICE_DECIMALS,
        busy: options.busy?.() ?? false,
        version: await dataVersion(database),
        ...data,
      });
    }
    if (path.startsWith("/api/figure/")) {
      const figure = decodeURIComponent(path.slice("/api/figure/".length));
      const params = Object.fromEntries(
        ["provider", "auction", "proposal", "operator", "day"].flatMap((key) => (url.searchParams.has(key) ? [[key, url.searchParams.get(key) ?? ""]] : [])),
      );
      try {
        return json(response, 200, {
          source: options.source,
          decimals: DECIMALS,
          priceDecimals: PRICE_DECIMALS,
          ...(await figureEvidence(database, figure, params)),
        });
      } catch (error) {
        if (error instanceof UnknownFigureError) return json(response, 404, { error: error.message });
        throw error;
      }
    }
    if (path === "/api/updates") {
      response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
      response.write(`event: version\ndata: ${version || (await dataVersion(database))}\n\n`);
      listeners.add(response);
      request.on("close", () => listeners.delete(response));
      return;
    }
    json(response, 404, { error: `no page at ${path}: open / for the dashboard` });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      if (!response.headersSent) json(response, 500, { error: error.message });
      else response.end();
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}/`,
    close: async () => {
      clearInterval(timer);
      for (const listener of listeners) listener.end();
      listeners.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
