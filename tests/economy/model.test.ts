/**
 * Randomized economy operations against the reference model (tests/economy/model.ts), from
 * fixed seeds, at volume: staking and its reward stream (stake, unstake, cancel, withdraw,
 * fund, claim, sync), parameter changes mid-run by governance (staking's minimum stake, reward
 * duration, unbonding period and quota per MEDIA; bandwidth's fee split and windows), with the
 * governance steps out of turn refused (a second vote, a cancel after a vote, finalize before
 * the vote ends, execute before the timelock and twice), pause windows on every program, escrow
 * lifetimes (open, deposit, request_close, close after the dispute window, reopen), providers
 * registering mid-run, repricing and deactivating, receipts (fresh, replayed, lowered,
 * underpriced, over-budget, over-quota, after the window), fee burns, buyback auctions (dust and
 * counted fills), the reference price re-anchored, new auction parameters and treasury grants
 * (spend), strangers refused every program's authority and guardian roles and staking's
 * setters, with the clock jumping across every period boundary. Each operation runs
 * on-chain and in the model (tests/economy/engine.ts): it must fail exactly where the model
 * says, with the model's error and the accounts it names byte-identical; after a success the
 * accounts it touched agree with the model to the base unit; every 500 operations and at the
 * end the whole economy is compared and every invariant checked.
 *
 * Then every shrunk failing sequence the soak ever found (tests/economy/regressions/*.json)
 * replays from genesis and must now pass.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { type Op, replay, runSeed } from "./engine";
import { random } from "./model";

const SEEDS = [8_001, 8_002];
const OPERATIONS_PER_SEED = 7_500;
const REGRESSIONS = join(__dirname, "regressions");

describe("economy: random operations against the reference model", function () {
  this.timeout(900_000);
  const totals = { operations: 0, refusals: 0 };

  for (const seed of SEEDS) {
    it(`agrees to the base unit over ${OPERATIONS_PER_SEED} operations (seed ${seed})`, async () => {
      const started = Date.now();
      const { engine, failedAt, error } = await runSeed(seed, OPERATIONS_PER_SEED, { rng: random });
      if (failedAt !== undefined) {
        throw new Error(`seed ${seed} failed at step ${failedAt} (shrink it: npm run soak -- --ops ${failedAt + 1} --seed ${seed}):\n${String(error)}`);
      }
      totals.operations += engine.operations;
      totals.refusals += engine.refusals;
      // Every kind of operation was drawn, and drawn both ways where it can fail
      for (const name of Object.keys(KINDS)) expect(engine.counts[name] ?? 0, `${name} drawn at seed ${seed}`).to.be.greaterThan(KINDS[name]);
      for (const outcome of MUST_SEE) expect(engine.outcomes[outcome] ?? 0, `${outcome} seen at seed ${seed}`).to.be.greaterThan(0);
      // Fees paid straight into the staking vault were folded into the stream along the way
      expect(engine.model.totalReceived > 0n, `fees folded into rewards at seed ${seed}`).to.equal(true);
      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(`      seed ${seed}: ${engine.operations} operations in ${seconds.toFixed(0)} s; ${JSON.stringify(engine.outcomes)}\n`);
    });
  }

  for (const file of readdirSync(REGRESSIONS).filter((name) => name.endsWith(".json"))) {
    it(`replays the shrunk sequence ${file} and agrees`, async () => {
      const { ops, note } = JSON.parse(readFileSync(join(REGRESSIONS, file), "utf8")) as { ops: Op[]; note?: string };
      const { failedAt, error } = await replay(ops);
      expect(failedAt, `${file} (${note ?? ""}) fails at step ${failedAt}: ${String(error)}`).to.equal(undefined);
    });
  }

  after(() => {
    process.stdout.write(`      model: ${totals.operations} operations, ${totals.refusals} refused exactly where the model said\n`);
  });
});

/** Each kind of operation and how many draws a seed must make of it at least. */
const KINDS: Record<string, number> = {
  stake: 100,
  request_unstake: 100,
  cancel_unstake: 50,
  withdraw: 50,
  fund_rewards: 50,
  claim_rewards: 50,
  sync_rewards: 20,
  governance: 5,
  deposit: 100,
  settle: 300,
  burn_fees: 50,
  start_auction: 50,
  take: 50,
  set_paused: 30,
  set_reference_price: 10,
  open_escrow: 20,
  request_close: 5,
  close_escrow: 20,
  update_provider: 10,
  deactivate_provider: 3,
  warp: 100,
  stranger: 5,
  spend: 5,
  set_auction_params: 5,
  cast_vote: 5,
  cancel: 5,
  finalize: 5,
  execute: 10,
  register_provider: 5,
};

/** Outcomes every seed must reach: each refusal class the model predicts, and the successes. */
const MUST_SEE = [
  "stake:ok",
  "stake:StakeBelowMinimum",
  "request_unstake:ok",
  "request_unstake:InsufficientActiveStake",
  "cancel_unstake:ok",
  "withdraw:ok",
  "withdraw:UnbondingNotFinished",
  "claim_rewards:ok",
  "claim_rewards:NoRewards",
  "settle:ok",
  "settle:StaleReceipt",
  "settle:Underpriced",
  "settle:InsufficientEscrowBalance",
  "settle:QuotaExceeded",
  "burn_fees:ok",
  "burn_fees:NothingToBurn",
  "start_auction:ok",
  "start_auction:AuctionTooEarly",
  "start_auction:AuctionInProgress",
  "take:ok",
  "take:AuctionEnded",
  "take:SlippageExceeded",
  "take:ProgramPaused",
  "stake:ProgramPaused",
  "settle:ProgramPaused",
  "settle:EscrowClosed",
  "deposit:EscrowClosing",
  "open_escrow:ok",
  "open_escrow:AlreadyInitialized",
  "request_close:ok",
  "close_escrow:ok",
  "close_escrow:DisputeWindowOpen",
  "update_provider:ok",
  "set_paused:Unauthorized",
  "deactivate_provider:ok",
  "set_reference_price:ok",
  "set_reference_price:AuctionInProgress",
  "stranger:Unauthorized",
  "spend:ok",
  "spend:InsufficientFunds",
  "set_auction_params:ok",
  "set_auction_params:ParameterOutOfBounds",
  "cast_vote:AlreadyVoted",
  "cancel:ProposalHasVotes",
  "finalize:VotingNotEnded",
  "execute:TimelockNotElapsed",
  "execute:ProposalAlreadyExecuted",
  "register_provider:ok",
  "register_provider:AlreadyInitialized",
];
