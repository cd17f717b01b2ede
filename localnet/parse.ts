/**
 * The `jsonParsed` encoding: accounts and instructions of the programs a validator parses
 * (System, SPL Token and Token-2022 without extensions, the associated token account program,
 * Memo) rendered the way its RPC does; anything else stays partially decoded (program id,
 * account addresses, base58 data), as on a validator.
 */
import { utils } from "@coral-xyz/anchor";
import { SYSTEM_PROGRAM, TOKEN_2022_PROGRAM, TOKEN_PROGRAM, uiTokenAmount } from "./chain";

const { bs58 } = utils.bytes;

const ASSOCIATED_TOKEN_PROGRAM = "ATokenGPvbdGVxr1b2hvZbsMqW5xWH25efTNsLJA8knL";
const MEMO_PROGRAMS = new Set(["MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr", "Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo"]);
const TOKEN_ACCOUNT_SIZE = 165;
const MINT_SIZE = 82;

/** An instruction with its accounts resolved to addresses. */
export interface ResolvedInstruction {
  programId: string;
  accounts: string[];
  data: Uint8Array;
  stackHeight: number | null;
}

/** Decimals of a mint, when the node has it. */
export type DecimalsOf = (mint: string) => number | undefined;

/** An instruction as `jsonParsed` renders it: parsed when the program is known, else partially decoded. */
export function parsedInstruction(instruction: ResolvedInstruction): Record<string, unknown> {
  const { programId, accounts, stackHeight } = instruction;
  const parsed = parseKnown(instruction);
  if (parsed) return { ...parsed, programId, stackHeight };
  return { programId, accounts, data: bs58.encode(instruction.data), stackHeight };
}

function parseKnown(instruction: ResolvedInstruction): { program: string; parsed: unknown } | null {
  const { programId } = instruction;
  try {
    if (programId === SYSTEM_PROGRAM) return wrap("system", parseSystem(instruction));
    if (programId === TOKEN_PROGRAM) return wrap("spl-token", parseToken(instruction));
    if (programId === TOKEN_2022_PROGRAM) return wrap("spl-token-2022", parseToken(instruction));
    if (programId === ASSOCIATED_TOKEN_PROGRAM) return wrap("spl-associated-token-account", parseAssociatedToken(instruction));
    if (MEMO_PROGRAMS.has(programId)) return { program: "spl-memo", parsed: new TextDecoder("utf-8", { fatal: true }).decode(instruction.data) };
  } catch {
    // Malformed data: a validator falls back to the partially decoded form.
  }
  return null;
}

function wrap(program: string, parsed: { type: string; info: Record<string, unknown> } | null) {
  return parsed ? { program, parsed } : null;
}

/** Little-endian reader that throws past the end (a malformed instruction is left unparsed). */
class Reader {
  private offset = 0;
  constructor(private readonly data: Buffer) {}
  private need(length: number): void {
    if (this.offset + length > this.data.length) throw new Error("short instruction data");
  }
  u8(): number {
    this.need(1);
    return this.data[this.offset++];
  }
  u32(): number {
    this.need(4);
    const value = this.data.readUInt32LE(this.offset);
    this.offset += 4;
    return value;
  }
  u64(): bigint {
    this.need(8);
    const value = this.data.readBigUInt64LE(this.offset);
    this.offset += 8;
    return value;
  }
  pubkey(): string {
    this.need(32);
    const value = bs58.encode(this.data.subarray(this.offset, this.offset + 32));
    this.offset += 32;
    return value;
  }
  /** A bincode string: u64 length, then UTF-8 bytes. */
  string(): string {
    const length = Number(this.u64());
    this.need(length);
    const value = this.data.subarray(this.offset, this.offset + length).toString("utf8");
    this.offset += length;
    return value;
  }
  /** SPL Token's COption<Pubkey> in instruction data: one tag byte, then the key if 1. */
  optionalPubkey(): string | null {
    return this.u8() === 1 ? this.pubkey() : null;
  }
}

function account(instruction: ResolvedInstruction, index: number): string {
  const key = instruction.accounts[index];
  if (key === undefined) throw new Error("missing account");
  return key;
}

