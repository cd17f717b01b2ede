/**
 * An agent-based simulation of the MEDIA economy on the in-process bank, with the real
 * programs: honest stakers, Edge operators and consumers live side by side with adversaries,
 * each paired with an honest twin that has the same capital and the same demand. Every agent
 * acts through the same instructions a wallet would send; nothing is computed off-chain that
 * the chain does not enforce. After every simulated day every invariant of ECONOMY.md is
 * checked from the accounts (`checkInvariants`).
 *
 * The adversaries, and what each tries:
 * - reward sniper: keeps its MEDIA unbonding and rebonds it an hour before each weekly reward
 *   funding, unbonding again an hour after (the v1 accumulator paid it 90% of each funding);
 * - self-dealing operator: opens an escrow to itself, signs a 100 GiB receipt for one base
 *   unit, then fakes usage through a wallet of its own paying the full price;
 * - lazy provider: serves but stops settling, hoping to settle whenever it likes;
 * - early closer: a consumer that requests the close right after signing a day's receipt,
 *   hoping to be refunded before the provider settles;
 * - dust griefer: takes one quote base unit at the start and at the floor of each buyback
 *   auction, hoping to steer the next auction's price.
 *
 * Profit and loss is valued in quote base units at the final market price: wallets, stake,
 * claimable rewards and escrow balances, plus (for consumers) the value of the bandwidth they
 * received, which they value at 1.5 times its price.
 */
import type { PublicKey } from "@solana/web3.js";
import { MediaProgramError, auctionPriceAt, claimableRewards, mediaForQuote, priceOf, signReceipt, toMediaError } from "../../sdk/src";
import type { Consumer, EscrowHandle, Operator } from "../utils/bandwidth";
import { closeEscrow, requestClose, settle } from "../utils/bandwidth";
import { type Bank, setUnixTimestamp, unixTimestamp } from "../utils/bank";
import { DAY, type Economy, MEDIA, addConsumer, addEscrow, addOperator, addStaker, balanceOf, checkInvariants, setUpEconomy } from "../utils/economy";
import { type Staker, syncRewards } from "../utils/staking";
import { burnFees, fetchConfig as fetchTreasury, startAuction, take } from "../utils/treasury";
import { GIB, TREASURY_PRICE_SCALE } from "../utils/constants";

const HOUR = 3_600n;
const big = (value: { toString(): string }) => BigInt(value.toString());

/** What the simulation is asked to run. */
export interface SimulationOptions {
  days: number;
  /** Called after every simulated day (progress). */
  onDay?: (day: number, summary: DaySummary) => void;
}

export interface DaySummary {
  day: number;
  marketPrice: bigint;
  auctionStartPrice: bigint;
  burned: bigint;
  stakingRewardsReceived: bigint;
}

/** One agent's result. */
export interface AgentResult {
  name: string;
  role: string;
  honest: boolean;
  /** The honest agent with the same capital and demand (adversaries only). */
  twin?: string;
  /** Profit and loss in quote base units at the final market price. */
  pnl: bigint;
  note: string;
}

export interface SimulationResult {
  agents: AgentResult[];
  days: DaySummary[];
  /** Refusals the adversaries met, by error name. */
  refusals: Record<string, number>;
  /** Adversaries' moves the chain should have refused and did not. */
  accepted: string[];
  /** Quote sold by auctions and MEDIA taken in for it. */
  buyback: { quoteSold: bigint; mediaIn: bigint; marketValueOfMediaIn: bigint };
  /** The reward sniper's and the patient staker's rewards. */
  rewards: { sniper: bigint; patient: bigint; funded: bigint };
  /** Bytes the early closer received and the bytes it paid for. */
  earlyCloser: { bytesReceived: bigint; bytesPaid: bigint };
  invariantChecks: number;
  /** The griefer's one-unit fills. */
  dustFills: number;
}

/** MEDIA base units per quote base unit, scaled by TREASURY_PRICE_SCALE: 20 MEDIA a dollar, then 16. */
function marketPriceOn(day: number): bigint {
  return (day < 15 ? 20n : 16n) * TREASURY_PRICE_SCALE;
}

