/**
 * Deploys programs through the upgradeable loader over JSON-RPC only (web3.js `Connection`),
 * idempotently:
 *
 * - a program whose programdata already holds the binary (compared byte for byte after the
 *   45-byte header, the rest zero) is up to date and costs nothing;
 * - a deployed program whose bytes differ is upgraded (its programdata grown first with
 *   ExtendProgram if the new binary does not fit);
 * - a new program is deployed with DeployWithMaxDataLen (twice the binary's size, as the
 *   Solana CLI does), its account created with its keypair from the keys directory, or used
 *   as it is if it already exists empty and owned by the loader;
 * - the binary goes through a buffer whose keypair is saved as `<keys>/<program>-buffer.json`
 *   before the buffer is created: an interrupted deploy finds it again and writes only the
 *   chunks that differ; the file is deleted once the buffer is consumed.
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type Connection, Keypair, PublicKey, SystemProgram, Transaction, type TransactionInstruction, sendAndConfirmTransaction } from "@solana/web3.js";
import { programKeypairPath, readKeypair, writeKeypair } from "../../scripts/keys";
import {
  BUFFER_METADATA_SIZE,
  PROGRAMDATA_METADATA_SIZE,
  PROGRAM_ACCOUNT_SIZE,
  UPGRADEABLE_LOADER_ID,
  closeBufferIx,
  decodeLoaderAccount,
  deployWithMaxDataLenIx,
  extendProgramIx,
  initializeBufferIx,
  programDataAddress,
  setAuthorityIx,
  upgradeIx,
  writeIx,
} from "./loader";

/** The largest transaction a validator accepts. */
export const PACKET_DATA_SIZE = 1232;

/** Room a new program's programdata gets, in multiples of its binary (as the Solana CLI gives), for upgrades to grow into. */
export const MAX_DATA_LEN_FACTOR = 2;

export interface ProgramBinary {
  name: string;
  programId: PublicKey;
  elf: Buffer;
}

export type DeployStatus = "up-to-date" | "deployed" | "upgraded" | "differs" | "not-deployed";

export interface ProgramReport {
  name: string;
  programId: string;
  programData: string;
  status: DeployStatus;
  /** Size of the binary. */
  bytes: number;
  /** Bytes a previous, interrupted run had already written into the buffer. */
  resumedBytes: number;
  /** Buffer write transactions sent by this run. */
  writes: number;
  /** Transactions sent by this run for this program. */
  transactions: number;
  upgradeAuthority: string | null;
}

export interface DeployProgress {
  program: string;
  phase: "buffer" | "deploy" | "upgrade" | "done";
  written: number;
  total: number;
}

export interface DeployOptions {
  connection: Connection;
  /** Pays for everything and is the buffer and upgrade authority. */
  payer: Keypair;
  /** Program keypairs (`<program>-keypair.json`) and buffer keypairs (`<program>-buffer.json`). */
  keysDir: string;
  /** Compare only: send nothing (status `differs` or `not-deployed` where a deploy would act). */
  verifyOnly?: boolean;
  /** Hand the upgrade authority of every program to this address once it is up to date. */
  upgradeAuthority?: PublicKey;
  /** Stop after this many buffer writes (leaves a half-written buffer; for testing resumption). */
  maxWrites?: number;
  /** Write transactions in flight at once (default 8). */
  concurrency?: number;
  onProgress?: (progress: DeployProgress) => void;
}

/** Thrown when `maxWrites` stops a deploy; the buffer keypair stays in the keys directory. */
export class DeployInterrupted extends Error {
  constructor(
    readonly program: string,
    readonly written: number,
    readonly total: number,
  ) {
    super(`${program}: stopped after the write limit, ${written}/${total} bytes in the buffer; run the deploy again to resume`);
  }
}

/** Deploys or upgrades each program in order; returns what it found and did per program. */
export async function deployPrograms(programs: ProgramBinary[], options: DeployOptions): Promise<ProgramReport[]> {
  const budget = { writes: options.maxWrites ?? Number.POSITIVE_INFINITY };
  const reports: ProgramReport[] = [];
  let changed = false;
  for (const program of programs) {
    const report = await deployProgram(program, options, budget);
    changed ||= report.status === "deployed" || report.status === "upgraded";
    reports.push(report);
  }
  // A validator runs a deployed or upgraded program from the next slot on.
  if (changed) await nextSlot(options.connection);
  return reports;
}

