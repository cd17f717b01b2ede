/**
 * `npm run scan:index -- --rpc <url> [--ws <url>] [--database <dir | postgres://...>]
 *   [--staking <id> --bandwidth <id> --treasury <id> --governance <id>] [--once]`
 *
 * Catches up with the four MEDIA programs' history, then follows them until Ctrl-C. Run it
 * again after a crash or Ctrl-C: it resumes from the cursors stored in the database.
 */
import { parseArgs } from "node:util";
import { INDEXER_OPTIONS, ScanUsageError, programIdsFrom, requireRpc, stopOnSignal } from "./args";
import { DEFAULT_DATABASE_DIR, openDatabase } from "./database";
import { Indexer, IndexerStoppedError } from "./indexer";
import { networkTotals } from "./queries";

const USAGE = `usage: npm run scan:index -- --rpc <url> [--ws <url>] [--database <dir | postgres://...>] [--once]
  --rpc        JSON-RPC endpoint (e.g. http://127.0.0.1:8899 for \`npm run localnet\`)
  --ws         websocket endpoint for logsSubscribe (default: the RPC port + 1)
  --database   a folder for the embedded database (default ${DEFAULT_DATABASE_DIR}) or a postgres:// URL
  --once       catch up and exit instead of following
  --staking, --bandwidth, --treasury, --governance   program ids, when not the default deployment's`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...INDEXER_OPTIONS,
      once: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.rpc) throw new ScanUsageError(`--rpc is required\n${USAGE}`);
  const programIds = programIdsFrom(values);
  const database = await openDatabase(values.database);
  console.log(`media scan: indexing ${values.rpc} into ${database.location}`);
  const indexer = new Indexer({ rpc: values.rpc, ws: values.ws, database, programIds, log: (line) => console.log(line) });
  try {
    await requireRpc(indexer.connection, values.rpc);
  } catch (error) {
    await database.close();
    throw error;
  }
  stopOnSignal(() => indexer.stop(), database);
  try {
    const report = values.once ? await indexer.catchUp() : await indexer.follow();
    const totals = await networkTotals(database);
    console.log(
      `caught up: ${report.transactions} transactions, ${report.events} events in ${report.seconds.toFixed(1)} s; ` +
        `${totals.events} events indexed in all, ${totals.bytesServed} bytes served, ${totals.providers} providers`,
    );
  } catch (error) {
    if (error instanceof IndexerStoppedError) return;
    throw error;
  }
  if (values.once) {
    await indexer.stop();
    await database.close();
    return;
  }
  console.log("following new transactions (Ctrl-C to stop)");
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`${error.name}: ${error.message}`);
  process.exit(1);
});
