/**
 * The operator's path, end to end over JSON-RPC on a localnet started without programs: the
 * real `.so` files go through the upgradeable loader's instructions (a buffer written chunk
 * by chunk, DeployWithMaxDataLen, Upgrade), an interrupted buffer is resumed, a re-run is a
 * no-op, genesis mints MEDIA's fixed supply into its allocations (mint authority none),
 * initializes and hands every authority to the governance PDA, and a short economy runs on the
 * deployed programs, funded from the allocations, whose burns keep supply + burned = genesis supply.
 *
 * Nobody holds the keypairs of the committed program ids, and on a real cluster only a
 * program's keypair can create its account. So the chain starts with the four program
 * accounts reserved: empty, 36 bytes, owned by the loader (what `createAccount` signed by
 * the keypair leaves), which DeployWithMaxDataLen accepts without the keypair. The
 * keypair path itself (`.keys/<program>-keypair.json`) is tested with a fresh id.
 */
import { bn } from "../utils/constants";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { address, lamports } from "@solana/kit";
import { AuthorityType, createAccount, createMint, createSetAuthorityInstruction, createTransferInstruction, getMint, mintTo } from "@solana/spl-token";
import { Keypair, LAMPORTS_PER_SOL, PublicKey, SystemProgram, Transaction } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import { PRICES } from "../utils/bandwidth";
import {
  ReceiptChannel,
  VoteSide,
  BANDWIDTH_DEFAULTS,
  GENESIS_ALLOCATIONS,
  GENESIS_SUPPLY,
  GOVERNANCE_DEFAULTS,
  MediaEconomy,
  TREASURY_PRICE_SCALE,
  bandwidthConfigPda,
  escrowPda,
  feeSplit,
  governancePda,
  mediaToBaseUnits,
  proposalInstructions,
  providerPda,
  settleReceiptInstructions,
  stakeAccountPda,
  stakingConfigPda,
  treasuryConfigPda,
  voteAuthorityPda,
} from "../../sdk/src";
import { writeKeypair } from "../../scripts/keys";
import { DEPLOY_DIR, MEDIA_PROGRAM_IDS } from "../../migrations/lib/cluster";
import {
  DeployInterrupted,
  type ProgramBinary,
  type ProgramReport,
  deployCost,
  deployPrograms,
  maxWriteChunk,
  nonZeroChunks,
} from "../../migrations/lib/deploy";
import { PROGRAMDATA_METADATA_SIZE, PROGRAM_ACCOUNT_SIZE, UPGRADEABLE_LOADER_ID, decodeLoaderAccount, programDataAddress } from "../../migrations/lib/loader";
import {
  type GenesisSummary,
  INITIAL_PRICE_REQUIRED,
  checkFixedSupplyMint,
  foreignConfigFields,
  parseInitialPrice,
  runGenesis,
} from "../../migrations/lib/genesis";
import { type RpcNet, airdropSol, externalRpcUrl, rpcTokenBalance, startRpc } from "../utils/rpc";
import { MEDIA, MIN_STAKE } from "../utils/constants";

const run = promisify(execFile);
const TSX = join(__dirname, "..", "..", "node_modules", ".bin", "tsx");
const MIGRATIONS = join(__dirname, "..", "..", "migrations");

const elf = (name: string) => readFileSync(join(DEPLOY_DIR, `${name}.so`));
const realBinaries = (): ProgramBinary[] => MEDIA_PROGRAM_IDS.map(({ name, programId }) => ({ name, programId, elf: elf(name) }));

