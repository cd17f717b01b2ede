/**
 * `npm run scan -- --rpc <url> [--ws <url>] [--database <dir | postgres://...>] [--port N] [--host H]
 *   [--staking <id> --bandwidth <id> --treasury <id> --governance <id>]`
 *
 * Serves the Media Scan dashboard on a local port while the indexer catches up with the four
 * programs and follows them; the page refreshes itself as transactions arrive. Ctrl-C stops
 * both; the next run resumes from the database.
 */
import { parseArgs } from "node:util";
import { INDEXER_OPTIONS, ScanUsageError, programIdsFrom, requireRpc, stopOnSignal } from "./args";
import { DEFAULT_DATABASE_DIR, openDatabase } from "./database";
import { startMediaScan } from "./service";
import { Connection } from "@solana/web3.js";

const USAGE = `usage: npm run scan -- --rpc <url> [--ws <url>] [--database <dir | postgres://...>] [--port N] [--host H]
  --rpc        JSON-RPC endpoint (http://127.0.0.1:8899 for \`npm run localnet -- --dev\`, or a devnet URL)
  --ws         websocket endpoint for logsSubscribe (default: the RPC port + 1)
  --database   a folder for the embedded database (default ${DEFAULT_DATABASE_DIR}) or a postgres:// URL
  --port       the dashboard's port (default 8787; 0 picks a free one)
  --host       the address to listen on (default 127.0.0.1)
  --staking, --bandwidth, --treasury, --governance   program ids, when not the default deployment's`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...INDEXER_OPTIONS,
      port: { type: "string", default: "8787" },
      host: { type: "string", default: "127.0.0.1" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.rpc) throw new ScanUsageError(`--rpc is required\n${USAGE}`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ScanUsageError(`--port ${values.port}: not a port number (0 to 65535)`);
  const programIds = programIdsFrom(values);
  await requireRpc(new Connection(values.rpc, "confirmed"), values.rpc);
  const database = await openDatabase(values.database);
  let scan: Awaited<ReturnType<typeof startMediaScan>>;
  try {
    scan = await startMediaScan({ rpc: values.rpc, ws: values.ws, database, programIds, port, host: values.host, log: (line) => console.log(line) });
  } catch (error) {
    await database.close();
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new ScanUsageError(`port ${port} is taken: pass --port N (or --port 0 for a free one)`);
    throw error;
  }
  console.log(`media scan: indexing ${values.rpc} into ${database.location}`);
  console.log(`dashboard: ${scan.dashboard.url} (Ctrl-C to stop)`);
  stopOnSignal(() => scan.stop(), database);
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`${error.name}: ${error.message}`);
  process.exit(1);
});
