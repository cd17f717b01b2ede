/**
 * `npm run bench:scan [-- --sizes 10000,100000,1000000 --databases pglite,postgres --rpc-events 10000 --window 256]`
 * `--results FILE` appends each measurement to FILE (JSON lines) as it is taken, so a run cut
 * short keeps what it measured; `--render FILE,FILE...` writes the section from such files
 * (runs split across processes, e.g. one database each) without measuring anything.
 *
 * Media Scan at scale: indexing throughput (events per second) and the dashboard's query
 * latency at each size, on the embedded PGlite and on Debian's PostgreSQL server (started here
 * in a temp folder, as tests/scan/postgres.test.ts starts it).
 * - The RPC catch-up path: a scripted economy on an in-process localnet logs `--rpc-events`
 *   events, and the indexer catches up with it over JSON-RPC.
 * - Larger sizes: that economy's recorded transactions, replayed through the indexer's own
 *   decode and write path with fresh signatures over a generated network (scripts/scan-bench/replay.ts).
 * Rewrites only the section of BENCHMARKS.md between its scan-bench markers (appended if absent).
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type ScanDatabase, openDatabase } from "../scan/database";
import { Indexer } from "../scan/indexer";
import { fakeUsageSignals, networkTotals, providerTable } from "../scan/queries";
import { type PostgresServer, postgresBinaries, startPostgres } from "../tests/scan/scene";
import { startBenchEconomy } from "./scan-bench/economy";
import { type Template, type WorldShape, planHistory, recordTemplates, replay } from "./scan-bench/replay";

process.env.MEDIA_RUNTIME ??= "litesvm";

const START_MARK = "<!-- scan-bench:start -->";
const END_MARK = "<!-- scan-bench:end -->";

type DatabaseKind = "pglite" | "postgres";
const DATABASE_NAMES: Record<DatabaseKind, string> = { pglite: "PGlite (embedded)", postgres: "PostgreSQL server" };

/** The dashboard's queries, each timed as the page runs it. */
const QUERIES: { name: string; run: (db: ScanDatabase, context: { provider: string }) => Promise<unknown> }[] = [
  { name: "networkTotals", run: (db) => networkTotals(db) },
  { name: "providerTable", run: (db) => providerTable(db) },
  { name: "fakeUsageSignals", run: (db) => fakeUsageSignals(db) },
  { name: "per-day network series (`daily`)", run: (db) => db.query("select * from daily order by day") },
  {
    name: "per-day revenue, burns, stake",
    run: async (db) => {
      await db.query("select * from protocol_revenue_daily order by day, mint");
      await db.query("select * from burns_daily order by day, kind");
      await db.query("select * from stake_daily order by day");
    },
  },
  { name: "one provider's per-day series", run: (db, { provider }) => db.query("select * from provider_daily where provider = $1 order by day", [provider]) },
];

const fmt = (value: number) => value.toLocaleString("en-US");
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

interface Throughput {
  path: string;
  database: DatabaseKind;
  events: number;
  transactions: number;
  seconds: number;
}

interface Latency {
  database: DatabaseKind;
  size: number;
  query: string;
  /** Median of the runs, in milliseconds. */
  ms: number;
}

