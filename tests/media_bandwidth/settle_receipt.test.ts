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
import { runtimeName, warpSeconds, given } from "../utils/bank";
import { eventsOf, expectProgramError, expectReceiptRefused, expectUnchanged, snapshot, expectRefused } from "../utils/assertions";
import {
  GIB,
  MEDIA,
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
import { MIN_STAKE } from "../utils/constants";

describe("media_bandwidth: settle_receipt", () => {
  const cast = given(async (bank) => {
    const world = await setUpBandwidth(bank);
    const operator = await newOperator(world, 100n * MEDIA);
    const consumer = await newConsumer(world);
    const media = await openEscrow(world, consumer, operator, world.mediaMint, 100n * MEDIA);
    const quote = await openEscrow(world, consumer, operator, world.quoteMint, 100n * MEDIA);
    return { world, operator, consumer, media, quote };
  });

  /** A fresh receipt above what the escrow has settled: one more GiB at the escrow's price. */
  async function nextReceipt(handle = cast.media, signer: Keypair = cast.consumer.wallet): Promise<SignedReceipt> {
    const escrow = await cast.bank.programs.bandwidth.account.escrow.fetch(handle.escrow);
    const bytes = BigInt(escrow.settledBytes.toString()) + GIB;
    const amount = BigInt(escrow.settledAmount.toString()) + minimumAmount(GIB, handle.pricePerGib);
    return signReceipt(signer, handle.escrow, handle.nonce, bytes, amount);
  }

  /** Sends `instructions` (cast.operator signing) and requires `error` and no change. */
  async function expectSettleFails(instructions: TransactionInstruction[], error: string, handle = cast.media): Promise<void> {
    const before = await snapshot(cast.bank, settleAccounts(cast.world, handle));
    await expectReceiptRefused(cast.bank, send(cast.world, instructions, [cast.operator.wallet]), error);
    await expectUnchanged(cast.bank, before);
  }

  /** `[verify with data changed by `edit`, settle]` for a valid receipt. */
  async function withVerifyData(edit: (data: Buffer) => Buffer): Promise<TransactionInstruction[]> {
    const [verify, settleIx] = await settleInstructions(cast.world, cast.media, await nextReceipt());
    verify.data = edit(Buffer.from(verify.data));
    return [verify, settleIx];
  }

  it("settle_receipt succeeds without an account-bytes charge on its transfers: no CPI lists an executable (the token program's 133 KB ELF would cost 534 CU on 1.18)", async function () {
    // The 1.18 cost model (solana-bankrun) charges a CPI data_len / 250 CU for every
    // executable among the callee instruction's accounts; LiteSVM's newer runtime does not.
    if (runtimeName() !== "bankrun") this.skip();
    const signature = await settle(cast.world, cast.media, await nextReceipt());
    const { logs } = cast.bank.provider.record(signature);
    // Each transfer logs what it consumed of the budget left when it started: what the program
    // spent between two transfers is the previous one's start, less its consumption, less the
    // next one's start. That includes the 1,000 CU of the next invoke and any bytes charge.
    const transfers = logs.flatMap((line) => {
      const match = /^Program TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA consumed (\d+) of (\d+) compute units$/.exec(line);
      return match ? [{ consumed: Number(match[1]), left: Number(match[2]) }] : [];
    });
    expect(transfers, "provider, stakers and treasury shares").to.have.length(3);
    const between = transfers.slice(1).map((next, i) => transfers[i].left - transfers[i].consumed - next.left);
    for (const spent of between) expect(spent, "between two transfers: 1,000 for the invoke plus the loop, no 534 for an ELF").to.be.within(1_000, 1_000 + 534);
  });

  it("settle_receipt succeeds: pays the difference of cumulative amounts and emits ReceiptSettled", async () => {
    const receipt = await nextReceipt();
    const vaultBefore = await tokenBalance(cast.bank, cast.media.vault);
    const signature = await settle(cast.world, cast.media, receipt);
    // One GiB at the escrow's 0.1 MEDIA per GiB
    expect(cast.media.pricePerGib).to.equal(PRICES.media);
    expect(await tokenBalance(cast.bank, cast.media.vault)).to.equal(vaultBefore - 100_000n);
    const events = eventsOf(cast.bank, signature, cast.bank.programs.bandwidth as never);
    expect(events.map((e) => e.name)).to.deep.equal(["receiptSettled"]);
    expect(events[0].data.bytes.toString()).to.equal(GIB.toString());
    expect(events[0].data.amount.toString()).to.equal("100000");
    expect(events[0].data.providerAmount.toString()).to.equal("90000");
    expect(events[0].data.stakerAmount.toString()).to.equal("5000");
    expect(events[0].data.treasuryAmount.toString()).to.equal("5000");
  });

  it("settle_receipt fails when signed by someone else: ReceiptSignerMismatch", async () => {
    const receipt = await nextReceipt(cast.media, Keypair.generate());
    await expectSettleFails(await settleInstructions(cast.world, cast.media, receipt), "ReceiptSignerMismatch");
  });

  it("settle_receipt fails when receipt is for another escrow: ReceiptMessageMismatch", async () => {
    // The cast.consumer's receipt for its cast.quote escrow, sent to its MEDIA escrow
    const forQuote = await nextReceipt(cast.quote);
    const [verify] = await settleInstructions(cast.world, cast.quote, forQuote);
    const [, settleMedia] = await settleInstructions(cast.world, cast.media, { ...forQuote, escrow: cast.media.escrow });
    await expectSettleFails([verify, settleMedia], "ReceiptMessageMismatch");
  });

  it("settle_receipt fails when claimed figures differ from the signed ones: ReceiptMessageMismatch", async () => {
    const receipt = await nextReceipt();
    const [verify] = await settleInstructions(cast.world, cast.media, receipt);
    const [, greedy] = await settleInstructions(cast.world, cast.media, { ...receipt, cumulativeAmount: receipt.cumulativeAmount + 1n });
    await expectSettleFails([verify, greedy], "ReceiptMessageMismatch");
  });

  it("settle_receipt fails when replayed: StaleReceipt", async () => {
    const receipt = await nextReceipt();
    await settle(cast.world, cast.media, receipt);
    await expectSettleFails(await settleInstructions(cast.world, cast.media, receipt), "StaleReceipt");
  });

  it("settle_receipt fails when cumulative values are lower: StaleReceipt", async () => {
    const escrow = await cast.bank.programs.bandwidth.account.escrow.fetch(cast.media.escrow);
    const bytes = BigInt(escrow.settledBytes.toString());
    const amount = BigInt(escrow.settledAmount.toString());
    const fewerBytes = signReceipt(cast.consumer.wallet, cast.media.escrow, cast.media.nonce, bytes - 1n, amount + 10n);
    await expectSettleFails(await settleInstructions(cast.world, cast.media, fewerBytes), "StaleReceipt");
    const lowerAmount = signReceipt(cast.consumer.wallet, cast.media.escrow, cast.media.nonce, bytes + GIB, amount - 1n);
    await expectSettleFails(await settleInstructions(cast.world, cast.media, lowerAmount), "StaleReceipt");
  });

  it("settle_receipt fails when bytes grow but the amount does not: StaleReceipt", async () => {
    // A cast.consumer that signs more bytes for nothing more (usage made up for free) is refused,
    // even for a single byte, whose price rounds up to one base unit.
    const escrow = await cast.bank.programs.bandwidth.account.escrow.fetch(cast.media.escrow);
    const [bytes, amount] = [BigInt(escrow.settledBytes.toString()), BigInt(escrow.settledAmount.toString())];
    for (const more of [1n, GIB, 100n * GIB]) {
      const free = signReceipt(cast.consumer.wallet, cast.media.escrow, cast.media.nonce, bytes + more, amount);
      await expectSettleFails(await settleInstructions(cast.world, cast.media, free), "StaleReceipt");
    }
  });

  it("settle_receipt fails when underpriced: Underpriced, one base unit short of the escrow's price", async () => {
    const escrow = await cast.bank.programs.bandwidth.account.escrow.fetch(cast.media.escrow);
    const [bytes, amount] = [BigInt(escrow.settledBytes.toString()), BigInt(escrow.settledAmount.toString())];
    for (const more of [GIB, GIB + 1n, 7n * GIB + 12_345n]) {
      const short = signReceipt(cast.consumer.wallet, cast.media.escrow, cast.media.nonce, bytes + more, amount + minimumAmount(more, PRICES.media) - 1n);
      await expectSettleFails(await settleInstructions(cast.world, cast.media, short), "Underpriced");
    }
    // And the channel refuses to sign it in the first place
    expect(() => cast.media.channel.pay(GIB, minimumAmount(GIB, PRICES.media) - 1n)).to.throw(/cost at least/);
  });

  it("settle_receipt fails when ed25519 instruction is missing: Ed25519InstructionMissing", async () => {
    const [, settleIx] = await settleInstructions(cast.world, cast.media, await nextReceipt());
    await expectSettleFails([settleIx], "Ed25519InstructionMissing");
  });

  it("settle_receipt fails when verify is not right before: Ed25519InstructionMissing", async () => {
    const [verify, settleIx] = await settleInstructions(cast.world, cast.media, await nextReceipt());
    const between = SystemProgram.transfer({ fromPubkey: cast.bank.payer.publicKey, toPubkey: cast.bank.payer.publicKey, lamports: 0 });
    await expectSettleFails([verify, between, settleIx], "Ed25519InstructionMissing");
  });

  it("settle_receipt fails when one verify serves two settles: Ed25519InstructionMissing", async () => {
    const [verify, settleIx] = await settleInstructions(cast.world, cast.media, await nextReceipt());
    await expectSettleFails([verify, settleIx, settleIx], "Ed25519InstructionMissing");
  });

  it("settle_receipt fails when zero signatures: Ed25519SignatureCount", async () => {
    await expectSettleFails(await withVerifyData(() => Buffer.from([0, 0])), "Ed25519SignatureCount");
  });

  it("settle_receipt fails when two signatures: Ed25519SignatureCount", async () => {
    const receipt = await nextReceipt();
    const other = signReceipt(cast.consumer.wallet, cast.media.escrow, cast.media.nonce, receipt.cumulativeBytes + 1n, receipt.cumulativeAmount);
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

  it("settle_receipt fails when offsets point at other data: Ed25519OffsetsMismatch", async () => {
    // The signed message sits after the expected one and the header points at it, while the
    // expected slot holds a receipt for a larger amount.
    const receipt = await nextReceipt();
    const [verify, settleIx] = await settleInstructions(cast.world, cast.media, receipt);
    const signed = receiptMessage(cast.media.escrow, cast.media.nonce, receipt.cumulativeBytes, receipt.cumulativeAmount);
    const data = Buffer.concat([Buffer.from(verify.data), signed]);
    data.writeUInt16LE(112 + RECEIPT_MESSAGE_LEN, 10); // message offset
    receiptMessage(cast.media.escrow, cast.media.nonce, receipt.cumulativeBytes, receipt.cumulativeAmount + 1_000_000n).copy(data, 112);
    verify.data = data;
    await expectSettleFails([verify, settleIx], "Ed25519OffsetsMismatch");
  });

  for (const [field, at] of [
    ["signature", 4],
    ["public key", 8],
    ["message", 14],
  ] as const) {
    it(`settle_receipt fails when the ${field} instruction index points elsewhere: Ed25519OffsetsMismatch`, async () => {
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
    it(`settle_receipt fails when the ${field.replace("_", " ")} offset is moved or out of range: Ed25519OffsetsMismatch`, async () => {
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

  it("settle_receipt fails when instructions sysvar is fake: InvalidSysvar", async () => {
    const [verify, settleIx] = await settleInstructions(cast.world, cast.media, await nextReceipt());
    const key = settleIx.keys.find((k) => k.pubkey.equals(SYSVAR_INSTRUCTIONS_PUBKEY));
    if (!key) throw new Error("sysvar missing");
    key.pubkey = Keypair.generate().publicKey;
    await expectSettleFails([verify, settleIx], "InvalidSysvar");
  });

  it("settle_receipt fails when treasury vault is of the wrong mint: InvalidVault", async () => {
    const receipt = await nextReceipt();
    const instructions = await settleInstructions(cast.world, { ...cast.media, treasuryVault: cast.world.treasuryQuoteVault }, receipt);
    await expectSettleFails(instructions, "InvalidVault");
  });

  it("settle_receipt fails when treasury vault is not the treasurys: InvalidVault", async () => {
    // A MEDIA account owned by the treasury config, but not the vault the config names
    const lookalike = await createTokenAccount(cast.bank, cast.world.mediaMint, cast.world.treasuryConfig);
    const receipt = await nextReceipt();
    const instructions = await settleInstructions(cast.world, { ...cast.media, treasuryVault: lookalike }, receipt);
    await expectSettleFails(instructions, "InvalidVault", { ...cast.media, treasuryVault: lookalike });
  });

  it("settle_receipt fails when treasury config is not the treasurys: InvalidAccountOwner", async () => {
    // A copy of the treasury config that another program owns cannot vouch for a vault
    const forged = Keypair.generate().publicKey;
    const config = await cast.bank.runtime.getAccount(cast.world.treasuryConfig);
    if (!config) throw new Error("no treasury config");
    await cast.bank.runtime.setAccount(forged, { ...config, owner: SystemProgram.programId });
    const [verify, settleIx] = await settleInstructions(cast.world, cast.media, await nextReceipt());
    const key = settleIx.keys.find((k) => k.pubkey.equals(cast.world.treasuryConfig));
    if (!key) throw new Error("treasury config missing");
    key.pubkey = forged;
    await expectSettleFails([verify, settleIx], "InvalidAccountOwner");
  });

  it("settle_receipt fails when escrow vault is another escrows: InvalidVault", async () => {
    const [verify, settleIx] = await settleInstructions(cast.world, cast.media, await nextReceipt());
    const vault = settleIx.keys.find((k) => k.pubkey.equals(cast.media.vault));
    if (!vault) throw new Error("vault missing");
    vault.pubkey = cast.quote.vault;
    await expectSettleFails([verify, settleIx], "InvalidVault");
  });

  it("settle_receipt fails when another operator settles: ProviderMismatch", async () => {
    const intruder = await newOperator(cast.world, MIN_STAKE);
    const receipt = await nextReceipt();
    const instructions = await settleInstructions(cast.world, { ...cast.media, operator: intruder, providerAccount: intruder.mediaAccount }, receipt);
    await expectRefused(cast.bank, settleAccounts(cast.world, cast.media), "ProviderMismatch", () => send(cast.world, instructions, [intruder.wallet]));
  });

  it("settle_receipt fails when escrow cannot cover the amount: InsufficientEscrowBalance", async () => {
    const escrow = await cast.bank.programs.bandwidth.account.escrow.fetch(cast.media.escrow);
    const receipt = signReceipt(
      cast.consumer.wallet,
      cast.media.escrow,
      cast.media.nonce,
      BigInt(escrow.settledBytes.toString()) + 1n,
      BigInt(escrow.settledAmount.toString()) + (await tokenBalance(cast.bank, cast.media.vault)) + 1n,
    );
    await expectSettleFails(await settleInstructions(cast.world, cast.media, receipt), "InsufficientEscrowBalance");
  });

  it("settle_receipt succeeds when the minimum rises above the providers stake: data already served stays payable", async () => {
    // Given governance raises the minimum above the cast.operator's 100 MEDIA
    const setMin = (amount: bigint) => cast.bank.clients.staking.setMinStake(amount);
    await setMin(101n * MEDIA);
    // Then the cast.operator can no longer change its offer, but still settles what its escrows owe
    await expectProgramError(
      cast.bank.programs.bandwidth.methods
        .updateProvider(new BN(100_000), new BN(50_000))
        .accountsPartial({ operator: cast.operator.wallet.publicKey, stakingConfig: stakingConfigPda(), stakeAccount: cast.operator.stakeAccount })
        .signers([cast.operator.wallet])
        .rpc(),
      "ProviderStakeBelowMinimum",
    );
    const paid = BigInt((await cast.bank.programs.bandwidth.account.escrow.fetch(cast.media.escrow)).paid.toString());
    const receipt = await nextReceipt();
    await settle(cast.world, cast.media, receipt);
    expect(BigInt((await cast.bank.programs.bandwidth.account.escrow.fetch(cast.media.escrow)).paid.toString()) > paid).to.equal(true);
    await setMin(MIN_STAKE);
  });

  it("settle_receipt succeeds after the provider deactivates: it takes no new escrows, but is paid for data served", async () => {
    await cast.bank.clients.bandwidth.deactivateProvider({ signer: cast.operator.wallet });
    const paid = BigInt((await cast.bank.programs.bandwidth.account.escrow.fetch(cast.media.escrow)).paid.toString());
    await settle(cast.world, cast.media, await nextReceipt());
    expect(BigInt((await cast.bank.programs.bandwidth.account.escrow.fetch(cast.media.escrow)).paid.toString()) > paid).to.equal(true);
    await cast.bank.programs.bandwidth.methods
      .updateProvider(new BN(100_000), new BN(50_000))
      .accountsPartial({ operator: cast.operator.wallet.publicKey, stakingConfig: stakingConfigPda(), stakeAccount: cast.operator.stakeAccount })
      .signers([cast.operator.wallet])
      .rpc();
    await settle(cast.world, cast.media, await nextReceipt());
  });

  it("settle_receipt fails when paused: ProgramPaused", async () => {
    const setPaused = (paused: boolean) => cast.bank.clients.bandwidth.setPaused(paused);
    await setPaused(true);
    await expectSettleFails(await settleInstructions(cast.world, cast.media, await nextReceipt()), "ProgramPaused");
    await setPaused(false);
  });

  it("settle_receipt fails after the dispute window and after close: EscrowClosed, then InvalidAccountOwner", async () => {
    // Given the cast.consumer requested close and the dispute window passed
    const receipt = await nextReceipt(cast.quote);
    await cast.bank.programs.bandwidth.methods
      .requestClose()
      .accounts({ consumer: cast.consumer.wallet.publicKey, escrow: cast.quote.escrow })
      .signers([cast.consumer.wallet])
      .rpc();
    await warpSeconds(cast.bank, 86_400);
    // Then a receipt signed before can no longer be settled
    await expectSettleFails(await settleInstructions(cast.world, cast.quote, receipt), "EscrowClosed", cast.quote);
    // And once the escrow is closed, there is no escrow to settle against
    await cast.bank.programs.bandwidth.methods
      .closeEscrow()
      .accounts({ consumer: cast.consumer.wallet.publicKey, consumerTokenAccount: cast.consumer.quoteAccount, escrow: cast.quote.escrow })
      .signers([cast.consumer.wallet])
      .rpc();
    await expectSettleFails(await settleInstructions(cast.world, cast.quote, receipt), "InvalidAccountOwner", cast.quote);
  });

  it("settle_receipt fails when replayed on a reopened escrow: ReceiptNonceMismatch; a receipt of the new lifetime settles", async () => {
    // Given a cast.consumer whose receipt R was settled
    const buyer = await newConsumer(cast.world);
    const first = await openEscrow(cast.world, buyer, cast.operator, cast.world.mediaMint, 10n * MEDIA);
    const r = first.channel.pay(GIB, MEDIA);
    await settle(cast.world, first, r);
    // When the cast.consumer closes the escrow and opens the same (cast.consumer, provider, mint) escrow again
    await requestClose(cast.world, first);
    await warpSeconds(cast.bank, 86_400);
    await closeEscrow(cast.world, first);
    const second = await openEscrow(cast.world, buyer, cast.operator, cast.world.mediaMint, 10n * MEDIA);
    expect(second.escrow.toBase58()).to.equal(first.escrow.toBase58());
    expect(second.nonce).to.not.equal(first.nonce);
    const escrow = await cast.bank.programs.bandwidth.account.escrow.fetch(second.escrow);
    expect([escrow.settledBytes.toString(), escrow.settledAmount.toString()]).to.deep.equal(["0", "0"]);
    // Then the provider cannot collect R again from the new deposit
    await expectSettleFails(await settleInstructions(cast.world, second, r), "ReceiptNonceMismatch", second);
    // And a receipt the cast.consumer signs for the new lifetime, even for the same figures, settles once
    const fresh = second.channel.pay(GIB, MEDIA);
    expect([fresh.cumulativeBytes, fresh.cumulativeAmount]).to.deep.equal([r.cumulativeBytes, r.cumulativeAmount]);
    await settle(cast.world, second, fresh);
    expect(await tokenBalance(cast.bank, second.vault)).to.equal(9n * MEDIA);
    await expectSettleFails(await settleInstructions(cast.world, second, fresh), "StaleReceipt", second);
  });
});
