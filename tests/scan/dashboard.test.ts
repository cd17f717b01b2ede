/**
 * The Media Scan dashboard in a real browser: a localnet runs the scan scene's economy (a stake,
 * a provider, an escrow, settled receipts, a fee burn), `startMediaScan` (what `npm run scan`
 * runs) indexes it and serves the page, and headless Chromium opens it. Every figure on the page
 * (read exactly from its data-value, in base units) equals what the chain says: the configs'
 * counters, getTokenSupply, the decoded provider and stake accounts, token balances. The figure
 * pages list the transactions behind each number, and they are the chain's. Then new
 * transactions arrive; the open page refreshes itself (server-sent events) and matches again.
 * The same queries on a PostgreSQL server give the same figures.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import type { Page } from "puppeteer-core";
import { GIB, decayedQuota, quotaBytes } from "../../sdk/src";
import { type DashboardData, dashboardData, figureEvidence } from "../../scan/dashboard";
import { type ScanDatabase, openDatabase } from "../../scan/database";
import { type MediaScanService, startMediaScan } from "../../scan/service";
import { runtimeName } from "../utils/bank";
import { rpcTokenBalance } from "../utils/rpc";
import { type Chromium, launchChromium } from "../utils/chromium";
import { type ScanEconomy, startScanEconomy, withIndexedPostgres } from "./scene";

/** The page rendered its data (page code, run in the browser). */
const READY = `document.body.dataset.ready === "1"`;

/** Every `[data-figure]` on the page: its name and exact base units. */
async function pageFigures(tab: Page): Promise<Record<string, bigint>> {
  const pairs = await tab.$$eval("[data-figure]", (nodes) => nodes.map((node) => [node.getAttribute("data-figure"), node.getAttribute("data-value")]));
  return Object.fromEntries(pairs.map(([name, value]) => [String(name), BigInt(String(value))]));
}

async function providerFields(tab: Page, provider: string): Promise<Record<string, bigint>> {
  const pairs = await tab.$$eval(`[data-provider="${provider}"][data-field]`, (nodes) =>
    nodes.map((node) => [node.getAttribute("data-field"), node.getAttribute("data-value")]),
  );
  return Object.fromEntries(pairs.map(([name, value]) => [String(name), BigInt(String(value))]));
}

/** The values of one chart's bars or points, by day. */
async function seriesValues(tab: Page, series: string): Promise<{ day: string; value: bigint }[]> {
  const rows = await tab.$$eval(`[data-series="${series}"]`, (nodes) => nodes.map((node) => [node.getAttribute("data-day"), node.getAttribute("data-value")]));
  return rows.map(([day, value]) => ({ day: String(day), value: BigInt(String(value)) }));
}

