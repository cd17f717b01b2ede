/**
 * Program ids, managed as Anchor users expect.
 *
 * `npm run keys:sync [-- --keys-dir .keys] [-- --no-build]` makes every program's id the
 * public key of a keypair kept outside git (`.keys/<program>-keypair.json`, generated if
 * missing, never overwritten) and writes it everywhere an id lives: its `declare_id!` in
 * `crates/media-core/src/program_ids.rs` (the IDL's `address`, the program's `ID` and every
 * cross-program PDA come from it), every
 * `[programs.<cluster>]` table of `Anchor.toml`, then rebuilds and runs `npm run idl:sync`
 * so the SDK's generated IDLs (whose `address` the SDK's program ids come from) follow.
 *
 * `npm run keys:check` fails when `declare_id!`, `Anchor.toml` and the SDK's generated IDLs
 * disagree, and, for programs whose keypair is in the keys directory, when the keypair is
 * not the declared id. It reads files only (no build): `npm test` runs it.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Keypair } from "@solana/web3.js";
import { PROGRAMS, type ProgramName, ROOT, SDK_GENERATED_DIR, run } from "./lib";

export const DEFAULT_KEYS_DIR = join(ROOT, ".keys");
const ANCHOR_TOML = join(ROOT, "Anchor.toml");
/** Where every program's id is declared, once: `pub mod <program> { declare_id!("...") }`. */
export const PROGRAM_IDS_RS = join(ROOT, "crates", "media-core", "src", "program_ids.rs");

function declareIdPattern(program: ProgramName): RegExp {
  return new RegExp(`(pub mod ${program} \\{\\s*crate::declare_id!\\(")([1-9A-HJ-NP-Za-km-z]{32,44})("\\);)`);
}

/** `<keysDir>/<program>-keypair.json`, Anchor's name for a program keypair. */
export function programKeypairPath(keysDir: string, program: string): string {
  return join(keysDir, `${program}-keypair.json`);
}

/** Reads a keypair in the Solana CLI's format (a JSON array of 64 bytes). */
export function readKeypair(path: string): Keypair {
  return Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(path, "utf8")) as number[]));
}

/** Writes a keypair in the Solana CLI's format, readable by its owner only. */
export function writeKeypair(path: string, keypair: Keypair): void {
  mkdirSync(resolve(path, ".."), { recursive: true });
  writeFileSync(path, JSON.stringify(Array.from(keypair.secretKey)), { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** The id in a program's `declare_id!`. */
export function declaredId(program: ProgramName): string {
  const match = declareIdPattern(program).exec(readFileSync(PROGRAM_IDS_RS, "utf8"));
  if (!match) throw new Error(`no \`pub mod ${program} { crate::declare_id!("...") }\` in ${PROGRAM_IDS_RS}`);
  return match[2];
}

/** `Anchor.toml`'s `[programs.<cluster>]` tables: cluster → program → id. */
export function anchorTomlIds(text = readFileSync(ANCHOR_TOML, "utf8")): Map<string, Map<string, string>> {
  const clusters = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of text.split("\n")) {
    const table = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (table) {
      const cluster = /^programs\.([A-Za-z0-9_-]+)$/.exec(table[1].trim());
      current = cluster ? new Map() : undefined;
      if (cluster && current) clusters.set(cluster[1], current);
      continue;
    }
    const entry = /^\s*([A-Za-z0-9_]+)\s*=\s*"([^"]*)"/.exec(line);
    if (current && entry) current.set(entry[1], entry[2]);
  }
  return clusters;
}

/** `Anchor.toml` with every `[programs.*]` entry of `program` set to `id`. */
export function withAnchorTomlId(text: string, program: string, id: string): string {
  let inPrograms = false;
  return text
    .split("\n")
    .map((line) => {
      const table = /^\s*\[([^\]]+)\]\s*$/.exec(line);
      if (table) inPrograms = /^programs\.[A-Za-z0-9_-]+$/.test(table[1].trim());
      const entry = new RegExp(`^(\\s*${program}\\s*=\\s*)"[^"]*"(.*)$`).exec(line);
      return inPrograms && entry ? `${entry[1]}"${id}"${entry[2]}` : line;
    })
    .join("\n");
}

/** The `address` of the SDK's generated module (the IDL it holds, from which its program id comes). */
function sdkIds(program: ProgramName): { path: string; id: string }[] {
  const module = join(SDK_GENERATED_DIR, `${program}.ts`);
  if (!existsSync(module)) return [];
  return [...readFileSync(module, "utf8").matchAll(/^ {2}"address": "([^"]+)",$/gm)].map((match) => ({ path: module, id: match[1] }));
}

