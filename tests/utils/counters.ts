/**
 * Media Scan's counters against the accounts they count: the configs' counts (stakers with
 * active stake, active providers, open escrows, proposals in voting) and quota ring must say
 * what a scan of every program account says, account by account.
 */
import { expect } from "chai";
import { decayedQuota, mediaScan } from "../../sdk/src";
import { type Bank, unixTimestamp } from "./bank";

const big = (value: { toString(): string }): bigint => BigInt(value.toString());

/** What a scan of every stake account, provider, escrow and proposal finds. */
export async function scanAccounts(bank: Bank, now: bigint) {
  const { staking, bandwidth, governance } = bank.programs;
  const [stakes, providers, escrows, proposals, config] = await Promise.all([
    staking.account.stakeAccount.all(),
    bandwidth.account.provider.all(),
    bandwidth.account.escrow.all(),
    governance.account.proposal.all(),
    bandwidth.account.bandwidthConfig.fetchNullable(bank.clients.bandwidth.configAddress()),
  ]);
  const window = config ? big(config.quotaWindow) : 1n;
  return {
    stakers: stakes.filter(({ account }) => big(account.active) > 0n).length,
    activeProviders: providers.filter(({ account }) => account.active).length,
    providers: providers.length,
    openEscrows: escrows.length,
    openProposals: proposals.filter(({ account }) => "voting" in account.state).length,
    quotaUsed: providers.reduce((sum, { account }) => sum + decayedQuota(big(account.quotaUsed), now - big(account.quotaUpdatedAt), window), 0n),
  };
}

/**
 * Fails unless Media Scan's report (configs only) agrees with a scan of the accounts at the
 * bank's clock, and returns both. Quota use: each provider's figure rounds down, so the
 * accounts sum to at most the ring's upper bound and to more than its lower bound less one
 * byte per provider.
 */
export async function expectCountersMatchAccounts(bank: Bank, where = "") {
  const at = where ? ` (${where})` : "";
  const now = await unixTimestamp(bank);
  const [report, scanned] = await Promise.all([mediaScan(bank.programs, now), scanAccounts(bank, now)]);
  expect(report.staking.stakers, `stakers with active stake${at}`).to.equal(scanned.stakers);
  expect(report.bandwidth.activeProviders, `active providers${at}`).to.equal(scanned.activeProviders);
  expect(report.bandwidth.openEscrows, `open escrows${at}`).to.equal(scanned.openEscrows);
  expect(report.governance.openProposals, `proposals in voting${at}`).to.equal(scanned.openProposals);
  const { quotaUsedNow, quotaUsedNowMax } = report.bandwidth;
  expect(scanned.quotaUsed <= quotaUsedNowMax, `providers' quota use ${scanned.quotaUsed} <= ring's at most ${quotaUsedNowMax}${at}`).to.equal(true);
  expect(
    scanned.quotaUsed + BigInt(scanned.providers) >= quotaUsedNow,
    `providers' quota use ${scanned.quotaUsed} + ${scanned.providers} >= ring's at least ${quotaUsedNow}${at}`,
  ).to.equal(true);
  return { report, scanned };
}
