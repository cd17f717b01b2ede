/**
 * The model-checked random run as an engine shared by `model.test.ts`, the soak
 * (`npm run soak`) and the regression replays: one economy (six stakers, two operators, four
 * consumers with an escrow each, a sponsor), operations drawn from a seed against the
 * reference model (`model.ts`), each run on-chain and in the model. After every operation the
 * accounts it touched must agree with the model to the base unit; a refusal must carry the
 * model's error and leave those accounts byte-identical; every `fullCheckEvery` operations the
 * whole economy is compared and `checkInvariants` runs.
 *
 * An operation is plain data (`Op`), drawn from the model's state but carrying every value it
 * needs, so a recorded list replays from genesis with any operations removed: that is how a
 * failing run shrinks to a minimal sequence (`shrink`).
 */
import { type KeyObject, createPrivateKey, sign as ed25519Sign } from "node:crypto";
import { type Keypair, type PublicKey, Transaction, type TransactionInstruction, VersionedTransaction } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import { VoteSide, operatorPoolPda, providerPda, signReceipt } from "../../sdk/src";
import { type AccountSnapshot, expectProgramError, expectUnchanged, snapshot } from "../utils/assertions";
import { type Consumer, type EscrowHandle, type Operator, settleInstructions } from "../utils/bandwidth";
import { type Bank, startBank, unixTimestamp, warpSeconds } from "../utils/bank";
import {
  type Economy,
  addConsumer,
  addEscrow,
  addOperator,
  addStaker,
  addTokenAccount,
  balanceOf,
  checkInvariants,
  fundMedia,
  setUpEconomy,
  supplyOf,
} from "../utils/economy";
import { execute, executeInstruction, finalize, handOverStaking, propose, vote } from "../utils/governance";
import { RuntimeTransactionError } from "../../sdk/src/testing";
import type { Staker } from "../utils/staking";
import { mintTo } from "../utils/token";
import { TEST_INITIAL_PRICE } from "../utils/treasury";
import { EconomyModel, GIB, MEDIA, type Outcome, type Pausable, type Random, type StakingParameter } from "./model";
import { BOUNDS, DAY, REWARD_SCALE } from "../utils/constants";

/** One operation, as recorded and replayed (amounts as decimal strings: JSON has no bigint). */
export interface Op {
  k: string;
  /** A stake position (0-5 stakers, 6-7 operators). */
  p?: number;
  /** An escrow. */
  e?: number;
  a?: string;
  b?: string;
}

const PAUSABLE: readonly Pausable[] = ["staking", "bandwidth", "treasury"];
const big = (value: { toString(): string }) => BigInt(value.toString());

/** Native Ed25519 signing (node:crypto): the JS signer costs milliseconds per signature. */
const keys = new WeakMap<Keypair, KeyObject>();
const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");
function keyOf(keypair: Keypair): KeyObject {
  let key = keys.get(keypair);
  if (!key) {
    key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, Buffer.from(keypair.secretKey.subarray(0, 32))]), format: "der", type: "pkcs8" });
    keys.set(keypair, key);
  }
  return key;
}

/** Sends `instructions` signed by the payer and `signers`, as `RuntimeProvider` does but without its JS signing and re-verification. */
async function send(bank: Bank, instructions: TransactionInstruction[], signers: Keypair[] = []): Promise<void> {
  const tx = new Transaction().add(...instructions);
  tx.feePayer = bank.payer.publicKey;
  tx.recentBlockhash = await bank.runtime.latestBlockhash();
  const message = tx.compileMessage();
  const bytes = message.serialize();
  const versioned = new VersionedTransaction(message);
  const bySigner = new Map([bank.payer, ...signers].map((k) => [k.publicKey.toBase58(), k]));
  for (let i = 0; i < message.header.numRequiredSignatures; i++) {
    const signer = bySigner.get(message.accountKeys[i].toBase58());
    if (!signer) throw new Error(`no signer for ${message.accountKeys[i].toBase58()}`);
    versioned.signatures[i] = ed25519Sign(null, bytes, keyOf(signer));
  }
  const result = await bank.runtime.process(versioned);
  await bank.runtime.nextBlockhash();
  if (result.error) throw new RuntimeTransactionError(`Transaction failed: ${result.error}`, result.logs);
}

/** `ix` with its arguments replaced by `values` as little-endian u64s (after the 8-byte discriminator). */
function withU64s(ix: TransactionInstruction, ...values: bigint[]): TransactionInstruction {
  const data = Buffer.alloc(8 + 8 * values.length);
  ix.data.copy(data, 0, 0, 8);
  for (const [i, value] of values.entries()) data.writeBigUInt64LE(BigInt.asUintN(64, value), 8 + 8 * i);
  return { programId: ix.programId, keys: ix.keys, data } as TransactionInstruction;
}

/** One position: a stake account and the wallet's MEDIA token account. */
interface Position {
  staker: Staker;
  wallet: string;
}

export interface EngineOptions {
  runtime?: "bankrun" | "litesvm";
  /** Compare every account and run `checkInvariants` every this many operations (and at the end). */
  fullCheckEvery?: number;
}

export class Engine {
  readonly counts: Record<string, number> = {};
  readonly outcomes: Record<string, number> = {};
  operations = 0;
  refusals = 0;
  private readonly ixCache = new Map<string, TransactionInstruction>();

  private constructor(
    readonly bank: Bank,
    readonly economy: Economy,
    readonly model: EconomyModel,
    readonly positions: Position[],
    readonly operators: Operator[],
    readonly consumers: Consumer[],
    readonly escrows: EscrowHandle[],
    readonly sponsor: Staker,
    readonly takerQuote: PublicKey,
    readonly accounts: Map<string, PublicKey>,
    readonly fullCheckEvery: number,
  ) {}