function parseSystem(instruction: ResolvedInstruction) {
  const read = new Reader(Buffer.from(instruction.data));
  const at = (index: number) => account(instruction, index);
  switch (read.u32()) {
    case 0:
      return {
        type: "createAccount",
        info: { source: at(0), newAccount: at(1), lamports: Number(read.u64()), space: Number(read.u64()), owner: read.pubkey() },
      };
    case 1:
      return { type: "assign", info: { account: at(0), owner: read.pubkey() } };
    case 2:
      return { type: "transfer", info: { source: at(0), destination: at(1), lamports: Number(read.u64()) } };
    case 3: {
      const base = read.pubkey();
      const seed = read.string();
      return {
        type: "createAccountWithSeed",
        info: { source: at(0), newAccount: at(1), base, seed, lamports: Number(read.u64()), space: Number(read.u64()), owner: read.pubkey() },
      };
    }
    case 8:
      return { type: "allocate", info: { account: at(0), space: Number(read.u64()) } };
    case 9: {
      const base = read.pubkey();
      const seed = read.string();
      return { type: "allocateWithSeed", info: { account: at(0), base, seed, space: Number(read.u64()), owner: read.pubkey() } };
    }
    case 10: {
      const base = read.pubkey();
      const seed = read.string();
      return { type: "assignWithSeed", info: { account: at(0), base, seed, owner: read.pubkey() } };
    }
    case 11: {
      const lamports = Number(read.u64());
      const sourceSeed = read.string();
      const sourceOwner = read.pubkey();
      return { type: "transferWithSeed", info: { source: at(0), sourceBase: at(1), destination: at(2), lamports, sourceSeed, sourceOwner } };
    }
    default:
      return null; // nonce instructions: partially decoded
  }
}

const AUTHORITY_TYPES = ["mintTokens", "freezeAccount", "accountOwner", "closeAccount"];

function parseToken(instruction: ResolvedInstruction) {
  const read = new Reader(Buffer.from(instruction.data));
  const at = (index: number) => account(instruction, index);
  /** The authority, or the multisig and its signers when more accounts follow. */
  const authority = (index: number, name: string) => {
    const signers = instruction.accounts.slice(index + 1);
    return signers.length > 0 ? { [`multisig${name[0].toUpperCase()}${name.slice(1)}`]: at(index), signers } : { [name]: at(index) };
  };
  switch (read.u8()) {
    case 0: {
      const decimals = read.u8();
      const mintAuthority = read.pubkey();
      const freezeAuthority = read.optionalPubkey();
      return {
        type: "initializeMint",
        info: { mint: at(0), decimals, mintAuthority, ...(freezeAuthority ? { freezeAuthority } : {}), rentSysvar: at(1) },
      };
    }
    case 20: {
      const decimals = read.u8();
      const mintAuthority = read.pubkey();
      const freezeAuthority = read.optionalPubkey();
      return { type: "initializeMint2", info: { mint: at(0), decimals, mintAuthority, ...(freezeAuthority ? { freezeAuthority } : {}) } };
    }
    case 1:
      return { type: "initializeAccount", info: { account: at(0), mint: at(1), owner: at(2), rentSysvar: at(3) } };
    case 16:
      return { type: "initializeAccount2", info: { account: at(0), mint: at(1), owner: read.pubkey(), rentSysvar: at(2) } };
    case 18:
      return { type: "initializeAccount3", info: { account: at(0), mint: at(1), owner: read.pubkey() } };
    case 3:
      return { type: "transfer", info: { source: at(0), destination: at(1), amount: read.u64().toString(), ...authority(2, "authority") } };
    case 4:
      return { type: "approve", info: { source: at(0), delegate: at(1), amount: read.u64().toString(), ...authority(2, "owner") } };
    case 5:
      return { type: "revoke", info: { source: at(0), ...authority(1, "owner") } };
    case 6: {
      const kind = AUTHORITY_TYPES[read.u8()];
      if (kind === undefined) return null;
      const newAuthority = read.optionalPubkey();
      const target = kind === "mintTokens" || kind === "freezeAccount" ? "mint" : "account";
      return { type: "setAuthority", info: { [target]: at(0), authorityType: kind, newAuthority, ...authority(1, "authority") } };
    }
    case 7:
      return { type: "mintTo", info: { mint: at(0), account: at(1), amount: read.u64().toString(), ...authority(2, "mintAuthority") } };
    case 8:
      return { type: "burn", info: { account: at(0), mint: at(1), amount: read.u64().toString(), ...authority(2, "authority") } };
    case 9:
      return { type: "closeAccount", info: { account: at(0), destination: at(1), ...authority(2, "owner") } };
    case 10:
      return { type: "freezeAccount", info: { account: at(0), mint: at(1), ...authority(2, "freezeAuthority") } };
    case 11:
      return { type: "thawAccount", info: { account: at(0), mint: at(1), ...authority(2, "freezeAuthority") } };
    case 12: {
      const value = read.u64();
      return {
        type: "transferChecked",
        info: { source: at(0), mint: at(1), destination: at(2), tokenAmount: uiTokenAmount(value, read.u8()), ...authority(3, "authority") },
      };
    }
    case 13: {
      const value = read.u64();
      return {
        type: "approveChecked",
        info: { source: at(0), mint: at(1), delegate: at(2), tokenAmount: uiTokenAmount(value, read.u8()), ...authority(3, "owner") },
      };
    }
    case 14: {
      const value = read.u64();
      return { type: "mintToChecked", info: { mint: at(0), account: at(1), tokenAmount: uiTokenAmount(value, read.u8()), ...authority(2, "mintAuthority") } };
    }
    case 15: {
      const value = read.u64();
      return { type: "burnChecked", info: { account: at(0), mint: at(1), tokenAmount: uiTokenAmount(value, read.u8()), ...authority(2, "authority") } };
    }
    case 17:
      return { type: "syncNative", info: { account: at(0) } };
    case 21:
      return { type: "getAccountDataSize", info: { mint: at(0) } };
    case 22:
      return { type: "initializeImmutableOwner", info: { account: at(0) } };
    case 23:
      return { type: "amountToUiAmount", info: { mint: at(0), amount: read.u64().toString() } };
    default:
      return null;
  }
}

