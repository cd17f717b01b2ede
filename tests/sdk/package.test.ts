/**
 * The SDK as a dApp gets it from the registry: `npm pack` (which builds it), the tarball
 * installed into a fresh project outside the repository next to its peer dependencies at the
 * versions this repository tests with, then used the ways applications use it:
 *
 * - a CommonJS program (`require`) and an ES module program (`import`), type-checked under
 *   strict TypeScript with Node's resolution (the `exports` conditions and their types) and run;
 * - the same ES module bundled by esbuild for the browser, without polyfills, and loaded in
 *   headless Chromium (Debian's `chromium`, driven by puppeteer-core);
 * - the IDL JSON through `@media-network/sdk/idl/<program>.json`;
 * - the testing kit (`@media-network/sdk/testing`) from a mocha suite, once the kit exists.
 *
 * Each program derives a PDA, builds an instruction and signs and verifies a receipt; the test
 * compares what it computed with the same computation on the repository's sources.
 * `npm run sdk:pack-check` runs this file alone. It needs no runtime, so it runs once.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AnchorProvider } from "@coral-xyz/anchor";
import { Connection, Keypair, type Transaction, type VersionedTransaction } from "@solana/web3.js";
import { expect } from "chai";
import { build } from "esbuild";
import { MEDIA_STAKING_IDL, MediaEconomy, signReceipt, stakeAccountPda, verifyReceipt } from "../../sdk/src";
import { runtimeName } from "../utils/bank";
import { CHROMIUM, launchChromium } from "../utils/chromium";

const ROOT = join(__dirname, "..", "..");
/** The kit's entry point: its step runs once the TESTKIT work has landed. */
const KIT_SOURCE = join(ROOT, "sdk", "src", "testing", "index.ts");
/** The peers a dApp installs next to the SDK, at the versions the repository's lockfile tests. */
const PEERS = ["@coral-xyz/anchor", "@solana/web3.js", "@solana/spl-token"];
const KIT_PEERS = ["litesvm"];
const TOOLING = ["@types/node"];

function testedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** Runs `command` in `cwd`, printing one progress line; fails with its output when it fails. */
function step(label: string, cwd: string, command: string, args: string[]): string {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1" } });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  process.stdout.write(`      ${label}: ${result.status === 0 ? "ok" : `exit ${result.status}`} in ${seconds(started)}\n`);
  if (result.error || result.status !== 0) throw new Error(`${label} failed (${command} ${args.join(" ")}):\n${result.error?.message ?? output}`);
  return result.stdout;
}

const tsc = (cwd: string, project: string) => step(`tsc -p ${project}`, cwd, process.execPath, [require.resolve("typescript/bin/tsc"), "-p", project]);

/**
 * What every program does with the SDK, written once: its imports differ by module system. The
 * wallet is the shape browser wallet adapters have; nothing here reaches the network.
 */
const STORY = `
export async function story() {
  const owner = Keypair.fromSeed(Uint8Array.from({ length: 32 }, (_, i) => i + 1));
  const wallet = {
    publicKey: owner.publicKey,
    signTransaction: async <T extends Transaction | VersionedTransaction>(tx: T) => tx,
    signAllTransactions: async <T extends Transaction | VersionedTransaction>(txs: T[]) => txs,
  };
  const economy = new MediaEconomy(new AnchorProvider(new Connection("http://127.0.0.1:8899"), wallet, {}));
  const stakeAccount = stakeAccountPda(owner.publicKey);
  const instruction = await economy.staking.cancelUnstakeInstruction(owner.publicKey);
  const receipt = signReceipt(owner, stakeAccount, 3n, 1n << 30n, 1_000n);
  return {
    programId: economy.staking.programId.toBase58(),
    stakeAccount: stakeAccount.toBase58(),
    instruction: {
      programId: instruction.programId.toBase58(),
      keys: instruction.keys.map((key) => key.pubkey.toBase58()),
      data: Array.from(instruction.data),
    },
    receiptVerifies: verifyReceipt(receipt),
    forgedReceiptVerifies: verifyReceipt({ ...receipt, cumulativeAmount: 1_001n }),
    idl: { address: stakingIdl.address, instructions: stakingIdl.instructions.length, sameAsModule: stakingIdl.address === MEDIA_STAKING_IDL.address },
  };
}
`;
const STORY_IMPORTS = `import { AnchorProvider } from "@coral-xyz/anchor";
import { MEDIA_STAKING_IDL, MediaEconomy, signReceipt, stakeAccountPda, verifyReceipt } from "@media-network/sdk";
import { Connection, Keypair, type Transaction, type VersionedTransaction } from "@solana/web3.js";
`;