  /** Genesis: the economy and its cast, in the bank and in the model. */
  static async create(options: EngineOptions = {}): Promise<Engine> {
    const bank = await startBank(options.runtime);
    const economy = await setUpEconomy(bank);
    const { staking, bandwidth, treasury } = economy.params;
    const model = new EconomyModel({
      ...staking,
      protocolFeeBps: BigInt(bandwidth.protocolFeeBps),
      stakerShareBps: BigInt(bandwidth.stakerShareBps),
      quotaWindow: bandwidth.quotaWindow,
      disputeWindow: bandwidth.disputeWindow,
      auctionInterval: treasury.auctionInterval,
      auctionDuration: treasury.auctionDuration,
      maxLot: treasury.maxLot,
      initialPrice: TEST_INITIAL_PRICE,
      premiumBps: BigInt(treasury.premiumBps),
      floorBps: BigInt(treasury.floorBps),
      minFillBps: BigInt(treasury.minFillBps),
      minSoldBps: BigInt(treasury.minSoldBps),
      maxStepBps: BigInt(treasury.maxStepBps),
    });
    model.now = await unixTimestamp(bank);
    model.genesis(economy.genesisSupply.media);
    const accounts = new Map<string, PublicKey>();
    const positions: Position[] = [];
    for (let i = 0; i < 6; i++) {
      const staker = await addStaker(economy, 2_000n * MEDIA);
      const wallet = `w${i}`;
      model.addStake();
      model.fund(wallet, 2_000n * MEDIA);
      accounts.set(wallet, staker.tokenAccount);
      positions.push({ staker, wallet });
    }
    const takerQuote = await addTokenAccount(economy, economy.quoteMint, positions[0].staker.wallet.publicKey);
    accounts.set("w0:quote", takerQuote);
    const operators: Operator[] = [];
    for (let k = 0; k < 2; k++) {
      const stakeAmount = (80n + 40n * BigInt(k)) * MEDIA;
      const operator = await addOperator(economy, stakeAmount);
      const index = model.addStake();
      const wallet = `w${index}`;
      model.fund(wallet, stakeAmount);
      expect(model.stake(index, wallet, stakeAmount)).to.equal(undefined);
      const provider = await bank.programs.bandwidth.account.provider.fetch(operator.provider);
      model.addProvider(index, big(provider.mediaPricePerGib), big(provider.quotePricePerGib));
      accounts.set(wallet, operator.mediaAccount);
      accounts.set(`${wallet}:quote`, operator.quoteAccount);
      positions.push({ staker: operator, wallet });
      operators.push(operator);
    }
    const consumers: Consumer[] = [];
    const escrows: EscrowHandle[] = [];
    for (let j = 0; j < 4; j++) {
      const consumer = await addConsumer(economy, 500n * MEDIA, 500n * MEDIA);
      const wallet = `c${j}`;
      model.fund(wallet, 500n * MEDIA);
      model.fundQuote(wallet, 500n * MEDIA);
      accounts.set(wallet, consumer.mediaAccount);
      accounts.set(`${wallet}:quote`, consumer.quoteAccount);
      const isMedia = j < 3;
      const handle = await addEscrow(economy, consumer, operators[j % 2], isMedia ? economy.mediaMint : economy.quoteMint, 0n);
      const e = model.addEscrow(j % 2, isMedia);
      expect([model.escrows[e].nonce, model.escrows[e].pricePerGib]).to.deep.equal([handle.nonce, handle.pricePerGib]);
      accounts.set(`escrow:${e}`, handle.vault);
      consumers.push(consumer);
      escrows.push(handle);
    }
    // A council whose stake carries any vote, and staking's authority handed to governance:
    // staking's parameters change only by proposal from then on (the deployer stays its guardian)
    const council = await addStaker(economy, 50_000n * MEDIA);
    await send(
      bank,
      [
        await bank.programs.staking.methods
          .stake(bn(50_000n * MEDIA))
          .accounts({ owner: council.wallet.publicKey, ownerTokenAccount: council.tokenAccount })
          .instruction(),
      ],
      [council.wallet],
    );
    const councilIndex = model.addStake();
    model.fund(`w${councilIndex}`, 50_000n * MEDIA);
    expect(model.stake(councilIndex, `w${councilIndex}`, 50_000n * MEDIA)).to.equal(undefined);
    accounts.set(`w${councilIndex}`, council.tokenAccount);
    positions.push({ staker: council, wallet: `w${councilIndex}` });
    await handOverStaking(economy.governanceWorld);
    await send(bank, [
      await bank.programs.bandwidth.methods.setAuthority(economy.governance).accounts({ authority: economy.deployer.publicKey }).instruction(),
    ]);
    economy.params.authorities.staking = economy.governance;
    economy.params.authorities.bandwidth = economy.governance;
    model.governed.add("staking");
    model.governed.add("bandwidth");
    const sponsor = await addStaker(economy, 100_000_000n * MEDIA);
    model.fund("sponsor", 100_000_000n * MEDIA);
    accounts.set("sponsor", sponsor.tokenAccount);
    accounts.set("staking:vault", economy.stakingVault);
    accounts.set("treasury:media", economy.treasuryMediaVault);
    accounts.set("treasury:quote", economy.treasuryQuoteVault);
    return new Engine(bank, economy, model, positions, operators, consumers, escrows, sponsor, takerQuote, accounts, options.fullCheckEvery ?? 500);
  }

