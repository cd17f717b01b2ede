/**
 * The one database interface the indexer and its queries use, with two implementations that
 * run the same SQL: PGlite (an in-process PostgreSQL in a local folder, the default, nothing to
 * install) and a PostgreSQL server through `pg` (`postgres://...`, the scale path).
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";

/** Rows as plain objects; PostgreSQL `numeric` and `bigint` come back as decimal strings. */
export type Row = Record<string, unknown>;

export interface ScanDatabase {
  /** Where the data lives, for messages (a folder, or the server's URL without its password). */
  readonly location: string;
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs several `;`-separated statements with no parameters (the schema). */
  exec(sql: string): Promise<void>;
  /** Runs `work` in one transaction: all of its writes land, or none. */
  transaction<T>(work: (db: Pick<ScanDatabase, "query">) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The default embedded database folder, relative to the working directory. */
export const DEFAULT_DATABASE_DIR = ".scan/db";

/** A `--database` value that names neither a folder nor a `postgres://` URL. */
export class DatabaseSpecError extends Error {
  override name = "DatabaseSpecError";
}

/** Opens `spec`: a `postgres://` (or `postgresql://`) URL, or a folder for PGlite (created if absent). */
export async function openDatabase(spec: string = DEFAULT_DATABASE_DIR): Promise<ScanDatabase> {
  if (!spec.trim()) throw new DatabaseSpecError("--database is empty: pass a folder (default .scan/db) or a postgres://user@host/db URL");
  if (/^postgres(ql)?:\/\//i.test(spec)) return openPostgres(spec);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    throw new DatabaseSpecError(`--database ${spec}: only postgres:// URLs or a local folder are supported`);
  }
  return openPglite(spec);
}

async function openPglite(dir: string): Promise<ScanDatabase> {
  const folder = resolve(dir);
  mkdirSync(folder, { recursive: true });
  const { PGlite } = await import("@electric-sql/pglite");
  const pg = await PGlite.create(folder);
  // PGlite runs one statement at a time; a transaction holds it until it ends.
  return {
    location: folder,
    query: async <T extends Row>(sql: string, params: unknown[] = []) => (await pg.query<T>(sql, params)).rows,
    exec: async (sql) => {
      await pg.exec(sql);
    },
    transaction: (work) =>
      pg.transaction((tx) => work({ query: async <T extends Row>(sql: string, params: unknown[] = []) => (await tx.query<T>(sql, params)).rows })),
    close: () => pg.close(),
  };
}

async function openPostgres(url: string): Promise<ScanDatabase> {
  const { Pool, types } = await import("pg");
  // bigint (int8) as a decimal string, as PGlite returns it; numeric already is one.
  types.setTypeParser(20, (value: string) => value);
  // No JIT: the dashboard's queries run in milliseconds to a second, and the server's JIT
  // (on by default where PostgreSQL is built with LLVM) spent more than that compiling them.
  const pool = new Pool({ connectionString: url, max: 4, options: "-c jit=off" });
  const location = url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
  try {
    await pool.query("select 1");
  } catch (error) {
    await pool.end();
    throw new DatabaseSpecError(`cannot reach PostgreSQL at ${location}: ${(error as Error).message} (is the server running, and does the database exist?)`);
  }
  return {
    location,
    query: async <T extends Row>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[],
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (work) => {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const result = await work({ query: async <T extends Row>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[] });
        await client.query("commit");
        return result;
      } catch (error) {
        await client.query("rollback");
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
