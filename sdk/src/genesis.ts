/**
 * The steps of a MEDIA genesis, written once for every caller: the operations script
 * (`migrations/lib/genesis.ts`, idempotent, over RPC), the testing kit's `devGenesis` (short
 * periods, over a bank or RPC) and the repository's test economy. Each step says how to tell
 * it is done, so an idempotent caller skips it.
 *
 * MEDIA's supply is fixed: genesis mints the whole of it once, into the allocations of
 * `GENESIS_ALLOCATIONS`, and in the same transaction sets the mint authority to none. From then
 * on supply + burned = `GENESIS_SUPPLY`. A development genesis does the same with
 * `devGenesisAllocations` (a "Faucet" allocation in place of the named holders).
 */
import {
  ACCOUNT_SIZE,
  AuthorityType,
  TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeAccount3Instruction,
  createMintToInstruction,
  createSetAuthorityInstruction,
  createTransferInstruction,
  getAssociatedTokenAddressSync,
  unpackAccount,
  unpackMint,
} from "@solana/spl-token";
import { type Connection, PublicKey, SystemProgram, Transaction } from "@solana/web3.js";
import { type Amount, type WithAmounts, toBN } from "./clients/base";
import type { BandwidthParams } from "./clients/bandwidth";
import type { GovernanceParams } from "./clients/governance";
import type { StakingClient } from "./clients/staking";
import { BANDWIDTH_DEFAULTS, configPda as bandwidthConfigPda } from "./generated/media_bandwidth";
import { GOVERNANCE_DEFAULTS, configPda as governancePda } from "./generated/media_governance";
import {
  type MediaStaking,
  STAKING_DEFAULTS,
  emissionVaultPda,
  feeShareVaultPda,
  rewardsPoolPda,
  configPda as stakingConfigPda,
} from "./generated/media_staking";
import type { InstructionArgs } from "./idl-type";
import { programDataPda } from "./loader";
import { TREASURY_DEFAULTS, configPda as treasuryConfigPda } from "./generated/media_treasury";
import { MEDIA } from "./constants";
import type { MediaEconomy } from "./economy";
import { type TreasuryAuctionParams, createTreasuryVaultsInstructions, treasuryVaultAddress } from "./treasury";

/** The rewards pool's parameters: its emission schedule and the delegation parameters it sets in the staking config. */
export type RewardsPoolParams = WithAmounts<InstructionArgs<MediaStaking, "initializeRewardsPool">>;

/** Every program's genesis parameters (staking's include its rewards pool's). */
export interface EconomyParams {
  staking: NonNullable<Parameters<StakingClient["initializeConfig"]>[1]> & RewardsPoolParams;
  bandwidth: BandwidthParams;
  treasury: TreasuryAuctionParams;
  governance: GovernanceParams;
}

/** The spec's defaults, from the interface crates (through the generated modules). */
export const ECONOMY_DEFAULTS: EconomyParams = {
  staking: STAKING_DEFAULTS,
  bandwidth: BANDWIDTH_DEFAULTS,
  treasury: TREASURY_DEFAULTS,
  governance: GOVERNANCE_DEFAULTS,
};

/** One genesis step: what it sets up, the accounts it creates, and how to send it. */
export interface GenesisConfigStep {
  name: string;
  /** Accounts the step creates: done when every one exists (unless `done` says otherwise). */
  creates: PublicKey[];
  /** Whether the chain already has what the step sets up (default: every account of `creates` exists). */
  done?: () => Promise<boolean>;
  send(): Promise<string>;
}

/**
 * Who holds an allocation after genesis:
 * - `emission vault`: staking's emission vault, which pays the rewards pool's emissions. Genesis
 *   mints it into a named account of the deployer and moves it to the vault, by transfer, once
 *   the rewards pool (and so the vault) exists.
 * - `deployer`: a named token account of the deployer (`allocationAccount`), for it to hand on.
 * - `faucet`: development only, the deployer's associated token account, which funds test
 *   wallets by transfer.
 */
export type AllocationHolder = "emission vault" | "deployer" | "faucet";

/** One line of the genesis table: `amount` base units of MEDIA for `name`, held by `holder`. */
export interface GenesisAllocation {
  name: string;
  amount: bigint;
  holder: AllocationHolder;
}

/** The allocation that funds the rewards pool's emissions. */
export const STAKING_AND_REWARDS = "Staking and Rewards";

