/**
 * The same schema and SQL on a PostgreSQL server: Debian's postgresql, started by the test in
 * a temp folder, indexes the scripted economy to exactly the events, figures and derived tables
 * PGlite holds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { type ScanDatabase, openDatabase } from "../../scan/database";
import { Indexer } from "../../scan/indexer";
import { eventKeys, networkTotals, providerTable } from "../../scan/queries";
import { runtimeName } from "../utils/bank";
import { derivedTables, expectDerivedTablesExact } from "./recompute";
import { type PostgresServer, type ScanEconomy, chainFigures, postgresBinaries, startPostgres, startScanEconomy } from "./scene";

describe("scan: the indexer on a PostgreSQL server", () => {
  let economy: ScanEconomy;
  let server: PostgresServer | undefined;
  let folder: string;
  const databases: ScanDatabase[] = [];

  before(async function () {
    if (runtimeName() !== "litesvm") this.skip();
    const bin = postgresBinaries();
    if (!bin) {
      console.log("    skipped: no PostgreSQL server binaries under /usr/lib/postgresql (install Debian's postgresql package: npm run setup)");
      this.skip();
    }
    server = await startPostgres(bin as string);
    folder = mkdtempSync(join(tmpdir(), "media-scan-"));
    economy = await startScanEconomy();
  });

  after(async () => {
    for (const db of databases) await db.close().catch(() => undefined);
    await economy?.stop();
    server?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("postgres catch-up succeeds: the same events and figures as PGlite, equal to the chain's", async () => {
    const postgres = await openDatabase((server as PostgresServer).url);
    expect(postgres.location).to.match(/^postgres:\/\//);
    const pglite = await openDatabase(join(folder, "db"));
    databases.push(postgres, pglite);
    for (const database of [postgres, pglite]) await new Indexer({ rpc: economy.story.net.url, database }).catchUp();

    expect(await eventKeys(postgres)).to.deep.equal(await eventKeys(pglite));
    const totals = await networkTotals(postgres);
    expect(totals).to.deep.equal(await networkTotals(pglite));
    expect(await providerTable(postgres)).to.deep.equal(await providerTable(pglite));
    const chain = await chainFigures(economy);
    expect(totals.bytesServed).to.equal(chain.bytesServed);
    expect(totals.feesBurned).to.equal(chain.totalFeesBurned);
    expect(totals.activeStake).to.equal(chain.totalActive);
    // The derived tables on the server equal their recomputation from its raw events, and PGlite's.
    expect(await expectDerivedTablesExact(postgres)).to.deep.equal(await derivedTables(pglite));

    // and a restart against the server resumes from its cursors with nothing new to write
    expect((await new Indexer({ rpc: economy.story.net.url, database: postgres }).catchUp()).transactions).to.equal(0);
  });
});
