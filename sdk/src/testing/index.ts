/**
 * `@media-network/sdk/testing`: the MEDIA programs in-process for a dApp's own test suite
 * (mocha, vitest, ...), with a development genesis and a movable clock.
 *
 * ```ts
 * import { startTestEconomy } from "@media-network/sdk/testing";
 *
 * const { economy, wallets, periods, warp } = await startTestEconomy();
 * const [alice] = wallets;
 * await economy.staking.stake(25_000_000n, { signer: alice.keypair });
 * await economy.staking.requestUnstake(25_000_000n, { signer: alice.keypair });
 * await warp(periods.staking.unbondingPeriod);
 * await economy.staking.withdraw({ signer: alice.keypair });
 * ```
 *
 * Needs `litesvm` (the default runtime) or `solana-bankrun` installed beside the SDK.
 */
export { ProgramBinaryMissingError, TEST_BANK_START_TIME, type TestBank, type TestBankOptions, loadMediaPrograms, startTestBank } from "./bank";
export { PROGRAMS_DIR } from "./programs-dir";
export {
  DEV_INITIAL_PRICE,
  DEV_PARAMS,
  DEV_PERIODS,
  type DevEconomy,
  type DevGenesisOptions,
  type DevPeriods,
  type DevWallet,
  NotUpgradeAuthorityError,
  type TestEconomy,
  devGenesis,
  fundWallet,
  startTestEconomy,
} from "./genesis";
export { RuntimeProvider, RuntimeTransactionError, type TransactionRecord } from "./provider";
export {
  type LoadedProgram,
  type Processed,
  type Runtime,
  type RuntimeAccount,
  type RuntimeName,
  RuntimeNotInstalledError,
  TestKitOptionError,
  startBankrun,
  startLiteSvm,
} from "./runtime";
