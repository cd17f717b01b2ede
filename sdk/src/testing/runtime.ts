/**
 * The two in-process Solana runtimes the testing kit runs on, behind one interface: LiteSVM
 * (the current Agave runtime, the default) and solana-bankrun (the Solana 1.18 runtime). Each is
 * an optional peer dependency, loaded only when asked for. Both take the same SBF binaries and
 * load them as a deployment does: through the upgradeable loader, with the bank's payer as the
 * programs' upgrade authority (the only key that may initialize their configs).
 */
import { utils } from "@coral-xyz/anchor";
import { Keypair, PublicKey, type Transaction, VersionedTransaction } from "@solana/web3.js";
import { upgradeableProgramAccounts } from "../loader";

/** An account as both runtimes report it. */
export interface RuntimeAccount {
  lamports: bigint;
  owner: PublicKey;
  data: Uint8Array;
  executable: boolean;
}

/** The outcome of one transaction. */
export interface Processed {
  /** A validator-style message when the transaction failed, e.g. "... custom program error: 0x1770". */
  error?: string;
  logs: string[];
  computeUnits: bigint;
  /**
   * The invocations programs made, per top-level instruction, as `getTransaction` reports them;
   * absent where the runtime does not report them (solana-bankrun). Read on demand: copying
   * them out of LiteSVM costs more than a small transaction's run.
   */
  innerInstructions?: () => InnerInstructionGroup[];
}

/** One top-level instruction's invocations, as `meta.innerInstructions` lists them (web3.js's `CompiledInnerInstruction`, with every field set). */
export interface InnerInstructionGroup {
  index: number;
  instructions: { programIdIndex: number; accounts: number[]; data: string; stackHeight: number }[];
}

/** What LiteSVM records of one invocation a program made (its `InnerInstruction`). */
interface LiteSvmInnerInstruction {
  instruction(): { programIdIndex(): number; accounts(): Uint8Array; data(): Uint8Array };
  stackHeight(): number;
}

/**
 * The invocations programs made in a LiteSVM transaction (`TransactionMetadata`), as an RPC
 * node's `getTransaction` reports them in `meta.innerInstructions`: one group per top-level
 * instruction that made any.
 */
export function innerInstructionsOf(meta: { innerInstructions(): LiteSvmInnerInstruction[][] }): InnerInstructionGroup[] {
  const groups: InnerInstructionGroup[] = [];
  meta.innerInstructions().forEach((made, index) => {
    if (made.length === 0) return;
    groups.push({
      index,
      instructions: made.map((inner) => {
        const instruction = inner.instruction();
        return {
          programIdIndex: instruction.programIdIndex(),
          accounts: [...instruction.accounts()],
          data: utils.bytes.bs58.encode(instruction.data()),
          stackHeight: inner.stackHeight(),
        };
      }),
    });
  });
  return groups;
}

/** The in-process runtimes the kit supports. */
export type RuntimeName = "litesvm" | "bankrun";

export interface Runtime {
  readonly name: RuntimeName;
  getAccount(address: PublicKey): Promise<RuntimeAccount | null>;
  process(tx: Transaction | VersionedTransaction): Promise<Processed>;
  latestBlockhash(): Promise<string>;
  /** Makes the next transaction's blockhash differ from the last one's. */
  nextBlockhash(): Promise<void>;
  slot(): Promise<bigint>;
  unixTimestamp(): Promise<bigint>;
  setUnixTimestamp(timestamp: bigint): Promise<void>;
  minimumBalance(dataLength: number): Promise<bigint>;
  /** Writes an account directly (bulk set-up for scale benchmarks and tests). */
  setAccount(address: PublicKey, account: RuntimeAccount): Promise<void>;
  /** Every account owned by `owner` (on bankrun: among the accounts it has seen). */
  programAccounts(owner: PublicKey): Promise<{ address: PublicKey; account: RuntimeAccount }[]>;
}

/** A program to preload: its id and its SBF binary. */
export interface LoadedProgram {
  programId: PublicKey;
  elf: Uint8Array;
}

/** An option of the testing kit that it cannot honour: the message says what to pass instead. */
export class TestKitOptionError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
    this.name = "TestKitOptionError";
  }
}

/** A runtime package the kit needs is not installed in the project. */
export class RuntimeNotInstalledError extends Error {
  constructor(
    readonly runtime: RuntimeName,
    readonly packageName: string,
    cause: unknown,
  ) {
    super(
      `the testing kit's "${runtime}" runtime needs the ${packageName} package, which is not installed: ` +
        `run \`npm install --save-dev ${packageName}\` (an optional peer dependency of @media-network/sdk), or pick the other runtime`,
    );
    this.name = "RuntimeNotInstalledError";
    this.cause = cause;
  }
}

