/**
 * The hostile-input matrix: every instruction of every program, built by Anchor's methods
 * builder from the IDLs, then attacked mechanically with each class of the spec that applies
 * to it: a signer that has not signed, an impostor that signs instead, an account owned by
 * another program, a fake (non-PDA, uninitialized) account, a token account of the wrong
 * mint, a program's vault swapped for a look-alike with a close authority or a delegate, a
 * fake token/system program or sysvar, a forged Clock (the sysvar's bytes, a decade later, at
 * another address), an account of another type, the same account twice,
 * re-initialization, initialization by a stranger (not the upgrade authority), integer
 * arguments at their maximum, truncated, oversized and random instruction data, and a missing
 * account. Each attack must be refused with a named
 * error and leave every account of the transaction byte-identical; after its attacks, the
 * untouched instruction must succeed (so the refusals come from the tampering). The counts
 * per program and class are printed at the end.
 */
import type { Idl } from "@coral-xyz/anchor";
import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { Keypair, PublicKey, SYSVAR_CLOCK_PUBKEY, type Signer, SystemProgram, Transaction, type TransactionInstruction } from "@solana/web3.js";
import { expect } from "chai";
import {
  BANDWIDTH_DEFAULTS,
  GOVERNANCE_DEFAULTS,
  MEDIA_BANDWIDTH_PROGRAM_ID,
  MEDIA_GOVERNANCE_PROGRAM_ID,
  MEDIA_STAKING_PROGRAM_ID,
  MEDIA_TREASURY_PROGRAM_ID,
  MediaProgramError,
  MediaTokenError,
  STAKING_DEFAULTS,
  VoteSide,
  createTreasuryVaultsInstructions,
  isPausedAt,
  proposalInstructions,
  proposalPda,
  signReceipt,
  stakingConfigPda,
  voteAuthorityPda,
  treasuryConfigPda,
  toMediaError,
  treasuryVaultAddress,
} from "../../sdk/src";
import { expectProgramError, expectUnchanged, snapshot, expectRefused } from "../utils/assertions";
import {
  type EscrowHandle,
  GIB,
  type Operator,
  closeEscrow,
  escrowOf,
  newOperator,
  requestClose,
  settle,
  settleAccounts,
  settleInstructions,
} from "../utils/bandwidth";
import { type Bank, startBank, unixTimestamp, warpSeconds } from "../utils/bank";
import {
  DAY,
  type Economy,
  MEDIA,
  addConsumer,
  addEscrow,
  addOperator,
  addStaker,
  addTokenAccount,
  bn,
  checkInvariants,
  fundMedia,
  setUpEconomy,
} from "../utils/economy";
import { execute, finalize, propose, vote } from "../utils/governance";
import type { Staker } from "../utils/staking";
import { airdrop, closableTokenAccount, createMint, createTokenAccount, mintTo, withDelegate } from "../utils/token";
import { TREASURY_TEST_PARAMS, initializeIx, sendInstruction, take as takeFromAuction } from "../utils/treasury";
import {
  MEDIA_BANDWIDTH_IDL as bandwidthIdl,
  MEDIA_GOVERNANCE_IDL as governanceIdl,
  MEDIA_STAKING_IDL as stakingIdl,
  MEDIA_TREASURY_IDL as treasuryIdl,
} from "../../sdk/src";
import { random } from "./model";
import { TIMELOCK, VOTING_PERIOD } from "../utils/constants";
import { TERMS, fundRewardsPool, servingOperator } from "../utils/delegation";

type ProgramName = "staking" | "bandwidth" | "treasury" | "governance";
const PROGRAM_IDS: Record<ProgramName, PublicKey> = {
  staking: MEDIA_STAKING_PROGRAM_ID,
  bandwidth: MEDIA_BANDWIDTH_PROGRAM_ID,
  treasury: MEDIA_TREASURY_PROGRAM_ID,
  governance: MEDIA_GOVERNANCE_PROGRAM_ID,
};
/** The IDLs as written (snake_case names), not as the Anchor client renames them. */
const IDLS: Record<ProgramName, Idl> = {
  staking: stakingIdl as unknown as Idl,
  bandwidth: bandwidthIdl as unknown as Idl,
  treasury: treasuryIdl as unknown as Idl,
  governance: governanceIdl as unknown as Idl,
};
const INSTRUCTIONS_SYSVAR = new PublicKey("Sysvar1nstructions1111111111111111111111111");
/** Where the Clock keeps `unix_timestamp` (after slot, epoch start, epoch, leader schedule epoch). */
const CLOCK_UNIX_TIMESTAMP_OFFSET = 32;
const DECADE = 10n * 365n * 86_400n;

/** One instruction as a transaction: `ixs[target]` is the attacked one; `signers` sign besides the payer. */
interface Built {
  ixs: TransactionInstruction[];
  target: number;
  signers: Keypair[];
}

interface Case {
  program: ProgramName;
  instruction: string;
  build: () => Promise<Built>;
  /** The untouched instruction is itself a re-initialization (initialize_config): it must fail too. */
  reinitOnly?: boolean;
  /** Sending it again after it succeeded must fail (it creates or consumes something). */
  reinit?: boolean;
  /** Attack classes that do not apply, with the reason. */
  exempt?: Partial<Record<string, string>>;
  /** Runs once before the case's attacks. */
  prepare?: () => Promise<void>;
  /**
   * A signer that is a PDA of another program, which signs only through its CPI (lock_stake:
   * governance's vote authority, in cast_vote). No transaction can sign for it, so every
   * attack names it unsigned, and the untouched instruction must fail with MissingSigner.
   */
  cpiSigner?: PublicKey;
}

/** Named errors the attack classes must produce where a single name is right. */
const EXACT: Record<string, string> = {
  "missing signer": "MissingSigner",
  "truncated data": "InvalidInstructionData",
  "oversized data": "InvalidInstructionData",
  "random data": "InvalidInstructionData",
  "random discriminator": "UnknownInstruction",
  "missing account": "NotEnoughAccounts",
  "fake token program": "InvalidTokenProgram",
  "fake system program": "InvalidSystemProgram",
  "fake instructions sysvar": "InvalidSysvar",
  "forged clock": "InvalidSysvar",
};

