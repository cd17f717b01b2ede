/**
 * Cost as the economy grows: the same instructions measured with 1, 100 and 10,000 existing
 * positions. The positions are written straight into the bank with Anchor's coder (valid
 * accounts at their PDAs, totals adjusted in the config); only CU is measured here.
 */
import { Keypair, PublicKey } from "@solana/web3.js";
import BN from "bn.js";
import { MEDIA_STAKING_PROGRAM_ID } from "../../sdk/src";
import { type Bank, startBank } from "../../tests/utils/bank";
import { fundRewards, claimRewards, newStaker, setUpStaking, stake, type StakingWorld } from "../../tests/utils/staking";
import type { Meter } from "./meter";

const MEDIA = 1_000_000n;
const PROGRAM = { name: "media_staking", id: MEDIA_STAKING_PROGRAM_ID };
export const SCALES = [1, 100, 10_000];

/**
 * Writes `count` active stake positions of 25 MEDIA each and adds them to the config totals.
 * `template` is a stake account the program created, whose size the written ones must match.
 */
export async function writeStakers(bank: Bank, world: StakingWorld, count: number, template: PublicKey): Promise<PublicKey[]> {
  const coder = bank.programs.staking.coder.accounts;
  const owners: PublicKey[] = [];
  const real = await bank.runtime.getAccount(template);
  if (!real) throw new Error("the template stake account does not exist");
  const rent = real.lamports;
  for (let i = 0; i < count; i++) {
    const owner = Keypair.generate().publicKey;
    const [address, bump] = PublicKey.findProgramAddressSync([Buffer.from("stake"), owner.toBuffer()], MEDIA_STAKING_PROGRAM_ID);
    const data = await coder.encode("stakeAccount", {
      owner,
      active: new BN((25n * MEDIA).toString()),
      unbonding: new BN(0),
      unbondingEnd: new BN(0),
      voteLockUntil: new BN(0),
      matureSince: new BN(i + 1),
      youngAmount: new BN((25n * MEDIA).toString()),
      youngSince: new BN(i + 1),
      rewardPerStakePaid: new BN(0),
      rewardsOwed: new BN(0),
      totalClaimed: new BN(0),
      bump,
      reserved: new Array(32).fill(0),
    });
    if (data.length !== real.data.length) throw new Error(`stake account encodes to ${data.length} bytes, the program's are ${real.data.length}`);
    await bank.runtime.setAccount(address, { lamports: rent, owner: MEDIA_STAKING_PROGRAM_ID, data, executable: false });
    owners.push(owner);
  }
  const config = await bank.programs.staking.account.stakingConfig.fetch(world.config);
  const configData = await bank.programs.staking.coder.accounts.encode("stakingConfig", {
    ...config,
    totalActive: config.totalActive.add(new BN((BigInt(count) * 25n * MEDIA).toString())),
    stakeSequence: config.stakeSequence.add(new BN(count)),
  });
  const current = await bank.runtime.getAccount(world.config);
  if (!current) throw new Error("no staking config");
  await bank.runtime.setAccount(world.config, { ...current, data: configData });
  return owners;
}

export async function benchScale(meter: Meter): Promise<void> {
  for (const count of SCALES) {
    const bank = await startBank();
    const world = await setUpStaking(bank);
    const staker = await newStaker(world, 1_000n * MEDIA, Keypair.fromSeed(Buffer.alloc(32, 1)));
    const sponsor = await newStaker(world, 1_000n * MEDIA, Keypair.fromSeed(Buffer.alloc(32, 2)));
    await stake(world, staker, 25n * MEDIA);
    process.stdout.write(`  writing ${count} stake positions...\n`);
    await writeStakers(bank, world, count, staker.stakeAccount);
    const scenario = `with ${count.toLocaleString("en-US")} existing stakers`;
    await meter.measure(bank, PROGRAM, "stake", `top-up ${scenario}`, () => stake(world, staker, 25n * MEDIA));
    await fundRewards(world, sponsor, 100n * MEDIA);
    await meter.measure(bank, PROGRAM, "claim_rewards", scenario, () => claimRewards(world, staker));
  }
}