/** Median wall time of `runs` runs (the first warms caches and is counted like the rest); fewer when one run is slow. */
async function time(run: () => Promise<unknown>, runs = 3): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
    if (samples[i] > 20_000) break;
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor((samples.length - 1) / 2)];
}

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "10000,100000,1000000" },
      databases: { type: "string", default: "pglite,postgres" },
      "rpc-events": { type: "string", default: "10000" },
      window: { type: "string", default: "256" },
      "no-write": { type: "boolean", default: false },
      results: { type: "string" },
      render: { type: "string" },
    },
  });
  if (values.render) {
    const section = renderResults(values.render.split(","));
    console.log(`\n${section}`);
    if (!values["no-write"]) writeSection(section);
    return;
  }
  const record = (measurement: Measurement) => {
    if (values.results) appendFileSync(values.results, `${JSON.stringify(measurement)}\n`);
  };
  const sizes = values.sizes.split(",").map(Number);
  const kinds = values.databases.split(",") as DatabaseKind[];
  const rpcEvents = Number(values["rpc-events"]);
  const window = Number(values.window);
  const folder = mkdtempSync(join(tmpdir(), "media-scan-bench-"));
  let server: PostgresServer | undefined;
  const throughput: Throughput[] = [];
  const latency: Latency[] = [];
  const shapes = new Map<number, WorldShape>();
  let economy: Awaited<ReturnType<typeof startBenchEconomy>> | undefined;
  try {
    if (kinds.includes("postgres")) {
      const bin = postgresBinaries();
      if (!bin)
        throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql: install Debian's postgresql (npm run setup) or pass --databases pglite");
      // Room for a million events' tables and indexes in its buffers, as a server sized for the job would have.
      server = await startPostgres(bin, ["shared_buffers=1GB", "work_mem=64MB"]);
      log(`PostgreSQL server from ${bin} at ${server.url.replace(/\/\/[^@]*@/, "//")}`);
    }
    let databaseCount = 0;
    const open = async (kind: DatabaseKind): Promise<ScanDatabase> => {
      const name = `bench${++databaseCount}`;
      if (kind === "pglite") return openDatabase(join(folder, name));
      const admin = await openDatabase((server as PostgresServer).url);
      await admin.exec(`create database ${name}`);
      await admin.close();
      return openDatabase((server as PostgresServer).url.replace(/\/[^/]*$/, `/${name}`));
    };

    log(`scripted economy on an in-process localnet: ${fmt(rpcEvents)} events`);
    economy = await startBenchEconomy({ providers: 8, consumers: 48, events: rpcEvents, log });
    const rpc = economy.story.net.url;
    let templates: Map<string, Template> | undefined;
    for (const kind of kinds) {
      const db = await open(kind);
      log(`RPC catch-up into ${DATABASE_NAMES[kind]}`);
      const report = await new Indexer({ rpc, database: db, log: (line) => log(`  ${line}`) }).catchUp();
      throughput.push({ path: "RPC catch-up (getSignaturesForAddress + getTransaction, 16 at a time)", database: kind, ...report });
      record({ throughput: throughput[throughput.length - 1] });
      templates ??= await recordTemplates(economy.story.net.connection, db, economy.roles, new Indexer({ rpc, database: db }).programIds);
      await db.close();
    }
    await economy.stop();
    economy = undefined;
    if (!templates) throw new Error("no database to record the economy's transactions from: pass --databases");
    log(
      `recorded ${templates.size} transactions to replay: ${[...new Set([...templates.keys()].map((key) => key.replace(/\/genesis\/.*/, "/genesis")))].join(", ")}`,
    );

    for (const size of sizes) {
      const { plan, shape } = planHistory(templates, size);
      shapes.set(size, shape);
      record({ size, shape });
      log(
        `${fmt(size)} events: ${fmt(shape.providers)} providers, ${fmt(shape.escrows)} escrows, ${fmt(shape.consumers)} consumers, ${fmt(shape.receipts)} receipts over ${shape.days} days`,
      );
      for (const kind of kinds) {
        const db = await open(kind);
        // No RPC is reached: `ingest` is the catch-up's decode and write step.
        const indexer = new Indexer({ rpc: "http://127.0.0.1:9", database: db });
        log(`replaying ${fmt(plan.length)} transactions into ${DATABASE_NAMES[kind]}`);
        const report = await replay(
          plan,
          (program, transactions) => indexer.ingest(program, transactions),
          window,
          (done, events, seconds) =>
            log(`  ${fmt(done)} of ${fmt(plan.length)} transactions, ${fmt(events)} events, ${(events / seconds).toFixed(0)} events/s`),
        );
        throughput.push({ path: `replay (decode + write, ${window} transactions a write)`, database: kind, ...report });
        record({ throughput: throughput[throughput.length - 1] });
        log(`  ${fmt(report.events)} events in ${report.seconds.toFixed(1)} s: ${(report.events / report.seconds).toFixed(0)} events/s`);
        const [{ provider }] = await db.query<{ provider: string }>(
          "select provider from provider_totals group by provider order by sum(receipts) desc, provider limit 1",
        );
        for (const query of QUERIES) {
          const ms = await time(() => query.run(db, { provider }));
          latency.push({ database: kind, size, query: query.name, ms });
          record({ latency: latency[latency.length - 1] });
          log(`  ${query.name}: ${ms.toFixed(1)} ms`);
        }
        await db.close();
        if (kind === "pglite") rmSync(join(folder, `bench${databaseCount}`), { recursive: true, force: true });
      }
    }
  } finally {
    await economy?.stop();
    server?.stop();
    rmSync(folder, { recursive: true, force: true });
  }
  const section = render(throughput, latency, sizes, kinds, shapes);
  console.log(`\n${section}`);
  if (!values["no-write"]) {
    writeSection(section);
    log("BENCHMARKS.md: scan-bench section rewritten");
  }
}

/** One line of a `--results` file. */
type Measurement = { throughput: Throughput } | { latency: Latency } | { size: number; shape: WorldShape };

/**
 * The section from `--results` files: sizes and databases as measured (databases in their usual
 * order), and one RPC catch-up row per database (the first file's).
 */
