/**
 * `npm run demo`: the economy's opening on an in-process bank (solana-bankrun with the real
 * SBF programs), no validator or network needed: a MEDIA mint, the staking config, stakers
 * above and below the 25 MEDIA minimum, and the resulting bandwidth quotas.
 */
import { quotaBytes } from "../sdk/src";
import { startBank } from "../tests/utils/bank";
import { newStaker, setUpStaking, stake } from "../tests/utils/staking";
import { tokenBalance } from "../tests/utils/token";

const MEDIA = 1_000_000n;
const GiB = 1n << 30n;

async function main() {
  console.log("Starting an in-process bank with the four MEDIA programs...");
  const bank = await startBank();
  const world = await setUpStaking(bank);
  console.log(`MEDIA mint ${world.mediaMint.toBase58()}; staking config ${world.config.toBase58()}`);

  const stakes: [string, bigint][] = [
    ["edge operator Ada", 500n * MEDIA],
    ["edge operator Ben", 25n * MEDIA],
    ["consumer Cy (one unit short)", 25n * MEDIA - 1n],
  ];
  for (const [name, amount] of stakes) {
    const staker = await newStaker(world, 1_000n * MEDIA);
    try {
      await stake(world, staker, amount);
      const account = await bank.programs.staking.account.stakeAccount.fetch(staker.stakeAccount);
      const config = await bank.programs.staking.account.stakingConfig.fetch(world.config);
      const quota = quotaBytes(BigInt(account.active.toString()), BigInt(config.quotaBytesPerMedia.toString()));
      console.log(`  ${name}: staked ${Number(amount) / 1e6} MEDIA -> quota ${quota / GiB} GiB per day`);
    } catch (error) {
      const code = (error as { error?: { errorCode?: { code: string } } }).error?.errorCode?.code ?? String(error);
      console.log(`  ${name}: stake of ${Number(amount) / 1e6} MEDIA refused (${code})`);
    }
  }
  const config = await bank.programs.staking.account.stakingConfig.fetch(world.config);
  const vault = await tokenBalance(bank, world.vault);
  console.log(`\nTotal active stake: ${Number(config.totalActive.toString()) / 1e6} MEDIA; vault holds ${Number(vault) / 1e6} MEDIA`);
  if (BigInt(config.totalActive.toString()) !== vault) throw new Error("vault balance differs from total active stake");
  console.log("Vault balance equals total active stake: the accounting holds.");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