/** The story on the repository's sources, for comparison. */
async function expectedStory() {
  const owner = Keypair.fromSeed(Uint8Array.from({ length: 32 }, (_, i) => i + 1));
  const wallet = {
    publicKey: owner.publicKey,
    signTransaction: async <T extends Transaction | VersionedTransaction>(tx: T) => tx,
    signAllTransactions: async <T extends Transaction | VersionedTransaction>(txs: T[]) => txs,
  };
  const economy = new MediaEconomy(new AnchorProvider(new Connection("http://127.0.0.1:8899"), wallet, {}));
  const stakeAccount = stakeAccountPda(owner.publicKey);
  const instruction = await economy.staking.cancelUnstakeInstruction(owner.publicKey);
  const receipt = signReceipt(owner, stakeAccount, 3n, 1n << 30n, 1_000n);
  return {
    programId: economy.staking.programId.toBase58(),
    stakeAccount: stakeAccount.toBase58(),
    instruction: {
      programId: instruction.programId.toBase58(),
      keys: instruction.keys.map((key) => key.pubkey.toBase58()),
      data: Array.from(instruction.data),
    },
    receiptVerifies: verifyReceipt(receipt),
    forgedReceiptVerifies: verifyReceipt({ ...receipt, cumulativeAmount: 1_001n }),
    idl: { address: MEDIA_STAKING_IDL.address, instructions: MEDIA_STAKING_IDL.instructions.length, sameAsModule: true },
  };
}

