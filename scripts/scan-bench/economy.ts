/**
 * The scan bench's scripted economy on an in-process localnet: operators stake and register,
 * consumers open and fund escrows (one paid for by its provider's operator), one provider
 * raises its list price, and every escrow settles small receipts round after round, with a fee
 * burn per round, until the programs have logged at least `events` events. Its transactions
 * are what the RPC catch-up path indexes, and the templates the replay copies.
 */
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import { type Keypair, type PublicKey, Transaction, type TransactionInstruction } from "@solana/web3.js";
import { MediaEconomy, type ReceiptChannel, providerPda } from "../../sdk/src";
import { STORY, type StoryNet, type StoryWallet, fundedWallet, startStoryNet } from "../../tests/localnet/clients/story";

export interface BenchEconomy {
  story: StoryNet;
  /** Every wallet and account the economy created, by base58 key: what the replay substitutes. */
  roles: Map<string, Role>;
  stop(): Promise<void>;
}

/** What a key is in the economy; `index` tells apart the keys of one kind. */
export interface Role {
  kind: "operator" | "provider" | "consumer" | "escrow";
  index: number;
}

const MIB = 1n << 20n;

/** Bytes per receipt: small, so thousands of receipts stay inside a minimum stake's quota. */
const RECEIPT_BYTES = MIB;

export interface BenchEconomyOptions {
  providers: number;
  /** Consumers, each with one escrow, spread over the providers. */
  consumers: number;
  /** Keep settling until the programs have logged at least this many events. */
  events: number;
  log: (line: string) => void;
}

export async function startBenchEconomy(options: BenchEconomyOptions): Promise<BenchEconomy> {
  const story = await startStoryNet();
  try {
    const { connection } = story.net;
    const economyOf = (wallet: Keypair) => new MediaEconomy(new AnchorProvider(connection, new Wallet(wallet), { commitment: "confirmed" }));
    const roles = new Map<string, Role>();
    let events = 0;

    const operators: { wallet: StoryWallet; economy: MediaEconomy }[] = [];
    for (let i = 0; i < options.providers; i++) {
      const wallet = await fundedWallet(story, STORY.stake);
      const economy = economyOf(wallet.keypair);
      await economy.staking.stake(STORY.stake, { tokenAccount: wallet.tokenAccount });
      await economy.bandwidth.registerProvider(STORY.prices);
      roles.set(wallet.keypair.publicKey.toBase58(), { kind: "operator", index: i });
      roles.set(providerPda(wallet.keypair.publicKey).toBase58(), { kind: "provider", index: i });
      operators.push({ wallet, economy });
      events += 2;
    }
    options.log(`economy: ${options.providers} providers staked and registered`);

    const escrows: { operator: (typeof operators)[number]; escrow: PublicKey; channel: ReceiptChannel<Keypair> }[] = [];
    for (let i = 0; i < options.consumers; i++) {
      const operator = operators[i % operators.length];
      const wallet = await fundedWallet(story, STORY.deposit);
      const consumer = economyOf(wallet.keypair);
      // The last consumer's escrow is opened and funded in a transaction its provider's operator pays for.
      const payer = i === options.consumers - 1 ? operator.economy : consumer;
      const escrow = await payer.bandwidth.openEscrow(operator.wallet.keypair.publicKey, story.mediaMint, { signer: wallet.keypair });
      await payer.bandwidth.deposit(escrow, STORY.deposit, wallet.tokenAccount, { signer: wallet.keypair });
      roles.set(wallet.keypair.publicKey.toBase58(), { kind: "consumer", index: i });
      roles.set(escrow.toBase58(), { kind: "escrow", index: i });
      escrows.push({ operator, escrow, channel: await consumer.bandwidth.receiptChannel(escrow, wallet.keypair) });
      events += 2;
    }
    // Escrows keep the price they opened at: the first provider's later receipts are under its new list price.
    await operators[0].economy.bandwidth.updateProvider({ media: STORY.prices.media * 10n, quote: STORY.prices.quote * 10n });
    events += 1;
    options.log(`economy: ${options.consumers} escrows opened and funded`);

    // Settling is sent without waiting for each confirmation: the localnet executes a
    // transaction when it receives it, so one sender per escrow keeps its receipts in order.
    const started = Date.now();
    const initial = events;
    let lastLine = Date.now();
    let blockhash = await connection.getLatestBlockhash("confirmed");
    let blockhashAt = Date.now();
    const recentBlockhash = async () => {
      if (Date.now() - blockhashAt > 5000) {
        blockhashAt = Date.now();
        blockhash = await connection.getLatestBlockhash("confirmed");
      }
      return blockhash.blockhash;
    };
    const sendFast = async (instructions: TransactionInstruction[], signer: Keypair) => {
      const transaction = new Transaction({ feePayer: signer.publicKey, recentBlockhash: await recentBlockhash() }).add(...instructions);
      transaction.sign(signer);
      // A busy localnet drops a keep-alive socket now and then; resending the same signed
      // transaction is safe (a duplicate signature is not executed twice).
      for (let attempt = 1; ; attempt++) {
        try {
          await connection.sendRawTransaction(transaction.serialize(), { skipPreflight: true });
          return;
        } catch (error) {
          if (attempt >= 5) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        }
      }
    };
    const burner = operators[0];
    const { mediaMint, mediaVault } = await burner.economy.treasury.fetchConfig();
    // Each escrow's first receipt alone in its transaction, then two of one provider's per
    // transaction (the most that fits in its 1232 bytes).
    await Promise.all(
      escrows.map(async ({ operator, channel }) => {
        const settle = await operator.economy.bandwidth.settleReceiptInstructions(
          channel.pay(RECEIPT_BYTES),
          { providerTokenAccount: operator.wallet.tokenAccount, treasuryVault: story.treasuryMediaVault },
          operator.wallet.keypair.publicKey,
        );
        await sendFast(settle, operator.wallet.keypair);
        events += 1;
      }),
    );
    const pairs: (typeof escrows)[] = [];
    for (let i = 0; i < escrows.length; i += 2 * operators.length) {
      for (let j = i; j < Math.min(i + operators.length, escrows.length); j++) pairs.push(escrows.slice(j, j + 1).concat(escrows[j + operators.length] ?? []));
    }
    await Promise.all(
      pairs.map(async (pair, index) => {
        const { operator } = pair[0];
        while (events < options.events) {
          const instructions: TransactionInstruction[] = [];
          for (const { channel } of pair) {
            instructions.push(
              ...(await operator.economy.bandwidth.settleReceiptInstructions(
                channel.pay(RECEIPT_BYTES),
                { providerTokenAccount: operator.wallet.tokenAccount, treasuryVault: story.treasuryMediaVault },
                operator.wallet.keypair.publicKey,
              )),
            );
          }
          await sendFast(instructions, operator.wallet.keypair);
          events += pair.length;
          // A fee burn now and then (the first sender's turn), as a keeper would run it.
          if (index === 0) {
            await sendFast([await burner.economy.treasury.burnFeesInstruction({ mediaMint, mediaVault })], burner.wallet.keypair);
            events += 1;
          }
          if (Date.now() - lastLine >= 2000) {
            lastLine = Date.now();
            const seconds = (Date.now() - started) / 1000;
            options.log(`economy: ${events} of ${options.events} events logged, ${((events - initial) / seconds).toFixed(0)} events/s`);
          }
        }
      }),
    );
    return { story, roles, stop: () => story.stop() };
  } catch (error) {
    await story.stop();
    throw error;
  }
}
