/** PDAs of media_staking, generated from the seeds its IDL declares. */
export { configPda as stakingConfigPda, stakeAccountPda, vaultPda as stakingVaultPda } from "./generated/media_staking";