describe("economy: hostile input against every instruction of every program", function () {
  this.timeout(600_000);
  let bank: Bank;
  let economy: Economy;
  const rng = random(8_666);
  const counts: Record<ProgramName, Record<string, number>> = { staking: {}, bandwidth: {}, treasury: {}, governance: {} };
  const errorsSeen: Record<ProgramName, Set<string>> = { staking: new Set(), bandwidth: new Set(), treasury: new Set(), governance: new Set() };
  const instructionsCovered: Record<ProgramName, Set<string>> = { staking: new Set(), bandwidth: new Set(), treasury: new Set(), governance: new Set() };

  // The cast
  let mallory: Keypair;
  let alice: Staker; // active stake, rewards
  let bob: Staker; // unbonding, finished
  let carol: Staker; // unbonding, in progress
  let sponsor: Staker;
  let operator: Operator;
  let newcomer: Operator; // staked, not registered
  let retiring: Operator; // registered, to deactivate
  let escrow: EscrowHandle; // MEDIA escrow with a deposit
  let closing: EscrowHandle; // to request close
  let closable: EscrowHandle; // close requested, dispute window over
  let openingConsumer: Awaited<ReturnType<typeof addConsumer>>;
  let proposer: Staker;
  let voter: Staker;
  let grantee: PublicKey;
  let takerQuote: PublicKey;
  // The contributor economy (newcomer opens its pool in open_operator's case)
  let olivia: Operator; // pool open, provider serving, self-bonded, with delegators
  let dora: Staker; // staked, not delegated: binds in delegate's case
  let uma: Staker; // bound to olivia: unbinds in undelegate's case
  let cleo: Staker; // bound to olivia, earning: claims in claim_delegation_rewards' case
  const proposals: Record<"exec" | "final" | "vote" | "cancel", PublicKey> = {} as never;
  /** Samples of each program's account types, for type confusion. */
  const samples: Record<ProgramName, PublicKey[]> = { staking: [], bandwidth: [], treasury: [], governance: [] };
  /** A token account of the other mint for each owner, for wrong-mint attacks. */
  const otherMintAccounts = new Map<string, PublicKey>();

  before(async () => {
    bank = await startBank();
    economy = await setUpEconomy(bank);
    const world = economy.governanceWorld;
    mallory = Keypair.generate();
    await airdrop(bank, mallory.publicKey);

    alice = await addStaker(economy, 5_000n * MEDIA);
    bob = await addStaker(economy, 1_000n * MEDIA);
    carol = await addStaker(economy, 1_000n * MEDIA);
    sponsor = await addStaker(economy, 10_000n * MEDIA);
    proposer = await addStaker(economy, 1_000n * MEDIA);
    voter = await addStaker(economy, 1_000n * MEDIA);
    for (const s of [alice, bob, carol, proposer, voter]) await s.stake(300n * MEDIA);
    await bob.requestUnstake(300n * MEDIA);
    await sponsor.fundRewards(10n * MEDIA);

    operator = await addOperator(economy, 100n * MEDIA);
    retiring = await addOperator(economy, 30n * MEDIA);
    newcomer = await newOperator(economy.bandwidthWorld, 30n * MEDIA, { register: false });
    const consumer = await addConsumer(economy, 1_000n * MEDIA, 1_000n * MEDIA);
    escrow = await addEscrow(economy, consumer, operator, economy.mediaMint, 100n * MEDIA);
    closing = await addEscrow(economy, consumer, operator, economy.quoteMint, 10n * MEDIA);
    closable = await addEscrow(economy, consumer, retiring, economy.mediaMint, 10n * MEDIA);
    openingConsumer = await addConsumer(economy, 100n * MEDIA, 0n);
    await requestClose(economy.bandwidthWorld, closable);

    // Treasury: fee revenue in both vaults
    await fundMedia(economy, economy.treasuryMediaVault, 50n * MEDIA);
    await mintTo(bank, economy.quoteMint, economy.treasuryQuoteVault, 20n * MEDIA);
    grantee = await addTokenAccount(economy, economy.mediaMint, mallory.publicKey);
    takerQuote = await addTokenAccount(economy, economy.quoteMint, alice.wallet.publicKey);

    // Governance: a proposal that passes and waits out its timelock, one whose vote ends, one voting, one to cancel.
    // Their stored instruction is a treasury setter signed by the governance PDA (treasury hands over before `execute`);
    // not one that only lifts a pause, which would have no timelock.
    const stored = () => bank.clients.treasury.setAuthorityInstruction(economy.governance, economy.governance);
    proposals.exec = await propose(world, proposer, [await stored()]);
    await vote(world, proposals.exec, proposer, VoteSide.For);
    await warpSeconds(bank, VOTING_PERIOD + 1);
    await finalize(world, proposals.exec);
    proposals.final = await propose(world, proposer, [await stored()]);
    await vote(world, proposals.final, voter, VoteSide.For);
    await warpSeconds(bank, VOTING_PERIOD + 1);
    await warpSeconds(bank, 4 * DAY); // bob's unbonding period is over, and so is the exec proposal's timelock (a week after its vote)
    proposals.vote = await propose(world, proposer, [await stored()]);
    proposals.cancel = await propose(world, proposer, [await stored()]);
    // bob's unbonding is over; carol's starts now
    await carol.requestUnstake(100n * MEDIA);
    // The contributor economy, after the proposals so its stake weighs on none of their quorums:
    // the pool funded, olivia serving with two delegators (a third to come), earning for an hour.
    await fundRewardsPool(economy.bandwidthWorld);
    [dora, uma, cleo] = await Promise.all([300n, 300n, 300n].map((m) => addStaker(economy, m * MEDIA)));
    for (const s of [dora, uma, cleo]) await s.stake(200n * MEDIA);
    olivia = await servingOperator(economy.bandwidthWorld, [uma, cleo]);
    await warpSeconds(bank, 3_600);

    samples.staking = [
      economy.stakingConfig,
      alice.stakeAccount,
      bank.clients.staking.rewardsPoolAddress(),
      bank.clients.staking.operatorPoolAddress(olivia.wallet.publicKey),
      bank.clients.staking.delegationAddress(cleo.wallet.publicKey),
    ];
    samples.bandwidth = [economy.bandwidthConfig, operator.provider, escrow.escrow];
    samples.treasury = [economy.treasuryConfig];
    samples.governance = [economy.governance, proposals.exec];
  });

  // ---------- the attack machinery ----------

  /** The refusal's name: a program error from the IDLs, or SPL Token's own message. Fails if it succeeded. */
  async function refusal(promise: Promise<unknown>): Promise<string> {
    let outcome: unknown;
    try {
      await promise;
    } catch (error) {
      outcome = error;
    }
    if (outcome === undefined) return "<succeeded>";
    const logs = (outcome as { logs?: string[] }).logs ?? [];
    const named = toMediaError(outcome);
    if (named instanceof MediaProgramError) return named.errorName;
    // What the token program refuses itself the programs do not check again (a token account
    // of another mint, one the signer may not move): named as the SDK names it
    if (named instanceof MediaTokenError) return `SplToken.${named.errorName}`;
    const token = logs.find((line) => line.startsWith("Program log: Error: "));
    if (token) return `SPL Token: ${token.slice("Program log: Error: ".length)}`;
    return `<unnamed: ${String(outcome)} ${logs.slice(-3).join(" | ")}>`;
  }

  function send(built: Built, extraSigners: Signer[] = []): Promise<string> {
    const tx = new Transaction().add(...built.ixs);
    const needed = new Set(built.ixs.flatMap((ix) => ix.keys.filter((k) => k.isSigner).map((k) => k.pubkey.toBase58())));
    const signers = [...built.signers, ...extraSigners].filter(
      (s, i, all) => needed.has(s.publicKey.toBase58()) && all.findIndex((o) => o.publicKey.equals(s.publicKey)) === i,
    );
    return bank.provider.sendAndConfirm(tx, signers);
  }

  function clone(built: Built): Built {
    return {
      ...built,
      ixs: built.ixs.map((ix) => ({ ...ix, keys: ix.keys.map((k) => ({ ...k })), data: Buffer.from(ix.data) }) as TransactionInstruction),
    };
  }

  /** Runs one attack: refused with a named error (the class's own name where one is right), nothing changed. */
  async function attack(c: Case, cls: string, built: Built, expected?: string | string[], detail = "") {
    const addresses = new Map<string, PublicKey>();
    for (const ix of built.ixs) for (const k of ix.keys) if (!k.pubkey.equals(bank.payer.publicKey)) addresses.set(k.pubkey.toBase58(), k.pubkey);
    const before = await snapshot(bank, [...addresses.values()]);
    const name = await refusal(send(built, [mallory]));
    const where = `${c.program}.${c.instruction} / ${cls} ${detail}`;
    expect(name.startsWith("<"), `${where}: ${name}`).to.equal(false);
    const want = expected ?? EXACT[cls];
    if (want) expect(Array.isArray(want) ? want : [want], `${where}: got ${name}`).to.include(name);
    await expectUnchanged(bank, before);
    counts[c.program][cls] = (counts[c.program][cls] ?? 0) + 1;
    errorsSeen[c.program].add(name);
  }

  /** Names `pda` unsigned in every instruction of `built` (no transaction can sign for a PDA). */
  function unsign(built: Built, pda: PublicKey) {
    for (const ix of built.ixs) for (const key of ix.keys) if (key.pubkey.equals(pda)) key.isSigner = false;
  }

  /** A fresh address holding a copy of `address` owned by another program. */
  async function foreignCopy(address: PublicKey, owner: PublicKey): Promise<PublicKey | null> {
    const account = await bank.runtime.getAccount(address);
    if (!account) return null;
    const copy = Keypair.generate().publicKey;
    await bank.runtime.setAccount(copy, { ...account, owner, executable: false });
    return copy;
  }

  /** The Clock sysvar's bytes and owner at a new address, its time a decade ahead: every deadline passed. */
  async function forgedClock(): Promise<PublicKey> {
    const clock = await bank.runtime.getAccount(SYSVAR_CLOCK_PUBKEY);
    if (!clock) throw new Error("the bank has no Clock sysvar account");
    const data = Buffer.from(clock.data);
    data.writeBigInt64LE(data.readBigInt64LE(CLOCK_UNIX_TIMESTAMP_OFFSET) + DECADE, CLOCK_UNIX_TIMESTAMP_OFFSET);
    const forged = Keypair.generate().publicKey;
    await bank.runtime.setAccount(forged, { ...clock, data, executable: false });
    return forged;
  }

  async function otherMintAccount(tokenAccount: PublicKey): Promise<PublicKey | null> {
    const account = await bank.runtime.getAccount(tokenAccount);
    if (!account?.owner.equals(TOKEN_PROGRAM_ID) || account.data.length !== 165) return null;
    const mint = new PublicKey(account.data.subarray(0, 32));
    const owner = new PublicKey(account.data.subarray(32, 64));
    const other = mint.equals(economy.mediaMint) ? economy.quoteMint : economy.mediaMint;
    const key = `${owner.toBase58()}:${other.toBase58()}`;
    if (!otherMintAccounts.has(key)) otherMintAccounts.set(key, await createTokenAccount(bank, other, owner));
    return otherMintAccounts.get(key)!;
  }

  const captured = new Map<string, { closable: PublicKey; delegated: PublicKey } | null>();
  /**
   * For a program's vault (a token account whose token owner is a PDA), two look-alikes of the
   * same mint and token owner: one whose close authority mallory kept before handing it to
   * the PDA (as SPL Token allows), one with mallory as delegate (written directly: SPL Token
   * clears delegates when an account changes hands). Null for any other account.
   */
  async function capturedVaults(address: PublicKey): Promise<{ closable: PublicKey; delegated: PublicKey } | null> {
    const key = address.toBase58();
    if (captured.has(key)) return captured.get(key)!;
    const account = await bank.runtime.getAccount(address);
    let result: { closable: PublicKey; delegated: PublicKey } | null = null;
    const tokenOwner = account?.owner.equals(TOKEN_PROGRAM_ID) && account.data.length === 165 ? new PublicKey(account.data.subarray(32, 64)) : null;
    if (account && tokenOwner && !PublicKey.isOnCurve(tokenOwner.toBytes())) {
      const mint = new PublicKey(account.data.subarray(0, 32));
      const closable = await closableTokenAccount(bank, mint, mallory, tokenOwner);
      const data = withDelegate(account.data, mallory.publicKey);
      data.writeBigUInt64LE(0n, 64); // no tokens: the copy must not inflate any balance
      const delegated = Keypair.generate().publicKey;
      await bank.runtime.setAccount(delegated, { ...account, data });
      result = { closable, delegated };
    }
    captured.set(key, result);
    return result;
  }

  /** Integer argument offsets of an instruction (after the discriminator), from the IDL. */
  function integerArgs(idl: Idl, instruction: string): { name: string; offset: number; size: number; signed: boolean }[] {
    const ix = idl.instructions.find((i) => i.name === instruction)!;
    const sizes: Record<string, number> = { u8: 1, u16: 2, u32: 4, u64: 8, i64: 8, u128: 16, bool: 1, pubkey: 32 };
    const out: { name: string; offset: number; size: number; signed: boolean }[] = [];
    let offset = 8;
    for (const arg of ix.args) {
      const type = arg.type as unknown;
      const defined = (type as { defined?: { name: string } }).defined;
      const isEnum = defined && idl.types?.find((t) => t.name === defined.name)?.type.kind === "enum";
      if (typeof type === "string") {
        if (["u8", "u16", "u32", "u64", "i64", "u128"].includes(type)) out.push({ name: arg.name, offset, size: sizes[type], signed: type === "i64" });
        offset += sizes[type];
      } else if (isEnum) {
        // A one-byte code (Borsh's variant index): its largest value names no variant.
        out.push({ name: arg.name, offset, size: 1, signed: false });
        offset += 1;
      } else {
        offset = -1; // arrays and structs: later integers are not at fixed offsets we track
        break;
      }
    }
    return out;
  }

  async function runCase(c: Case) {
    if (c.prepare) await c.prepare();
    const programId = PROGRAM_IDS[c.program];
    const idl = IDLS[c.program];
    const ixDef = idl.instructions.find((i) => i.name === c.instruction);
    expect(ixDef, `${c.instruction} is in the ${c.program} IDL`).to.not.equal(undefined);
    const base = await c.build();
    const target = base.ixs[base.target];
    expect(target.programId.equals(programId)).to.equal(true);
    const exempt = c.exempt ?? {};
    const fixed = new Set(ixDef!.accounts.flatMap((a, i) => ("address" in a && a.address ? [i] : [])));
    let detail = "";
    const mutate = async (cls: string, change: (ix: TransactionInstruction, built: Built) => void | Promise<void>, expected?: string | string[]) => {
      if (exempt[cls]) return;
      const built = clone(base);
      await change(built.ixs[built.target], built);
      if (c.cpiSigner) unsign(built, c.cpiSigner);
      await attack(c, cls, built, expected, detail);
    };

    const keys = target.keys;
    for (const [i, meta] of keys.entries()) {
      detail = `(account ${i}: ${ixDef!.accounts[i]?.name ?? "remaining"})`;
      const isFixed = fixed.has(i);
      const current = await bank.runtime.getAccount(meta.pubkey);
      // Missing signer / impostor
      if (meta.isSigner) {
        if (meta.pubkey.equals(bank.payer.publicKey)) {
          // The fee payer always signs the message: pass an unsigned stand-in instead.
          await mutate("missing signer", (ix) => void (ix.keys[i] = { ...ix.keys[i], pubkey: Keypair.generate().publicKey, isSigner: false }));
        } else {
          await mutate("missing signer", (ix, built) => {
            ix.keys[i].isSigner = false;
            built.signers = built.signers.filter((s) => !s.publicKey.equals(meta.pubkey));
          });
        }
        await mutate("impostor signer", (ix) => void (ix.keys[i] = { ...ix.keys[i], pubkey: mallory.publicKey }));
        continue;
      }
      if (isFixed && meta.pubkey.equals(SYSVAR_CLOCK_PUBKEY)) {
        const forged = await forgedClock();
        // Refused by name before the clock is read: a signer only another program's CPI has (lock_stake), a re-initialization.
        const first = c.cpiSigner ? "MissingSigner" : c.reinitOnly ? "AlreadyInitialized" : undefined;
        await mutate("forged clock", (ix) => void (ix.keys[i] = { ...ix.keys[i], pubkey: forged }), first);
        continue;
      }
      if (isFixed) {
        const address = meta.pubkey;
        const cls = address.equals(TOKEN_PROGRAM_ID)
          ? "fake token program"
          : address.equals(SystemProgram.programId)
            ? "fake system program"
            : address.equals(INSTRUCTIONS_SYSVAR)
              ? "fake instructions sysvar"
              : "fake program or fixed account";
        const fake = address.equals(MEDIA_TREASURY_PROGRAM_ID) ? MEDIA_BANDWIDTH_PROGRAM_ID : MEDIA_TREASURY_PROGRAM_ID;
        await mutate(cls, (ix) => void (ix.keys[i] = { ...ix.keys[i], pubkey: cls === "fake instructions sysvar" ? Keypair.generate().publicKey : fake }));
        continue;
      }
      // An uninitialized account where an account (a PDA, a token account, a mint) goes
      await mutate("fake account (PDA)", (ix) => void (ix.keys[i] = { ...ix.keys[i], pubkey: Keypair.generate().publicKey }));
      if (current && !current.executable && current.data.length > 0) {
        // The same bytes, owned by another program
        const foreign = await foreignCopy(meta.pubkey, current.owner.equals(TOKEN_PROGRAM_ID) ? MEDIA_TREASURY_PROGRAM_ID : TOKEN_PROGRAM_ID);
        if (foreign) await mutate("wrong owner", (ix) => void (ix.keys[i] = { ...ix.keys[i], pubkey: foreign }));
        // Another type of the same owner
        const owner = current.owner;
        const program = (Object.entries(PROGRAM_IDS) as [ProgramName, PublicKey][]).find(([, id]) => id.equals(owner))?.[0];
        const discriminator = Buffer.from(current.data.subarray(0, 8)).toString("hex");
        let other: PublicKey | undefined;
        if (program) {
          for (const sample of samples[program]) {
            const account = await bank.runtime.getAccount(sample);
            if (account && Buffer.from(account.data.subarray(0, 8)).toString("hex") !== discriminator) {
              other = sample;
              break;
            }
          }
          if (!other) {
            // A program with one account type: forge another program's state under its owner.
            other = (await foreignCopy(economy.bandwidthConfig, owner)) ?? undefined;
          }
        } else if (owner.equals(TOKEN_PROGRAM_ID)) {
          other = current.data.length === 165 ? economy.mediaMint : escrow.providerAccount;
        }
        if (other) await mutate("type confusion", (ix) => void (ix.keys[i] = { ...ix.keys[i], pubkey: other! }));
        // A token account of the other mint
        const wrongMint = await otherMintAccount(meta.pubkey);
        if (wrongMint) await mutate("wrong mint", (ix) => void (ix.keys[i] = { ...ix.keys[i], pubkey: wrongMint }));
        if (owner.equals(TOKEN_PROGRAM_ID) && current.data.length === 82) {
          const otherMint = meta.pubkey.equals(economy.mediaMint) ? economy.quoteMint : economy.mediaMint;
          await mutate("wrong mint", (ix) => void (ix.keys[i] = { ...ix.keys[i], pubkey: otherMint }));
        }
        // A program's vault swapped for a look-alike that someone else can empty or close
        const captured = await capturedVaults(meta.pubkey);
        if (captured) {
          await mutate("vault with close authority", (ix) => void (ix.keys[i] = { ...ix.keys[i], pubkey: captured.closable }));
          await mutate("vault with delegate", (ix) => void (ix.keys[i] = { ...ix.keys[i], pubkey: captured.delegated }));
        }
      }
      // The same account twice: a writable slot given another slot's account
      if (meta.isWritable) {
        for (const [j, other] of keys.entries()) {
          if (j === i || fixed.has(j) || other.pubkey.equals(meta.pubkey)) continue;
          detail = `(account ${i}: ${ixDef!.accounts[i]?.name ?? "remaining"} given account ${j}: ${ixDef!.accounts[j]?.name ?? "remaining"})`;
          if (exempt[`duplicate:${ixDef!.accounts[i]?.name}<-${ixDef!.accounts[j]?.name}`]) continue;
          await mutate("duplicate account", (ix) => void (ix.keys[i] = { ...ix.keys[i], pubkey: other.pubkey }));
        }
      }
    }

    // Arguments and data
    detail = "";
    const args = integerArgs(idl, c.instruction);
    for (const arg of args) {
      if (exempt[`overflow:${arg.name}`]) continue;
      await mutate(`overflow`, (ix) => {
        const max = arg.signed ? (1n << 63n) - 1n : (1n << BigInt(arg.size * 8)) - 1n;
        for (let b = 0; b < arg.size; b++) ix.data[arg.offset + b] = Number((max >> BigInt(8 * b)) & 0xffn);
      });
    }
    const argBytes = target.data.length - 8;
    if (argBytes > 0) await mutate("truncated data", (ix) => void (ix.data = ix.data.subarray(0, ix.data.length - 1)));
    else await mutate("truncated data", (ix) => void (ix.data = ix.data.subarray(0, 7)), "InvalidInstructionData");
    await mutate("oversized data", (ix) => void (ix.data = Buffer.concat([ix.data, Buffer.from([rng.int(256)])])));
    for (let k = 0; k < 3; k++) {
      let length = rng.int(72);
      if (length === argBytes) length++;
      const tail = Buffer.from(Array.from({ length }, () => rng.int(256)));
      await mutate("random data", (ix) => void (ix.data = Buffer.concat([ix.data.subarray(0, 8), tail])));
      const discriminator = Buffer.from(Array.from({ length: 8 }, () => rng.int(256)));
      await mutate("random discriminator", (ix) => void (ix.data = Buffer.concat([discriminator, ix.data.subarray(8)])));
    }
    const remaining = keys.length > ixDef!.accounts.length;
    await mutate("missing account", (ix) => void (ix.keys = ix.keys.slice(0, ix.keys.length - 1)), remaining ? undefined : "NotEnoughAccounts");

    // Genesis front-running: a stranger signs as the authority of an initialization.
    if (c.instruction === "initialize_config") {
      await mutate("init by a stranger", (ix) => void (ix.keys[0] = { ...ix.keys[0], pubkey: mallory.publicKey }), "NotUpgradeAuthority");
    }

    // The untouched instruction: succeeds (or is the re-initialization), and re-sending it fails
    if (c.cpiSigner) {
      const untouched = clone(base);
      unsign(untouched, c.cpiSigner);
      await attack(c, "signer only by CPI", untouched, "MissingSigner");
    } else if (c.reinitOnly) {
      await attack(c, "re-initialization", clone(base), "AlreadyInitialized");
    } else {
      await send(clone(base));
      if (c.reinit) {
        await attack(c, "re-initialization", clone(base));
      }
    }
    instructionsCovered[c.program].add(c.instruction);
  }

  // ---------- the cases ----------

  const one = (ix: TransactionInstruction, signers: Keypair[] = []): Built => ({ ixs: [ix], target: 0, signers });
  const deployer = () => economy.deployer.publicKey;
  const s = STAKING_DEFAULTS;
  const b = BANDWIDTH_DEFAULTS;
  const t = TREASURY_TEST_PARAMS;
  const g = GOVERNANCE_DEFAULTS;

  const cases = (): Case[] => {
    const { staking, bandwidth, treasury, governance } = bank.clients;
    const key = (actor: { wallet: Keypair }) => actor.wallet.publicKey;
    /** The admin family every program shares: each setter signed by the deployer, handing the role to `successor`. */
    const admin = (program: ProgramName, client: typeof staking | typeof bandwidth | typeof treasury | typeof governance, successor = deployer()): Case[] => [
      { program, instruction: "set_pause_authority", build: async () => one(await client.setPauseAuthorityInstruction(deployer())) },
      { program, instruction: "set_paused", build: async () => one(await client.setPausedInstruction(false)) },
      { program, instruction: "set_authority", build: async () => one(await client.setAuthorityInstruction(successor)) },
    ];
    const prices = { media: 100_000n, quote: 50_000n };
    return [
      // media_staking
      {
        program: "staking",
        instruction: "initialize_config",
        reinitOnly: true,
        build: async () => one(await staking.initializeConfigInstruction(economy.mediaMint, s)),
      },
      {
        program: "staking",
        instruction: "stake",
        build: async () => one(await staking.stakeInstruction(10n * MEDIA, key(alice), alice.tokenAccount), [alice.wallet]),
      },
      {
        program: "staking",
        instruction: "request_unstake",
        build: async () => one(await staking.requestUnstakeInstruction(10n * MEDIA, key(alice)), [alice.wallet]),
      },
      {
        program: "staking",
        instruction: "cancel_unstake",
        reinit: true,
        build: async () => one(await staking.cancelUnstakeInstruction(key(carol)), [carol.wallet]),
      },
      {
        program: "staking",
        instruction: "withdraw",
        reinit: true,
        build: async () => one(await staking.withdrawInstruction(key(bob), bob.tokenAccount), [bob.wallet]),
      },
      {
        program: "staking",
        instruction: "fund_rewards",
        build: async () => one(await staking.fundRewardsInstruction(MEDIA, key(sponsor), sponsor.tokenAccount), [sponsor.wallet]),
      },
      {
        program: "staking",
        instruction: "claim_rewards",
        reinit: true,
        build: async () => one(await staking.claimRewardsInstruction(key(alice), alice.tokenAccount), [alice.wallet]),
      },
      { program: "staking", instruction: "set_min_stake", build: async () => one(await staking.setMinStakeInstruction(s.minStake)) },
      { program: "staking", instruction: "set_unbonding_period", build: async () => one(await staking.setUnbondingPeriodInstruction(s.unbondingPeriod)) },
      {
        program: "staking",
        instruction: "set_quota_bytes_per_media",
        build: async () => one(await staking.setQuotaBytesPerMediaInstruction(s.quotaBytesPerMedia)),
      },
      { program: "staking", instruction: "set_reward_duration", build: async () => one(await staking.setRewardDurationInstruction(s.rewardDuration)) },
      { program: "staking", instruction: "sync_rewards", build: async () => one(await staking.syncRewardsInstruction()) },
      {
        program: "staking",
        instruction: "lock_stake",
        cpiSigner: voteAuthorityPda(),
        // Forged on purpose: the SDK has no lock_stake builder, as only governance's cast_vote signs it (by CPI).
        build: async () =>
          one(
            await bank.programs.staking.methods
              .lockStake(bn(0n), bn((await bank.runtime.unixTimestamp()) + 60n))
              .accounts({ voteAuthority: voteAuthorityPda(), stakeAccount: alice.stakeAccount })
              .instruction(),
          ),
      },
      ...admin("staking", staking),
      ...contributorCases(),

      // media_bandwidth
      {
        program: "bandwidth",
        instruction: "initialize_config",
        reinitOnly: true,
        build: async () => one(await bandwidth.initializeConfigInstruction({ mediaMint: economy.mediaMint, quoteMint: economy.quoteMint }, b)),
      },
      { program: "bandwidth", instruction: "set_parameters", build: async () => one(await bandwidth.setParametersInstruction(b)) },
      {
        program: "bandwidth",
        instruction: "set_activity_window",
        build: async () =>
          one(await bank.programs.bandwidth.methods.setActivityWindow(bn(b.activityWindow)).accountsPartial({ authority: deployer() }).instruction()),
      },
      ...admin("bandwidth", bandwidth),
      {
        program: "bandwidth",
        instruction: "register_provider",
        reinit: true,
        build: async () => one(await bandwidth.registerProviderInstruction(prices, key(newcomer)), [newcomer.wallet]),
      },
      {
        program: "bandwidth",
        instruction: "update_provider",
        build: async () => one(await bandwidth.updateProviderInstruction(prices, key(operator)), [operator.wallet]),
      },
      {
        program: "bandwidth",
        instruction: "deactivate_provider",
        build: async () => one(await bandwidth.deactivateProviderInstruction(key(retiring)), [retiring.wallet]),
      },
      {
        program: "bandwidth",
        instruction: "open_escrow",
        reinit: true,
        build: async () => one(await bandwidth.openEscrowInstruction(operator.provider, economy.mediaMint, key(openingConsumer)), [openingConsumer.wallet]),
      },
      {
        program: "bandwidth",
        instruction: "deposit",
        build: async () =>
          one(await bandwidth.depositInstruction(escrow.escrow, MEDIA, escrow.consumerAccount, key(escrow.consumer)), [escrow.consumer.wallet]),
      },
      {
        program: "bandwidth",
        instruction: "request_close",
        reinit: true,
        build: async () => one(await bandwidth.requestCloseInstruction(closing.escrow, key(closing.consumer)), [closing.consumer.wallet]),
      },
      {
        program: "bandwidth",
        instruction: "close_escrow",
        reinit: true,
        build: async () =>
          one(await bandwidth.closeEscrowInstruction(closable.escrow, closable.consumerAccount, key(closable.consumer)), [closable.consumer.wallet]),
      },
      {
        program: "bandwidth",
        instruction: "settle_receipt",
        reinit: true,
        build: async () => {
          const receipt = signReceipt(escrow.consumer.wallet, escrow.escrow, escrow.nonce, GIB, 100_000n);
          return { ixs: await settleInstructions(economy.bandwidthWorld, escrow, receipt), target: 1, signers: [operator.wallet] };
        },
      },

      // media_treasury
      {
        program: "treasury",
        instruction: "initialize_config",
        reinitOnly: true,
        build: async () => one(await treasury.initializeConfigInstruction({ mediaMint: economy.mediaMint, quoteMint: economy.quoteMint }, t.initialPrice, t)),
      },
      {
        program: "treasury",
        instruction: "spend",
        build: async () => one(await treasury.spendInstruction(MEDIA, { vault: economy.treasuryMediaVault, destination: grantee })),
      },
      {
        program: "treasury",
        instruction: "burn_fees",
        reinit: true,
        build: async () => one(await treasury.burnFeesInstruction({ mediaVault: economy.treasuryMediaVault, mediaMint: economy.mediaMint })),
      },
      {
        program: "treasury",
        instruction: "start_auction",
        reinit: true,
        build: async () => one(await treasury.startAuctionInstruction(economy.treasuryQuoteVault)),
      },
      {
        program: "treasury",
        instruction: "take",
        exempt: { "overflow:max_media_in": 'u64::MAX is the taker\'s own "no slippage bound"' },
        build: async () =>
          one(
            await treasury.takeInstruction(MEDIA, 1_000n * MEDIA, {
              taker: key(alice),
              takerMediaAccount: alice.tokenAccount,
              takerQuoteAccount: takerQuote,
              quoteVault: economy.treasuryQuoteVault,
              mediaMint: economy.mediaMint,
            }),
            [alice.wallet],
          ),
      },
      { program: "treasury", instruction: "set_auction_params", build: async () => one(await treasury.setAuctionParamsInstruction(t)) },
      {
        program: "treasury",
        instruction: "set_reference_price",
        // Only between auctions: the take above left the auction running, so alice buys the rest of its lot first.
        prepare: async () => {
          await fundMedia(economy, alice.tokenAccount, 10_000n * MEDIA);
          const config = await treasury.fetchConfig();
          const taker = { wallet: alice.wallet, mediaAccount: alice.tokenAccount, quoteAccount: takerQuote };
          await takeFromAuction(economy.treasuryWorld, taker, BigInt(config.lotRemaining.toString()), 10_000n * MEDIA);
        },
        build: async () => one(await treasury.setReferencePriceInstruction(t.initialPrice)),
      },
      // Its set_authority last: hands the treasury to governance (so the governance proposals' stored instruction can execute)
      ...admin("treasury", treasury, economy.governance),

      // media_governance
      { program: "governance", instruction: "initialize_config", reinitOnly: true, build: async () => one(await governance.initializeConfigInstruction(g)) },
      { program: "governance", instruction: "set_params", build: async () => one(await governance.setParamsInstruction(g)) },
      ...admin("governance", governance),
      {
        program: "governance",
        instruction: "create_proposal",
        reinit: true,
        build: async () => {
          const stored = await treasury.setPauseAuthorityInstruction(deployer(), economy.governance);
          const { transactions } = await governance.proposeTransactions([stored], { uri: "ipfs://hostile", hash: new Array(32).fill(1) }, key(proposer));
          return one(transactions[0][0], [proposer.wallet]);
        },
      },
      {
        program: "governance",
        instruction: "add_instruction",
        reinit: true,
        build: async () => {
          const config = await governance.fetchConfig();
          const draft = proposalPda(config.proposalCount - 1n);
          const stored = await treasury.setPauseAuthorityInstruction(deployer(), economy.governance);
          return one(await governance.addInstructionInstruction(draft, 0, stored, key(proposer)), [proposer.wallet]);
        },
      },
      {
        program: "governance",
        instruction: "cast_vote",
        reinit: true,
        build: async () => one(await governance.castVoteInstruction(proposals.vote, VoteSide.For, key(voter)), [voter.wallet]),
      },
      {
        program: "governance",
        instruction: "cancel",
        reinit: true,
        build: async () => one(await governance.cancelInstruction(proposals.cancel, key(proposer)), [proposer.wallet]),
      },
      { program: "governance", instruction: "finalize", reinit: true, build: async () => one(await governance.finalizeInstruction(proposals.final)) },
      { program: "governance", instruction: "execute", reinit: true, build: async () => one(await governance.executeInstruction(proposals.exec)) },
    ];
  };

  /**
   * The contributor economy's staking instructions, each on the cast's state made for it: the
   * rewards pool genesis (or the cast) created, newcomer opening its pool, olivia's pool and
   * provider, dora binding, uma unbinding, cleo claiming. The claims and undelegate are sent
   * twice: a second claim finds nothing to pay, a second undelegate nothing bound.
   */
  const contributorCases = (): Case[] => {
    const staking = bank.clients.staking;
    const key = (actor: { wallet: Keypair }) => actor.wallet.publicKey;
    return [
      {
        program: "staking",
        instruction: "initialize_rewards_pool",
        reinitOnly: true,
        build: async () => one(await staking.initializeRewardsPoolInstruction(s, deployer(), economy.mediaMint)),
      },
      { program: "staking", instruction: "release_emissions", build: async () => one(await staking.releaseEmissionsInstruction()) },
      {
        program: "staking",
        instruction: "open_operator",
        reinit: true,
        build: async () => one(await staking.openOperatorInstruction(TERMS.commissionBps, TERMS.feeShareBps, key(newcomer)), [newcomer.wallet]),
      },
      {
        program: "staking",
        instruction: "set_commission",
        build: async () => one(await staking.setCommissionInstruction(TERMS.commissionBps + 500, TERMS.feeShareBps, key(olivia)), [olivia.wallet]),
      },
      { program: "staking", instruction: "delegate", build: async () => one(await staking.delegateInstruction(key(olivia), key(dora)), [dora.wallet]) },
      { program: "staking", instruction: "sync_operator", build: async () => one(await staking.syncOperatorInstruction(key(olivia))) },
      {
        program: "staking",
        instruction: "claim_delegation_rewards",
        reinit: true,
        build: async () => one(await staking.claimDelegationRewardsInstruction(key(cleo), cleo.tokenAccount), [cleo.wallet]),
      },
      {
        program: "staking",
        instruction: "claim_commission",
        reinit: true,
        build: async () => one(await staking.claimCommissionInstruction(key(olivia), olivia.tokenAccount), [olivia.wallet]),
      },
      { program: "staking", instruction: "undelegate", reinit: true, build: async () => one(await staking.undelegateInstruction(key(uma)), [uma.wallet]) },
      {
        program: "staking",
        instruction: "set_emission_schedule",
        build: async () => one(await staking.setEmissionScheduleInstruction(s.initialRate, s.halvingPeriod)),
      },
      {
        program: "staking",
        instruction: "set_delegation_params",
        build: async () => one(await staking.setDelegationParamsInstruction(s.delegationCap, s.commissionNotice)),
      },
    ];
  };

  for (const program of ["staking", "bandwidth", "treasury", "governance"] as ProgramName[]) {
    it(`refuses every attack on every ${program} instruction with a named error, changing nothing`, async () => {
      for (const c of cases().filter((x) => x.program === program)) await runCase(c);
      const idl = IDLS[program];
      expect([...instructionsCovered[program]].sort(), "every instruction of the IDL").to.deep.equal(idl.instructions.map((i) => i.name).sort());
      const total = Object.values(counts[program]).reduce((a, n) => a + n, 0);
      process.stdout.write(
        `      media_${program}: ${total} attacks on ${instructionsCovered[program].size} instructions: ${JSON.stringify(counts[program])}\n`,
      );
      process.stdout.write(`      errors: ${[...errorsSeen[program]].sort().join(", ")}\n`);
    });
  }

  after(() => {
    const totals = Object.fromEntries(Object.entries(counts).map(([p, byClass]) => [p, Object.values(byClass).reduce((a, n) => a + n, 0)]));
    process.stdout.write(`      hostile matrix: ${JSON.stringify(totals)} attacks per program\n`);
  });
});

