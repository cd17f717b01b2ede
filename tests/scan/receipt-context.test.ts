/**
 * The table receipt_context, written with the events, holds exactly the rows of the view it
 * replaced (receipt_context_live, which computes each receipt's escrow opening and list price
 * by lookups): after a catch-up in chain order, after the same transactions written in reverse
 * (each receipt before the opening and price update it is judged against), and in a database
 * indexed before the table existed, once migrated.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { type ScanDatabase, openDatabase } from "../../scan/database";
import type { ProgramName } from "../../scan/decode";
import { Indexer, migrate } from "../../scan/indexer";
import { runtimeName } from "../utils/bank";
import { type FakeUsageEconomy, programTransactions, startFakeUsageEconomy } from "./scene";

describe("scan: receipt context maintained at write time", () => {
  let economy: FakeUsageEconomy;
  let folder: string;
  const databases: ScanDatabase[] = [];

  const open = async (name: string) => {
    const db = await openDatabase(join(folder, name));
    databases.push(db);
    return db;
  };
  const table = (db: ScanDatabase) => db.query("select * from receipt_context order by id");
  const view = (db: ScanDatabase) => db.query("select * from receipt_context_live order by id");

  before(async function () {
    if (runtimeName() !== "litesvm") this.skip();
    folder = mkdtempSync(join(tmpdir(), "media-scan-context-"));
    economy = await startFakeUsageEconomy();
  });

  after(async () => {
    for (const db of databases) await db.close().catch(() => undefined);
    await economy?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("receipt context succeeds when indexed in chain order: the table equals the view, one row per receipt", async () => {
    const db = await open("ordered");
    await new Indexer({ rpc: economy.story.net.url, database: db }).catchUp();
    const rows = await table(db);
    const [{ receipts }] = await db.query<{ receipts: number }>("select count(*)::integer as receipts from receipts");
    expect(rows).to.have.length(receipts).and.length.greaterThan(3);
    expect(rows).to.deep.equal(await view(db));
    // every receipt found its escrow's opening and its provider's price
    expect(rows.filter((row) => row.opened_signature === null || row.list_price_per_gib === null)).to.deep.equal([]);
  });

  it("receipt context succeeds when each program's transactions arrive newest first: later openings and price updates recompute the receipts they judge", async () => {
    const indexer = new Indexer({ rpc: economy.story.net.url, database: await open("reversed") });
    const byProgram = await programTransactions(indexer);
    // Newest first, one transaction a write: each receipt before its escrow's opening and its
    // provider's registration and price update (the configs, which recompute every receipt, come first).
    for (const program of ["staking", "treasury", "governance", "bandwidth"] as ProgramName[]) {
      for (const source of byProgram.get(program) ?? []) await indexer.ingest(program, [source]);
    }
    const db = databases[databases.length - 1];
    const rows = await table(db);
    expect(rows).to.have.length.greaterThan(3);
    expect(rows).to.deep.equal(await view(db));
    // Every receipt was written before any opening or price: only a recompute filled these in
    // (a receipt in the same slot as its opening, written before it, has none in the view either).
    expect(rows.filter((row) => row.opened_signature !== null)).to.have.length.greaterThan(1);
    expect(rows.filter((row) => row.list_price_per_gib !== null)).to.have.length.greaterThan(1);
  });

  it("receipt context succeeds when the database was indexed while it was a view: migrating fills the table", async () => {
    const db = databases[0];
    const expected = await table(db);
    // The schema before the table: receipt_context a view over the same lookups.
    await db.exec("drop table receipt_context cascade; create view receipt_context as select * from receipt_context_live;");
    await migrate(db);
    const [{ kind }] = await db.query<{ kind: string }>("select relkind::text as kind from pg_class where relname = 'receipt_context'");
    expect(kind).to.equal("r");
    expect(await table(db)).to.deep.equal(expected);
  });
});
