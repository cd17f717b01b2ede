/**
 * What `npm run scan:index` and `npm run scan` share on their command lines: the program ids of
 * a custom deployment, the usage error, and the check that a JSON-RPC node answers.
 */
import { type Connection, PublicKey } from "@solana/web3.js";
import type { MediaProgramIds } from "../sdk/src";
import { DEFAULT_DATABASE_DIR } from "./database";
import { PROGRAM_NAMES } from "./decode";

/** A command line the indexer cannot run with. */
export class ScanUsageError extends Error {
  override name = "ScanUsageError";
}

/** parseArgs options for `--staking`, `--bandwidth`, `--treasury`, `--governance`. */
export const PROGRAM_ID_OPTIONS = Object.fromEntries(PROGRAM_NAMES.map((program) => [program, { type: "string" as const }])) as Record<
  keyof MediaProgramIds,
  { type: "string" }
>;

/** parseArgs options both commands take: where to read the chain, where to write, which programs. */
export const INDEXER_OPTIONS = {
  rpc: { type: "string" },
  ws: { type: "string" },
  database: { type: "string", default: DEFAULT_DATABASE_DIR },
  help: { type: "boolean", default: false },
  ...PROGRAM_ID_OPTIONS,
} as const;

/** The program ids given on the command line (the others stay the default deployment's). */
export function programIdsFrom(values: Partial<Record<keyof MediaProgramIds, string>>): Partial<MediaProgramIds> {
  const programIds: Partial<MediaProgramIds> = {};
  for (const program of PROGRAM_NAMES) {
    const id = values[program];
    if (id === undefined) continue;
    try {
      programIds[program] = new PublicKey(id);
    } catch {
      throw new ScanUsageError(`--${program} ${id}: not a base58 program id`);
    }
  }
  return programIds;
}

/** Fails with what to do when no JSON-RPC node answers at `rpc`. */
export async function requireRpc(connection: Connection, rpc: string): Promise<void> {
  try {
    await connection.getSlot();
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    throw new ScanUsageError(`no JSON-RPC node answers at ${rpc} (${cause?.message ?? (error as Error).message}): start one (npm run localnet) or fix --rpc`);
  }
}

/**
 * Ctrl-C and SIGTERM stop `stop` once (the current transaction finishes, so the next run resumes
 * without a gap), close the database and exit.
 */
export function stopOnSignal(stop: () => Promise<void>, database: { close(): Promise<void> }): void {
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log("stopping: finishing the current transaction (run again to resume)");
    await stop();
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}
