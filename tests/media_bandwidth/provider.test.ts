/** `register_provider`, `update_provider`, `deactivate_provider`. */
import BN from "bn.js";
import { expect } from "chai";
import { providerPda, stakeAccountPda, stakingConfigPda } from "../../sdk/src";
import { given } from "../utils/bank";
import { eventsOf, expectProgramError, expectUnchanged, snapshot, expectRefused } from "../utils/assertions";
import { MEDIA, ensureRewardsPool, newOperator, registerProvider, setUpBandwidth } from "../utils/bandwidth";
import { MIN_STAKE } from "../utils/constants";

describe("media_bandwidth: provider registry", () => {
  const cast = given(async (bank) => {
    const world = await setUpBandwidth(bank);
    return { world };
  });

  it("register_provider succeeds: an operator with the minimum stake registers and ProviderRegistered is emitted", async () => {
    const operator = await newOperator(cast.world, MIN_STAKE, { register: false });
    const signature = await registerProvider(cast.world, operator, { media: 7n, quote: 0n });
    const provider = await cast.bank.programs.bandwidth.account.provider.fetch(operator.provider);
    expect(provider.active).to.equal(true);
    expect(provider.mediaPricePerGib.toString()).to.equal("7");
    expect(provider.quotePricePerGib.toString()).to.equal("0");
    const events = eventsOf(cast.bank, signature, cast.bank.programs.bandwidth as never);
    expect(events.map((e) => e.name)).to.deep.equal(["providerRegistered"]);
    expect(events[0].data.activeStake.toString()).to.equal(MIN_STAKE.toString());
  });

  it("register_provider fails when stake below minimum: ProviderStakeBelowMinimum", async () => {
    const operator = await newOperator(cast.world, 0n, { register: false });
    // A stake account exists only once staked: stake 25 MEDIA, open the operator pool (which
    // needs the minimum too), then unstake it all.
    const staked = await newOperator(cast.world, MIN_STAKE, { register: false });
    await ensureRewardsPool(cast.world);
    await cast.bank.clients.staking.openOperator(0, 0, { signer: staked.wallet });
    await cast.bank.clients.staking.requestUnstake(MIN_STAKE, { signer: staked.wallet });
    await expectRefused(cast.bank, [staked.provider, staked.stakeAccount], "ProviderStakeBelowMinimum", () => registerProvider(cast.world, staked));
    // Without any stake account at all, the staking loader refuses it
    await expectProgramError(registerProvider(cast.world, operator), "InvalidAccountOwner");
  });

  it("register_provider fails when stake account is someone elses: StakeOwnerMismatch", async () => {
    const rich = await newOperator(cast.world, 100n * MEDIA, { register: false });
    const poor = await newOperator(cast.world, 0n, { register: false });
    const before = await snapshot(cast.bank, [poor.provider]);
    await expectProgramError(
      cast.bank.programs.bandwidth.methods
        .registerProvider(new BN(1), new BN(1))
        .accountsPartial({ operator: poor.wallet.publicKey, stakingConfig: stakingConfigPda(), stakeAccount: stakeAccountPda(rich.wallet.publicKey) })
        .signers([poor.wallet])
        .rpc(),
      "StakeOwnerMismatch",
    );
    await expectUnchanged(cast.bank, before);
  });

  it("register_provider fails when no price or registered twice", async () => {
    const operator = await newOperator(cast.world, MIN_STAKE, { register: false });
    await expectProgramError(registerProvider(cast.world, operator, { media: 0n, quote: 0n }), "NoPriceSet");
    await expectProgramError(registerProvider(cast.world, operator, { media: 2n * 10n ** 12n, quote: 0n }), "ParameterOutOfBounds");
    await registerProvider(cast.world, operator);
    await expectRefused(cast.bank, [operator.provider], "AlreadyInitialized", () => registerProvider(cast.world, operator));
  });

  it("update_provider succeeds and deactivate_provider succeeds: prices change, deactivation and reactivation", async () => {
    const operator = await newOperator(cast.world, MIN_STAKE);
    const wallet = operator.wallet.publicKey;
    const update = (who = operator) =>
      cast.bank.programs.bandwidth.methods
        .updateProvider(new BN(3), new BN(4))
        .accountsPartial({ operator: who.wallet.publicKey, stakingConfig: stakingConfigPda(), stakeAccount: who.stakeAccount, provider: operator.provider })
        .signers([who.wallet])
        .rpc();
    const deactivated = await cast.bank.programs.bandwidth.methods.deactivateProvider().accounts({ operator: wallet }).signers([operator.wallet]).rpc();
    expect(eventsOf(cast.bank, deactivated, cast.bank.programs.bandwidth as never)[0].data.active).to.equal(false);
    expect((await cast.bank.programs.bandwidth.account.provider.fetch(providerPda(wallet))).active).to.equal(false);
    await update();
    const provider = await cast.bank.programs.bandwidth.account.provider.fetch(operator.provider);
    expect(provider.active).to.equal(true);
    expect(provider.quotePricePerGib.toString()).to.equal("4");
    // Another operator cannot touch it
    const other = await newOperator(cast.world, MIN_STAKE);
    await expectRefused(cast.bank, [operator.provider], "ProviderMismatch", () => update(other));
  });
});
