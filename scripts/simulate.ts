/**
 * `npm run simulate`: the agent-based economic simulation (tests/economy/simulation.ts) on the
 * in-process bank with the real programs, 30 simulated days by default (`--days N`). Prints a
 * line per day and, at the end, each agent's profit and loss next to its honest twin's. Then
 * the contributor economy (operators, delegators and their adversaries) over the same number of
 * days, every step checked against the reference model, with its own table.
 */
import { startBank } from "../tests/utils/bank";
import { setUpEconomy } from "../tests/utils/economy";
import { chainWorld } from "../tests/economy/contributors-chain";
import { type SimulationResult, runSimulation } from "../tests/economy/simulation";
import { type ContributorSimulationResult, runContributorSimulation } from "../tests/economy/simulation-contributors";
import { MEDIA, QUOTE, TREASURY_PRICE_SCALE } from "../tests/utils/constants";

process.env.MEDIA_RUNTIME ??= "litesvm";

const quote = (units: bigint) => (Number(units) / Number(QUOTE)).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const price = (scaled: bigint) => (Number(scaled) / Number(TREASURY_PRICE_SCALE)).toFixed(3);

function daysOption(): number {
  const index = process.argv.indexOf("--days");
  if (index < 0) return 30;
  const days = Number(process.argv[index + 1]);
  if (!Number.isInteger(days) || days < 1 || days > 365)
    throw new Error("--days takes a whole number of days from 1 to 365, e.g. `npm run simulate -- --days 30`");
  return days;
}

export function printReport(result: SimulationResult): void {
  console.log(
    "\nProfit and loss in quote units (holdings at the final market price; takers: trading profit at each trade's market price), each adversary beside its honest twin:",
  );
  console.log(`  ${"agent".padEnd(18)} ${"role".padEnd(9)} ${"P&L".padStart(12)}  ${"twin's P&L".padStart(12)}  strategy`);
  const byName = new Map(result.agents.map((agent) => [agent.name, agent]));
  for (const agent of result.agents) {
    const twin = agent.twin ? byName.get(agent.twin) : undefined;
    const verdict = !twin ? "" : agent.pnl < twin.pnl ? "  (loses to honesty)" : agent.pnl === twin.pnl ? "  (ties honesty)" : "  (BEATS HONESTY)";
    console.log(
      `  ${agent.name.padEnd(18)} ${agent.role.padEnd(9)} ${quote(agent.pnl).padStart(12)}  ${(twin ? quote(twin.pnl) : "").padStart(12)}  ${agent.note}${verdict}`,
    );
  }
  const { buyback, rewards, earlyCloser } = result;
  console.log("\nMarket facts:");
  console.log(
    `  buybacks sold ${quote(buyback.quoteSold)} quote for ${quote(buyback.mediaIn)} MEDIA worth ${quote(buyback.marketValueOfMediaIn)} quote at market`,
  );
  console.log(`  reward sniper earned ${quote(rewards.sniper)} MEDIA, the patient staker ${quote(rewards.patient)}, of ${quote(rewards.funded)} funded`);
  console.log(`  early closer received ${earlyCloser.bytesReceived >> 30n} GiB and paid for ${earlyCloser.bytesPaid >> 30n} GiB`);
  console.log(
    `  refusals met by adversaries: ${Object.entries(result.refusals)
      .map(([name, count]) => `${name} x${count}`)
      .join(", ")}`,
  );
  console.log(`  the griefer's one-unit fills: ${result.dustFills}`);
  if (result.accepted.length > 0) console.log(`  ACCEPTED moves that must be refused: ${result.accepted.join("; ")}`);
  console.log(`  invariants checked after each of ${result.invariantChecks} days`);
}

export function printContributorReport(result: ContributorSimulationResult): void {
  const media = (units: bigint) => (Number(units) / Number(MEDIA)).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  console.log("\nContributor economy: profit and loss in MEDIA (wallet + stake + left to claim), each adversary beside its honest twin:");
  console.log(`  ${"agent".padEnd(24)} ${"role".padEnd(9)} ${"P&L".padStart(11)}  ${"twin's P&L".padStart(11)}  ${"emissions".padStart(11)}  strategy`);
  const byName = new Map(result.agents.map((agent) => [agent.name, agent]));
  for (const agent of result.agents) {
    const twin = agent.twin ? byName.get(agent.twin) : undefined;
    const verdict = !twin ? "" : agent.pnl < twin.pnl ? "  (loses to honesty)" : agent.pnl === twin.pnl ? "  (ties honesty)" : "  (BEATS HONESTY)";
    console.log(
      `  ${agent.name.padEnd(24)} ${agent.role.padEnd(9)} ${media(agent.pnl).padStart(11)}  ${(twin ? media(twin.pnl) : "").padStart(11)}  ${media(agent.emissions).padStart(11)}  ${agent.note}${verdict}`,
    );
  }
  const { pool } = result;
  console.log(
    `  the pool released ${media(pool.released)} MEDIA: ${media(pool.claimed)} claimed, ${media(pool.returned)} returned (idle), ${pool.released - pool.claimed - pool.returned} base units of rounding dust`,
  );
  console.log(`  fee share paid to delegators: ${media(pool.feeShareReceived)} MEDIA; the stake hopper was bound ${result.hopperBoundHours} hours`);
  console.log(
    `  refusals met: ${Object.entries(result.refusals)
      .map(([name, count]) => `${name} x${count}`)
      .join(
        ", ",
      )}; every account compared with the model after every instruction, every invariant checked ${result.invariantChecks} times (genesis, each day, the end)`,
  );
}

async function main() {
  const days = daysOption();
  console.log(`MEDIA economy simulation: ${days} days on ${process.env.MEDIA_RUNTIME}, real programs`);
  const bank = await startBank();
  const result = await runSimulation(bank, {
    days,
    onDay: (day, summary) =>
      console.log(
        `  day ${String(day + 1).padStart(3)}/${days}: market ${price(summary.marketPrice)} MEDIA/quote, auction start ${price(summary.auctionStartPrice)}, burned ${quote(summary.burned)} MEDIA`,
      ),
  });
  printReport(result);

  console.log(`\nContributor economy: ${days} days on ${process.env.MEDIA_RUNTIME}, real programs, every step checked against the reference model`);
  const economy = await setUpEconomy(await startBank());
  const contributors = await runContributorSimulation(await chainWorld(economy), {
    days,
    onDay: (day) => {
      if (day % 7 === 6 || day + 1 === days)
        console.log(`  day ${String(day + 1).padStart(3)}/${days}: the model agrees with every account, every invariant holds`);
    },
  });
  printContributorReport(contributors);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