describe("scan: the dashboard in headless Chromium", () => {
  let economy: ScanEconomy;
  let folder: string;
  let database: ScanDatabase;
  let scan: MediaScanService;
  let chromium: Chromium;
  let tab: Page;
  const problems: string[] = [];

  /** Waits until the open page shows an indexing pass that started at or after `slot`. */
  const pageIndexedThrough = async (slot: number) => {
    await tab.waitForFunction(`document.body.dataset.ready === "1" && Number(document.body.dataset.indexedSlot) >= ${slot}`, { timeout: 180_000 });
  };

  /** The slot of the newest transaction of any of the four programs (the chain's slot moves on without them). */
  const lastActivitySlot = async () => {
    const { connection } = economy.story.net;
    const ids = scan.indexer.programIds;
    const newest = await Promise.all(
      [ids.staking, ids.bandwidth, ids.treasury, ids.governance].map((id) => connection.getSignaturesForAddress(id, { limit: 1 }, "confirmed")),
    );
    return Math.max(...newest.flat().map((info) => info.slot));
  };

  /** Reads the chain, then checks every figure on the page against it. */
  const expectPageEqualsChain = async () => {
    const { connection } = economy.story.net;
    const [bandwidth, treasury, staking, governance, supply, providers] = await Promise.all([
      economy.operator.bandwidth.fetchConfig(),
      economy.operator.treasury.fetchConfig(),
      economy.operator.staking.fetchConfig(),
      economy.operator.governance.fetchConfig(),
      connection.getTokenSupply(economy.story.mediaMint, "confirmed"),
      economy.operator.bandwidth.listProviders(),
    ]);
    const at = BigInt(await tab.$eval("body", (body) => body.getAttribute("data-at") ?? "0"));
    const report = await economy.operator.scan(at);
    const figures = await pageFigures(tab);

    expect(figures["bytes-served"]).to.equal(bandwidth.bytesServed);
    expect(figures["fees-media"]).to.equal(bandwidth.feesPaidMedia);
    expect(figures["fees-quote"]).to.equal(bandwidth.feesPaidQuote);
    expect(figures["revenue-media"]).to.equal(bandwidth.protocolRevenueMedia);
    expect(figures["revenue-quote"]).to.equal(bandwidth.protocolRevenueQuote);
    expect(figures["burned-fees"]).to.equal(treasury.totalFeesBurned);
    expect(figures["burned-buyback"]).to.equal(treasury.totalBuybackBurned);
    expect(figures.burned).to.equal(treasury.totalBurned);
    expect(figures.supply).to.equal(BigInt(supply.value.amount));
    expect(figures.staked).to.equal(staking.totalActive);
    expect(figures.stakers).to.equal(BigInt(report.staking.stakers));
    expect(figures.providers).to.equal(BigInt(providers.length));
    expect(figures.proposals).to.equal(governance.proposalCount);

    // The providers table, against each provider's and its operator's accounts.
    expect(providers.length).to.be.greaterThan(0);
    for (const { address, account } of providers) {
      const row = await providerFields(tab, address.toBase58());
      const stake = await economy.operator.staking.fetchStakeAccount(account.operator);
      expect(row.stake).to.equal(stake?.active);
      expect(row.mediaPricePerGib).to.equal(account.mediaPricePerGib);
      expect(row.quotePricePerGib).to.equal(account.quotePricePerGib);
      expect(row.bytesServed).to.equal(account.totalBytes);
      expect(row.quota).to.equal(quotaBytes(stake?.active ?? 0n, staking.quotaBytesPerMedia));
      expect(row.quotaUsedNow).to.equal(decayedQuota(account.quotaUsed, at - account.quotaUpdatedAt, bandwidth.quotaWindow));
      expect(row.quotaUsedNow > 0n).to.equal(true);
    }
    // The operator staked all it held: its wallet holds what it earned.
    const [operatorRow] = await Promise.all(providers.map(({ address }) => providerFields(tab, address.toBase58())));
    expect(operatorRow.revenueMedia).to.equal(await rpcTokenBalance(connection, economy.operatorTokenAccount));

    // The per-day series add up to the totals and end at the current levels.
    const sum = (rows: { value: bigint }[]) => rows.reduce((total, row) => total + row.value, 0n);
    expect(sum(await seriesValues(tab, "bytes-served"))).to.equal(bandwidth.bytesServed);
    expect(sum(await seriesValues(tab, "revenue-media"))).to.equal(bandwidth.protocolRevenueMedia);
    expect(sum(await seriesValues(tab, "burned-fees"))).to.equal(treasury.totalFeesBurned);
    expect((await seriesValues(tab, "supply")).at(-1)?.value).to.equal(BigInt(supply.value.amount));
    expect((await seriesValues(tab, "staked")).at(-1)?.value).to.equal(staking.totalActive);
    // Every figure on the page is a link to the transactions behind it.
    const unlinked = await tab.$$eval("[data-value]", (nodes) =>
      nodes.filter((node) => !(node.closest("a")?.getAttribute("href") ?? "").startsWith("/figure/")).map((node) => node.outerHTML.slice(0, 120)),
    );
    expect(unlinked).to.deep.equal([]);
    expect(problems).to.deep.equal([]);
    return { bandwidth, treasury };
  };

  before(async function () {
    if (runtimeName() !== "litesvm") this.skip();
    folder = mkdtempSync(join(tmpdir(), "media-scan-dashboard-"));
    economy = await startScanEconomy();
    database = await openDatabase(join(folder, "db"));
    scan = await startMediaScan({ rpc: economy.story.net.url, ws: economy.story.net.localnet?.wsUrl, database, port: 0 });
    await scan.caughtUp;
    chromium = await launchChromium();
    tab = await chromium.browser.newPage();
    // A loaded CI machine: the indexer follows and the page refreshes, only later.
    tab.setDefaultTimeout(180_000);
    await tab.setViewport({ width: 1400, height: 1000 });
    tab.on("pageerror", (error) => problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`));
    tab.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
  });

  after(async () => {
    await chromium?.close();
    await scan?.stop();
    await database?.close().catch(() => undefined);
    await economy?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("the page succeeds when the economy has run: every figure equals the chain's counters, supply and accounts", async () => {
    const slot = await lastActivitySlot();
    await tab.goto(scan.dashboard.url, { waitUntil: "load" });
    await pageIndexedThrough(slot);
    const { bandwidth } = await expectPageEqualsChain();
    expect(bandwidth.bytesServed).to.equal(4n * GIB);
  });

  it("a figure's link succeeds: its page lists the chain's transactions behind it, summing to the figure", async () => {
    const { connection } = economy.story.net;
    const bandwidth = await economy.operator.bandwidth.fetchConfig();
    await Promise.all([tab.waitForNavigation(), tab.click('a[href="/figure/bytes-served"]')]);
    await tab.waitForFunction(READY);
    expect(new URL(tab.url()).pathname).to.equal("/figure/bytes-served");
    const listedSum = BigInt(await tab.$eval('[data-figure-sum="bytes-served"]', (node) => node.getAttribute("data-value") ?? ""));
    expect(listedSum).to.equal(bandwidth.bytesServed);
    const listed = await tab.$$eval("tr[data-signature]", (rows) => rows.map((row) => [row.getAttribute("data-signature"), row.getAttribute("data-event")]));
    expect(listed.map(([, name]) => name)).to.deep.equal(["ReceiptSettled", "ReceiptSettled"]);
    // Each listed signature is a successful transaction that logged the settlement.
    for (const [signature] of listed) {
      const transaction = await connection.getTransaction(String(signature), { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
      expect(transaction?.meta?.err).to.equal(null);
      expect(transaction?.meta?.logMessages?.join("\n")).to.match(/Program data: /);
    }

    // and a provider's revenue cell leads to the receipts that paid it
    await tab.goto(scan.dashboard.url, { waitUntil: "load" });
    await tab.waitForFunction(READY);
    const link = await tab.$eval('[data-field="revenueMedia"]', (node) => node.closest("a")?.getAttribute("href") ?? "");
    expect(link).to.match(/^\/figure\/provider-revenue-media\?provider=/);
    await tab.goto(new URL(link, scan.dashboard.url).toString(), { waitUntil: "load" });
    await tab.waitForFunction(READY);
    const revenue = BigInt(await tab.$eval("[data-figure-sum]", (node) => node.getAttribute("data-value") ?? ""));
    expect(revenue).to.equal(await rpcTokenBalance(connection, economy.operatorTokenAccount));

    // a day's bar leads to that day's receipts, summing to the bar
    await tab.goto(scan.dashboard.url, { waitUntil: "load" });
    await tab.waitForFunction(READY);
    const [bar] = await seriesValues(tab, "bytes-served");
    await tab.goto(new URL(`/figure/bytes-served?day=${bar.day}`, scan.dashboard.url).toString(), { waitUntil: "load" });
    await tab.waitForFunction(READY);
    expect(BigInt(await tab.$eval("[data-figure-sum]", (node) => node.getAttribute("data-value") ?? ""))).to.equal(bar.value);

    // the supply's page shows getTokenSupply as read before the latest pass, and the burns behind its fall
    await tab.goto(new URL("/figure/supply", scan.dashboard.url).toString(), { waitUntil: "load" });
    await tab.waitForFunction(READY);
    const [latestSupply] = await tab.$$eval("[data-snapshot-slot]", (nodes) => nodes.map((node) => node.getAttribute("data-value") ?? ""));
    expect(BigInt(latestSupply)).to.equal(BigInt((await connection.getTokenSupply(economy.story.mediaMint, "confirmed")).value.amount));
    expect(BigInt(await tab.$eval("[data-figure-sum]", (node) => node.getAttribute("data-value") ?? ""))).to.equal(
      (await economy.operator.treasury.fetchConfig()).totalBurned,
    );

    // and a figure the dashboard does not know is a 404 that names the known ones
    const missing = await fetch(new URL("/api/figure/nonsense", scan.dashboard.url));
    expect(missing.status).to.equal(404);
    expect(((await missing.json()) as { error: string }).error).to.match(/unknown figure "nonsense": one of bytes-served, /);
    expect(problems).to.deep.equal([]);
  });

  it("the page succeeds when new transactions arrive: it refreshes by itself and equals the chain again", async () => {
    await tab.goto(scan.dashboard.url, { waitUntil: "load" });
    await tab.waitForFunction(READY);
    await tab.evaluate("window.sameDocument = true");
    const before = await pageFigures(tab);

    await economy.settle(2n * GIB);
    await economy.operator.treasury.burnFees();
    const slot = await lastActivitySlot();

    // A page that says it is indexed through the burn's slot shows the supply after the burn:
    // a snapshot claims only a slot it saw whole (scan/indexer.ts), so no wait for a later one.
    await pageIndexedThrough(slot);
    expect(await tab.evaluate("window.sameDocument")).to.equal(true);
    const { bandwidth, treasury } = await expectPageEqualsChain();
    expect(bandwidth.bytesServed).to.equal(before["bytes-served"] + 2n * GIB);
    expect(treasury.totalFeesBurned > before["burned-fees"]).to.equal(true);
    expect(scan.indexer.errors()).to.deep.equal([]);
  });

  it("postgres dashboard succeeds: the same queries on a PostgreSQL server give the same figures and evidence", async function () {
    await withIndexedPostgres(this, economy.story.net.url, async (postgres) => {
      // Only when each database last read the chain differs: its snapshot's slot and clock, and the quota decayed to that clock.
      const comparable = (data: DashboardData) => ({
        ...data,
        indexedThrough: null,
        providers: data.providers.map((provider) => ({ ...provider, quotaUsedNow: null })),
      });
      expect(comparable(await dashboardData(postgres))).to.deep.equal(comparable(await dashboardData(database)));
      for (const figure of ["bytes-served", "revenue-media", "burned", "staked"]) {
        expect(await figureEvidence(postgres, figure)).to.deep.equal(await figureEvidence(database, figure));
      }
    });
  });
});

describe("scan: npm run scan's command line", () => {
  before(function () {
    if (runtimeName() !== "litesvm") this.skip();
  });

  const run = (...args: string[]) =>
    spawnSync(process.execPath, [require.resolve("tsx/cli"), join(__dirname, "..", "..", "scan", "serve.ts"), ...args], { encoding: "utf8", timeout: 60_000 });

  it("serve fails when no node answers at --rpc: it names the URL and what to start", () => {
    const result = run("--rpc", "http://127.0.0.1:1", "--port", "0");
    expect(result.status).to.equal(1);
    expect(result.stderr).to.match(/^ScanUsageError: no JSON-RPC node answers at http:\/\/127\.0\.0\.1:1 .*start one \(npm run localnet\) or fix --rpc/m);
  });

  it("serve fails when --port is not a port: it says which values work", () => {
    const result = run("--rpc", "http://127.0.0.1:1", "--port", "http");
    expect(result.status).to.equal(1);
    expect(result.stderr).to.match(/^ScanUsageError: --port http: not a port number \(0 to 65535\)/m);
  });
});
