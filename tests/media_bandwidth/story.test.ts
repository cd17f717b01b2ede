/**
 * The bandwidth market as one story: an Edge operator stakes and registers, a consumer pays
 * it through a MEDIA escrow and a quote escrow with signed receipts, the fee split lands to
 * the base unit, the rolling quota stops the operator and lets it sell again as the window
 * decays, and the consumer closes the channel and gets the rest back. The config's lifetime
 * counters keep the history the closed escrow takes with it.
 */
import { expect } from "chai";
import { feeSplit, signReceipt, stakingConfigPda, stakingVaultPda } from "../../sdk/src";
import { type Bank, startBank, unixTimestamp, warpSeconds } from "../utils/bank";
import { expectStakingVaultSynced } from "../utils/economy";
import { big, newStaker } from "../utils/staking";
import { eventsOf, expectProgramError, expectRefused } from "../utils/assertions";
import {
  type BandwidthWorld,
  type Consumer,
  type EscrowHandle,
  GIB,
  MEDIA,
  type Operator,
  newConsumer,
  newOperator,
  openEscrow,
  settle,
  settleAccounts,
  setUpBandwidth,
} from "../utils/bandwidth";
import { tokenBalance } from "../utils/token";
import { MIN_STAKE, REWARD_DURATION } from "../utils/constants";

const DAY = 86_400n;