/** What a program's account says the deploy must do with it. */
type ProgramState =
  | { mode: "up-to-date"; upgradeAuthority: PublicKey | null }
  | { mode: "upgrade"; upgradeAuthority: PublicKey | null; capacity: number }
  | { mode: "deploy-new" }
  | { mode: "deploy-reserved" };

/**
 * Reads `program`'s account and programdata: up to date, to upgrade (with the programdata's
 * capacity), or to deploy into a new account (created with its keypair) or into one already
 * reserved (empty, owned by the loader).
 */
async function inspectProgram(connection: Connection, program: ProgramBinary): Promise<ProgramState> {
  const { name, programId, elf } = program;
  const account = await connection.getAccountInfo(programId);
  if (account?.owner.equals(UPGRADEABLE_LOADER_ID) && account.executable) {
    const state = decodeLoaderAccount(account.data);
    if (state.kind !== "program") throw new Error(`${name}: ${programId.toBase58()} is not an upgradeable program`);
    const dataAccount = await connection.getAccountInfo(state.programData);
    if (!dataAccount) throw new Error(`${name}: programdata ${state.programData.toBase58()} is missing`);
    const data = decodeLoaderAccount(dataAccount.data);
    if (data.kind !== "programdata") throw new Error(`${name}: ${state.programData.toBase58()} is not programdata`);
    if (holds(data.data, elf)) return { mode: "up-to-date", upgradeAuthority: data.upgradeAuthority };
    return { mode: "upgrade", upgradeAuthority: data.upgradeAuthority, capacity: data.data.length };
  }
  if (account) {
    const reserved =
      account.owner.equals(UPGRADEABLE_LOADER_ID) && account.data.length === PROGRAM_ACCOUNT_SIZE && decodeLoaderAccount(account.data).kind === "uninitialized";
    if (!reserved) {
      throw new Error(`${name}: ${programId.toBase58()} holds an account the upgradeable loader cannot deploy to (owner ${account.owner.toBase58()})`);
    }
    return { mode: "deploy-reserved" };
  }
  return { mode: "deploy-new" };
}

/** What a deploy run will cost one program, in lamports. */
export interface ProgramCost {
  name: string;
  action: "deploy" | "upgrade" | "none";
  /** Rent left in accounts the run creates or grows (program account, programdata, an extension). */
  rent: number;
  /** Transaction fees: buffer creation, one per buffer write, deploy or upgrade, hand-over. */
  fees: number;
  /** Rent a buffer holds while it is written, refunded when the program is deployed or upgraded. */
  bufferRent: number;
}

export interface DeployCost {
  programs: ProgramCost[];
  /** Lamports the run leaves spent: rent plus fees. */
  spend: number;
  /** Of which fees. */
  fees: number;
  /**
   * Balance the wallet must start with: the spend, the rent-exempt minimum the wallet itself
   * keeps, and, when upgrading, the largest buffer's rent (an upgrade refunds it only at the
   * end; a first deploy drains the buffer into the wallet before paying for the programdata).
   */
  required: number;
}

/**
 * What `deployPrograms(programs, options)` will spend from a fresh start (no buffer left by an
 * interrupted run), computed from the chain as the deploy reads it: for each program to deploy,
 * the program account's rent (when it does not exist yet) and the programdata's at twice the
 * binary's size; for each to upgrade, the rent of any extension; and one fee per signature of
 * every transaction it sends. The buffers' rent is refunded, so it is not spent.
 */
