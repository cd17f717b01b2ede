/**
 * The JSON-RPC 2.0 methods of the localnet, with a validator's parameter rules, result shapes
 * and error codes. Transport-free: server.ts feeds it request bodies (HTTP) and messages
 * (websocket) and writes back what it returns.
 */
import { createHash } from "node:crypto";
import { utils } from "@coral-xyz/anchor";
import { PublicKey, VersionedMessage } from "@solana/web3.js";
import {
  type AccountView,
  type Chain,
  type DecodedTransaction,
  type TimeTravelTarget,
  type TransactionRecord,
  MAX_AIRDROP_LAMPORTS,
  RpcError,
  TOKEN_2022_PROGRAM,
  TOKEN_PROGRAM,
  computeBudget,
  invalidParams,
  uiTokenAmount,
} from "./chain";
import { transactionErrorText } from "./errors";
import { type DecimalsOf, parsedAccount, parsedInstruction } from "./parse";

const { bs58 } = utils.bytes;

/** The runtime LiteSVM 1.5.0 embeds (its Agave crates), reported by getVersion. */
export const SOLANA_CORE_VERSION = "4.3.0";
const FEATURE_SET = createHash("sha256").update("litesvm 1.5.0").digest().readUInt32LE(0);

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
export const SEND_TRANSACTION_PREFLIGHT_FAILURE = -32002;
export const TRANSACTION_SIGNATURE_VERIFICATION_FAILURE = -32003;
export const MIN_CONTEXT_SLOT_NOT_REACHED = -32016;
export const UNSUPPORTED_TRANSACTION_VERSION = -32015;
export const BLOCK_CLEANED_UP = -32001;
export const BLOCK_NOT_AVAILABLE = -32004;
export const SLOT_SKIPPED = -32007;

const MAX_MULTIPLE_ACCOUNTS = 100;
const MAX_SIGNATURE_STATUSES = 256;
const MAX_FILTERS = 4;
const MAX_MEMCMP_BYTES = 128;
const MAX_BASE58_ACCOUNT_BYTES = 128;
/** Encoded sizes of the largest wire transaction (1232 bytes). */
const MAX_BASE58_TRANSACTION = 1683;
const MAX_BASE64_TRANSACTION = 1644;
/** u64::MAX, the rent epoch of every rent-exempt account. */
const RENT_EXEMPT_EPOCH = 18446744073709551615n;
const MAX_SIGNATURES_FOR_ADDRESS = 1000;
const MAX_BLOCK_RANGE = 500_000;
const MAX_PRIORITIZATION_FEE_ADDRESSES = 128;
/** Blocks getRecentPrioritizationFees reports (a validator's fee cache holds 150). */
const PRIORITIZATION_FEE_SLOTS = 150;
const LARGEST_TOKEN_ACCOUNTS = 20;
const TOKEN_ACCOUNT_SIZE = 165;
const MINT_SIZE = 82;
/** Token-2022 accounts with extensions carry their type at byte 165: 1 mint, 2 account. */
const TOKEN_2022_ACCOUNT_TYPE_OFFSET = 165;

type Params = unknown[];
type Method = (params: Params) => unknown;

export class Rpc {
  private readonly methods: Record<string, Method>;
  /** A mint's decimals, for jsonParsed token accounts. */
  readonly decimalsOf: DecimalsOf;

  constructor(private readonly chain: Chain) {
    this.methods = {
      getHealth: (p) => {
        arity(p, 0);
        return "ok";
      },
      getVersion: (p) => {
        arity(p, 0);
        return { "solana-core": SOLANA_CORE_VERSION, "feature-set": FEATURE_SET };
      },
      getGenesisHash: (p) => {
        arity(p, 0);
        return this.chain.blockhash(0);
      },
      getSlot: (p) => this.contextFree(p, () => this.chain.currentSlot),
      getBlockHeight: (p) => this.contextFree(p, () => this.chain.currentSlot),
      getEpochInfo: (p) => this.contextFree(p, () => this.chain.epochInfo),
      getLatestBlockhash: (p) => this.latestBlockhash(p),
      isBlockhashValid: (p) => this.isBlockhashValid(p),
      getMinimumBalanceForRentExemption: (p) => this.minimumBalance(p),
      getBalance: (p) => this.getBalance(p),
      getAccountInfo: (p) => this.getAccountInfo(p),
      getMultipleAccounts: (p) => this.getMultipleAccounts(p),
      getProgramAccounts: (p) => this.getProgramAccounts(p),
      getTokenAccountBalance: (p) => this.getTokenAccountBalance(p),
      getFeeForMessage: (p) => this.getFeeForMessage(p),
      sendTransaction: (p) => this.sendTransaction(p),
      simulateTransaction: (p) => this.simulateTransaction(p),
      getSignatureStatuses: (p) => this.getSignatureStatuses(p),
      getTransaction: (p) => this.getTransaction(p),
      requestAirdrop: (p) => this.requestAirdrop(p),
      getSignaturesForAddress: (p) => this.getSignaturesForAddress(p),
      getBlock: (p) => this.getBlock(p),
      getBlocks: (p) => this.getBlocks(p),
      getBlocksWithLimit: (p) => this.getBlocksWithLimit(p),
      getBlockTime: (p) => this.getBlockTime(p),
      getFirstAvailableBlock: (p) => {
        arity(p, 0);
        return this.firstAvailableBlock();
      },
      minimumLedgerSlot: (p) => {
        arity(p, 0);
        return this.firstAvailableBlock();
      },
      getTransactionCount: (p) => this.contextFree(p, () => this.chain.epochInfo.transactionCount),
      getTokenAccountsByOwner: (p) => this.getTokenAccountsByOwner(p),
      getTokenSupply: (p) => this.getTokenSupply(p),
      getTokenLargestAccounts: (p) => this.getTokenLargestAccounts(p),
      getRecentPrioritizationFees: (p) => this.getRecentPrioritizationFees(p),
      surfnet_timeTravel: (p) => this.timeTravel(p),
    };
    this.decimalsOf = (mint) => {
      const account = this.chain.account(mint);
      return account && isMint(account) ? account.data[44] : undefined;
    };
  }

