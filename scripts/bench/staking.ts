/** media_staking scenarios for `npm run bench`: every instruction, on its common path. */
import { Keypair } from "@solana/web3.js";
import BN from "bn.js";
import { MEDIA_STAKING_PROGRAM_ID, MEDIA as MEDIA_BN, STAKING_DEFAULTS, bigintOf } from "../../sdk/src";
import { startBank, warpSeconds } from "../../tests/utils/bank";
import { cancelUnstake, claimRewards, fundRewards, newStaker, requestUnstake, setUpStaking, stake, syncRewards, withdraw } from "../../tests/utils/staking";
import { transfer } from "../../tests/utils/token";
import type { Meter } from "./meter";

const MEDIA = bigintOf(MEDIA_BN);
const MIN_STAKE = bigintOf(STAKING_DEFAULTS.minStake);
const DAY = 24 * 60 * 60;
const PROGRAM = { name: "media_staking", id: MEDIA_STAKING_PROGRAM_ID };

export async function benchStaking(meter: Meter): Promise<void> {
  const bank = await startBank();
  const staking = bank.programs.staking;
  let world!: Awaited<ReturnType<typeof setUpStaking>>;
  await meter.measure(bank, PROGRAM, "initialize_config", "config and vault created", async () => {
    world = await setUpStaking(bank);
    return [...bank.provider.transactions.keys()].at(-1) as string;
  });
  // Fixed wallets: the first stake's canonical-bump search depends on the owner's address.
  const alice = await newStaker(world, 1_000n * MEDIA, Keypair.fromSeed(Buffer.alloc(32, 1)));
  const sponsor = await newStaker(world, 1_000n * MEDIA, Keypair.fromSeed(Buffer.alloc(32, 2)));
  const authority = world.authority.publicKey;
  const m = (instruction: string, scenario: string, send: () => Promise<string>) => meter.measure(bank, PROGRAM, instruction, scenario, send);

  await m("stake", "first stake (creates the stake account)", () => stake(world, alice, MIN_STAKE));
  await m("stake", "top-up", () => stake(world, alice, 75n * MEDIA));
  await m("fund_rewards", "starts a reward period", () => fundRewards(world, sponsor, 10n * MEDIA));
  await warpSeconds(bank, DAY);
  await m("claim_rewards", "a day into the period", () => claimRewards(world, alice));
  await m("fund_rewards", "mid-period, with fees arrived in the vault", async () => {
    await warpSeconds(bank, DAY);
    // The stakers' share of fees arrives as a plain transfer into the vault.
    await transfer(bank, sponsor, world.vault, MEDIA);
    return fundRewards(world, sponsor, MEDIA);
  });
  await m("sync_rewards", "folds fees arrived in the vault", async () => {
    await warpSeconds(bank, DAY);
    await transfer(bank, sponsor, world.vault, MEDIA);
    return syncRewards(world);
  });
  await m("request_unstake", "partial, with rewards to settle", async () => {
    await warpSeconds(bank, DAY);
    return requestUnstake(world, alice, 30n * MEDIA);
  });
  await m("cancel_unstake", "rebond everything unbonding", () => cancelUnstake(world, alice));
  await requestUnstake(world, alice, 30n * MEDIA);
  await warpSeconds(bank, 7 * DAY);
  await m("withdraw", "after the unbonding period", () => withdraw(world, alice));
  // lock_stake is signed only by governance's vote authority inside cast_vote: its cost is
  // cast_vote's "invoked" column (scripts/bench/governance.ts).
  await m("set_reward_duration", "authority sets a bounded parameter", () =>
    staking.methods
      .setRewardDuration(new BN(7 * DAY))
      .accounts({ authority })
      .rpc(),
  );
  await m("set_min_stake", "authority sets a bounded parameter", () => staking.methods.setMinStake(new BN(30_000_000)).accounts({ authority }).rpc());
  await m("set_authority", "hand-over (same key)", () => staking.methods.setAuthority(authority).accounts({ authority }).rpc());
  await m("set_paused", "pause", () => staking.methods.setPaused(true).accounts({ signer: authority }).rpc());
}
