/**
 * media_governance scenarios for `npm run bench`.
 *
 * The issue's own-share budgets: `cast_vote` 1,000 CU plus 1,200 per CPI (the vote lock and
 * the vote record's creation); `execute` 1,500 CU plus 1,200 per executed instruction,
 * excluding what the executed instructions consume (which "own" already leaves out). They
 * are printed here, after the scenarios, next to the measured own share.
 */
import { Transaction } from "@solana/web3.js";
import BN from "bn.js";
import { MEDIA_GOVERNANCE_PROGRAM_ID, VoteSide, mediaToBaseUnits, proposalInstructions } from "../../sdk/src";
import { startBank, warpSeconds } from "../../tests/utils/bank";
import {
  execute,
  finalize,
  handOverStaking,
  propose,
  setUpGovernance,
  stakingSetMinStake,
  stakingSetUnbondingPeriod,
  vote,
} from "../../tests/utils/governance";
import { newStaker, setUpStaking, stake } from "../../tests/utils/staking";
import type { Bank } from "../../tests/utils/bank";
import type { Meter } from "./meter";

const MEDIA = 1_000_000n;
const DAY = 24 * 60 * 60;
const PROGRAM = { name: "media_governance", id: MEDIA_GOVERNANCE_PROGRAM_ID };

/**
 * The meter's split, for transactions whose only CPI is to a builtin (the System program):
 * builtins log no "consumed" line, which the shared meter's depth count relies on, so it
 * reads such a transaction's total as invoked. Here frames close on "success"/"failed".
 * As in the meter, a builtin's consumption counts as ours.
 */
async function measureWithBuiltinCpi(meter: Meter, bank: Bank, instruction: string, scenario: string, send: () => Promise<string>) {
  const { logs } = bank.provider.record(await send());
  const id = PROGRAM.id.toBase58();
  const stack: string[] = [];
  let total = 0;
  let invoked = 0;
  let cpis = 0;
  for (const line of logs) {
    const invoke = /^Program (\w+) invoke \[(\d+)\]$/.exec(line);
    if (invoke) {
      stack.push(invoke[1]);
      if (stack.length === 2 && stack[0] === id) cpis++;
      continue;
    }
    const consumed = /^Program (\w+) consumed (\d+) of \d+ compute units$/.exec(line);
    if (consumed && stack.length === 1 && consumed[1] === id) total = Number(consumed[2]);
    if (consumed && stack.length === 2 && stack[0] === id) invoked += Number(consumed[2]);
    if (/^Program \w+ (success|failed)/.test(line)) stack.pop();
  }
  meter.results.push({ program: PROGRAM.name, instruction, scenario, total, own: total - invoked, invoked, cpis });
  process.stdout.write(`  ${PROGRAM.name}.${instruction} (${scenario})\n`);
}

/** The budget for an instruction of this program, if it sets one. */
function governanceBudget(instruction: string, cpis: number): number | undefined {
  if (instruction === "cast_vote") return 1000 + 1200 * cpis;
  if (instruction === "execute") return 1500 + 1200 * cpis;
  return undefined;
}

export async function benchGovernance(meter: Meter): Promise<void> {
  const bank = await startBank();
  const staking = await setUpStaking(bank);
  const alice = await newStaker(staking, 1_000n * MEDIA);
  const bob = await newStaker(staking, 1_000n * MEDIA);
  await stake(staking, alice, 200n * MEDIA);
  await stake(staking, bob, 100n * MEDIA);
  let world!: Awaited<ReturnType<typeof setUpGovernance>>;
  await measureWithBuiltinCpi(meter, bank, "initialize_config", "config created", async () => {
    world = await setUpGovernance(staking);
    return [...bank.provider.transactions.keys()].at(-1) as string;
  });
  await handOverStaking(world);
  await warpSeconds(bank, 60);

  const governance = bank.programs.governance;
  const built = await proposalInstructions(governance, {
    proposer: alice.wallet.publicKey,
    descriptionUri: "ipfs://bench",
    descriptionHash: new Array(32).fill(1),
    instructions: [await stakingSetMinStake(world, mediaToBaseUnits("50"))],
  });
  const [create, add] = built.instructions;
  await measureWithBuiltinCpi(meter, bank, "create_proposal", "draft with one instruction to come", () =>
    bank.provider.sendAndConfirm(new Transaction().add(create), [alice.wallet]),
  );
  await meter.measure(bank, PROGRAM, "add_instruction", "last instruction: voting opens", () =>
    bank.provider.sendAndConfirm(new Transaction().add(add), [alice.wallet]),
  );
  const proposal = built.proposal;
  await meter.measure(bank, PROGRAM, "cast_vote", "first vote (vote record + vote lock)", () =>
    vote(world, proposal, alice, VoteSide.For),
  );
  await meter.measure(bank, PROGRAM, "cast_vote", "second voter", () => vote(world, proposal, bob, VoteSide.Against));
  await warpSeconds(bank, 3 * DAY);
  await meter.measure(bank, PROGRAM, "finalize", "succeeded", () => finalize(world, proposal));
  await warpSeconds(bank, DAY);
  await meter.measure(bank, PROGRAM, "execute", "one instruction (staking set_min_stake)", () => execute(world, proposal));

  const two = await propose(world, alice, [
    await stakingSetMinStake(world, mediaToBaseUnits("25")),
    await stakingSetUnbondingPeriod(world, new BN(10 * DAY)),
  ]);
  await vote(world, two, alice, VoteSide.For);
  await warpSeconds(bank, 3 * DAY);
  await finalize(world, two);
  await warpSeconds(bank, DAY);
  await meter.measure(bank, PROGRAM, "execute", "two instructions (two staking setters)", () => execute(world, two));

  const cancelled = await propose(world, alice, [await stakingSetMinStake(world, mediaToBaseUnits("30"))]);
  await meter.measure(bank, PROGRAM, "cancel", "before any vote", () =>
    governance.methods.cancel().accounts({ proposer: alice.wallet.publicKey, proposal: cancelled }).signers([alice.wallet]).rpc(),
  );

  for (const m of meter.results.filter((r) => r.program === PROGRAM.name)) {
    const budget = governanceBudget(m.instruction, m.cpis);
    if (budget !== undefined) {
      console.log(`  ${m.instruction} (${m.scenario}): own ${m.own} CU, issue budget ${budget}: ${m.own <= budget ? "ok" : "over"}`);
    }
  }
}
