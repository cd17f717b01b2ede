/**
 * A reference model of the MEDIA economy in exact integer arithmetic, written from ECONOMY.md
 * (not from the programs): staking with its reward stream (rewards stream out linearly over
 * `rewardDuration`, wait while nothing is staked, and fees paid straight into the staking vault
 * join the stream on the next staking instruction that holds the vault) and accumulator, bandwidth escrows with
 * cumulative receipts, the rolling quota and the fee split, and the treasury's fee burns and
 * Dutch buyback auctions, with the MEDIA supply and burn totals. Every operation returns the
 * error the programs must refuse it with (in the order they check), or applies its effects.
 */

import { BOUNDS, BPS, GIB, MAX_PAUSE_DURATION as MAX_PAUSE_SECONDS, MEDIA, REWARD_SCALE, TREASURY_PRICE_SCALE } from "../utils/constants";

/** mulberry32: a small seeded generator, so every run draws the same sequence. */
export function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    /** A bigint in [0, n). */
    big: (n: bigint) => (n <= 0n ? 0n : (BigInt(Math.floor(next() * 2 ** 32)) * 2n ** 32n + BigInt(Math.floor(next() * 2 ** 32))) % n),
    pick: <T>(items: readonly T[]): T => items[int(items.length)],
  };
}
export type Random = ReturnType<typeof random>;

export { GIB, MEDIA };
const [MIN_PRICE, MAX_PRICE] = BOUNDS.treasury.price;
const clampPrice = (price: bigint) => (price < MIN_PRICE ? MIN_PRICE : price > MAX_PRICE ? MAX_PRICE : price);

export interface ModelParams {
  minStake: bigint;
  unbondingPeriod: bigint;
  quotaBytesPerMedia: bigint;
  rewardDuration: bigint;
  protocolFeeBps: bigint;
  stakerShareBps: bigint;
  quotaWindow: bigint;
  disputeWindow: bigint;
  auctionInterval: bigint;
  auctionDuration: bigint;
  maxLot: bigint;
  initialPrice: bigint;
  premiumBps: bigint;
  floorBps: bigint;
  minFillBps: bigint;
  minSoldBps: bigint;
  maxStepBps: bigint;
}

export interface ModelStake {
  exists: boolean;
  active: bigint;
  unbonding: bigint;
  unbondingEnd: bigint;
  paid: bigint;
  owed: bigint;
}

export interface ModelProvider {
  /** Index of the operator's stake position. */
  stake: number;
  used: bigint;
  updatedAt: bigint;
  totalBytes: bigint;
  active: boolean;
  mediaPrice: bigint;
  quotePrice: bigint;
  /** Escrows ever opened with it: the next escrow's nonce. */
  escrowsOpened: bigint;
}

export interface ModelEscrow {
  provider: number;
  isMedia: boolean;
  deposited: bigint;
  paid: bigint;
  settledBytes: bigint;
  settledAmount: bigint;
  /** The provider's price per GiB when the escrow opened. */
  pricePerGib: bigint;
  open: boolean;
  nonce: bigint;
  /** 0 until `request_close`; then the request time, the paused seconds then, and the window in force. */
  closeRequestedAt: bigint;
  closePausedSeconds: bigint;
  closeWindow: bigint;
}

/** The bandwidth config's lifetime counters. */
export interface ModelBandwidthTotals {
  feesPaidMedia: bigint;
  feesPaidQuote: bigint;
  protocolRevenueMedia: bigint;
  protocolRevenueQuote: bigint;
  stakerRewardsPaid: bigint;
  bytesServed: bigint;
  refundedMedia: bigint;
  refundedQuote: bigint;
}

/** Token balances the model follows, by name ("staker:3", "escrow:2", "treasury:media", ...). */
export type Balances = Map<string, bigint>;

export type Outcome = string | undefined;

/** The staking parameters governance sets by proposal. */
export type StakingParameter = "minStake" | "rewardDuration" | "unbondingPeriod" | "quotaBytesPerMedia";