  /** Draws the next operation from `rng` and the model's state. */
  draw(rng: Random): Op {
    const model = this.model;
    const kind = rng.int(1000);
    // Operators' own positions are drawn rarely: an operator below the minimum cannot settle
    const p = rng.next() < 0.1 ? 6 + rng.int(2) : rng.int(6);
    const s = (v: bigint | number) => v.toString();
    if (kind < 110) {
      const amount = rng.next() < 0.15 ? rng.big(model.params.minStake) : rng.big(200n * MEDIA) + 1n;
      return { k: "stake", p, a: s(amount) };
    }
    if (kind < 190) {
      const active = model.stakes[p].active;
      return { k: "request_unstake", p, a: s(rng.next() < 0.4 ? active : rng.big(active + 2n)) };
    }
    if (kind < 230) return { k: "cancel_unstake", p };
    if (kind < 280) return { k: "withdraw", p };
    if (kind < 320) return { k: "fund_rewards", a: s(rng.next() < 0.3 ? rng.big(7n) : rng.big(20n * MEDIA) + 1n) };
    if (kind < 380) return { k: "claim_rewards", p };
    if (kind < 396) return { k: "sync_rewards" };
    // A staker turns operator mid-run (refused below the minimum, without a stake, or a second time)
    if (kind < 400) {
      const price = () => (rng.next() < 0.1 ? 0n : BigInt(10_000 + rng.int(200_000)));
      return { k: "register_provider", p: 1 + rng.int(5), a: s(price()), b: s(price()) };
    }
    // A proposal that changes a staking parameter: proposed, voted, finalized, executed after the timelock
    if (kind < 405) {
      if (rng.next() < 0.4) {
        // bandwidth's fee split and windows: protocol fee, stakers' share, quota window, dispute window
        const values = [
          rng.pick([0, 500, 1_000, 2_000, 5_000]),
          rng.pick([0, 2_500, 5_000, 10_000]),
          rng.pick([3_600, DAY, 7 * DAY]),
          rng.pick([3_600, DAY, 3 * DAY]),
        ];
        return { k: "governance", b: "bandwidth", a: values.join("/") };
      }
      const r = rng.next();
      if (r < 0.2) return { k: "governance", b: "unbondingPeriod", a: s(rng.pick([3_600, DAY, 7 * DAY, 14 * DAY]) + rng.int(3_600)) };
      if (r < 0.4) return { k: "governance", b: "quotaBytesPerMedia", a: s(rng.pick([GIB / 4n, GIB, 4n * GIB])) };
      return rng.next() < 0.5
        ? { k: "governance", b: "rewardDuration", a: s(rng.pick([DAY, 3 * DAY, 7 * DAY, 30 * DAY]) + rng.int(DAY)) }
        : { k: "governance", b: "minStake", a: s(rng.pick([5n, 25n, 60n, 150n]) * MEDIA) };
    }
    // A stranger tries to take over a program or its guardian role: refused by name
    // (or to set a staking parameter that only governance may set)
    if (kind < 408) return { k: "stranger", e: rng.int(4), a: rng.pick(["authority", "pause", "unbondingPeriod", "quotaBytesPerMedia"]) };
    // The treasury's authority (still the deployer) pays out of a vault: a grant, never the
    // part of the quote vault a running auction still offers
    if (kind < 412) {
      const quote = rng.next() < 0.5;
      const held = model.balance(quote ? "treasury:quote" : "treasury:media");
      const r = rng.next();
      const amount = r < 0.1 ? 0n : r < 0.3 ? held + 1n + rng.big(MEDIA) : rng.big(held / 4n + 1n) + 1n;
      return { k: "spend", e: quote ? 1 : 0, a: s(amount), b: rng.next() < 0.1 ? "stranger" : undefined };
    }
    if (kind < 415) {
      // New auction parameters, now and then one out of its bounds (or a duration beyond the interval)
      const interval = BigInt(rng.pick([3_600, DAY, 2 * DAY]));
      const values = [
        interval,
        rng.pick([600n, 21_600n, interval]),
        rng.pick([1_000n * MEDIA, 10_000n * MEDIA, 50_000n * MEDIA]),
        rng.pick([2_500, 10_000, 30_000]),
        rng.pick([1_000, 5_000, 8_000]),
        rng.pick([1, 100, 1_000]),
        rng.pick([1_000, 5_000, 10_000]),
        rng.pick([100, 2_000]),
      ].map(BigInt);
      if (rng.next() < 0.25) {
        const bad = rng.int(8);
        values[bad] = [59n, interval + 1n, 0n, 2_499n, 8_001n, 0n, 10_001n, 99n][bad];
      }
      return { k: "set_auction_params", a: values.join("/") };
    }
    // Pause windows: on (14 days unless lifted) and off, for each program
    if (kind < 430) return { k: "set_paused", e: rng.int(3), a: rng.next() < 0.45 ? "1" : "0" };
    if (kind < 436) {
      // the market moved: the authority re-anchors the buyback (refused while an auction runs)
      // (a price outside [1, 10^18] is refused by name)
      const r = rng.next();
      const price = r < 0.05 ? 0n : r < 0.1 ? BOUNDS.treasury.price[1] + 1n : (TEST_INITIAL_PRICE * BigInt(50 + rng.int(150))) / 100n;
      return { k: "set_reference_price", a: s(price) };
    }
    if (kind < 480) {
      const e = rng.int(this.escrows.length);
      return { k: "deposit", e, a: s(rng.next() < 0.1 ? 0n : rng.big(30n * MEDIA) + 1n) };
    }
    // An escrow's lifetime: request_close starts the dispute window (frozen while paused),
    // close_escrow refunds after it, open_escrow starts the next lifetime at the provider's price then
    if (kind < 485) return { k: "request_close", e: rng.int(this.escrows.length) };
    if (kind < 493) return { k: "close_escrow", e: rng.int(this.escrows.length) };
    if (kind < 507) return { k: "open_escrow", e: rng.int(this.escrows.length) };
    if (kind < 516) {
      const price = () => (rng.next() < 0.05 ? 0n : BigInt(10_000 + rng.int(200_000)));
      return { k: "update_provider", p: rng.int(2), a: s(price()), b: s(price()) };
    }
    if (kind < 517) return { k: "deactivate_provider", p: rng.int(2) };
    // A consumer buys more MEDIA or quote, so long soaks keep paying for bandwidth
    if (kind < 519) return { k: "top_up", e: rng.int(this.escrows.length), a: s(100n * MEDIA) };
    if (kind < 730) {
      const e = rng.int(this.escrows.length);
      const escrow = model.escrows[e];
      // Most of the time the consumer moves a closing or closed escrow on, rather than the provider settling
      if (!escrow.open && rng.next() < 0.8) return { k: "open_escrow", e };
      if (escrow.open && escrow.closeRequestedAt !== 0n && rng.next() < (model.disputeOver(e) ? 0.8 : 0.5)) return { k: "close_escrow", e };
      const shape = rng.int(10);
      let bytes: bigint;
      let amount: bigint;
      if (shape === 0 && escrow.settledBytes > 0n) {
        // a replay of the newest settled receipt
        [bytes, amount] = [escrow.settledBytes, escrow.settledAmount];
      } else if (shape === 1 && escrow.settledAmount > 0n) {
        // more bytes for a lower cumulative amount
        [bytes, amount] = [escrow.settledBytes + GIB, escrow.settledAmount - 1n];
      } else {
        const more = rng.big(25n * GIB) + 1n;
        // shape 3: below the escrow's price; shape 2: beyond the escrow's balance
        const fair = (more * escrow.pricePerGib + GIB - 1n) / GIB;
        const paid = shape === 3 ? (fair > 0n ? fair - 1n : 0n) : shape === 2 ? rng.big(200n * MEDIA) : fair + rng.big(MEDIA);
        [bytes, amount] = [escrow.settledBytes + more, escrow.settledAmount + paid];
      }
      return { k: "settle", e, a: s(bytes), b: s(amount) };
    }
    if (kind < 780) return { k: "burn_fees" };
    if (kind < 830) return { k: "start_auction" };
    if (kind < 900) {
      const r = rng.next();
      // dust fills (below min_fill_bps of the lot, not counted in the VWAP) and counted ones
      const quote = r < 0.05 ? 0n : r < 0.15 ? 10n ** 15n : r < 0.5 ? rng.big(model.lot / 100n + 1n) + 1n : rng.big(model.lotRemaining + 2n) + 1n;
      const live = model.auctionLive();
      const cost = live ? model.mediaFor(quote < model.lotRemaining ? quote : model.lotRemaining) : 0n;
      const maxIn = rng.next() < 0.2 && cost > 0n ? cost - 1n : cost + rng.big(MEDIA);
      return { k: "take", a: s(quote), b: s(maxIn) };
    }
    // Time jumps across every period: the auction's end (6 h) and interval (1 day), the quota
    // window (1 day), the unbonding period (7 days), the reward period (1-30 days)
    return { k: "warp", a: s(rng.pick([1, 60, 3_600, 6 * 3_600 + 1, DAY, DAY + 1, 3 * DAY, 7 * DAY + 1, 8 * DAY, 31 * DAY])) };
  }

  /** A cached Anchor instruction for `key`, built once (its u64 arguments are patched per use). */
  private async ix(key: string, build: () => Promise<TransactionInstruction>): Promise<TransactionInstruction> {
    let ix = this.ixCache.get(key);
    if (!ix) {
      ix = await build();
      this.ixCache.set(key, ix);
    }
    return ix;
  }

