import type { Idl, Program } from "@coral-xyz/anchor";
import { type PublicKey, SYSVAR_CLOCK_PUBKEY, type Signer } from "@solana/web3.js";
import BN from "bn.js";

/** An amount in base units. */
export type Amount = BN | bigint | number;

export const toBN = (amount: Amount): BN => (BN.isBN(amount) ? amount : new BN(amount.toString()));

/** Who acts: the provider's wallet by default, or another keypair that then signs too. */
export interface Actor {
  /** A keypair other than the provider's wallet; it signs the transaction. */
  signer?: Signer;
}

/** What every program client shares: its Anchor program and who acts. */
export abstract class ClientBase<T extends Idl> {
  constructor(readonly program: Program<T>) {}

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
}