/** A config's pause (media_core::pause::PauseState): paused while now < until; lapses after MAX_PAUSE_DURATION. */
export interface ModelPause {
  until: bigint;
  since: bigint;
  before: bigint;
}
export type Pausable = "staking" | "bandwidth" | "treasury";
const MAX_PAUSE_DURATION = BigInt(MAX_PAUSE_SECONDS);

export class EconomyModel {
  now = 0n;
  // staking
  totalActive = 0n;
  totalUnbonding = 0n;
  acc = 0n;
  unstreamed = 0n;
  periodEnd = 0n;
  updatedAt = 0n;
  reserve = 0n;
  totalFunded = 0n;
  totalReceived = 0n;
  stakes: ModelStake[] = [];
  // bandwidth
  providers: ModelProvider[] = [];
  escrows: ModelEscrow[] = [];
  bandwidthTotals: ModelBandwidthTotals = {
    feesPaidMedia: 0n,
    feesPaidQuote: 0n,
    protocolRevenueMedia: 0n,
    protocolRevenueQuote: 0n,
    stakerRewardsPaid: 0n,
    bytesServed: 0n,
    refundedMedia: 0n,
    refundedQuote: 0n,
  };
  // treasury
  totalBurned = 0n;
  totalFeesBurned = 0n;
  totalBoughtBack = 0n;
  totalBuybackBurned = 0n;
  totalBuybackToStakers = 0n;
  totalQuoteSold = 0n;
  lastClearingPrice = 0n;
  /** Set from `params.initialPrice` by the constructor. */
  referencePrice = 0n;
  referenceAuctionId = 0n;
  auctionId = 0n;
  lot = 0n;
  countedQuote = 0n;
  countedMedia = 0n;
  auctionStart = 0n;
  auctionEnd = 0n;
  startPrice = 0n;
  floorPrice = 0n;
  lotRemaining = 0n;
  auctionMediaIn = 0n;
  auctionPausedSeconds = 0n;
  pauses: Record<Pausable, ModelPause> = {
    staking: { until: 0n, since: 0n, before: 0n },
    bandwidth: { until: 0n, since: 0n, before: 0n },
    treasury: { until: 0n, since: 0n, before: 0n },
  };
  // tokens
  /** MEDIA's fixed supply, all of it in "faucet" at genesis (`genesis`): supply + burned = it. */
  genesisSupply = 0n;
  mediaSupply = 0n;
  balances: Balances = new Map();

  constructor(readonly params: ModelParams) {
    this.referencePrice = params.initialPrice;
  }

  balance(name: string): bigint {
    return this.balances.get(name) ?? 0n;
  }

  private move(from: string, to: string, amount: bigint) {
    const left = this.balance(from) - amount;
    if (left < 0n) throw new Error(`model: ${from} would go negative`);
    this.balances.set(from, left);
    this.balances.set(to, this.balance(to) + amount);
  }

  /** Genesis: the whole fixed `supply` minted once into the faucet (the mint has no authority after). */
  genesis(supply: bigint) {
    this.genesisSupply = supply;
    this.mediaSupply = supply;
    this.balances.set("faucet", supply);
  }

  /** MEDIA given to `to` from the faucet: a transfer, the supply does not change. */
  fund(to: string, amount: bigint) {
    this.move("faucet", to, amount);
  }

  /** Quote given to `${to}:quote` from the quote faucet (the model does not follow the quote faucet itself). */
  fundQuote(to: string, amount: bigint) {
    this.balances.set(`${to}:quote`, this.balance(`${to}:quote`) + amount);
  }

  private burn(from: string, amount: bigint) {
    this.move(from, "burned", amount);
    this.mediaSupply -= amount;
    this.totalBurned += amount;
  }

  // ---- pauses ----

  paused(program: Pausable): boolean {
    return this.now < this.pauses[program].until;
  }

