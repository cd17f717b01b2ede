/**
 * Usage that cannot be faked for free (issue 14, item 1) and receipts that never become
 * unsettleable (item 5): an escrow records its provider's price when it opens, a settlement
 * pays at least that price for its new bytes, both cumulative figures strictly grow, an
 * operator cannot buy from itself, and the consumer's receipt channel hands the provider the
 * newest receipt that fits its remaining quota.
 */
import BN from "bn.js";
import { expect } from "chai";
import { BandwidthClient, type SignedReceipt, minimumAmount, quotaRemaining, signReceipt, stakingConfigPda } from "../../sdk/src";
import { unixTimestamp, warpSeconds, given } from "../utils/bank";
import { eventsOf, expectProgramError, expectUnchanged, snapshot } from "../utils/assertions";
import {
  type EscrowHandle,
  GIB,
  MEDIA,
  type Operator,
  escrowOf,
  newConsumer,
  newOperator,
  openEscrow,
  setUpBandwidth,
  settle,
  settleAccounts,
  settleInstructions,
  send,
} from "../utils/bandwidth";
import { tokenBalance } from "../utils/token";
import { MIN_STAKE } from "../utils/constants";

const big = (value: { toString(): string }) => BigInt(value.toString());

describe("media_bandwidth: prices enforced, no self-dealing, receipts that fit the quota", () => {
  const cast = given(async (bank) => {
    const world = await setUpBandwidth(bank);
    return { world };
  });

  /** Settles `receipt`, requiring `error` and every account of the settlement unchanged. */
  async function expectRefused(handle: EscrowHandle, receipt: SignedReceipt, error: string): Promise<void> {
    const before = await snapshot(cast.bank, settleAccounts(cast.world, handle));
    await expectProgramError(send(cast.world, await settleInstructions(cast.world, handle, receipt), [handle.operator.wallet]), error);
    await expectUnchanged(cast.bank, before);
  }

  function updatePrices(operator: Operator, media: bigint, quote: bigint): Promise<string> {
    return cast.bank.programs.bandwidth.methods
      .updateProvider(new BN(media.toString()), new BN(quote.toString()))
      .accountsPartial({ operator: operator.wallet.publicKey, stakingConfig: stakingConfigPda(), stakeAccount: operator.stakeAccount })
      .signers([operator.wallet])
      .rpc();
  }

  it("settle_receipt fails when underpriced: 100 GiB for 1 base unit at 10 MEDIA/GiB is refused; 1,000 MEDIA settles", async () => {
    // Given an operator listing 10 MEDIA per GiB, with quota for 100 GiB, and a consumer's escrow
    const operator = await newOperator(cast.world, 100n * MEDIA, { prices: { media: 10n * MEDIA, quote: 1n } });
    const consumer = await newConsumer(cast.world, 2_000n * MEDIA);
    const handle = await openEscrow(cast.world, consumer, operator, cast.world.mediaMint, 1_500n * MEDIA);
    const escrow = await cast.bank.programs.bandwidth.account.escrow.fetch(handle.escrow);
    expect(big(escrow.pricePerGib)).to.equal(10n * MEDIA);
    // When the consumer signs 100 GiB for 1 base unit (usage made up for nothing), Then Underpriced and nothing moves
    await expectRefused(handle, signReceipt(consumer.wallet, handle.escrow, handle.nonce, 100n * GIB, 1n), "Underpriced");
    // And one base unit short of the price is refused too
    await expectRefused(handle, signReceipt(consumer.wallet, handle.escrow, handle.nonce, 100n * GIB, 1_000n * MEDIA - 1n), "Underpriced");
    // And the SDK's rule agrees with the program's: the honest amount settles
    expect(minimumAmount(100n * GIB, 10n * MEDIA)).to.equal(1_000n * MEDIA);
    expect(handle.channel.amountFor(100n * GIB)).to.equal(1_000n * MEDIA);
    await settle(cast.world, handle, handle.channel.pay(100n * GIB));
    expect(await tokenBalance(cast.bank, handle.vault)).to.equal(500n * MEDIA);
  });

  it("settle_receipt fails when the amount stays equal while bytes grow: StaleReceipt", async () => {
    const operator = await newOperator(cast.world, MIN_STAKE);
    const consumer = await newConsumer(cast.world);
    const handle = await openEscrow(cast.world, consumer, operator, cast.world.quoteMint, 10n * MEDIA);
    await settle(cast.world, handle, handle.channel.pay(GIB));
    const { cumulativeBytes, cumulativeAmount } = handle.channel;
    await expectRefused(handle, signReceipt(consumer.wallet, handle.escrow, handle.nonce, cumulativeBytes + GIB, cumulativeAmount), "StaleReceipt");
    await expectRefused(handle, signReceipt(consumer.wallet, handle.escrow, handle.nonce, cumulativeBytes + 1n, cumulativeAmount), "StaleReceipt");
    expect(() => handle.channel.pay(GIB, 0n)).to.throw(/strictly grow/);
  });

  it("update_provider prices apply to new escrows only: the old escrow settles at its recorded price, a new one at the new price", async () => {
    // Given an escrow opened at 0.1 MEDIA per GiB
    const operator = await newOperator(cast.world, MIN_STAKE, { prices: { media: 100_000n, quote: 50_000n } });
    const early = await newConsumer(cast.world);
    const old = await openEscrow(cast.world, early, operator, cast.world.mediaMint, 10n * MEDIA);
    // When the provider raises its price tenfold
    await updatePrices(operator, 1_000_000n, 500_000n);
    // Then the old escrow still settles at the price it opened with
    expect(old.pricePerGib).to.equal(100_000n);
    const signature = await settle(cast.world, old, old.channel.pay(GIB, 100_000n));
    expect(eventsOf(cast.bank, signature, cast.bank.programs.bandwidth as never)[0].data.amount.toString()).to.equal("100000");
    // And a consumer who opens after the change pays the new price: the old one is Underpriced
    const late = await newConsumer(cast.world);
    const fresh = await openEscrow(cast.world, late, operator, cast.world.mediaMint, 10n * MEDIA);
    expect(fresh.pricePerGib).to.equal(1_000_000n);
    await expectRefused(fresh, signReceipt(late.wallet, fresh.escrow, fresh.nonce, GIB, 100_000n), "Underpriced");
    await settle(cast.world, fresh, fresh.channel.pay(GIB));
    expect(await tokenBalance(cast.bank, fresh.vault)).to.equal(9n * MEDIA);
    // And a price cut does not let the old escrow pay less than it agreed to either
    await updatePrices(operator, 1n, 1n);
    await expectRefused(old, signReceipt(early.wallet, old.escrow, old.nonce, 2n * GIB, 100_001n), "Underpriced");
    await settle(cast.world, old, old.channel.pay(GIB));
  });

  it("open_escrow fails when the consumer is the operator: SelfDealing, nothing created", async () => {
    // Given an operator that also holds MEDIA and would pay itself for made-up traffic
    const operator = await newOperator(cast.world, MIN_STAKE);
    const self = { wallet: operator.wallet, mediaAccount: operator.mediaAccount, quoteAccount: operator.quoteAccount };
    for (const mint of [cast.world.mediaMint, cast.world.quoteMint]) {
      const handle = escrowOf(cast.world, self, operator, mint);
      const before = await snapshot(cast.bank, [handle.escrow, handle.vault, operator.provider, cast.world.config]);
      await expectProgramError(
        cast.bank.programs.bandwidth.methods
          .openEscrow()
          .accounts({ consumer: operator.wallet.publicKey, provider: operator.provider, mint })
          .signers([operator.wallet])
          .rpc(),
        "SelfDealing",
      );
      await expectUnchanged(cast.bank, before);
    }
    // And another wallet may still buy from it
    const buyer = await newConsumer(cast.world);
    await openEscrow(cast.world, buyer, operator, cast.world.mediaMint, MEDIA);
  });

  it("receipt channel settles the newest receipt that fits the quota: the later one stays for later", async () => {
    // Given an operator whose 25 MEDIA give it 25 GiB a day, and a consumer's channel with
    // receipts for 10 GiB, then 10 more, then 20 more (40 GiB: beyond the quota)
    const operator = await newOperator(cast.world, MIN_STAKE);
    const consumer = await newConsumer(cast.world);
    const handle = await openEscrow(cast.world, consumer, operator, cast.world.mediaMint, 100n * MEDIA);
    const client = new BandwidthClient(cast.bank.programs.bandwidth, cast.bank.programs.staking);
    const accounts = { providerTokenAccount: handle.providerAccount, treasuryVault: handle.treasuryVault };
    const [first, second, third] = [10n * GIB, 10n * GIB, 20n * GIB].map((bytes) => handle.channel.pay(bytes));
    expect(handle.channel.pending).to.have.length(3);
    // The newest receipt is beyond the quota: settling it is refused
    expect(await client.unixTimestamp()).to.equal(await unixTimestamp(cast.bank));
    expect(await client.quotaRemaining(operator.wallet.publicKey, await unixTimestamp(cast.bank))).to.equal(25n * GIB);
    await expectRefused(handle, third, "QuotaExceeded");
    // When the provider settles through the channel, Then the newest receipt that fits (20 GiB) settles
    const settled = await client.settleChannel(handle.channel, accounts, { signer: operator.wallet });
    expect(settled).to.equal(second);
    expect(handle.channel.pending).to.deep.equal([third]);
    const escrow = await cast.bank.programs.bandwidth.account.escrow.fetch(handle.escrow);
    expect(big(escrow.settledBytes)).to.equal(20n * GIB);
    expect(big(escrow.settledAmount)).to.equal(second.cumulativeAmount);
    // And the remaining 5 GiB do not fit the last receipt's 20 GiB yet: nothing is sent
    expect(await client.quotaRemaining(operator.wallet.publicKey, await unixTimestamp(cast.bank))).to.equal(5n * GIB);
    expect(await client.settleChannel(handle.channel, accounts, { signer: operator.wallet })).to.equal(undefined);
    // When the window decays enough, Then the later receipt settles too (first was superseded: it never pays)
    await warpSeconds(cast.bank, 86_400n);
    expect(await client.settleChannel(handle.channel, accounts, { signer: operator.wallet })).to.equal(third);
    expect(handle.channel.pending).to.deep.equal([]);
    expect(await tokenBalance(cast.bank, handle.vault)).to.equal(100n * MEDIA - third.cumulativeAmount);
    await expectRefused(handle, first, "StaleReceipt");
  });

  it("quotaRemaining mirrors the program: what it allows settles, one byte more is QuotaExceeded", async () => {
    const operator = await newOperator(cast.world, 30n * MEDIA);
    const consumer = await newConsumer(cast.world);
    const handle = await openEscrow(cast.world, consumer, operator, cast.world.quoteMint, 100n * MEDIA);
    await settle(cast.world, handle, handle.channel.pay(17n * GIB));
    await warpSeconds(cast.bank, 12_345n);
    const [config, provider, staking, stake] = await Promise.all([
      cast.bank.programs.bandwidth.account.bandwidthConfig.fetch(cast.world.config),
      cast.bank.programs.bandwidth.account.provider.fetch(operator.provider),
      cast.bank.programs.staking.account.stakingConfig.fetch(stakingConfigPda()),
      cast.bank.programs.staking.account.stakeAccount.fetch(operator.stakeAccount),
    ]);
    const remaining = quotaRemaining(
      {
        quotaUsed: big(provider.quotaUsed),
        quotaUpdatedAt: big(provider.quotaUpdatedAt),
        quotaWindow: big(config.quotaWindow),
        activeStake: big(stake.active),
        quotaBytesPerMedia: big(staking.quotaBytesPerMedia),
      },
      await unixTimestamp(cast.bank),
    );
    const { cumulativeBytes, cumulativeAmount } = handle.channel;
    const over = remaining + 1n;
    await expectRefused(
      handle,
      signReceipt(consumer.wallet, handle.escrow, handle.nonce, cumulativeBytes + over, cumulativeAmount + handle.channel.amountFor(over)),
      "QuotaExceeded",
    );
    await settle(cast.world, handle, handle.channel.pay(remaining));
  });
});
