/** PDAs of media_staking, generated from the seeds its IDL declares. */
export {
  configPda as stakingConfigPda,
  delegationPda,
  emissionVaultPda,
  feeShareVaultPda,
  operatorPoolPda,
  rewardsPoolPda,
  stakeAccountPda,
  vaultPda as stakingVaultPda,
} from "./generated/media_staking";