  /** Runs one method call; throws RpcError for every refusal. */
  call(method: string, params: unknown): unknown {
    const handler = Object.hasOwn(this.methods, method) ? this.methods[method] : undefined;
    if (!handler) throw new RpcError(METHOD_NOT_FOUND, "Method not found");
    if (params !== undefined && params !== null && !Array.isArray(params)) {
      throw invalidParams("params must be an array");
    }
    this.chain.tick();
    return handler((params as Params | undefined) ?? []);
  }

  private context(slot = this.chain.currentSlot) {
    return { apiVersion: SOLANA_CORE_VERSION, slot };
  }

  private withContext(value: unknown) {
    return { context: this.context(), value };
  }

  /** Methods whose only parameter is an optional `{commitment, minContextSlot}`. */
  private contextFree(params: Params, value: () => unknown): unknown {
    arity(params, 1);
    this.checkCommon(configParam(params[0]));
    return value();
  }

  private checkCommon(config: Record<string, unknown>): void {
    commitmentOf(config);
    if (config.minContextSlot !== undefined) {
      const slot = integerParam(config.minContextSlot, "minContextSlot");
      if (slot > this.chain.currentSlot) {
        throw new RpcError(MIN_CONTEXT_SLOT_NOT_REACHED, "Minimum context slot has not been reached", {
          contextSlot: this.chain.currentSlot,
        });
      }
    }
  }

  private latestBlockhash(params: Params) {
    arity(params, 1);
    this.checkCommon(configParam(params[0]));
    return this.withContext({ blockhash: this.chain.blockhash(), lastValidBlockHeight: this.chain.lastValidBlockHeight });
  }

  private isBlockhashValid(params: Params) {
    arity(params, 2);
    const hash = hashParam(params[0], "blockhash");
    this.checkCommon(configParam(params[1]));
    return this.withContext(this.chain.isBlockhashValid(hash));
  }

  private minimumBalance(params: Params) {
    arity(params, 2);
    const length = integerParam(params[0], "data length");
    commitmentOf(configParam(params[1]));
    return this.chain.minimumBalance(length);
  }

  private getBalance(params: Params) {
    arity(params, 2);
    const key = pubkeyParam(params[0]);
    this.checkCommon(configParam(params[1]));
    return this.withContext(this.chain.balance(key));
  }

  private getAccountInfo(params: Params) {
    arity(params, 2);
    const key = pubkeyParam(params[0]);
    const config = configParam(params[1]);
    this.checkCommon(config);
    const render = accountRenderer(config, "binary", this.decimalsOf);
    const account = this.chain.account(key);
    return this.withContext(account && render(account));
  }

  private getMultipleAccounts(params: Params) {
    arity(params, 2);
    if (!Array.isArray(params[0])) throw invalidParams("expected an array of account addresses");
    if (params[0].length > MAX_MULTIPLE_ACCOUNTS) {
      throw invalidParams(`Too many inputs provided; max ${MAX_MULTIPLE_ACCOUNTS}`);
    }
    const keys = params[0].map((key) => pubkeyParam(key));
    const config = configParam(params[1]);
    this.checkCommon(config);
    const render = accountRenderer(config, "base64", this.decimalsOf);
    return this.withContext(
      keys.map((key) => {
        const account = this.chain.account(key);
        return account && render(account);
      }),
    );
  }

  private getProgramAccounts(params: Params) {
    arity(params, 2);
    const program = pubkeyParam(params[0]);
    const config = configParam(params[1]);
    this.checkCommon(config);
    const render = accountRenderer(config, "binary", this.decimalsOf);
    const filters = filtersParam(config.filters);
    if (config.withContext !== undefined && typeof config.withContext !== "boolean") {
      throw invalidParams("withContext must be a boolean");
    }
    const accounts = this.chain
      .programAccounts(program)
      .filter(({ account }) => filters.every((filter) => filter(account.data)))
      .sort((a, b) => (a.pubkey < b.pubkey ? -1 : a.pubkey > b.pubkey ? 1 : 0))
      .map(({ pubkey, account }) => ({ pubkey, account: render(account) }));
    return config.withContext ? this.withContext(accounts) : accounts;
  }

  private getTokenAccountBalance(params: Params) {
    arity(params, 2);
    const key = pubkeyParam(params[0]);
    this.checkCommon(configParam(params[1]));
    const account = this.chain.account(key);
    if (!account) throw invalidParams("could not find account");
    const token = this.chain.tokenAccount(account);
    if (!token) throw invalidParams("not a Token account");
    return this.withContext(token.uiTokenAmount);
  }

  private getFeeForMessage(params: Params) {
    arity(params, 2);
    const bytes = encodedParam(params[0], "base64", MAX_BASE64_TRANSACTION, "message");
    this.checkCommon(configParam(params[1]));
    let message: VersionedMessage;
    try {
      message = VersionedMessage.deserialize(bytes);
    } catch (error) {
      throw invalidParams(`failed to deserialize message: ${(error as Error).message}`);
    }
    if (!this.chain.isBlockhashValid(message.recentBlockhash)) return this.withContext(null);
    const signatures = message.header.numRequiredSignatures;
    const fake = Buffer.concat([Buffer.from([signatures]), Buffer.alloc(64 * signatures), bytes]);
    try {
      const decoded = this.chain.decode(fake);
      return this.withContext(this.chain.fee(decoded));
    } catch {
      throw invalidParams("invalid message");
    }
  }