/**
 * The scenario classes of the matrix, tried against every staking and governance instruction
 * they apply to:
 * - pause-then-govern: the guardian pauses staking and governance; each instruction is either
 *   open (the way out of stake, voting, finalizing, cancelling, handing roles over, lifting a
 *   pause) or refused with a named error, changing nothing (new risk: new stake, rebonding,
 *   parameter changes, proposals that lift no pause);
 * - stake between create and vote: stake added after `create_proposal` weighs nothing, even
 *   while the proposer holds voting back by not storing the last instruction;
 * - stored lock_stake: no proposal may lock stake, nor have the vote authority sign.
 */
describe("economy: hostile matrix, pause-then-govern and vote classes", function () {
  this.timeout(600_000);
  type Row = { program: "staking" | "governance"; instruction: string; expect: "open" | string; touched: PublicKey[]; send: () => Promise<unknown> };
  const counts: Record<string, Record<string, number>> = {};
  const covered: Record<"staking" | "governance", Set<string>> = { staking: new Set(), governance: new Set() };
  /** Instructions a class does not apply to, with the reason. */
  const notApplicable: Record<string, string> = {
    initialize_config: "creates a config: a paused program has one (AlreadyInitialized either way)",
    initialize_rewards_pool: "creates the rewards pool once, at genesis: a paused program has one (AlreadyInitialized either way)",
  };
  let bank: Bank;
  let economy: Economy;
  const guardian = Keypair.generate();

  async function run(cls: string, row: Row) {
    const before = await snapshot(bank, row.touched);
    if (row.expect === "open") {
      await row.send();
    } else {
      await expectProgramError(row.send(), row.expect);
      await expectUnchanged(bank, before);
    }
    counts[cls] ??= {};
    counts[cls][row.expect === "open" ? "open" : "refused"] = (counts[cls][row.expect === "open" ? "open" : "refused"] ?? 0) + 1;
    if (cls === "pause-then-govern") covered[row.program].add(row.instruction);
  }

  before(async () => {
    bank = await startBank();
    economy = await setUpEconomy(bank);
    await airdrop(bank, guardian.publicKey);
  });

  it("pause-then-govern: under a guardian pause every staking and governance instruction is open or refused by name", async () => {
    const { staking, governance, treasury } = bank.programs;
    const world = economy.governanceWorld;
    const deployer = economy.deployer.publicKey;
    const t = TREASURY_TEST_PARAMS;
    // Given the guardian holds both pause switches; the treasury answers to governance
    await staking.methods.setPauseAuthority(guardian.publicKey).accounts({ authority: deployer }).rpc();
    await governance.methods.setPauseAuthority(guardian.publicKey).accounts({ authority: deployer }).rpc();
    await treasury.methods.setAuthority(economy.governance).accounts({ authority: deployer }).rpc();
    const [alice, bob, carol, erin, dave, sponsor] = await Promise.all([1_000n, 300n, 300n, 300n, 300n, 100n].map((m) => addStaker(economy, m * MEDIA)));
    for (const s of [alice, bob, carol, erin]) await s.stake(200n * MEDIA);
    await bob.requestUnstake(100n * MEDIA);
    await sponsor.fundRewards(10n * MEDIA);
    // and passed proposals waiting to execute: one lifts a pause (it unpauses the treasury), one does not
    const lift = async () => treasury.methods.setPauseAuthority(guardian.publicKey).accounts({ authority: economy.governance }).instruction();
    const plain = async () =>
      treasury.methods
        .setAuctionParams(bn(t.auctionInterval), bn(t.auctionDuration), bn(t.maxLot), t.premiumBps, t.floorBps, t.minFillBps, t.minSoldBps, t.maxStepBps)
        .accounts({ authority: economy.governance })
        .instruction();
    // (the lifting one only unpauses, so it has no timelock: it is voted later, to be within its
    // execution window)
    const unpauseTreasury = async () => treasury.methods.setPaused(false).accounts({ signer: economy.governance }).instruction();
    const passedPlain = await propose(world, alice, [await plain()]);
    await vote(world, passedPlain, alice, VoteSide.For);
    await warpSeconds(bank, VOTING_PERIOD + 1);
    await finalize(world, passedPlain);
    const passedLift = await propose(world, alice, [await unpauseTreasury()]);
    const ended = await propose(world, alice, [await lift()]);
    for (const p of [passedLift, ended]) await vote(world, p, alice, VoteSide.For);
    await warpSeconds(bank, Math.max(TIMELOCK, VOTING_PERIOD)); // the timelock of `passedPlain`, the voting period of `passedLift` and `ended`
    await finalize(world, passedLift);
    const voting = await propose(world, alice, [await lift()]);
    const cancelled = await propose(world, alice, [await lift()]);
    await erin.requestUnstake(100n * MEDIA);
    // and the contributor economy, after the proposals so its stake weighs on none of their quorums:
    // olga serving with dee bound, both earning for an hour; carol and erin unbound
    await fundRewardsPool(economy.bandwidthWorld);
    const dee = await addStaker(economy, 300n * MEDIA);
    await dee.stake(200n * MEDIA);
    const olga = await servingOperator(economy.bandwidthWorld, [dee]);
    await warpSeconds(bank, 3_600);

    // When the guardian pauses both
    await staking.methods.setPaused(true).accounts({ signer: guardian.publicKey }).signers([guardian]).rpc();
    await governance.methods.setPaused(true).accounts({ signer: guardian.publicKey }).signers([guardian]).rpc();

    const s = STAKING_DEFAULTS;
    const g = GOVERNANCE_DEFAULTS;
    const stakeSide = [economy.stakingConfig, economy.stakingVault];
    const delegating = bank.clients.staking;
    const next = async () => proposalPda((await governance.account.governanceConfig.fetch(economy.governance)).proposalCount);
    const rows: Row[] = [
      // media_staking: new risk refused
      {
        program: "staking",
        instruction: "stake",
        expect: "ProgramPaused",
        touched: [dave.tokenAccount, dave.stakeAccount, ...stakeSide],
        send: () => dave.stake(50n * MEDIA),
      },
      {
        program: "staking",
        instruction: "cancel_unstake",
        expect: "ProgramPaused",
        touched: [erin.stakeAccount, ...stakeSide],
        send: () => erin.cancelUnstake(),
      },
      {
        program: "staking",
        instruction: "set_min_stake",
        expect: "ProgramPaused",
        touched: stakeSide,
        send: () => staking.methods.setMinStake(bn(s.minStake)).accounts({ authority: deployer }).rpc(),
      },
      {
        program: "staking",
        instruction: "set_unbonding_period",
        expect: "ProgramPaused",
        touched: stakeSide,
        send: () => staking.methods.setUnbondingPeriod(bn(s.unbondingPeriod)).accounts({ authority: deployer }).rpc(),
      },
      {
        program: "staking",
        instruction: "set_quota_bytes_per_media",
        expect: "ProgramPaused",
        touched: stakeSide,
        send: () => staking.methods.setQuotaBytesPerMedia(bn(s.quotaBytesPerMedia)).accounts({ authority: deployer }).rpc(),
      },
      {
        program: "staking",
        instruction: "set_reward_duration",
        expect: "ProgramPaused",
        touched: stakeSide,
        send: () => staking.methods.setRewardDuration(bn(s.rewardDuration)).accounts({ authority: deployer }).rpc(),
      },
      { program: "staking", instruction: "sync_rewards", expect: "open", touched: [], send: () => staking.methods.syncRewards().rpc() },
      // media_staking, the contributor economy: new operators, bindings and terms refused; syncs, claims and unbinding open
      {
        program: "staking",
        instruction: "open_operator",
        expect: "ProgramPaused",
        touched: [erin.stakeAccount, delegating.operatorPoolAddress(erin.wallet.publicKey), delegating.rewardsPoolAddress(), ...stakeSide],
        send: () => delegating.openOperator(TERMS.commissionBps, TERMS.feeShareBps, { signer: erin.wallet }),
      },
      {
        program: "staking",
        instruction: "set_commission",
        expect: "ProgramPaused",
        touched: [delegating.operatorPoolAddress(olga.wallet.publicKey), delegating.rewardsPoolAddress(), ...stakeSide],
        send: () => delegating.setCommission(TERMS.commissionBps + 500, TERMS.feeShareBps, { signer: olga.wallet }),
      },
      {
        program: "staking",
        instruction: "delegate",
        expect: "ProgramPaused",
        touched: [
          carol.stakeAccount,
          delegating.delegationAddress(carol.wallet.publicKey),
          delegating.operatorPoolAddress(olga.wallet.publicKey),
          delegating.rewardsPoolAddress(),
          ...stakeSide,
        ],
        send: () => delegating.delegate(olga.wallet.publicKey, { signer: carol.wallet }),
      },
      {
        program: "staking",
        instruction: "set_emission_schedule",
        expect: "ProgramPaused",
        touched: [delegating.rewardsPoolAddress(), ...stakeSide],
        send: () => delegating.setEmissionSchedule(s.initialRate, s.halvingPeriod),
      },
      {
        program: "staking",
        instruction: "set_delegation_params",
        expect: "ProgramPaused",
        touched: stakeSide,
        send: () => delegating.setDelegationParams(s.delegationCap, s.commissionNotice),
      },
      { program: "staking", instruction: "release_emissions", expect: "open", touched: [], send: () => delegating.releaseEmissions() },
      { program: "staking", instruction: "sync_operator", expect: "open", touched: [], send: () => delegating.syncOperator(olga.wallet.publicKey) },
      {
        program: "staking",
        instruction: "claim_delegation_rewards",
        expect: "open",
        touched: [],
        send: () => delegating.claimDelegationRewards({ signer: dee.wallet, tokenAccount: dee.tokenAccount }),
      },
      {
        program: "staking",
        instruction: "claim_commission",
        expect: "open",
        touched: [],
        send: () => delegating.claimCommission({ signer: olga.wallet, tokenAccount: olga.tokenAccount }),
      },
      { program: "staking", instruction: "undelegate", expect: "open", touched: [], send: () => delegating.undelegate({ signer: dee.wallet }) },
      // media_staking: the way out, funding, votes and roles open
      { program: "staking", instruction: "request_unstake", expect: "open", touched: [], send: () => carol.requestUnstake(100n * MEDIA) },
      { program: "staking", instruction: "withdraw", expect: "open", touched: [], send: () => bob.withdraw() },
      { program: "staking", instruction: "fund_rewards", expect: "open", touched: [], send: () => sponsor.fundRewards(MEDIA) },
      { program: "staking", instruction: "claim_rewards", expect: "open", touched: [], send: () => alice.claimRewards() },
      { program: "staking", instruction: "lock_stake", expect: "open", touched: [], send: () => vote(world, voting, alice, VoteSide.For) }, // through cast_vote
      {
        program: "staking",
        instruction: "set_authority",
        expect: "open",
        touched: [],
        send: () => staking.methods.setAuthority(deployer).accounts({ authority: deployer }).rpc(),
      },
      {
        program: "staking",
        instruction: "set_pause_authority",
        expect: "open",
        touched: [],
        send: () => staking.methods.setPauseAuthority(guardian.publicKey).accounts({ authority: deployer }).rpc(),
      },
      // media_governance: new risk refused
      {
        program: "governance",
        instruction: "set_params",
        expect: "ProgramPaused",
        touched: [economy.governance],
        send: () =>
          governance.methods
            .setParams(bn(g.votingPeriod), g.quorumBps, bn(g.proposalThreshold), bn(g.timelock), bn(g.executionWindow))
            .accounts({ authority: deployer })
            .rpc(),
      },
      {
        program: "governance",
        instruction: "add_instruction",
        expect: "OnlyPauseLiftsWhilePaused",
        touched: [economy.governance, await next()],
        send: async () => propose(world, alice, [await plain()]),
      },
      {
        program: "governance",
        instruction: "execute",
        expect: "OnlyPauseLiftsWhilePaused",
        touched: [passedPlain, economy.governance, economy.treasuryConfig],
        send: () => execute(world, passedPlain),
      },
      // media_governance: proposals that lift, votes, finalize, cancel and roles open
      { program: "governance", instruction: "create_proposal", expect: "open", touched: [], send: async () => propose(world, alice, [await lift()]) }, // with its add_instruction
      {
        program: "governance",
        instruction: "add_instruction",
        expect: "open",
        touched: [],
        send: async () => propose(world, alice, [await lift(), await lift()]),
      },
      { program: "governance", instruction: "cast_vote", expect: "open", touched: [], send: () => vote(world, voting, carol, VoteSide.Against) },
      { program: "governance", instruction: "finalize", expect: "open", touched: [], send: () => finalize(world, ended) },
      {
        program: "governance",
        instruction: "cancel",
        expect: "open",
        touched: [],
        send: () => governance.methods.cancel().accounts({ proposer: alice.wallet.publicKey, proposal: cancelled }).signers([alice.wallet]).rpc(),
      },
      { program: "governance", instruction: "execute", expect: "open", touched: [], send: () => execute(world, passedLift) },
      {
        program: "governance",
        instruction: "set_authority",
        expect: "open",
        touched: [],
        send: () => governance.methods.setAuthority(deployer).accounts({ authority: deployer }).rpc(),
      },
      {
        program: "governance",
        instruction: "set_pause_authority",
        expect: "open",
        touched: [],
        send: () => governance.methods.setPauseAuthority(guardian.publicKey).accounts({ authority: deployer }).rpc(),
      },
      // Last: lifting the pauses
      {
        program: "staking",
        instruction: "set_paused",
        expect: "open",
        touched: [],
        send: () => staking.methods.setPaused(false).accounts({ signer: deployer }).rpc(),
      },
      {
        program: "governance",
        instruction: "set_paused",
        expect: "open",
        touched: [],
        send: () => governance.methods.setPaused(false).accounts({ signer: deployer }).rpc(),
      },
    ];
    const now = await unixTimestamp(bank);
    expect(isPausedAt((await staking.account.stakingConfig.fetch(economy.stakingConfig)).pause, now)).to.equal(true);
    for (const row of rows) await run("pause-then-govern", row);
    // Every instruction of both programs had its row (or does not apply)
    for (const [program, idl] of [
      ["staking", stakingIdl],
      ["governance", governanceIdl],
    ] as const) {
      const expected = (idl as unknown as Idl).instructions
        .map((i) => i.name)
        .filter((name) => !notApplicable[name])
        .sort();
      expect([...covered[program]].sort(), `pause-then-govern covers every ${program} instruction`).to.deep.equal(expected);
    }
  });

  it("stake between create and vote: stake added after create_proposal weighs nothing (cast_vote)", async () => {
    const world = economy.governanceWorld;
    const [proposer, late, topUp] = await Promise.all([1_000n, 1_000n, 1_000n].map((m) => addStaker(economy, m * MEDIA)));
    await proposer.stake(200n * MEDIA);
    await topUp.stake(100n * MEDIA);
    const setPauseKey = await bank.programs.treasury.methods.setPauseAuthority(guardian.publicKey).accounts({ authority: economy.governance }).instruction();
    const built = await proposalInstructions(bank.programs.governance, {
      proposer: proposer.wallet.publicKey,
      descriptionUri: "ipfs://late",
      descriptionHash: new Array(32).fill(5),
      instructions: [setPauseKey, setPauseKey],
    });
    const [create, first, last] = built.instructions;
    await bank.provider.sendAndConfirm(new Transaction().add(create, first), [proposer.wallet]);
    await late.stake(500n * MEDIA);
    await topUp.stake(500n * MEDIA);
    await bank.provider.sendAndConfirm(new Transaction().add(last), [proposer.wallet]);
    await run("stake between create and vote", {
      program: "governance",
      instruction: "cast_vote",
      expect: "NoVoteWeight",
      touched: [built.proposal, late.stakeAccount],
      send: () => vote(world, built.proposal, late, VoteSide.For),
    });
    await run("stake between create and vote", {
      program: "governance",
      instruction: "cast_vote",
      expect: "open",
      touched: [],
      send: () => vote(world, built.proposal, topUp, VoteSide.For),
    });
    // Only the top-up's voter voted: the tally is its weight, the stake it had at creation
    expect((await bank.programs.governance.account.proposal.fetch(built.proposal)).votesFor.toString()).to.equal((100n * MEDIA).toString());
  });

  it("stored lock_stake: no proposal locks stake or has the vote authority sign (add_instruction)", async () => {
    const world = economy.governanceWorld;
    const [proposer, victim] = await Promise.all([1_000n, 1_000n].map((m) => addStaker(economy, m * MEDIA)));
    await proposer.stake(200n * MEDIA);
    await victim.stake(200n * MEDIA);
    const until = bn((await unixTimestamp(bank)) + BigInt(59 * DAY));
    const governance = bank.programs.governance;
    for (const signer of [economy.governance, voteAuthorityPda()]) {
      const lock = await bank.programs.staking.methods
        .lockStake(bn(0n), until)
        .accounts({ voteAuthority: signer, stakeAccount: victim.stakeAccount })
        .instruction();
      const next = proposalPda((await governance.account.governanceConfig.fetch(economy.governance)).proposalCount);
      await run("stored lock_stake", {
        program: "governance",
        instruction: "add_instruction",
        expect: "StoredVoteLock",
        touched: [economy.governance, next, victim.stakeAccount],
        send: () => propose(world, proposer, [lock]),
      });
    }
    const signedByVoteAuthority = await bank.programs.treasury.methods
      .setPauseAuthority(guardian.publicKey)
      .accounts({ authority: voteAuthorityPda() })
      .instruction();
    const next = proposalPda((await governance.account.governanceConfig.fetch(economy.governance)).proposalCount);
    await run("stored lock_stake", {
      program: "governance",
      instruction: "add_instruction",
      expect: "InvalidStoredSigner",
      touched: [economy.governance, next],
      send: () => propose(world, proposer, [signedByVoteAuthority]),
    });
  });

  after(() => process.stdout.write(`      scenario classes: ${JSON.stringify(counts)}\n`));
});