/**
 * MEDIA's genesis allocations (production), in base units; they sum to `GENESIS_SUPPLY`.
 * - Staking and Rewards: the rewards pool's emissions to those who stake and serve bandwidth.
 * - Ecosystem and Treasury: grants, liquidity and partnerships, spent by the deployer (or the
 *   multisig it hands the account to).
 * - Team: the builders' share, to be vested by whoever receives it.
 * - Community: airdrops and incentives outside the staking schedule.
 */
export const GENESIS_ALLOCATIONS: readonly GenesisAllocation[] = [
  { name: STAKING_AND_REWARDS, amount: 2_000_000n * MEDIA, holder: "emission vault" },
  { name: "Ecosystem and Treasury", amount: 4_000_000n * MEDIA, holder: "deployer" },
  { name: "Team", amount: 2_000_000n * MEDIA, holder: "deployer" },
  { name: "Community", amount: 2_000_000n * MEDIA, holder: "deployer" },
];

/** The whole of `allocations`, in base units. */
export function allocationsTotal(allocations: readonly GenesisAllocation[]): bigint {
  return allocations.reduce((total, allocation) => total + allocation.amount, 0n);
}

/** MEDIA's fixed supply: 10,000,000 MEDIA, the sum of `GENESIS_ALLOCATIONS`. */
export const GENESIS_SUPPLY: bigint = allocationsTotal(GENESIS_ALLOCATIONS);

/** The "Staking and Rewards" amount of `allocations` (0 when there is none). */
export function rewardsAllocation(allocations: readonly GenesisAllocation[]): bigint {
  return allocationsTotal(allocations.filter((allocation) => allocation.holder === "emission vault"));
}

/**
 * A development genesis of `supply` base units: the production "Staking and Rewards"
 * allocation to the emission vault, and everything else in a "Faucet" that funds test wallets.
 */
export function devGenesisAllocations(supply: bigint = GENESIS_SUPPLY): GenesisAllocation[] {
  const rewards = rewardsAllocation(GENESIS_ALLOCATIONS);
  if (supply < rewards) throw new Error(`a development supply of ${supply} base units cannot hold the ${STAKING_AND_REWARDS} allocation of ${rewards}`);
  return [
    { name: STAKING_AND_REWARDS, amount: rewards, holder: "emission vault" },
    { name: "Faucet", amount: supply - rewards, holder: "faucet" },
  ];
}

/** The longest allocation name: the seed of its account is the name, `:` and 8 characters of the mint (32 bytes at most). */
const MAX_ALLOCATION_NAME = 23;

/**
 * Where `owner` keeps `name`'s allocation of `mint`: the faucet is `owner`'s associated token
 * account; any other allocation a token account at an address derived from `owner`, the name
 * and the mint (`createWithSeed`), so a re-run finds it without a keypair file.
 */
export async function allocationAccount(owner: PublicKey, mint: PublicKey, allocation: Pick<GenesisAllocation, "name" | "holder">): Promise<PublicKey> {
  if (allocation.holder === "faucet") return getAssociatedTokenAddressSync(mint, owner, true);
  return PublicKey.createWithSeed(owner, allocationSeed(mint, allocation.name), TOKEN_PROGRAM_ID);
}

/** `allocationAccount` of each of `allocations`, in order. */
export function allocationAccounts(owner: PublicKey, mint: PublicKey, allocations: readonly GenesisAllocation[]): Promise<PublicKey[]> {
  return Promise.all(allocations.map((allocation) => allocationAccount(owner, mint, allocation)));
}

function allocationSeed(mint: PublicKey, name: string): string {
  if (name.length > MAX_ALLOCATION_NAME || !/^[ -~]+$/.test(name)) {
    throw new Error(`allocation name "${name}" must be 1 to ${MAX_ALLOCATION_NAME} printable ASCII characters (it seeds the account's address)`);
  }
  return `${name}:${mint.toBase58().slice(0, 8)}`;
}

export interface GenesisSupplyOptions {
  mint: PublicKey;
  /** The allocations to mint (default `GENESIS_ALLOCATIONS`). */
  allocations?: readonly GenesisAllocation[];
}

/** The genesis supply could not be minted as the table says: the mint is not a fresh one of this wallet. */
export class GenesisSupplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GenesisSupplyError";
  }
}

/**
 * The fixed-supply steps for `mint` (whose mint authority is the economy's wallet, supply 0):
 * create every allocation's account, then, in one transaction, mint each allocation and set
 * the mint authority to none. Done when the mint has no authority; refused (nothing sent) when
 * the mint has minted anything already, since the supply would no longer be the table's.
 */