  private sendTransaction(params: Params) {
    arity(params, 2);
    const config = configParam(params[1]);
    const encoding = transactionEncoding(config.encoding);
    const wire = encodedParam(params[0], encoding, encoding === "base58" ? MAX_BASE58_TRANSACTION : MAX_BASE64_TRANSACTION, "transaction");
    const skipPreflight = booleanParam(config.skipPreflight, "skipPreflight", false);
    if (config.preflightCommitment !== undefined) commitmentOf({ commitment: config.preflightCommitment });
    if (config.maxRetries !== undefined) integerParam(config.maxRetries, "maxRetries");
    this.checkCommon({ minContextSlot: config.minContextSlot });
    const decoded = this.chain.decode(wire);
    if (!this.chain.verifySignatures(decoded)) {
      throw new RpcError(TRANSACTION_SIGNATURE_VERIFICATION_FAILURE, "Transaction signature verification failure");
    }
    const { signature } = decoded;
    const blockhashOk = this.chain.isBlockhashValid(decoded.transaction.message.recentBlockhash);
    const duplicate = this.chain.record(signature) !== undefined;
    if (skipPreflight) {
      // A validator forwards it and returns the signature; one it cannot land is dropped.
      if (blockhashOk && !duplicate) this.chain.execute(decoded);
      return signature;
    }
    if (!blockhashOk) throw preflightFailure("BlockhashNotFound", [], 0);
    if (duplicate) throw preflightFailure("AlreadyProcessed", [], 0);
    const simulation = this.chain.simulate(decoded, { sigVerify: true });
    if (simulation.err === "SanitizeFailure") throw invalidParams(`invalid transaction: ${transactionErrorText("SanitizeFailure")}`);
    if (simulation.err !== null) {
      throw preflightFailure(simulation.err, simulation.logs, simulation.unitsConsumed, simulation.returnData);
    }
    this.chain.execute(decoded);
    return signature;
  }

  private simulateTransaction(params: Params) {
    arity(params, 2);
    const config = configParam(params[1]);
    const encoding = transactionEncoding(config.encoding);
    const wire = encodedParam(params[0], encoding, encoding === "base58" ? MAX_BASE58_TRANSACTION : MAX_BASE64_TRANSACTION, "transaction");
    const sigVerify = booleanParam(config.sigVerify, "sigVerify", false);
    const replaceRecentBlockhash = booleanParam(config.replaceRecentBlockhash, "replaceRecentBlockhash", false);
    const withInner = booleanParam(config.innerInstructions, "innerInstructions", false);
    if (sigVerify && replaceRecentBlockhash) {
      throw invalidParams("sigVerify may not be used with replaceRecentBlockhash");
    }
    this.checkCommon(config);
    let addresses: string[] = [];
    let render: ((account: AccountView) => unknown) | undefined;
    if (config.accounts !== undefined && config.accounts !== null) {
      const accounts = configParam(config.accounts);
      if (!Array.isArray(accounts.addresses)) throw invalidParams("accounts.addresses must be an array");
      if (accounts.addresses.length > MAX_MULTIPLE_ACCOUNTS) {
        throw invalidParams(`Too many accounts provided; max ${MAX_MULTIPLE_ACCOUNTS}`);
      }
      addresses = accounts.addresses.map((key) => pubkeyParam(key));
      render = accountRenderer({ encoding: accounts.encoding ?? "base64" }, "base64", this.decimalsOf);
    }
    const decoded = this.chain.decode(wire);
    if (sigVerify && !this.chain.verifySignatures(decoded)) {
      throw new RpcError(TRANSACTION_SIGNATURE_VERIFICATION_FAILURE, "Transaction signature verification failure");
    }
    const replacement = replaceRecentBlockhash ? { blockhash: this.chain.blockhash(), lastValidBlockHeight: this.chain.lastValidBlockHeight } : null;
    if (!replacement && !this.chain.isBlockhashValid(decoded.transaction.message.recentBlockhash)) {
      return this.withContext(simulationResult("BlockhashNotFound", [], 0, null, null, null, null));
    }
    const simulation = this.chain.simulate(decoded, { sigVerify });
    const accounts = render
      ? addresses.map((key) => {
          const account = simulation.postAccounts.get(key) ?? this.chain.account(key);
          return account && render(account);
        })
      : null;
    return this.withContext(
      simulationResult(
        simulation.err,
        simulation.logs,
        simulation.unitsConsumed,
        simulation.returnData,
        accounts,
        withInner ? simulation.innerInstructions.map((inner) => innerJson(inner, decoded, "jsonParsed")) : null,
        replacement,
      ),
    );
  }

  private getSignatureStatuses(params: Params) {
    arity(params, 2);
    if (!Array.isArray(params[0])) throw invalidParams("expected an array of signatures");
    if (params[0].length > MAX_SIGNATURE_STATUSES) {
      throw invalidParams(`Too many inputs provided; max ${MAX_SIGNATURE_STATUSES}`);
    }
    const signatures = params[0].map((signature) => signatureParam(signature));
    const config = configParam(params[1]);
    booleanParam(config.searchTransactionHistory, "searchTransactionHistory", false);
    return this.withContext(
      signatures.map((signature) => {
        const record = this.chain.record(signature);
        if (!record) return null;
        return {
          slot: record.slot,
          confirmations: null,
          err: record.err,
          status: record.err === null ? { Ok: null } : { Err: record.err },
          confirmationStatus: "finalized",
        };
      }),
    );
  }

