/**
 * Acceptance, web3.js v1: a dApp that holds a `Connection` builds every instruction with the
 * SDK's builders, sends them as legacy and version-0 transactions through web3.js, and learns
 * what happened through web3.js's subscriptions (`onLogs` per program, `onAccountChange` on the
 * stake account), decoded with the SDK, against the localnet over HTTP and its websocket.
 */
import { AnchorProvider, type Idl, Wallet } from "@coral-xyz/anchor";
import {
  type Connection,
  type Keypair,
  type Logs,
  type TransactionInstruction,
  Transaction,
  TransactionMessage,
  VersionedTransaction,
  sendAndConfirmTransaction,
} from "@solana/web3.js";
import { expect } from "chai";
import {
  MEDIA_BANDWIDTH_IDL,
  MEDIA_BANDWIDTH_PROGRAM_ID,
  MEDIA_STAKING_IDL,
  MEDIA_STAKING_PROGRAM_ID,
  MediaEconomy,
  ReceiptChannel,
  parseEvents,
  parseTransactionEvents,
} from "../../../sdk/src";
import { rpcTokenBalance } from "../../utils/rpc";
import {
  type PlainEvent,
  asLogged,
  SETTLEMENT,
  STORY,
  eventually,
  expectedStoryEvents,
  plainEvent,
  storyCast,
  subscriptionsAcknowledged,
  givenStoryNet,
} from "./story";

/** Sends `instructions` as a version-0 transaction paid by `payer`, and waits for confirmation over the websocket. */
async function sendV0(connection: Connection, payer: Keypair, instructions: TransactionInstruction[]): Promise<string> {
  const latest = await connection.getLatestBlockhash("confirmed");
  const message = new TransactionMessage({ payerKey: payer.publicKey, recentBlockhash: latest.blockhash, instructions }).compileToV0Message();
  const transaction = new VersionedTransaction(message);
  transaction.sign([payer]);
  const signature = await connection.sendTransaction(transaction);
  const { value } = await connection.confirmTransaction({ signature, ...latest }, "confirmed");
  if (value.err) throw new Error(`${signature} failed: ${JSON.stringify(value.err)}`);
  return signature;
}

