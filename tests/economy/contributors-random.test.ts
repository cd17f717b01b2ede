/**
 * The contributor economy under random operations, on the programs and in the reference model
 * at once (`contributors-chain.ts`): three operators and five holders delegate, leave, rebind,
 * top up, unstake, claim and change terms while the operators serve traffic, bandwidth is paused
 * and unpaused, and the clock jumps.
 * After every operation every contributor account agrees with the model to the base unit; every
 * refusal carries the model's error and changes nothing (the seed reaches every refusal of the
 * delegation rules); every invariant holds every 25 operations and at the end.
 */
import { expect } from "chai";
import { startBank } from "../utils/bank";
import { DAY, MEDIA, setUpEconomy } from "../utils/economy";
import { chainWorld } from "./contributors-chain";
import { random } from "./model";

const OPERATIONS = 300;
const CHECK_EVERY = 25;

for (const seed of [15_004]) {
  describe(`economy: random contributor operations against the reference model (seed ${seed})`, function () {
    this.timeout(600_000);

    it(`agrees to the base unit over ${OPERATIONS} operations`, async () => {
      const world = await chainWorld(await setUpEconomy(await startBank()));
      const { model } = world;
      const rng = random(seed);
      // Three operators with 1,000 MEDIA of their own, five holders, one consumer
      const operators: number[] = [];
      for (let k = 0; k < 3; k++) {
        const i = await world.addWallet(1_000n * MEDIA);
        await world.stake(i, 1_000n * MEDIA);
        operators.push(await world.addOperator(i, 500 * k, 1_000 * k));
        expect(await world.delegate(i, k)).to.equal(undefined);
      }
      const holders: number[] = [];
      for (let h = 0; h < 5; h++) {
        const i = await world.addWallet(8_000n * MEDIA);
        await world.stake(i, BigInt(2_000 + 1_000 * h) * MEDIA);
        holders.push(i);
      }
      const consumer = await world.addWallet(100_000n * MEDIA);
      const everyone = [...operators.map((k) => model.operators[k].position), ...holders];

      const outcomes: Record<string, number> = {};
      const count = (name: string, outcome: string | undefined) => {
        const key = `${name}:${outcome ?? "ok"}`;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
      };
      for (let n = 1; n <= OPERATIONS; n++) {
        const kind = rng.int(100);
        const k = rng.int(operators.length);
        // Operators' own positions are drawn too (a self-bond, or a bond to another operator)
        const i = rng.next() < 0.2 ? model.operators[k].position : rng.pick(holders);
        if (kind < 3) {
          // Bandwidth's authority pauses or lifts the pause: runs it reaches must not run out under it
          const paused = !model.bandwidthPaused();
          await world.setBandwidthPaused(paused);
          count(paused ? "bandwidth_pause" : "bandwidth_unpause", undefined);
        } else if (kind < 12) {
          await world.goTo(model.now + BigInt(rng.int(2 * DAY)));
          count("warp", undefined);
        } else if (kind < 28) {
          // At most 40 GiB a receipt: within any operator's own quota whatever the draws.
          // Nobody settles while bandwidth is paused (its refusal is bandwidth's own tests' business).
          if (!model.bandwidthPaused()) {
            await world.serve(k, consumer, BigInt(1 + rng.int(4)) * MEDIA);
            count("serve", undefined);
          }
        } else if (kind < 48) count("delegate", await world.delegate(i, k));
        else if (kind < 58) {
          // Only positions that have a delegation (the SDK refuses the others before sending)
          if (model.delegations[i]) count("undelegate", await world.undelegate(i));
        } else if (kind < 68) {
          if (model.delegations[i]) count("claim_delegation_rewards", await world.claimDelegationRewards(i));
        } else if (kind < 73) count("claim_commission", await world.claimCommission(k));
        else if (kind < 78) {
          const bps = () => (rng.next() < 0.15 ? 10_001 : rng.int(10_001));
          count("set_commission", await world.setCommission(k, bps(), bps()));
        } else if (kind < 86) {
          // Holders only: an operator keeps its own stake (its quota backs the traffic drawn)
          const holder = rng.pick(holders);
          const active = model.positions[holder].active;
          const amount = rng.next() < 0.3 ? active : rng.big(active + 2n * MEDIA);
          count("request_unstake", await world.requestUnstake(holder, amount));
        } else if (kind < 91) {
          const holder = rng.pick(holders);
          const wallet = await world.wallet(holder);
          const amount = 1n + rng.big(wallet < 500n * MEDIA ? wallet : 500n * MEDIA);
          if (model.positions[holder].active + amount >= model.params.minStake && wallet > 0n) {
            await world.stake(holder, amount);
            count("stake", undefined);
          }
        } else if (kind < 95) {
          await world.releaseEmissions();
          count("release_emissions", undefined);
        } else {
          await world.syncOperator(k);
          count("sync_operator", undefined);
        }
        if (n % CHECK_EVERY === 0) await world.check(`operation ${n}`);
      }
      // The end: everybody claims what is left; the books close
      for (const i of everyone) if (model.delegations[i]) count("final claim", await world.claimDelegationRewards(i));
      for (const k of operators) count("final commission", await world.claimCommission(k));
      await world.check("end");
      console.log(`      ${OPERATIONS} operations; ${JSON.stringify(outcomes)}`);
      // The run went through the economy's paths, refusals included
      for (const path of [
        "delegate:ok",
        "undelegate:ok",
        "claim_delegation_rewards:ok",
        "serve:ok",
        "set_commission:ok",
        "request_unstake:ok",
        "bandwidth_pause:ok",
        "bandwidth_unpause:ok",
      ]) {
        expect(outcomes[path] ?? 0, path).to.be.greaterThan(0);
      }
      for (const refusal of [
        "delegate:RebindTooSoon",
        "delegate:AlreadyDelegated",
        "delegate:DelegationCapExceeded",
        "delegate:ZeroAmount",
        "undelegate:NotDelegated",
        "request_unstake:StakeDelegated",
        "set_commission:InvalidCommission",
        "claim_delegation_rewards:NoRewards",
      ]) {
        expect(outcomes[refusal] ?? 0, refusal).to.be.greaterThan(0);
      }
    });
  });
}