  private getTransaction(params: Params) {
    arity(params, 2);
    const signature = signatureParam(params[0]);
    // The second parameter may be an encoding name (the deprecated form) or a config.
    const config = typeof params[1] === "string" ? { encoding: params[1] } : configParam(params[1]);
    const commitment = commitmentOf(config);
    if (commitment === "processed") throw invalidParams("Method does not support commitment below `confirmed`");
    const encoding = transactionDetailEncoding(config.encoding);
    const maxVersion = maxVersionParam(config.maxSupportedTransactionVersion);
    const record = this.chain.record(signature);
    if (!record) return null;
    return { slot: record.slot, blockTime: record.blockTime, ...transactionWithMeta(record, encoding, maxVersion) };
  }

  private requestAirdrop(params: Params) {
    arity(params, 3);
    const key = pubkeyParam(params[0]);
    const lamports = integerParam(params[1], "lamports");
    commitmentOf(configParam(params[2]));
    if (lamports <= 0 || BigInt(lamports) > MAX_AIRDROP_LAMPORTS) {
      throw invalidParams(`lamports must be between 1 and ${MAX_AIRDROP_LAMPORTS}`);
    }
    const record = this.chain.airdrop(new PublicKey(key), BigInt(lamports));
    if (record.err !== null) {
      throw new RpcError(INTERNAL_ERROR, `airdrop request failed: ${transactionErrorText(record.err)}`);
    }
    return record.signature;
  }

  /** Signatures of transactions that referenced an address, newest first. */
  private getSignaturesForAddress(params: Params) {
    arity(params, 2);
    const address = pubkeyParam(params[0]);
    const config = configParam(params[1]);
    this.checkConfirmed(config);
    const limit = config.limit === undefined || config.limit === null ? MAX_SIGNATURES_FOR_ADDRESS : integerParam(config.limit, "limit");
    if (limit < 1 || limit > MAX_SIGNATURES_FOR_ADDRESS) throw invalidParams(`Invalid limit; max ${MAX_SIGNATURES_FOR_ADDRESS}`);
    const before = config.before === undefined || config.before === null ? undefined : signatureParam(config.before);
    const until = config.until === undefined || config.until === null ? undefined : signatureParam(config.until);
    return this.chain.ledger.signaturesFor(address, { before, until, limit }).map((record) => ({
      signature: record.signature,
      slot: record.slot,
      err: record.err,
      memo: memoOf(record),
      blockTime: record.blockTime,
      confirmationStatus: "finalized",
    }));
  }

  /** The oldest slot whose block (all its transactions) is still remembered. */
  private firstAvailableBlock(): number {
    let slot = this.chain.ledger.firstCompleteSlot;
    while (this.chain.isSkipped(slot)) slot += 1;
    return slot;
  }

  /** Refuses slots without a block, with a validator's codes. */
  private checkBlockSlot(slot: number): void {
    if (slot > this.chain.currentSlot) throw new RpcError(BLOCK_NOT_AVAILABLE, `Block not available for slot ${slot}`);
    if (slot < this.chain.ledger.firstCompleteSlot) {
      throw new RpcError(BLOCK_CLEANED_UP, `Block ${slot} cleaned up, does not exist on node. First available block: ${this.firstAvailableBlock()}`);
    }
    if (this.chain.isSkipped(slot)) {
      throw new RpcError(SLOT_SKIPPED, `Slot ${slot} was skipped, or missing due to ledger jump to recent snapshot`);
    }
  }

  /** Methods that only serve confirmed data refuse `processed`, as a validator's do. */
  private checkConfirmed(config: Record<string, unknown>): void {
    if (commitmentOf(config) === "processed") throw invalidParams("Method does not support commitment below `confirmed`");
    this.checkCommon({ minContextSlot: config.minContextSlot });
  }

  private getBlock(params: Params) {
    arity(params, 2);
    const slot = integerParam(params[0], "slot");
    const config = typeof params[1] === "string" ? { encoding: params[1] } : configParam(params[1]);
    this.checkConfirmed({ commitment: config.commitment });
    const encoding = transactionDetailEncoding(config.encoding);
    const maxVersion = maxVersionParam(config.maxSupportedTransactionVersion);
    const details = config.transactionDetails ?? "full";
    if (details !== "full" && details !== "signatures" && details !== "accounts" && details !== "none") {
      throw invalidParams("transactionDetails must be full, signatures, accounts or none");
    }
    const rewards = booleanParam(config.rewards, "rewards", true);
    this.checkBlockSlot(slot);
    const records = this.chain.ledger.block(slot);
    const parentSlot = this.chain.parentSlot(slot);
    const block: Record<string, unknown> = {
      blockHeight: slot,
      blockTime: this.chain.slotTime(slot),
      blockhash: this.chain.hashOf(slot),
      parentSlot,
      previousBlockhash: this.chain.hashOf(parentSlot),
    };
    if (details === "full") block.transactions = records.map((record) => transactionWithMeta(record, encoding, maxVersion));
    if (details === "accounts") block.transactions = records.map((record) => transactionAccounts(record, maxVersion));
    if (details === "signatures") block.signatures = records.map((record) => record.signature);
    if (rewards) block.rewards = [];
    return block;
  }

