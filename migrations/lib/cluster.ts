/**
 * What the operations scripts share: command-line flags, the cluster and wallet of
 * `Anchor.toml`'s `[provider]` (overridable by flag), a JSON-RPC `Connection`, and the
 * program ids and binaries of the four programs.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { Connection, type Keypair } from "@solana/web3.js";
import { MEDIA_PROGRAMS } from "../../sdk/src";
import { anchorTomlIds, readKeypair } from "../../scripts/keys";

export const ROOT = resolve(__dirname, "..", "..");
export const DEPLOY_DIR = join(ROOT, "target", "deploy");
export const KEYS_DIR = join(ROOT, ".keys");

/** Cluster monikers, as the Solana CLI and Anchor spell them. */
export const CLUSTER_URLS: Record<string, string> = {
  localnet: "http://127.0.0.1:8899",
  devnet: "https://api.devnet.solana.com",
  testnet: "https://api.testnet.solana.com",
  "mainnet-beta": "https://api.mainnet-beta.solana.com",
  mainnet: "https://api.mainnet-beta.solana.com",
};

/** The four programs in deploy order, with the ids the build declared. */
export const MEDIA_PROGRAM_IDS = MEDIA_PROGRAMS;

/** `--flag value`, `--flag=value` and bare `--switch` arguments. */
export function parseFlags(argv: string[], valued: string[], switches: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (valued.includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === "") throw new Error(`${name} needs a value`);
      flags.set(name, value);
    } else if (switches.includes(name) && eq < 0) {
      flags.set(name, "true");
    } else {
      throw new Error(`unknown argument: ${arg}`);
    }
  }
  return flags;
}

/**
 * An operations script's flags from its command line, or null once `usage` was printed for
 * `--help` (the script then ends). A bad argument prints what is wrong and `usage`, and exits 2.
 */
export function commandLine(valued: string[], switches: string[], usage: string): Map<string, string> | null {
  let flags: Map<string, string>;
  try {
    flags = parseFlags(process.argv.slice(2), valued, [...switches, "--help"]);
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (!flags.has("--help")) return flags;
  console.log(usage);
  return null;
}

function anchorProvider(): { cluster?: string; wallet?: string } {
  const path = join(ROOT, "Anchor.toml");
  if (!existsSync(path)) return {};
  const provider: { cluster?: string; wallet?: string } = {};
  let inProvider = false;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const table = /^\s*\[([^\]]+)\]/.exec(line);
    if (table) inProvider = table[1].trim() === "provider";
    const entry = /^\s*(cluster|wallet)\s*=\s*"([^"]*)"/.exec(line);
    if (inProvider && entry) provider[entry[1] as "cluster" | "wallet"] = entry[2];
  }
  return provider;
}

export interface Cluster {
  /** The moniker (devnet, localnet...) or "custom" for a URL. */
  name: string;
  url: string;
}

/** `--cluster devnet|localnet|testnet|mainnet-beta|<url>`, default Anchor.toml's `[provider] cluster`. */
export function resolveCluster(flag?: string): Cluster {
  const value = flag ?? anchorProvider().cluster ?? "devnet";
  if (CLUSTER_URLS[value]) return { name: value, url: CLUSTER_URLS[value] };
  if (/^https?:\/\//.test(value)) return { name: "custom", url: value };
  throw new Error(`unknown cluster "${value}": use devnet, localnet, testnet, mainnet-beta or an http(s) URL`);
}

/** A keypair file; `~` expands. Default: Anchor.toml's `[provider] wallet`. */
export function loadWallet(flag?: string): Keypair {
  const path = (flag ?? anchorProvider().wallet ?? "~/.config/solana/id.json").replace(/^~(?=\/)/, homedir());
  if (!existsSync(path)) throw new Error(`no keypair at ${path}: create one with \`solana-keygen new -o ${path}\` or pass --keypair`);
  return readKeypair(path);
}

/** A JSON-RPC connection; the websocket defaults to the next port for a loopback URL, as web3.js derives it. */
export function connect(url: string, wsUrl?: string): Connection {
  return new Connection(url, { commitment: "confirmed", wsEndpoint: wsUrl, confirmTransactionInitialTimeout: 90_000 });
}

/** Fails if Anchor.toml's `[programs.<cluster>]` names another id than the build declared. */
export function checkAnchorTomlIds(cluster: Cluster): void {
  if (cluster.name === "custom") return;
  const table = anchorTomlIds().get(cluster.name === "mainnet" ? "mainnet-beta" : cluster.name);
  if (!table) return;
  for (const { name, programId } of MEDIA_PROGRAM_IDS) {
    const id = table.get(name);
    if (id && id !== programId.toBase58()) {
      throw new Error(`${name}: Anchor.toml has ${id} for ${cluster.name} but the build declares ${programId.toBase58()} (npm run keys:check)`);
    }
  }
}
