/**
 * The receipt's signature itself, on a runtime that runs the Ed25519 precompile.
 *
 * solana-bankrun's 1.18 bank skips precompile verification, so these tests always use a
 * LiteSVM bank (the current Agave runtime), which verifies every Ed25519 instruction before
 * any program runs. A forged signature then fails the whole transaction in the precompile
 * (`InvalidSignature`, custom error 2 of instruction 0) and nothing moves.
 */
import { expect } from "chai";
import { ReceiptSignatureError, type SignedReceipt, signReceipt } from "../../sdk/src";
import { expectUnchanged, snapshot } from "../utils/assertions";
import { type Bank, startBank } from "../utils/bank";
import {
  type BandwidthWorld,
  type EscrowHandle,
  GIB,
  MEDIA,
  newConsumer,
  newOperator,
  openEscrow,
  setUpBandwidth,
  settle,
  settleAccounts,
} from "../utils/bandwidth";
import { tokenBalance } from "../utils/token";

describe("media_bandwidth: settle_receipt signature (LiteSVM, precompile enforced)", () => {
  let bank: Bank;
  let world: BandwidthWorld;
  let media: EscrowHandle;

  before(async () => {
    bank = await startBank("litesvm");
    world = await setUpBandwidth(bank);
    const operator = await newOperator(world, 100n * MEDIA);
    const consumer = await newConsumer(world);
    media = await openEscrow(world, consumer, operator, world.mediaMint, 10n * MEDIA);
  });

  /** Settling `receipt` fails in the precompile with InvalidSignature and changes nothing. */
  async function refusedByPrecompile(receipt: SignedReceipt) {
    const before = await snapshot(bank, settleAccounts(world, media));
    let failure: unknown;
    try {
      await settle(world, media, receipt);
    } catch (error) {
      failure = error;
    }
    // The SDK names the precompile's refusal (custom error 0x2 of instruction 0).
    expect(failure).to.be.instanceOf(ReceiptSignatureError);
    expect((failure as ReceiptSignatureError).reason).to.equal("InvalidSignature");
    expect((failure as ReceiptSignatureError).instruction).to.equal(0);
    await expectUnchanged(bank, before);
  }

  it("settle_receipt fails when signature is forged: the precompile rejects it and nothing changes", async () => {
    const receipt = media.channel.pay(GIB);
    const forged = { ...receipt, signature: Uint8Array.from(receipt.signature) };
    forged.signature[10] ^= 0x01;
    await refusedByPrecompile(forged);
  });

  it("settle_receipt fails when signature is for another amount: the precompile rejects it", async () => {
    // A genuine consumer signature over 0.2 MEDIA, presented as a receipt for 5 MEDIA
    const signed = signReceipt(media.consumer.wallet, media.escrow, media.nonce, 2n * GIB, 200_000n);
    await refusedByPrecompile({ ...signed, cumulativeAmount: 5n * MEDIA });
  });

  it("settle_receipt succeeds on litesvm: the same receipt, honestly signed, settles", async () => {
    const before = await tokenBalance(bank, media.vault);
    const settled = BigInt((await bank.programs.bandwidth.account.escrow.fetch(media.escrow)).settledAmount.toString());
    const receipt = media.channel.pay(GIB);
    await settle(world, media, receipt);
    // The cumulative receipt pays everything above what the escrow had settled.
    expect(await tokenBalance(bank, media.vault)).to.equal(before - (receipt.cumulativeAmount - settled));
  });
});
