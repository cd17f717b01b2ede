/**
 * Throughput next to the floor: transactions per second of a stake top-up and of a
 * settle_receipt (with its Ed25519 verify instruction) as a ratio of plain SPL token
 * transfers, all in one LiteSVM process, and reference transactions that take those two apart:
 * a transaction that does nothing but pay its fee, settle's Ed25519 verify alone, as many
 * top-level token transfers as settle makes CPIs, both together, and both again listing every
 * other account settle's transaction lists (and a transfer listing the top-up's accounts).
 * Each step from one reference to the next adds one ingredient, so the steps add up to the
 * measured transaction's time exactly (`decompose`).
 *
 * Transactions are built and signed first; only processing is timed (the testing kit's
 * `runtime.process`: wire bytes into LiteSVM, signature checks, execution, logs back). Every
 * kind is signed by one key and pays its own fee, as the measured ones do. The kinds take
 * turns in short rounds, each round starting at the next kind so none always runs first after
 * another's warm caches, and the machine's load, shared with other work, weighs on each alike;
 * a ratio is the median of the rounds' ratios. Wall time, so indicative, unlike the compute units.
 */
import { type KeyObject, createPrivateKey, sign } from "node:crypto";
import { TOKEN_PROGRAM_ID, createTransferInstruction } from "@solana/spl-token";
import {
  ComputeBudgetProgram,
  Ed25519Program,
  type Keypair,
  type PublicKey,
  TransactionInstruction,
  TransactionMessage,
  VersionedTransaction,
} from "@solana/web3.js";
import { MEDIA as MEDIA_BN, STAKING_DEFAULTS, bigintOf } from "../../sdk/src";
import { svmTransaction } from "../../sdk/src/testing/runtime";
import { newConsumer, newOperator, openEscrow, settleInstructions, setUpBandwidth } from "../../tests/utils/bandwidth";
import { type Bank, startBank } from "../../tests/utils/bank";
import { newStaker } from "../../tests/utils/staking";
import { createTokenAccount } from "../../tests/utils/token";

const MEDIA = bigintOf(MEDIA_BN);
const MIN_STAKE = bigintOf(STAKING_DEFAULTS.minStake);
/** Rounds, and transactions of each kind per round. */
const ROUNDS = 63;
const PER_ROUND = 20;

/** The kinds measured, in the order tables list them. */
export const KINDS = [
  "transfer",
  "topUp",
  "settle",
  "settleLegacy",
  "feeOnly",
  "transferWithTopUpAccounts",
  "verify",
  "transfers",
  "verifyTransfers",
  "verifyTransfersWithSettleAccounts",
] as const;
export type Kind = (typeof KINDS)[number];

/** One kind's figures. */
export interface KindFigures {
  /** What the transaction is, for tables. */
  label: string;
  /** Transactions per second: the transfers' median rate times `ratio`. */
  perSecond: number;
  /** Microseconds per transaction, the inverse of `perSecond`. */
  micros: number;
  /** Median over the rounds of this kind's rate over that round's transfer rate. */
  ratio: number;
  /** The same with each round's harness JavaScript (`harnessMicros`) taken out of both times. */
  ratioInRuntime: number;
  /** Wire size, accounts listed, instructions, signatures checked (the transaction's and the Ed25519 instruction's). */
  bytes: number;
  accounts: number;
  instructions: number;
  signatures: number;
  /** Compute units the transaction consumed. */
  computeUnits: number;
  /** Microseconds per transaction of the harness's JavaScript before LiteSVM (`harnessMicros`), median over the rounds. */
  harnessMicros: number;
}

/** One step of a decomposition: what it adds, and its microseconds per transaction. */
export interface Step {
  what: string;
  micros: number;
}

export interface Throughput {
  kinds: Record<Kind, KindFigures>;
  /** settle_receipt's CPIs, each matched by one top-level transfer in the references. */
  settleCpis: number;
  /** settle_receipt's and the top-up's time, step by step from a transaction that only pays its fee. */
  settleSteps: Step[];
  topUpSteps: Step[];
  /** Kept for the table's first rows and the targets. */
  transfer: number;
  topUp: number;
  settle: number;
  topUpRatio: number;
  settleRatio: number;
}

