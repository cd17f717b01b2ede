/**
 * The two Solana runtimes the suites run on, behind one interface: solana-bankrun (the
 * Solana 1.18 runtime, `MEDIA_RUNTIME=bankrun`, the default) and LiteSVM (the current Agave
 * runtime, `MEDIA_RUNTIME=litesvm`). Both load the same SBF binaries from target/deploy, as
 * a deployment does: through the upgradeable loader, with the bank's payer as the programs'
 * upgrade authority (the only key that may initialize their configs).
 */
import { PublicKey, type Transaction, VersionedTransaction } from "@solana/web3.js";
import { upgradeableProgramAccounts } from "../../sdk/src/loader";
import { readFileSync } from "node:fs";
import { join } from "node:path";

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
}

export interface Runtime {
  readonly name: "bankrun" | "litesvm";
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

export interface Deployable {
  name: string;
  programId: PublicKey;
}

/** Writes `programs` into `runtime` as upgradeable programs of `upgradeAuthority`. */
async function deployUpgradeable(runtime: Runtime, deployDir: string, programs: readonly Deployable[], upgradeAuthority: PublicKey): Promise<void> {
  for (const { name, programId } of programs) {
    const elf = readFileSync(join(deployDir, `${name}.so`));
    // ProgramData first: loading the program account reads it.
    for (const { address, ...account } of upgradeableProgramAccounts(programId, elf, upgradeAuthority)) await runtime.setAccount(address, account);
  }
}

/** solana-bankrun: started empty; the programs are written in as upgradeable deployments. */
export async function startBankrun(
  deployDir: string,
  programs: readonly Deployable[],
): Promise<{ runtime: Runtime; payer: import("@solana/web3.js").Keypair }> {
  const { Clock, start } = await import("solana-bankrun");
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
  await deployUpgradeable(runtime, deployDir, programs, context.payer.publicKey);
  return { runtime, payer: context.payer };
}

/** LiteSVM: programs are written in as upgradeable deployments; transactions cross as wire bytes. */
export async function startLiteSvm(
  deployDir: string,
  programs: readonly Deployable[],
): Promise<{ runtime: Runtime; payer: import("@solana/web3.js").Keypair }> {
  const { Clock, FailedTransactionMetadata, LiteSVM } = await import("litesvm");
  const kit = await import("@solana/kit");
  const { Keypair } = await import("@solana/web3.js");
  const svm = new LiteSVM();
  // The payer is written in directly: LiteSVM's faucet holds less than a test economy needs.
  const payer = Keypair.generate();
  svm.setAccount({
    address: kit.address(payer.publicKey.toBase58()),
    lamports: kit.lamports(1_000_000n * 1_000_000_000n),
    programAddress: kit.address("11111111111111111111111111111111"),
    executable: false,
    space: 0n,
    data: new Uint8Array(0),
  });
  const decoder = kit.getTransactionDecoder();
  const runtime: Runtime = {
    name: "litesvm",
    async getAccount(address) {
      const account = svm.getAccount(kit.address(address.toBase58()));
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
      const result = svm.sendTransaction(decoder.decode(bytes) as Parameters<typeof svm.sendTransaction>[0]);
      if (result instanceof FailedTransactionMetadata) {
        const meta = result.meta();
        return { error: describeFailure(result.err()), logs: meta.logs(), computeUnits: meta.computeUnitsConsumed() };
      }
      return { logs: result.logs(), computeUnits: result.computeUnitsConsumed() };
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
    async setAccount(address, account) {
      svm.setAccount({
        address: kit.address(address.toBase58()),
        lamports: kit.lamports(account.lamports),
        programAddress: kit.address(account.owner.toBase58()),
        executable: account.executable,
        space: BigInt(account.data.length),
        data: account.data,
      });
    },
    async programAccounts(owner) {
      const accounts = svm.getProgramAccounts(kit.address(owner.toBase58()));
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
  await deployUpgradeable(runtime, deployDir, programs, payer.publicKey);
  return { runtime, payer };
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