  /** Slots in [start, end] that produced a block. */
  private blocksBetween(start: number, end: number): number[] {
    const slots: number[] = [];
    for (let slot = Math.max(start, this.chain.ledger.firstCompleteSlot); slot <= Math.min(end, this.chain.currentSlot); slot++) {
      if (!this.chain.isSkipped(slot)) slots.push(slot);
    }
    return slots;
  }

  private getBlocks(params: Params) {
    arity(params, 3);
    const start = integerParam(params[0], "start slot");
    // The end slot is optional: the config may come second.
    const hasEnd = typeof params[1] === "number";
    const end = hasEnd ? integerParam(params[1], "end slot") : this.chain.currentSlot;
    this.checkConfirmed(configParam(hasEnd ? params[2] : params[1]));
    if (end < start) return [];
    if (end - start > MAX_BLOCK_RANGE) throw invalidParams(`Slot range too large; max ${MAX_BLOCK_RANGE}`);
    return this.blocksBetween(start, end);
  }

  private getBlocksWithLimit(params: Params) {
    arity(params, 3);
    const start = integerParam(params[0], "start slot");
    const limit = integerParam(params[1], "limit");
    this.checkConfirmed(configParam(params[2]));
    if (limit > MAX_BLOCK_RANGE) throw invalidParams(`Limit too large; max ${MAX_BLOCK_RANGE}`);
    if (limit === 0) return [];
    // Skipped ranges make the span longer than `limit`; stop at the current slot.
    const slots: number[] = [];
    for (let slot = Math.max(start, this.chain.ledger.firstCompleteSlot); slot <= this.chain.currentSlot && slots.length < limit; slot++) {
      if (this.chain.isSkipped(slot)) continue;
      slots.push(slot);
    }
    return slots;
  }

  private getBlockTime(params: Params) {
    arity(params, 1);
    const slot = integerParam(params[0], "slot");
    this.checkBlockSlot(slot);
    return this.chain.slotTime(slot);
  }

  private getTokenAccountsByOwner(params: Params) {
    arity(params, 3);
    const owner = pubkeyParam(params[0]);
    const filter = configParam(params[1]);
    const config = configParam(params[2]);
    this.checkCommon(config);
    const render = accountRenderer(config, "binary", this.decimalsOf);
    let programs: string[];
    let mint: string | undefined;
    if (Object.keys(filter).length === 1 && filter.mint !== undefined) {
      mint = pubkeyParam(filter.mint);
      const mintAccount = this.chain.account(mint);
      if (!mintAccount || !isMint(mintAccount)) throw invalidParams("could not find mint");
      programs = [mintAccount.owner];
    } else if (Object.keys(filter).length === 1 && filter.programId !== undefined) {
      const programId = pubkeyParam(filter.programId);
      if (programId !== TOKEN_PROGRAM && programId !== TOKEN_2022_PROGRAM) throw invalidParams("unrecognized Token program id");
      programs = [programId];
    } else {
      throw invalidParams("expected a filter: {mint} or {programId}");
    }
    const accounts = programs
      .flatMap((program) => this.chain.programAccounts(program))
      .filter(({ account }) => {
        if (!isTokenAccount(account)) return false;
        const data = Buffer.from(account.data);
        return bs58.encode(data.subarray(32, 64)) === owner && (mint === undefined || bs58.encode(data.subarray(0, 32)) === mint);
      })
      .sort((a, b) => (a.pubkey < b.pubkey ? -1 : a.pubkey > b.pubkey ? 1 : 0))
      .map(({ pubkey, account }) => ({ pubkey, account: render(account) }));
    return this.withContext(accounts);
  }

  private mintParam(value: unknown): { key: string; account: AccountView } {
    const key = pubkeyParam(value);
    const account = this.chain.account(key);
    if (!account || !isMint(account)) throw invalidParams("Token mint could not be unpacked");
    return { key, account };
  }

  private getTokenSupply(params: Params) {
    arity(params, 2);
    const { account } = this.mintParam(params[0]);
    this.checkCommon(configParam(params[1]));
    const data = Buffer.from(account.data);
    return this.withContext(uiTokenAmount(data.readBigUInt64LE(36), data[44]));
  }

  private getTokenLargestAccounts(params: Params) {
    arity(params, 2);
    const { key, account: mintAccount } = this.mintParam(params[0]);
    this.checkCommon(configParam(params[1]));
    const decimals = mintAccount.data[44];
    const holders = this.chain
      .programAccounts(mintAccount.owner)
      .filter(({ account }) => isTokenAccount(account) && bs58.encode(account.data.subarray(0, 32)) === key)
      .map(({ pubkey, account }) => ({ pubkey, amount: Buffer.from(account.data).readBigUInt64LE(64) }))
      .sort((a, b) => (a.amount < b.amount ? 1 : a.amount > b.amount ? -1 : a.pubkey < b.pubkey ? -1 : 1))
      .slice(0, LARGEST_TOKEN_ACCOUNTS);
    return this.withContext(holders.map(({ pubkey, amount }) => ({ address: pubkey, ...uiTokenAmount(amount, decimals) })));
  }