describe("localnet clients: web3.js v1 drives the staking-and-receipt story", () => {
  const scene = givenStoryNet();

  it("web3js story ok: stake 25 MEDIA, register, escrow 10 MEDIA, settle a 1 GiB receipt; onLogs and onAccountChange deliver every event with exact amounts", async () => {
    const { connection } = scene.story.net;
    const cast = await storyCast(scene.story);
    const { operator, consumer } = cast;
    // The SDK builds instructions over any Anchor provider; nothing below sends through it.
    const economy = new MediaEconomy(new AnchorProvider(connection, new Wallet(operator.keypair), { commitment: "confirmed" }));

    // Given subscriptions to both programs' logs and to the operator's stake account
    const events: PlainEvent[] = [];
    const signatures = new Set<string>();
    const decode = (programId: typeof MEDIA_STAKING_PROGRAM_ID, idl: unknown) => (logs: Logs) => {
      if (logs.err !== null) return;
      events.push(...parseEvents(programId, idl as Idl, logs.logs).map(plainEvent));
      signatures.add(logs.signature);
    };
    const stakingLogs = connection.onLogs(MEDIA_STAKING_PROGRAM_ID, decode(MEDIA_STAKING_PROGRAM_ID, MEDIA_STAKING_IDL), "confirmed");
    const bandwidthLogs = connection.onLogs(MEDIA_BANDWIDTH_PROGRAM_ID, decode(MEDIA_BANDWIDTH_PROGRAM_ID, MEDIA_BANDWIDTH_IDL), "confirmed");
    const stakeActive: string[] = [];
    const stakeAccount = economy.staking.stakeAccountAddress(operator.keypair.publicKey);
    const stakeWatch = connection.onAccountChange(
      stakeAccount,
      (account) => stakeActive.push(economy.programs.staking.coder.accounts.decode("stakeAccount", account.data).active.toString()),
      { commitment: "confirmed" },
    );
    // web3.js sends the subscribe requests once its websocket is open: wait for the acknowledgements.
    await eventually(() => subscriptionsAcknowledged(connection, 3), "the three subscriptions to be acknowledged");

    // When the operator stakes 25 MEDIA (legacy transaction)
    const stake = await economy.staking.stakeInstruction(STORY.stake, operator.keypair.publicKey, operator.tokenAccount);
    await sendAndConfirmTransaction(connection, new Transaction().add(stake), [operator.keypair], { commitment: "confirmed" });
    await eventually(() => events.length === 1 && stakeActive.length === 1, "Staked and the stake account's change");
    expect(stakeActive).to.deep.equal([STORY.stake.toString()]);

    // and registers as a provider at the story's prices, opening its operator pool first (version-0
    // transactions, one each: the two programs' log subscriptions need not deliver in program order)
    const [openOperator, register] = await economy.bandwidth.registerProviderInstructions(STORY.prices, operator.keypair.publicKey);
    await sendV0(connection, operator.keypair, [openOperator]);
    await eventually(() => events.length === 2, "OperatorOpened");
    await sendV0(connection, operator.keypair, [register]);
    await eventually(() => events.length === 3, "ProviderRegistered");

    // When the consumer opens an escrow in MEDIA with that provider and deposits 10 MEDIA, in one transaction
    const consumerKey = consumer.keypair.publicKey;
    await sendV0(connection, consumer.keypair, [
      await economy.bandwidth.openEscrowInstruction(cast.provider, scene.story.mediaMint, consumerKey),
      await economy.bandwidth.depositInstruction(cast.escrow, STORY.deposit, consumer.tokenAccount, consumerKey),
    ]);
    await eventually(() => events.length === 5, "EscrowOpened and EscrowFunded");

    // and signs a receipt for 1 GiB at the escrow's price, off chain
    const channel = ReceiptChannel.forEscrow(consumer.keypair, cast.escrow, (await economy.bandwidth.fetchEscrow(cast.escrow))!);
    const receipt = channel.pay(STORY.bytes);
    expect(receipt.cumulativeAmount).to.equal(STORY.amount);

    // Then the provider settles it: [Ed25519 verify, settle_receipt]
    const treasuryBefore = await rpcTokenBalance(connection, scene.story.treasuryMediaVault);
    const settle = await economy.bandwidth.settleReceiptInstructions(
      receipt,
      { providerTokenAccount: operator.tokenAccount, treasuryVault: scene.story.treasuryMediaVault },
      operator.keypair.publicKey,
    );
    await sendV0(connection, operator.keypair, settle);
    await eventually(() => events.length === 6, "ReceiptSettled");

    // and every event arrived once, in order, with the story's exact figures
    expect(events).to.deep.equal(asLogged(expectedStoryEvents(scene.story, cast)));
    // and read with their transactions, the same events are whole: the fields the logs leave to
    // each instruction (the staker, the escrow, the provider, the amounts asked for) are its own
    const whole: PlainEvent[] = [];
    for (const signature of signatures) {
      const transaction = await connection.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
      if (!transaction) throw new Error(`the localnet returns no transaction ${signature}`);
      whole.push(...parseTransactionEvents(economy.programIds, transaction).map(plainEvent));
    }
    expect(whole).to.deep.equal(expectedStoryEvents(scene.story, cast));
    expect(await rpcTokenBalance(connection, operator.tokenAccount)).to.equal(SETTLEMENT.provider);
    expect((await rpcTokenBalance(connection, scene.story.treasuryMediaVault)) - treasuryBefore).to.equal(SETTLEMENT.treasury);
    expect(await rpcTokenBalance(connection, economy.staking.vaultAddress())).to.equal(STORY.stake + SETTLEMENT.stakers);

    await connection.removeOnLogsListener(stakingLogs);
    await connection.removeOnLogsListener(bandwidthLogs);
    await connection.removeAccountChangeListener(stakeWatch);
  });

  it("web3js logs no retry loop: from start to the localnet's shutdown, no websocket error, retry or reconnect was printed", async () => {
    await scene.story.stop();
    // A client that reconnects in a loop prints within milliseconds; give it a second.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(scene.watch.retryNoise()).to.deep.equal([]);
  });
});
