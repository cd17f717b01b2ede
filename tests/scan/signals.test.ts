/**
 * Fake-usage signals over a scripted economy: an attacker that settles receipts from an escrow it
 * paid for in a puppet's name, under its list price, from one consumer, right after opening it, is flagged with the
 * transactions behind each flag; an honest provider with two consumers paying its price from
 * escrows opened hours before is not. The same SQL gives the same signals on PostgreSQL.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { type ScanDatabase, openDatabase } from "../../scan/database";
import { Indexer } from "../../scan/indexer";
import { type FakeUsageSignal, fakeUsageSignals } from "../../scan/queries";
import { runtimeName } from "../utils/bank";
import { STORY } from "../localnet/clients/story";
import { type FakeUsageEconomy, startFakeUsageEconomy, withIndexedPostgres } from "./scene";

type Of<K extends FakeUsageSignal["signal"]> = Extract<FakeUsageSignal, { signal: K }>;

describe("scan: fake-usage signals", () => {
  let economy: FakeUsageEconomy;
  let folder: string;
  let db: ScanDatabase;
  let signals: FakeUsageSignal[];
  let receiptSignatures: string[];

  const one = <K extends FakeUsageSignal["signal"]>(signal: K): Of<K> => {
    const found = signals.filter((row) => row.signal === signal && row.provider === economy.attacker.provider);
    expect(found, `${signal} signals for the attacker`).to.have.length(1);
    return found[0] as Of<K>;
  };

  before(async function () {
    if (runtimeName() !== "litesvm") this.skip();
    folder = mkdtempSync(join(tmpdir(), "media-scan-signals-"));
    economy = await startFakeUsageEconomy();
    db = await openDatabase(join(folder, "db"));
    await new Indexer({ rpc: economy.story.net.url, database: db }).catchUp();
    signals = await fakeUsageSignals(db);
    const rows = await db.query<{ signature: string }>("select signature from receipts where provider = $1 order by slot, id", [economy.attacker.provider]);
    receiptSignatures = rows.map((row) => row.signature);
  });

  after(async () => {
    await db?.close().catch(() => undefined);
    await economy?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("signals succeed when an honest provider serves two consumers at its price: it is not flagged", () => {
    expect(signals.filter((row) => row.provider === economy.honest.provider)).to.deep.equal([]);
    expect(receiptSignatures).to.have.length(economy.attacker.settled.length);
  });

  it("underpriced succeeds when the attacker settles at a price locked before it raised its list price: each receipt with the update behind it", () => {
    const { receipts } = one("underpriced");
    expect(receipts.map((receipt) => receipt.signature)).to.deep.equal(receiptSignatures);
    for (const [i, receipt] of receipts.entries()) {
      expect(receipt.escrow).to.equal(economy.attacker.escrow);
      expect(receipt.bytes).to.equal(economy.attacker.settled[i]);
      expect(receipt.amount).to.equal(STORY.amount);
      expect(receipt.listPricePerGib).to.equal(economy.attacker.listPrice);
      expect(receipt.priceSignature).to.equal(economy.attacker.updateSignature);
    }
  });

  it("concentration succeeds when one consumer pays all of a provider's fees: its share and the totals", () => {
    const flag = one("concentration");
    expect(flag.consumer).to.equal(economy.attacker.puppet);
    expect(flag.amount).to.equal(2n * STORY.amount);
    expect(flag.total).to.equal(flag.amount);
    expect(flag.consumers).to.equal(1n);
    expect(flag.escrows).to.deep.equal([economy.attacker.escrow]);
    expect(flag.signatures).to.deep.equal(receiptSignatures);
  });

  it("new-escrow volume succeeds when a day's bytes come from an escrow opened minutes before: the escrow and its opening", () => {
    const flag = one("new-escrow-volume");
    expect(flag.newEscrowBytes).to.equal(economy.attacker.settled.reduce((a, b) => a + b));
    expect(flag.bytes).to.equal(flag.newEscrowBytes);
    expect(flag.escrows).to.deep.equal([{ escrow: economy.attacker.escrow, opened: economy.attacker.fundingSignatures[0] }]);
    expect(flag.signatures).to.deep.equal(receiptSignatures);
  });

  it("self-dealing succeeds when the operator pays for its puppet consumer's escrow: the opening and deposit it paid, and the receipts", () => {
    const flag = one("self-dealing");
    expect(flag.operator).to.equal(economy.attacker.operator);
    expect(flag.consumer).to.equal(economy.attacker.puppet);
    expect(flag.escrow).to.equal(economy.attacker.escrow);
    expect(flag.links).to.deep.equal(economy.attacker.fundingSignatures);
    expect(flag.amount).to.equal(2n * STORY.amount);
    expect(flag.signatures).to.deep.equal(receiptSignatures);
  });

  it("postgres signals succeed: the same SQL on a PostgreSQL server gives the same signals", async function () {
    await withIndexedPostgres(this, economy.story.net.url, async (postgres) => {
      expect(await fakeUsageSignals(postgres)).to.deep.equal(signals);
    });
  });
});
