/**
 * Media Scan as one service: the indexer following the four programs into the database, and
 * the dashboard's web server reading it. `npm run scan` runs it (scan/serve.ts); the dashboard
 * test and the screenshot script start it the same way.
 */
import type { MediaProgramIds } from "../sdk/src";
import type { ScanDatabase } from "./database";
import { Indexer, IndexerStoppedError, migrate } from "./indexer";
import { type DashboardServer, startDashboardServer } from "./server";

export interface MediaScanOptions {
  rpc: string;
  ws?: string;
  database: ScanDatabase;
  programIds?: Partial<MediaProgramIds>;
  port?: number;
  host?: string;
  log?: (line: string) => void;
}

export interface MediaScanService {
  indexer: Indexer;
  dashboard: DashboardServer;
  /** The first catch-up (then the indexer keeps following); rejects if it fails. */
  caughtUp: Promise<void>;
  stop(): Promise<void>;
}

/** Starts the web server at once (the page shows the catch-up's progress), then the indexer. */
export async function startMediaScan(options: MediaScanOptions): Promise<MediaScanService> {
  const log = options.log ?? (() => {});
  await migrate(options.database);
  const indexer = new Indexer({ rpc: options.rpc, ws: options.ws, database: options.database, programIds: options.programIds, log });
  const dashboard = await startDashboardServer({
    database: options.database,
    port: options.port,
    host: options.host,
    source: options.rpc,
    busy: () => indexer.busy(),
  });
  const caughtUp = indexer.follow().then(
    (report) => log(`caught up: ${report.transactions} transactions, ${report.events} events in ${report.seconds.toFixed(1)} s; following`),
    (error: Error) => {
      if (error instanceof IndexerStoppedError) return;
      throw error;
    },
  );
  // The caller may not await it; a failure is still logged.
  caughtUp.catch((error: Error) => log(`indexer: ${error.name}: ${error.message}`));
  return {
    indexer,
    dashboard,
    caughtUp,
    stop: async () => {
      await indexer.stop();
      await dashboard.close();
    },
  };
}