describe("media_bandwidth: story of a paid Edge operator", () => {
  let bank: Bank;
  let world: BandwidthWorld;
  let operator: Operator;
  let consumer: Consumer;
  let media: EscrowHandle;
  let quote: EscrowHandle;
  const quota = 25n * GIB; // 25 MEDIA staked at 1 GiB per MEDIA per day

  async function quotaUsed(): Promise<bigint> {
    const provider = await bank.programs.bandwidth.account.provider.fetch(operator.provider);
    return BigInt(provider.quotaUsed.toString());
  }

  before(async () => {
    bank = await startBank();
    world = await setUpBandwidth(bank);
  });

  it("an edge operator stakes the minimum and registers as a provider", async () => {
    // Given a wallet that stakes exactly 25 MEDIA
    operator = await newOperator(world, MIN_STAKE);
    // Then it is an active provider with its prices
    const provider = await bank.programs.bandwidth.account.provider.fetch(operator.provider);
    expect(provider.operator.toBase58()).to.equal(operator.wallet.publicKey.toBase58());
    expect(provider.active).to.equal(true);
    expect(provider.mediaPricePerGib.toString()).to.equal("100000");
  });

  it("a consumer opens an escrow in MEDIA and another in the quote mint", async () => {
    consumer = await newConsumer(world, 1_000n * MEDIA, 500n * MEDIA);
    media = await openEscrow(world, consumer, operator, world.mediaMint, 100n * MEDIA);
    quote = await openEscrow(world, consumer, operator, world.quoteMint, 50n * MEDIA);
    expect(await tokenBalance(bank, media.vault)).to.equal(100n * MEDIA);
    expect(await tokenBalance(bank, quote.vault)).to.equal(50n * MEDIA);
    expect(await tokenBalance(bank, consumer.mediaAccount)).to.equal(900n * MEDIA);
  });

  it("three MEDIA receipts settle in order and the split lands to the base unit", async () => {
    // Given the balances before any settlement
    const providerBefore = await tokenBalance(bank, operator.mediaAccount);
    const stakingVaultBefore = await tokenBalance(bank, stakingVaultPda());
    const treasuryBefore = await tokenBalance(bank, world.treasuryMediaVault);
    const stakingBefore = await bank.programs.staking.account.stakingConfig.fetch(stakingConfigPda());
    // When the consumer signs three receipts and the provider settles each in order
    const steps: [bigint, bigint][] = [
      [1n * GIB, 1_234_567n],
      [2n * GIB, 1_234_568n],
      [1n * GIB, 100_001n],
    ];
    let expected = { provider: 0n, stakers: 0n, treasury: 0n };
    let lastSignature = "";
    for (const [bytes, amount] of steps) {
      lastSignature = await settle(world, media, media.channel.pay(bytes, amount));
      const parts = feeSplit(amount, 1_000, 5_000, true);
      expected = {
        provider: expected.provider + parts.provider,
        stakers: expected.stakers + parts.stakers,
        treasury: expected.treasury + parts.treasury,
      };
    }
    // Then provider, reward pool and treasury received exactly their parts
    // (1_234_567: fee 123_456 -> stakers 61_728, treasury 61_728, provider 1_111_111)
    expect(feeSplit(1_234_567n, 1_000, 5_000, true)).to.deep.equal({ provider: 1_111_111n, stakers: 61_728n, treasury: 61_728n });
    const total = 1_234_567n + 1_234_568n + 100_001n;
    expect(await tokenBalance(bank, operator.mediaAccount)).to.equal(providerBefore + expected.provider);
    expect(await tokenBalance(bank, stakingVaultPda())).to.equal(stakingVaultBefore + expected.stakers);
    expect(await tokenBalance(bank, world.treasuryMediaVault)).to.equal(treasuryBefore + expected.treasury);
    expect(expected.provider + expected.stakers + expected.treasury).to.equal(total);
    expect(await tokenBalance(bank, media.vault)).to.equal(100n * MEDIA - total);
    // And the stakers' share was paid straight into the staking vault, where it waits unaccounted
    let stakingAfter = await bank.programs.staking.account.stakingConfig.fetch(stakingConfigPda());
    expect(big(stakingAfter.rewardReserve)).to.equal(big(stakingBefore.rewardReserve));
    // until the next staking instruction that holds the vault (the operator claiming) folds it into the reward stream
    await expectProgramError(operator.claimRewards(), "NoRewards");
    const folding = await (await newStaker(world.staking, MIN_STAKE)).stake(MIN_STAKE);
    stakingAfter = await bank.programs.staking.account.stakingConfig.fetch(stakingConfigPda());
    expect(big(stakingAfter.totalRewardsReceived) - big(stakingBefore.totalRewardsReceived)).to.equal(expected.stakers);
    expect(big(stakingAfter.totalRewardsFunded)).to.equal(big(stakingBefore.totalRewardsFunded));
    expect(big(stakingAfter.rewardReserve) - big(stakingBefore.rewardReserve)).to.equal(expected.stakers);
    expect(big(stakingAfter.unstreamedRewards)).to.equal(expected.stakers);
    const started = eventsOf(bank, folding, bank.programs.staking as never).find((e) => e.name === "rewardPeriodStarted");
    expect(started?.data.received.toString()).to.equal(expected.stakers.toString());
    expect(started?.data.periodEnd.toString()).to.equal(String((await unixTimestamp(bank)) + REWARD_DURATION));
    await expectStakingVaultSynced(bank, "after the fees were folded");
    // And the escrow remembers the last receipt
    const escrow = await bank.programs.bandwidth.account.escrow.fetch(media.escrow);
    expect(escrow.settledBytes.toString()).to.equal((4n * GIB).toString());
    expect(escrow.settledAmount.toString()).to.equal(total.toString());
    expect(escrow.paid.toString()).to.equal(total.toString());
    // And the last settlement's event carries bytes, amount and the fee parts
    const events = eventsOf(bank, lastSignature, bank.programs.bandwidth as never);
    expect(events.map((e) => e.name)).to.deep.equal(["receiptSettled"]);
    const last = feeSplit(100_001n, 1_000, 5_000, true);
    expect(events[0].data.bytes.toString()).to.equal(GIB.toString());
    expect(events[0].data.amount.toString()).to.equal("100001");
    expect(events[0].data.providerAmount.toString()).to.equal(last.provider.toString());
    expect(events[0].data.stakerAmount.toString()).to.equal(last.stakers.toString());
    expect(events[0].data.treasuryAmount.toString()).to.equal(last.treasury.toString());
    expect(events[0].data.quotaUsed.toString()).to.equal((4n * GIB).toString());
  });

  it("a quote receipt pays the provider and sends the whole revenue to the treasury's quote vault", async () => {
    const stakingVaultBefore = await tokenBalance(bank, stakingVaultPda());
    await settle(world, quote, quote.channel.pay(1n * GIB, 777_777n));
    expect(await tokenBalance(bank, operator.quoteAccount)).to.equal(700_000n);
    expect(await tokenBalance(bank, world.treasuryQuoteVault)).to.equal(77_777n);
    expect(await tokenBalance(bank, quote.vault)).to.equal(50n * MEDIA - 777_777n);
    expect(await tokenBalance(bank, stakingVaultPda())).to.equal(stakingVaultBefore);
    // Both escrows draw on the one provider quota
    expect(await quotaUsed()).to.equal(5n * GIB);
  });

  it("the quota runs out, comes back by half after half a window and wholly after a window", async () => {
    // Given the provider sells exactly up to its quota
    await settle(world, media, media.channel.pay(quota - 5n * GIB));
    expect(await quotaUsed()).to.equal(quota);
    // When it tries one byte more (a receipt the channel did not keep), Then QuotaExceeded and nothing moves
    const beyond = (bytes: bigint) =>
      signReceipt(
        consumer.wallet,
        media.escrow,
        media.nonce,
        media.channel.cumulativeBytes + bytes,
        media.channel.cumulativeAmount + media.channel.amountFor(bytes),
      );
    await expectRefused(bank, settleAccounts(world, media), "QuotaExceeded", () => settle(world, media, beyond(1n)));

    // Given half a window passes: exactly half the quota has decayed
    await warpSeconds(bank, DAY / 2n);
    // Then one byte over half fails, and exactly half succeeds
    await expectProgramError(settle(world, media, beyond(quota / 2n + 1n)), "QuotaExceeded");
    await settle(world, media, media.channel.pay(quota / 2n));
    expect(await quotaUsed()).to.equal(quota);

    // Given a whole window passes: the full quota is free again
    await warpSeconds(bank, DAY);
    await settle(world, media, media.channel.pay(quota));
    expect(await quotaUsed()).to.equal(quota);
  });

  it("the consumer closes: settlements still land in the dispute window, then the rest is refunded with the rent", async () => {
    // Given the consumer asks to close the MEDIA escrow
    await bank.programs.bandwidth.methods
      .requestClose()
      .accounts({ consumer: consumer.wallet.publicKey, escrow: media.escrow })
      .signers([consumer.wallet])
      .rpc();
    // When the window has not passed, Then closing fails
    const closeEscrow = () =>
      bank.programs.bandwidth.methods
        .closeEscrow()
        .accounts({ consumer: consumer.wallet.publicKey, consumerTokenAccount: consumer.mediaAccount, escrow: media.escrow })
        .signers([consumer.wallet])
        .rpc();
    await expectProgramError(closeEscrow(), "DisputeWindowOpen");
    // And the provider can still settle in the window (quota refilled after a day)
    await warpSeconds(bank, DAY - 10n);
    await settle(world, media, media.channel.pay(GIB, 200_000n));
    // When the window has passed, Then the remainder and both accounts' rent go back
    await warpSeconds(bank, 10n);
    const remainder = await tokenBalance(bank, media.vault);
    const escrowAccount = await bank.runtime.getAccount(media.escrow);
    const vaultAccount = await bank.runtime.getAccount(media.vault);
    const rent = BigInt(escrowAccount!.lamports) + BigInt(vaultAccount!.lamports);
    const consumerTokensBefore = await tokenBalance(bank, consumer.mediaAccount);
    const lamportsBefore = (await bank.runtime.getAccount(consumer.wallet.publicKey))!.lamports;
    const signature = await closeEscrow();
    expect(await tokenBalance(bank, consumer.mediaAccount)).to.equal(consumerTokensBefore + remainder);
    expect((await bank.runtime.getAccount(consumer.wallet.publicKey))?.lamports).to.equal(lamportsBefore + rent);
    expect(await bank.runtime.getAccount(media.escrow)).to.equal(null);
    expect(await bank.runtime.getAccount(media.vault)).to.equal(null);
    const events = eventsOf(bank, signature, bank.programs.bandwidth as never);
    expect(events.map((e) => e.name)).to.deep.equal(["escrowClosed"]);
    expect(events[0].data.refunded.toString()).to.equal(remainder.toString());
    // And escrow accounting held: deposited = paid + refunded
    expect(remainder).to.equal(100n * MEDIA - media.channel.cumulativeAmount);
  });

  it("the history outlives the closed escrow: the config's lifetime counters add every settlement and the refund", async () => {
    const config = await bank.programs.bandwidth.account.bandwidthConfig.fetch(world.config);
    const big = (value: { toString(): string }) => BigInt(value.toString());
    // Everything the (now closed) MEDIA escrow paid, and the quote escrow's one receipt
    const paidMedia = media.channel.cumulativeAmount;
    expect(big(config.feesPaidMedia)).to.equal(paidMedia);
    expect(big(config.feesPaidQuote)).to.equal(777_777n);
    // Revenue and the stakers' share at least the sum of the per-settlement parts (each rounds down)
    expect(big(config.protocolRevenueQuote)).to.equal(77_777n);
    expect(big(config.protocolRevenueMedia) >= feeSplit(paidMedia, 1_000, 5_000, true).treasury).to.equal(true);
    expect(big(config.stakerRewardsPaid)).to.equal(big(config.protocolRevenueMedia) - (await tokenBalance(bank, world.treasuryMediaVault)));
    expect(big(config.bytesServed)).to.equal(media.channel.cumulativeBytes + quote.channel.cumulativeBytes);
    expect(big(config.refundedMedia)).to.equal(100n * MEDIA - paidMedia);
    expect(big(config.refundedQuote)).to.equal(0n);
  });
});