  /**
   * Runs `op` on-chain and in the model. `undefined` when the op cannot be drawn in this state
   * (a wallet short of the amount: the model does not simulate the token program's refusal).
   */
  async apply(op: Op, at: string): Promise<void> {
    const { model, economy, bank } = this;
    const programs = bank.programs;
    // Amounts are decimal; some kinds carry words or lists instead (parsed where they are used)
    const numeric = (value: string | undefined) => (value !== undefined && /^\d+$/.test(value) ? BigInt(value) : 0n);
    const amount = numeric(op.a);
    const second = numeric(op.b);
    const position = op.p === undefined ? undefined : this.positions[op.p];
    const stakeKeys = () => [position!.staker.stakeAccount, position!.staker.tokenAccount, economy.stakingConfig, economy.stakingVault];
    const ownerSigned = (name: string, build: () => Promise<TransactionInstruction>) =>
      this.ix(`${name}:${op.p}`, build).then((ix) => ({ ix, signers: [position!.staker.wallet] }));
    let decide: () => Outcome;
    let tx: () => Promise<{ ix: TransactionInstruction | TransactionInstruction[]; signers: Keypair[] }>;
    let touched: PublicKey[];
    const staker = position?.staker;
    switch (op.k) {
      case "stake":
        if (model.balance(position!.wallet) < amount) return;
        decide = () => model.stake(op.p!, position!.wallet, amount);
        tx = async () => {
          const { ix, signers } = await ownerSigned("stake", () =>
            programs.staking.methods.stake(bn(0n)).accounts({ owner: staker!.wallet.publicKey, ownerTokenAccount: staker!.tokenAccount }).instruction(),
          );
          return { ix: withU64s(ix, amount), signers };
        };
        touched = stakeKeys();
        break;
      case "request_unstake":
        decide = () => model.requestUnstake(op.p!, amount);
        tx = async () => {
          const { ix, signers } = await ownerSigned("request_unstake", () =>
            programs.staking.methods.requestUnstake(bn(0n)).accounts({ owner: staker!.wallet.publicKey }).instruction(),
          );
          return { ix: withU64s(ix, amount), signers };
        };
        touched = stakeKeys();
        break;
      case "cancel_unstake":
        decide = () => model.cancelUnstake(op.p!);
        tx = () => ownerSigned("cancel_unstake", () => programs.staking.methods.cancelUnstake().accounts({ owner: staker!.wallet.publicKey }).instruction());
        touched = stakeKeys();
        break;
      case "withdraw":
        decide = () => model.withdraw(op.p!, position!.wallet);
        tx = () =>
          ownerSigned("withdraw", () =>
            programs.staking.methods.withdraw().accounts({ owner: staker!.wallet.publicKey, ownerTokenAccount: staker!.tokenAccount }).instruction(),
          );
        touched = stakeKeys();
        break;
      case "claim_rewards":
        decide = () => model.claim(op.p!, position!.wallet);
        tx = () =>
          ownerSigned("claim_rewards", () =>
            programs.staking.methods.claimRewards().accounts({ owner: staker!.wallet.publicKey, ownerTokenAccount: staker!.tokenAccount }).instruction(),
          );
        touched = stakeKeys();
        break;
      case "fund_rewards": {
        const sponsor = this.sponsor;
        decide = () => model.fundRewards("sponsor", amount);
        tx = async () => {
          const ix = await this.ix("fund_rewards", () =>
            programs.staking.methods.fundRewards(bn(0n)).accounts({ funder: sponsor.wallet.publicKey, funderTokenAccount: sponsor.tokenAccount }).instruction(),
          );
          return { ix: withU64s(ix, amount), signers: [sponsor.wallet] };
        };
        touched = [sponsor.tokenAccount, economy.stakingConfig, economy.stakingVault];
        break;
      }
      case "sync_rewards":
        decide = () => model.syncRewards();
        tx = async () => ({ ix: await this.ix("sync_rewards", () => programs.staking.methods.syncRewards().instruction()), signers: [] });
        touched = [economy.stakingConfig, economy.stakingVault];
        break;
      case "governance":
        await this.govern(op, at);
        return;
      case "set_paused": {
        const program = PAUSABLE[op.e!];
        const on = op.a === "1";
        decide = () => model.setPaused(program, on);
        tx = async () => ({
          ix: await this.ix(`set_paused:${program}:${on}`, () =>
            programs[program].methods.setPaused(on).accounts({ signer: economy.deployer.publicKey }).instruction(),
          ),
          signers: [],
        });
        touched = [this.configOf(program)];
        break;
      }
      case "set_reference_price":
        decide = () => model.setReferencePrice(amount);
        tx = async () => {
          const ix = await this.ix("set_reference_price", () =>
            programs.treasury.methods.setReferencePrice(bn(1n)).accounts({ authority: economy.deployer.publicKey }).instruction(),
          );
          return { ix: withU64s(ix, amount), signers: [] };
        };
        touched = [economy.treasuryConfig];
        break;
      case "stranger": {
        const program = (["staking", "bandwidth", "treasury", "governance"] as const)[op.e!];
        const stranger = this.consumers[0].wallet;
        const methods = programs[program].methods;
        const staking = programs.staking.methods;
        const ix = await this.ix(`stranger:${program}:${op.a}`, () =>
          (op.a === "pause"
            ? methods.setPauseAuthority(stranger.publicKey)
            : op.a === "unbondingPeriod"
              ? staking.setUnbondingPeriod(bn(3_600n))
              : op.a === "quotaBytesPerMedia"
                ? staking.setQuotaBytesPerMedia(bn(GIB))
                : methods.setAuthority(stranger.publicKey)
          )
            .accounts({ authority: stranger.publicKey })
            .instruction(),
        );
        decide = () => "Unauthorized";
        tx = async () => ({ ix, signers: [stranger] });
        touched = [ix.keys[1].pubkey];
        break;
      }
      case "spend": {
        const quote = op.e === 1;
        const stranger = op.b === "stranger" ? this.consumers[0].wallet : undefined;
        const authority = stranger?.publicKey ?? economy.deployer.publicKey;
        const vault = quote ? economy.treasuryQuoteVault : economy.treasuryMediaVault;
        const destination = quote ? this.takerQuote : this.sponsor.tokenAccount;
        decide = () => model.spend(quote ? "treasury:quote" : "treasury:media", quote ? "w0:quote" : "sponsor", amount, stranger !== undefined);
        tx = async () => {
          const ix = await this.ix(`spend:${op.e}:${op.b}`, () =>
            programs.treasury.methods.spend(bn(1n)).accounts({ authority, vault, destination }).instruction(),
          );
          return { ix: withU64s(ix, amount), signers: stranger ? [stranger] : [] };
        };
        touched = [economy.treasuryConfig, vault, destination];
        break;
      }
      case "set_auction_params": {
        const [interval, duration, maxLot, premium, floor, minFill, minSold, maxStep] = op.a!.split("/").map(BigInt);
        const values = {
          auctionInterval: interval,
          auctionDuration: duration,
          maxLot,
          premiumBps: premium,
          floorBps: floor,
          minFillBps: minFill,
          minSoldBps: minSold,
          maxStepBps: maxStep,
        };
        decide = () => model.setAuctionParams(values);
        tx = async () => ({
          ix: await programs.treasury.methods
            .setAuctionParams(bn(interval), bn(duration), bn(maxLot), Number(premium), Number(floor), Number(minFill), Number(minSold), Number(maxStep))
            .accounts({ authority: economy.deployer.publicKey })
            .instruction(),
          signers: [],
        });
        touched = [economy.treasuryConfig];
        break;
      }
      case "register_provider": {
        const wallet = staker!.wallet;
        const provider = providerPda(wallet.publicKey);
        decide = () => model.registerProvider(op.p!, amount, second);
        const pool = operatorPoolPda(wallet.publicKey);
        // As the SDK does: a position with the minimum stake and no operator pool opens it
        // (open_operator, no commission, no fee share) in the same transaction (the model's
        // registerProvider knows).
        const stake = model.stakes[op.p!];
        const opensPool = !model.operatorPools.has(op.p!) && stake.exists && stake.active >= model.params.minStake;
        tx = async () => {
          const ix = await this.ix(`register_provider:${op.p}`, () =>
            programs.bandwidth.methods
              .registerProvider(bn(1n), bn(1n))
              .accountsPartial({ operator: wallet.publicKey, stakingConfig: economy.stakingConfig, stakeAccount: staker!.stakeAccount })
              .instruction(),
          );
          const register = withU64s(ix, amount, second);
          if (!opensPool) return { ix: register, signers: [wallet] };
          return { ix: [await bank.clients.staking.openOperatorInstruction(0, 0, wallet.publicKey), register], signers: [wallet] };
        };
        touched = [provider, staker!.stakeAccount, pool, bank.clients.staking.rewardsPoolAddress()];
        break;
      }
      case "open_escrow": {
        const handle = this.escrows[op.e!];
        decide = () => model.openEscrow(op.e!);
        tx = async () => ({
          ix: await this.ix(`open_escrow:${op.e}`, () =>
            programs.bandwidth.methods
              .openEscrow()
              .accounts({ consumer: handle.consumer.wallet.publicKey, provider: handle.operator.provider, mint: handle.mint })
              .instruction(),
          ),
          signers: [handle.consumer.wallet],
        });
        touched = [handle.escrow, handle.vault, handle.operator.provider];
        break;
      }
      case "request_close": {
        const handle = this.escrows[op.e!];
        decide = () => model.requestClose(op.e!);
        tx = async () => ({
          ix: await this.ix(`request_close:${op.e}`, () =>
            programs.bandwidth.methods.requestClose().accounts({ consumer: handle.consumer.wallet.publicKey, escrow: handle.escrow }).instruction(),
          ),
          signers: [handle.consumer.wallet],
        });
        touched = [handle.escrow];
        break;
      }
      case "close_escrow": {
        const handle = this.escrows[op.e!];
        decide = () => model.closeEscrow(op.e!, `c${op.e}`);
        tx = async () => ({
          ix: await this.ix(`close_escrow:${op.e}`, () =>
            programs.bandwidth.methods
              .closeEscrow()
              .accounts({ consumer: handle.consumer.wallet.publicKey, consumerTokenAccount: handle.consumerAccount, escrow: handle.escrow })
              .instruction(),
          ),
          signers: [handle.consumer.wallet],
        });
        touched = [handle.escrow, handle.vault, handle.consumerAccount, economy.bandwidthConfig];
        break;
      }
      case "update_provider": {
        const operator = this.operators[op.p!];
        decide = () => model.updateProvider(op.p!, amount, second);
        tx = async () => {
          const ix = await this.ix(`update_provider:${op.p}`, () =>
            programs.bandwidth.methods
              .updateProvider(bn(1n), bn(1n))
              .accountsPartial({ operator: operator.wallet.publicKey, stakingConfig: economy.stakingConfig, stakeAccount: operator.stakeAccount })
              .instruction(),
          );
          return { ix: withU64s(ix, amount, second), signers: [operator.wallet] };
        };
        touched = [operator.provider];
        break;
      }
      case "deactivate_provider": {
        const operator = this.operators[op.p!];
        decide = () => model.deactivateProvider(op.p!);
        tx = async () => ({
          ix: await this.ix(`deactivate_provider:${op.p}`, () =>
            programs.bandwidth.methods.deactivateProvider().accounts({ operator: operator.wallet.publicKey }).instruction(),
          ),
          signers: [operator.wallet],
        });
        touched = [operator.provider];
        break;
      }
      case "deposit": {
        const handle = this.escrows[op.e!];
        const wallet = `c${op.e}`;
        const funds = model.escrows[op.e!].isMedia ? model.balance(wallet) : model.balance(`${wallet}:quote`);
        if (funds < amount) return;
        decide = () => model.deposit(op.e!, wallet, amount);
        tx = async () => {
          const ix = await this.ix(`deposit:${op.e}`, () =>
            programs.bandwidth.methods
              .deposit(bn(0n))
              .accounts({ consumer: handle.consumer.wallet.publicKey, consumerTokenAccount: handle.consumerAccount, escrow: handle.escrow })
              .instruction(),
          );
          return { ix: withU64s(ix, amount), signers: [handle.consumer.wallet] };
        };
        touched = [handle.escrow, handle.vault, handle.consumerAccount];
        break;
      }
      case "settle": {
        const handle = this.escrows[op.e!];
        const escrow = model.escrows[op.e!];
        const providerWallet = this.positions[model.providers[escrow.provider].stake].wallet;
        decide = () => model.settle(op.e!, providerWallet, amount, second);
        tx = async () => {
          const receipt = signReceipt(handle.consumer.wallet, handle.escrow, handle.nonce, amount, second);
          return { ix: await settleInstructions(economy.bandwidthWorld, handle, receipt), signers: [handle.operator.wallet] };
        };
        touched = [
          handle.escrow,
          handle.vault,
          handle.operator.provider,
          handle.providerAccount,
          handle.treasuryVault,
          economy.bandwidthConfig,
          economy.stakingVault,
        ];
        break;
      }
      case "burn_fees":
        decide = () => model.burnFees();
        tx = async () => ({
          ix: await this.ix("burn_fees", () =>
            programs.treasury.methods.burnFees().accounts({ mediaVault: economy.treasuryMediaVault, mediaMint: economy.mediaMint }).instruction(),
          ),
          signers: [],
        });
        touched = [economy.treasuryMediaVault, economy.mediaMint, economy.treasuryConfig];
        break;
      case "start_auction":
        decide = () => model.startAuction();
        tx = async () => ({
          ix: await this.ix("start_auction", () => programs.treasury.methods.startAuction().accounts({ quoteVault: economy.treasuryQuoteVault }).instruction()),
          signers: [],
        });
        touched = [economy.treasuryConfig];
        break;
      case "take": {
        const taker = this.positions[0].staker;
        decide = () => model.take("w0", amount, second);
        tx = async () => {
          const ix = await this.ix("take", () =>
            programs.treasury.methods
              .take(bn(0n), bn(0n))
              .accountsPartial({
                taker: taker.wallet.publicKey,
                takerMediaAccount: taker.tokenAccount,
                takerQuoteAccount: this.takerQuote,
                quoteVault: economy.treasuryQuoteVault,
                mediaMint: economy.mediaMint,
              })
              .instruction(),
          );
          return { ix: withU64s(ix, amount, second), signers: [taker.wallet] };
        };
        touched = [economy.treasuryConfig, taker.tokenAccount, this.takerQuote, economy.treasuryQuoteVault, economy.stakingVault, economy.mediaMint];
        break;
      }
      case "top_up": {
        const handle = this.escrows[op.e!];
        if (handle.isMedia) {
          await fundMedia(economy, handle.consumerAccount, amount);
          model.fund(`c${op.e}`, amount);
        } else {
          await mintTo(bank, economy.quoteMint, handle.consumerAccount, amount);
          model.fundQuote(`c${op.e}`, amount);
        }
        this.count("top_up", undefined);
        await this.expectBalances([handle.isMedia ? `c${op.e}` : `c${op.e}:quote`], at);
        return;
      }
      case "warp":
        await warpSeconds(bank, amount);
        model.now = await unixTimestamp(bank);
        this.count("warp", undefined);
        return;
      default:
        throw new Error(`unknown operation ${op.k}`);
    }

    // The model decides first (and applies on success); a refusal changes nothing in the model either
    const shadow = structuredClone(model);
    const expected = decide();
    if (expected) Object.assign(model, shadow);
    this.count(op.k, expected);
    const { ix, signers } = await tx();
    const instructions = Array.isArray(ix) ? ix : [ix];
    if (expected) {
      const before: AccountSnapshot = await snapshot(bank, touched);
      await expectProgramError(send(bank, instructions, signers), expected);
      await expectUnchanged(bank, before);
    } else {
      try {
        await send(bank, instructions, signers);
      } catch (error) {
        throw new Error(
          `${op.k} at ${at}: the model expected success, the chain refused: ${String(error)}\n${((error as { logs?: string[] }).logs ?? []).join("\n")}`,
        );
      }
      if (op.k === "register_provider") {
        // The new provider joins the economy's books (no escrow is opened with it)
        const operator: Operator = {
          ...staker!,
          provider: providerPda(staker!.wallet.publicKey),
          operatorPool: operatorPoolPda(staker!.wallet.publicKey),
          mediaAccount: staker!.tokenAccount,
          quoteAccount: this.takerQuote,
        };
        this.operators.push(operator);
        this.economy.providers.push(operator);
      }
      if (op.k === "open_escrow") {
        // Receipts of the new lifetime sign its nonce
        const handle = this.escrows[op.e!];
        handle.nonce = model.escrows[op.e!].nonce;
        handle.pricePerGib = model.escrows[op.e!].pricePerGib;
      }
      await this.checkTouched(op, at);
    }
  }

