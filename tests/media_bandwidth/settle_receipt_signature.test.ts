/**
 * The receipt's signature itself, on a runtime that runs the Ed25519 precompile.
 *
 * solana-bankrun's 1.18 bank skips precompile verification, so the state is built there
 * through the Anchor clients and mirrored into LiteSVM (current Agave runtime), which
 * verifies every Ed25519 instruction before any program runs. A forged signature then fails
 * the whole transaction in the precompile (error 2, `InvalidSignature`) and nothing moves.
 */
import { expect } from "chai";
import { signReceipt } from "../../sdk/src";
import { type Bank, startBank } from "../utils/bank";
import {
  type BandwidthWorld,
  type EscrowHandle,
  GIB,
  LiteMirror,
  MEDIA,
  newConsumer,
  newOperator,
  openEscrow,
  setUpBandwidth,
  settleAccounts,
  settleInstructions,
} from "../utils/bandwidth";

/** The Ed25519 precompile's `PrecompileError::InvalidSignature`. */
const INVALID_SIGNATURE = 2;

describe("media_bandwidth: settle_receipt signature (LiteSVM, precompile enforced)", () => {
  let bank: Bank;
  let world: BandwidthWorld;
  let media: EscrowHandle;
  let mirror: LiteMirror;

  before(async () => {
    bank = await startBank();
    world = await setUpBandwidth(bank);
    const operator = await newOperator(world, 100n * MEDIA);
    const consumer = await newConsumer(world);
    media = await openEscrow(world, consumer, operator, world.mediaMint, 10n * MEDIA);
    mirror = await LiteMirror.of(bank, settleAccounts(world, media), bank.payer);
  });

  it("test_settle_receipt_fails_when_signature_is_forged: the precompile rejects it and nothing changes", async () => {
    const receipt = media.channel.pay(GIB, 1_000n);
    const forged = { ...receipt, signature: Uint8Array.from(receipt.signature) };
    forged.signature[10] ^= 0x01;
    const before = mirror.state(settleAccounts(world, media));
    expect(mirror.send(await settleInstructions(world, media, forged), [media.operator.wallet])).to.deep.equal({
      index: 0,
      code: INVALID_SIGNATURE,
    });
    expect(mirror.state(settleAccounts(world, media))).to.deep.equal(before);
  });

  it("test_settle_receipt_fails_when_signature_is_for_another_amount: the precompile rejects it", async () => {
    // A genuine consumer signature over 1,000 units, presented as a receipt for 5,000,000
    const signed = signReceipt(media.consumer.wallet, media.escrow, 2n * GIB, 1_000n);
    const inflated = { ...signed, cumulativeAmount: 5n * MEDIA };
    const before = mirror.state(settleAccounts(world, media));
    expect(mirror.send(await settleInstructions(world, media, inflated), [media.operator.wallet])).to.deep.equal({
      index: 0,
      code: INVALID_SIGNATURE,
    });
    expect(mirror.state(settleAccounts(world, media))).to.deep.equal(before);
  });

  it("test_settle_receipt_ok_on_litesvm: the same receipt, honestly signed, settles on the mirror", async () => {
    const receipt = media.channel.pay(GIB, 1_000n);
    const before = mirror.state([media.vault]);
    expect(mirror.send(await settleInstructions(world, media, receipt), [media.operator.wallet])).to.equal(null);
    expect(mirror.state([media.vault])).to.not.deep.equal(before);
  });
});
