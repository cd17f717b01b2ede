/**
 * Acceptance, Anchor: each participant holds its own `AnchorProvider` (its wallet pays and
 * signs) and acts through the SDK's senders, which send through `provider.sendAndConfirm`; an
 * indexer's `Program`s hear the story through `program.addEventListener` (Anchor's `onLogs`
 * subscription and event parser), against the localnet over HTTP and its websocket.
 */
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import type { Keypair } from "@solana/web3.js";
import { expect } from "chai";
import { MediaEconomy } from "../../../sdk/src";
import { expectProgramError } from "../../utils/assertions";
import { rpcTokenBalance } from "../../utils/rpc";
import {
  type PlainEvent,
  SETTLEMENT,
  STORY,
  eventually,
  asLogged,
  expectedStoryEvents,
  fundedWallet,
  plainEvent,
  storyCast,
  subscriptionsAcknowledged,
  givenStoryNet,
} from "./story";

describe("localnet clients: Anchor drives the staking-and-receipt story", () => {
  const scene = givenStoryNet();

  it("anchor story ok: stake 25 MEDIA, register, escrow 10 MEDIA, settle a 1 GiB receipt; addEventListener hears every event with exact amounts", async () => {
    const { connection } = scene.story.net;
    const cast = await storyCast(scene.story);
    const economyOf = (wallet: Keypair) => new MediaEconomy(new AnchorProvider(connection, new Wallet(wallet), { commitment: "confirmed" }));
    const operator = economyOf(cast.operator.keypair);
    const consumer = economyOf(cast.consumer.keypair);

    // Given an indexer listening to the story's events through Anchor's Programs
    const indexer = economyOf(scene.story.net.payer);
    const events: PlainEvent[] = [];
    const heard = (name: string) => (event: object) => events.push(plainEvent({ name, data: event as Record<string, unknown> }));
    const { staking, bandwidth } = indexer.programs;
    const listeners = [
      staking.addEventListener("staked", heard("staked"), "confirmed"),
      staking.addEventListener("operatorOpened", heard("operatorOpened"), "confirmed"),
      bandwidth.addEventListener("providerRegistered", heard("providerRegistered"), "confirmed"),
      bandwidth.addEventListener("escrowOpened", heard("escrowOpened"), "confirmed"),
      bandwidth.addEventListener("escrowFunded", heard("escrowFunded"), "confirmed"),
      bandwidth.addEventListener("receiptSettled", heard("receiptSettled"), "confirmed"),
    ];
    // Anchor subscribes once per program; wait until the localnet has acknowledged both.
    await eventually(() => subscriptionsAcknowledged(connection, 2), "Anchor's two onLogs subscriptions to be acknowledged");

    // When the operator stakes 25 MEDIA and registers at the story's prices (senders return signatures)
    const stakeSignature = await operator.staking.stake(STORY.stake, { tokenAccount: cast.operator.tokenAccount });
    expect(stakeSignature).to.be.a("string");
    await eventually(() => events.length === 1, "Staked");
    // It opens its operator pool, then registers (one transaction each: the two programs' log
    // subscriptions need not deliver in program order)
    await operator.staking.openOperator(0, 0);
    await eventually(() => events.length === 2, "OperatorOpened");
    await operator.bandwidth.registerProvider(STORY.prices);
    await eventually(() => events.length === 3, "ProviderRegistered");

    // When the consumer opens an escrow (the sender returns its address) and deposits 10 MEDIA
    const escrow = await consumer.bandwidth.openEscrow(cast.operator.keypair.publicKey, scene.story.mediaMint);
    expect(escrow.toBase58()).to.equal(cast.escrow.toBase58());
    await consumer.bandwidth.deposit(escrow, STORY.deposit, cast.consumer.tokenAccount);
    await eventually(() => events.length === 5, "EscrowOpened and EscrowFunded");

    // and signs a receipt for 1 GiB at the escrow's price, off chain
    const channel = await consumer.bandwidth.receiptChannel(escrow, cast.consumer.keypair);
    const receipt = channel.pay(STORY.bytes);

    // Then the provider settles it
    const treasuryBefore = await rpcTokenBalance(connection, scene.story.treasuryMediaVault);
    await operator.bandwidth.settleReceipt(receipt, { providerTokenAccount: cast.operator.tokenAccount, treasuryVault: scene.story.treasuryMediaVault });
    await eventually(() => events.length === 6, "ReceiptSettled");

    // and every event was heard once, in order, with the story's exact figures
    expect(events).to.deep.equal(asLogged(expectedStoryEvents(scene.story, cast)));
    expect(await rpcTokenBalance(connection, cast.operator.tokenAccount)).to.equal(SETTLEMENT.provider);
    expect((await rpcTokenBalance(connection, scene.story.treasuryMediaVault)) - treasuryBefore).to.equal(SETTLEMENT.treasury);
    expect(await rpcTokenBalance(connection, operator.staking.vaultAddress())).to.equal(STORY.stake + SETTLEMENT.stakers);

    for (const listener of listeners.slice(0, 2)) await staking.removeEventListener(listener);
    for (const listener of listeners.slice(2)) await bandwidth.removeEventListener(listener);
  });

  it("anchor withdraw after time travel ok: surfnet_timeTravel to the unbonding end, as the README shows, lets the stake out", async () => {
    // Given a staker who staked 25 MEDIA and asked for all of it back
    const staker = await fundedWallet(scene.story, STORY.stake);
    const economy = new MediaEconomy(new AnchorProvider(scene.story.net.connection, new Wallet(staker.keypair), { commitment: "confirmed" }));
    const actor = { tokenAccount: staker.tokenAccount };
    await economy.staking.stake(STORY.stake, actor);
    await economy.staking.requestUnstake(STORY.stake, actor);
    const { unbondingEnd } = (await economy.staking.position(staker.keypair.publicKey))!;
    await expectProgramError(economy.staking.withdraw(actor), "UnbondingNotFinished");

    // When the clock travels to the unbonding end
    const response = await fetch(scene.story.net.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "surfnet_timeTravel", params: [{ absoluteTimestamp: Number(unbondingEnd) * 1000 }] }),
    });
    expect(((await response.json()) as { error?: unknown }).error).to.equal(undefined);

    // Then the Clock reads that time and the withdrawal pays the stake back
    expect(await economy.staking.unixTimestamp()).to.equal(unbondingEnd);
    await economy.staking.withdraw(actor);
    expect(await rpcTokenBalance(scene.story.net.connection, staker.tokenAccount)).to.equal(STORY.stake);
  });

  it("anchor logs no retry loop: from start to the localnet's shutdown, no websocket error, retry or reconnect was printed", async () => {
    await scene.story.stop();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(scene.watch.retryNoise()).to.deep.equal([]);
  });
});