export function genesisSupplySteps(economy: MediaEconomy, options: GenesisSupplyOptions): GenesisConfigStep[] {
  const { mint } = options;
  const allocations = options.allocations ?? GENESIS_ALLOCATIONS;
  const { provider } = economy;
  const owner = provider.publicKey;
  if (!owner || !provider.sendAndConfirm) throw new Error("genesis needs a provider with a wallet that sends: the mint authority");
  const sendAndConfirm = provider.sendAndConfirm.bind(provider);
  const { connection } = provider;
  const accountsOf = () => allocationAccounts(owner, mint, allocations);
  const total = allocationsTotal(allocations);
  return [
    {
      name: "create allocation accounts",
      creates: [],
      done: async () => (await connection.getMultipleAccountsInfo(await accountsOf())).every(Boolean),
      send: async () => {
        const accounts = await accountsOf();
        const rent = await connection.getMinimumBalanceForRentExemption(ACCOUNT_SIZE);
        const existing = await connection.getMultipleAccountsInfo(accounts);
        const tx = new Transaction();
        allocations.forEach((allocation, i) => {
          if (existing[i]) return;
          if (allocation.holder === "faucet") {
            tx.add(createAssociatedTokenAccountIdempotentInstruction(owner, accounts[i], owner, mint));
            return;
          }
          tx.add(
            SystemProgram.createAccountWithSeed({
              fromPubkey: owner,
              basePubkey: owner,
              seed: allocationSeed(mint, allocation.name),
              newAccountPubkey: accounts[i],
              lamports: rent,
              space: ACCOUNT_SIZE,
              programId: TOKEN_PROGRAM_ID,
            }),
            createInitializeAccount3Instruction(accounts[i], mint, owner),
          );
        });
        return sendAndConfirm(tx);
      },
    },
    {
      name: `mint the genesis supply (${total} base units) and set the mint authority to none`,
      creates: [],
      done: async () => (await mintState(connection, mint)).mintAuthority === null,
      send: async () => {
        const state = await mintState(connection, mint);
        if (!state.mintAuthority?.equals(owner)) {
          throw new GenesisSupplyError(
            `mint ${mint.toBase58()}'s authority is ${state.mintAuthority?.toBase58() ?? "none"}, not this wallet (${owner.toBase58()}): it cannot mint the genesis supply`,
          );
        }
        if (state.supply !== 0n) {
          throw new GenesisSupplyError(
            `mint ${mint.toBase58()} has minted ${state.supply} base units already, so minting the genesis allocations would not make the supply ${total}: start from a fresh mint`,
          );
        }
        const accounts = await accountsOf();
        const tx = new Transaction();
        allocations.forEach((allocation, i) => {
          if (allocation.amount > 0n) tx.add(createMintToInstruction(mint, accounts[i], owner, allocation.amount));
        });
        tx.add(createSetAuthorityInstruction(mint, owner, AuthorityType.MintTokens, null));
        return sendAndConfirm(tx);
      },
    },
  ];
}

/** `mint`'s supply and mint authority, read from the chain. */
export async function mintState(
  connection: Connection,
  mint: PublicKey,
): Promise<{ supply: bigint; mintAuthority: PublicKey | null; freezeAuthority: PublicKey | null; decimals: number }> {
  const info = await connection.getAccountInfo(mint);
  if (!info) throw new GenesisSupplyError(`mint ${mint.toBase58()} does not exist`);
  const state = unpackMint(mint, info);
  return { supply: state.supply, mintAuthority: state.mintAuthority, freezeAuthority: state.freezeAuthority, decimals: state.decimals };
}

export interface GenesisConfigOptions {
  mediaMint: PublicKey;
  quoteMint: PublicKey;
  /** The buyback auctions' initial reference price (MEDIA base units per quote base unit, scaled by `TREASURY_PRICE_SCALE`). */
  initialPrice: Amount;
  /** Per-program parameters (default: `ECONOMY_DEFAULTS`). */
  params?: EconomyParams;
}

/**
 * The configs in the order they can be created, signed by the economy's wallet (the programs'
 * upgrade authority): staking, its rewards pool (which creates the emission and fee-share
 * vaults; `fundEmissionVaultStep` fills the emission vault), governance, the treasury's two vaults (the config's associated
 * token accounts), the treasury config over them, and bandwidth (which reads the staking config
 * and routes its fees to the treasury's vaults).
 */