  /**
   * Per recent slot, the lowest compute-unit price paid in its block; with addresses, the
   * highest of their lowest prices among transactions write-locking them (0 when none did).
   */
  private getRecentPrioritizationFees(params: Params) {
    arity(params, 1);
    let addresses: string[] = [];
    if (params[0] !== undefined && params[0] !== null) {
      if (!Array.isArray(params[0])) throw invalidParams("expected an array of account addresses");
      if (params[0].length > MAX_PRIORITIZATION_FEE_ADDRESSES) {
        throw invalidParams(`Too many inputs provided; max ${MAX_PRIORITIZATION_FEE_ADDRESSES}`);
      }
      addresses = params[0].map((key) => pubkeyParam(key));
    }
    const fees: { slot: number; prioritizationFee: number }[] = [];
    for (const slot of this.blocksBetween(Math.max(0, this.chain.currentSlot - PRIORITIZATION_FEE_SLOTS + 1), this.chain.currentSlot)) {
      const transactions = this.chain.ledger.block(slot).map((record) => ({
        price: computeBudget(record.decoded).price,
        writable: new Set(record.decoded.accountKeys.filter((_key, index) => record.decoded.transaction.message.isAccountWritable(index))),
      }));
      const lowest = (prices: bigint[]) => (prices.length === 0 ? 0n : prices.reduce((a, b) => (b < a ? b : a)));
      let fee = lowest(transactions.map(({ price }) => price));
      if (addresses.length > 0) {
        fee = addresses
          .map((key) => lowest(transactions.filter(({ writable }) => writable.has(key)).map(({ price }) => price)))
          .reduce((a, b) => (b > a ? b : a), 0n);
      }
      fees.push({ slot, prioritizationFee: Number(fee) });
    }
    return fees;
  }

  /**
   * `surfnet_timeTravel` (surfpool's cheat code): `[{absoluteSlot}]`, `[{absoluteEpoch}]` or
   * `[{absoluteTimestamp}]` (unix milliseconds) moves the clock forward; returns the EpochInfo.
   */
  private timeTravel(params: Params) {
    arity(params, 1);
    const config = configParam(params[0]);
    const keys = Object.keys(config);
    const known = ["absoluteSlot", "absoluteEpoch", "absoluteTimestamp"];
    if (keys.length !== 1 || !known.includes(keys[0])) {
      throw invalidParams("surfnet_timeTravel expects one of {absoluteSlot}, {absoluteEpoch} or {absoluteTimestamp} (unix milliseconds)");
    }
    const value = integerParam(config[keys[0]], keys[0]);
    this.chain.timeTravel({ [keys[0]]: value } as TimeTravelTarget);
    return this.chain.epochInfo;
  }
}

function preflightFailure(
  err: NonNullable<TransactionRecord["err"]>,
  logs: string[],
  unitsConsumed: number,
  returnData: TransactionRecord["returnData"] = null,
): RpcError {
  return new RpcError(
    SEND_TRANSACTION_PREFLIGHT_FAILURE,
    `Transaction simulation failed: ${transactionErrorText(err)}`,
    simulationResult(err, logs, unitsConsumed, returnData, null, null, null),
  );
}

function simulationResult(
  err: TransactionRecord["err"],
  logs: string[],
  unitsConsumed: number,
  returnData: TransactionRecord["returnData"],
  accounts: unknown[] | null,
  innerInstructions: unknown[] | null,
  replacementBlockhash: { blockhash: string; lastValidBlockHeight: number } | null,
) {
  return { err, logs, accounts, unitsConsumed, returnData, innerInstructions, replacementBlockhash };
}

// ---- parameters ----

export function arity(params: Params, max: number): void {
  if (params.length > max) throw invalidParams(`invalid length ${params.length}, expected at most ${max}`);
}

export function configParam(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw invalidParams("expected a configuration object");
  return value as Record<string, unknown>;
}

const COMMITMENTS = new Set(["processed", "confirmed", "finalized", "recent", "single", "singleGossip", "root", "max"]);

export function commitmentOf(config: Record<string, unknown>): string | undefined {
  const { commitment } = config;
  if (commitment === undefined || commitment === null) return undefined;
  if (typeof commitment !== "string" || !COMMITMENTS.has(commitment)) throw invalidParams("unknown commitment");
  if (commitment === "recent") return "processed";
  return commitment;
}

export function integerParam(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw invalidParams(`${name} must be a non-negative integer`);
  }
  return value;
}

export function booleanParam(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "boolean") throw invalidParams(`${name} must be a boolean`);
  return value;
}

function base58Bytes(value: unknown, name: string, length: number): Buffer {
  if (typeof value !== "string" || value.length > 2 * length) throw invalidParams(`invalid ${name}`);
  let bytes: Buffer;
  try {
    bytes = Buffer.from(bs58.decode(value));
  } catch {
    throw invalidParams(`invalid ${name}`);
  }
  if (bytes.length !== length) throw invalidParams(`invalid ${name}`);
  return bytes;
}

export function pubkeyParam(value: unknown): string {
  base58Bytes(value, "public key", 32);
  return value as string;
}

function hashParam(value: unknown, name: string): string {
  base58Bytes(value, name, 32);
  return value as string;
}

export function signatureParam(value: unknown): string {
  base58Bytes(value, "signature", 64);
  return value as string;
}

function transactionEncoding(value: unknown): "base58" | "base64" {
  if (value === undefined || value === null || value === "base58") return "base58";
  if (value === "base64") return "base64";
  throw invalidParams(`unsupported encoding: ${String(value)}. Supported encodings: base58, base64`);
}

function encodedParam(value: unknown, encoding: "base58" | "base64", maxLength: number, name: string): Buffer {
  if (typeof value !== "string") throw invalidParams(`${name} must be a string`);
  if (value.length > maxLength) {
    throw invalidParams(`${encoding} encoded ${name} too large: ${value.length} bytes (max: encoded ${maxLength})`);
  }
  if (encoding === "base64") {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) throw invalidParams(`invalid base64 encoding of ${name}`);
    return Buffer.from(value, "base64");
  }
  try {
    return Buffer.from(bs58.decode(value));
  } catch {
    throw invalidParams(`invalid base58 encoding of ${name}`);
  }
}