  /** Seconds `program` has spent paused up to now. */
  pausedSeconds(program: Pausable): bigint {
    const p = this.pauses[program];
    const end = this.now < p.until ? this.now : p.until;
    const current = end - p.since > 0n ? end - p.since : 0n;
    return p.before + current;
  }

  /** Programs whose config authority is governance: the deployer is only their guardian (pause authority). */
  governed = new Set<Pausable>();

  /**
   * `set_paused` by the deployer: as the config authority always allowed (a pause runs 14 days
   * unless lifted); as a guardian only to pause, not while paused, and not within 14 days
   * after a pause ended (no chained pauses).
   */
  setPaused(program: Pausable, pause: boolean): Outcome {
    const p = this.pauses[program];
    const paused = this.paused(program);
    if (this.governed.has(program)) {
      const mayPause = pause && !paused && (p.until === 0n || this.now >= p.until + MAX_PAUSE_DURATION);
      if (!mayPause) return "Unauthorized";
    }
    if (pause) {
      if (!paused) {
        const last = p.until - p.since > 0n ? p.until - p.since : 0n;
        p.before += last;
        p.since = this.now;
      }
      p.until = this.now + MAX_PAUSE_DURATION;
    } else if (paused) p.until = this.now;
    return undefined;
  }

  // ---- staking ----

  addStake(): number {
    this.stakes.push({ exists: false, active: 0n, unbonding: 0n, unbondingEnd: 0n, paid: 0n, owed: 0n });
    return this.stakes.length - 1;
  }

  private settleRewards(s: ModelStake) {
    s.owed += (s.active * (this.acc - s.paid)) / REWARD_SCALE;
    s.paid = this.acc;
  }

  /** Streams what the time since the last update released, linearly toward the period end;
   * with nothing staked the period waits instead. */
  private updateStream() {
    const last = this.updatedAt;
    if (this.now <= last) return;
    this.updatedAt = this.now;
    if (this.unstreamed === 0n) return;
    if (this.totalActive === 0n) {
      this.periodEnd = (this.periodEnd > last ? this.periodEnd : last) + (this.now - last);
      return;
    }
    const streamed = this.now >= this.periodEnd ? this.unstreamed : (this.unstreamed * (this.now - last)) / (this.periodEnd - last);
    this.unstreamed -= streamed;
    this.acc += (streamed * REWARD_SCALE) / this.totalActive;
  }

  /** For an instruction holding the staking vault: what arrived in the vault beyond what it
   * owes joins the reserve, and with `funded` restarts the period: everything not streamed
   * yet streams over `rewardDuration` from now. */
  private receive(funded: bigint) {
    const owed = this.totalActive + this.totalUnbonding + this.reserve;
    const vault = this.balance("staking:vault");
    const received = vault > owed ? vault - owed : 0n;
    this.reserve += received;
    this.totalReceived += received;
    if (received + funded === 0n) return;
    this.unstreamed += received + funded;
    this.periodEnd = this.now + this.params.rewardDuration;
  }

  private saveRewards() {
    const { acc, unstreamed, periodEnd, updatedAt, reserve, totalReceived } = this;
    return { acc, unstreamed, periodEnd, updatedAt, reserve, totalReceived };
  }

  /** Rewards `claim_rewards` would pay position `i` now. */
  claimable(i: number): bigint {
    const s = this.stakes[i];
    return s.owed + (s.active * (this.acc - s.paid)) / REWARD_SCALE;
  }

  stake(i: number, wallet: string, amount: bigint): Outcome {
    const s = this.stakes[i];
    if (amount === 0n) return "ZeroAmount";
    if (this.paused("staking")) return "ProgramPaused";
    if (s.active + amount < this.params.minStake) return "StakeBelowMinimum";
    if (this.balance(wallet) < amount) throw new Error("model: draw a stake the wallet can pay");
    this.updateStream();
    this.receive(0n);
    this.settleRewards(s);
    s.exists = true;
    s.active += amount;
    this.totalActive += amount;
    this.move(wallet, "staking:vault", amount);
    return undefined;
  }