export async function deployCost(programs: ProgramBinary[], options: Pick<DeployOptions, "connection" | "payer" | "upgradeAuthority">): Promise<DeployCost> {
  const { connection, payer } = options;
  const rent = (bytes: number) => connection.getMinimumBalanceForRentExemption(bytes);
  const perSignature = await feePerSignature(connection, payer.publicKey);
  const chunk = maxWriteChunk(payer.publicKey);
  const costs: ProgramCost[] = [];
  for (const program of programs) {
    const state = await inspectProgram(connection, program);
    const target = options.upgradeAuthority;
    if (state.mode === "up-to-date") {
      const handOver = target && !state.upgradeAuthority?.equals(target) ? 1 : 0;
      costs.push({ name: program.name, action: "none", rent: 0, fees: handOver * perSignature, bufferRent: 0 });
      continue;
    }
    const { elf } = program;
    // create + initialize buffer (wallet and buffer sign), then one write per chunk a zeroed buffer lacks
    const bufferSignatures = 2 + nonZeroChunks(elf, chunk);
    const bufferRent = await rent(BUFFER_METADATA_SIZE + elf.length);
    // After a deploy or upgrade the wallet holds the upgrade authority; handing it on is one more transaction.
    const handOverAfter = target && !target.equals(payer.publicKey) ? 1 : 0;
    if (state.mode === "upgrade") {
      const grow = Math.max(0, elf.length - state.capacity);
      const extension = grow > 0 ? (await rent(PROGRAMDATA_METADATA_SIZE + elf.length)) - (await rent(PROGRAMDATA_METADATA_SIZE + state.capacity)) : 0;
      const signatures = bufferSignatures + (grow > 0 ? 1 : 0) + 1 + handOverAfter;
      costs.push({ name: program.name, action: "upgrade", rent: extension, fees: signatures * perSignature, bufferRent });
    } else {
      const programAccount = state.mode === "deploy-new" ? await rent(PROGRAM_ACCOUNT_SIZE) : 0;
      const programData = await rent(PROGRAMDATA_METADATA_SIZE + MAX_DATA_LEN_FACTOR * elf.length);
      // The deploy transaction is signed by the program's keypair too when it creates the account.
      const signatures = bufferSignatures + 1 + (state.mode === "deploy-new" ? 1 : 0) + handOverAfter;
      costs.push({ name: program.name, action: "deploy", rent: programAccount + programData, fees: signatures * perSignature, bufferRent });
    }
  }
  const spend = costs.reduce((sum, cost) => sum + cost.rent + cost.fees, 0);
  const fees = costs.reduce((sum, cost) => sum + cost.fees, 0);
  const upgradeBuffer = Math.max(0, ...costs.filter((cost) => cost.action === "upgrade").map((cost) => cost.bufferRent));
  const required = spend + upgradeBuffer + (await rent(0));
  return { programs: costs, spend, fees, required };
}

/** The fee of a one-signature transaction on this cluster. */
async function feePerSignature(connection: Connection, payer: PublicKey): Promise<number> {
  const { blockhash } = await connection.getLatestBlockhash();
  const message = new Transaction({ feePayer: payer, recentBlockhash: blockhash })
    .add(writeIx(Keypair.generate().publicKey, payer, 0, new Uint8Array(1)))
    .compileMessage();
  const fee = await connection.getFeeForMessage(message);
  if (fee.value === null) throw new Error("the cluster did not price a transaction (getFeeForMessage returned null)");
  return fee.value;
}

/** Chunks of `elf` a fresh (zeroed) buffer needs written: an all-zero chunk is already there. */
export function nonZeroChunks(elf: Buffer, chunk: number): number {
  let count = 0;
  for (let offset = 0; offset < elf.length; offset += chunk) {
    if (elf.subarray(offset, offset + chunk).some((byte) => byte !== 0)) count++;
  }
  return count;
}

