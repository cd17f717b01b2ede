/**
 * `npm run localnet [-- --port 8899] [-- --host ADDR] [-- --no-programs] [-- --dev]`: a JSON-RPC and
 * websocket endpoint (127.0.0.1 by default) backed by LiteSVM, with the four MEDIA programs preloaded from target/deploy (or none, to
 * test deployments), a faucet behind requestAirdrop, and a clock that follows wall time.
 * Ctrl-C stops it.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { Keypair, PublicKey } from "@solana/web3.js";
import { HISTORY_CAPACITY } from "./chain";
import { describeDevLocalnet, newDevDeployer, runDevGenesis } from "./dev";
import { DEFAULT_PORT, LOOPBACK, startLocalnet } from "./server";

/** Where the Solana CLI and Anchor keep the default wallet. */
const DEFAULT_WALLET = join(homedir(), ".config", "solana", "id.json");

const USAGE = `usage: npm run localnet -- [--port N] [--host ADDR] [--history N] [--no-programs] [--deploy-dir DIR] [--upgrade-authority KEY] [--dev]

  --port N                 HTTP JSON-RPC port (default ${DEFAULT_PORT}); the websocket listens on N
                           and N+1, as on a validator
  --host ADDR              address to listen on (default ${LOOPBACK}); 0.0.0.0 for a container or an
                           emulator. Anyone who reaches that address can use the faucet and move
                           the clock. Requests must name the server by a loopback name, an IP
                           address or ADDR itself (Host header): this refuses web pages that
                           point a DNS name of theirs at the localnet (DNS rebinding)
  --history N              transactions remembered for getTransaction, getSignaturesForAddress and
                           getBlock (default ${HISTORY_CAPACITY}, about 6 KB each); older ones are forgotten
  --no-programs            start without the MEDIA programs (to test deploying them)
  --deploy-dir DIR         where the programs' .so files are (default target/deploy)
  --upgrade-authority KEY  upgrade authority of the preloaded programs, the only key that may
                           initialize their configs: a base58 public key or a keypair file
                           (default: $ANCHOR_WALLET, else ~/.config/solana/id.json if present)
  --dev                    development mode: a fresh deployer (the upgrade authority) runs a
                           development genesis (fixed-supply mints with no mint authority, configs
                           with the shortest periods, wallets funded from the faucet allocation) and
                           prints them; keypair files go to .keys/dev-wallets/`;

/** A base58 public key, or the public key of a keypair file. */
function publicKeyOf(text: string): PublicKey {
  if (existsSync(text)) return Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(text, "utf8")) as number[])).publicKey;
  try {
    return new PublicKey(text);
  } catch {
    throw new Error(`--upgrade-authority: ${text} is neither a keypair file nor a base58 public key`);
  }
}

/** The upgrade authority when none is given: the wallet Anchor and the Solana CLI would use. */
function defaultUpgradeAuthority(): PublicKey | null {
  const wallet = process.env.ANCHOR_WALLET ?? (existsSync(DEFAULT_WALLET) ? DEFAULT_WALLET : undefined);
  return wallet ? publicKeyOf(wallet) : null;
}

function parseArgs(argv: string[]) {
  const options = {
    port: DEFAULT_PORT,
    host: LOOPBACK,
    historyCapacity: HISTORY_CAPACITY,
    programs: true,
    deployDir: undefined as string | undefined,
    upgradeAuthority: undefined as PublicKey | null | undefined,
    dev: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === "--port" || arg.startsWith("--port=")) {
      const text = arg.includes("=") ? arg.slice("--port=".length) : value();
      const port = Number(text);
      if (!Number.isInteger(port) || port < 1 || port > 65534) throw new Error(`invalid port: ${text}`);
      options.port = port;
    } else if (arg === "--host" || arg.startsWith("--host=")) {
      const host = arg.includes("=") ? arg.slice("--host=".length) : value();
      if (!/^[0-9A-Za-z.:-]+$/.test(host)) throw new Error(`invalid host: ${host} (an IP address or a host name)`);
      options.host = host;
    } else if (arg === "--history" || arg.startsWith("--history=")) {
      const text = arg.includes("=") ? arg.slice("--history=".length) : value();
      const capacity = Number(text);
      if (!Number.isSafeInteger(capacity) || capacity < 1) throw new Error(`invalid --history: ${text} (a positive number of transactions)`);
      options.historyCapacity = capacity;
    } else if (arg === "--no-programs") {
      options.programs = false;
    } else if (arg === "--deploy-dir" || arg.startsWith("--deploy-dir=")) {
      options.deployDir = arg.includes("=") ? arg.slice("--deploy-dir=".length) : value();
    } else if (arg === "--upgrade-authority" || arg.startsWith("--upgrade-authority=")) {
      options.upgradeAuthority = publicKeyOf(arg.includes("=") ? arg.slice("--upgrade-authority=".length) : value());
    } else if (arg === "--dev") {
      options.dev = true;
    } else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else {
      throw new Error(`unknown argument: ${arg}`);
    }
  }
  return options;
}

async function main() {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (options.dev && (!options.programs || options.upgradeAuthority !== undefined)) {
    console.error(`--dev preloads the programs with its own deployer as upgrade authority: drop --no-programs and --upgrade-authority\n${USAGE}`);
    process.exit(2);
  }
  const deployer = options.dev ? newDevDeployer() : undefined;
  const upgradeAuthority = deployer?.publicKey ?? (options.upgradeAuthority === undefined ? defaultUpgradeAuthority() : options.upgradeAuthority);
  const localnet = await startLocalnet({ ...options, upgradeAuthority });
  const programs = options.programs ? "the four MEDIA programs preloaded" : "no programs preloaded";
  console.log(`MEDIA localnet (LiteSVM, ${programs})`);
  if (options.programs) {
    console.log(
      deployer
        ? `Upgrade authority: ${deployer.publicKey.toBase58()} (the --dev deployer, which runs the development genesis)`
        : upgradeAuthority
          ? `Upgrade authority: ${upgradeAuthority.toBase58()} (only it may initialize the configs: npm run genesis with that wallet)`
          : "Upgrade authority: none. No config can be initialized; restart with --upgrade-authority <keypair or key>.",
    );
  }
  console.log(`JSON-RPC:  ${localnet.url}`);
  console.log(`WebSocket: ${localnet.wsUrl}`);
  console.log("Faucet:    requestAirdrop, up to 1,000,000 SOL per request");
  console.log('Clock:     follows wall time; move it forward with surfnet_timeTravel [{"absoluteTimestamp": ms}]');
  if (options.host !== LOOPBACK) console.log(`Listening on ${options.host}: the faucet and the clock are open to that network.`);
  if (deployer) console.log(describeDevLocalnet(await runDevGenesis({ url: localnet.url, wsUrl: localnet.wsUrl, deployer, log: console.log })));
  console.log("Ctrl-C to stop.");
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping the localnet...");
    await localnet.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error) => {
  const message = (error as NodeJS.ErrnoException).code === "EADDRINUSE" ? `port in use: ${(error as Error).message}` : error;
  console.error(message);
  process.exit(1);
});
