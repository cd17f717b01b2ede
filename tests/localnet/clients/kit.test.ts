/**
 * Acceptance, @solana/kit: a dApp on kit builds with the SDK's builders (converted to kit
 * instructions), signs with kit signers, sends with `sendAndConfirmTransactionFactory` (which
 * confirms over `signatureNotifications` and watches block height through `slotNotifications`),
 * and follows the story through `logsNotifications` and `accountNotifications`, decoded with the
 * SDK, against the localnet over HTTP and its websocket.
 */
import { AnchorProvider, type Idl, Wallet } from "@coral-xyz/anchor";
import {
  type Address,
  type Instruction,
  type KeyPairSigner,
  address,
  appendTransactionMessageInstructions,
  assertIsTransactionWithBlockhashLifetime,
  createKeyPairSignerFromBytes,
  createSolanaRpc,
  createSolanaRpcSubscriptions,
  createTransactionMessage,
  getSignatureFromTransaction,
  pipe,
  sendAndConfirmTransactionFactory,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from "@solana/kit";
import type { PublicKey } from "@solana/web3.js";
import { expect } from "chai";
import {
  MEDIA_BANDWIDTH_IDL,
  MEDIA_BANDWIDTH_PROGRAM_ID,
  MEDIA_STAKING_IDL,
  MEDIA_STAKING_PROGRAM_ID,
  MediaEconomy,
  ReceiptChannel,
  parseEvents,
} from "../../../sdk/src";
import { toKitInstruction } from "./kit-adapter";
import { type PlainEvent, asLogged, SETTLEMENT, STORY, eventually, expectedStoryEvents, plainEvent, storyCast, givenStoryNet } from "./story";

describe("localnet clients: @solana/kit drives the staking-and-receipt story", () => {
  const subscriptions = new AbortController();
  const scene = givenStoryNet(() => subscriptions.abort());

  it("kit story ok: stake 25 MEDIA, register, escrow 10 MEDIA, settle a 1 GiB receipt; logsNotifications and accountNotifications deliver every event with exact amounts", async () => {
    const localnet = scene.story.net.localnet;
    if (!localnet) throw new Error("no in-process localnet");
    const rpc = createSolanaRpc(localnet.url);
    const rpcSubscriptions = createSolanaRpcSubscriptions(localnet.wsUrl);
    const sendAndConfirm = sendAndConfirmTransactionFactory({ rpc, rpcSubscriptions });
    const cast = await storyCast(scene.story);
    const operator = await createKeyPairSignerFromBytes(cast.operator.keypair.secretKey);
    const consumer = await createKeyPairSignerFromBytes(cast.consumer.keypair.secretKey);
    const kitAddress = (key: PublicKey) => address(key.toBase58());
    // The SDK's builders, over a provider they only read through; kit sends everything.
    const economy = new MediaEconomy(new AnchorProvider(scene.story.net.connection, new Wallet(cast.operator.keypair), { commitment: "confirmed" }));

    /** Sends `instructions` in a version-0 transaction paid and signed by `payer`; returns its signature. */
    const send = async (payer: KeyPairSigner, instructions: Instruction[]) => {
      const { value: latestBlockhash } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
      const message = pipe(
        createTransactionMessage({ version: 0 }),
        (m) => setTransactionMessageFeePayerSigner(payer, m),
        (m) => setTransactionMessageLifetimeUsingBlockhash(latestBlockhash, m),
        (m) => appendTransactionMessageInstructions(instructions, m),
      );
      const transaction = await signTransactionMessageWithSigners(message);
      assertIsTransactionWithBlockhashLifetime(transaction);
      await sendAndConfirm(transaction, { commitment: "confirmed" });
      return getSignatureFromTransaction(transaction);
    };
    const tokenBalance = async (account: PublicKey) => BigInt((await rpc.getTokenAccountBalance(kitAddress(account)).send()).value.amount);

    // Given subscriptions to both programs' logs and to the operator's stake account
    const abortSignal = subscriptions.signal;
    const events: PlainEvent[] = [];
    // Each resolves once the subscription is acknowledged, to a promise of its reading loop.
    const follow = async (programId: PublicKey, idl: unknown) => {
      const notifications = await rpcSubscriptions
        .logsNotifications({ mentions: [kitAddress(programId)] }, { commitment: "confirmed" })
        .subscribe({ abortSignal });
      const loop = (async () => {
        for await (const { value } of notifications) {
          if (value.err === null) events.push(...parseEvents(programId, idl as Idl, [...value.logs]).map(plainEvent));
        }
      })();
      return { loop };
    };
    const stakeAccount = economy.staking.stakeAccountAddress(cast.operator.keypair.publicKey);
    const stakeActive: string[] = [];
    const accountNotifications = await rpcSubscriptions
      .accountNotifications(kitAddress(stakeAccount), { commitment: "confirmed", encoding: "base64" })
      .subscribe({ abortSignal });
    const loops = [
      (await follow(MEDIA_STAKING_PROGRAM_ID, MEDIA_STAKING_IDL)).loop,
      (await follow(MEDIA_BANDWIDTH_PROGRAM_ID, MEDIA_BANDWIDTH_IDL)).loop,
      (async () => {
        for await (const { value } of accountNotifications) {
          const data = Buffer.from(value.data[0], "base64");
          stakeActive.push(economy.programs.staking.coder.accounts.decode("stakeAccount", data).active.toString());
        }
      })(),
    ];

    // When the operator stakes 25 MEDIA
    const withOperator = (instruction: Parameters<typeof toKitInstruction>[0]) => toKitInstruction(instruction, [operator]);
    await send(operator, [withOperator(await economy.staking.stakeInstruction(STORY.stake, cast.operator.keypair.publicKey, cast.operator.tokenAccount))]);
    await eventually(() => events.length === 1 && stakeActive.length === 1, "Staked and the stake account's notification");
    expect(stakeActive).to.deep.equal([STORY.stake.toString()]);

    // and registers as a provider at the story's prices, opening its operator pool first (one
    // transaction each: the two programs' log subscriptions need not deliver in program order)
    const [openOperator, register] = await economy.bandwidth.registerProviderInstructions(STORY.prices, cast.operator.keypair.publicKey);
    await send(operator, [withOperator(openOperator)]);
    await eventually(() => events.length === 2, "OperatorOpened");
    await send(operator, [withOperator(register)]);
    await eventually(() => events.length === 3, "ProviderRegistered");

    // When the consumer opens an escrow in MEDIA with that provider and deposits 10 MEDIA, in one transaction
    const consumerKey = cast.consumer.keypair.publicKey;
    await send(consumer, [
      toKitInstruction(await economy.bandwidth.openEscrowInstruction(cast.provider, scene.story.mediaMint, consumerKey), [consumer]),
      toKitInstruction(await economy.bandwidth.depositInstruction(cast.escrow, STORY.deposit, cast.consumer.tokenAccount, consumerKey), [consumer]),
    ]);
    await eventually(() => events.length === 5, "EscrowOpened and EscrowFunded");

    // and signs a receipt for 1 GiB at the escrow's price, off chain
    const channel = ReceiptChannel.forEscrow(cast.consumer.keypair, cast.escrow, (await economy.bandwidth.fetchEscrow(cast.escrow))!);
    const receipt = channel.pay(STORY.bytes);

    // Then the provider settles it: [Ed25519 verify, settle_receipt] through kit
    const treasuryBefore = await tokenBalance(scene.story.treasuryMediaVault);
    const settle = await economy.bandwidth.settleReceiptInstructions(
      receipt,
      { providerTokenAccount: cast.operator.tokenAccount, treasuryVault: scene.story.treasuryMediaVault },
      cast.operator.keypair.publicKey,
    );
    const signature = await send(operator, settle.map(withOperator));
    await eventually(() => events.length === 6, "ReceiptSettled");

    // and every event arrived once, in order, with the story's exact figures
    expect(events).to.deep.equal(asLogged(expectedStoryEvents(scene.story, cast)));
    expect(await tokenBalance(cast.operator.tokenAccount)).to.equal(SETTLEMENT.provider);
    expect((await tokenBalance(scene.story.treasuryMediaVault)) - treasuryBefore).to.equal(SETTLEMENT.treasury);
    expect(await tokenBalance(economy.staking.vaultAddress())).to.equal(STORY.stake + SETTLEMENT.stakers);
    // and the settlement's record reads back through kit with the verify instruction first
    const record = await rpc.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0, encoding: "json" }).send();
    expect(record?.meta?.err).to.equal(null);
    const keys = record?.transaction.message.accountKeys as Address[];
    const programs = record?.transaction.message.instructions.map((instruction) => keys[instruction.programIdIndex]);
    expect(programs).to.deep.equal(["Ed25519SigVerify111111111111111111111111111", MEDIA_BANDWIDTH_PROGRAM_ID.toBase58()]);

    subscriptions.abort();
    await Promise.allSettled(loops);
  });

  it("kit logs no retry loop: from start to the localnet's shutdown, no websocket error, retry or reconnect was printed", async () => {
    await scene.story.stop();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(scene.watch.retryNoise()).to.deep.equal([]);
  });
});