/** Every disagreement between the places program ids live (empty when all agree). */
export function checkIds(keysDir = DEFAULT_KEYS_DIR): string[] {
  const problems: string[] = [];
  const toml = anchorTomlIds();
  if (toml.size === 0) problems.push("Anchor.toml has no [programs.<cluster>] table");
  for (const program of PROGRAMS) {
    let declared: string;
    try {
      declared = declaredId(program);
    } catch (error) {
      problems.push((error as Error).message);
      continue;
    }
    for (const [cluster, ids] of toml) {
      const id = ids.get(program);
      if (id !== declared) problems.push(`${program}: Anchor.toml [programs.${cluster}] has ${id ?? "no entry"}, declare_id! has ${declared}`);
    }
    const sdk = sdkIds(program);
    if (sdk.length !== 1) problems.push(`${program}: the SDK's generated IDL is missing or has no address (run npm run build && npm run idl:sync)`);
    for (const { path, id } of sdk) {
      if (id !== declared)
        problems.push(`${program}: ${path.slice(ROOT.length + 1)} has ${id}, declare_id! has ${declared} (run npm run build && npm run idl:sync)`);
    }
    const keypairPath = programKeypairPath(keysDir, program);
    if (existsSync(keypairPath)) {
      const id = readKeypair(keypairPath).publicKey.toBase58();
      if (id !== declared) problems.push(`${program}: ${keypairPath} is ${id}, declare_id! has ${declared} (run npm run keys:sync)`);
    }
  }
  return problems;
}

/**
 * Loads or generates each program's keypair in `keysDir` and writes its public key into
 * `declare_id!` and `Anchor.toml`. Returns program → id.
 */
export function syncIds(keysDir = DEFAULT_KEYS_DIR): Map<ProgramName, string> {
  const ids = new Map<ProgramName, string>();
  let toml = readFileSync(ANCHOR_TOML, "utf8");
  for (const program of PROGRAMS) {
    const path = programKeypairPath(keysDir, program);
    if (!existsSync(path)) {
      writeKeypair(path, Keypair.generate());
      console.log(`generated ${path}`);
    }
    const id = readKeypair(path).publicKey.toBase58();
    ids.set(program, id);
    const source = readFileSync(PROGRAM_IDS_RS, "utf8");
    const updated = source.replace(declareIdPattern(program), `$1${id}$3`);
    if (updated !== source) {
      writeFileSync(PROGRAM_IDS_RS, updated);
      console.log(`${program}: declare_id! → ${id}`);
    }
    toml = withAnchorTomlId(toml, program, id);
  }
  if (toml !== readFileSync(ANCHOR_TOML, "utf8")) {
    writeFileSync(ANCHOR_TOML, toml);
    console.log("wrote Anchor.toml");
  }
  return ids;
}

const USAGE = `usage: tsx scripts/keys.ts sync|check [--keys-dir DIR] [--no-build]

  sync        generate missing program keypairs in the keys directory (never overwrites one),
              write their ids into declare_id!, Anchor.toml, then npm run build + idl:sync
  check       fail if declare_id!, Anchor.toml and the SDK's generated IDLs disagree
  --keys-dir  where program keypairs live (default .keys/, ignored by git)
  --no-build  sync only the sources (rebuild and npm run idl:sync yourself)`;

function main() {
  const [mode, ...rest] = process.argv.slice(2);
  let keysDir = DEFAULT_KEYS_DIR;
  let build = true;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--keys-dir" && rest[i + 1]) keysDir = resolve(rest[++i]);
    else if (rest[i].startsWith("--keys-dir=")) keysDir = resolve(rest[i].slice("--keys-dir=".length));
    else if (rest[i] === "--no-build") build = false;
    else {
      console.error(USAGE);
      process.exit(2);
    }
  }
  if (mode === "sync") {
    const ids = syncIds(keysDir);
    if (build) {
      run("npm", ["run", "--silent", "build"], process.env, "The ids are written; fix the build and run npm run idl:sync.");
      run("npm", ["run", "--silent", "idl:sync"], process.env, "Run npm run idl:sync once the build passes.");
    }
    for (const [program, id] of ids) console.log(`${program.padEnd(17)} ${id}`);
    if (!build) console.log("Sources updated; now run `npm run build && npm run idl:sync`.");
  } else if (mode === "check") {
    const problems = checkIds(keysDir);
    if (problems.length > 0) {
      console.error(`Program ids disagree:\n  ${problems.join("\n  ")}`);
      process.exit(1);
    }
    console.log(`Program ids agree for ${PROGRAMS.length} programs (declare_id!, Anchor.toml, SDK IDLs).`);
  } else {
    console.error(USAGE);
    process.exit(2);
  }
}

if (require.main === module) main();
