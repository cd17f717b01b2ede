import type { MediaEconomy } from "@media-network/sdk";

/** Network totals from program accounts ("Media Scan"). */
export async function scanExample(economy: MediaEconomy, now: bigint) {
  const report = await economy.scan(now);
  console.log(`${report.staking.totalActive} staked by ${report.staking.stakers} stakers`);
  console.log(`${report.bandwidth.activeProviders} providers served ${report.bandwidth.bytesServed} bytes`);
  console.log(`${report.treasury.totalBurned} MEDIA burned; ${report.governance.openProposals} proposals open`);
  return report;
}
