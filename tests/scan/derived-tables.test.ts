/**
 * The derived tables (scan/totals.ts: per-day and per-provider totals the dashboard reads) stay
 * exact: after a catch-up in chain order each equals the same figures recomputed in TypeScript
 * from the raw events (tests/scan/recompute.ts); and still after every transaction is written
 * twice, after a catch-up stopped mid-way and resumed, after each program's transactions arrive
 * newest first, and in a database indexed before the tables existed, once migrated.
 * The economy: the fake-usage scene (two providers, three consumers, escrows opened hours and
 * minutes before their receipts, a price update), plus a staker who stakes twice the minimum, and
 * a day later requests to unstake half while the treasury's fees are burned.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import { Connection } from "@solana/web3.js";
import { expect } from "chai";
import { MediaEconomy } from "../../sdk/src";
import { type ScanDatabase, openDatabase } from "../../scan/database";
import { PROGRAM_NAMES, type ProgramName } from "../../scan/decode";
import { Indexer, type SourceTransaction, migrate } from "../../scan/indexer";
import { networkTotals } from "../../scan/queries";
import { runtimeName } from "../utils/bank";
import { STORY, fundedWallet } from "../localnet/clients/story";
import { derivedTables, expectDerivedTablesExact, recomputeFromEvents } from "./recompute";
import { type FakeUsageEconomy, programTransactions, startFakeUsageEconomy, travel } from "./scene";

describe("scan: derived tables maintained at write time", () => {
  let economy: FakeUsageEconomy;
  let folder: string;
  let staker: string;
  /** The database indexed in chain order: what the other orders must reach. */
  let ordered: ScanDatabase;
  /** Each program's transactions, newest first (as getSignaturesForAddress lists them). */
  const sources = new Map<ProgramName, SourceTransaction[]>();
  const databases: ScanDatabase[] = [];

  const open = async (name: string) => {
    const db = await openDatabase(join(folder, name));
    databases.push(db);
    return db;
  };
  const replayIndexer = (database: ScanDatabase) => new Indexer({ rpc: economy.story.net.url, database, snapshots: false });

  before(async function () {
    if (runtimeName() !== "litesvm") this.skip();
    folder = mkdtempSync(join(tmpdir(), "media-scan-derived-"));
    economy = await startFakeUsageEconomy();
    const { story } = economy;
    // A new connection: the scene's moved the clock, and web3.js reuses a blockhash it fetched
    // before that for its own sends (the token account, the transfer), which the localnet no longer knows.
    const connection = new Connection(story.net.url, { commitment: "confirmed", wsEndpoint: story.net.localnet?.wsUrl });
    const wallet = await fundedWallet({ ...story, net: { ...story.net, connection } }, 2n * STORY.stake);
    const stakerEconomy = new MediaEconomy(new AnchorProvider(connection, new Wallet(wallet.keypair), { commitment: "confirmed" }));
    await stakerEconomy.staking.stake(2n * STORY.stake, { tokenAccount: wallet.tokenAccount });
    staker = wallet.keypair.publicKey.toBase58();
    // A day later: stake and burns land on a second day, so the per-day tables hold more than one.
    await travel(story, 26 * 3600);
    await stakerEconomy.staking.requestUnstake(STORY.stake);
    await stakerEconomy.treasury.burnFees();

    // Through the indexer's connection, which retries a request the localnet's server dropped.
    const indexer = replayIndexer(await open("sources"));
    for (const [program, transactions] of await programTransactions(indexer)) sources.set(program, transactions);
  });

  after(async () => {
    for (const db of databases) await db.close().catch(() => undefined);
    await economy?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("derived tables succeed when indexed in chain order: each equals its recomputation from the raw events", async () => {
    const db = await open("ordered");
    ordered = db;
    await new Indexer({ rpc: economy.story.net.url, database: db }).catchUp();
    const tables = await expectDerivedTablesExact(db);

    // The scene is all there: both providers' receipts, the attacker's from its new escrow,
    // the burn, and the staker's two days.
    expect(tables.provider_totals.map((row) => row.provider)).to.include.members([economy.honest.provider, economy.attacker.provider]);
    const attackerDays = tables.provider_receipts_daily.filter((row) => row.provider === economy.attacker.provider);
    expect(attackerDays.reduce((sum, row) => sum + BigInt(row.new_escrow_bytes), 0n)).to.equal(economy.attacker.settled.reduce((a, b) => a + b));
    expect(tables.provider_consumer_totals.filter((row) => row.provider === economy.honest.provider).map((row) => row.consumer)).to.have.members(
      economy.honest.consumers,
    );
    expect(tables.burns_daily_totals.filter((row) => row.kind === "fees")).to.have.length(1);
    const stakerDays = tables.staker_day_active.filter((row) => row.owner === staker);
    expect(stakerDays.map((row) => row.active)).to.deep.equal([(2n * STORY.stake).toString(), STORY.stake.toString()]);
    expect(tables.daily_activity.length).to.be.greaterThan(1);

    // The staked series ends at the network's active stake, the sum over stakers.
    const totals = await networkTotals(db);
    const [last] = await db.query<{ staked: string }>("select staked::text from daily_series order by day desc limit 1");
    expect(BigInt(last.staked)).to.equal(totals.activeStake);
    const [{ events }] = await db.query<{ events: string }>("select count(*)::text as events from events");
    expect(totals.events).to.equal(BigInt(events));
  });

  it("derived tables succeed when every transaction is written twice, in one write and again later: nothing counts twice", async () => {
    const db = await open("twice");
    const indexer = replayIndexer(db);
    for (const program of PROGRAM_NAMES) {
      const oldestFirst = [...(sources.get(program) ?? [])].reverse();
      // Each transaction twice in the same write: the second copy's events conflict with the first's.
      await indexer.ingest(program, [...oldestFirst, ...oldestFirst]);
    }
    const once = await expectDerivedTablesExact(db);
    // Written again, each program's whole history, and a catch-up that lost its cursors.
    for (const program of PROGRAM_NAMES) await indexer.ingest(program, [...(sources.get(program) ?? [])].reverse());
    await db.query("delete from cursors");
    await new Indexer({ rpc: economy.story.net.url, database: db, snapshots: false }).catchUp();
    expect(await expectDerivedTablesExact(db)).to.deep.equal(once);
    expect(await networkTotals(db)).to.deep.equal(await networkTotals(ordered));
  });

  it("derived tables succeed when a catch-up stops mid-way and a new run resumes it", async () => {
    const db = await open("resumed");
    let written = 0;
    const stopping = new Indexer({
      rpc: economy.story.net.url,
      database: db,
      fetchWindow: 3,
      snapshots: false,
      afterTransaction: () => {
        written += 1;
        if (written === 12) throw new Error("simulated crash after 12 transactions");
      },
    });
    await stopping.catchUp().then(
      () => expect.fail("the simulated crash did not stop the catch-up"),
      (error: Error) => expect(error.message).to.match(/simulated crash/),
    );
    // What committed so far is exact on its own.
    const partial = await expectDerivedTablesExact(db);
    expect(partial.daily_activity.length).to.be.greaterThan(0);
    await new Indexer({ rpc: economy.story.net.url, database: db, snapshots: false }).catchUp();
    await expectDerivedTablesExact(db);
    expect(await networkTotals(db)).to.deep.equal(await networkTotals(ordered));
  });

  it("derived tables succeed when each program's transactions arrive newest first: receipts judged before their escrow's opening move to its consumer", async () => {
    const db = await open("reversed");
    const indexer = replayIndexer(db);
    // One transaction a write, each program newest first; bandwidth (openings and receipts) last.
    for (const program of ["staking", "treasury", "governance", "bandwidth"] as ProgramName[]) {
      for (const source of sources.get(program) ?? []) await indexer.ingest(program, [source]);
    }
    const tables = await expectDerivedTablesExact(db);
    // Every receipt was written before its escrow's opening (no consumer yet); only the openings,
    // written later, moved them to the consumers they name.
    expect(tables.provider_consumer_totals.filter((row) => economy.honest.consumers.includes(row.consumer))).to.have.length(2);
    // Out of order, the staker's unstake came before its stake: the later change still wins.
    const [stakerRow] = tables.staker_totals.filter((row) => row.owner === staker);
    expect(stakerRow.active).to.equal(STORY.stake.toString());
    expect(await networkTotals(db)).to.deep.equal(await networkTotals(ordered));
  });

  it("derived tables succeed when the database was indexed before they existed: opening it fills them once", async () => {
    const db = ordered;
    const before = await derivedTables(db);
    const totals = await networkTotals(db);
    // The schema before the tables: none of them, no mark, and the views over events.
    await db.exec(`
      drop table daily_activity, receipts_daily, provider_receipts_daily, provider_totals, provider_consumer_totals,
        burns_daily_totals, stake_daily_totals, staker_totals, staker_day_active, escrow_fee_payers cascade;
      delete from scan_meta where key = 'derived_version';
      create view stakers as select data->>'owner' as owner from events where name = 'Staked';
      create view daily as select day, count(*) as events from event_days group by day;
      create view escrow_payers as select e.data->>'escrow' as escrow, e.name, e.signature, e.slot, e.id, t.fee_payer
        from events e join transactions t on t.signature = e.signature where e.name in ('EscrowOpened', 'EscrowFunded');`);
    await migrate(db);
    expect(await derivedTables(db)).to.deep.equal(before);
    expect(await derivedTables(db)).to.deep.equal(await recomputeFromEvents(db));
    expect(await networkTotals(db)).to.deep.equal(totals);
    // Opening it again changes nothing (the fill runs once).
    await db.query("insert into daily_activity (day, events, transactions) values ('1969-12-31', 0, 0)");
    await migrate(db);
    expect((await derivedTables(db)).daily_activity[0].day).to.equal("1969-12-31");
    await db.query("delete from daily_activity where day = '1969-12-31'");
  });
});