/** PKCS#8's fixed prefix of a raw Ed25519 private key (RFC 8410), so that Node's crypto signs with it. */
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const signingKeys = new WeakMap<Keypair, KeyObject>();
function signingKey(signer: Keypair): KeyObject {
  let key = signingKeys.get(signer);
  if (!key) {
    key = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, signer.secretKey.subarray(0, 32)]), format: "der", type: "pkcs8" });
    signingKeys.set(signer, key);
  }
  return key;
}

/**
 * One transaction of `instructions`, fee paid by the first signer, signed by all. A version-0
 * message (no lookup tables): web3.js keeps a legacy message's instruction data as base58
 * text, which the testing kit's serializing (`harnessMicros`) converts in quadratic time, so
 * that a legacy settle_receipt (its Ed25519 instruction carries ~200 bytes) spent more time
 * in that JavaScript than in LiteSVM and the ratios measured web3.js rather than the
 * runtime; a version-0 message keeps the bytes. Versioned also means sending it does not
 * verify its signatures again in JavaScript: LiteSVM verifies them, as a validator does.
 * Signed by Node's native Ed25519 (the same deterministic signature as web3.js's, five times
 * faster), which keeps signing ten thousand transactions from dominating the bench.
 */
function signed(blockhash: string, instructions: TransactionInstruction[], signers: Keypair[], legacy = false): VersionedTransaction {
  const message = new TransactionMessage({ payerKey: signers[0].publicKey, recentBlockhash: blockhash, instructions });
  const tx = new VersionedTransaction(legacy ? message.compileToLegacyMessage() : message.compileToV0Message());
  const bytes = tx.message.serialize();
  for (const signer of signers) tx.addSignature(signer.publicKey, sign(null, bytes, signingKey(signer)));
  return tx;
}

/**
 * `ix` listing, after its own accounts, every account of `reference` it does not list yet, as
 * writable as `reference` has it (signers left out: the reference transactions keep one
 * signer). SPL Token ignores accounts after a single owner's transfer's three, so the runtime
 * loads (and stores back) them and nothing else changes.
 */
function listingAccountsOf(ix: TransactionInstruction, reference: VersionedTransaction, alsoListed: PublicKey[]): TransactionInstruction {
  const message = reference.message;
  const listed = new Set([...ix.keys.map((k) => k.pubkey.toBase58()), ix.programId.toBase58(), ...alsoListed.map((k) => k.toBase58())]);
  const extra = message.staticAccountKeys
    .map((pubkey, i) => ({ pubkey, isSigner: false, isWritable: message.isAccountWritable(i), signer: message.isAccountSigner(i) }))
    .filter((k) => !k.signer && !listed.has(k.pubkey.toBase58()))
    .map(({ pubkey, isSigner, isWritable }) => ({ pubkey, isSigner, isWritable }));
  return new TransactionInstruction({ programId: ix.programId, keys: [...ix.keys, ...extra], data: ix.data });
}

/** Processes `txs` in order; the rate in transactions per second. */
async function timed(bank: Bank, txs: VersionedTransaction[], kind: string): Promise<number> {
  const started = performance.now();
  for (const tx of txs) {
    const result = await bank.runtime.process(tx);
    if (result.error) throw new Error(`${kind} failed while measuring throughput: ${result.error}\n${result.logs.join("\n")}`);
  }
  return txs.length / ((performance.now() - started) / 1000);
}

/**
 * The JavaScript the testing kit's LiteSVM runtime runs on a transaction before LiteSVM sees
 * it (sdk/src/testing/runtime.ts `process`: the wire bytes, and the signatures keyed by signer
 * read from them), timed alone over `txs`: microseconds per transaction of the harness's own
 * share in the rates (the logs handed back to JavaScript after it are not in this figure).
 */
