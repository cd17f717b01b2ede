/**
 * Media Scan's indexer against an in-process localnet running a scripted economy (genesis over
 * RPC, a stake, a provider, an escrow, settled receipts, a fee burn): it catches up into PGlite
 * in a temp folder, its figures equal the chain's token balances and config counters, a run
 * stopped mid-way and restarted (or replayed after losing its cursors) leaves no gap and no
 * duplicate, following picks up new transactions through logsSubscribe, each pass reads the
 * indexed operators' activity runs, and a snapshot only claims a slot whose transactions it saw
 * whole (the localnet answers in its open slot; the test holds that slot open).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { GIB } from "../../sdk/src";
import { type ScanDatabase, openDatabase } from "../../scan/database";
import { dashboardData } from "../../scan/dashboard";
import { Indexer, IndexerStoppedError } from "../../scan/indexer";
import { eventKeys, networkTotals, providerTable } from "../../scan/queries";
import { runtimeName } from "../utils/bank";
import { STORY, eventually } from "../localnet/clients/story";
import { HoldableClock, type ScanEconomy, chainFigures, nextSlot, startScanEconomy } from "./scene";

describe("scan: the indexer over a localnet economy", () => {
  let economy: ScanEconomy;
  const clock = new HoldableClock();
  let folder: string;
  const databases: ScanDatabase[] = [];
  const indexers: Indexer[] = [];

  const open = async (name: string) => {
    const db = await openDatabase(join(folder, name));
    databases.push(db);
    return db;
  };
  const indexerOn = (database: ScanDatabase, extra: Partial<ConstructorParameters<typeof Indexer>[0]> = {}) => {
    const indexer = new Indexer({ rpc: economy.story.net.url, ws: economy.story.net.localnet?.wsUrl, database, pageSize: 7, fetchWindow: 3, ...extra });
    indexers.push(indexer);
    return indexer;
  };

  before(async function () {
    if (runtimeName() !== "litesvm") this.skip();
    folder = mkdtempSync(join(tmpdir(), "media-scan-"));
    economy = await startScanEconomy({ now: clock.now });
  });

  after(async () => {
    clock.release();
    for (const indexer of indexers) await indexer.stop();
    for (const db of databases) await db.close().catch(() => undefined);
    await economy?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("catch-up succeeds when the economy has run: the derived figures equal the chain's counters and balances", async () => {
    const db = await open("full");
    const lines: string[] = [];
    const report = await indexerOn(db, { log: (line) => lines.push(line) }).catchUp();
    expect(report.events).to.be.greaterThan(10);
    expect(
      lines.some((line) => /^\d+ of \d+ signatures, \d+ events, [\d.]+ events\/s$/.test(line)),
      lines.join("\n"),
    ).to.equal(true);

    const totals = await networkTotals(db);
    const chain = await chainFigures(economy);
    expect(totals.bytesServed).to.equal(chain.bytesServed);
    expect(totals.bytesServed).to.equal(4n * GIB);
    expect(totals.receipts).to.equal(2n);
    const fees = totals.feesByMint[economy.story.mediaMint.toBase58()];
    expect(fees.amount).to.equal(chain.feesPaidMedia);
    // The protocol's revenue is the stakers' cut plus the treasury's.
    expect(fees.treasury + fees.stakers).to.equal(chain.protocolRevenueMedia);
    expect(fees.stakers).to.equal(chain.stakerRewardsPaid);
    expect(fees.provider).to.equal(chain.operatorBalance);
    expect(totals.feesBurned > 0n).to.equal(true);
    expect(totals.feesBurned).to.equal(chain.totalFeesBurned);
    expect(totals.buybackBurned).to.equal(chain.totalBuybackBurned);
    expect(totals.activeStake).to.equal(chain.totalActive);
    expect(totals.stakers).to.equal(1n);

    const [provider] = await providerTable(db);
    expect(provider.operator).to.equal(economy.operator.provider.publicKey?.toBase58());
    expect(provider.mediaPricePerGib).to.equal(STORY.prices.media);
    expect(provider.bytesServed).to.equal(4n * GIB);
    expect(provider.revenue).to.equal(chain.operatorBalance);
    expect(provider.escrows).to.equal(1n);
    expect(provider.operatorStake).to.equal(STORY.stake);

    // and a second pass finds nothing new
    expect((await indexerOn(db).catchUp()).transactions).to.equal(0);
  });

  it("resume succeeds when a run is stopped mid-way, and when the cursors are lost: no gap, no duplicate", async () => {
    const reference = await eventKeys(databases[0]);
    const db = await open("resumed");
    let written = 0;
    const first = indexerOn(db, {
      afterTransaction: async () => {
        written += 1;
        if (written === 5) void first.stop();
      },
    });
    let stopped: unknown;
    await first.catchUp().catch((error) => {
      stopped = error;
    });
    expect(stopped).to.be.instanceOf(IndexerStoppedError);
    const partial = await eventKeys(db);
    expect(partial.length).to.be.greaterThan(0).and.lessThan(reference.length);

    // When a new run starts from the stored cursors
    await indexerOn(db).catchUp();
    expect(await eventKeys(db)).to.deep.equal(reference);

    // and when every cursor is lost after the events were written (a crash between the two)
    await db.query("delete from cursors");
    await db.query("delete from transactions");
    await indexerOn(db).catchUp();
    expect(await eventKeys(db)).to.deep.equal(reference);
    const [{ duplicates }] = await db.query<{ duplicates: string }>(
      "select count(*)::text as duplicates from (select signature, event_index from events group by 1, 2 having count(*) > 1) d",
    );
    expect(duplicates).to.equal("0");
  });

  it("follow succeeds when new transactions arrive: logsSubscribe brings them in without a new catch-up call", async () => {
    const db = await open("follow");
    const indexer = indexerOn(db);
    await indexer.follow();
    const before = await networkTotals(db);
    expect(before.bytesServed).to.equal(4n * GIB);

    await economy.settle(2n * GIB);
    await economy.operator.treasury.burnFees();

    let totals = before;
    await eventually(
      () => {
        void networkTotals(db).then((latest) => {
          totals = latest;
        });
        return totals.feesBurned > before.feesBurned && totals.bytesServed === 6n * GIB && !indexer.busy();
      },
      "the followed receipt and burn to be indexed",
      20_000,
    );
    const chain = await chainFigures(economy);
    expect(totals.bytesServed).to.equal(chain.bytesServed);
    expect(totals.feesBurned).to.equal(chain.totalFeesBurned);
    expect(totals.feesByMint[economy.story.mediaMint.toBase58()].provider).to.equal(chain.operatorBalance);
    expect(indexer.errors()).to.deep.equal([]);
  });

  it("catch-up reads the runs of the operators it indexed: a pool new to a pass, and one known before it, show active as staking reads them", async () => {
    // Given the story's provider, who has settled receipts and whose pool its registration opened, binds its stake
    const operator = economy.operator.provider.publicKey;
    if (!operator) throw new Error("the operator signs");
    await economy.operator.staking.delegate(operator);
    const db = await open("operators");
    const indexer = indexerOn(db);
    // When a fresh indexer catches up (the pool is new to that pass), and again after a settlement (known before it)
    for (const pass of ["new", "known"]) {
      if (pass === "known") await economy.settle(GIB);
      await indexer.catchUp();
      // Then its row says active, with staking's APRs, as the SDK reads the chain at the snapshot's clock
      const data = await dashboardData(db);
      const chain = await economy.operator.staking.operatorPool(operator, BigInt(data.indexedThrough?.at ?? "0"));
      expect(chain?.active, pass).to.equal(true);
      expect(data.operators, pass).to.have.length(1);
      expect(data.operators[0], pass).to.deep.include({ active: true, aprDelegator: chain?.apr.delegator, aprOperator: chain?.apr.operator });
      expect(data.operators[0].aprOperator, pass).to.not.equal(null);
    }
  });

  it("a snapshot claims only what it saw: a burn landing in the snapshot's slot after the read is indexed under a later snapshot that includes it", async () => {
    // Given an indexer that has caught up, and receipts settled since, so the treasury holds fees to burn
    const db = await open("claims");
    await indexerOn(db).catchUp();
    await economy.settle(GIB);
    const { connection } = economy.story.net;
    const supply = async () => BigInt((await connection.getTokenSupply(economy.story.mediaMint, "confirmed")).value.amount);
    const supplyBefore = await supply();

    // When the localnet's slot stays open, and the treasury burns its fees in it just after a
    // pass read the snapshot (the supply) and before that pass lists the programs' transactions;
    // then the slot closes, as the localnet's timer would close it
    clock.hold();
    let burn: { signature: string; readSlot: number } | undefined;
    const indexer = indexerOn(db, {
      afterSnapshotRead: async (snapshot) => {
        if (burn) return;
        burn = { signature: await economy.operator.treasury.burnFees(), readSlot: snapshot.readSlots.last };
        await nextSlot(economy.story);
      },
    });
    try {
      await indexer.catchUp();
    } finally {
      clock.release();
    }
    if (!burn) throw new Error("the pass read no snapshot");
    const burnSlot = (await connection.getTransaction(burn.signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 }))?.slot;
    expect(burnSlot, "the burn lands in the slot the snapshot was read in").to.equal(burn.readSlot);
    const supplyAfter = await supply();
    expect(supplyAfter < supplyBefore, "the burn lowers the supply").to.equal(true);

    // Then the dashboard's supply is the chain's, its burns are the treasury's, and the two
    // agree: supply plus burns is the same genesis supply as before the burn
    const treasury = await economy.operator.treasury.fetchConfig();
    const data = await dashboardData(db);
    expect(BigInt(data.totals.supply)).to.equal(supplyAfter);
    expect(BigInt(data.totals.burned)).to.equal(treasury.totalBurned);
    expect(BigInt(data.totals["genesis-supply"])).to.equal(supplyAfter + treasury.totalBurned);
    // and it is indexed through the burn's slot
    expect(Number(data.indexedThrough?.slot)).to.be.at.least(burnSlot as number);
    // and no snapshot claims the burn's slot, or a later one, with the supply from before it
    const claims = await db.query<{ slot: string; supply: string }>("select slot::text, media_supply::text as supply from snapshots where slot >= $1", [
      burnSlot,
    ]);
    expect(claims.length).to.be.greaterThan(0);
    expect(claims.filter((claim) => BigInt(claim.supply) !== supplyAfter)).to.deep.equal([]);
    expect(indexer.errors()).to.deep.equal([]);
  });
});