async function deployProgram(program: ProgramBinary, options: DeployOptions, budget: { writes: number }): Promise<ProgramReport> {
  const { connection, payer } = options;
  const { name, programId, elf } = program;
  const programData = programDataAddress(programId);
  const report: ProgramReport = {
    name,
    programId: programId.toBase58(),
    programData: programData.toBase58(),
    status: "not-deployed",
    bytes: elf.length,
    resumedBytes: 0,
    writes: 0,
    transactions: 0,
    upgradeAuthority: null,
  };
  const progress = (phase: DeployProgress["phase"], written: number) => options.onProgress?.({ program: name, phase, written, total: elf.length });

  const state = await inspectProgram(connection, program);
  if (state.mode === "up-to-date" || state.mode === "upgrade") report.upgradeAuthority = state.upgradeAuthority?.toBase58() ?? null;
  if (state.mode === "up-to-date") {
    report.status = "up-to-date";
    progress("done", elf.length);
    await handOverUpgradeAuthority(report, options);
    return report;
  }
  if (options.verifyOnly) {
    if (state.mode === "upgrade") report.status = "differs";
    return report;
  }
  if (state.mode === "upgrade" && !state.upgradeAuthority?.equals(payer.publicKey)) {
    throw new Error(
      `${name}: the deployed program differs and its upgrade authority is ${report.upgradeAuthority ?? "none (immutable)"}, ` +
        `not the wallet ${payer.publicKey.toBase58()}`,
    );
  }

  let programKeypair: Keypair | undefined;
  if (state.mode === "deploy-new") {
    const path = programKeypairPath(options.keysDir, name);
    if (!existsSync(path)) throw new Error(`${name}: no program keypair at ${path} for ${programId.toBase58()} (npm run keys:sync)`);
    programKeypair = readKeypair(path);
    if (!programKeypair.publicKey.equals(programId)) {
      throw new Error(`${name}: ${path} is ${programKeypair.publicKey.toBase58()}, the build declares ${programId.toBase58()} (npm run keys:sync)`);
    }
  }

  const { buffer, bufferPath } = await writeBuffer(program, options, budget, report, progress);

  if (state.mode === "upgrade") {
    if (state.capacity < elf.length) {
      await send(connection, [extendProgramIx(programId, payer.publicKey, elf.length - state.capacity)], [payer]);
      report.transactions++;
    }
    progress("upgrade", elf.length);
    await send(connection, [upgradeIx(programId, buffer, payer.publicKey, payer.publicKey)], [payer]);
    report.status = "upgraded";
  } else {
    progress("deploy", elf.length);
    const instructions: TransactionInstruction[] = [];
    if (programKeypair) {
      instructions.push(
        SystemProgram.createAccount({
          fromPubkey: payer.publicKey,
          newAccountPubkey: programId,
          lamports: await connection.getMinimumBalanceForRentExemption(PROGRAM_ACCOUNT_SIZE),
          space: PROGRAM_ACCOUNT_SIZE,
          programId: UPGRADEABLE_LOADER_ID,
        }),
      );
    }
    instructions.push(deployWithMaxDataLenIx(payer.publicKey, programId, buffer, payer.publicKey, MAX_DATA_LEN_FACTOR * elf.length));
    await send(connection, instructions, programKeypair ? [payer, programKeypair] : [payer]);
    report.status = "deployed";
    report.upgradeAuthority = payer.publicKey.toBase58();
  }
  report.transactions++;
  rmSync(bufferPath, { force: true });
  progress("done", elf.length);
  await handOverUpgradeAuthority(report, options);
  return report;
}

/** Whether programdata bytes hold exactly `elf` (the loader zero-fills what follows it). */
function holds(data: Buffer, elf: Buffer): boolean {
  if (data.length < elf.length || !data.subarray(0, elf.length).equals(elf)) return false;
  for (let i = elf.length; i < data.length; i++) if (data[i] !== 0) return false;
  return true;
}

async function handOverUpgradeAuthority(report: ProgramReport, options: DeployOptions): Promise<void> {
  const target = options.upgradeAuthority;
  if (!target || report.upgradeAuthority === target.toBase58() || options.verifyOnly) return;
  if (report.upgradeAuthority !== options.payer.publicKey.toBase58()) {
    throw new Error(`${report.name}: cannot hand over the upgrade authority: it is ${report.upgradeAuthority ?? "none"}, not the wallet`);
  }
  await send(options.connection, [setAuthorityIx(new PublicKey(report.programData), options.payer.publicKey, target)], [options.payer]);
  report.transactions++;
  report.upgradeAuthority = target.toBase58();
}

/** The largest chunk a Write transaction signed by `authority` alone can carry. */
export function maxWriteChunk(authority: PublicKey): number {
  const probe = 200;
  const tx = new Transaction({ feePayer: authority, recentBlockhash: PublicKey.default.toBase58() }).add(
    writeIx(Keypair.generate().publicKey, authority, 0, new Uint8Array(probe)),
  );
  const size = 1 + 64 + tx.serializeMessage().length;
  return PACKET_DATA_SIZE - size + probe;
}