function parseAssociatedToken(instruction: ResolvedInstruction) {
  const at = (index: number) => account(instruction, index);
  const kind = instruction.data.length === 0 ? 0 : instruction.data[0];
  if (kind === 2) {
    return {
      type: "recoverNested",
      info: {
        nestedSource: at(0),
        nestedMint: at(1),
        destination: at(2),
        nestedOwner: at(3),
        ownerMint: at(4),
        wallet: at(5),
        tokenProgram: at(6),
      },
    };
  }
  if (kind > 2) return null;
  return {
    type: kind === 0 ? "create" : "createIdempotent",
    info: { source: at(0), account: at(1), wallet: at(2), mint: at(3), systemProgram: at(4), tokenProgram: at(5) },
  };
}

/** A token account or mint as `jsonParsed` renders it, or null for anything else. */
export function parsedAccount(owner: string, data: Uint8Array, decimalsOf: DecimalsOf): Record<string, unknown> | null {
  if (owner !== TOKEN_PROGRAM && owner !== TOKEN_2022_PROGRAM) return null;
  const program = owner === TOKEN_PROGRAM ? "spl-token" : "spl-token-2022";
  const bytes = Buffer.from(data);
  const optionalKey = (offset: number) => (bytes.readUInt32LE(offset) === 1 ? bs58.encode(bytes.subarray(offset + 4, offset + 36)) : null);
  if (bytes.length === TOKEN_ACCOUNT_SIZE) {
    const mint = bs58.encode(bytes.subarray(0, 32));
    const decimals = decimalsOf(mint);
    const state = ["uninitialized", "initialized", "frozen"][bytes[108]];
    if (decimals === undefined || state === undefined || state === "uninitialized") return null;
    const delegate = optionalKey(72);
    const nativeReserve = bytes.readUInt32LE(109) === 1 ? bytes.readBigUInt64LE(113) : null;
    const delegatedAmount = bytes.readBigUInt64LE(121);
    const closeAuthority = optionalKey(129);
    const info: Record<string, unknown> = {
      isNative: nativeReserve !== null,
      mint,
      owner: bs58.encode(bytes.subarray(32, 64)),
      state,
      tokenAmount: uiTokenAmount(bytes.readBigUInt64LE(64), decimals),
      ...(delegate ? { delegate, delegatedAmount: uiTokenAmount(delegatedAmount, decimals) } : {}),
      ...(nativeReserve !== null ? { rentExemptReserve: uiTokenAmount(nativeReserve, decimals) } : {}),
      ...(closeAuthority ? { closeAuthority } : {}),
    };
    return { program, parsed: { info, type: "account" }, space: bytes.length };
  }
  if (bytes.length === MINT_SIZE) {
    if (bytes[45] !== 1) return null;
    const info = {
      decimals: bytes[44],
      freezeAuthority: optionalKey(46),
      isInitialized: true,
      mintAuthority: optionalKey(0),
      supply: bytes.readBigUInt64LE(36).toString(),
    };
    return { program, parsed: { info, type: "mint" }, space: bytes.length };
  }
  return null;
}