  requestUnstake(i: number, amount: bigint): Outcome {
    const s = this.stakes[i];
    if (amount === 0n) return "ZeroAmount";
    if (!s.exists) return "InvalidAccountOwner";
    if (amount > s.active) return "InsufficientActiveStake";
    const left = s.active - amount;
    if (left !== 0n && left < this.params.minStake) return "StakeBelowMinimum";
    this.updateStream();
    this.settleRewards(s);
    s.active = left;
    s.unbonding += amount;
    s.unbondingEnd = this.now + this.params.unbondingPeriod;
    this.totalActive -= amount;
    this.totalUnbonding += amount;
    return undefined;
  }

  cancelUnstake(i: number): Outcome {
    const s = this.stakes[i];
    if (this.paused("staking")) return "ProgramPaused";
    if (!s.exists) return "InvalidAccountOwner";
    if (s.unbonding === 0n) return "NothingUnbonding";
    if (s.active + s.unbonding < this.params.minStake) return "StakeBelowMinimum";
    this.updateStream();
    this.settleRewards(s);
    s.active += s.unbonding;
    this.totalActive += s.unbonding;
    this.totalUnbonding -= s.unbonding;
    s.unbonding = 0n;
    return undefined;
  }

  withdraw(i: number, wallet: string): Outcome {
    const s = this.stakes[i];
    if (!s.exists) return "InvalidAccountOwner";
    if (s.unbonding === 0n) return "NothingUnbonding";
    if (this.now < s.unbondingEnd) return "UnbondingNotFinished";
    this.updateStream();
    this.receive(0n);
    this.move("staking:vault", wallet, s.unbonding);
    this.totalUnbonding -= s.unbonding;
    s.unbonding = 0n;
    return undefined;
  }

  fundRewards(wallet: string, amount: bigint): Outcome {
    if (amount === 0n) return "ZeroAmount";
    this.updateStream();
    this.receive(amount);
    this.reserve += amount;
    this.totalFunded += amount;
    this.move(wallet, "staking:vault", amount);
    return undefined;
  }

  /** `sync_rewards`: the stream brought up to the clock, arrivals folded in (never refused). */
  syncRewards(): Outcome {
    this.updateStream();
    this.receive(0n);
    return undefined;
  }

  /** A staking setter by the config authority (values drawn within bounds): the next rule that reads it uses it. */
  setParameter(name: StakingParameter, value: bigint): Outcome {
    if (this.paused("staking")) return "ProgramPaused";
    this.params[name] = value;
    return undefined;
  }

  /** Bandwidth's `set_parameters` (executed by governance): the fee split and both windows; a requested close keeps its window. */
  setBandwidthParameters(values: { protocolFeeBps: bigint; stakerShareBps: bigint; quotaWindow: bigint; disputeWindow: bigint }): Outcome {
    if (this.paused("bandwidth")) return "ProgramPaused";
    Object.assign(this.params, values);
    return undefined;
  }

  claim(i: number, wallet: string): Outcome {
    const s = this.stakes[i];
    if (!s.exists) return "InvalidAccountOwner";
    // A refused claim changes nothing, the stream's update included.
    const saved = this.saveRewards();
    const paid = s.paid;
    this.updateStream();
    this.receive(0n);
    this.settleRewards(s);
    if (s.owed === 0n) {
      Object.assign(this, saved);
      s.paid = paid;
      return "NoRewards";
    }
    this.move("staking:vault", wallet, s.owed);
    this.reserve -= s.owed;
    s.owed = 0n;
    return undefined;
  }

  // ---- bandwidth ----

  quotaOf(p: ModelProvider): bigint {
    return (this.stakes[p.stake].active * this.params.quotaBytesPerMedia) / MEDIA;
  }

  decayedUse(p: ModelProvider): bigint {
    const elapsed = this.now - p.updatedAt;
    const window = this.params.quotaWindow;
    if (elapsed <= 0n) return p.used;
    if (elapsed >= window) return 0n;
    return (p.used * (window - elapsed)) / window;
  }