/** memcmp and dataSize filters, as predicates on account data. */
export function filtersParam(value: unknown): ((data: Uint8Array) => boolean)[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidParams("filters must be an array");
  if (value.length > MAX_FILTERS) throw invalidParams(`Too many filters provided; max ${MAX_FILTERS}`);
  return value.map((filter) => {
    const spec = configParam(filter);
    if (spec.dataSize !== undefined && Object.keys(spec).length === 1) {
      const size = integerParam(spec.dataSize, "dataSize");
      return (data: Uint8Array) => data.length === size;
    }
    if (spec.memcmp !== undefined && Object.keys(spec).length === 1) {
      const memcmp = configParam(spec.memcmp);
      const offset = integerParam(memcmp.offset, "memcmp offset");
      const encoding = memcmp.encoding ?? "base58";
      if (typeof memcmp.bytes !== "string") throw invalidParams("memcmp bytes must be a string");
      let bytes: Buffer;
      if (encoding === "base58") {
        if (memcmp.bytes.length > 175) throw invalidParams("memcmp bytes too long");
        try {
          bytes = Buffer.from(bs58.decode(memcmp.bytes));
        } catch {
          throw invalidParams("invalid base58 memcmp bytes");
        }
      } else if (encoding === "base64") {
        bytes = Buffer.from(memcmp.bytes, "base64");
      } else {
        throw invalidParams("memcmp encoding must be base58 or base64");
      }
      if (bytes.length > MAX_MEMCMP_BYTES) throw invalidParams("memcmp bytes too long");
      return (data: Uint8Array) => offset + bytes.length <= data.length && Buffer.from(data.buffer, data.byteOffset + offset, bytes.length).equals(bytes);
    }
    throw invalidParams("unsupported filter: expected {memcmp: {offset, bytes}} or {dataSize}");
  });
}

/** Renders accounts per the request's `encoding` and `dataSlice`. */
export function accountRenderer(
  config: Record<string, unknown>,
  fallback: "binary" | "base64",
  decimalsOf: DecimalsOf,
  /** Notifications cannot refuse: they say so in the data, as a validator does. */
  oversizeBase58: "refuse" | "describe" = "refuse",
) {
  const encoding = config.encoding ?? fallback;
  if (encoding !== "binary" && encoding !== "base58" && encoding !== "base64" && encoding !== "jsonParsed") {
    throw invalidParams(`unsupported encoding: ${String(encoding)}. Supported encodings: base58, base64, jsonParsed`);
  }
  let slice: { offset: number; length: number } | undefined;
  if (config.dataSlice !== undefined && config.dataSlice !== null) {
    const spec = configParam(config.dataSlice);
    slice = { offset: integerParam(spec.offset, "dataSlice offset"), length: integerParam(spec.length, "dataSlice length") };
  }
  return (account: AccountView) => {
    let data = account.data;
    if (slice) data = data.subarray(slice.offset, slice.offset + slice.length);
    let rendered: unknown;
    if (encoding === "binary" || encoding === "base58") {
      if (data.length > MAX_BASE58_ACCOUNT_BYTES && oversizeBase58 === "refuse") {
        throw invalidParams("Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.");
      }
      const text = data.length > MAX_BASE58_ACCOUNT_BYTES ? "error: data too large for bs58 encoding" : bs58.encode(data);
      rendered = encoding === "binary" ? text : [text, "base58"];
    } else {
      // jsonParsed falls back to base64 for accounts it does not parse, and with a dataSlice.
      const parsed = encoding === "jsonParsed" && !slice ? parsedAccount(account.owner, data, decimalsOf) : null;
      rendered = parsed ?? [Buffer.from(data).toString("base64"), "base64"];
    }
    return {
      lamports: account.lamports,
      owner: account.owner,
      data: rendered,
      executable: account.executable,
      rentEpoch: RENT_EXEMPT_EPOCH,
      space: account.data.length,
    };
  };
}

// ---- tokens ----

function isMint(account: AccountView): boolean {
  if (account.owner !== TOKEN_PROGRAM && account.owner !== TOKEN_2022_PROGRAM) return false;
  const { data } = account;
  if (data.length === MINT_SIZE) return data[45] === 1;
  return account.owner === TOKEN_2022_PROGRAM && data.length > TOKEN_2022_ACCOUNT_TYPE_OFFSET && data[TOKEN_2022_ACCOUNT_TYPE_OFFSET] === 1 && data[45] === 1;
}

function isTokenAccount(account: AccountView): boolean {
  if (account.owner !== TOKEN_PROGRAM && account.owner !== TOKEN_2022_PROGRAM) return false;
  const { data } = account;
  if (data.length === TOKEN_ACCOUNT_SIZE) return data[108] !== 0;
  return account.owner === TOKEN_2022_PROGRAM && data.length > TOKEN_2022_ACCOUNT_TYPE_OFFSET && data[TOKEN_2022_ACCOUNT_TYPE_OFFSET] === 2 && data[108] !== 0;
}

// ---- transactions ----

function transactionDetailEncoding(value: unknown): "json" | "jsonParsed" | "base64" | "base58" {
  const encoding = value ?? "json";
  if (encoding !== "json" && encoding !== "jsonParsed" && encoding !== "base64" && encoding !== "base58") {
    throw invalidParams(`unsupported encoding: ${String(encoding)}. Supported encodings: json, jsonParsed, base58, base64`);
  }
  return encoding;
}

function maxVersionParam(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const version = integerParam(value, "maxSupportedTransactionVersion");
  if (version !== 0) throw invalidParams("maxSupportedTransactionVersion must be 0");
  return version;
}

