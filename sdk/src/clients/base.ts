import { type Idl, type Program, utils } from "@coral-xyz/anchor";
import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { type ConfirmOptions, type PublicKey, SYSVAR_CLOCK_PUBKEY, type Signer, Transaction, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import { MediaPreconditionError, withMediaErrors } from "../errors";
import { type MediaProgramIds, resolveProgramIds } from "../programs";

/** An amount in base units (or a count of seconds, bytes): a bigint, or a number that is a safe integer. */
export type Amount = bigint | number;

/** `T` (an IDL's arguments) with each `BN` as any `Amount` the client converts. */
export type WithAmounts<T> = { [K in keyof T]: T[K] extends BN ? Amount : T[K] };

/** An `Amount` as Anchor's encoder takes it (inside the SDK only: nothing public takes or returns `BN`). */
export function toBN(amount: Amount): BN {
  if (typeof amount === "number" && !Number.isSafeInteger(amount)) {
    throw new RangeError(`${amount} is not a whole number of base units within 2^53: pass a bigint`);
  }
  return new BN(amount.toString());
}

/** Where an SPL token account keeps its amount (after the mint and the owner). */
const TOKEN_ACCOUNT_AMOUNT_OFFSET = 64;

/** Who acts: the provider's wallet by default, or another keypair that then signs too. */
export interface Actor {
  /** A keypair other than the provider's wallet; it signs the transaction. */
  signer?: Signer;
}

/**
 * The admin family every MEDIA program shares, with the same accounts and arguments: hand the
 * config's authority or pause authority to another key, and pause or unpause.
 */
interface AdminMethods {
  setAuthority(newAddress: PublicKey): { accounts(accounts: { authority: PublicKey }): { instruction(): Promise<TransactionInstruction> } };
  setPauseAuthority(newAddress: PublicKey): { accounts(accounts: { authority: PublicKey }): { instruction(): Promise<TransactionInstruction> } };
  setPaused(paused: boolean): { accounts(accounts: { signer: PublicKey }): { instruction(): Promise<TransactionInstruction> } };
}

/**
 * What every program client shares: its Anchor program, who acts, sending, and the admin
 * family. Builders (`…Instruction`) return instructions to compose or to put in a proposal;
 * senders build with them and send in one transaction.
 */
export abstract class ClientBase<T extends Idl> {
  /**
   * The deployment this client talks to: its own program's id (the `Program`'s) and the other
   * programs' (whose accounts it derives and passes), by default the IDLs' ids.
   */
  readonly programIds: MediaProgramIds;

  constructor(
    readonly program: Program<T>,
    programIds: Partial<MediaProgramIds> = {},
  ) {
    this.programIds = { ...resolveProgramIds({ programIds }), [this.programName()]: program.programId };
  }

  /** Which of the four programs this client drives. */
  protected abstract programName(): keyof MediaProgramIds;

  get programId(): PublicKey {
    return this.program.programId;
  }

  /** The cluster's unix time, from the Clock sysvar: what the programs read. */
  async unixTimestamp(): Promise<bigint> {
    const clock = await this.program.provider.connection.getAccountInfo(SYSVAR_CLOCK_PUBKEY);
    if (!clock) throw new Error("the Clock sysvar is not readable through this provider: pass a provider connected to a cluster or bank");
    // Clock: slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp.
    return clock.data.readBigInt64LE(32);
  }

  /** `set_authority(newAuthority)` signed by the current `authority` (the governance PDA after hand-over). */
  setAuthorityInstruction(newAuthority: PublicKey, authority: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    return this.adminMethods().setAuthority(newAuthority).accounts({ authority }).instruction();
  }

  /** `set_pause_authority(newPauseAuthority)` signed by the config `authority`. */
  setPauseAuthorityInstruction(newPauseAuthority: PublicKey, authority: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    return this.adminMethods().setPauseAuthority(newPauseAuthority).accounts({ authority }).instruction();
  }

  /** `set_paused(paused)` signed by `signer`: the pause authority pauses, only the authority unpauses. */
  setPausedInstruction(paused: boolean, signer: PublicKey = this.wallet()): Promise<TransactionInstruction> {
    return this.adminMethods().setPaused(paused).accounts({ signer }).instruction();
  }

  /** Hands the config's authority to `newAuthority`, as the acting authority. */
  async setAuthority(newAuthority: PublicKey, actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.setAuthorityInstruction(newAuthority, signer));
  }

  /** Hands the pause authority to `newPauseAuthority`, as the acting authority. */
  async setPauseAuthority(newPauseAuthority: PublicKey, actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.setPauseAuthorityInstruction(newPauseAuthority, signer));
  }

  /** Pauses or unpauses the program, as the acting pause authority or authority. */
  async setPaused(paused: boolean, actor: Actor = {}): Promise<string> {
    return this.sendAs(actor, (signer) => this.setPausedInstruction(paused, signer));
  }

  /**
   * Sends `instructions` in one transaction, paid by the provider's wallet and signed by
   * `actor`'s keypair too, with the provider's confirm options overridden by `options`
   * (e.g. `{ skipPreflight: true }`). A refusal is thrown as a named error (`toMediaError`):
   * `MediaProgramError`, `MediaTokenError`, `ReceiptSignatureError`; with `skipPreflight`, the
   * failed transaction's logs are read back to name it.
   */
  send(instructions: TransactionInstruction[], actor: Actor = {}, options?: ConfirmOptions): Promise<string> {
    const provider = this.program.provider;
    if (!provider.sendAndConfirm) throw new Error("the provider cannot send transactions: pass a provider with a wallet (AnchorProvider)");
    const transaction = new Transaction().add(...instructions);
    return withMediaErrors(
      () => provider.sendAndConfirm!(transaction, this.signers(actor), options),
      provider.connection,
      instructions,
      () => (transaction.signature ? utils.bytes.bs58.encode(transaction.signature) : undefined),
      this.programIds,
    );
  }

  /**
   * Checks, before sending, that `tokenAccount` exists as a token account and holds at least
   * `amount` (what the token program would otherwise refuse with a bare error code).
   */
  protected async requireTokenBalance(tokenAccount: PublicKey, amount: Amount, purpose: string): Promise<void> {
    const info = await this.program.provider.connection.getAccountInfo(tokenAccount);
    if (!info?.owner.equals(TOKEN_PROGRAM_ID) || info.data.length < TOKEN_ACCOUNT_AMOUNT_OFFSET + 8) {
      throw new MediaPreconditionError(
        "TokenAccountMissing",
        `${purpose}: no token account at ${tokenAccount.toBase58()}`,
        "Create it first (e.g. createAssociatedTokenAccountIdempotentInstruction for the wallet and the mint), fund it, or pass the account that holds the tokens",
      );
    }
    const view = new DataView(info.data.buffer, info.data.byteOffset, info.data.byteLength);
    const balance = view.getBigUint64(TOKEN_ACCOUNT_AMOUNT_OFFSET, true);
    const needed = BigInt(amount);
    if (balance < needed) {
      throw new MediaPreconditionError(
        "InsufficientBalance",
        `${purpose}: ${tokenAccount.toBase58()} holds ${balance} base units, ${needed} needed`,
        `Fund it with at least ${needed - balance} more base units, or send less`,
      );
    }
  }

  /** Sends the instruction `build` makes for the acting wallet, signed by `actor`. */
  protected async sendAs(actor: Actor, build: (signer: PublicKey) => Promise<TransactionInstruction>): Promise<string> {
    return this.send([await build(this.actor(actor))], actor);
  }

  /** The provider's wallet. */
  protected wallet(): PublicKey {
    const key = this.program.provider.publicKey;
    if (!key) throw new Error("the provider has no wallet: pass a provider with a wallet");
    return key;
  }

  /** The acting wallet: `actor.signer`, or the provider's wallet. */
  protected actor(actor: Actor = {}): PublicKey {
    return actor.signer?.publicKey ?? this.wallet();
  }

  /** Extra signers for `actor`. */
  protected signers(actor: Actor = {}): Signer[] {
    return actor.signer ? [actor.signer] : [];
  }

  /** The admin family of this program (the same in all four IDLs). */
  private adminMethods(): AdminMethods {
    return this.program.methods as unknown as AdminMethods;
  }
}