export function genesisConfigSteps(economy: MediaEconomy, options: GenesisConfigOptions): GenesisConfigStep[] {
  const { mediaMint, quoteMint, initialPrice } = options;
  const params = options.params ?? ECONOMY_DEFAULTS;
  const { staking, bandwidth, treasury, governance } = economy.programs;
  const mints = { mediaMint, quoteMint };
  const { provider } = economy;
  const payer = provider.publicKey;
  if (!payer || !provider.sendAndConfirm) {
    throw new Error("genesis needs a provider with a wallet that sends: the programs' upgrade authority, which signs every config");
  }
  const sendAndConfirm = provider.sendAndConfirm.bind(provider);
  return [
    {
      name: "initialize staking config",
      creates: [stakingConfigPda(staking.programId)],
      send: () => economy.staking.initializeConfig(mediaMint, params.staking),
    },
    {
      name: "initialize rewards pool",
      creates: [rewardsPoolPda(staking.programId), emissionVaultPda(staking.programId), feeShareVaultPda(staking.programId)],
      send: async () => {
        const p = params.staking;
        const ix = await staking.methods
          .initializeRewardsPool(toBN(p.initialRate), toBN(p.halvingPeriod), p.delegationCap, toBN(p.commissionNotice))
          .accountsPartial({ authority: payer, config: stakingConfigPda(staking.programId), mediaMint, programData: programDataPda(staking.programId) })
          .instruction();
        return sendAndConfirm(new Transaction().add(ix));
      },
    },
    {
      name: "initialize governance config",
      creates: [governancePda(governance.programId)],
      send: () => economy.governance.initializeConfig(params.governance),
    },
    {
      name: "create treasury vaults",
      creates: [treasuryVaultAddress(mediaMint, treasury.programId), treasuryVaultAddress(quoteMint, treasury.programId)],
      send: () => sendAndConfirm(new Transaction().add(...createTreasuryVaultsInstructions(payer, mediaMint, quoteMint, treasury.programId))),
    },
    {
      name: "initialize treasury config",
      creates: [treasuryConfigPda(treasury.programId)],
      send: () => economy.treasury.initializeConfig(mints, initialPrice, params.treasury),
    },
    {
      name: "initialize bandwidth config",
      creates: [bandwidthConfigPda(bandwidth.programId)],
      send: () => economy.bandwidth.initializeConfig(mints, params.bandwidth),
    },
  ];
}

export interface EmissionVaultFundingOptions {
  mediaMint: PublicKey;
  /** The allocations the supply was minted into: the "emission vault" ones fund the pool (default `GENESIS_ALLOCATIONS`). */
  allocations?: readonly GenesisAllocation[];
}

/**
 * Once the rewards pool exists: moves the "Staking and Rewards" allocation, by transfer, from
 * the account genesis minted it into (the wallet's, `allocationAccount`) to the pool's emission
 * vault. Done once that account holds nothing more to move.
 */
export function fundEmissionVaultStep(economy: MediaEconomy, options: EmissionVaultFundingOptions): GenesisConfigStep {
  const { mediaMint } = options;
  const allocations = options.allocations ?? GENESIS_ALLOCATIONS;
  const { provider } = economy;
  const owner = provider.publicKey;
  if (!owner || !provider.sendAndConfirm) throw new Error("genesis needs a provider with a wallet that sends: the allocations' owner");
  const sendAndConfirm = provider.sendAndConfirm.bind(provider);
  const { connection } = provider;
  const emissionVault = emissionVaultPda(economy.programs.staking.programId);
  const funding = allocations.filter((allocation) => allocation.holder === "emission vault");
  /** What is still to move: each funding account's balance, up to its allocation. */
  const owed = async () => {
    const accounts = await allocationAccounts(owner, mediaMint, funding);
    const infos = await connection.getMultipleAccountsInfo(accounts);
    return accounts.map((account, i) => {
      const info = infos[i];
      const balance = info ? unpackAccount(account, info).amount : 0n;
      return { account, amount: balance < funding[i].amount ? balance : funding[i].amount };
    });
  };
  return {
    name: `fund the emission vault with ${STAKING_AND_REWARDS} (${rewardsAllocation(allocations)} base units)`,
    creates: [],
    done: async () => (await owed()).every(({ amount }) => amount === 0n),
    send: async () => {
      const tx = new Transaction();
      for (const { account, amount } of await owed()) if (amount > 0n) tx.add(createTransferInstruction(account, emissionVault, owner, amount));
      return sendAndConfirm(tx);
    },
  };
}
