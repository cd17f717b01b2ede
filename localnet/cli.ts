/**
 * `npm run localnet [-- --port 8899] [-- --no-programs]`: a JSON-RPC endpoint on 127.0.0.1
 * backed by LiteSVM, with the four MEDIA programs preloaded from target/deploy (or none, to
 * test deployments), a faucet behind requestAirdrop, and a clock that follows wall time.
 * Ctrl-C stops it.
 */
import { DEFAULT_PORT, startLocalnet } from "./server";

const USAGE = `usage: npm run localnet -- [--port N] [--no-programs] [--deploy-dir DIR]

  --port N          HTTP JSON-RPC port on 127.0.0.1 (default ${DEFAULT_PORT}); the websocket
                    listens on N and N+1, as on a validator
  --no-programs     start without the MEDIA programs (to test deploying them)
  --deploy-dir DIR  where the programs' .so files are (default target/deploy)`;

function parseArgs(argv: string[]) {
  const options = { port: DEFAULT_PORT, programs: true, deployDir: undefined as string | undefined };
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
    } else if (arg === "--no-programs") {
      options.programs = false;
    } else if (arg === "--deploy-dir" || arg.startsWith("--deploy-dir=")) {
      options.deployDir = arg.includes("=") ? arg.slice("--deploy-dir=".length) : value();
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
  const localnet = await startLocalnet(options);
  const programs = options.programs ? "the four MEDIA programs preloaded" : "no programs preloaded";
  console.log(`MEDIA localnet (LiteSVM, ${programs})`);
  console.log(`JSON-RPC:  ${localnet.url}`);
  console.log(`WebSocket: ${localnet.wsUrl}`);
  console.log("Faucet:    requestAirdrop, up to 1,000,000 SOL per request");
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