  /** Positions whose operator pool (media_staking) is open: every provider's, opened with its registration. */
  operatorPools = new Set<number>();

  addProvider(stake: number, mediaPrice: bigint, quotePrice: bigint): number {
    this.operatorPools.add(stake);
    this.providers.push({ stake, used: 0n, updatedAt: 0n, totalBytes: 0n, active: true, mediaPrice, quotePrice, escrowsOpened: 0n });
    return this.providers.length - 1;
  }

  /** An escrow opened at genesis (as `openEscrow` does later). */
  addEscrow(provider: number, isMedia: boolean): number {
    this.escrows.push({
      provider,
      isMedia,
      deposited: 0n,
      paid: 0n,
      settledBytes: 0n,
      settledAmount: 0n,
      pricePerGib: 0n,
      open: false,
      nonce: 0n,
      closeRequestedAt: 0n,
      closePausedSeconds: 0n,
      closeWindow: 0n,
    });
    const e = this.escrows.length - 1;
    const outcome = this.openEscrow(e);
    if (outcome) throw new Error(`model: genesis escrow refused: ${outcome}`);
    return e;
  }

  /** `open_escrow` (a new lifetime of escrow `e`'s address, with the provider's price now). */
  openEscrow(e: number): Outcome {
    const escrow = this.escrows[e];
    const provider = this.providers[escrow.provider];
    if (this.paused("bandwidth")) return "ProgramPaused";
    if (!provider.active) return "ProviderInactive";
    const price = escrow.isMedia ? provider.mediaPrice : provider.quotePrice;
    if (price === 0n) return "MintNotAccepted";
    if (escrow.open) return "AlreadyInitialized";
    Object.assign(escrow, {
      open: true,
      nonce: provider.escrowsOpened,
      pricePerGib: price,
      deposited: 0n,
      paid: 0n,
      settledBytes: 0n,
      settledAmount: 0n,
      closeRequestedAt: 0n,
      closePausedSeconds: 0n,
      closeWindow: 0n,
    });
    provider.escrowsOpened += 1n;
    return undefined;
  }

  /** Whether escrow `e`'s dispute window is over: `closeWindow` unpaused seconds since the request. */
  disputeOver(e: number): boolean {
    const escrow = this.escrows[e];
    const paused = this.pausedSeconds("bandwidth") - escrow.closePausedSeconds;
    const unpaused = this.now - escrow.closeRequestedAt - paused;
    return (unpaused > 0n ? unpaused : 0n) >= escrow.closeWindow;
  }

  /** `request_close` by the consumer: open while paused. */
  requestClose(e: number): Outcome {
    const escrow = this.escrows[e];
    if (!escrow.open) return "InvalidAccountOwner";
    if (escrow.closeRequestedAt !== 0n) return "EscrowClosing";
    escrow.closeRequestedAt = this.now;
    escrow.closePausedSeconds = this.pausedSeconds("bandwidth");
    escrow.closeWindow = this.params.disputeWindow;
    return undefined;
  }

  /** `close_escrow` by the consumer once the window ran: the vault's balance refunded to `wallet`. */
  closeEscrow(e: number, wallet: string): Outcome {
    const escrow = this.escrows[e];
    if (!escrow.open) return "InvalidAccountOwner";
    if (escrow.closeRequestedAt === 0n) return "CloseNotRequested";
    if (!this.disputeOver(e)) return "DisputeWindowOpen";
    const refund = this.balance(`escrow:${e}`);
    if (escrow.isMedia) this.bandwidthTotals.refundedMedia += refund;
    else this.bandwidthTotals.refundedQuote += refund;
    this.move(`escrow:${e}`, escrow.isMedia ? wallet : `${wallet}:quote`, refund);
    escrow.open = false;
    return undefined;
  }