/** Creates or finds the program's buffer and writes every chunk it does not hold yet. */
async function writeBuffer(
  program: ProgramBinary,
  options: DeployOptions,
  budget: { writes: number },
  report: ProgramReport,
  progress: (phase: DeployProgress["phase"], written: number) => void,
): Promise<{ buffer: PublicKey; bufferPath: string }> {
  const { connection, payer } = options;
  const { name, elf } = program;
  const bufferPath = join(options.keysDir, `${name}-buffer.json`);
  let bufferKeypair = existsSync(bufferPath) ? readKeypair(bufferPath) : undefined;
  let existing: Buffer | undefined;
  if (bufferKeypair) {
    const account = await connection.getAccountInfo(bufferKeypair.publicKey);
    if (account) {
      const state = account.owner.equals(UPGRADEABLE_LOADER_ID) ? decodeLoaderAccount(account.data) : undefined;
      const ours = state?.kind === "buffer" && state.authority?.equals(payer.publicKey);
      if (ours && state.data.length === elf.length) {
        existing = Buffer.from(state.data);
      } else if (ours) {
        // A buffer of another binary (the program changed since): close it, refunding its rent.
        await send(connection, [closeBufferIx(bufferKeypair.publicKey, payer.publicKey, payer.publicKey)], [payer]);
        report.transactions++;
        bufferKeypair = undefined;
      } else {
        throw new Error(`${name}: ${bufferPath} names ${bufferKeypair.publicKey.toBase58()}, which is not a buffer of this wallet; move it away`);
      }
    }
  }
  if (!bufferKeypair) {
    // Saved before the buffer exists, so that whatever happens next a re-run finds it.
    bufferKeypair = Keypair.generate();
    writeKeypair(bufferPath, bufferKeypair);
  }
  const buffer = bufferKeypair.publicKey;
  if (!existing) {
    const space = BUFFER_METADATA_SIZE + elf.length;
    await send(
      connection,
      [
        SystemProgram.createAccount({
          fromPubkey: payer.publicKey,
          newAccountPubkey: buffer,
          lamports: await connection.getMinimumBalanceForRentExemption(space),
          space,
          programId: UPGRADEABLE_LOADER_ID,
        }),
        initializeBufferIx(buffer, payer.publicKey),
      ],
      [payer, bufferKeypair],
    );
    report.transactions++;
    existing = Buffer.alloc(elf.length);
  }

  const chunk = maxWriteChunk(payer.publicKey);
  const pending: number[] = [];
  let written = 0;
  for (let offset = 0; offset < elf.length; offset += chunk) {
    const end = Math.min(offset + chunk, elf.length);
    if (existing.subarray(offset, end).equals(elf.subarray(offset, end))) written += end - offset;
    else pending.push(offset);
  }
  report.resumedBytes = written;
  progress("buffer", written);

  for (let pass = 0; pending.length > 0; pass++) {
    let next = 0;
    let stopped = false;
    const worker = async () => {
      while (next < pending.length) {
        if (budget.writes <= 0) {
          stopped = true;
          return;
        }
        budget.writes--;
        const offset = pending[next++];
        const bytes = elf.subarray(offset, Math.min(offset + chunk, elf.length));
        await withRetries(() => send(connection, [writeIx(buffer, payer.publicKey, offset, bytes)], [payer]));
        report.writes++;
        report.transactions++;
        written += bytes.length;
        progress("buffer", written);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
    if (stopped) throw new DeployInterrupted(name, written, elf.length);
    // Check what landed (a write can be lost on a real cluster) and rewrite what did not.
    const account = await connection.getAccountInfo(buffer);
    const state = account ? decodeLoaderAccount(account.data) : undefined;
    if (state?.kind !== "buffer") throw new Error(`${name}: buffer ${buffer.toBase58()} vanished while writing`);
    pending.length = 0;
    written = 0;
    for (let offset = 0; offset < elf.length; offset += chunk) {
      const end = Math.min(offset + chunk, elf.length);
      if (state.data.subarray(offset, end).equals(elf.subarray(offset, end))) written += end - offset;
      else pending.push(offset);
    }
    if (pending.length > 0 && pass >= 2) throw new Error(`${name}: ${pending.length} buffer chunks did not land after 3 passes`);
  }
  return { buffer, bufferPath };
}

async function withRetries<T>(action: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

/** Sends and confirms one transaction (the first signer pays). */
export function send(connection: Connection, instructions: TransactionInstruction[], signers: Keypair[]): Promise<string> {
  return sendAndConfirmTransaction(connection, new Transaction().add(...instructions), signers, { commitment: "confirmed" });
}

/** Waits until the cluster's slot moves past the current one. */
export async function nextSlot(connection: Connection): Promise<void> {
  const start = await connection.getSlot("confirmed");
  for (let i = 0; i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    if ((await connection.getSlot("confirmed")) > start) return;
  }
}