  /**
   * A governance episode: the council proposes the setter, votes for it, the vote ends and is
   * finalized, the timelock runs (and any staking pause lapses), and anyone executes it; the
   * model learns the parameter when it executes.
   */
  private async govern(op: Op, at: string) {
    const { bank, economy, model } = this;
    const world = economy.governanceWorld;
    const council = this.positions[8].staker;
    const staking = bank.programs.staking.methods;
    const authority = { authority: economy.governance };
    const program: Pausable = op.b === "bandwidth" ? "bandwidth" : "staking";
    let setter: TransactionInstruction;
    let apply: () => Outcome;
    if (op.b === "bandwidth") {
      const [protocolFeeBps, stakerShareBps, quotaWindow, disputeWindow] = op.a!.split("/").map(BigInt);
      setter = await bank.programs.bandwidth.methods
        .setParameters(Number(protocolFeeBps), Number(stakerShareBps), bn(quotaWindow), bn(disputeWindow))
        .accounts(authority)
        .instruction();
      apply = () => {
        economy.params.bandwidth = { protocolFeeBps: Number(protocolFeeBps), stakerShareBps: Number(stakerShareBps), quotaWindow, disputeWindow };
        return model.setBandwidthParameters({ protocolFeeBps, stakerShareBps, quotaWindow, disputeWindow });
      };
    } else {
      const name = op.b as StakingParameter;
      const value = BigInt(op.a!);
      const setters = {
        minStake: staking.setMinStake,
        rewardDuration: staking.setRewardDuration,
        unbondingPeriod: staking.setUnbondingPeriod,
        quotaBytesPerMedia: staking.setQuotaBytesPerMedia,
      };
      setter = await setters[name](bn(value)).accounts(authority).instruction();
      apply = () => {
        economy.params.staking[name] = value;
        return model.setParameter(name, value);
      };
    }
    const proposal = await propose(world, council, [setter], `ipfs://${op.b}-${op.a}`);
    await vote(world, proposal, council, VoteSide.For);
    // Every step out of turn is refused by name, the proposal, the vote and the config untouched
    const governance = bank.programs.governance.methods;
    const refuse = async (name: string, error: string, ix: TransactionInstruction, signers: Keypair[] = []) => {
      const before = await snapshot(bank, [proposal, council.stakeAccount, economy.governance]);
      await bank.runtime.nextBlockhash();
      await expectProgramError(send(bank, [ix], signers), error);
      await expectUnchanged(bank, before);
      this.count(name, error);
    };
    await refuse(
      "cast_vote",
      "AlreadyVoted",
      await governance
        .castVote(VoteSide.Against)
        .accountsPartial({ voter: council.wallet.publicKey, proposal, stakeAccount: council.stakeAccount })
        .instruction(),
      [council.wallet],
    );
    await refuse("cancel", "ProposalHasVotes", await governance.cancel().accounts({ proposer: council.wallet.publicKey, proposal }).instruction(), [
      council.wallet,
    ]);
    const { votingEndsAt } = await bank.programs.governance.account.proposal.fetch(proposal);
    if (model.now < big(votingEndsAt)) await refuse("finalize", "VotingNotEnded", await governance.finalize().accounts({ proposal }).instruction());
    await this.warpTo(big(votingEndsAt));
    await finalize(world, proposal);
    const { executableAt } = await bank.programs.governance.account.proposal.fetch(proposal);
    if (model.now < big(executableAt)) await refuse("execute", "TimelockNotElapsed", await executeInstruction(world, proposal));
    // A pause of the governed program (the guardian's, unliftable) runs out before anyone executes
    const until = model.pauses[program].until;
    await this.warpTo(big(executableAt) > until ? big(executableAt) : until);
    await execute(world, proposal);
    // The invariants compare every parameter with what its authority set
    expect(apply(), `governance at ${at}`).to.equal(undefined);
    await refuse("execute", "ProposalAlreadyExecuted", await executeInstruction(world, proposal));
    this.count("governance", undefined);
    if (program === "bandwidth") await this.expectBandwidthConfig(at);
    else await this.expectStakingConfig(at);
  }

