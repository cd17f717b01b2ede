/** media_governance scenarios for `npm run bench`. */
import { Keypair, Transaction } from "@solana/web3.js";
import { GOVERNANCE_DEFAULTS, MEDIA_GOVERNANCE_PROGRAM_ID, VoteSide, mediaToBaseUnits, proposalInstructions, MEDIA as MEDIA_BN, bigintOf } from "../../sdk/src";
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
import type { Meter } from "./meter";

const MEDIA = bigintOf(MEDIA_BN);
const DAY = 24 * 60 * 60;
const PROGRAM = { name: "media_governance", id: MEDIA_GOVERNANCE_PROGRAM_ID };
const TIMELOCK = Number(GOVERNANCE_DEFAULTS.timelock);

export async function benchGovernance(meter: Meter): Promise<void> {
  const bank = await startBank();
  const staking = await setUpStaking(bank);
  // Fixed wallets, so every run measures the same accounts.
  const alice = await newStaker(staking, 1_000n * MEDIA, Keypair.fromSeed(Buffer.alloc(32, 5)));
  const bob = await newStaker(staking, 1_000n * MEDIA, Keypair.fromSeed(Buffer.alloc(32, 6)));
  await stake(staking, alice, 200n * MEDIA);
  await stake(staking, bob, 100n * MEDIA);
  let world!: Awaited<ReturnType<typeof setUpGovernance>>;
  await meter.measure(bank, PROGRAM, "initialize_config", "config created", async () => {
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
  await meter.measure(bank, PROGRAM, "create_proposal", "draft with one instruction to come", () =>
    bank.provider.sendAndConfirm(new Transaction().add(create), [alice.wallet]),
  );
  await meter.measure(bank, PROGRAM, "add_instruction", "last instruction: voting opens", () =>
    bank.provider.sendAndConfirm(new Transaction().add(add), [alice.wallet]),
  );
  const proposal = built.proposal;
  await meter.measure(bank, PROGRAM, "cast_vote", "first vote (recorded and locked on the stake account)", () => vote(world, proposal, alice, VoteSide.For));
  await meter.measure(bank, PROGRAM, "cast_vote", "second voter", () => vote(world, proposal, bob, VoteSide.Against));
  await warpSeconds(bank, 3 * DAY);
  await meter.measure(bank, PROGRAM, "finalize", "succeeded", () => finalize(world, proposal));
  await warpSeconds(bank, TIMELOCK);
  await meter.measure(bank, PROGRAM, "execute", "one instruction (staking set_min_stake)", () => execute(world, proposal));

  const two = await propose(world, alice, [await stakingSetMinStake(world, mediaToBaseUnits("25")), await stakingSetUnbondingPeriod(world, BigInt(10 * DAY))]);
  await vote(world, two, alice, VoteSide.For);
  await warpSeconds(bank, 3 * DAY);
  await finalize(world, two);
  await warpSeconds(bank, TIMELOCK);
  await meter.measure(bank, PROGRAM, "execute", "two instructions (two staking setters)", () => execute(world, two));

  const cancelled = await propose(world, alice, [await stakingSetMinStake(world, mediaToBaseUnits("30"))]);
  await meter.measure(bank, PROGRAM, "cancel", "before any vote", () =>
    governance.methods.cancel().accounts({ proposer: alice.wallet.publicKey, proposal: cancelled }).signers([alice.wallet]).rpc(),
  );
}
