/**
 * The JSON-RPC 2.0 methods of the localnet, with a validator's parameter rules, result shapes
 * and error codes. Transport-free: server.ts feeds it request bodies (HTTP) and messages
 * (websocket) and writes back what it returns.
 */
import { createHash } from "node:crypto";
import { utils } from "@coral-xyz/anchor";
import { PublicKey, VersionedMessage } from "@solana/web3.js";
import { type AccountView, type Chain, type DecodedTransaction, type TransactionRecord, MAX_AIRDROP_LAMPORTS, RpcError, invalidParams } from "./chain";
import { transactionErrorText } from "./errors";

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

type Params = unknown[];
type Method = (params: Params) => unknown;

/** A signature subscription's sink: the websocket layer sends the notification. */
export interface Subscriber {
  notify(method: string, subscription: number, result: unknown): void;
}

export class Rpc {
  private readonly methods: Record<string, Method>;

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

  /** `signatureSubscribe`: notifies once, when the signature is processed. Returns the cancel. */
  subscribeSignature(params: unknown, id: number, subscriber: Subscriber): () => void {
    if (!Array.isArray(params)) throw invalidParams("params must be an array");
    arity(params, 2);
    const signature = signatureParam(params[0]);
    const config = configParam(params[1]);
    commitmentOf(config);
    if (config.enableReceivedNotification !== undefined && typeof config.enableReceivedNotification !== "boolean") {
      throw invalidParams("enableReceivedNotification must be a boolean");
    }
    this.chain.tick();
    let cancel: () => void = () => {};
    // Deliver after the subscription id has been sent, as a validator does.
    const timer = setImmediate(() => {
      cancel = this.chain.onSignature(signature, (record) => {
        subscriber.notify("signatureNotification", id, { context: this.context(record.slot), value: { err: record.err } });
      });
    });
    return () => {
      clearImmediate(timer);
      cancel();
    };
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
    const render = accountRenderer(config, "binary");
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
    const render = accountRenderer(config, "base64");
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
    const render = accountRenderer(config, "binary");
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
      render = accountRenderer({ encoding: accounts.encoding ?? "base64" }, "base64");
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
        withInner ? simulation.innerInstructions.map((inner) => innerJson(inner, decoded, "json")) : null,
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
    const encoding = config.encoding ?? "json";
    if (encoding !== "json" && encoding !== "jsonParsed" && encoding !== "base64" && encoding !== "base58") {
      throw invalidParams(`unsupported encoding: ${String(encoding)}`);
    }
    let maxVersion: number | undefined;
    if (config.maxSupportedTransactionVersion !== undefined && config.maxSupportedTransactionVersion !== null) {
      maxVersion = integerParam(config.maxSupportedTransactionVersion, "maxSupportedTransactionVersion");
      if (maxVersion !== 0) throw invalidParams("maxSupportedTransactionVersion must be 0");
    }
    const record = this.chain.record(signature);
    if (!record) return null;
    if (record.decoded.version !== "legacy" && maxVersion === undefined) {
      throw new RpcError(
        UNSUPPORTED_TRANSACTION_VERSION,
        `Transaction version (${record.decoded.version}) is not supported by the requesting client. ` +
          'Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": 0',
      );
    }
    return {
      slot: record.slot,
      blockTime: record.blockTime,
      transaction: transactionJson(record.decoded, encoding),
      meta: metaJson(record, encoding),
      ...(maxVersion === undefined ? {} : { version: record.decoded.version }),
    };
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

function arity(params: Params, max: number): void {
  if (params.length > max) throw invalidParams(`invalid length ${params.length}, expected at most ${max}`);
}

function configParam(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw invalidParams("expected a configuration object");
  return value as Record<string, unknown>;
}

const COMMITMENTS = new Set(["processed", "confirmed", "finalized", "recent", "single", "singleGossip", "root", "max"]);

function commitmentOf(config: Record<string, unknown>): string | undefined {
  const { commitment } = config;
  if (commitment === undefined || commitment === null) return undefined;
  if (typeof commitment !== "string" || !COMMITMENTS.has(commitment)) throw invalidParams("unknown commitment");
  if (commitment === "recent") return "processed";
  return commitment;
}

function integerParam(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw invalidParams(`${name} must be a non-negative integer`);
  }
  return value;
}

function booleanParam(value: unknown, name: string, fallback: boolean): boolean {
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

function pubkeyParam(value: unknown): string {
  base58Bytes(value, "public key", 32);
  return value as string;
}

function hashParam(value: unknown, name: string): string {
  base58Bytes(value, name, 32);
  return value as string;
}

function signatureParam(value: unknown): string {
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
function filtersParam(value: unknown): ((data: Uint8Array) => boolean)[] {
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
function accountRenderer(config: Record<string, unknown>, fallback: "binary" | "base64") {
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
      if (data.length > MAX_BASE58_ACCOUNT_BYTES) {
        throw invalidParams("Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.");
      }
      rendered = encoding === "binary" ? bs58.encode(data) : [bs58.encode(data), "base58"];
    } else {
      // jsonParsed falls back to base64 for accounts the node does not parse (all, here).
      rendered = [Buffer.from(data).toString("base64"), "base64"];
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

// ---- transactions ----

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
        accountKeys: decoded.accountKeys.map((pubkey, index) => ({
          pubkey,
          signer: index < message.header.numRequiredSignatures,
          writable: message.isAccountWritable(index),
          source: index < message.staticAccountKeys.length ? "transaction" : "lookupTable",
        })),
        recentBlockhash: message.recentBlockhash,
        instructions: message.compiledInstructions.map((instruction) => ({
          programId: decoded.accountKeys[instruction.programIdIndex],
          accounts: instruction.accountKeyIndexes.map((index) => decoded.accountKeys[index]),
          data: bs58.encode(instruction.data),
          stackHeight: null,
        })),
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
    instructions: inner.instructions.map((instruction) => ({
      programId: decoded.accountKeys[instruction.programIdIndex],
      accounts: instruction.accounts.map((index) => decoded.accountKeys[index]),
      data: instruction.data,
      stackHeight: instruction.stackHeight,
    })),
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
    loadedAddresses: record.decoded.loadedAddresses,
    computeUnitsConsumed: record.computeUnitsConsumed,
    ...(record.returnData ? { returnData: record.returnData } : {}),
  };
}
