/**
 * `npm run deploy -- [--cluster devnet|localnet|<url>] [--keypair path] [--program-keys .keys]`
 *
 * Deploys the four programs' `.so` files from target/deploy through the upgradeable loader,
 * idempotently (see migrations/lib/deploy.ts): what is deployed and up to date is skipped,
 * what changed is upgraded, a half-written buffer is resumed. JSON-RPC only.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { LAMPORTS_PER_SOL, PublicKey } from "@solana/web3.js";
import { governancePda } from "../sdk/src";
import { DEPLOY_DIR, KEYS_DIR, MEDIA_PROGRAM_IDS, checkAnchorTomlIds, connect, loadWallet, commandLine, resolveCluster } from "./lib/cluster";
import { DeployInterrupted, type DeployProgress, type ProgramBinary, deployCost, deployPrograms } from "./lib/deploy";

const USAGE = `usage: npm run deploy -- [options]

  --cluster C              devnet (default: Anchor.toml [provider]), localnet, testnet, mainnet-beta or an RPC URL
  --ws-url URL             websocket endpoint, if not the RPC URL's port + 1
  --keypair PATH           payer, buffer and upgrade authority (default: Anchor.toml [provider] wallet)
  --program-keys DIR       program and buffer keypairs (default .keys/)
  --deploy-dir DIR         the .so files (default target/deploy)
  --only NAMES             comma-separated programs (default: all four)
  --verify                 compare the deployed programs with the .so files; send nothing
  --upgrade-authority A    then hand every program's upgrade authority to A ("governance": its PDA)
  --concurrency N          write transactions in flight (default 8)
  --max-writes N           stop after N buffer writes (leaves a buffer to resume; for tests)
  --json                   print the report as JSON`;

function bar(progress: DeployProgress): string {
  const width = 24;
  const filled = Math.round((progress.written / progress.total) * width);
  const kib = (n: number) => (n / 1024).toFixed(1);
  return `${progress.program.padEnd(17)} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${kib(progress.written)}/${kib(progress.total)} KiB ${progress.phase}`;
}

async function main() {
  const flags = commandLine(
    ["--cluster", "--ws-url", "--keypair", "--program-keys", "--deploy-dir", "--only", "--upgrade-authority", "--concurrency", "--max-writes"],
    ["--verify", "--json"],
    USAGE,
  );
  if (!flags) return;
  const cluster = resolveCluster(flags.get("--cluster"));
  checkAnchorTomlIds(cluster);
  const payer = loadWallet(flags.get("--keypair"));
  const connection = connect(cluster.url, flags.get("--ws-url"));
  const deployDir = resolve(flags.get("--deploy-dir") ?? DEPLOY_DIR);
  const only = flags
    .get("--only")
    ?.split(",")
    .map((name) => name.trim());
  const programs: ProgramBinary[] = MEDIA_PROGRAM_IDS.filter(({ name }) => !only || only.includes(name)).map(({ name, programId }) => ({
    name,
    programId,
    elf: readFileSync(join(deployDir, `${name}.so`)),
  }));
  if (only && programs.length !== only.length) throw new Error(`--only names unknown programs: ${only.join(", ")}`);
  const authorityFlag = flags.get("--upgrade-authority");
  const upgradeAuthority = authorityFlag === "governance" ? governancePda() : authorityFlag ? new PublicKey(authorityFlag) : undefined;
  const json = flags.has("--json");
  const log = (line: string) => (json ? console.error(line) : console.log(line));

  const balance = await connection.getBalance(payer.publicKey);
  log(`Cluster ${cluster.name} (${cluster.url}), wallet ${payer.publicKey.toBase58()}, ${(balance / LAMPORTS_PER_SOL).toFixed(3)} SOL`);
  const verifyOnly = flags.has("--verify");
  if (!verifyOnly) {
    const cost = await deployCost(programs, { connection, payer, upgradeAuthority });
    const sol = (lamports: number) => `${(lamports / LAMPORTS_PER_SOL).toFixed(4)} SOL`;
    for (const program of cost.programs.filter((p) => p.action !== "none")) {
      log(`${program.name.padEnd(17)} ${program.action}: ${sol(program.rent)} rent + ${sol(program.fees)} fees (buffer ${sol(program.bufferRent)}, refunded)`);
    }
    log(`This run spends ${sol(cost.spend)} (${sol(cost.fees)} of it fees); the wallet needs ${sol(cost.required)} to start.`);
    if (balance < cost.required) {
      log(
        `The wallet holds ${sol(balance)}: fund it with ${sol(cost.required - balance)} more, or the deploy stops part-way (run it again once funded: it resumes).`,
      );
    }
  }

  const tty = process.stdout.isTTY && !json;
  const shown = new Map<string, number>();
  const onProgress = (progress: DeployProgress) => {
    if (tty) {
      process.stdout.write(`\r${bar(progress)}${progress.phase === "done" ? "\n" : ""}`);
      return;
    }
    const decile = progress.phase === "buffer" ? Math.floor((progress.written / progress.total) * 10) : 10 + progress.phase.length;
    if (shown.get(progress.program) === decile) return;
    shown.set(progress.program, decile);
    log(bar(progress));
  };

  let reports: Awaited<ReturnType<typeof deployPrograms>>;
  try {
    reports = await deployPrograms(programs, {
      connection,
      payer,
      keysDir: resolve(flags.get("--program-keys") ?? KEYS_DIR),
      verifyOnly,
      upgradeAuthority,
      maxWrites: flags.has("--max-writes") ? Number(flags.get("--max-writes")) : undefined,
      concurrency: flags.has("--concurrency") ? Number(flags.get("--concurrency")) : undefined,
      onProgress,
    });
  } catch (error) {
    if (tty) process.stdout.write("\n");
    if (error instanceof DeployInterrupted) {
      console.error(error.message);
      process.exit(3);
    }
    throw error;
  }
  if (json) {
    console.log(JSON.stringify({ cluster: cluster.url, wallet: payer.publicKey.toBase58(), programs: reports }, null, 2));
  } else {
    console.log("");
    for (const r of reports) {
      const detail = r.status === "up-to-date" || r.status === "differs" || r.status === "not-deployed" ? "" : `, ${r.transactions} transactions`;
      const resumed = r.resumedBytes > 0 ? `, resumed a buffer holding ${r.resumedBytes} bytes` : "";
      console.log(`${r.name.padEnd(17)} ${r.programId}  ${r.status}${detail}${resumed}; upgrade authority ${r.upgradeAuthority ?? "-"}`);
    }
  }
  if (verifyOnly && reports.some((r) => r.status !== "up-to-date")) process.exit(1);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