function checkVersion(record: TransactionRecord, maxVersion: number | undefined): void {
  if (record.decoded.version !== "legacy" && maxVersion === undefined) {
    throw new RpcError(
      UNSUPPORTED_TRANSACTION_VERSION,
      `Transaction version (${record.decoded.version}) is not supported by the requesting client. ` +
        'Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": 0',
    );
  }
}

/** `{transaction, meta, version?}` as getTransaction and getBlock render a transaction. */
function transactionWithMeta(record: TransactionRecord, encoding: unknown, maxVersion: number | undefined) {
  checkVersion(record, maxVersion);
  return {
    transaction: transactionJson(record.decoded, encoding),
    meta: metaJson(record, encoding),
    ...(maxVersion === undefined ? {} : { version: record.decoded.version }),
  };
}

/** getBlock's `transactionDetails: "accounts"` form. */
function transactionAccounts(record: TransactionRecord, maxVersion: number | undefined) {
  checkVersion(record, maxVersion);
  return {
    transaction: {
      signatures: record.decoded.transaction.signatures.map((signature) => bs58.encode(signature)),
      accountKeys: parsedAccountKeys(record.decoded),
    },
    meta: {
      err: record.err,
      status: record.err === null ? { Ok: null } : { Err: record.err },
      fee: record.fee,
      preBalances: record.preBalances,
      postBalances: record.postBalances,
      preTokenBalances: record.preTokenBalances,
      postTokenBalances: record.postTokenBalances,
    },
    ...(maxVersion === undefined ? {} : { version: record.decoded.version }),
  };
}

function parsedAccountKeys(decoded: DecodedTransaction) {
  const { message } = decoded.transaction;
  return decoded.accountKeys.map((pubkey, index) => ({
    pubkey,
    signer: index < message.header.numRequiredSignatures,
    writable: message.isAccountWritable(index),
    source: index < message.staticAccountKeys.length ? "transaction" : "lookupTable",
  }));
}

/** The memo field of getSignaturesForAddress: the Memo program's texts, as a validator joins them. */
function memoOf(record: TransactionRecord): string | null {
  const memos: string[] = [];
  for (const instruction of record.decoded.transaction.message.compiledInstructions) {
    const program = record.decoded.accountKeys[instruction.programIdIndex];
    if (program !== "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr" && program !== "Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo") continue;
    const text = Buffer.from(instruction.data).toString("utf8");
    memos.push(`[${text.length}] ${text}`);
  }
  return memos.length === 0 ? null : memos.join("; ");
}

function transactionJson(decoded: DecodedTransaction, encoding: unknown) {
  if (encoding === "base64") return [decoded.wire.toString("base64"), "base64"];
  if (encoding === "base58") return [bs58.encode(decoded.wire), "base58"];
  const { message } = decoded.transaction;
  const signatures = decoded.transaction.signatures.map((signature) => bs58.encode(signature));
  const lookups =
    message.version === 0
      ? {
          addressTableLookups: message.addressTableLookups.map((lookup) => ({
            accountKey: lookup.accountKey.toBase58(),
            writableIndexes: lookup.writableIndexes,
            readonlyIndexes: lookup.readonlyIndexes,
          })),
        }
      : {};
  if (encoding === "jsonParsed") {
    return {
      signatures,
      message: {
        accountKeys: parsedAccountKeys(decoded),
        recentBlockhash: message.recentBlockhash,
        instructions: message.compiledInstructions.map((instruction) =>
          parsedInstruction({
            programId: decoded.accountKeys[instruction.programIdIndex],
            accounts: instruction.accountKeyIndexes.map((index) => decoded.accountKeys[index]),
            data: instruction.data,
            stackHeight: null,
          }),
        ),
        ...lookups,
      },
    };
  }
  return {
    signatures,
    message: {
      accountKeys: message.staticAccountKeys.map((key) => key.toBase58()),
      header: message.header,
      recentBlockhash: message.recentBlockhash,
      instructions: message.compiledInstructions.map((instruction) => ({
        programIdIndex: instruction.programIdIndex,
        accounts: instruction.accountKeyIndexes,
        data: bs58.encode(instruction.data),
        stackHeight: null,
      })),
      ...lookups,
    },
  };
}

function innerJson(inner: TransactionRecord["innerInstructions"][number], decoded: DecodedTransaction, encoding: unknown) {
  if (encoding !== "jsonParsed") return inner;
  return {
    index: inner.index,
    instructions: inner.instructions.map((instruction) =>
      parsedInstruction({
        programId: decoded.accountKeys[instruction.programIdIndex],
        accounts: instruction.accounts.map((index) => decoded.accountKeys[index]),
        data: bs58.decode(instruction.data),
        stackHeight: instruction.stackHeight,
      }),
    ),
  };
}

function metaJson(record: TransactionRecord, encoding: unknown) {
  return {
    err: record.err,
    status: record.err === null ? { Ok: null } : { Err: record.err },
    fee: record.fee,
    preBalances: record.preBalances,
    postBalances: record.postBalances,
    innerInstructions: record.innerInstructions.map((inner) => innerJson(inner, record.decoded, encoding)),
    logMessages: record.logs,
    preTokenBalances: record.preTokenBalances,
    postTokenBalances: record.postTokenBalances,
    rewards: [],
    // jsonParsed marks each account key's source instead.
    ...(encoding === "jsonParsed" ? {} : { loadedAddresses: record.decoded.loadedAddresses }),
    computeUnitsConsumed: record.computeUnitsConsumed,
    ...(record.returnData ? { returnData: record.returnData } : {}),
  };
}