/** Serves `dir` over HTTP on a free local port (a page's modules do not load from file://). */
async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = join(dir, (request.url ?? "/").split("?")[0].replace(/^\/$/, "/index.html"));
    if (!path.startsWith(dir) || !existsSync(path)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": path.endsWith(".html") ? "text/html" : "text/javascript" }).end(readFileSync(path));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

describe("sdk: the packed package in a fresh project", () => {
  let work = "";
  let app = "";
  let tarball = "";
  let expected: Awaited<ReturnType<typeof expectedStory>>;
  const withKit = existsSync(KIT_SOURCE);

  before(function () {
    if (runtimeName() !== "litesvm") this.skip();
    this.timeout(600_000);
    work = mkdtempSync(join(tmpdir(), "media-sdk-package-"));
    app = join(work, "app");
    mkdirSync(app);
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("packs with its builds, IDLs, examples and programs, and nothing else", async () => {
    const output = step("npm pack (builds the SDK)", ROOT, "npm", ["pack", "-w", "sdk", "--json", "--pack-destination", work]);
    // The build (prepack) prints first; npm's JSON report is the last thing on stdout.
    const packed = JSON.parse(output.slice(output.lastIndexOf("\n[\n") + 1))[0] as {
      filename: string;
      size: number;
      unpackedSize: number;
      files: { path: string }[];
    };
    tarball = join(work, packed.filename);
    const files = packed.files.map((file) => file.path);
    process.stdout.write(
      `      ${packed.filename}: ${(packed.size / 1024).toFixed(0)} KiB (${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${files.length} files)\n`,
    );
    expect(files).to.include.members([
      "package.json",
      "README.md",
      "dist/cjs/index.js",
      "dist/cjs/index.d.ts",
      "dist/esm/index.mjs",
      "dist/esm/index.d.mts",
      "idl/media_staking.json",
      "idl/media_governance.json",
      "examples/stake.ts",
      "programs/media_staking.so",
      "programs/media_bandwidth.so",
      "programs/media_treasury.so",
      "programs/media_governance.so",
    ]);
    if (withKit) expect(files).to.include.members(["dist/cjs/testing/index.js", "dist/esm/testing.mjs", "dist/esm/testing.d.mts"]);
    expect(files.filter((file) => file.startsWith("src/") || file.endsWith(".tsbuildinfo"))).to.deep.equal([]);
    expected = await expectedStory();
  });

  it("installs next to its peer dependencies without a conflict or a second copy of them", () => {
    writeFileSync(join(app, "package.json"), `${JSON.stringify({ name: "media-sdk-app", version: "0.0.0", private: true }, null, 2)}\n`);
    const dependencies = [...PEERS, ...(withKit ? KIT_PEERS : []), ...TOOLING].map((name) => `${name}@${testedVersion(name)}`);
    process.stdout.write(`      with ${dependencies.join(" ")}\n`);
    step("npm install", app, "npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", tarball, ...dependencies]);
    step("npm ls (peers satisfied)", app, "npm", ["ls", "--all"]);
    // The README's install line, with the tarball for the package, resolves (at the newest versions its ranges allow).
    const line = readFileSync(join(ROOT, "sdk", "README.md"), "utf8").match(/^npm install @media-network\/sdk (.+)$/m);
    expect(line, "sdk/README.md has no `npm install @media-network/sdk …` line").to.not.equal(null);
    const readmeApp = join(work, "readme-install");
    mkdirSync(readmeApp);
    writeFileSync(join(readmeApp, "package.json"), `${JSON.stringify({ name: "media-sdk-readme", version: "0.0.0", private: true }, null, 2)}\n`);
    const args = ["install", "--dry-run", "--strict-peer-deps", "--no-audit", "--no-fund", "--prefer-offline", tarball, ...line![1].split(" ")];
    step(`npm install --dry-run ${line![1]} (the README's line)`, readmeApp, "npm", args);
    for (const peer of PEERS) expect(existsSync(join(app, "node_modules", "@media-network", "sdk", "node_modules", peer)), `a second ${peer}`).to.equal(false);
  });

  it("a CommonJS and an ES module program (and the shipped examples) type-check under strict TypeScript and compute what the sources do", () => {
    writeFileSync(
      join(app, "tsconfig.json"),
      `${JSON.stringify({ compilerOptions: { target: "ES2022", module: "nodenext", strict: true, skipLibCheck: false, types: ["node"], lib: ["ES2022", "DOM"], resolveJsonModule: true, outDir: "out" }, include: ["src"] }, null, 2)}\n`,
    );
    mkdirSync(join(app, "src"));
    // The package has no "type", so .ts compiles to CommonJS (the `require` condition) and .mts to an ES module (`import`).
    writeFileSync(join(app, "src", "story.ts"), `${STORY_IMPORTS}import stakingIdl from "@media-network/sdk/idl/media_staking.json";\n${STORY}`);
    writeFileSync(
      join(app, "src", "story.mts"),
      `${STORY_IMPORTS}import stakingIdl from "@media-network/sdk/idl/media_staking.json" with { type: "json" };\n${STORY}`,
    );
    writeFileSync(join(app, "src", "main.ts"), `import { story } from "./story";\nstory().then((result) => console.log(JSON.stringify(result)));\n`);
    writeFileSync(join(app, "src", "main.mts"), `import { story } from "./story.mjs";\nconsole.log(JSON.stringify(await story()));\n`);
    tsc(app, "tsconfig.json");
    // The README's examples ship in the package and must compile against it as installed (the
    // declarations were checked by the first run).
    const examples = ["stake", "receipts", "scan"].map((name) => `node_modules/@media-network/sdk/examples/${name}.ts`);
    writeFileSync(
      join(app, "tsconfig.examples.json"),
      `${JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { noEmit: true, skipLibCheck: true }, files: examples, include: [] }, null, 2)}\n`,
    );
    tsc(app, "tsconfig.examples.json");
    expect(JSON.parse(step("node out/main.js (require)", app, process.execPath, ["out/main.js"]))).to.deep.equal(expected);
    expect(JSON.parse(step("node out/main.mjs (import)", app, process.execPath, ["out/main.mjs"]))).to.deep.equal(expected);
  });

  it("an esbuild browser bundle without polyfills loads in headless Chromium and computes what the sources do", async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install the Debian package chromium (bash scripts/setup.sh does).`);
    const page = join(app, "page");
    mkdirSync(page);
    writeFileSync(
      join(app, "src", "page.mts"),
      `import { story } from "./story.mjs";\n(window as unknown as { media: unknown }).media = await story().catch((error) => ({ error: String(error) }));\n`,
    );
    writeFileSync(
      join(page, "index.html"),
      `<!doctype html><html><head><link rel="icon" href="data:,"><script type="module" src="page.js"></script></head><body></body></html>\n`,
    );
    const started = Date.now();
    const bundled = await build({
      entryPoints: [join(app, "src", "page.mts")],
      outfile: join(page, "page.js"),
      bundle: true,
      platform: "browser",
      format: "esm",
      target: "es2022",
      minify: true,
      logLevel: "silent",
    });
    expect(bundled.errors).to.deep.equal([]);
    process.stdout.write(`      esbuild: page.js ${(statSync(join(page, "page.js")).size / 1024).toFixed(0)} KiB (minified) in ${seconds(started)}\n`);

    const { server, url } = await serve(page);
    const chromium = await launchChromium();
    const { browser } = chromium;
    try {
      const tab = await browser.newPage();
      const problems: string[] = [];
      tab.on("pageerror", (error) => problems.push(`page error: ${error instanceof Error ? error.message : String(error)}`));
      tab.on("console", (message) => {
        if (message.type() === "error") problems.push(`console error: ${message.text()}`);
      });
      const loaded = Date.now();
      await tab.goto(url, { waitUntil: "load" });
      await tab.waitForFunction(() => "media" in globalThis, { timeout: 30_000 }).catch(() => undefined);
      const result = await tab.evaluate(() => (globalThis as { media?: unknown }).media);
      process.stdout.write(`      chromium: ${await browser.version()}, page computed in ${seconds(loaded)}\n`);
      expect(problems).to.deep.equal([]);
      expect(result).to.deep.equal(expected);
    } finally {
      await chromium.close();
      server.close();
    }
  });

  it("the testing kit runs a dApp's mocha suite, from require and from import", function () {
    if (!withKit) {
      process.stdout.write("      (sdk/src/testing/index.ts does not exist yet: nothing to run)\n");
      this.skip();
    }
    mkdirSync(join(app, "test"));
    const suite = (load: string) => `${load}
describe("a dApp's suite on @media-network/sdk/testing", function () {
  this.timeout(120000);
  it("starts a bank with the programs and moves its clock", async () => {
    const bank = await startTestBank({ runtime: "litesvm" });
    assert.ok(bank.economy instanceof MediaEconomy, "the kit's economy is the package's MediaEconomy");
    const before = BigInt(await bank.now());
    await bank.warp(3600);
    assert.ok(BigInt(await bank.now()) >= before + 3600n, "warp moves the clock");
  });
});
`;
    writeFileSync(
      join(app, "test", "kit.test.cjs"),
      suite(
        `const assert = require("node:assert");\nconst { MediaEconomy } = require("@media-network/sdk");\nconst { startTestBank } = require("@media-network/sdk/testing");`,
      ),
    );
    writeFileSync(
      join(app, "test", "kit.test.mjs"),
      suite(
        `import assert from "node:assert";\nimport { MediaEconomy } from "@media-network/sdk";\nimport { startTestBank } from "@media-network/sdk/testing";`,
      ),
    );
    step("mocha test/kit.test.{cjs,mjs}", app, process.execPath, [
      require.resolve("mocha/bin/mocha.js"),
      "--no-config",
      "test/kit.test.cjs",
      "test/kit.test.mjs",
    ]);
  });
}).timeout(600_000);
