/** `register_provider`, `update_provider`, `deactivate_provider`. */
import BN from "bn.js";
import { expect } from "chai";
import { providerPda, stakeAccountPda, stakingConfigPda } from "../../sdk/src";
import { type Bank, startBank } from "../utils/bank";
import { eventsOf, expectProgramError, expectUnchanged, snapshot } from "../utils/assertions";
import { type BandwidthWorld, MEDIA, newOperator, registerProvider, setUpBandwidth } from "../utils/bandwidth";

describe("media_bandwidth: provider registry", () => {
  let bank: Bank;
  let world: BandwidthWorld;

  before(async () => {
    bank = await startBank();
    world = await setUpBandwidth(bank);
  });

  it("test_register_provider_ok: an operator with the minimum stake registers and ProviderRegistered is emitted", async () => {
    const operator = await newOperator(world, 25n * MEDIA, { register: false });
    const signature = await registerProvider(world, operator, { media: 7n, quote: 0n });
    const provider = await bank.programs.bandwidth.account.provider.fetch(operator.provider);
    expect(provider.active).to.equal(true);
    expect(provider.mediaPricePerGib.toString()).to.equal("7");
    expect(provider.quotePricePerGib.toString()).to.equal("0");
    const events = eventsOf(bank, signature, bank.programs.bandwidth as never);
    expect(events.map((e) => e.name)).to.deep.equal(["providerRegistered"]);
    expect(events[0].data.activeStake.toString()).to.equal((25n * MEDIA).toString());
  });

  it("test_register_provider_fails_when_stake_below_minimum: ProviderStakeBelowMinimum", async () => {
    const operator = await newOperator(world, 0n, { register: false });
    // A stake account exists only once staked: stake 25 MEDIA, then unstake it all.
    const staked = await newOperator(world, 25n * MEDIA, { register: false });
    await bank.programs.staking.methods
      .requestUnstake(new BN((25n * MEDIA).toString()))
      .accounts({ owner: staked.wallet.publicKey })
      .signers([staked.wallet])
      .rpc();
    const before = await snapshot(bank, [staked.provider, staked.stakeAccount]);
    await expectProgramError(registerProvider(world, staked), "ProviderStakeBelowMinimum");
    await expectUnchanged(bank, before);
    // Without any stake account at all, the staking loader refuses it
    await expectProgramError(registerProvider(world, operator), "InvalidAccountOwner");
  });

  it("test_register_provider_fails_when_stake_account_is_someone_elses: StakeOwnerMismatch", async () => {
    const rich = await newOperator(world, 100n * MEDIA, { register: false });
    const poor = await newOperator(world, 0n, { register: false });
    const before = await snapshot(bank, [poor.provider]);
    await expectProgramError(
      bank.programs.bandwidth.methods
        .registerProvider(new BN(1), new BN(1))
        .accountsPartial({ operator: poor.wallet.publicKey, stakingConfig: stakingConfigPda(), stakeAccount: stakeAccountPda(rich.wallet.publicKey) })
        .signers([poor.wallet])
        .rpc(),
      "StakeOwnerMismatch",
    );
    await expectUnchanged(bank, before);
  });

  it("test_register_provider_fails_when_no_price_or_registered_twice", async () => {
    const operator = await newOperator(world, 25n * MEDIA, { register: false });
    await expectProgramError(registerProvider(world, operator, { media: 0n, quote: 0n }), "NoPriceSet");
    await expectProgramError(registerProvider(world, operator, { media: 2n * 10n ** 12n, quote: 0n }), "ParameterOutOfBounds");
    await registerProvider(world, operator);
    const before = await snapshot(bank, [operator.provider]);
    await expectProgramError(registerProvider(world, operator), "AlreadyInitialized");
    await expectUnchanged(bank, before);
  });

  it("test_update_provider_ok and test_deactivate_provider_ok: prices change, deactivation and reactivation", async () => {
    const operator = await newOperator(world, 25n * MEDIA);
    const wallet = operator.wallet.publicKey;
    const update = (who = operator) =>
      bank.programs.bandwidth.methods
        .updateProvider(new BN(3), new BN(4))
        .accountsPartial({ operator: who.wallet.publicKey, stakingConfig: stakingConfigPda(), stakeAccount: who.stakeAccount, provider: operator.provider })
        .signers([who.wallet])
        .rpc();
    const deactivated = await bank.programs.bandwidth.methods.deactivateProvider().accounts({ operator: wallet }).signers([operator.wallet]).rpc();
    expect(eventsOf(bank, deactivated, bank.programs.bandwidth as never)[0].data.active).to.equal(false);
    expect((await bank.programs.bandwidth.account.provider.fetch(providerPda(wallet))).active).to.equal(false);
    await update();
    const provider = await bank.programs.bandwidth.account.provider.fetch(operator.provider);
    expect(provider.active).to.equal(true);
    expect(provider.quotePricePerGib.toString()).to.equal("4");
    // Another operator cannot touch it
    const other = await newOperator(world, 25n * MEDIA);
    const before = await snapshot(bank, [operator.provider]);
    await expectProgramError(update(other), "ProviderMismatch");
    await expectUnchanged(bank, before);
  });
});
