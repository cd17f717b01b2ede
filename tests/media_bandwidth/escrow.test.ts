/** `open_escrow`, `deposit`, `request_close`, `close_escrow`, and the pause switch's effect on them. */
import BN from "bn.js";
import { expect } from "chai";
import { disputeWindowOver } from "../../sdk/src";
import { setUnixTimestamp, unixTimestamp, warpSeconds, given } from "../utils/bank";
import { eventsOf, expectProgramError, expectUnchanged, snapshot, expectRefused } from "../utils/assertions";
import {
  type Consumer,
  MEDIA,
  GIB,
  depositInto,
  escrowOf,
  newConsumer,
  newOperator,
  openEscrow,
  setUpBandwidth,
  settle,
  settleAccounts,
} from "../utils/bandwidth";
import { createMint, tokenBalance } from "../utils/token";
import { MIN_STAKE } from "../utils/constants";

describe("media_bandwidth: escrows", () => {
  const cast = given(async (bank) => {
    const world = await setUpBandwidth(bank);
    const operator = await newOperator(world, MIN_STAKE);
    return { world, operator };
  });

  const requestClose = (consumer: Consumer, escrow: ReturnType<typeof escrowOf>) =>
    cast.bank.programs.bandwidth.methods
      .requestClose()
      .accounts({ consumer: consumer.wallet.publicKey, escrow: escrow.escrow })
      .signers([consumer.wallet])
      .rpc();
  const closeEscrow = (consumer: Consumer, escrow: ReturnType<typeof escrowOf>) =>
    cast.bank.programs.bandwidth.methods
      .closeEscrow()
      .accounts({ consumer: consumer.wallet.publicKey, consumerTokenAccount: escrow.consumerAccount, escrow: escrow.escrow })
      .signers([consumer.wallet])
      .rpc();
  const setPaused = (paused: boolean) => cast.bank.clients.bandwidth.setPaused(paused);

  it("open_escrow succeeds and deposit succeeds: escrow and vault created, deposit lands, events emitted", async () => {
    const consumer = await newConsumer(cast.world);
    const handle = await openEscrow(cast.world, consumer, cast.operator, cast.world.mediaMint);
    const escrow = await cast.bank.programs.bandwidth.account.escrow.fetch(handle.escrow);
    expect(escrow.consumer.toBase58()).to.equal(consumer.wallet.publicKey.toBase58());
    expect(escrow.vault.toBase58()).to.equal(handle.vault.toBase58());
    const signature = await depositInto(cast.world, handle, 42n * MEDIA);
    expect(await tokenBalance(cast.bank, handle.vault)).to.equal(42n * MEDIA);
    const events = eventsOf(cast.bank, signature, cast.bank.programs.bandwidth as never);
    expect(events.map((e) => e.name)).to.deep.equal(["escrowFunded"]);
    expect(events[0].data.balance.toString()).to.equal((42n * MEDIA).toString());
  });

  it("open_escrow fails when mint not accepted: another mint, or a mint without a price", async () => {
    const consumer = await newConsumer(cast.world);
    const other = await createMint(cast.bank, 6);
    const handle = escrowOf(cast.world, consumer, cast.operator, other);
    const before = await snapshot(cast.bank, [handle.escrow, handle.vault]);
    const open = (mint = other) =>
      cast.bank.programs.bandwidth.methods
        .openEscrow()
        .accounts({ consumer: consumer.wallet.publicKey, provider: cast.operator.provider, mint })
        .signers([consumer.wallet])
        .rpc();
    await expectProgramError(open(), "MintNotAccepted");
    await expectUnchanged(cast.bank, before);
    const mediaOnly = await newOperator(cast.world, MIN_STAKE, { prices: { media: 1n, quote: 0n } });
    await expectProgramError(
      cast.bank.programs.bandwidth.methods
        .openEscrow()
        .accounts({ consumer: consumer.wallet.publicKey, provider: mediaOnly.provider, mint: cast.world.quoteMint })
        .signers([consumer.wallet])
        .rpc(),
      "MintNotAccepted",
    );
    // And a second open of the same escrow fails
    await openEscrow(cast.world, consumer, cast.operator, cast.world.mediaMint);
    await expectProgramError(openEscrow(cast.world, consumer, cast.operator, cast.world.mediaMint), "AlreadyInitialized");
  });

  it("deposit fails when not the consumer or wrong mint", async () => {
    const consumer = await newConsumer(cast.world);
    const handle = await openEscrow(cast.world, consumer, cast.operator, cast.world.mediaMint, 1n * MEDIA);
    const thief = await newConsumer(cast.world);
    const before = await snapshot(cast.bank, [handle.escrow, handle.vault, thief.mediaAccount]);
    await expectProgramError(depositInto(cast.world, { ...handle, consumer: thief, consumerAccount: thief.mediaAccount }, MEDIA), "Unauthorized");
    await expectProgramError(depositInto(cast.world, { ...handle, consumerAccount: consumer.quoteAccount }, MEDIA), "SplToken.MintMismatch");
    await expectProgramError(depositInto(cast.world, handle, 0n), "ZeroAmount");
    await expectUnchanged(cast.bank, before);
  });

  it("close_escrow fails when not requested or window open, and deposits stop once closing", async () => {
    const consumer = await newConsumer(cast.world);
    const handle = await openEscrow(cast.world, consumer, cast.operator, cast.world.quoteMint, 5n * MEDIA);
    await expectRefused(cast.bank, [handle.escrow, handle.vault, handle.consumerAccount], "CloseNotRequested", () => closeEscrow(consumer, handle));
    const signature = await requestClose(consumer, handle);
    expect(eventsOf(cast.bank, signature, cast.bank.programs.bandwidth as never).map((e) => e.name)).to.deep.equal(["escrowCloseRequested"]);
    await expectProgramError(requestClose(consumer, handle), "EscrowClosing");
    await expectProgramError(depositInto(cast.world, handle, MEDIA), "EscrowClosing");
    await expectProgramError(closeEscrow(consumer, handle), "DisputeWindowOpen");
  });

  it("pause: paused refuses opening and deposits but the consumer still gets its own funds back", async () => {
    const consumer = await newConsumer(cast.world);
    const handle = await openEscrow(cast.world, consumer, cast.operator, cast.world.mediaMint, 10n * MEDIA);
    await setPaused(true);
    const other = escrowOf(cast.world, consumer, cast.operator, cast.world.quoteMint);
    const before = await snapshot(cast.bank, [handle.escrow, handle.vault, other.escrow, other.vault, cast.operator.provider]);
    await expectProgramError(depositInto(cast.world, handle, MEDIA), "ProgramPaused");
    await expectProgramError(openEscrow(cast.world, consumer, cast.operator, cast.world.quoteMint), "ProgramPaused");
    await expectUnchanged(cast.bank, before);
    // The refund path stays open while paused: the request is taken at once...
    await requestClose(consumer, handle);
    // ...but the dispute window only runs once the pause is lifted
    await warpSeconds(cast.bank, 86_400);
    await expectProgramError(closeEscrow(consumer, handle), "DisputeWindowOpen");
    await setPaused(false);
    await warpSeconds(cast.bank, 86_400);
    const tokensBefore = await tokenBalance(cast.bank, consumer.mediaAccount);
    await closeEscrow(consumer, handle);
    expect(await tokenBalance(cast.bank, consumer.mediaAccount)).to.equal(tokensBefore + 10n * MEDIA);
    expect(await cast.bank.runtime.getAccount(handle.escrow)).to.equal(null);
  });

  it("close_escrow fails when the window ran while paused: DisputeWindowOpen; the provider settles after the unpause", async () => {
    // Given a consumer who was served 1 GiB and signed a receipt for it
    const consumer = await newConsumer(cast.world);
    const handle = await openEscrow(cast.world, consumer, cast.operator, cast.world.mediaMint, 10n * MEDIA);
    const served = handle.channel.pay(GIB, 2n * MEDIA);
    // When the consumer asks for its money back, and an hour later bandwidth is paused for two days
    await requestClose(consumer, handle);
    const requestedAt = await unixTimestamp(cast.bank);
    await setUnixTimestamp(cast.bank, requestedAt + 3_600n);
    await setPaused(true);
    await setUnixTimestamp(cast.bank, requestedAt + 3_600n + 2n * 86_400n);
    // Then, although a day of wall time has long passed, the escrow cannot be closed
    const touched = [...settleAccounts(cast.world, handle), handle.consumerAccount];
    let before = await snapshot(cast.bank, touched);
    await expectProgramError(closeEscrow(consumer, handle), "DisputeWindowOpen");
    // and the provider cannot settle yet either
    await expectProgramError(settle(cast.world, handle, served), "ProgramPaused");
    await expectUnchanged(cast.bank, before);
    // Once the pause is lifted, only an hour of the window has run: the provider settles in time
    await setPaused(false);
    before = await snapshot(cast.bank, touched);
    await expectProgramError(closeEscrow(consumer, handle), "DisputeWindowOpen");
    await expectUnchanged(cast.bank, before);
    await settle(cast.world, handle, served);
    expect(await tokenBalance(cast.bank, handle.vault)).to.equal(8n * MEDIA);
    // And the consumer is refunded the rest once a whole day of unpaused time has passed
    const escrow = await cast.bank.programs.bandwidth.account.escrow.fetch(handle.escrow);
    const config = await cast.bank.programs.bandwidth.account.bandwidthConfig.fetch(cast.world.config);
    const closableAt = requestedAt + 3n * 86_400n;
    await setUnixTimestamp(cast.bank, closableAt - 1n);
    expect(disputeWindowOver(escrow, config.pause, closableAt - 1n)).to.equal(false);
    before = await snapshot(cast.bank, touched);
    await expectProgramError(closeEscrow(consumer, handle), "DisputeWindowOpen");
    await expectUnchanged(cast.bank, before);
    await setUnixTimestamp(cast.bank, closableAt);
    expect(disputeWindowOver(escrow, config.pause, closableAt)).to.equal(true);
    const tokensBefore = await tokenBalance(cast.bank, consumer.mediaAccount);
    await closeEscrow(consumer, handle);
    expect(await tokenBalance(cast.bank, consumer.mediaAccount)).to.equal(tokensBefore + 8n * MEDIA);
  });

  it("close_escrow keeps the window it started with: a shorter dispute window set later does not apply", async () => {
    const consumer = await newConsumer(cast.world);
    const handle = await openEscrow(cast.world, consumer, cast.operator, cast.world.quoteMint, 5n * MEDIA);
    await requestClose(consumer, handle);
    const authority = cast.bank.payer.publicKey;
    const setWindow = (seconds: number) =>
      cast.bank.programs.bandwidth.methods.setParameters(1_000, 5_000, new BN(86_400), new BN(seconds)).accounts({ authority }).rpc();
    await setWindow(3_600);
    await warpSeconds(cast.bank, 2 * 3_600);
    await expectRefused(cast.bank, [handle.escrow, handle.vault, handle.consumerAccount], "DisputeWindowOpen", () => closeEscrow(consumer, handle));
    await setWindow(86_400);
    await warpSeconds(cast.bank, 86_400);
    await closeEscrow(consumer, handle);
  });
});
