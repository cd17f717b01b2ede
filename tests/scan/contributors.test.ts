/**
 * Media Scan's contributor economy on the real binaries (both runtimes): an operator opens its
 * pool and serves MEDIA traffic, two holders delegate, one claims, the operator schedules a
 * commission change and claims its commission, the other holder leaves. The SDK's report
 * (`economy.scan`, `economy.scanContributors`) and the indexer's dashboard (the bank's
 * transactions ingested into PGlite, the chain snapshot read from the bank) report supply, the
 * rewards pool and its emission rate, the stake bound and delegated per operator, its terms in
 * effect and pending, and the APRs, each equal to the chain's accounts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Connection } from "@solana/web3.js";
import { expect } from "chai";
import { STAKING_AND_REWARDS, STAKING_DEFAULTS, transactionInvocations } from "../../sdk/src";
import { dashboardData, figureEvidence } from "../../scan/dashboard";
import { type ScanDatabase, openDatabase } from "../../scan/database";
import { Indexer, type SourceTransaction } from "../../scan/indexer";
import { type DashboardServer, startDashboardServer } from "../../scan/server";
import { indexedOperators, readSnapshot, writeSnapshot } from "../../scan/snapshot";
import { launchChromium } from "../utils/chromium";
import { type Bank, given, warpSeconds } from "../utils/bank";
import { GIB, MEDIA, newConsumer, newOperator, openEscrow, registerProvider, settle, setUpBandwidth } from "../utils/bandwidth";
import { newStaker } from "../utils/staking";
import { TEST_MINT_SUPPLY, mintTo, tokenBalance } from "../utils/token";

const DAY = 24n * 60n * 60n;
const ALLOCATION = 2_000_000n * MEDIA;

describe("scan: the contributor economy (supply, rewards pool, operators, delegations, APR)", () => {
  const cast = given(async (bank: Bank) => {
    // Every transaction of the story, with the bank's clock when it ran, for the indexer.
    const recorded: SourceTransaction[] = [];
    const record = async (sent: Promise<string>) => {
      const signature = await sent;
      const transaction = await bank.provider.connection.getTransaction(signature, { maxSupportedTransactionVersion: 0 });
      if (!transaction?.meta?.logMessages) throw new Error(`the bank kept no transaction ${signature}`);
      const [logs, invocations] = [transaction.meta.logMessages, transactionInvocations(transaction)];
      recorded.push({ signature, slot: recorded.length + 1, blockTime: Number(await bank.now()), failed: false, feePayer: null, logs, invocations });
    };
    const world = await setUpBandwidth(bank);
    const staking = bank.clients.staking;
    await record(staking.initializeRewardsPool(STAKING_DEFAULTS));
    await mintTo(bank, world.mediaMint, staking.emissionVaultAddress(), ALLOCATION);
    const operator = await newOperator(world, 100n * MEDIA, { register: false });
    await record(staking.openOperator(1_000, 2_000, { signer: operator.wallet }));
    await record(registerProvider(world, operator));
    const alice = await newStaker(world.staking, 300n * MEDIA);
    const bob = await newStaker(world.staking, 200n * MEDIA);
    await alice.stake(300n * MEDIA);
    await bob.stake(200n * MEDIA);
    const consumer = await newConsumer(world);
    const escrow = await openEscrow(world, consumer, operator, world.mediaMint, 100n * MEDIA);

    // Given the operator's own bond and two delegators, and traffic paid in MEDIA
    await record(staking.delegate(operator.wallet.publicKey, { signer: operator.wallet }));
    await record(staking.delegate(operator.wallet.publicKey, { signer: alice.wallet }));
    await record(staking.delegate(operator.wallet.publicKey, { signer: bob.wallet }));
    await record(settle(world, escrow, escrow.channel.pay(GIB, MEDIA)));
    await warpSeconds(bank, DAY);
    // When alice claims, the operator schedules new terms and claims, bob leaves, and a day passes
    await record(staking.claimDelegationRewards({ signer: alice.wallet, tokenAccount: alice.tokenAccount }));
    await record(staking.setCommission(2_500, 1_000, { signer: operator.wallet }));
    await record(settle(world, escrow, escrow.channel.pay(GIB, MEDIA)));
    await record(staking.claimCommission({ signer: operator.wallet, tokenAccount: operator.tokenAccount }));
    await record(staking.undelegate({ signer: bob.wallet }));
    await warpSeconds(bank, DAY);
    await record(staking.releaseEmissions());
    return { world, staking, operator, alice, bob, recorded };
  });

  let folder: string;
  let database: ScanDatabase;
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), "scan-contributors-"));
    database = await openDatabase(join(folder, "db"));
    // The indexer's write path, fed the bank's transactions (no RPC: the replay entry point).
    const indexer = new Indexer({ rpc: "http://127.0.0.1:9", database, snapshots: false });
    await indexer.ingest("staking", cast.recorded);
    await takeSnapshot();
  });
  /** What each indexing pass does after its transactions: read the chain's snapshot, the indexed operators' runs included. */
  const takeSnapshot = async () => {
    const connection = cast.bank.provider.connection as unknown as Connection;
    const operators = await indexedOperators(database);
    // The bank's payer ran this world's set-up, as a deployer runs genesis.
    await writeSnapshot(database, await readSnapshot(connection, cast.bank.clients.programIds, cast.bank.payer.publicKey, operators));
  };
  after(async () => {
    await database?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  const operatorKey = () => cast.operator.wallet.publicKey;

  it("the SDK report: fixed supply, allocations, the pool's balance, rate and bookkeeping", async () => {
    const now = await cast.bank.now();
    const allocations = [
      { name: STAKING_AND_REWARDS, amount: ALLOCATION, holder: "emission vault" as const },
      { name: "Faucet", amount: TEST_MINT_SUPPLY - ALLOCATION, holder: "faucet" as const },
    ];
    const report = await cast.bank.clients.scan(now, { allocations });
    expect(report.supply).to.include({ mintSupply: TEST_MINT_SUPPLY, mintAuthority: null, genesisSupply: TEST_MINT_SUPPLY, burned: 0n });
    const vault = await tokenBalance(cast.bank, cast.staking.emissionVaultAddress());
    expect(report.supply.allocations[0]).to.include({ name: STAKING_AND_REWARDS, balance: vault });
    expect(report.supply.allocations[0].account?.equals(cast.staking.emissionVaultAddress())).to.equal(true);
    // The deployer was not named: where the faucet line sits is unknown.
    expect(report.supply.allocations[1]).to.include({ account: null, balance: null });
    const pool = await cast.staking.fetchRewardsPool();
    if (!pool) throw new Error("the rewards pool exists");
    expect(report.emissions).to.include({
      poolBalance: vault,
      emissionRate: STAKING_DEFAULTS.initialRate,
      released: pool.released,
      claimed: pool.claimed,
      returned: pool.returned,
      owed: pool.released - pool.claimed - pool.returned,
      totalBound: 400n * MEDIA,
      delegations: 2n,
      operators: 1n,
      feeShareClaimed: pool.feeShareClaimed,
    });
    expect(report.emissions?.feeShareVaultBalance).to.equal(await tokenBalance(cast.bank, cast.staking.feeShareVaultAddress()));
    expect(pool.claimed > 0n).to.equal(true);
  });

  it("the SDK report per operator and delegation: bound and delegated stake, terms in effect and pending, APRs", async () => {
    const now = await cast.bank.now();
    const { operators, delegations } = await cast.bank.clients.scanContributors(now);
    expect(operators).to.have.length(1);
    const [operator] = operators;
    expect(operator.account).to.include({ boundTotal: 400n * MEDIA, selfBound: 100n * MEDIA, delegators: 1n });
    expect(operator).to.include({ delegated: 300n * MEDIA, commissionBps: 1_000, feeShareBps: 2_000, active: true });
    const config = await cast.staking.fetchConfig();
    const notice = config.commissionNotice > config.unbondingPeriod ? config.commissionNotice : config.unbondingPeriod;
    expect(operator.pending?.commissionBps).to.equal(2_500);
    expect(operator.pending?.effectiveAt).to.equal(operator.account.pendingEffectiveAt);
    expect(operator.account.pendingEffectiveAt - notice).to.equal(now - DAY);
    // Every bound unit earns rate * year / total bound while active; delegators keep 90% of it.
    const perUnit = Number(STAKING_DEFAULTS.initialRate * 365n * DAY) / Number(400n * MEDIA);
    expect(operator.apr.delegator).to.be.closeTo(perUnit * 0.9, 1e-6);
    expect(operator.apr.operator).to.be.closeTo((perUnit * (100 + 0.1 * 300)) / 100, 1e-6);
    expect(delegations.map((d) => d.owner.toBase58()).sort()).to.deep.equal([operatorKey(), cast.alice.wallet.publicKey].map(String).sort());
    const alice = delegations.find((d) => d.owner.equals(cast.alice.wallet.publicKey));
    expect(alice?.apr).to.equal(operator.apr.delegator);
  });

  it("the dashboard: supply, the pool, bound and delegated stake and claims equal the chain's", async () => {
    const data = await dashboardData(database);
    const pool = await cast.staking.fetchRewardsPool();
    if (!pool) throw new Error("the rewards pool exists");
    const at = BigInt(data.indexedThrough?.at ?? "0");
    const view = await cast.staking.rewardsPool(at);
    expect(data.totals).to.include({
      supply: TEST_MINT_SUPPLY.toString(),
      "genesis-supply": TEST_MINT_SUPPLY.toString(),
      "emission-pool": view?.emissionVaultBalance.toString(),
      "emission-rate": view?.emissionRate.toString(),
      bound: pool.totalBound.toString(),
      delegated: (300n * MEDIA).toString(),
      operators: "1",
      "emissions-claimed": pool.claimed.toString(),
      "fee-share-claimed": pool.feeShareClaimed.toString(),
    });
    expect(data.emissions).to.include({ mintAuthority: null, released: pool.released.toString(), totalBound: pool.totalBound.toString() });
    // The allocations whose accounts exist: this world has no named deployer accounts, only the emission vault.
    expect(data.allocations).to.deep.equal([
      {
        name: STAKING_AND_REWARDS,
        holder: "emission vault",
        account: cast.staking.emissionVaultAddress().toBase58(),
        balance: view?.emissionVaultBalance.toString(),
        amount: ALLOCATION.toString(),
      },
    ]);
  });

  it("the dashboard's operators table: stake, terms in effect and pending, activity and APRs equal the SDK's reads", async () => {
    const data = await dashboardData(database);
    const at = BigInt(data.indexedThrough?.at ?? "0");
    const chain = await cast.staking.operatorPool(operatorKey(), at);
    if (!chain) throw new Error("the operator has a pool");
    expect(data.operators).to.have.length(1);
    const [row] = data.operators;
    expect(row).to.deep.include({
      operator: operatorKey().toBase58(),
      boundTotal: chain.account.boundTotal.toString(),
      selfBound: chain.account.selfBound.toString(),
      delegated: chain.delegated.toString(),
      delegators: chain.account.delegators.toString(),
      commissionBps: chain.commissionBps,
      feeShareBps: chain.feeShareBps,
      active: chain.active,
      aprDelegator: chain.apr.delegator,
      aprOperator: chain.apr.operator,
      commissionClaimed: chain.account.commissionClaimed.toString(),
    });
    expect(row.pending).to.deep.equal(
      chain.pending && {
        commissionBps: chain.pending.commissionBps,
        feeShareBps: chain.pending.feeShareBps,
        effectiveAt: chain.pending.effectiveAt.toString(),
      },
    );
    const alice = await cast.staking.fetchDelegation(cast.alice.wallet.publicKey);
    expect(row.delegatorEmissionsClaimed).to.equal(alice?.emissionsClaimed.toString());
    expect(row.delegatorFeesClaimed).to.equal(alice?.feesClaimed.toString());
    // Per position: the bound ones (bob left), each with its APR as the SDK's delegation() reads it.
    const rows = data.delegations.map(({ owner, bound, selfBond, apr, emissionsClaimed }) => ({ owner, bound, selfBond, apr, emissionsClaimed }));
    const expected = await Promise.all(
      [operatorKey(), cast.alice.wallet.publicKey].map(async (owner) => {
        const delegation = await cast.staking.delegation(owner, at);
        return {
          owner: owner.toBase58(),
          bound: delegation?.bound.toString(),
          selfBond: owner.equals(operatorKey()),
          apr: delegation?.apr,
          emissionsClaimed: delegation?.account.emissionsClaimed.toString(),
        };
      }),
    );
    expect(rows).to.deep.equal(expected.sort((a, b) => (BigInt(a.bound ?? 0) > BigInt(b.bound ?? 0) ? -1 : 1)));
  });

  it("every new figure lists the transactions behind it, and the sums are the chain's", async () => {
    const pool = await cast.staking.fetchRewardsPool();
    const claimed = await figureEvidence(database, "emissions-claimed");
    expect(claimed.sum).to.equal(pool?.claimed.toString());
    expect(claimed.eventCount).to.equal("2");
    expect((await figureEvidence(database, "fee-share-claimed")).sum).to.equal(pool?.feeShareClaimed.toString());
    const operator = await figureEvidence(database, "operator", { operator: operatorKey().toBase58() });
    expect(operator.events.map((event) => event.name)).to.deep.equal([
      "OperatorOpened",
      "Delegated",
      "Delegated",
      "Delegated",
      "DelegationRewardsClaimed",
      "CommissionChangeScheduled",
      "CommissionClaimed",
      "Undelegated",
    ]);
    expect((await figureEvidence(database, "delegated")).eventCount).to.equal("3");
  });

  it("the page in headless Chromium shows the new cards and the operators table with the dashboard's exact figures", async () => {
    const data = await dashboardData(database);
    let server: DashboardServer | undefined;
    const chromium = await launchChromium();
    try {
      server = await startDashboardServer({ database, source: "bank" });
      const tab = await chromium.browser.newPage();
      tab.setDefaultTimeout(180_000);
      const problems: string[] = [];
      tab.on("pageerror", (error) => problems.push(String(error)));
      await tab.goto(server.url, { waitUntil: "load" });
      await tab.waitForFunction(`document.body.dataset.ready === "1"`);
      const figures = Object.fromEntries(
        await tab.$$eval("[data-figure]", (nodes) => nodes.map((node) => [node.getAttribute("data-figure"), node.getAttribute("data-value")])),
      );
      for (const name of ["genesis-supply", "emission-pool", "emission-rate", "bound", "delegated", "operators", "emissions-claimed", "fee-share-claimed"]) {
        expect(figures[name], name).to.equal(data.totals[name]);
      }
      const operator = operatorKey().toBase58();
      const row = Object.fromEntries(
        await tab.$$eval(`[data-operator="${operator}"][data-field]`, (nodes) =>
          nodes.map((node) => [node.getAttribute("data-field"), node.getAttribute("data-value") ?? node.getAttribute("data-text")]),
        ),
      );
      const [expected] = data.operators;
      expect(row).to.include({
        boundTotal: expected.boundTotal,
        selfBound: expected.selfBound,
        delegated: expected.delegated,
        delegators: expected.delegators,
        commissionBps: String(expected.commissionBps),
        feeShareBps: String(expected.feeShareBps),
        aprDelegator: String(expected.aprDelegator),
        aprOperator: String(expected.aprOperator),
        pending: `${expected.pending?.commissionBps}/${expected.pending?.feeShareBps}@${expected.pending?.effectiveAt}`,
      });
      const aliceBound = await tab.$eval(`[data-delegation="${cast.alice.wallet.publicKey.toBase58()}"][data-field="bound"]`, (node) =>
        node.getAttribute("data-value"),
      );
      expect(aliceBound).to.equal((300n * MEDIA).toString());
      const allocation = await tab.$eval(`[data-allocation="${STAKING_AND_REWARDS}"]`, (node) => node.getAttribute("data-value"));
      expect(allocation).to.equal(data.allocations[0].balance);
      // The operator's figures link to its events.
      const href = await tab.$eval(`[data-operator-row="${operator}"] a`, (link) => link.getAttribute("href"));
      await tab.goto(new URL(String(href), server.url).toString(), { waitUntil: "load" });
      await tab.waitForFunction(`document.body.dataset.ready === "1"`);
      expect(await tab.$$eval("#evidence tr[data-event]", (rows) => rows.length)).to.equal(8);
      expect(problems).to.deep.equal([]);
    } finally {
      await server?.close();
      await chromium.close();
    }
  });

  it("a bandwidth pause holds the operator's run on the dashboard as staking credits it: active past its recorded end", async () => {
    const provider = await cast.bank.clients.bandwidth.fetchProvider(operatorKey());
    if (!provider) throw new Error("the operator serves");
    const recordedEnd = BigInt(provider.activeUntil.toString());
    // Given bandwidth paused before the run ended (nobody can settle to renew it)
    await cast.bank.clients.bandwidth.setPaused(true);
    try {
      // When the clock passes the recorded end while the pause lasts, and the indexer takes its snapshot
      await warpSeconds(cast.bank, recordedEnd - (await cast.bank.now()) + 3_600n);
      await takeSnapshot();
      // Then the dashboard reports the operator active with staking's APRs, as the SDK reads the chain
      const data = await dashboardData(database);
      const at = BigInt(data.indexedThrough?.at ?? "0");
      expect(at > recordedEnd).to.equal(true);
      const chain = await cast.staking.operatorPool(operatorKey(), at);
      expect(chain?.active).to.equal(true);
      const [row] = data.operators;
      expect(row).to.deep.include({ active: true, aprDelegator: chain?.apr.delegator, aprOperator: chain?.apr.operator });
      expect(row.aprDelegator).to.not.equal(null);
    } finally {
      await cast.bank.clients.bandwidth.setPaused(false);
    }
  });
});