interface Holdings {
  media: bigint;
  quote: bigint;
  /** Value of bandwidth received (consumers), in quote base units. */
  service: bigint;
}

/**
 * Sends an adversary's move that the chain must refuse; counts the refusal by error name, or
 * records `what` in `accepted` if the chain let it through.
 */
async function attempt(what: string, move: Promise<unknown>, result: Pick<SimulationResult, "refusals" | "accepted">): Promise<void> {
  try {
    await move;
  } catch (error) {
    const named = toMediaError(error);
    const name = named instanceof MediaProgramError ? named.errorName : "unknown";
    result.refusals[name] = (result.refusals[name] ?? 0) + 1;
    return;
  }
  result.accepted.push(what);
}

/** A consumer paying one provider for a fixed number of GiB a day, by receipts. */
interface Demand {
  consumer: Consumer;
  handle: EscrowHandle;
  gibPerDay: bigint;
  price: bigint;
  /** GiB received, and GiB paid for by settled receipts. */
  received: bigint;
  paid: bigint;
  active: boolean;
}

export async function runSimulation(bank: Bank, options: SimulationOptions): Promise<SimulationResult> {
  // Genesis sets the buyback's reference at the market price of the day.
  const economy: Economy = await setUpEconomy(bank, { initialPrice: marketPriceOn(0) });
  const outcome: Pick<SimulationResult, "refusals" | "accepted"> = { refusals: {}, accepted: [] };
  const start = await unixTimestamp(bank);
  const at = (day: number, hours: bigint) => start + BigInt(day) * BigInt(DAY) + hours * HOUR;
  const goTo = async (time: bigint) => {
    if (time > (await unixTimestamp(bank))) await setUnixTimestamp(bank, time);
  };
  const staking = economy.governanceWorld;
  const treasury = economy.treasuryWorld;
  const bandwidth = economy.bandwidthWorld;

  // Stakers.
  const foundation = await addStaker(economy, 100_000n * MEDIA);
  const ada = await addStaker(economy, 1_000n * MEDIA);
  const patient = await addStaker(economy, 9_000n * MEDIA);
  const sniper = await addStaker(economy, 9_000n * MEDIA);
  await ada.stake(1_000n * MEDIA);
  await patient.stake(9_000n * MEDIA);

  // Operators: prices per GiB of 1 MEDIA, or 0.05 quote (1 MEDIA at 20 MEDIA a dollar).
  const prices = { media: 1n * MEDIA, quote: 50_000n };
  const edge = await addOperator(economy, 5_000n * MEDIA, prices);
  const steady = await addOperator(economy, 1_000n * MEDIA, prices);
  const lazy = await addOperator(economy, 1_000n * MEDIA, prices);
  const idle = await addOperator(economy, 1_000n * MEDIA, prices);
  const selfDealer = await addOperator(economy, 1_000n * MEDIA, prices);

  // Consumers and their demand.
  const demands: Demand[] = [];
  const demand = async (operator: Operator, mint: PublicKey, gibPerDay: bigint, deposit: bigint) => {
    const isMedia = mint.equals(economy.mediaMint);
    const consumer = await addConsumer(economy, isMedia ? deposit : 0n, isMedia ? 0n : deposit);
    const handle = await addEscrow(economy, consumer, operator, mint, deposit);
    const entry: Demand = { consumer, handle, gibPerDay, price: isMedia ? prices.media : prices.quote, received: 0n, paid: 0n, active: true };
    demands.push(entry);
    return entry;
  };
  await demand(edge, economy.mediaMint, 80n, 3_000n * MEDIA);
  await demand(edge, economy.quoteMint, 1_000n, 2_000n * MEDIA);
  const loyal = await demand(edge, economy.mediaMint, 50n, 2_000n * MEDIA);
  const closer = await demand(edge, economy.mediaMint, 50n, 2_000n * MEDIA);
  await demand(steady, economy.mediaMint, 80n, 3_000n * MEDIA);
  const lazyViewer = await demand(lazy, economy.mediaMint, 80n, 3_000n * MEDIA);

  // The self-dealer's own wallet posing as a consumer.
  const puppet = await addConsumer(economy, 20_000n * MEDIA, 0n);
  const fakeGibPerDay = 500n;

  // Buyback takers with the same capital.
  const arbitrageur = await addConsumer(economy, 10_000n * MEDIA, 0n);
  const griefer = await addConsumer(economy, 10_000n * MEDIA, 0n);

  const holdingsOf = async (wallets: { media?: PublicKey[]; quote?: PublicKey[]; stakers?: Staker[]; escrows?: EscrowHandle[] }): Promise<Holdings> => {
    let media = 0n;
    let quote = 0n;
    for (const account of wallets.media ?? []) media += await balanceOf(bank, account);
    for (const account of wallets.quote ?? []) quote += await balanceOf(bank, account);
    for (const staker of wallets.stakers ?? []) {
      const position = await positionOf(staker);
      media += position.active + position.unbonding + position.claimable;
    }
    for (const handle of wallets.escrows ?? []) {
      const raw = await bank.runtime.getAccount(handle.vault);
      if (raw) (handle.isMedia ? (x: bigint) => (media += x) : (x: bigint) => (quote += x))(await balanceOf(bank, handle.vault));
    }
    return { media, quote, service: 0n };
  };
  const positionOf = async (staker: Staker) => {
    const account = await bank.programs.staking.account.stakeAccount.fetchNullable(staker.stakeAccount);
    const config = await bank.programs.staking.account.stakingConfig.fetch(economy.stakingConfig);
    if (!account) return { active: 0n, unbonding: 0n, claimable: 0n };
    const claimable = claimableRewards(config, account, await unixTimestamp(bank));
    return { active: big(account.active), unbonding: big(account.unbonding), claimable };
  };

  const books: Record<string, { role: string; honest: boolean; twin?: string; measure: () => Promise<Holdings>; start?: Holdings; note: string }> = {
    "patient staker": {
      role: "staker",
      honest: true,
      measure: () => holdingsOf({ media: [patient.tokenAccount], stakers: [patient] }),
      note: "9,000 MEDIA staked all along",
    },
    "reward sniper": {
      role: "staker",
      honest: false,
      twin: "patient staker",
      measure: () => holdingsOf({ media: [sniper.tokenAccount], stakers: [sniper] }),
      note: "9,000 MEDIA bonded an hour before each funding only",
    },
    "edge (honest)": { role: "operator", honest: true, measure: () => operatorHoldings(edge), note: "5,000 MEDIA staked, settles daily" },
    "steady provider": { role: "operator", honest: true, measure: () => operatorHoldings(steady), note: "settles every day" },
    "lazy provider": { role: "operator", honest: false, twin: "steady provider", measure: () => operatorHoldings(lazy), note: "stops settling on day 10" },
    "idle operator": { role: "operator", honest: true, measure: () => operatorHoldings(idle), note: "no customers" },
    "self-dealer": {
      role: "operator",
      honest: false,
      twin: "idle operator",
      measure: async () =>
        add(await operatorHoldings(selfDealer), await holdingsOf({ media: [puppet.mediaAccount], escrows: puppetEscrow ? [puppetEscrow] : [] })),
      note: `fakes ${fakeGibPerDay} GiB a day through its own wallet`,
    },
    "loyal consumer": { role: "consumer", honest: true, measure: () => consumerHoldings(loyal), note: "50 GiB a day, all month" },
    "early closer": { role: "consumer", honest: false, twin: "loyal consumer", measure: () => consumerHoldings(closer), note: "requests the close on day 10" },
    // Takers trade MEDIA for quote: their result is the trading profit at each trade's market
    // price (holding MEDIA through the market's move is not the auction's doing).
    arbitrageur: {
      role: "taker",
      honest: true,
      measure: async () => ({ media: 0n, quote: tradingProfit.arbitrageur, service: 0n }),
      note: "takes lots 2% under market",
    },
    "dust griefer": {
      role: "taker",
      honest: false,
      twin: "arbitrageur",
      measure: async () => ({ media: 0n, quote: tradingProfit.griefer, service: 0n }),
      note: "one base unit at each start and floor",
    },
  };
  const add = (a: Holdings, b: Holdings): Holdings => ({ media: a.media + b.media, quote: a.quote + b.quote, service: a.service + b.service });
  const operatorHoldings = (operator: Operator) => holdingsOf({ media: [operator.mediaAccount], quote: [operator.quoteAccount], stakers: [operator] });
  const consumerHoldings = async (entry: Demand) => {
    const held = await holdingsOf({ media: [entry.consumer.mediaAccount], quote: [entry.consumer.quoteAccount], escrows: [entry.handle] });
    // Bandwidth is worth 1.5 times its price to the consumer who buys it.
    const value = (priceOf(entry.received * GIB, entry.price) * 3n) / 2n;
    return entry.handle.isMedia ? { ...held, media: held.media + value } : { ...held, quote: held.quote + value };
  };
  let puppetEscrow: EscrowHandle | undefined;
  const tradingProfit = { arbitrageur: 0n, griefer: 0n };
  for (const book of Object.values(books)) book.start = await book.measure();

  // The self-dealer cannot open an escrow to itself, nor settle usage for free.
  await attempt("an operator's escrow to itself", addEscrow(economy, selfDealer, selfDealer, economy.mediaMint, 0n), outcome);
  puppetEscrow = await addEscrow(economy, puppet, selfDealer, economy.mediaMint, 20_000n * MEDIA);
  const underpriced = signReceipt(puppet.wallet, puppetEscrow.escrow, puppetEscrow.nonce, 100n * GIB, 1n);
  await attempt("a 100 GiB receipt for one base unit", settle(bandwidth, puppetEscrow, underpriced), outcome);

  const days: DaySummary[] = [];
  let invariantChecks = 0;
  let dustFills = 0;
  let funded = 0n;
  const sniperRewards = { claimed: 0n };
  const buyback = { quoteSold: 0n, mediaIn: 0n, marketValueOfMediaIn: 0n };
  await sniper.stake(9_000n * MEDIA);
  await sniper.requestUnstake(9_000n * MEDIA);

  for (let day = 0; day < options.days; day++) {
    const market = marketPriceOn(day);
    // 01:00 the sniper rebonds before the weekly funding at 02:00, and unbonds at 03:00.
    if (day % 7 === 0) {
      await goTo(at(day, 1n));
      await sniper.cancelUnstake();
      await goTo(at(day, 2n));
      await foundation.fundRewards(10_000n * MEDIA);
      funded += 10_000n * MEDIA;
      await goTo(at(day, 3n));
      await sniper.requestUnstake(9_000n * MEDIA);
    }

    // 04:00 consumers sign the day's receipt; providers settle it.
    await goTo(at(day, 4n));
    for (const entry of demands) {
      if (!entry.active) continue;
      const receipt = entry.handle.channel.payAtPrice(entry.gibPerDay * GIB, entry.price);
      entry.received += entry.gibPerDay;
      if (entry === closer && day === 10) {
        // The early closer asks to close before the provider settles, and tries to leave at once.
        await requestClose(bandwidth, closer.handle);
        await attempt("a close before the dispute window", closeEscrow(bandwidth, closer.handle), outcome);
        closer.active = false;
      }
      const skips = entry === lazyViewer && day >= 10;
      if (skips) continue;
      await settle(bandwidth, entry.handle, receipt);
      entry.paid = entry.received;
    }
    // Lazy's viewer stops buying on day 20 and asks for its money back; the dispute window runs.
    if (day === 20) {
      await requestClose(bandwidth, lazyViewer.handle);
      lazyViewer.active = false;
    }
    if (day === 21 || day === 11) {
      const handle = day === 21 ? lazyViewer.handle : closer.handle;
      await closeEscrow(bandwidth, handle);
    }
    // The self-dealer fakes usage at full price through its own wallet.
    await settle(bandwidth, puppetEscrow, puppetEscrow.channel.payAtPrice(fakeGibPerDay * GIB, prices.media));

    // 05:00 fees are burned and a buyback auction starts; takers act while its price decays.
    await goTo(at(day, 5n));
    await burnFees(treasury);
    let auctionStartPrice = 0n;
    if ((await balanceOf(bank, economy.treasuryQuoteVault)) > 0n) {
      await startAuction(treasury);
      const auction = await fetchTreasury(treasury);
      auctionStartPrice = big(auction.startPrice);
      await dust(1n, auctionStartPrice, market);
      // Every fifth day the arbitrageur is away, so the auction runs to its floor.
      const arbitrageurAway = day % 5 === 4;
      const lastMinute = big(auction.auctionEnd) - 60n;
      for (let t = at(day, 5n); t < lastMinute; t += 600n) {
        await goTo(t);
        const state = await fetchTreasury(treasury);
        const remaining = big(state.lotRemaining);
        if (remaining === 0n) break;
        const price = auctionPriceAt(state, t);
        if (!arbitrageurAway && price * 100n <= market * 98n) {
          const cost = mediaForQuote(remaining, price);
          await take(treasury, arbitrageur, remaining, cost);
          buyback.quoteSold += remaining;
          buyback.mediaIn += cost;
          buyback.marketValueOfMediaIn += (cost * TREASURY_PRICE_SCALE) / market;
          tradingProfit.arbitrageur += remaining - (cost * TREASURY_PRICE_SCALE) / market;
          break;
        }
      }
      const state = await fetchTreasury(treasury);
      if (big(state.lotRemaining) > 0n) {
        // The griefer's floor dust, in the auction's last minute.
        await goTo(lastMinute);
        const floor = auctionPriceAt(state, lastMinute);
        await dust(1n, floor, market);
      }
    }

    // 23:00 a keeper folds the day's fee and buyback shares into the reward stream; the sniper
    // claims what it earned; the day ends with every invariant.
    await goTo(at(day, 23n));
    await syncRewards(staking);
    const before = await balanceOf(bank, sniper.tokenAccount);
    if ((await positionOf(sniper)).claimable > 0n) await sniper.claimRewards();
    sniperRewards.claimed += (await balanceOf(bank, sniper.tokenAccount)) - before;
    await checkInvariants(economy, `day ${day}`);
    invariantChecks++;
    const treasuryState = await fetchTreasury(treasury);
    const stakingState = await bank.programs.staking.account.stakingConfig.fetch(economy.stakingConfig);
    const summary: DaySummary = {
      day,
      marketPrice: market,
      auctionStartPrice,
      burned: big(treasuryState.totalBurned),
      stakingRewardsReceived: big(stakingState.totalRewardsReceived),
    };
    days.push(summary);
    options.onDay?.(day, summary);
  }

  // Valuation at the final market price.
  const finalPrice = marketPriceOn(options.days - 1);
  const value = (h: Holdings) => h.quote + (h.media * TREASURY_PRICE_SCALE) / finalPrice;
  const agents: AgentResult[] = [];
  for (const [name, book] of Object.entries(books)) {
    const end = await book.measure();
    agents.push({ name, role: book.role, honest: book.honest, twin: book.twin, pnl: value(end) - value(book.start!), note: book.note });
  }
  const patientPosition = await positionOf(patient);
  return {
    agents,
    days,
    ...outcome,
    buyback,
    rewards: { sniper: sniperRewards.claimed, patient: patientPosition.claimable, funded },
    earlyCloser: { bytesReceived: closer.received * GIB, bytesPaid: closer.paid * GIB },
    invariantChecks,
    dustFills,
  };

  /** A dust fill: allowed (fills of any size execute), but it must not move the next price. */
  async function dust(quote: bigint, price: bigint, market: bigint) {
    const cost = mediaForQuote(quote, price);
    await take(treasury, griefer, quote, cost);
    tradingProfit.griefer += quote - (cost * TREASURY_PRICE_SCALE) / market;
    dustFills++;
  }
}