  private async warpTo(time: bigint) {
    if (time > this.model.now) await warpSeconds(this.bank, time - this.model.now);
    this.model.now = await unixTimestamp(this.bank);
  }

  private configOf(program: Pausable): PublicKey {
    return { staking: this.economy.stakingConfig, bandwidth: this.economy.bandwidthConfig, treasury: this.economy.treasuryConfig }[program];
  }

  private async expectPause(program: Pausable, at: string) {
    const name = { staking: "stakingConfig", bandwidth: "bandwidthConfig", treasury: "treasuryConfig" }[program];
    const { pause } = await this.decode(program, name, this.configOf(program));
    const m = this.model.pauses[program];
    expect([pause.pausedUntil, pause.pausedSince, pause.pausedBefore].map(big), `${program} pause at ${at}`).to.deep.equal([m.until, m.since, m.before]);
  }

  private count(kind: string, outcome: Outcome) {
    this.operations++;
    if (outcome) this.refusals++;
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    const key = `${kind}:${outcome ?? "ok"}`;
    this.outcomes[key] = (this.outcomes[key] ?? 0) + 1;
  }

  private async decode(program: keyof Bank["programs"], name: string, address: PublicKey) {
    const account = await this.bank.runtime.getAccount(address);
    if (!account) throw new Error(`${name} ${address.toBase58()} is missing`);
    return (this.bank.programs[program].coder.accounts as any).decode(name, Buffer.from(account.data));
  }

  private async expectBalances(names: string[], at: string) {
    for (const name of names) expect(await balanceOf(this.bank, this.accounts.get(name)!), `${name} at ${at}`).to.equal(this.model.balance(name));
  }