/**
 * Attack classes that play out over time or across accounts' lifetimes, each against every
 * instruction where it applies, on a bank of their own (they move the clock and pause
 * programs): a pause used to run out a deadline (`close_escrow`), a receipt replayed on a
 * closed and reopened escrow (`settle_receipt`), and fee vaults prepared with a close
 * authority or a delegate (`initialize_config` of the treasury, which is where vaults are
 * accepted). Each attack is refused with a named error and changes nothing; then the honest
 * path still works.
 */
describe("economy: hostile scenarios across time and account lifetimes", function () {
  this.timeout(600_000);
  let bank: Bank;
  let economy: Economy;
  let operator: Operator;
  let guardian: Keypair;

  const refused = (touched: PublicKey[], error: string, attack: () => Promise<unknown>) => expectRefused(bank, touched, error, attack);

  before(async () => {
    bank = await startBank();
    economy = await setUpEconomy(bank);
    operator = await addOperator(economy, 100n * MEDIA);
    guardian = Keypair.generate();
    await airdrop(bank, guardian.publicKey);
    await bank.programs.bandwidth.methods.setPauseAuthority(guardian.publicKey).accounts({ authority: economy.deployer.publicKey }).rpc();
  });

  it("pause-then-close-escrow: a guardian's pause does not run out the dispute window (close_escrow)", async () => {
    // Given a consumer who signed for data it was served, then asked for its deposit back
    const consumer = await addConsumer(economy, 100n * MEDIA, 0n);
    const handle = await addEscrow(economy, consumer, operator, economy.mediaMint, 10n * MEDIA);
    const served = handle.channel.pay(GIB, 3n * MEDIA);
    await requestClose(economy.bandwidthWorld, handle);
    // When a colluding guardian pauses bandwidth until the window's wall time has passed
    await bank.programs.bandwidth.methods.setPaused(true).accounts({ signer: guardian.publicKey }).signers([guardian]).rpc();
    await warpSeconds(bank, 2 * DAY);
    // Then the consumer cannot close, and the provider's settlement waits for the unpause
    const touched = [...settleAccounts(economy.bandwidthWorld, handle), handle.consumerAccount];
    await refused(touched, "DisputeWindowOpen", () => closeEscrow(economy.bandwidthWorld, handle));
    await refused(touched, "ProgramPaused", () => settle(economy.bandwidthWorld, handle, served));
    await bank.programs.bandwidth.methods.setPaused(false).accounts({ signer: economy.deployer.publicKey }).rpc();
    await refused(touched, "DisputeWindowOpen", () => closeEscrow(economy.bandwidthWorld, handle));
    await settle(economy.bandwidthWorld, handle, served);
    await warpSeconds(bank, DAY);
    await closeEscrow(economy.bandwidthWorld, handle);
    await checkInvariants(economy, "after pause-then-close-escrow");
  });

  it("close-reopen-replay: a receipt of a closed escrow never pays on the reopened one (settle_receipt)", async () => {
    const consumer = await addConsumer(economy, 100n * MEDIA, 100n * MEDIA);
    for (const mint of [economy.mediaMint, economy.quoteMint]) {
      // Given a settled receipt R, then a close and a reopen of the same escrow with a new deposit
      const first = await addEscrow(economy, consumer, operator, mint, 10n * MEDIA);
      const r = first.channel.pay(2n * GIB, 2n * MEDIA);
      await settle(economy.bandwidthWorld, first, r);
      await requestClose(economy.bandwidthWorld, first);
      await warpSeconds(bank, DAY);
      await closeEscrow(economy.bandwidthWorld, first);
      const second = await addEscrow(economy, consumer, operator, mint, 10n * MEDIA);
      expect(second.escrow.equals(first.escrow)).to.equal(true);
      // Then the provider's replay of R is refused, changing nothing
      const touched = settleAccounts(economy.bandwidthWorld, second);
      await refused(touched, "ReceiptNonceMismatch", () => settle(economy.bandwidthWorld, second, r));
      // And the consumer's receipts for the new lifetime pay as usual
      await settle(economy.bandwidthWorld, second, second.channel.pay(GIB, MEDIA));
    }
    await checkInvariants(economy, "after close-reopen-replay");
  });

  it("vault with close authority or delegate: refused wherever a vault is accepted (treasury initialize_config)", async () => {
    // A fresh bank whose treasury is not initialized yet: vaults are accepted only there
    const genesis = await startBank();
    const mediaMint = await createMint(genesis, 6);
    const quoteMint = await createMint(genesis, 6);
    await genesis.provider.sendAndConfirm(new Transaction().add(...createTreasuryVaultsInstructions(genesis.payer.publicKey, mediaMint, quoteMint)));
    const vaults = { mediaMint, quoteMint, mediaVault: treasuryVaultAddress(mediaMint), quoteVault: treasuryVaultAddress(quoteMint) };
    const preparer = Keypair.generate();
    await airdrop(genesis, preparer.publicKey);
    const config = treasuryConfigPda();
    for (const [slot, mint] of [
      ["mediaVault", mediaMint],
      ["quoteVault", quoteMint],
    ] as const) {
      // Kept a close authority, then handed the account to the treasury config
      const closable = await closableTokenAccount(genesis, mint, preparer, config);
      // The canonical vault itself, with a delegate (written directly; SPL Token cannot)
      const canonical = vaults[slot];
      const original = await genesis.runtime.getAccount(canonical);
      if (!original) throw new Error("no vault");
      const delegated = withDelegate(original.data, preparer.publicKey);
      const attacks: [string, PublicKey, () => Promise<void>, () => Promise<void>][] = [
        ["TokenAccountClosable", closable, async () => {}, async () => {}],
        [
          "TokenAccountDelegated",
          canonical,
          () => genesis.runtime.setAccount(canonical, { ...original, data: delegated }),
          () => genesis.runtime.setAccount(canonical, original),
        ],
      ];
      for (const [error, vault, stage, restore] of attacks) {
        await stage();
        const before = await snapshot(genesis, [config, vaults.mediaVault, vaults.quoteVault, vault]);
        await expectProgramError(sendInstruction(genesis, await initializeIx(genesis, { ...vaults, [slot]: vault })), error);
        await expectUnchanged(genesis, before);
        await restore();
      }
    }
    // The honest genesis: the config's own associated token accounts
    await sendInstruction(genesis, await initializeIx(genesis, vaults));
    const treasury = await genesis.programs.treasury.account.treasuryConfig.fetch(config);
    expect(treasury.mediaVault.equals(vaults.mediaVault)).to.equal(true);
  });
});