describe("deploy: the programs through the upgradeable loader over RPC, genesis, and an economy on them", () => {
  let net: RpcNet;
  let keysDir: string;
  let walletPath: string;
  let genesis: GenesisSummary;

  /** What a program's programdata holds after its 45-byte header, over RPC. */
  async function deployedBytes(programId: PublicKey): Promise<{ data: Buffer; upgradeAuthority: PublicKey | null }> {
    const account = await net.connection.getAccountInfo(programDataAddress(programId));
    if (!account) throw new Error(`no programdata for ${programId.toBase58()}`);
    const state = decodeLoaderAccount(account.data);
    if (state.kind !== "programdata") throw new Error("not programdata");
    return { data: state.data, upgradeAuthority: state.upgradeAuthority };
  }

  /** Runs a migrations/ CLI against the localnet (asynchronously: the localnet runs in this process). */
  async function cli(script: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
    return run(TSX, [join(MIGRATIONS, script), "--cluster", net.url, "--keypair", walletPath, ...args], { timeout: 120_000 });
  }

  before(async function () {
    // The program accounts are reserved on the in-process chain, which an external localnet does not allow.
    if (externalRpcUrl()) this.skip();
    net = await startRpc({ programs: false });
    keysDir = mkdtempSync(join(tmpdir(), "media-deploy-keys-"));
    walletPath = join(keysDir, "deployer.json");
    writeKeypair(walletPath, net.payer);
    const chain = net.localnet?.chain;
    if (!chain) throw new Error("no in-process localnet");
    for (const { programId } of MEDIA_PROGRAM_IDS) {
      chain.svm.setAccount({
        address: address(programId.toBase58()),
        lamports: lamports(chain.minimumBalance(PROGRAM_ACCOUNT_SIZE)),
        programAddress: address(UPGRADEABLE_LOADER_ID.toBase58()),
        data: new Uint8Array(PROGRAM_ACCOUNT_SIZE),
        executable: false,
        space: BigInt(PROGRAM_ACCOUNT_SIZE),
      });
    }
  });

  after(async () => {
    await net?.stop();
    if (keysDir) rmSync(keysDir, { recursive: true, force: true });
  });

  it("deploy resumes half written buffer: a deploy stopped mid-buffer continues where it stopped, writing only the missing chunks", async () => {
    // Given governance's slot holding an older build (the treasury's bytes) to be upgraded later
    const older = realBinaries().map((p) => (p.name === "media_governance" ? { ...p, elf: elf("media_treasury") } : p));
    const staking = older[0];
    const chunk = maxWriteChunk(net.payer.publicKey);
    expect(chunk).to.be.within(1000, 1100);

    // When the first deploy stops after 20 buffer writes
    let interrupted: unknown;
    await deployPrograms(older, { connection: net.connection, payer: net.payer, keysDir, maxWrites: 20 }).catch((e) => (interrupted = e));
    expect(interrupted).to.be.instanceOf(DeployInterrupted);
    expect((interrupted as DeployInterrupted).program).to.equal("media_staking");

    // Then the buffer keypair is saved and the buffer holds exactly the 20 chunks written
    const bufferPath = join(keysDir, "media_staking-buffer.json");
    expect(existsSync(bufferPath)).to.equal(true);
    const buffer = Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(bufferPath, "utf8"))));
    const state = decodeLoaderAccount((await net.connection.getAccountInfo(buffer.publicKey))!.data);
    expect(state.kind).to.equal("buffer");
    const chunks = Math.ceil(staking.elf.length / chunk);
    const held = (data: Buffer) =>
      Array.from({ length: chunks }, (_, i) => data.subarray(i * chunk, (i + 1) * chunk).equals(staking.elf.subarray(i * chunk, (i + 1) * chunk)));
    const heldBefore = held((state as { data: Buffer }).data).filter(Boolean).length;
    expect(heldBefore).to.be.at.least(20).and.below(chunks);
    expect(await net.connection.getAccountInfo(programDataAddress(staking.programId))).to.equal(null);

    // When the deploy runs again
    const progress: number[] = [];
    const reports = await deployPrograms(older, {
      connection: net.connection,
      payer: net.payer,
      keysDir,
      onProgress: (p) => p.program === "media_staking" && p.phase === "buffer" && progress.push(p.written),
    });

    // Then staking resumed from the held chunks, and every program is deployed with its bytes
    expect(reports.map((r) => r.status)).to.deep.equal(["deployed", "deployed", "deployed", "deployed"]);
    expect(reports[0].writes).to.equal(chunks - heldBefore);
    expect(reports[0].resumedBytes).to.be.at.least(20 * chunk);
    expect(progress[0]).to.equal(reports[0].resumedBytes);
    expect(progress[progress.length - 1]).to.equal(staking.elf.length);
    expect(reports[1].writes).to.equal(nonZeroChunks(older[1].elf, chunk));
    expect(existsSync(bufferPath)).to.equal(false);
    expect(await net.connection.getAccountInfo(buffer.publicKey)).to.equal(null); // consumed by the deploy
    for (const program of older) {
      const deployed = await deployedBytes(program.programId);
      expect(deployed.data.subarray(0, program.elf.length).equals(program.elf)).to.equal(true);
      expect(deployed.data.length).to.equal(2 * program.elf.length);
      expect(deployed.upgradeAuthority?.toBase58()).to.equal(net.payer.publicKey.toBase58());
      expect((await net.connection.getAccountInfo(program.programId))?.executable).to.equal(true);
    }
  });

  it("deploy upgrade ok: with the real binaries, the changed program is upgraded, the others are left alone, and the estimate is what it spent", async () => {
    // Given the estimate for the current build: only governance to upgrade, its buffer refunded
    const estimate = await deployCost(realBinaries(), { connection: net.connection, payer: net.payer });
    expect(estimate.programs.map((p) => p.action)).to.deep.equal(["none", "none", "none", "upgrade"]);
    const balanceBefore = await net.connection.getBalance(net.payer.publicKey);

    // When the deploy runs with the current build
    const reports = await deployPrograms(realBinaries(), { connection: net.connection, payer: net.payer, keysDir });
    // Then it spent exactly the estimate: one 5000-lamport fee per signature, no rent (the programdata had room)
    expect(balanceBefore - (await net.connection.getBalance(net.payer.publicKey))).to.equal(estimate.spend);
    expect(estimate.spend).to.equal(estimate.fees);
    expect(estimate.fees).to.equal(5000 * (reports[3].transactions + 1));

    // Then only governance, which held an older build, changed
    const byName = Object.fromEntries(reports.map((r) => [r.name, r])) as Record<string, ProgramReport>;
    for (const name of ["media_staking", "media_bandwidth", "media_treasury"]) {
      expect(byName[name].status).to.equal("up-to-date");
      expect(byName[name].transactions).to.equal(0);
    }
    expect(byName.media_governance.status).to.equal("upgraded");
    const governance = elf("media_governance");
    expect(byName.media_governance.writes).to.equal(nonZeroChunks(governance, maxWriteChunk(net.payer.publicKey)));
    const deployed = await deployedBytes(MEDIA_PROGRAM_IDS[3].programId);
    expect(deployed.data.subarray(0, governance.length).equals(governance)).to.equal(true);
    expect(deployed.data.subarray(governance.length).every((byte) => byte === 0)).to.equal(true);
  });

  it("deploy cli rerun is noop: `npm run deploy` finds everything up to date, sends nothing, and --verify passes", async () => {
    // Given the wallet's balance
    const before = await net.connection.getBalance(net.payer.publicKey);

    // When the operator runs the deploy again, then verifies
    const { stdout, stderr } = await cli("deploy.ts", "--program-keys", keysDir, "--json");
    const verify = await cli("deploy.ts", "--program-keys", keysDir, "--verify");
    // and the estimate it printed first said so
    expect(stderr).to.include("This run spends 0.0000 SOL");

    // Then every program is reported up to date and nothing was paid
    const report = JSON.parse(stdout) as { programs: ProgramReport[] };
    expect(report.programs.map((p) => [p.name, p.status, p.transactions])).to.deep.equal(MEDIA_PROGRAM_IDS.map(({ name }) => [name, "up-to-date", 0]));
    expect(verify.stdout).to.match(/media_governance\s+\S+\s+up-to-date/);
    expect(await net.connection.getBalance(net.payer.publicKey)).to.equal(before);
  });

  it("deploy cost in the README is the estimate: a first deploy of this build's four binaries, as `npm run deploy` prints it", async () => {
    // Fresh ids: nothing deployed at them, so each program's account is created with its keypair, as on devnet.
    const fresh = realBinaries().map((program) => ({ ...program, programId: Keypair.generate().publicKey }));
    const estimate = await deployCost(fresh, { connection: net.connection, payer: Keypair.generate() });
    expect(estimate.programs.map((p) => p.action)).to.deep.equal(["deploy", "deploy", "deploy", "deploy"]);
    const sol = (lamports: number) => `${(lamports / LAMPORTS_PER_SOL).toFixed(4)} SOL`;
    const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8").replace(/\s+/g, " ");
    expect(readme, "README's deploy figures are stale: update them from `npm run deploy`").to.include(`spends **${sol(estimate.spend)}**`);
    expect(readme).to.include(`${sol(estimate.spend - estimate.fees)} of rent`);
    expect(readme).to.include(`${sol(estimate.fees)} of fees`);
  });

  it("deploy new program with its keypair ok: the account is created with its keypair, by a wallet holding exactly the estimate, which is what it spent", async () => {
    // Given a program keypair in a keys directory, and an id with no keypair anywhere
    const ownKeys = mkdtempSync(join(tmpdir(), "media-deploy-own-"));
    const programKeypair = Keypair.generate();
    writeKeypair(join(ownKeys, "media_treasury-keypair.json"), programKeypair);
    const binary = { name: "media_treasury", programId: programKeypair.publicKey, elf: elf("media_treasury") };
    const orphan = { ...binary, name: "media_bandwidth", programId: Keypair.generate().publicKey };
    // and a deployer funded with exactly what the estimate says it needs
    const deployer = Keypair.generate();
    const estimate = await deployCost([binary], { connection: net.connection, payer: deployer });
    const [cost] = estimate.programs;
    expect(cost.action).to.equal("deploy");
    const rent = (bytes: number) => net.connection.getMinimumBalanceForRentExemption(bytes);
    expect(cost.rent).to.equal((await rent(PROGRAM_ACCOUNT_SIZE)) + (await rent(PROGRAMDATA_METADATA_SIZE + 2 * binary.elf.length)));
    expect(estimate.required).to.equal(estimate.spend + (await rent(0)));
    await net.provider.sendAndConfirm(
      new Transaction().add(SystemProgram.transfer({ fromPubkey: net.payer.publicKey, toPubkey: deployer.publicKey, lamports: estimate.required })),
    );
    try {
      // When it is deployed
      const [report] = await deployPrograms([binary], { connection: net.connection, payer: deployer, keysDir: ownKeys, concurrency: 16 });

      // Then it spent exactly the estimate (the buffer's rent came back before the programdata was paid)
      expect(estimate.required - (await net.connection.getBalance(deployer.publicKey))).to.equal(estimate.spend);
      // one fee per signature: the buffer's keypair signs its creation, the program's keypair the deploy
      expect(cost.fees).to.equal(5000 * (report.transactions + 2));
      // and the program exists at the keypair's address, and the id without a keypair is refused
      expect(report.status).to.equal("deployed");
      const account = await net.connection.getAccountInfo(programKeypair.publicKey);
      expect(account?.executable).to.equal(true);
      expect(account?.owner.toBase58()).to.equal(UPGRADEABLE_LOADER_ID.toBase58());
      expect((await deployedBytes(programKeypair.publicKey)).data.subarray(0, binary.elf.length).equals(binary.elf)).to.equal(true);
      let refused: Error | undefined;
      await deployPrograms([orphan], { connection: net.connection, payer: net.payer, keysDir: ownKeys }).catch((e) => (refused = e));
      expect(refused?.message).to.include("no program keypair");
      expect(await net.connection.getAccountInfo(orphan.programId)).to.equal(null);
    } finally {
      rmSync(ownKeys, { recursive: true, force: true });
    }
  });

  it("genesis fails without initial price: tells the operator what to pass, and sends nothing", async () => {
    const before = await net.connection.getBalance(net.payer.publicKey);
    let refusal: Error | undefined;
    await runGenesis({ connection: net.connection, payer: net.payer, keysDir }).catch((error) => (refusal = error));
    expect(refusal?.message).to.equal(INITIAL_PRICE_REQUIRED);
    expect(refusal?.message).to.include("--initial-price");
    expect(await net.connection.getBalance(net.payer.publicKey)).to.equal(before);
    expect(await net.connection.getAccountInfo(treasuryConfigPda())).to.equal(null);
    // and the CLI says the same, with its usage
    const run = await cli("genesis.ts", "--keys-dir", keysDir).catch((error: { stderr?: string }) => error);
    expect(String((run as { stderr?: string }).stderr)).to.include("--initial-price");
  });

  it("genesis ok: creates the mints, mints MEDIA's fixed supply into its allocations with no mint authority left, and every config with the defaults, then hands every authority to the governance PDA", async () => {
    // When genesis runs on the deployed programs, told that 1 quote unit buys 20 MEDIA
    genesis = await runGenesis({ connection: net.connection, payer: net.payer, keysDir, initialPrice: parseInitialPrice("20") });

    // Then every step was done once
    expect(genesis.steps.every((s) => s.done)).to.equal(true);
    expect(genesis.steps.map((s) => s.step)).to.include.members([
      "create MEDIA mint",
      "create allocation accounts",
      `mint the genesis supply (${GENESIS_SUPPLY} base units) and set the mint authority to none`,
      "initialize staking config",
      "initialize rewards pool",
      `fund the emission vault with Staking and Rewards (${2_000_000n * MEDIA} base units)`,
      "initialize governance config",
      "create treasury vaults",
      "initialize treasury config",
      "initialize bandwidth config",
      "staking: authority → governance PDA",
      "governance: authority → governance PDA",
    ]);
    // and the governance PDA holds every authority and pause authority (staking's vote-lock signer is
    // governance's vote authority, fixed when the staking config was created)
    const { staking, bandwidth, treasury, governance } = net.programs;
    const gov = governancePda().toBase58();
    expect(genesis.governance).to.equal(gov);
    const configs = [
      await staking.account.stakingConfig.fetch(stakingConfigPda()),
      await bandwidth.account.bandwidthConfig.fetch(bandwidthConfigPda()),
      await treasury.account.treasuryConfig.fetch(treasuryConfigPda()),
      await governance.account.governanceConfig.fetch(governancePda()),
    ];
    for (const config of configs) {
      expect(config.authority.toBase58()).to.equal(gov);
      expect(config.pauseAuthority.toBase58()).to.equal(gov);
    }
    const [stakingConfig, bandwidthConfig, treasuryConfig, governanceConfig] = configs as [
      Awaited<ReturnType<typeof staking.account.stakingConfig.fetch>>,
      Awaited<ReturnType<typeof bandwidth.account.bandwidthConfig.fetch>>,
      Awaited<ReturnType<typeof treasury.account.treasuryConfig.fetch>>,
      Awaited<ReturnType<typeof governance.account.governanceConfig.fetch>>,
    ];
    expect(stakingConfig.voteAuthority.toBase58()).to.equal(voteAuthorityPda().toBase58());
    expect(stakingConfig.minStake.toString()).to.equal(MIN_STAKE.toString());
    expect(stakingConfig.mediaMint.toBase58()).to.equal(genesis.mediaMint);
    // and the bandwidth fees go to the vaults the treasury config names (no copy in bandwidth's)
    expect(Object.keys(bandwidthConfig).filter((field) => /vault/i.test(field))).to.deep.equal([]);
    expect(treasuryConfig.mediaVault.toBase58()).to.equal(genesis.treasury.mediaVault);
    expect(bandwidthConfig.protocolFeeBps).to.equal(BANDWIDTH_DEFAULTS.protocolFeeBps);
    expect(treasuryConfig.quoteMint.toBase58()).to.equal(genesis.quoteMint);
    expect(treasuryConfig.referencePrice.toString()).to.equal((20n * TREASURY_PRICE_SCALE).toString());
    expect(governanceConfig.quorumBps).to.equal(GOVERNANCE_DEFAULTS.quorumBps);

    // and MEDIA's whole supply (10,000,000 MEDIA) sits in the named allocations, with no mint authority left
    const mint = await getMint(net.connection, new PublicKey(genesis.mediaMint));
    expect(mint.mintAuthority).to.equal(null);
    expect(mint.supply).to.equal(10_000_000n * MEDIA);
    expect(genesis.genesisSupply).to.equal(GENESIS_SUPPLY.toString());
    expect(genesis.allocations.map((a) => [a.name, BigInt(a.amount)])).to.deep.equal(GENESIS_ALLOCATIONS.map((a) => [a.name, a.amount]));
    // the Staking and Rewards allocation moved on, by transfer, into the rewards pool's emission vault
    for (const allocation of genesis.allocations) {
      const held = allocation.holder === "emission vault" ? 0n : BigInt(allocation.amount);
      expect(await rpcTokenBalance(net.connection, new PublicKey(allocation.account)), allocation.name).to.equal(held);
    }
    expect(await rpcTokenBalance(net.connection, new PublicKey(genesis.staking.emissionVault))).to.equal(2_000_000n * MEDIA);
    const pool = await staking.account.rewardsPool.fetch(new PublicKey(genesis.staking.rewardsPool));
    expect(pool.emissionVault.toBase58()).to.equal(genesis.staking.emissionVault);
  });

  it("genesis cli rerun is noop: `npm run genesis` again finds every step done and sends nothing", async () => {
    const before = await net.connection.getBalance(net.payer.publicKey);
    const { stdout } = await cli("genesis.ts", "--keys-dir", keysDir, "--json");
    const summary = JSON.parse(stdout) as GenesisSummary;
    expect(summary.steps.length).to.be.greaterThan(10);
    expect(summary.steps.filter((s) => s.done)).to.deep.equal([]);
    expect(summary.mediaMint).to.equal(genesis.mediaMint);
    expect(summary.treasury).to.deep.equal(genesis.treasury);
    expect(summary.allocations).to.deep.equal(genesis.allocations);
    // and its printed summary names every allocation's account
    const printed = (await cli("genesis.ts", "--keys-dir", keysDir)).stdout;
    expect(printed).to.include("MEDIA genesis supply 10,000,000 MEDIA (mint authority: none)");
    for (const allocation of genesis.allocations) expect(printed).to.match(new RegExp(`${allocation.name}\\s+[\\d,]+ MEDIA\\s+${allocation.account}`));
    expect(await net.connection.getBalance(net.payer.publicKey)).to.equal(before);
  });

  it("genesis fails when the MEDIA mint contradicts a fixed supply: minted already, someone else's, or fixed by another genesis, each refused with what to do", async () => {
    const { connection, payer } = net;
    const wallet = payer.publicKey;
    // Given this genesis's own mint: fixed, into this wallet's allocations, nothing burned yet
    await checkFixedSupplyMint(connection, wallet, new PublicKey(genesis.mediaMint), 0n);
    const refusal = (mint: PublicKey, burned = 0n) =>
      checkFixedSupplyMint(connection, wallet, mint, burned).then(
        () => "",
        (error: Error) => error.message,
      );
    expect(await refusal(new PublicKey(genesis.mediaMint), 1n)).to.match(/supply \(\d+\) \+ burned \(1\) is not the genesis supply/);

    // A mint this wallet holds the authority of, with supply minted already: genesis will not mint on top
    const minted = await createMint(connection, payer, wallet, null, 6, Keypair.generate(), { commitment: "confirmed" });
    const holder = await createAccount(connection, payer, minted, wallet, Keypair.generate());
    await mintTo(connection, payer, minted, holder, payer, 5n * MEDIA);
    expect(await refusal(minted)).to.match(/has 5000000 base units minted already while this wallet still holds its mint authority.*omit --mint/);

    // Someone else's mint: genesis must mint the supply itself
    const stranger = Keypair.generate().publicKey;
    const foreign = await createMint(connection, payer, stranger, null, 6, Keypair.generate(), { commitment: "confirmed" });
    expect(await refusal(foreign)).to.match(new RegExp(`mint authority is ${stranger.toBase58()}, not this wallet.*hand it to ${wallet.toBase58()}`));

    // A mint fixed by another genesis (no authority, no allocation accounts of this wallet)
    await net.provider.sendAndConfirm(new Transaction().add(createSetAuthorityInstruction(minted, wallet, AuthorityType.MintTokens, null)));
    expect(await refusal(minted)).to.match(/supply is fixed already \(5000000 base units, no mint authority\), but not by this wallet's genesis/);

    // A fresh mint of this wallet is what genesis mints into
    expect(await refusal(await createMint(connection, payer, wallet, null, 6, Keypair.generate(), { commitment: "confirmed" }))).to.equal("");
  });

  it("genesis fails when configs were written by another deployment: stops before sending anything", async () => {
    // Another deployment's keys directory: its own MEDIA mint, which the configs on chain do not name.
    const otherKeys = mkdtempSync(join(tmpdir(), "media-other-keys-"));
    try {
      writeKeypair(join(otherKeys, "media-mint-keypair.json"), Keypair.generate());
      const before = await net.connection.getBalance(net.payer.publicKey);
      let refusal: Error | undefined;
      try {
        await runGenesis({ connection: net.connection, payer: net.payer, keysDir: otherKeys });
      } catch (error) {
        refusal = error as Error;
      }
      expect(refusal?.message).to.match(/the configs use MEDIA mint .* were not written by this genesis/);
      expect(await net.connection.getBalance(net.payer.publicKey)).to.equal(before);
    } finally {
      rmSync(otherKeys, { recursive: true, force: true });
    }
    // The same check, field by field: a config naming a stranger's authority or vault is refused.
    const stranger = Keypair.generate().publicKey;
    const mints = { media: new PublicKey(genesis.mediaMint), quote: new PublicKey(genesis.quoteMint) };
    const vaults = { media: new PublicKey(genesis.treasury.mediaVault), quote: new PublicKey(genesis.treasury.quoteVault) };
    const governance = new PublicKey(genesis.governance);
    const problems = foreignConfigFields({
      wallet: net.payer.publicKey,
      governance,
      mints,
      vaults,
      staking: { authority: stranger, mediaMint: mints.media },
      treasury: { authority: governance, mediaMint: mints.media, quoteMint: mints.quote, mediaVault: stranger, quoteVault: vaults.quote },
      bandwidth: { authority: governance, mediaMint: mints.media, quoteMint: mints.quote },
      governanceConfig: { authority: governance },
    });
    expect(problems).to.have.length(2);
    expect(problems[0]).to.match(/^staking authority is \w+: neither this wallet nor the governance PDA$/);
    expect(problems[1]).to.match(/^treasury MEDIA vault is \w+, genesis writes \w+$/);
  });

  it("economy on deployed programs: stake, register a provider, settle a receipt and vote, over RPC", async () => {
    const { connection, programs } = net;
    const mint = new PublicKey(genesis.mediaMint);
    const treasuryMediaVault = new PublicKey(genesis.treasury.mediaVault);
    // Nobody can mint MEDIA any more: wallets are funded from the deployer's Community allocation
    const community = new PublicKey(genesis.allocations.find((a) => a.name === "Community")!.account);
    const wallet = async (media: bigint) => {
      const keypair = Keypair.generate();
      await airdropSol(connection, keypair.publicKey, 10);
      const account = await createAccount(connection, keypair, mint, keypair.publicKey, Keypair.generate());
      await net.provider.sendAndConfirm(new Transaction().add(createTransferInstruction(community, account, net.payer.publicKey, media)));
      return { keypair, account };
    };
    const stake = (who: { keypair: Keypair; account: PublicKey }, amount: bigint) =>
      programs.staking.methods
        .stake(new BN(amount.toString()))
        .accounts({ owner: who.keypair.publicKey, ownerTokenAccount: who.account })
        .signers([who.keypair])
        .rpc();

    // Given an Edge operator staking 25 MEDIA and registering, and a voter staking 150 MEDIA
    const operator = await wallet(MIN_STAKE);
    const voter = await wallet(150n * MEDIA);
    const consumer = await wallet(100n * MEDIA);
    await stake(operator, MIN_STAKE);
    await stake(voter, 150n * MEDIA);
    // An Edge operator opens its operator pool (its delegators' terms) before it registers
    await programs.staking.methods.openOperator(0, 0).accounts({ operator: operator.keypair.publicKey }).signers([operator.keypair]).rpc();
    await programs.bandwidth.methods
      .registerProvider(new BN(PRICES.media.toString()), new BN(PRICES.quote.toString()))
      .accountsPartial({
        operator: operator.keypair.publicKey,
        stakingConfig: stakingConfigPda(),
        stakeAccount: stakeAccountPda(operator.keypair.publicKey),
      })
      .signers([operator.keypair])
      .rpc();
    const provider = providerPda(operator.keypair.publicKey);

    // When a consumer escrows 10 MEDIA and the provider settles a signed receipt for 1 GiB
    const escrow = escrowPda(consumer.keypair.publicKey, provider, mint);
    await programs.bandwidth.methods.openEscrow().accounts({ consumer: consumer.keypair.publicKey, provider, mint }).signers([consumer.keypair]).rpc();
    await programs.bandwidth.methods
      .deposit(new BN((10n * MEDIA).toString()))
      .accounts({ consumer: consumer.keypair.publicKey, consumerTokenAccount: consumer.account, escrow })
      .signers([consumer.keypair])
      .rpc();
    const { nonce } = await programs.bandwidth.account.escrow.fetch(escrow);
    const receipt = new ReceiptChannel(consumer.keypair, escrow, BigInt(nonce.toString())).payAtPrice(1n << 30n, PRICES.media);
    const treasuryBefore = await rpcTokenBalance(connection, treasuryMediaVault);
    const settle = await settleReceiptInstructions(programs.bandwidth, receipt, {
      operator: operator.keypair.publicKey,
      providerTokenAccount: operator.account,
      treasuryVault: treasuryMediaVault,
    });
    await net.provider.sendAndConfirm(new Transaction().add(...settle), [operator.keypair]);

    // Then the fee is split as the config says: provider, stakers, treasury
    const split = feeSplit(PRICES.media, 1_000, 5_000, true);
    expect(await rpcTokenBalance(connection, operator.account)).to.equal(split.provider);
    expect((await rpcTokenBalance(connection, treasuryMediaVault)) - treasuryBefore).to.equal(split.treasury);

    // When anyone burns the treasury's MEDIA fees
    await new MediaEconomy(net.provider).treasury.burnFees();

    // Then MEDIA burned, and the supply is fixed: no mint authority, supply + burned = the genesis supply
    const burned = BigInt((await programs.treasury.account.treasuryConfig.fetch(treasuryConfigPda())).totalBurned.toString());
    expect(burned > 0n, "some MEDIA burned").to.equal(true);
    const media = await getMint(connection, mint);
    expect(media.mintAuthority).to.equal(null);
    expect(media.supply + burned).to.equal(GENESIS_SUPPLY);

    // When the voter proposes lowering the staking minimum (signed by the governance PDA) and votes for it
    const setMinStake = await programs.staking.methods
      .setMinStake(bn(mediaToBaseUnits("20")))
      .accounts({ authority: governancePda() })
      .instruction();
    const built = await proposalInstructions(programs.governance, {
      proposer: voter.keypair.publicKey,
      descriptionUri: "ipfs://lower-min-stake",
      descriptionHash: new Array(32).fill(1),
      instructions: [setMinStake],
    });
    await net.provider.sendAndConfirm(new Transaction().add(...built.instructions), [voter.keypair]);
    await programs.governance.methods
      .castVote(VoteSide.For)
      .accountsPartial({ voter: voter.keypair.publicKey, proposal: built.proposal, stakeAccount: stakeAccountPda(voter.keypair.publicKey) })
      .signers([voter.keypair])
      .rpc();

    // Then the vote counts the voter's whole stake, and staking locked it (signed by governance's vote authority)
    const proposal = await programs.governance.account.proposal.fetch(built.proposal);
    expect(proposal.votesFor.toString()).to.equal((150n * MEDIA).toString());
    expect(proposal.voteCount.toString()).to.equal("1");
    const position = await programs.staking.account.stakeAccount.fetch(stakeAccountPda(voter.keypair.publicKey));
    expect(position.voteLockUntil.toString()).to.equal(proposal.votingEndsAt.toString());
  });
});