/** Loads an optional peer dependency, or says how to install it. */
export async function loadPeer<T>(runtime: RuntimeName, packageName: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") throw new RuntimeNotInstalledError(runtime, packageName, error);
    throw error;
  }
}

/** Writes `programs` into `runtime` as upgradeable programs of `upgradeAuthority`. */
async function deployUpgradeable(runtime: Runtime, programs: readonly LoadedProgram[], upgradeAuthority: PublicKey): Promise<void> {
  for (const { programId, elf } of programs) {
    // ProgramData first: loading the program account reads it.
    for (const { address, ...account } of upgradeableProgramAccounts(programId, elf, upgradeAuthority)) await runtime.setAccount(address, account);
  }
}

/** solana-bankrun: started empty; the programs are written in as upgradeable deployments. */
export async function startBankrun(programs: readonly LoadedProgram[]): Promise<{ runtime: Runtime; payer: Keypair }> {
  const { Clock, start } = await loadPeer("bankrun", "solana-bankrun", () => import("solana-bankrun"));
  // Its runtime logs every instruction at debug level unless told otherwise.
  process.env.RUST_LOG ??= "error";
  const context = await start([], []);
  const banks = context.banksClient;
  // bankrun cannot enumerate accounts; it lists those named by transactions sent through it
  // or written directly, which covers everything a test creates.
  const seen = new Set<string>();
  const runtime: Runtime = {
    name: "bankrun",
    async getAccount(address) {
      const account = await banks.getAccount(address);
      return account ? { lamports: BigInt(account.lamports), owner: account.owner, data: account.data, executable: account.executable } : null;
    },
    async process(tx) {
      const keys = tx instanceof VersionedTransaction ? tx.message.staticAccountKeys : tx.compileMessage().accountKeys;
      for (const key of keys) seen.add(key.toBase58());
      const result = await banks.tryProcessTransaction(tx);
      return {
        error: result.result ?? undefined,
        logs: result.meta?.logMessages ?? [],
        computeUnits: result.meta?.computeUnitsConsumed ?? 0n,
      };
    },
    async latestBlockhash() {
      const latest = await banks.getLatestBlockhash();
      if (!latest) throw new Error("the bank has no blockhash yet");
      return latest[0];
    },
    async nextBlockhash() {
      context.warpToSlot((await banks.getSlot()) + 1n);
    },
    slot: () => banks.getSlot(),
    async unixTimestamp() {
      return (await banks.getClock()).unixTimestamp;
    },
    async setUnixTimestamp(timestamp) {
      const clock = await banks.getClock();
      context.setClock(new Clock(clock.slot, clock.epochStartTimestamp, clock.epoch, clock.leaderScheduleEpoch, timestamp));
    },
    async minimumBalance(dataLength) {
      return (await banks.getRent()).minimumBalance(BigInt(dataLength));
    },
    async setAccount(address, account) {
      seen.add(address.toBase58());
      context.setAccount(address, { ...account, lamports: Number(account.lamports) });
    },
    async programAccounts(owner) {
      const found: { address: PublicKey; account: RuntimeAccount }[] = [];
      for (const key of seen) {
        const address = new PublicKey(key);
        const account = await runtime.getAccount(address);
        if (account?.owner.equals(owner)) found.push({ address, account });
      }
      return found;
    },
  };
  await deployUpgradeable(runtime, programs, context.payer.publicKey);
  return { runtime, payer: context.payer };
}