  /** `update_provider` by its operator: new prices (open escrows keep theirs), active again. */
  /** `register_provider` by the owner of stake position `i`: its own stake, at least the minimum, once. */
  registerProvider(i: number, mediaPrice: bigint, quotePrice: bigint): Outcome {
    // A position with the minimum stake and no operator pool opens it in the same transaction
    // (staking's open_operator, first): staking's pause refuses that part.
    const opensPool = !this.operatorPools.has(i) && this.stakes[i].exists && this.stakes[i].active >= this.params.minStake;
    if (opensPool && this.paused("staking")) return "ProgramPaused";
    if (this.paused("bandwidth")) return "ProgramPaused";
    if (mediaPrice === 0n && quotePrice === 0n) return "NoPriceSet";
    if (!this.stakes[i].exists) return "InvalidAccountOwner";
    if (this.stakes[i].active < this.params.minStake) return "ProviderStakeBelowMinimum";
    if (this.providers.some((p) => p.stake === i)) return "AlreadyInitialized";
    this.addProvider(i, mediaPrice, quotePrice);
    return undefined;
  }

  updateProvider(k: number, mediaPrice: bigint, quotePrice: bigint): Outcome {
    const provider = this.providers[k];
    if (this.paused("bandwidth")) return "ProgramPaused";
    if (mediaPrice === 0n && quotePrice === 0n) return "NoPriceSet";
    if (this.stakes[provider.stake].active < this.params.minStake) return "ProviderStakeBelowMinimum";
    Object.assign(provider, { mediaPrice, quotePrice, active: true });
    return undefined;
  }

  deactivateProvider(k: number): Outcome {
    if (this.paused("bandwidth")) return "ProgramPaused";
    this.providers[k].active = false;
    return undefined;
  }

  deposit(e: number, wallet: string, amount: bigint): Outcome {
    if (amount === 0n) return "ZeroAmount";
    if (this.paused("bandwidth")) return "ProgramPaused";
    const escrow = this.escrows[e];
    if (!escrow.open) return "InvalidAccountOwner";
    if (escrow.closeRequestedAt !== 0n) return "EscrowClosing";
    this.move(escrow.isMedia ? wallet : `${wallet}:quote`, `escrow:${e}`, amount);
    escrow.deposited += amount;
    return undefined;
  }

  /** Settles the receipt (cumulativeBytes, cumulativeAmount) of escrow `e`, paying `providerWallet`. */
  settle(e: number, providerWallet: string, cumulativeBytes: bigint, cumulativeAmount: bigint): Outcome {
    const escrow = this.escrows[e];
    const provider = this.providers[escrow.provider];
    if (this.paused("bandwidth")) return "ProgramPaused";
    if (!escrow.open) return "InvalidAccountOwner";
    if (escrow.closeRequestedAt !== 0n && this.disputeOver(e)) return "EscrowClosed";
    if (cumulativeBytes <= escrow.settledBytes || cumulativeAmount <= escrow.settledAmount) return "StaleReceipt";
    const bytes = cumulativeBytes - escrow.settledBytes;
    const amount = cumulativeAmount - escrow.settledAmount;
    if (amount < (bytes * escrow.pricePerGib + GIB - 1n) / GIB) return "Underpriced";
    if (amount > escrow.deposited - escrow.paid) return "InsufficientEscrowBalance";
    const used = this.decayedUse(provider) + bytes;
    if (used > this.quotaOf(provider)) return "QuotaExceeded";
    provider.used = used;
    provider.updatedAt = this.now;
    provider.totalBytes += bytes;
    escrow.settledBytes = cumulativeBytes;
    escrow.settledAmount = cumulativeAmount;
    escrow.paid += amount;
    const revenue = (amount * this.params.protocolFeeBps) / BPS;
    const stakers = escrow.isMedia ? (revenue * this.params.stakerShareBps) / BPS : 0n;
    const treasury = revenue - stakers;
    const totals = this.bandwidthTotals;
    if (escrow.isMedia) {
      totals.feesPaidMedia += amount;
      totals.protocolRevenueMedia += revenue;
    } else {
      totals.feesPaidQuote += amount;
      totals.protocolRevenueQuote += revenue;
    }
    totals.stakerRewardsPaid += stakers;
    totals.bytesServed += bytes;
    if (escrow.isMedia) {
      this.move(`escrow:${e}`, providerWallet, amount - revenue);
      // Paid straight into the staking vault: the next staking instruction folds it in.
      this.move(`escrow:${e}`, "staking:vault", stakers);
      this.move(`escrow:${e}`, "treasury:media", treasury);
    } else {
      this.move(`escrow:${e}`, `${providerWallet}:quote`, amount - revenue);
      this.move(`escrow:${e}`, "treasury:quote", treasury);
    }
    return undefined;
  }