function renderResults(files: string[]): string {
  const throughput: Throughput[] = [];
  const latency: Latency[] = [];
  const shapes = new Map<number, WorldShape>();
  for (const file of files) {
    for (const line of readFileSync(file, "utf8").split("\n").filter(Boolean)) {
      const measurement = JSON.parse(line) as Measurement;
      if ("throughput" in measurement) {
        const row = measurement.throughput;
        const rpc = row.path.startsWith("RPC");
        if (!rpc || !throughput.some((seen) => seen.path === row.path && seen.database === row.database)) throughput.push(row);
      } else if ("latency" in measurement) latency.push(measurement.latency);
      else shapes.set(measurement.size, measurement.shape);
    }
  }
  const sizes = [...shapes.keys()].sort((a, b) => a - b);
  const kinds = (Object.keys(DATABASE_NAMES) as DatabaseKind[]).filter((kind) => latency.some((row) => row.database === kind));
  const order = (row: Throughput) => (row.path.startsWith("RPC") ? 0 : 1) * 1e12 + row.events * 10 + kinds.indexOf(row.database);
  return render(
    throughput.sort((a, b) => order(a) - order(b)),
    latency,
    sizes,
    kinds,
    shapes,
  );
}

function render(throughput: Throughput[], latency: Latency[], sizes: number[], kinds: DatabaseKind[], shapes: Map<number, WorldShape>): string {
  const lines: string[] = [];
  lines.push("## Media Scan at scale", "");
  lines.push(
    `\`npm run bench:scan\` on this machine (${cpus().length} cores, shared; Node ${process.version}): wall times, indicative. The RPC row is the indexer`,
    "catching up over JSON-RPC with an in-process localnet where a scripted economy (providers, escrows, settled receipts, fee",
    "burns) logged its events. Larger sizes are generated, not sent through the RPC: that economy's own transactions, one of each",
    "kind, replayed through the indexer's decode and write path (`Indexer.ingest`) with fresh signatures, spread over a generated",
    "network and 180 days (scripts/scan-bench/replay.ts). The write path includes the derived tables (scan/totals.ts: per-day",
    "and per-provider totals, escrow fee payers) written in each batch's transaction; the dashboard's totals read them.",
    "",
  );
  lines.push("| size | providers | escrows | consumers | receipts | days |", "|---:|---:|---:|---:|---:|---:|");
  for (const size of sizes) {
    const shape = shapes.get(size);
    if (shape)
      lines.push(
        `| ${fmt(shape.events)} | ${fmt(shape.providers)} | ${fmt(shape.escrows)} | ${fmt(shape.consumers)} | ${fmt(shape.receipts)} | ${shape.days} |`,
      );
  }
  lines.push("", "### Indexing throughput", "", "| path | database | events | transactions | seconds | events/s |", "|---|---|---:|---:|---:|---:|");
  for (const row of throughput) {
    lines.push(
      `| ${row.path} | ${DATABASE_NAMES[row.database]} | ${fmt(row.events)} | ${fmt(row.transactions)} | ${row.seconds.toFixed(1)} | ${fmt(Math.round(row.events / row.seconds))} |`,
    );
  }
  lines.push("", "### Dashboard query latency", "", "Milliseconds, median of 3 runs, at each number of indexed events.", "");
  const measured = (kind: DatabaseKind, size: number) => latency.some((row) => row.database === kind && row.size === size);
  const columns = kinds.flatMap((kind) => sizes.map((size) => ({ kind, size }))).filter(({ kind, size }) => measured(kind, size));
  const missing = kinds.flatMap((kind) => sizes.filter((size) => !measured(kind, size)).map((size) => `${DATABASE_NAMES[kind]} at ${fmt(size)} events`));
  if (missing.length) lines.push(`Not measured in this run (cut short): ${missing.join(", ")}.`, "");
  lines.push(`| query | ${columns.map(({ kind, size }) => `${DATABASE_NAMES[kind].split(" ")[0]} ${fmt(size)}`).join(" | ")} |`);
  lines.push(`|---|${columns.map(() => "---:").join("|")}|`);
  for (const query of QUERIES) {
    const cells = columns.map(({ kind, size }) => {
      const found = latency.find((row) => row.database === kind && row.size === size && row.query === query.name);
      return found ? (found.ms < 10 ? found.ms.toFixed(1) : fmt(Math.round(found.ms))) : "";
    });
    lines.push(`| ${query.name} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

/** Replaces the marked section of BENCHMARKS.md (or appends it), leaving the rest as it is. */
function writeSection(section: string): void {
  const path = join(__dirname, "..", "BENCHMARKS.md");
  const text = existsSync(path) ? readFileSync(path, "utf8") : "";
  const block = `${START_MARK}\n${section}\n${END_MARK}`;
  const start = text.indexOf(START_MARK);
  const end = text.indexOf(END_MARK);
  const next = start >= 0 && end > start ? text.slice(0, start) + block + text.slice(end + END_MARK.length) : `${text.replace(/\n*$/, "\n\n")}${block}\n`;
  writeFileSync(path, next);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`${error.name}: ${error.message}`);
    process.exit(1);
  },
);
