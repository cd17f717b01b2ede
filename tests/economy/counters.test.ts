/**
 * Media Scan's counters: every instruction that changes what Media Scan counts (stakers with
 * active stake, active providers, open escrows, proposals in voting, the providers' rolling
 * quota use) moves the config's counter, so Media Scan reads four configs instead of every
 * account. After every step of a story that moves each counter both ways, the report equals a
 * scan of the accounts (`expectCountersMatchAccounts`). The economy stories check the same
 * after each of their steps (`checkInvariants`).
 */
import { expect } from "chai";
import { GIB, VoteSide } from "../../sdk/src";
import { expectRefused } from "../utils/assertions";
import { closeEscrow, requestClose, settle } from "../utils/bandwidth";
import { given, warpSeconds } from "../utils/bank";
import { expectCountersMatchAccounts } from "../utils/counters";
import { DAY, MEDIA, VOTING_PERIOD } from "../utils/constants";
import { addConsumer, addEscrow, addOperator, addStaker, setUpEconomy } from "../utils/economy";
import { finalize, propose, stakingSetMinStake, vote } from "../utils/governance";

describe("media scan: counters in the configs", () => {
  const cast = given(async (bank) => ({ economy: await setUpEconomy(bank) }));

  it("every counter succeeds when a story moves it both ways: Media Scan's report equals a scan of the accounts after each step", async () => {
    const { economy } = cast;
    const { bank } = economy;
    const bandwidth = bank.clients.bandwidth;
    const step = async (where: string, expected: Partial<Record<"stakers" | "activeProviders" | "openEscrows" | "openProposals", number>>) => {
      const { scanned } = await expectCountersMatchAccounts(bank, where);
      for (const [name, value] of Object.entries(expected)) expect(scanned[name as keyof typeof scanned], `${name} (${where})`).to.equal(value);
      return scanned;
    };
    await step("genesis", { stakers: 0, activeProviders: 0, openEscrows: 0, openProposals: 0 });

    // Stakers: a first stake counts, a top-up does not, unstaking everything uncounts, a
    // cancelled unstake counts again, a partial unstake changes nothing.
    const alice = await addStaker(economy, 1_000n * MEDIA);
    await alice.stake(100n * MEDIA);
    await alice.stake(50n * MEDIA);
    await step("alice staked twice", { stakers: 1 });
    await alice.requestUnstake(150n * MEDIA);
    await step("alice unstaked everything", { stakers: 0 });
    await alice.cancelUnstake();
    await step("alice cancelled her unstake", { stakers: 1 });
    await alice.requestUnstake(25n * MEDIA);
    await step("alice unstaked part", { stakers: 1 });

    // Providers: registering counts, deactivating uncounts once, updating reactivates once.
    const operator = await addOperator(economy, 1_000n * MEDIA);
    await step("an operator registered", { stakers: 2, activeProviders: 1 });
    const asOperator = { signer: operator.wallet };
    await bandwidth.deactivateProvider(asOperator);
    await bandwidth.deactivateProvider(asOperator);
    await step("the provider deactivated twice", { activeProviders: 0 });
    await bandwidth.updateProvider({ media: 100_000n, quote: 50_000n }, asOperator);
    await bandwidth.updateProvider({ media: 200_000n, quote: 50_000n }, asOperator);
    await step("the provider updated twice", { activeProviders: 1 });

    // Escrows and quota: settlements over more than two quota windows, then a close.
    const consumer = await addConsumer(economy, 1_000n * MEDIA, 1_000n * MEDIA);
    const escrow = await addEscrow(economy, consumer, operator, economy.mediaMint, 100n * MEDIA);
    const quoteEscrow = await addEscrow(economy, consumer, operator, economy.quoteMint, 100n * MEDIA);
    await step("two escrows opened", { openEscrows: 2 });
    for (let hour = 0; hour < 60; hour += 7) {
      await settle(economy.bandwidthWorld, hour % 2 ? quoteEscrow : escrow, (hour % 2 ? quoteEscrow : escrow).channel.pay(GIB / 4n));
      const scanned = await step(`settled at hour ${hour}`, {});
      expect(scanned.quotaUsed > 0n, "quota is in use right after a settlement").to.equal(true);
      await warpSeconds(bank, 7 * 60 * 60);
    }
    await warpSeconds(bank, 2 * DAY);
    await step("two quiet days: all quota decayed", {});
    await requestClose(economy.bandwidthWorld, escrow);
    await warpSeconds(bank, DAY);
    await closeEscrow(economy.bandwidthWorld, escrow);
    await step("one escrow closed", { openEscrows: 1 });

    // Proposals: voting opens when the last instruction is stored; cancel and finalize close it.
    const first = await propose(economy.governanceWorld, alice, [await stakingSetMinStake(economy.governanceWorld, 30n * MEDIA)]);
    const second = await propose(economy.governanceWorld, alice, [await stakingSetMinStake(economy.governanceWorld, 40n * MEDIA)]);
    await step("two proposals in voting", { openProposals: 2 });
    await bank.clients.governance.cancel(second, { signer: alice.wallet });
    await step("one proposal cancelled", { openProposals: 1 });
    await vote(economy.governanceWorld, first, alice, VoteSide.For);
    await warpSeconds(bank, VOTING_PERIOD);
    await step("voting ended, not finalized: still in the voting state", { openProposals: 1 });
    await finalize(economy.governanceWorld, first);
    await step("the proposal finalized", { openProposals: 0 });
  });

  it("finalize fails when the config passed is not governance's: InvalidAccountOwner, and nothing changes", async () => {
    const { economy } = cast;
    const { bank } = economy;
    const proposer = await addStaker(economy, 1_000n * MEDIA);
    await proposer.stake(100n * MEDIA);
    const proposal = await propose(economy.governanceWorld, proposer, [await stakingSetMinStake(economy.governanceWorld, 30n * MEDIA)]);
    await warpSeconds(bank, VOTING_PERIOD);
    const governance = bank.programs.governance;
    // The bandwidth config is program-owned but not governance's: a forged counter holder.
    const forged = governance.methods.finalize().accountsPartial({ proposal, stakingConfig: economy.stakingConfig, config: economy.bandwidthConfig });
    await expectRefused(bank, [proposal, economy.bandwidthConfig, economy.governance], "InvalidAccountOwner", () => forged.rpc());
    const cancel = governance.methods
      .cancel()
      .accountsPartial({ proposer: proposer.wallet.publicKey, proposal, config: economy.stakingConfig })
      .signers([proposer.wallet]);
    await expectRefused(bank, [proposal, economy.stakingConfig, economy.governance], "InvalidAccountOwner", () => cancel.rpc());
    await expectCountersMatchAccounts(bank, "after the refusals");
  });
});