describe("economy: hostile market participants who fake usage or reprice (issue 14)", function () {
  this.timeout(600_000);
  let bank: Bank;
  let economy: Economy;
  /** An operator listing 10 MEDIA per GiB, with quota for 100 GiB a day. */
  let operator: Operator;

  const refused = (touched: PublicKey[], error: string, attack: () => Promise<unknown>) => expectRefused(bank, touched, error, attack);

  before(async () => {
    bank = await startBank();
    economy = await setUpEconomy(bank);
    operator = await addOperator(economy, 100n * MEDIA, { media: 10n * MEDIA, quote: 10n * MEDIA });
  });

  it("underpriced receipt: 100 GiB for 1 base unit against a 10 MEDIA/GiB escrow (settle_receipt: Underpriced)", async () => {
    const consumer = await addConsumer(economy, 2_000n * MEDIA, 2_000n * MEDIA);
    for (const mint of [economy.mediaMint, economy.quoteMint]) {
      const handle = await addEscrow(economy, consumer, operator, mint, 1_000n * MEDIA);
      const touched = settleAccounts(economy.bandwidthWorld, handle);
      for (const amount of [1n, 1_000n * MEDIA - 1n]) {
        const cheap = signReceipt(consumer.wallet, handle.escrow, handle.nonce, 100n * GIB, amount);
        await refused(touched, "Underpriced", () => settle(economy.bandwidthWorld, handle, cheap));
      }
    }
    await checkInvariants(economy, "after underpriced receipts");
  });

  it("free usage: bytes grow while the amount stays (settle_receipt: StaleReceipt)", async () => {
    const consumer = await addConsumer(economy, 100n * MEDIA, 0n);
    const handle = await addEscrow(economy, consumer, operator, economy.mediaMint, 50n * MEDIA);
    const paid = handle.channel.pay(GIB);
    await settle(economy.bandwidthWorld, handle, paid);
    const touched = settleAccounts(economy.bandwidthWorld, handle);
    for (const more of [1n, GIB, 1_000n * GIB]) {
      const free = signReceipt(consumer.wallet, handle.escrow, handle.nonce, paid.cumulativeBytes + more, paid.cumulativeAmount);
      await refused(touched, "StaleReceipt", () => settle(economy.bandwidthWorld, handle, free));
    }
    await checkInvariants(economy, "after free-usage receipts");
  });

  it("repricing an open escrow: a price cut after open does not lower what it pays (update_provider, settle_receipt: Underpriced)", async () => {
    // Given a provider and consumer who collude: the escrow opens at 10 MEDIA/GiB, then the price drops to 1 base unit
    const consumer = await addConsumer(economy, 100n * MEDIA, 0n);
    const handle = await addEscrow(economy, consumer, operator, economy.mediaMint, 50n * MEDIA);
    const setPrices = (media: bigint) =>
      bank.programs.bandwidth.methods
        .updateProvider(bn(media), bn(10n * MEDIA))
        .accountsPartial({ operator: operator.wallet.publicKey, stakingConfig: stakingConfigPda(), stakeAccount: operator.stakeAccount })
        .signers([operator.wallet])
        .rpc();
    await setPrices(1n);
    // Then the open escrow still pays its recorded price
    const cheap = signReceipt(consumer.wallet, handle.escrow, handle.nonce, 10n * GIB, 10n);
    await refused(settleAccounts(economy.bandwidthWorld, handle), "Underpriced", () => settle(economy.bandwidthWorld, handle, cheap));
    await settle(economy.bandwidthWorld, handle, handle.channel.pay(GIB));
    await setPrices(10n * MEDIA);
    await checkInvariants(economy, "after repricing");
  });

  it("self-dealing operator: an escrow from the operator to its own provider (open_escrow: SelfDealing)", async () => {
    const self = { wallet: operator.wallet, mediaAccount: operator.mediaAccount, quoteAccount: operator.quoteAccount };
    for (const mint of [economy.mediaMint, economy.quoteMint]) {
      const handle = escrowOf(economy.bandwidthWorld, self, operator, mint);
      await refused([handle.escrow, handle.vault, operator.provider, economy.bandwidthWorld.config], "SelfDealing", () =>
        bank.programs.bandwidth.methods
          .openEscrow()
          .accounts({ consumer: operator.wallet.publicKey, provider: operator.provider, mint })
          .signers([operator.wallet])
          .rpc(),
      );
    }
    await checkInvariants(economy, "after self-dealing");
  });
});
