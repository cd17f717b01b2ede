/**
 * `settle_receipt` with the operator's delegation pool (media_staking's OperatorPool): the quota
 * counts the stake delegated to the operator up to the staking config's cap, the delegators'
 * fee share of a MEDIA payment lands in staking's fee-share vault exact to the base unit (and
 * only when someone is delegated and the payment is in MEDIA), every settlement extends the
 * provider's activity run, and a pool or vault that is not the operator's is refused by name
 * with every account byte-identical.
 */
import { Keypair, type PublicKey, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import { BANDWIDTH_DEFAULTS, emissionVaultPda, feeShare, feeShareVaultPda, feeSplit, signReceipt, stakingVaultPda } from "../../sdk/src";
import { eventsOf, expectProgramError, expectRefused } from "../utils/assertions";
import { given, unixTimestamp, warpSeconds } from "../utils/bank";
import {
  type EscrowHandle,
  GIB,
  MEDIA,
  type Operator,
  delegateTo,
  newConsumer,
  newOperator,
  openEscrow,
  send,
  setUpBandwidth,
  settle,
  settleAccounts,
  settleInstructions,
} from "../utils/bandwidth";
import { MIN_STAKE } from "../utils/constants";
import { big, newStaker } from "../utils/staking";
import { createTokenAccount, mintTo, tokenBalance } from "../utils/token";

const ACTIVITY_WINDOW = BigInt(BANDWIDTH_DEFAULTS.activityWindow.toString());
/** The operators' terms: 10% commission on emissions, 25% of MEDIA fee income to delegators. */
const TERMS = { commissionBps: 1_000, feeShareBps: 2_500 };

describe("media_bandwidth: settle_receipt with delegated stake", () => {
  const cast = given(async (bank) => {
    const world = await setUpBandwidth(bank);
    // An operator with the minimum of its own and 100 MEDIA delegated to it
    const operator = await newOperator(world, MIN_STAKE, { terms: TERMS });
    const delegator = await newStaker(world.staking, 100n * MEDIA);
    await delegator.stake(100n * MEDIA);
    await delegateTo(world, delegator, operator);
    // An operator bound only to itself: its fee share has nobody to go to
    const solo = await newOperator(world, MIN_STAKE, { terms: TERMS });
    await delegateTo(world, solo, solo);
    const consumer = await newConsumer(world);
    const media = await openEscrow(world, consumer, operator, world.mediaMint, 100n * MEDIA);
    const quote = await openEscrow(world, consumer, operator, world.quoteMint, 100n * MEDIA);
    const soloMedia = await openEscrow(world, consumer, solo, world.mediaMint, 100n * MEDIA);
    return { world, operator, delegator, solo, consumer, media, quote, soloMedia };
  });

  /** The provider account of `operator`, decoded. */
  const providerOf = (operator: Operator) => cast.bank.programs.bandwidth.account.provider.fetch(operator.provider);

  /** Token transfers the program made in the transaction `signature`. */
  function transfers(signature: string): number {
    return cast.bank.provider.record(signature).logs.filter((line) => /^Program TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA invoke \[2\]$/.test(line)).length;
  }

  /** Settles `bytes` for `amount` on `handle`; returns what moved where. */
  async function settleAndMeasure(handle: EscrowHandle, bytes: bigint, amount: bigint) {
    const feeVault = feeShareVaultPda();
    const [providerBefore, feeVaultBefore, stakingBefore, treasuryBefore, paidBefore] = await Promise.all([
      tokenBalance(cast.bank, handle.providerAccount),
      tokenBalance(cast.bank, feeVault),
      tokenBalance(cast.bank, stakingVaultPda()),
      tokenBalance(cast.bank, handle.treasuryVault),
      providerOf(handle.operator).then((p) => big(p.feeSharePaid)),
    ]);
    const signature = await settle(cast.world, handle, handle.channel.pay(bytes, amount));
    const [event] = eventsOf(cast.bank, signature, cast.bank.programs.bandwidth as never);
    return {
      signature,
      event: event.data,
      provider: (await tokenBalance(cast.bank, handle.providerAccount)) - providerBefore,
      feeVault: (await tokenBalance(cast.bank, feeVault)) - feeVaultBefore,
      stakers: (await tokenBalance(cast.bank, stakingVaultPda())) - stakingBefore,
      treasury: (await tokenBalance(cast.bank, handle.treasuryVault)) - treasuryBefore,
      feeSharePaid: big((await providerOf(handle.operator)).feeSharePaid) - paidBefore,
    };
  }

  it("settle_receipt succeeds: the delegators' fee share of a MEDIA payment goes to the fee-share vault, exact to the base unit", async () => {
    // 1,000,003 base units: revenue 100,000 (floor), provider part 900,003, of which 25% is
    // 225,000.75: the delegators get 225,000 and the provider keeps 675,003.
    const moved = await settleAndMeasure(cast.media, GIB, 1_000_003n);
    const parts = feeSplit(1_000_003n, BANDWIDTH_DEFAULTS.protocolFeeBps, BANDWIDTH_DEFAULTS.stakerShareBps, true);
    expect(feeShare(parts.provider, TERMS.feeShareBps, true, 100n * MEDIA)).to.equal(225_000n);
    expect(moved.feeVault).to.equal(225_000n);
    expect(moved.provider).to.equal(675_003n);
    expect(moved.stakers).to.equal(parts.stakers);
    expect(moved.treasury).to.equal(parts.treasury);
    expect(moved.provider + moved.feeVault + moved.stakers + moved.treasury).to.equal(1_000_003n);
    // The provider account counts it for staking to pick up, and the event says it
    expect(moved.feeSharePaid).to.equal(225_000n);
    expect(moved.event.feeShareAmount.toString()).to.equal("225000");
    expect(moved.event.providerAmount.toString()).to.equal("675003");
    // Four transfers: provider, fee share, stakers, treasury
    expect(transfers(moved.signature)).to.equal(4);
  });

  it("settle_receipt pays no fee share when nobody but the operator is bound: the provider keeps its part, one transfer fewer", async () => {
    const moved = await settleAndMeasure(cast.soloMedia, GIB, 1_000_003n);
    expect(moved.feeVault).to.equal(0n);
    expect(moved.provider).to.equal(900_003n);
    expect(moved.feeSharePaid).to.equal(0n);
    expect(moved.event.feeShareAmount.toString()).to.equal("0");
    expect(transfers(moved.signature)).to.equal(3);
  });

  it("settle_receipt pays no fee share on a quote payment, even with delegators", async () => {
    const moved = await settleAndMeasure(cast.quote, GIB, 1_000_003n);
    expect(moved.feeVault).to.equal(0n);
    expect(moved.provider).to.equal(900_003n);
    expect(moved.treasury).to.equal(100_000n);
    expect(moved.feeSharePaid).to.equal(0n);
    expect(moved.event.feeShareAmount.toString()).to.equal("0");
    expect(transfers(moved.signature)).to.equal(2);
  });

  it("settle_receipt applies the fee share in effect now: a change waits out its notice, then applies without a sync", async () => {
    // Given an operator at 25% with 100 MEDIA delegated, which schedules 50%
    const operator = await newOperator(cast.world, MIN_STAKE, { terms: TERMS });
    const delegator = await newStaker(cast.world.staking, 100n * MEDIA);
    await delegator.stake(100n * MEDIA);
    await delegateTo(cast.world, delegator, operator);
    const handle = await openEscrow(cast.world, cast.consumer, operator, cast.world.mediaMint, 10n * MEDIA);
    await cast.bank.clients.staking.setCommission(TERMS.commissionBps, 5_000, { signer: operator.wallet });
    const pool = await cast.bank.programs.staking.account.operatorPool.fetch(operator.operatorPool);
    const effectiveAt = big(pool.pendingEffectiveAt);
    // Then until the notice ends the old 25% applies (provider part 900,003: 225,000 shared)
    await warpSeconds(cast.bank, effectiveAt - (await unixTimestamp(cast.bank)) - 1n);
    expect((await settleAndMeasure(handle, GIB, 1_000_003n)).feeVault).to.equal(225_000n);
    // And from its end the new 50% does, though no staking instruction ran since (450,001.5: 450,001)
    await warpSeconds(cast.bank, 1n);
    const moved = await settleAndMeasure(handle, GIB, 1_000_003n);
    expect(moved.feeVault).to.equal(450_001n);
    expect(moved.provider).to.equal(450_002n);
  });

  it("settle_receipt succeeds within a quota of own plus delegated stake; one byte more is QuotaExceeded", async () => {
    // Given an operator with 25 MEDIA of its own and 100 MEDIA delegated (cap: 10x its own)
    const operator = await newOperator(cast.world, MIN_STAKE);
    const delegator = await newStaker(cast.world.staking, 100n * MEDIA);
    await delegator.stake(100n * MEDIA);
    await delegateTo(cast.world, delegator, operator);
    const handle = await openEscrow(cast.world, cast.consumer, operator, cast.world.quoteMint, 100n * MEDIA);
    // Then its quota is 125 GiB a window (1 GiB per MEDIA), as the SDK's mirror says
    const now = await unixTimestamp(cast.bank);
    expect(await cast.bank.clients.bandwidth.quotaRemaining(operator.wallet.publicKey, now)).to.equal(125n * GIB);
    await expectRefused(cast.bank, settleAccounts(cast.world, handle), "QuotaExceeded", () => settle(cast.world, handle, beyond(handle, 125n * GIB + 1n)));
    await settle(cast.world, handle, handle.channel.pay(125n * GIB));
    expect(await cast.bank.clients.bandwidth.quotaRemaining(operator.wallet.publicKey, now)).to.equal(0n);
  });

  it("settle_receipt counts delegated stake only up to delegation_cap times the operator's own", async () => {
    // Given an operator with 25 MEDIA of its own and 100 MEDIA delegated
    const operator = await newOperator(cast.world, MIN_STAKE);
    const delegator = await newStaker(cast.world.staking, 100n * MEDIA);
    await delegator.stake(100n * MEDIA);
    await delegateTo(cast.world, delegator, operator);
    const handle = await openEscrow(cast.world, cast.consumer, operator, cast.world.quoteMint, 100n * MEDIA);
    // When governance lowers the cap to twice the own stake
    const config = await cast.bank.clients.staking.fetchConfig();
    await cast.bank.clients.staking.setDelegationParams(2, config.commissionNotice);
    try {
      // Then the quota counts 25 + 50 MEDIA: 75 GiB, and not a byte more
      const now = await unixTimestamp(cast.bank);
      expect(await cast.bank.clients.bandwidth.quotaRemaining(operator.wallet.publicKey, now)).to.equal(75n * GIB);
      await expectRefused(cast.bank, settleAccounts(cast.world, handle), "QuotaExceeded", () => settle(cast.world, handle, beyond(handle, 75n * GIB + 1n)));
      await settle(cast.world, handle, handle.channel.pay(75n * GIB));
    } finally {
      await cast.bank.clients.staking.setDelegationParams(config.delegationCap, config.commissionNotice);
    }
  });

  it("settle_receipt records activity runs: extended by each settlement, a new run after a gap", async () => {
    const operator = await newOperator(cast.world, MIN_STAKE);
    const handle = await openEscrow(cast.world, cast.consumer, operator, cast.world.quoteMint, 10n * MEDIA);
    const run = async () => {
      const provider = await providerOf(operator);
      return [big(provider.activeSince), big(provider.activeUntil)];
    };
    // A provider that never settled has no run
    expect(await run()).to.deep.equal([0n, 0n]);
    // The first settlement starts a run that lasts the activity window
    await settle(cast.world, handle, handle.channel.pay(GIB));
    const start = await unixTimestamp(cast.bank);
    expect(await run()).to.deep.equal([start, start + ACTIVITY_WINDOW]);
    // A settlement within the run extends it
    const later = await warpSeconds(cast.bank, 86_400n);
    await settle(cast.world, handle, handle.channel.pay(GIB));
    expect(await run()).to.deep.equal([start, later + ACTIVITY_WINDOW]);
    // A settlement at the very last second of the run still extends it
    const last = await warpSeconds(cast.bank, ACTIVITY_WINDOW);
    await settle(cast.world, handle, handle.channel.pay(GIB));
    expect(await run()).to.deep.equal([start, last + ACTIVITY_WINDOW]);
    // After a gap (the run ended a second ago), a settlement starts a new run
    const resumed = await warpSeconds(cast.bank, ACTIVITY_WINDOW + 1n);
    await settle(cast.world, handle, handle.channel.pay(GIB));
    expect(await run()).to.deep.equal([resumed, resumed + ACTIVITY_WINDOW]);
    // A new activity window applies from the next settlement on
    const hour = 3_600n;
    await cast.bank.clients.bandwidth.setActivityWindow(hour);
    try {
      const now = await warpSeconds(cast.bank, 60n);
      await settle(cast.world, handle, handle.channel.pay(GIB));
      expect(await run()).to.deep.equal([resumed, now + hour]);
    } finally {
      await cast.bank.clients.bandwidth.setActivityWindow(ACTIVITY_WINDOW);
    }
  });

  it("a bandwidth pause holds the activity window: a run it reached earns through the pause and goes on after it", async () => {
    // Given the emission vault funded, and two operators with a delegator each: Petra settles
    // just before the pause, Lars's run ended before it
    await mintTo(cast.bank, cast.world.mediaMint, emissionVaultPda(), 100_000n * MEDIA);
    const newPool = async () => {
      const operator = await newOperator(cast.world, MIN_STAKE, { terms: TERMS });
      const delegator = await newStaker(cast.world.staking, 100n * MEDIA);
      await delegator.stake(100n * MEDIA);
      await delegateTo(cast.world, delegator, operator);
      return { operator, handle: await openEscrow(cast.world, cast.consumer, operator, cast.world.quoteMint, 10n * MEDIA) };
    };
    const [petra, lars] = [await newPool(), await newPool()];
    const staking = cast.bank.clients.staking;
    const emissions = async (operator: Operator) => {
      const pool = await staking.fetchOperatorPool(operator.wallet.publicKey);
      if (!pool) throw new Error("no operator pool");
      return { earned: pool.emissionsEarned, returned: pool.emissionsReturned };
    };
    await settle(cast.world, lars.handle, lars.handle.channel.pay(GIB));
    await warpSeconds(cast.bank, ACTIVITY_WINDOW + 3_600n);
    await settle(cast.world, petra.handle, petra.handle.channel.pay(GIB));
    const runStart = await unixTimestamp(cast.bank);
    for (const { operator } of [petra, lars]) await staking.syncOperator(operator.wallet.publicKey);
    const [petraBefore, larsBefore] = [await emissions(petra.operator), await emissions(lars.operator)];

    // When bandwidth is paused an hour later, for twice the activity window
    await warpSeconds(cast.bank, 3_600n);
    await cast.bank.clients.bandwidth.setPaused(true);
    try {
      const midPause = await warpSeconds(cast.bank, 2n * ACTIVITY_WINDOW);
      // Then, though its recorded run ended, Petra counts as active (the SDK says so too), and a sync
      // credits the pause to her delegator instead of returning it
      const view = await staking.operatorPool(petra.operator.wallet.publicKey, midPause);
      expect(view?.active).to.equal(true);
      expect(view?.activity?.activeUntil).to.equal(midPause + ACTIVITY_WINDOW - 3_600n);
      await staking.syncOperator(petra.operator.wallet.publicKey);
      const petraPaused = await emissions(petra.operator);
      expect(petraPaused.returned).to.equal(petraBefore.returned);
      expect(petraPaused.earned > petraBefore.earned).to.equal(true);
      // And Lars, idle before the pause began, gets nothing back for it: his share returns to the pool
      await staking.syncOperator(lars.operator.wallet.publicKey);
      const larsPaused = await emissions(lars.operator);
      expect(larsPaused.earned).to.equal(larsBefore.earned);
      expect(larsPaused.returned > larsBefore.returned).to.equal(true);
    } finally {
      await cast.bank.clients.bandwidth.setPaused(false);
    }

    // When Petra settles after the pause, within what was left of her run
    await warpSeconds(cast.bank, ACTIVITY_WINDOW / 2n);
    await settle(cast.world, petra.handle, petra.handle.channel.pay(GIB));
    // Then it is the same run, and no second of it went back to the pool
    expect(big((await providerOf(petra.operator)).activeSince)).to.equal(runStart);
    await staking.syncOperator(petra.operator.wallet.publicKey);
    expect((await emissions(petra.operator)).returned).to.equal(petraBefore.returned);
  });

  /** A receipt `bytes` beyond what `handle`'s channel signed, that the channel does not keep. */
  function beyond(handle: EscrowHandle, bytes: bigint) {
    const { cumulativeBytes, cumulativeAmount } = handle.channel;
    return signReceipt(handle.consumer.wallet, handle.escrow, handle.nonce, cumulativeBytes + bytes, cumulativeAmount + handle.channel.amountFor(bytes));
  }

  /** `[verify, settle]` of a fresh receipt on cast.media with account `name` replaced by `replacement`. */
  async function settleWith(name: "operatorPool" | "feeShareVault" | "providerTokenAccount", replacement: PublicKey): Promise<TransactionInstruction[]> {
    const instructions = await settleInstructions(cast.world, cast.media, beyond(cast.media, GIB));
    const original = { operatorPool: cast.operator.operatorPool, feeShareVault: feeShareVaultPda(), providerTokenAccount: cast.media.providerAccount }[name];
    const key = instructions[1].keys.find((k) => k.pubkey.equals(original));
    if (!key) throw new Error(`${name} missing from settle_receipt`);
    key.pubkey = replacement;
    return instructions;
  }

  it("settle_receipt fails when the operator pool is another operator's: OperatorPoolMismatch", async () => {
    const instructions = await settleWith("operatorPool", cast.solo.operatorPool);
    await expectRefused(cast.bank, [...settleAccounts(cast.world, cast.media), cast.solo.operatorPool], "OperatorPoolMismatch", () =>
      send(cast.world, instructions, [cast.operator.wallet]),
    );
  });

  it("settle_receipt fails when the operator pool is not media_staking's: InvalidAccountOwner", async () => {
    // A byte-for-byte copy of the operator's pool that another program owns vouches for nothing
    const forged = Keypair.generate().publicKey;
    const pool = await cast.bank.runtime.getAccount(cast.operator.operatorPool);
    if (!pool) throw new Error("no operator pool");
    await cast.bank.runtime.setAccount(forged, { ...pool, owner: Keypair.generate().publicKey });
    const instructions = await settleWith("operatorPool", forged);
    await expectRefused(cast.bank, settleAccounts(cast.world, cast.media), "InvalidAccountOwner", () => send(cast.world, instructions, [cast.operator.wallet]));
  });

  it("settle_receipt fails when the fee-share vault is not the pool's: InvalidVault", async () => {
    // A MEDIA account owned by the staking config, but not the vault the pool names
    const lookalike = await createTokenAccount(cast.bank, cast.world.mediaMint, cast.world.staking.config);
    const instructions = await settleWith("feeShareVault", lookalike);
    await expectRefused(cast.bank, [...settleAccounts(cast.world, cast.media), lookalike], "InvalidVault", () =>
      send(cast.world, instructions, [cast.operator.wallet]),
    );
  });

  it("settle_receipt fails when the provider's share would go into the fee-share vault: DuplicateAccount", async () => {
    const instructions = await settleWith("providerTokenAccount", feeShareVaultPda());
    await expectRefused(cast.bank, settleAccounts(cast.world, cast.media), "DuplicateAccount", () => send(cast.world, instructions, [cast.operator.wallet]));
  });

  it("register_provider fails without the operator's pool: InvalidAccountOwner, or OperatorPoolMismatch for another's", async () => {
    const newcomer = await newOperator(cast.world, MIN_STAKE, { register: false });
    const register = (operatorPool: PublicKey) =>
      cast.bank.programs.bandwidth.methods
        .registerProvider(new BN(1), new BN(1))
        .accountsPartial({ operator: newcomer.wallet.publicKey, operatorPool })
        .signers([newcomer.wallet])
        .rpc();
    const touched = [newcomer.provider, newcomer.operatorPool, cast.world.config];
    // No pool opened yet: the address holds nothing media_staking owns
    await expectRefused(cast.bank, touched, "InvalidAccountOwner", () => register(newcomer.operatorPool));
    // Another operator's pool
    await expectRefused(cast.bank, touched, "OperatorPoolMismatch", () => register(cast.operator.operatorPool));
    // The SDK opens the pool first, then registers
    await cast.bank.clients.bandwidth.registerProvider({ media: 1n, quote: 1n }, { signer: newcomer.wallet });
    const pool = await cast.bank.programs.staking.account.operatorPool.fetch(newcomer.operatorPool);
    expect(pool.operator.toBase58()).to.equal(newcomer.wallet.publicKey.toBase58());
    expect((await providerOf(newcomer)).active).to.equal(true);
    await expectProgramError(cast.bank.clients.bandwidth.registerProvider({ media: 1n, quote: 1n }, { signer: newcomer.wallet }), "AlreadyInitialized");
  });
});