function harnessMicros(txs: VersionedTransaction[]): number {
  const started = performance.now();
  for (const tx of txs) {
    if (Object.keys(svmTransaction(tx.serialize()).signatures).length === 0) throw new Error("a transaction without signers");
  }
  return ((performance.now() - started) * 1000) / txs.length;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Invokes the top-level instruction made, by a transaction's logs. */
const cpisIn = (logs: string[]) => logs.filter((line) => /^Program \w+ invoke \[2\]$/.test(line)).length;

/**
 * `chain` is a list of (kind, what it adds to the kind before it), from the cheapest reference
 * to the measured kind, the last: its steps, each the difference of median times, which add
 * up to the measured kind's median time exactly. A step includes the harness's JavaScript
 * its ingredient costs (more accounts are more to re-encode).
 */
export function decompose(micros: Record<Kind, number>, chain: [Kind, string][]): Step[] {
  return chain.map(([kind, what], i) => ({ what, micros: micros[kind] - (i === 0 ? 0 : micros[chain[i - 1][0]]) }));
}

export async function benchThroughput(): Promise<Throughput> {
  const bank = await startBank("litesvm");
  const world = await setUpBandwidth(bank);
  // One more of each kind than the rounds time: the first, untimed, warms up.
  const count = ROUNDS * PER_ROUND + 1;
  // The stakers' top-ups, a consumer's receipts to one provider, and transfers between token
  // accounts of one wallet: each transaction differs (amounts grow), so none repeats.
  const staker = await newStaker(world.staking, 1_000n * MEDIA);
  await staker.stake(MIN_STAKE);
  const operator = await newOperator(world, 1_000n * MEDIA);
  const consumer = await newConsumer(world, 1_000n * MEDIA, 0n);
  const handle = await openEscrow(world, consumer, operator, world.mediaMint, 500n * MEDIA);
  const wallet = consumer.wallet;
  // The Ed25519 verify and settle_receipt instructions of the next receipt: 1 MiB more per
  // receipt, paid at the escrow's price.
  const nextSettlement = () => settleInstructions(world, handle, handle.channel.pay(1n << 20n));
  // The legacy-message settlements pay from an escrow of their own: receipts of one escrow
  // must settle in order, and the two kinds take turns.
  const legacyHandle = await openEscrow(world, await newConsumer(world, 1_000n * MEDIA, 0n), operator, world.mediaMint, 500n * MEDIA);
  const nextLegacySettlement = () => settleInstructions(world, legacyHandle, legacyHandle.channel.pay(1n << 20n));

  // One settlement first, untimed: its logs say how many CPIs settle makes, and it warms every
  // program. The references make as many top-level transfers from the consumer's account to
  // the token accounts settle pays (the writable ones it lists other than the escrow's vault),
  // so that they list nearly the accounts settle lists.
  const firstSettle = signed(await bank.runtime.latestBlockhash(), await nextSettlement(), [operator.wallet]);
  const first = await bank.runtime.process(firstSettle);
  if (first.error) throw new Error(`settle_receipt failed before measuring throughput: ${first.error}\n${first.logs.join("\n")}`);
  const settleCpis = cpisIn(first.logs);
  if (settleCpis === 0) throw new Error("settle_receipt made no CPI: the references' token transfers stand for its CPIs, so there is nothing to compare");
  const paid: PublicKey[] = [];
  for (const [i, key] of firstSettle.message.staticAccountKeys.entries()) {
    if (!firstSettle.message.isAccountWritable(i) || key.equals(handle.vault)) continue;
    if ((await bank.runtime.getAccount(key))?.owner.equals(TOKEN_PROGRAM_ID)) paid.push(key);
  }
  while (paid.length < settleCpis) paid.push(await createTokenAccount(bank, world.mediaMint, wallet.publicKey));
  const sink = await createTokenAccount(bank, world.mediaMint, wallet.publicKey);
  // Taken after the set-up's last transaction (the kit moves to a new blockhash after each).
  const blockhash = await bank.runtime.latestBlockhash();
  const transfer = (amount: bigint, to = sink) => createTransferInstruction(consumer.mediaAccount, to, wallet.publicKey, amount);
  const transfers = (amount: bigint) => paid.slice(0, settleCpis).map((to) => transfer(amount, to));
  // The transfer a top-up makes, as a top-level instruction: the staker's account into the staking vault.
  const topUpTransfer = (amount: bigint) => createTransferInstruction(staker.tokenAccount, world.staking.vault, staker.wallet.publicKey, amount);

  const signing = performance.now();
  process.stderr.write(`  signing ${count} transactions of each of ${KINDS.length} kinds...\n`);
  const txs = Object.fromEntries(KINDS.map((kind) => [kind, [] as VersionedTransaction[]])) as Record<Kind, VersionedTransaction[]>;
  const stakeClient = bank.clients.staking;
  for (let i = 1; i <= count; i++) {
    const amount = BigInt(i);
    const topUp = signed(blockhash, [await stakeClient.stakeInstruction(amount, staker.wallet.publicKey, staker.tokenAccount)], [staker.wallet]);
    const settlement = await nextSettlement();
    const settle = signed(blockhash, settlement, [operator.wallet]);
    const verify = settlement[0];
    if (!verify.programId.equals(Ed25519Program.programId)) throw new Error("settle_receipt's transaction does not open with its Ed25519 verify");
    const manyTransfers = transfers(amount);
    const last = manyTransfers.length - 1;
    txs.transfer.push(signed(blockhash, [transfer(amount)], [wallet]));
    txs.topUp.push(topUp);
    txs.settle.push(settle);
    txs.settleLegacy.push(signed(blockhash, await nextLegacySettlement(), [operator.wallet], true));
    txs.feeOnly.push(signed(blockhash, [ComputeBudgetProgram.setComputeUnitLimit({ units: 200_000 + i })], [wallet]));
    txs.transferWithTopUpAccounts.push(signed(blockhash, [listingAccountsOf(topUpTransfer(amount), topUp, [])], [staker.wallet]));
    txs.verify.push(signed(blockhash, [verify], [operator.wallet]));
    txs.transfers.push(signed(blockhash, manyTransfers, [wallet]));
    txs.verifyTransfers.push(signed(blockhash, [verify, ...manyTransfers], [wallet]));
    const listedElsewhere = [verify.programId, ...manyTransfers.flatMap((ix) => ix.keys.map((k) => k.pubkey))];
    txs.verifyTransfersWithSettleAccounts.push(
      signed(blockhash, [verify, ...manyTransfers.slice(0, last), listingAccountsOf(manyTransfers[last], settle, listedElsewhere)], [wallet]),
    );
  }
  process.stderr.write(`  signed in ${((performance.now() - signing) / 1000).toFixed(1)} s\n`);
  return measure(bank, txs, settleCpis);
}

/** What each kind is, for tables; `cpis` is settle_receipt's CPI count. */
function labels(cpis: number): Record<Kind, string> {
  const transfers = `${cpis} SPL transfer${cpis === 1 ? "" : "s"}`;
  return {
    transfer: "SPL token transfer",
    topUp: "stake top-up",
    settle: "settle_receipt (with its Ed25519 verify)",
    settleLegacy: "settle_receipt as a legacy message (as this bench sent it before)",
    feeOnly: "reference: fee only (one ComputeBudget instruction)",
    transferWithTopUpAccounts: "reference: the top-up's SPL transfer (staker to staking vault), listing the top-up's accounts too",
    verify: "reference: settle's Ed25519 verify alone",
    transfers: `reference: ${transfers} (settle's CPIs, top level, to the accounts settle pays)`,
    verifyTransfers: `reference: Ed25519 verify + ${transfers}`,
    verifyTransfersWithSettleAccounts: `reference: Ed25519 verify + ${transfers}, listing settle's accounts too`,
  };
}

/** Signatures a transaction makes the runtime check: its signers' and its Ed25519 instructions' (the first data byte counts them). */
function signaturesChecked(tx: VersionedTransaction): number {
  const { message } = tx;
  const ed25519 = message.compiledInstructions.filter((ix) => message.staticAccountKeys[ix.programIdIndex].equals(Ed25519Program.programId));
  return message.header.numRequiredSignatures + ed25519.reduce((sum, ix) => sum + ix.data[0], 0);
}

/** Times every kind in `ROUNDS` rounds of `PER_ROUND` transactions each, rotating which kind goes first. */
async function measure(bank: Bank, txs: Record<Kind, VersionedTransaction[]>, settleCpis: number): Promise<Throughput> {
  const rates = Object.fromEntries(KINDS.map((kind) => [kind, [] as number[]])) as Record<Kind, number[]>;
  const harness = Object.fromEntries(KINDS.map((kind) => [kind, [] as number[]])) as Record<Kind, number[]>;
  const computeUnits = {} as Record<Kind, number>;
  const names = labels(settleCpis);
  for (const kind of KINDS) {
    // Each kind's first transaction, untimed: it warms its programs and accounts and tells its compute units.
    const result = await bank.runtime.process(txs[kind][0]);
    if (result.error) throw new Error(`${names[kind]} failed before measuring throughput: ${result.error}\n${result.logs.join("\n")}`);
    computeUnits[kind] = Number(result.computeUnits);
  }
  for (let round = 0; round < ROUNDS; round++) {
    const from = 1 + round * PER_ROUND;
    for (let k = 0; k < KINDS.length; k++) {
      const kind = KINDS[(round + k) % KINDS.length];
      rates[kind].push(await timed(bank, txs[kind].slice(from, from + PER_ROUND), names[kind]));
    }
    for (const kind of KINDS) harness[kind].push(harnessMicros(txs[kind].slice(from, from + PER_ROUND)));
    if ((round + 1) % 21 === 0) process.stderr.write(`  throughput round ${round + 1}/${ROUNDS}\n`);
  }
  // Rounds pair the kinds under the same load: a kind's rate is its ratio to the transfers,
  // median over the rounds, at the transfers' median rate. (Each kind's own median rate would
  // mix rounds of different load, and steps between kinds would not add up to anything.)
  const ratio = (kind: Kind) => median(rates[kind].map((rate, round) => rate / rates.transfer[round]));
  const transferRate = median(rates.transfer);
  const kinds = {} as Record<Kind, KindFigures>;
  for (const kind of KINDS) {
    const sample = txs[kind][0];
    kinds[kind] = {
      label: names[kind],
      perSecond: transferRate * ratio(kind),
      micros: 1e6 / (transferRate * ratio(kind)),
      ratio: ratio(kind),
      ratioInRuntime: median(rates[kind].map((rate, round) => (1e6 / rates.transfer[round] - harness.transfer[round]) / (1e6 / rate - harness[kind][round]))),
      bytes: sample.serialize().length,
      accounts: sample.message.staticAccountKeys.length,
      instructions: sample.message.compiledInstructions.length,
      signatures: signaturesChecked(sample),
      computeUnits: computeUnits[kind],
      harnessMicros: median(harness[kind]),
    };
  }
  const micros = Object.fromEntries(KINDS.map((kind) => [kind, kinds[kind].micros])) as Record<Kind, number>;
  const transfers = `${settleCpis} SPL transfer${settleCpis === 1 ? "" : "s"}`;
  const base = "a transaction: its signature checked, its fee, the harness's JavaScript";
  return {
    kinds,
    settleCpis,
    settleSteps: decompose(micros, [
      ["feeOnly", base],
      ["verify", "the Ed25519 verify instruction"],
      ["verifyTransfers", `${transfers}, as top-level instructions`],
      ["verifyTransfersWithSettleAccounts", "settle's other accounts, loaded and stored"],
      ["settle", "the bandwidth program: its execution, its invokes' overhead, its event"],
    ]),
    topUpSteps: decompose(micros, [
      ["feeOnly", base],
      ["transfer", "an SPL transfer, as a top-level instruction"],
      ["transferWithTopUpAccounts", "the top-up's other accounts, loaded and stored"],
      ["topUp", "the staking program: its execution, its invoke's overhead, its event"],
    ]),
    transfer: kinds.transfer.perSecond,
    topUp: kinds.topUp.perSecond,
    settle: kinds.settle.perSecond,
    topUpRatio: kinds.topUp.ratio,
    settleRatio: kinds.settle.ratio,
  };
}

const fixed = (value: number, digits = 0) => value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A decomposition as table rows: each step's microseconds and its share of the whole. */
function stepRows(steps: Step[]): string[] {
  const whole = steps.reduce((sum, step) => sum + step.micros, 0);
  return [
    ...steps.map((step) => `| ${step.what} | ${fixed(step.micros)} | ${fixed((100 * step.micros) / whole, 1)}% |`),
    `| **total** | **${fixed(whole)}** | 100% |`,
  ];
}

/** The Throughput section of BENCHMARKS.md. */
export function throughputSection(t: Throughput): string[] {
  const { kinds } = t;
  const transfer = kinds.transfer.micros;
  const within = (target: number) => fixed(transfer / target);
  const settleFixed = kinds.verifyTransfersWithSettleAccounts.micros;
  const topUpFixed = kinds.transferWithTopUpAccounts.micros;
  return [
    "## Throughput",
    "",
    "Transactions per second in one LiteSVM process, signed beforehand (one signer each, paying",
    "its own fee), the kinds taking turns in short rounds, each round starting at the next kind;",
    "ratios are medians of each round's ratio to that round's plain SPL token transfers, and rates",
    "and times those ratios at the transfers' median rate (wall time on this machine, so indicative;",
    "pairing by round cancels most of the load other work puts on the machine, but the ratios still",
    "move by a few hundredths between a quiet and a loaded machine, where the fixed cost of every",
    "transaction weighs differently, so a ratio that close to its target is no verdict). Targets: stake",
    "top-up >= 0.8×, settle_receipt >= 0.5×. The reference transactions take the two apart: each",
    "adds one ingredient of the measured transaction to the one before (scripts/bench/throughput.ts);",
    "on a loaded machine a step moves by up to about a third of a transfer's time from run to run,",
    "so only the larger steps, and the references' ratios, carry a conclusion.",
    "*Harness JS* is the testing kit's JavaScript before LiteSVM sees a transaction (serializing it",
    "and reading its signers from the bytes), timed alone: part of every rate, and of the fee-only step below.",
    "Every kind is a version-0 message: web3.js holds a legacy message's instruction data as base58",
    "text, which serializing converts in quadratic time, so a legacy settle_receipt (its Ed25519",
    "instruction carries ~200 bytes) pays for web3.js rather than LiteSVM (the legacy row).",
    "",
    "| transaction | per second | µs each | ratio to SPL transfers | of which harness JS (µs) | ratio without harness JS | bytes | accounts | instructions | signatures checked | CU |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...KINDS.map((kind) => {
      const k = kinds[kind];
      return `| ${k.label} | ${fixed(k.perSecond)} | ${fixed(k.micros)} | ${k.ratio.toFixed(2)}× | ${fixed(k.harnessMicros)} | ${k.ratioInRuntime.toFixed(2)}× | ${k.bytes} | ${k.accounts} | ${k.instructions} | ${k.signatures} | ${k.computeUnits} |`;
    }),
    "",
    `settle_receipt, step by step (µs per transaction; ${t.settleCpis} CPIs, each matched by a top-level transfer). Its target,`,
    `0.5×, means at most ${within(0.5)} µs; without its program (the last step) it already takes ${fixed(settleFixed)} µs`,
    `(${(transfer / settleFixed).toFixed(2)}× the transfers' rate). Of its ${fixed(kinds.settle.micros)} µs, ${fixed(kinds.settle.harnessMicros)} are the harness's JavaScript`,
    `(${fixed((100 * kinds.settle.harnessMicros) / kinds.settle.micros)}%; a transfer's: ${fixed(kinds.transfer.harnessMicros)} of ${fixed(transfer)}).`,
    "",
    "| step | µs | share |",
    "|---|---:|---:|",
    ...stepRows(t.settleSteps),
    "",
    `Stake top-up, step by step. Its target, 0.8×, means at most ${within(0.8)} µs; without its program it already takes`,
    `${fixed(topUpFixed)} µs (${(transfer / topUpFixed).toFixed(2)}× the transfers' rate). Of its ${fixed(kinds.topUp.micros)} µs, ${fixed(kinds.topUp.harnessMicros)} are the harness's`,
    `JavaScript (${fixed((100 * kinds.topUp.harnessMicros) / kinds.topUp.micros)}%).`,
    "",
    "| step | µs | share |",
    "|---|---:|---:|",
    ...stepRows(t.topUpSteps),
  ];
}