  // ---- treasury ----

  burnFees(): Outcome {
    if (this.paused("treasury")) return "ProgramPaused";
    const amount = this.balance("treasury:media");
    if (amount === 0n) return "NothingToBurn";
    this.burn("treasury:media", amount);
    this.totalFeesBurned += amount;
    return undefined;
  }

  /** The running auction's clock: wall time less the seconds the treasury was paused since it started. */
  auctionClock(): bigint {
    return this.now - (this.pausedSeconds("treasury") - this.auctionPausedSeconds);
  }

  auctionLive(): boolean {
    return this.lotRemaining > 0n && this.auctionClock() < this.auctionEnd;
  }

  /** `set_reference_price` by the authority: not while paused or while an auction runs. */
  setReferencePrice(price: bigint): Outcome {
    if (price < MIN_PRICE || price > MAX_PRICE) return "ParameterOutOfBounds";
    if (this.paused("treasury")) return "ProgramPaused";
    if (this.auctionLive()) return "AuctionInProgress";
    this.referencePrice = price;
    this.referenceAuctionId = this.auctionId;
    return undefined;
  }

  /** `spend` out of a treasury vault: nonzero, by the authority, unpaused, never the lot a running auction still offers. */
  spend(vault: "treasury:media" | "treasury:quote", to: string, amount: bigint, stranger: boolean): Outcome {
    if (amount === 0n) return "ZeroAmount";
    if (this.paused("treasury")) return "ProgramPaused";
    if (stranger) return "Unauthorized";
    const reserved = vault === "treasury:quote" && this.auctionLive() ? this.lotRemaining : 0n;
    const free = this.balance(vault) - reserved;
    if (amount > (free > 0n ? free : 0n)) return "InsufficientFunds";
    this.move(vault, to, amount);
    return undefined;
  }

  /** `set_auction_params` by the authority: each within its bounds, the duration within the interval; a running auction keeps its curve. */
  setAuctionParams(
    values: Pick<ModelParams, "auctionInterval" | "auctionDuration" | "maxLot" | "premiumBps" | "floorBps" | "minFillBps" | "minSoldBps" | "maxStepBps">,
  ): Outcome {
    const bounds = BOUNDS.treasury;
    const [, longestDuration] = bounds.auctionDuration;
    const durationBound = [bounds.auctionDuration[0], values.auctionInterval < longestDuration ? values.auctionInterval : longestDuration] as const;
    const checks: [bigint, readonly [bigint, bigint]][] = [
      [values.auctionInterval, bounds.auctionInterval],
      [values.auctionDuration, durationBound],
      [values.maxLot, bounds.maxLot],
      [values.premiumBps, bounds.premiumBps],
      [values.floorBps, bounds.floorBps],
      [values.minFillBps, bounds.minFillBps],
      [values.minSoldBps, bounds.minSoldBps],
      [values.maxStepBps, bounds.maxStepBps],
    ];
    if (checks.some(([value, [low, high]]) => value < low || value > high)) return "ParameterOutOfBounds";
    if (this.paused("treasury")) return "ProgramPaused";
    Object.assign(this.params, values);
    return undefined;
  }