/** LiteSVM: programs are written in as upgradeable deployments; transactions cross as wire bytes. */
export async function startLiteSvm(programs: readonly LoadedProgram[]): Promise<{ runtime: Runtime; payer: Keypair }> {
  const { Clock, FailedTransactionMetadata, LiteSVM } = await loadPeer("litesvm", "litesvm", () => import("litesvm"));
  const svm = new LiteSVM();
  type SvmAccount = Parameters<typeof svm.setAccount>[0];
  // @solana/kit's branded strings and bigints, without importing kit itself (LiteSVM's own dependency).
  const address = (key: PublicKey | string) => (typeof key === "string" ? key : key.toBase58()) as SvmAccount["address"];
  const lamports = (amount: bigint) => amount as SvmAccount["lamports"];
  // The payer is written in directly: LiteSVM's faucet holds less than a test economy needs.
  const payer = Keypair.generate();
  svm.setAccount({
    address: address(payer.publicKey),
    lamports: lamports(1_000_000n * 1_000_000_000n),
    programAddress: address("11111111111111111111111111111111"),
    executable: false,
    space: 0n,
    data: new Uint8Array(0),
  });
  const runtime: Runtime = {
    name: "litesvm",
    async getAccount(key) {
      const account = svm.getAccount(address(key));
      if (!account.exists) return null;
      return {
        lamports: BigInt(account.lamports),
        owner: new PublicKey(account.programAddress),
        data: account.data,
        executable: account.executable,
      };
    },
    async process(tx) {
      const bytes = tx instanceof VersionedTransaction ? tx.serialize() : tx.serialize({ requireAllSignatures: true });
      const result = svm.sendTransaction(svmTransaction(bytes) as unknown as Parameters<typeof svm.sendTransaction>[0]);
      if (result instanceof FailedTransactionMetadata) {
        const meta = result.meta();
        return { error: describeFailure(result.err()), logs: meta.logs(), computeUnits: meta.computeUnitsConsumed() };
      }
      return { logs: result.logs(), computeUnits: result.computeUnitsConsumed(), innerInstructions: () => innerInstructionsOf(result) };
    },
    async latestBlockhash() {
      return svm.latestBlockhash();
    },
    async nextBlockhash() {
      svm.expireBlockhash();
    },
    async slot() {
      return svm.getClock().slot;
    },
    async unixTimestamp() {
      return svm.getClock().unixTimestamp;
    },
    async setUnixTimestamp(timestamp) {
      const clock = svm.getClock();
      svm.setClock(new Clock(clock.slot, clock.epochStartTimestamp, clock.epoch, clock.leaderScheduleEpoch, timestamp));
    },
    async minimumBalance(dataLength) {
      return svm.minimumBalanceForRentExemption(BigInt(dataLength));
    },
    async setAccount(key, account) {
      svm.setAccount({
        address: address(key),
        lamports: lamports(account.lamports),
        programAddress: address(account.owner),
        executable: account.executable,
        space: BigInt(account.data.length),
        data: account.data,
      });
    },
    async programAccounts(owner) {
      const accounts = svm.getProgramAccounts(address(owner));
      return accounts.map((account) => ({
        address: new PublicKey(account.address),
        account: {
          lamports: BigInt(account.lamports),
          owner: new PublicKey(account.programAddress),
          data: Uint8Array.from(account.data),
          executable: account.executable,
        },
      }));
    },
  };
  await deployUpgradeable(runtime, programs, payer.publicKey);
  return { runtime, payer };
}

/**
 * Wire bytes as LiteSVM takes a transaction (@solana/kit's shape): the message bytes and each
 * required signer's signature, keyed in the message's signer order, the order kit encodes them in.
 * Read straight from the bytes: decoding the whole transaction with web3.js (a key object per
 * account) cost more than LiteSVM's own processing of a small transaction.
 */
export function svmTransaction(bytes: Uint8Array): { messageBytes: Uint8Array; signatures: Record<string, Uint8Array> } {
  const [count, afterCount] = compactU16(bytes, 0);
  const messageStart = afterCount + 64 * count;
  const messageBytes = bytes.subarray(messageStart);
  // A versioned message starts with its version byte (high bit set), then the legacy header:
  // required signatures, read-only signed, read-only unsigned; then the static account keys.
  const header = messageStart + ((messageBytes[0] & 0x80) === 0 ? 0 : 1);
  const required = bytes[header];
  const [, firstKey] = compactU16(bytes, header + 3);
  if (required !== count || firstKey + 32 * required > bytes.length) throw new Error("malformed transaction: signatures and signers disagree");
  const signatures: Record<string, Uint8Array> = {};
  for (let i = 0; i < required; i++) {
    const key = bytes.subarray(firstKey + 32 * i, firstKey + 32 * (i + 1));
    signatures[new PublicKey(key).toBase58()] = bytes.subarray(afterCount + 64 * i, afterCount + 64 * (i + 1));
  }
  return { messageBytes, signatures };
}

/** A compact-u16 at `at` (the wire format's short vector length) and where what follows it starts. */
function compactU16(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 3; i++) {
    const byte = bytes[at + i];
    value |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) === 0) return [value, at + i + 1];
  }
  throw new Error("malformed transaction: a length runs past three bytes");
}

/** LiteSVM's error objects, phrased as a validator phrases them (Anchor parses the code). */
function describeFailure(error: unknown): string {
  const failure = error as { index?: number; err?: () => unknown; toString(): string };
  if (typeof failure.err === "function" && typeof failure.index === "number") {
    const inner = failure.err() as { code?: number; toString(): string };
    const reason = typeof inner.code === "number" ? `custom program error: 0x${inner.code.toString(16)}` : inner.toString();
    return `Error processing Instruction ${failure.index}: ${reason}`;
  }
  return `Transaction failed: ${failure.toString()}`;
}
