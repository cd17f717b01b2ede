/**
 * `npm run localnet -- --dev`: the localnet started with a fresh deployer as the programs'
 * upgrade authority, and the development genesis run over its JSON-RPC as any client would.
 * The localnet uses no runtime of the suite, so this runs once (on the LiteSVM pass).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import { getAccount, getMint } from "@solana/spl-token";
import { Connection, Keypair } from "@solana/web3.js";
import { expect } from "chai";
import { describeDevLocalnet, type DevLocalnet, newDevDeployer, runDevGenesis } from "../../localnet/dev";
import { type Localnet, startLocalnet } from "../../localnet/server";
import { GENESIS_ALLOCATIONS, GENESIS_SUPPLY, MediaEconomy, rewardsAllocation } from "../../sdk/src";
import { DEV_PERIODS, NotUpgradeAuthorityError } from "../../sdk/src/testing";
import { runtimeName } from "../utils/bank";

const ROOT = join(__dirname, "..", "..");

describe("localnet: --dev runs the development genesis over RPC", function () {
  this.timeout(300_000);
  let localnet: Localnet;
  let dev: DevLocalnet;
  let keysDir: string;
  let connection: Connection;

  before(async function () {
    if (runtimeName() !== "litesvm") this.skip();
    const deployer = newDevDeployer();
    keysDir = mkdtempSync(join(tmpdir(), "media-dev-wallets-"));
    localnet = await startLocalnet({ port: 0, upgradeAuthority: deployer.publicKey });
    const started = Date.now();
    dev = await runDevGenesis({ url: localnet.url, wsUrl: localnet.wsUrl, deployer, keysDir });
    process.stdout.write(`      development genesis over RPC: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    connection = new Connection(localnet.url, "confirmed");
  });

  after(async () => {
    await localnet?.close();
    if (keysDir) rmSync(keysDir, { recursive: true, force: true });
  });

  it("dev genesis succeeds when the deployer is the upgrade authority: every config holds the development periods", async () => {
    const economy = new MediaEconomy(new AnchorProvider(connection, new Wallet(Keypair.generate()), { commitment: "confirmed" }));
    const { staking, bandwidth, treasury, governance } = economy.programs;
    const configs = {
      staking: await staking.account.stakingConfig.fetch(dev.configs.staking),
      bandwidth: await bandwidth.account.bandwidthConfig.fetch(dev.configs.bandwidth),
      treasury: await treasury.account.treasuryConfig.fetch(dev.configs.treasury),
      governance: await governance.account.governanceConfig.fetch(dev.configs.governance),
    };
    for (const [program, periods] of Object.entries(DEV_PERIODS)) {
      const config = configs[program as keyof typeof configs] as unknown as Record<string, { toString(): string }>;
      for (const [name, seconds] of Object.entries(periods)) expect(BigInt(config[name].toString()), `${program}.${name}`).to.equal(seconds);
    }
    expect(configs.staking.authority.toBase58()).to.equal(dev.deployer.publicKey.toBase58());
    expect(configs.staking.mediaMint.toBase58()).to.equal(dev.mediaMint.toBase58());
  });

  it("dev wallets succeed when funded: each holds its SOL, MEDIA and quote, and its keypair file is its key", async () => {
    expect(dev.wallets).to.have.length(3);
    for (const [i, wallet] of dev.wallets.entries()) {
      expect((await getAccount(connection, wallet.mediaAccount)).amount).to.equal(dev.perWallet.media);
      expect((await getAccount(connection, wallet.quoteAccount)).amount).to.equal(dev.perWallet.quote);
      expect(BigInt(await connection.getBalance(wallet.publicKey))).to.equal(dev.perWallet.lamports);
      const secret = Uint8Array.from(JSON.parse(readFileSync(dev.walletFiles[i], "utf8")) as number[]);
      expect(Keypair.fromSecretKey(secret).publicKey.toBase58()).to.equal(wallet.publicKey.toBase58());
    }
    const summary = describeDevLocalnet(dev);
    for (const wallet of dev.wallets) expect(summary).to.include(wallet.publicKey.toBase58());
    expect(summary).to.include(dev.mediaMint.toBase58());
    expect(summary).to.match(/staking\.unbondingPeriod\s+1 h/);
    // Both supplies are fixed: minted once, no mint authority; the wallets came from the faucet
    for (const mint of [dev.mediaMint, dev.quoteMint]) {
      const state = await getMint(connection, mint);
      expect(state.mintAuthority).to.equal(null);
      expect(state.supply).to.equal(GENESIS_SUPPLY);
    }
    expect((await getAccount(connection, dev.faucet.media)).amount).to.equal(
      GENESIS_SUPPLY - rewardsAllocation(GENESIS_ALLOCATIONS) - 3n * dev.perWallet.media,
    );
    expect(summary).to.match(/supply:\s+fixed, 10000000 MEDIA/);
    expect((await getAccount(connection, dev.configs.emissionVault)).amount).to.equal(rewardsAllocation(GENESIS_ALLOCATIONS));
    expect(summary).to.include(dev.faucet.media.toBase58());
  });

  it("dev genesis fails when another key is the upgrade authority: NotUpgradeAuthorityError says how to start the localnet", async () => {
    const error = await runDevGenesis({ url: localnet.url, wsUrl: localnet.wsUrl, deployer: Keypair.generate(), keysDir }).then(
      () => null,
      (e: Error) => e,
    );
    expect(error).to.be.instanceOf(NotUpgradeAuthorityError);
    expect(error?.message).to.match(/media_staking's is \w+, the provider's wallet is \w+\. .*start it with `--dev`/);
  });

  it("localnet cli fails when --dev comes with --no-programs: exits 2 with the reason", () => {
    const result = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), ["localnet/cli.ts", "--dev", "--no-programs"], { cwd: ROOT, encoding: "utf8" });
    expect(result.status).to.equal(2);
    expect(result.stderr).to.include("--dev preloads the programs with its own deployer");
  });
});