  startAuction(): Outcome {
    if (this.paused("treasury")) return "ProgramPaused";
    if (this.auctionLive()) return "AuctionInProgress";
    if (this.auctionId > 0n && this.now < this.auctionStart + this.params.auctionInterval) return "AuctionTooEarly";
    const vault = this.balance("treasury:quote");
    const lot = vault < this.params.maxLot ? vault : this.params.maxLot;
    if (lot === 0n) return "NothingToAuction";
    // The last auction's counted fills move the reference (VWAP, or one bounded step).
    if (this.referenceAuctionId < this.auctionId) {
      const vwap = this.countedQuote === 0n ? 0n : clampPrice((this.countedMedia * TREASURY_PRICE_SCALE) / this.countedQuote);
      if (this.countedQuote > 0n && this.countedQuote * BPS >= this.lot * this.params.minSoldBps) this.referencePrice = vwap;
      else {
        const up = (this.referencePrice * (BPS + this.params.maxStepBps)) / BPS;
        const down = (this.referencePrice * (BPS - this.params.maxStepBps)) / BPS;
        this.referencePrice = clampPrice(vwap > up ? up : vwap < down ? down : vwap);
      }
    }
    this.referenceAuctionId = this.auctionId;
    const start = clampPrice((this.referencePrice * (BPS + this.params.premiumBps)) / BPS);
    const floor = clampPrice((this.referencePrice * this.params.floorBps) / BPS);
    this.auctionId += 1n;
    this.auctionStart = this.now;
    this.auctionEnd = this.now + this.params.auctionDuration;
    this.startPrice = start;
    this.floorPrice = floor;
    this.lot = lot;
    this.lotRemaining = lot;
    this.auctionMediaIn = 0n;
    this.countedQuote = 0n;
    this.countedMedia = 0n;
    this.auctionPausedSeconds = this.pausedSeconds("treasury");
    return undefined;
  }

  /** The running auction's price now. */
  price(): bigint {
    const now = this.auctionClock();
    if (now <= this.auctionStart) return this.startPrice;
    if (now >= this.auctionEnd) return this.floorPrice;
    return this.startPrice - ((this.startPrice - this.floorPrice) * (now - this.auctionStart)) / (this.auctionEnd - this.auctionStart);
  }

  /** MEDIA a fill of `quote` costs now (rounded up). */
  mediaFor(quote: bigint): bigint {
    return (quote * this.price() + TREASURY_PRICE_SCALE - 1n) / TREASURY_PRICE_SCALE;
  }

  take(wallet: string, quoteAmount: bigint, maxMediaIn: bigint): Outcome {
    if (quoteAmount === 0n) return "ZeroAmount";
    if (this.paused("treasury")) return "ProgramPaused";
    if (this.auctionClock() >= this.auctionEnd || this.lotRemaining === 0n) return "AuctionEnded";
    const fill = quoteAmount < this.lotRemaining ? quoteAmount : this.lotRemaining;
    const price = this.price();
    const mediaIn = (fill * price + TREASURY_PRICE_SCALE - 1n) / TREASURY_PRICE_SCALE;
    if (mediaIn > maxMediaIn) return "SlippageExceeded";
    // The token program refuses the burn: the treasury does not check the balance again
    if (mediaIn > this.balance(wallet)) return "SplToken.InsufficientFunds";
    this.lotRemaining -= fill;
    this.auctionMediaIn += mediaIn;
    if (fill * BPS >= this.lot * this.params.minFillBps) {
      this.countedQuote += fill;
      this.countedMedia += mediaIn;
    }
    this.lastClearingPrice = price;
    // The stakers' share lands in the staking vault unaccounted (no staking instruction ran).
    const toStakers = (mediaIn * this.params.stakerShareBps) / BPS;
    this.totalBoughtBack += mediaIn;
    this.totalBuybackToStakers += toStakers;
    this.totalBuybackBurned += mediaIn - toStakers;
    this.totalQuoteSold += fill;
    this.move(wallet, "staking:vault", toStakers);
    this.burn(wallet, mediaIn - toStakers);
    this.move("treasury:quote", `${wallet}:quote`, fill);
    return undefined;
  }
}
