/**
 * Throughput next to the floor: transactions per second of a stake top-up and of a
 * settle_receipt (with its Ed25519 verify instruction) as a ratio of plain SPL token
 * transfers, all in one LiteSVM process. Transactions are built and signed first; only
 * processing is timed (the testing kit's `runtime.process`: wire bytes into LiteSVM, signature
 * checks, execution). The kinds take turns in short rounds so that the machine's load, shared
 * with other work, weighs on each alike; a ratio is the median of the rounds' ratios. Wall
 * time, so indicative, unlike the compute units.
 */
import { createTransferInstruction } from "@solana/spl-token";
import { type Keypair, Transaction, type TransactionInstruction, VersionedTransaction } from "@solana/web3.js";
import { MEDIA as MEDIA_BN, STAKING_DEFAULTS, bigintOf } from "../../sdk/src";
import { newConsumer, newOperator, openEscrow, settleInstructions, setUpBandwidth } from "../../tests/utils/bandwidth";
import { type Bank, startBank } from "../../tests/utils/bank";
import { newStaker } from "../../tests/utils/staking";
import { createTokenAccount } from "../../tests/utils/token";

const MEDIA = bigintOf(MEDIA_BN);
const MIN_STAKE = bigintOf(STAKING_DEFAULTS.minStake);
/** Rounds, and transactions of each kind per round. */
const ROUNDS = 21;
const PER_ROUND = 60;

export interface Throughput {
  /** Transactions per second, median over the rounds. */
  transfer: number;
  topUp: number;
  settle: number;
  /** Median over the rounds of each round's rate over that round's transfer rate. */
  topUpRatio: number;
  settleRatio: number;
}

/**
 * One transaction of `instructions`, fee paid by the first signer, signed by all. Versioned,
 * so that sending it does not verify its signatures again in JavaScript (a legacy
 * `Transaction` does, when serialized): LiteSVM verifies them itself, as a validator does.
 */
function signed(blockhash: string, instructions: TransactionInstruction[], signers: Keypair[]): VersionedTransaction {
  const legacy = new Transaction().add(...instructions);
  legacy.feePayer = signers[0].publicKey;
  legacy.recentBlockhash = blockhash;
  const tx = new VersionedTransaction(legacy.compileMessage());
  tx.sign(signers);
  return tx;
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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function benchThroughput(): Promise<Throughput> {
  const bank = await startBank("litesvm");
  const world = await setUpBandwidth(bank);
  const count = ROUNDS * PER_ROUND;
  // The stakers' top-ups, a consumer's receipts to one provider, and transfers between two
  // token accounts of one wallet: each transaction differs (amounts grow), so none repeats.
  const staker = await newStaker(world.staking, 1_000n * MEDIA);
  await staker.stake(MIN_STAKE);
  const operator = await newOperator(world, 1_000n * MEDIA);
  const consumer = await newConsumer(world, 1_000n * MEDIA, 0n);
  const handle = await openEscrow(world, consumer, operator, world.mediaMint, 500n * MEDIA);
  const sink = await createTokenAccount(bank, world.mediaMint, consumer.wallet.publicKey);
  const blockhash = await bank.runtime.latestBlockhash();
  process.stdout.write(`  signing ${count} transactions of each kind...\n`);
  const transfers: VersionedTransaction[] = [];
  const topUps: VersionedTransaction[] = [];
  const settles: VersionedTransaction[] = [];
  const stakeClient = bank.clients.staking;
  for (let i = 1; i <= count; i++) {
    transfers.push(signed(blockhash, [createTransferInstruction(consumer.mediaAccount, sink, consumer.wallet.publicKey, BigInt(i))], [consumer.wallet]));
    topUps.push(signed(blockhash, [await stakeClient.stakeInstruction(BigInt(i), staker.wallet.publicKey, staker.tokenAccount)], [staker.wallet]));
    // 1 MiB more per receipt, paid at the escrow's price.
    const receipt = handle.channel.pay(1n << 20n);
    settles.push(signed(blockhash, await settleInstructions(world, handle, receipt), [operator.wallet]));
  }
  const rates: Record<"transfer" | "topUp" | "settle", number[]> = { transfer: [], topUp: [], settle: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const slice = (txs: VersionedTransaction[]) => txs.slice(round * PER_ROUND, (round + 1) * PER_ROUND);
    rates.transfer.push(await timed(bank, slice(transfers), "an SPL transfer"));
    rates.topUp.push(await timed(bank, slice(topUps), "a stake top-up"));
    rates.settle.push(await timed(bank, slice(settles), "settle_receipt"));
    if ((round + 1) % 7 === 0) process.stdout.write(`  throughput round ${round + 1}/${ROUNDS}\n`);
  }
  const ratio = (kind: number[]) => median(kind.map((rate, round) => rate / rates.transfer[round]));
  return {
    transfer: median(rates.transfer),
    topUp: median(rates.topUp),
    settle: median(rates.settle),
    topUpRatio: ratio(rates.topUp),
    settleRatio: ratio(rates.settle),
  };
}
