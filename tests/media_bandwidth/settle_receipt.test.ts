/**
 * `settle_receipt` against everything the spec's receipt list throws at it. Each hostile
 * transaction fails with its named error and leaves every account it touches unchanged.
 *
 * solana-bankrun's 1.18 bank does not run the Ed25519 precompile (it accepts any signature),
 * so these tests prove the program's own checks; the signature itself is checked in
 * `settle_receipt_signature.test.ts` on LiteSVM, which runs the precompile.
 */
import { Keypair, SYSVAR_INSTRUCTIONS_PUBKEY, SystemProgram, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import { RECEIPT_MESSAGE_LEN, type SignedReceipt, minimumAmount, receiptMessage, signReceipt, stakingConfigPda } from "../../sdk/src";
import { type Bank, startBank, warpSeconds } from "../utils/bank";
import { eventsOf, expectProgramError, expectReceiptRefused, expectUnchanged, snapshot } from "../utils/assertions";
import {
  type BandwidthWorld,
  type Consumer,
  type EscrowHandle,
  GIB,
  MEDIA,
  type Operator,
  PRICES,
  newConsumer,
  newOperator,
  closeEscrow,
  openEscrow,
  requestClose,
  send,
  setUpBandwidth,
  settle,
  settleAccounts,
  settleInstructions,
} from "../utils/bandwidth";
import { createTokenAccount, tokenBalance } from "../utils/token";

describe("media_bandwidth: settle_receipt", () => {
  let bank: Bank;
  let world: BandwidthWorld;
  let operator: Operator;
  let consumer: Consumer;
  let media: EscrowHandle;
  let quote: EscrowHandle;

  before(async () => {
    bank = await startBank();
    world = await setUpBandwidth(bank);
    operator = await newOperator(world, 100n * MEDIA);
    consumer = await newConsumer(world);
    media = await openEscrow(world, consumer, operator, world.mediaMint, 100n * MEDIA);
    quote = await openEscrow(world, consumer, operator, world.quoteMint, 100n * MEDIA);
  });

  /** A fresh receipt above what the escrow has settled: one more GiB at the escrow's price. */
  async function nextReceipt(handle = media, signer: Keypair = consumer.wallet): Promise<SignedReceipt> {
    const escrow = await bank.programs.bandwidth.account.escrow.fetch(handle.escrow);
    const bytes = BigInt(escrow.settledBytes.toString()) + GIB;
    const amount = BigInt(escrow.settledAmount.toString()) + minimumAmount(GIB, handle.pricePerGib);
    return signReceipt(signer, handle.escrow, handle.nonce, bytes, amount);
  }

  /** Sends `instructions` (operator signing) and requires `error` and no change. */
  async function expectSettleFails(instructions: TransactionInstruction[], error: string, handle = media): Promise<void> {
    const before = await snapshot(bank, settleAccounts(world, handle));
    await expectReceiptRefused(bank, send(world, instructions, [operator.wallet]), error);
    await expectUnchanged(bank, before);
  }

  /** `[verify with data changed by `edit`, settle]` for a valid receipt. */
  async function withVerifyData(edit: (data: Buffer) => Buffer): Promise<TransactionInstruction[]> {
    const [verify, settleIx] = await settleInstructions(world, media, await nextReceipt());
    verify.data = edit(Buffer.from(verify.data));
    return [verify, settleIx];
  }

  it("test_settle_receipt_ok: pays the difference of cumulative amounts and emits ReceiptSettled", async () => {
    const receipt = await nextReceipt();
    const vaultBefore = await tokenBalance(bank, media.vault);
    const signature = await settle(world, media, receipt);
    // One GiB at the escrow's 0.1 MEDIA per GiB
    expect(media.pricePerGib).to.equal(PRICES.media);
    expect(await tokenBalance(bank, media.vault)).to.equal(vaultBefore - 100_000n);
    const events = eventsOf(bank, signature, bank.programs.bandwidth as never);
    expect(events.map((e) => e.name)).to.deep.equal(["receiptSettled"]);
    expect(events[0].data.bytes.toString()).to.equal(GIB.toString());
    expect(events[0].data.amount.toString()).to.equal("100000");
    expect(events[0].data.providerAmount.toString()).to.equal("90000");
    expect(events[0].data.stakerAmount.toString()).to.equal("5000");
    expect(events[0].data.treasuryAmount.toString()).to.equal("5000");
  });

  it("test_settle_receipt_fails_when_signed_by_someone_else: ReceiptSignerMismatch", async () => {
    const receipt = await nextReceipt(media, Keypair.generate());
    await expectSettleFails(await settleInstructions(world, media, receipt), "ReceiptSignerMismatch");
  });

  it("test_settle_receipt_fails_when_receipt_is_for_another_escrow: ReceiptMessageMismatch", async () => {
    // The consumer's receipt for its quote escrow, sent to its MEDIA escrow
    const forQuote = await nextReceipt(quote);
    const [verify] = await settleInstructions(world, quote, forQuote);
    const [, settleMedia] = await settleInstructions(world, media, { ...forQuote, escrow: media.escrow });
    await expectSettleFails([verify, settleMedia], "ReceiptMessageMismatch");
  });

  it("test_settle_receipt_fails_when_claimed_figures_differ_from_the_signed_ones: ReceiptMessageMismatch", async () => {
    const receipt = await nextReceipt();
    const [verify] = await settleInstructions(world, media, receipt);
    const [, greedy] = await settleInstructions(world, media, { ...receipt, cumulativeAmount: receipt.cumulativeAmount + 1n });
    await expectSettleFails([verify, greedy], "ReceiptMessageMismatch");
  });

  it("test_settle_receipt_fails_when_replayed: StaleReceipt", async () => {
    const receipt = await nextReceipt();
    await settle(world, media, receipt);
    await expectSettleFails(await settleInstructions(world, media, receipt), "StaleReceipt");
  });

  it("test_settle_receipt_fails_when_cumulative_values_are_lower: StaleReceipt", async () => {
    const escrow = await bank.programs.bandwidth.account.escrow.fetch(media.escrow);
    const bytes = BigInt(escrow.settledBytes.toString());
    const amount = BigInt(escrow.settledAmount.toString());
    const fewerBytes = signReceipt(consumer.wallet, media.escrow, media.nonce, bytes - 1n, amount + 10n);
    await expectSettleFails(await settleInstructions(world, media, fewerBytes), "StaleReceipt");
    const lowerAmount = signReceipt(consumer.wallet, media.escrow, media.nonce, bytes + GIB, amount - 1n);
    await expectSettleFails(await settleInstructions(world, media, lowerAmount), "StaleReceipt");
  });

  it("test_settle_receipt_fails_when_bytes_grow_but_the_amount_does_not: StaleReceipt", async () => {
    // A consumer that signs more bytes for nothing more (usage made up for free) is refused,
    // even for a single byte, whose price rounds up to one base unit.
    const escrow = await bank.programs.bandwidth.account.escrow.fetch(media.escrow);
    const [bytes, amount] = [BigInt(escrow.settledBytes.toString()), BigInt(escrow.settledAmount.toString())];
    for (const more of [1n, GIB, 100n * GIB]) {
      const free = signReceipt(consumer.wallet, media.escrow, media.nonce, bytes + more, amount);
      await expectSettleFails(await settleInstructions(world, media, free), "StaleReceipt");
    }
  });

  it("test_settle_receipt_fails_when_underpriced: Underpriced, one base unit short of the escrow's price", async () => {
    const escrow = await bank.programs.bandwidth.account.escrow.fetch(media.escrow);
    const [bytes, amount] = [BigInt(escrow.settledBytes.toString()), BigInt(escrow.settledAmount.toString())];
    for (const more of [GIB, GIB + 1n, 7n * GIB + 12_345n]) {
      const short = signReceipt(consumer.wallet, media.escrow, media.nonce, bytes + more, amount + minimumAmount(more, PRICES.media) - 1n);
      await expectSettleFails(await settleInstructions(world, media, short), "Underpriced");
    }
    // And the channel refuses to sign it in the first place
    expect(() => media.channel.pay(GIB, minimumAmount(GIB, PRICES.media) - 1n)).to.throw(/cost at least/);
  });

  it("test_settle_receipt_fails_when_ed25519_instruction_is_missing: Ed25519InstructionMissing", async () => {
    const [, settleIx] = await settleInstructions(world, media, await nextReceipt());
    await expectSettleFails([settleIx], "Ed25519InstructionMissing");
  });

  it("test_settle_receipt_fails_when_verify_is_not_right_before: Ed25519InstructionMissing", async () => {
    const [verify, settleIx] = await settleInstructions(world, media, await nextReceipt());
    const between = SystemProgram.transfer({ fromPubkey: bank.payer.publicKey, toPubkey: bank.payer.publicKey, lamports: 0 });
    await expectSettleFails([verify, between, settleIx], "Ed25519InstructionMissing");
  });

  it("test_settle_receipt_fails_when_one_verify_serves_two_settles: Ed25519InstructionMissing", async () => {
    const [verify, settleIx] = await settleInstructions(world, media, await nextReceipt());
    await expectSettleFails([verify, settleIx, settleIx], "Ed25519InstructionMissing");
  });

  it("test_settle_receipt_fails_when_zero_signatures: Ed25519SignatureCount", async () => {
    await expectSettleFails(await withVerifyData(() => Buffer.from([0, 0])), "Ed25519SignatureCount");
  });

  it("test_settle_receipt_fails_when_two_signatures: Ed25519SignatureCount", async () => {
    const receipt = await nextReceipt();
    const other = signReceipt(consumer.wallet, media.escrow, media.nonce, receipt.cumulativeBytes + 1n, receipt.cumulativeAmount);
    // A well-formed two-signature verify instruction: offsets for both, then both records.
    const record = (r: SignedReceipt) =>
      Buffer.concat([r.consumer.toBuffer(), Buffer.from(r.signature), receiptMessage(r.escrow, r.nonce, r.cumulativeBytes, r.cumulativeAmount)]);
    const offsets = (base: number) => {
      const o = Buffer.alloc(14);
      for (const [i, v] of [base + 32, 0xffff, base, 0xffff, base + 96, RECEIPT_MESSAGE_LEN, 0xffff].entries()) o.writeUInt16LE(v, 2 * i);
      return o;
    };
    const data = Buffer.concat([Buffer.from([2, 0]), offsets(30), offsets(30 + 96 + RECEIPT_MESSAGE_LEN), record(receipt), record(other)]);
    await expectSettleFails(await withVerifyData(() => data), "Ed25519SignatureCount");
  });

  it("test_settle_receipt_fails_when_offsets_point_at_other_data: Ed25519OffsetsMismatch", async () => {
    // The signed message sits after the expected one and the header points at it, while the
    // expected slot holds a receipt for a larger amount.
    const receipt = await nextReceipt();
    const [verify, settleIx] = await settleInstructions(world, media, receipt);
    const signed = receiptMessage(media.escrow, media.nonce, receipt.cumulativeBytes, receipt.cumulativeAmount);
    const data = Buffer.concat([Buffer.from(verify.data), signed]);
    data.writeUInt16LE(112 + RECEIPT_MESSAGE_LEN, 10); // message offset
    receiptMessage(media.escrow, media.nonce, receipt.cumulativeBytes, receipt.cumulativeAmount + 1_000_000n).copy(data, 112);
    verify.data = data;
    await expectSettleFails([verify, settleIx], "Ed25519OffsetsMismatch");
  });

  for (const [field, at] of [
    ["signature", 4],
    ["public key", 8],
    ["message", 14],
  ] as const) {
    it(`test_settle_receipt_fails_when_${field.replace(" ", "_")}_instruction_index_points_elsewhere: Ed25519OffsetsMismatch`, async () => {
      // Index 1 is the settle instruction itself; 0 is the verify instruction by number.
      for (const index of [1, 0]) {
        await expectSettleFails(
          await withVerifyData((data) => {
            data.writeUInt16LE(index, at);
            return data;
          }),
          "Ed25519OffsetsMismatch",
        );
      }
    });
  }

  for (const [field, at] of [
    ["signature", 2],
    ["public_key", 6],
    ["message", 10],
    ["message_size", 12],
  ] as const) {
    it(`test_settle_receipt_fails_when_${field}_offset_is_moved_or_out_of_range: Ed25519OffsetsMismatch`, async () => {
      for (const delta of [1, -1, 60_000]) {
        await expectSettleFails(
          await withVerifyData((data) => {
            data.writeUInt16LE((data.readUInt16LE(at) + delta) & 0xffff, at);
            return data;
          }),
          "Ed25519OffsetsMismatch",
        );
      }
    });
  }

  it("test_settle_receipt_fails_when_instructions_sysvar_is_fake: InvalidSysvar", async () => {
    const [verify, settleIx] = await settleInstructions(world, media, await nextReceipt());
    const key = settleIx.keys.find((k) => k.pubkey.equals(SYSVAR_INSTRUCTIONS_PUBKEY));
    if (!key) throw new Error("sysvar missing");
    key.pubkey = Keypair.generate().publicKey;
    await expectSettleFails([verify, settleIx], "InvalidSysvar");
  });

  it("test_settle_receipt_fails_when_treasury_vault_is_of_the_wrong_mint: InvalidVault", async () => {
    const receipt = await nextReceipt();
    const instructions = await settleInstructions(world, { ...media, treasuryVault: world.treasuryQuoteVault }, receipt);
    await expectSettleFails(instructions, "InvalidVault");
  });

  it("test_settle_receipt_fails_when_treasury_vault_is_not_the_treasurys: InvalidVault", async () => {
    // A MEDIA account owned by the treasury config, but not the vault the config names
    const lookalike = await createTokenAccount(bank, world.mediaMint, world.treasuryConfig);
    const receipt = await nextReceipt();
    const instructions = await settleInstructions(world, { ...media, treasuryVault: lookalike }, receipt);
    await expectSettleFails(instructions, "InvalidVault", { ...media, treasuryVault: lookalike });
  });

  it("test_settle_receipt_fails_when_treasury_config_is_not_the_treasurys: InvalidAccountOwner", async () => {
    // A copy of the treasury config that another program owns cannot vouch for a vault
    const forged = Keypair.generate().publicKey;
    const config = await bank.runtime.getAccount(world.treasuryConfig);
    if (!config) throw new Error("no treasury config");
    await bank.runtime.setAccount(forged, { ...config, owner: SystemProgram.programId });
    const [verify, settleIx] = await settleInstructions(world, media, await nextReceipt());
    const key = settleIx.keys.find((k) => k.pubkey.equals(world.treasuryConfig));
    if (!key) throw new Error("treasury config missing");
    key.pubkey = forged;
    await expectSettleFails([verify, settleIx], "InvalidAccountOwner");
  });

  it("test_settle_receipt_fails_when_escrow_vault_is_another_escrows: InvalidVault", async () => {
    const [verify, settleIx] = await settleInstructions(world, media, await nextReceipt());
    const vault = settleIx.keys.find((k) => k.pubkey.equals(media.vault));
    if (!vault) throw new Error("vault missing");
    vault.pubkey = quote.vault;
    await expectSettleFails([verify, settleIx], "InvalidVault");
  });

  it("test_settle_receipt_fails_when_another_operator_settles: ProviderMismatch", async () => {
    const intruder = await newOperator(world, 25n * MEDIA);
    const receipt = await nextReceipt();
    const instructions = await settleInstructions(world, { ...media, operator: intruder, providerAccount: intruder.mediaAccount }, receipt);
    const before = await snapshot(bank, settleAccounts(world, media));
    await expectProgramError(send(world, instructions, [intruder.wallet]), "ProviderMismatch");
    await expectUnchanged(bank, before);
  });

  it("test_settle_receipt_fails_when_escrow_cannot_cover_the_amount: InsufficientEscrowBalance", async () => {
    const escrow = await bank.programs.bandwidth.account.escrow.fetch(media.escrow);
    const receipt = signReceipt(
      consumer.wallet,
      media.escrow,
      media.nonce,
      BigInt(escrow.settledBytes.toString()) + 1n,
      BigInt(escrow.settledAmount.toString()) + (await tokenBalance(bank, media.vault)) + 1n,
    );
    await expectSettleFails(await settleInstructions(world, media, receipt), "InsufficientEscrowBalance");
  });

  it("test_settle_receipt_ok_when_the_minimum_rises_above_the_providers_stake: data already served stays payable", async () => {
    // Given governance raises the minimum above the operator's 100 MEDIA
    const setMin = (amount: bigint) => bank.programs.staking.methods.setMinStake(new BN(amount.toString())).accounts({ authority: bank.payer.publicKey }).rpc();
    await setMin(101n * MEDIA);
    // Then the operator can no longer change its offer, but still settles what its escrows owe
    await expectProgramError(
      bank.programs.bandwidth.methods
        .updateProvider(new BN(100_000), new BN(50_000))
        .accountsPartial({ operator: operator.wallet.publicKey, stakingConfig: stakingConfigPda(), stakeAccount: operator.stakeAccount })
        .signers([operator.wallet])
        .rpc(),
      "ProviderStakeBelowMinimum",
    );
    const paid = BigInt((await bank.programs.bandwidth.account.escrow.fetch(media.escrow)).paid.toString());
    const receipt = await nextReceipt();
    await settle(world, media, receipt);
    expect(BigInt((await bank.programs.bandwidth.account.escrow.fetch(media.escrow)).paid.toString()) > paid).to.equal(true);
    await setMin(25n * MEDIA);
  });

  it("test_settle_receipt_ok_after_the_provider_deactivates: it takes no new escrows, but is paid for data served", async () => {
    await bank.programs.bandwidth.methods.deactivateProvider().accounts({ operator: operator.wallet.publicKey }).signers([operator.wallet]).rpc();
    const paid = BigInt((await bank.programs.bandwidth.account.escrow.fetch(media.escrow)).paid.toString());
    await settle(world, media, await nextReceipt());
    expect(BigInt((await bank.programs.bandwidth.account.escrow.fetch(media.escrow)).paid.toString()) > paid).to.equal(true);
    await bank.programs.bandwidth.methods
      .updateProvider(new BN(100_000), new BN(50_000))
      .accountsPartial({ operator: operator.wallet.publicKey, stakingConfig: stakingConfigPda(), stakeAccount: operator.stakeAccount })
      .signers([operator.wallet])
      .rpc();
    await settle(world, media, await nextReceipt());
  });

  it("test_settle_receipt_fails_when_paused: ProgramPaused", async () => {
    const setPaused = (paused: boolean) => bank.programs.bandwidth.methods.setPaused(paused).accounts({ signer: bank.payer.publicKey }).rpc();
    await setPaused(true);
    await expectSettleFails(await settleInstructions(world, media, await nextReceipt()), "ProgramPaused");
    await setPaused(false);
  });

  it("test_settle_receipt_fails_after_the_dispute_window_and_after_close: EscrowClosed, then InvalidAccountOwner", async () => {
    // Given the consumer requested close and the dispute window passed
    const receipt = await nextReceipt(quote);
    await bank.programs.bandwidth.methods
      .requestClose()
      .accounts({ consumer: consumer.wallet.publicKey, escrow: quote.escrow })
      .signers([consumer.wallet])
      .rpc();
    await warpSeconds(bank, 86_400);
    // Then a receipt signed before can no longer be settled
    await expectSettleFails(await settleInstructions(world, quote, receipt), "EscrowClosed", quote);
    // And once the escrow is closed, there is no escrow to settle against
    await bank.programs.bandwidth.methods
      .closeEscrow()
      .accounts({ consumer: consumer.wallet.publicKey, consumerTokenAccount: consumer.quoteAccount, escrow: quote.escrow })
      .signers([consumer.wallet])
      .rpc();
    await expectSettleFails(await settleInstructions(world, quote, receipt), "InvalidAccountOwner", quote);
  });

  it("test_settle_receipt_fails_when_replayed_on_a_reopened_escrow: ReceiptNonceMismatch; a receipt of the new lifetime settles", async () => {
    // Given a consumer whose receipt R was settled
    const buyer = await newConsumer(world);
    const first = await openEscrow(world, buyer, operator, world.mediaMint, 10n * MEDIA);
    const r = first.channel.pay(GIB, MEDIA);
    await settle(world, first, r);
    // When the consumer closes the escrow and opens the same (consumer, provider, mint) escrow again
    await requestClose(world, first);
    await warpSeconds(bank, 86_400);
    await closeEscrow(world, first);
    const second = await openEscrow(world, buyer, operator, world.mediaMint, 10n * MEDIA);
    expect(second.escrow.toBase58()).to.equal(first.escrow.toBase58());
    expect(second.nonce).to.not.equal(first.nonce);
    const escrow = await bank.programs.bandwidth.account.escrow.fetch(second.escrow);
    expect([escrow.settledBytes.toString(), escrow.settledAmount.toString()]).to.deep.equal(["0", "0"]);
    // Then the provider cannot collect R again from the new deposit
    await expectSettleFails(await settleInstructions(world, second, r), "ReceiptNonceMismatch", second);
    // And a receipt the consumer signs for the new lifetime, even for the same figures, settles once
    const fresh = second.channel.pay(GIB, MEDIA);
    expect([fresh.cumulativeBytes, fresh.cumulativeAmount]).to.deep.equal([r.cumulativeBytes, r.cumulativeAmount]);
    await settle(world, second, fresh);
    expect(await tokenBalance(bank, second.vault)).to.equal(9n * MEDIA);
    await expectSettleFails(await settleInstructions(world, second, fresh), "StaleReceipt", second);
  });
});