  private async expectStakingConfig(at: string) {
    const { model } = this;
    const staking = await this.decode("staking", "stakingConfig", this.economy.stakingConfig);
    expect(
      [
        staking.totalActive,
        staking.totalUnbonding,
        staking.rewardPerStake,
        staking.unstreamedRewards,
        staking.rewardPeriodEnd,
        staking.rewardUpdatedAt,
        staking.rewardReserve,
        staking.totalRewardsFunded,
        staking.totalRewardsReceived,
        staking.minStake,
        staking.rewardDuration,
        staking.unbondingPeriod,
        staking.quotaBytesPerMedia,
      ].map(big),
      `staking config at ${at}`,
    ).to.deep.equal([
      model.totalActive,
      model.totalUnbonding,
      model.acc,
      model.unstreamed,
      model.periodEnd,
      model.updatedAt,
      model.reserve,
      model.totalFunded,
      model.totalReceived,
      model.params.minStake,
      model.params.rewardDuration,
      model.params.unbondingPeriod,
      model.params.quotaBytesPerMedia,
    ]);
  }

  private async expectStake(i: number, at: string) {
    const s = this.model.stakes[i];
    const address = this.positions[i].staker.stakeAccount;
    if (!s.exists) {
      expect(await this.bank.runtime.getAccount(address), `stake ${i} absent at ${at}`).to.equal(null);
      return;
    }
    const account = await this.decode("staking", "stakeAccount", address);
    const claimable = big(account.rewardsOwed) + (big(account.active) * (this.model.acc - big(account.rewardPerStakePaid))) / REWARD_SCALE;
    expect([big(account.active), big(account.unbonding), claimable], `stake ${i} at ${at}`).to.deep.equal([s.active, s.unbonding, this.model.claimable(i)]);
  }

  private async expectProvider(k: number, at: string) {
    const provider = await this.decode("bandwidth", "provider", this.operators[k].provider);
    const m = this.model.providers[k];
    expect(
      [provider.quotaUsed, provider.quotaUpdatedAt, provider.totalBytes, provider.mediaPricePerGib, provider.quotePricePerGib, provider.escrowsOpened].map(big),
      `provider ${k} at ${at}`,
    ).to.deep.equal([m.used, m.updatedAt, m.totalBytes, m.mediaPrice, m.quotePrice, m.escrowsOpened]);
    expect(Boolean(provider.active), `provider ${k} active at ${at}`).to.equal(m.active);
  }

  private async expectEscrow(e: number, at: string) {
    const m = this.model.escrows[e];
    if (!m.open) {
      expect(await this.bank.runtime.getAccount(this.escrows[e].escrow), `escrow ${e} closed at ${at}`).to.equal(null);
      return;
    }
    const escrow = await this.decode("bandwidth", "escrow", this.escrows[e].escrow);
    expect(
      [
        escrow.deposited,
        escrow.paid,
        escrow.settledBytes,
        escrow.settledAmount,
        escrow.nonce,
        escrow.pricePerGib,
        escrow.closeRequestedAt,
        escrow.closePausedSeconds,
        escrow.closeWindow,
      ].map(big),
      `escrow ${e} at ${at}`,
    ).to.deep.equal([m.deposited, m.paid, m.settledBytes, m.settledAmount, m.nonce, m.pricePerGib, m.closeRequestedAt, m.closePausedSeconds, m.closeWindow]);
  }

  private async expectBandwidthConfig(at: string) {
    const bandwidth = await this.decode("bandwidth", "bandwidthConfig", this.economy.bandwidthConfig);
    const { params } = this.model;
    expect(
      [bandwidth.protocolFeeBps, bandwidth.stakerShareBps, bandwidth.quotaWindow, bandwidth.disputeWindow].map(big),
      `bandwidth parameters at ${at}`,
    ).to.deep.equal([params.protocolFeeBps, params.stakerShareBps, params.quotaWindow, params.disputeWindow]);
    const totals = Object.keys(this.model.bandwidthTotals) as (keyof EconomyModel["bandwidthTotals"])[];
    expect(
      totals.map((key) => big(bandwidth[key])),
      `bandwidth counters at ${at}`,
    ).to.deep.equal(totals.map((key) => this.model.bandwidthTotals[key]));
  }

  private async expectTreasury(at: string) {
    const { model } = this;
    const treasury = await this.decode("treasury", "treasuryConfig", this.economy.treasuryConfig);
    expect(
      [
        treasury.totalBurned,
        treasury.totalFeesBurned,
        treasury.totalBoughtBack,
        treasury.totalBuybackBurned,
        treasury.totalBuybackToStakers,
        treasury.totalQuoteSold,
        treasury.lastClearingPrice,
        treasury.referencePrice,
        treasury.auctionId,
        treasury.lotRemaining,
        treasury.startPrice,
        treasury.floorPrice,
      ].map(big),
      `treasury at ${at}`,
    ).to.deep.equal([
      model.totalBurned,
      model.totalFeesBurned,
      model.totalBoughtBack,
      model.totalBuybackBurned,
      model.totalBuybackToStakers,
      model.totalQuoteSold,
      model.lastClearingPrice,
      model.referencePrice,
      model.auctionId,
      model.lotRemaining,
      model.startPrice,
      model.floorPrice,
    ]);
  }

  private async expectAuctionParams(at: string) {
    const treasury = await this.decode("treasury", "treasuryConfig", this.economy.treasuryConfig);
    const t = this.model.params;
    expect(
      [
        treasury.auctionInterval,
        treasury.auctionDuration,
        treasury.maxLot,
        treasury.premiumBps,
        treasury.floorBps,
        treasury.minFillBps,
        treasury.minSoldBps,
        treasury.maxStepBps,
      ].map(big),
      `auction parameters at ${at}`,
    ).to.deep.equal([t.auctionInterval, t.auctionDuration, t.maxLot, t.premiumBps, t.floorBps, t.minFillBps, t.minSoldBps, t.maxStepBps]);
  }

  private async expectSupply(at: string) {
    expect(await supplyOf(this.bank, this.economy.mediaMint), `supply at ${at}`).to.equal(this.model.mediaSupply);
    expect(this.model.mediaSupply + this.model.totalBurned, `supply + burned = genesis supply at ${at}`).to.equal(this.model.genesisSupply);
  }

