/** media_staking scenarios for `npm run bench`. */
import { MEDIA_STAKING_PROGRAM_ID } from "../../sdk/src";
import { startBank } from "../../tests/utils/bank";
import { newStaker, setUpStaking, stake } from "../../tests/utils/staking";
import type { Meter } from "./meter";

const MEDIA = 1_000_000n;
const PROGRAM = { name: "media_staking", id: MEDIA_STAKING_PROGRAM_ID };

export async function benchStaking(meter: Meter): Promise<void> {
  const bank = await startBank();
  let world!: Awaited<ReturnType<typeof setUpStaking>>;
  await meter.measure(bank, PROGRAM, "initialize_config", "config and vault created", async () => {
    world = await setUpStaking(bank);
    return [...bank.provider.transactions.keys()].at(-1) as string;
  });
  const alice = await newStaker(world, 1_000n * MEDIA);
  await meter.measure(bank, PROGRAM, "stake", "first stake (creates the stake account)", () => stake(world, alice, 25n * MEDIA));
  await meter.measure(bank, PROGRAM, "stake", "top-up", () => stake(world, alice, 75n * MEDIA));
}