  /** After a successful `op`: the accounts it wrote agree with the model to the base unit. */
  private async checkTouched(op: Op, at: string) {
    const wallet = op.p === undefined ? "" : this.positions[op.p].wallet;
    switch (op.k) {
      case "stake":
      case "request_unstake":
      case "cancel_unstake":
      case "withdraw":
      case "claim_rewards":
        await this.expectBalances([wallet, "staking:vault"], at);
        await this.expectStakingConfig(at);
        await this.expectStake(op.p!, at);
        return;
      case "fund_rewards":
        await this.expectBalances(["sponsor", "staking:vault"], at);
        await this.expectStakingConfig(at);
        return;
      case "sync_rewards":
        await this.expectStakingConfig(at);
        return;
      case "deposit":
        await this.expectBalances([`escrow:${op.e}`, this.model.escrows[op.e!].isMedia ? `c${op.e}` : `c${op.e}:quote`], at);
        await this.expectEscrow(op.e!, at);
        return;
      case "settle": {
        const escrow = this.model.escrows[op.e!];
        const provider = this.positions[this.model.providers[escrow.provider].stake].wallet;
        await this.expectBalances(
          escrow.isMedia ? [`escrow:${op.e}`, provider, "staking:vault", "treasury:media"] : [`escrow:${op.e}`, `${provider}:quote`, "treasury:quote"],
          at,
        );
        await this.expectEscrow(op.e!, at);
        await this.expectProvider(escrow.provider, at);
        await this.expectBandwidthConfig(at);
        return;
      }
      case "burn_fees":
        await this.expectBalances(["treasury:media"], at);
        await this.expectSupply(at);
        await this.expectTreasury(at);
        return;
      case "spend":
        await this.expectBalances(op.e === 1 ? ["treasury:quote", "w0:quote"] : ["treasury:media", "sponsor"], at);
        await this.expectTreasury(at);
        return;
      case "set_auction_params": {
        await this.expectTreasury(at);
        const t = this.model.params;
        this.economy.params.treasury = {
          ...this.economy.params.treasury,
          auctionInterval: t.auctionInterval,
          auctionDuration: t.auctionDuration,
          maxLot: t.maxLot,
          premiumBps: Number(t.premiumBps),
          floorBps: Number(t.floorBps),
          minFillBps: Number(t.minFillBps),
          minSoldBps: Number(t.minSoldBps),
          maxStepBps: Number(t.maxStepBps),
        };
        await this.expectAuctionParams(at);
        return;
      }
      case "start_auction":
      case "set_reference_price":
        await this.expectTreasury(at);
        return;
      case "set_paused":
        await this.expectPause(PAUSABLE[op.e!], at);
        return;
      case "open_escrow":
        await this.expectEscrow(op.e!, at);
        await this.expectProvider(this.model.escrows[op.e!].provider, at);
        await this.expectBalances([`escrow:${op.e}`], at);
        return;
      case "request_close":
        await this.expectEscrow(op.e!, at);
        return;
      case "close_escrow":
        await this.expectEscrow(op.e!, at);
        await this.expectBalances([`escrow:${op.e}`, this.model.escrows[op.e!].isMedia ? `c${op.e}` : `c${op.e}:quote`], at);
        await this.expectBandwidthConfig(at);
        return;
      case "update_provider":
      case "deactivate_provider":
        await this.expectProvider(op.p!, at);
        return;
      case "register_provider":
        await this.expectProvider(this.operators.length - 1, at);
        return;
      case "take":
        await this.expectBalances(["w0", "w0:quote", "treasury:quote", "staking:vault"], at);
        await this.expectSupply(at);
        await this.expectTreasury(at);
        return;
    }
  }

  /** Every account against the model, and every invariant of ECONOMY.md from the accounts alone. */
  async fullCheck(at: string): Promise<void> {
    await this.expectBalances([...this.accounts.keys()], at);
    await this.expectSupply(at);
    await this.expectStakingConfig(at);
    for (let i = 0; i < this.positions.length; i++) await this.expectStake(i, at);
    for (let k = 0; k < this.operators.length; k++) await this.expectProvider(k, at);
    for (let e = 0; e < this.escrows.length; e++) await this.expectEscrow(e, at);
    await this.expectBandwidthConfig(at);
    await this.expectTreasury(at);
    for (const program of PAUSABLE) await this.expectPause(program, at);
    await checkInvariants(this.economy, at, { operatorsMayUnstake: true });
  }

  /** Runs `ops` in order (full checks every `fullCheckEvery` and at the end). */
  async run(ops: Op[], label: string, onProgress?: (done: number) => void): Promise<void> {
    for (const [step, op] of ops.entries()) {
      const at = `${label} step ${step}`;
      await this.apply(op, at);
      if ((step + 1) % this.fullCheckEvery === 0) await this.fullCheck(at);
      onProgress?.(step + 1);
    }
    await this.fullCheck(`${label} end`);
  }
}

const bn = (value: bigint) => new BN(value.toString());

/** The outcome of a run: the step that failed (or none) and why. */
export interface RunResult {
  failedAt?: number;
  error?: unknown;
  /** The operations actually run (drawn from the seed, or given). */
  ops: Op[];
}

/**
 * Draws `count` operations from `seed` and runs each as it is drawn (the draw reads the
 * model's state), recording them. Same seed, same operations.
 */
export async function runSeed(
  seed: number,
  count: number,
  options: EngineOptions & { rng: (seed: number) => Random; onProgress?: (done: number, engine: Engine) => void },
): Promise<RunResult & { engine: Engine }> {
  const engine = await Engine.create(options);
  const rng = options.rng(seed);
  const ops: Op[] = [];
  const every = engine.fullCheckEvery;
  // `count` operations run (draws a wallet cannot pay for are recorded but run nothing)
  for (let step = 0; engine.operations < count; step++) {
    const op = engine.draw(rng);
    ops.push(op);
    const at = `seed ${seed} step ${step}`;
    try {
      await engine.apply(op, at);
      if ((step + 1) % every === 0) await engine.fullCheck(at);
    } catch (error) {
      return { failedAt: step, error, ops, engine };
    }
    options.onProgress?.(engine.operations, engine);
  }
  try {
    await engine.fullCheck(`seed ${seed} end`);
  } catch (error) {
    return { failedAt: ops.length - 1, error, ops, engine };
  }
  return { ops, engine };
}

/** Replays `ops` from genesis; the step that failed, if any. */
export async function replay(ops: Op[], options: EngineOptions = {}): Promise<RunResult> {
  const engine = await Engine.create(options);
  for (const [step, op] of ops.entries()) {
    try {
      await engine.apply(op, `replay step ${step}`);
    } catch (error) {
      return { failedAt: step, error, ops };
    }
  }
  try {
    await engine.fullCheck("replay end");
  } catch (error) {
    return { failedAt: ops.length - 1, error, ops };
  }
  return { ops };
}

/**
 * Delta debugging (ddmin) over `ops`: a smallest-found sublist that still fails, each
 * candidate replayed from genesis. `budget` bounds the replays.
 */
export async function shrink(ops: Op[], options: EngineOptions & { budget?: number; log?: (line: string) => void } = {}): Promise<Op[]> {
  let replays = 0;
  const budget = options.budget ?? 400;
  const fails = async (candidate: Op[]) => {
    replays++;
    const result = await replay(candidate, options);
    return result.failedAt !== undefined;
  };
  let current = ops;
  let n = 2;
  while (current.length >= 2 && replays < budget) {
    const size = Math.ceil(current.length / n);
    let reduced = false;
    for (let i = 0; i < n && replays < budget; i++) {
      const complement = [...current.slice(0, i * size), ...current.slice((i + 1) * size)];
      if (complement.length > 0 && complement.length < current.length && (await fails(complement))) {
        current = complement;
        n = Math.max(n - 1, 2);
        reduced = true;
        options.log?.(`  shrunk to ${current.length} operations (${replays} replays)`);
        break;
      }
    }
    if (!reduced) {
      if (n >= current.length) break;
      n = Math.min(n * 2, current.length);
    }
  }
  return current;
}
