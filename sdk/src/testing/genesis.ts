/**
 * A development genesis over any Anchor provider (a test bank, or an `AnchorProvider` on a
 * localnet or devnet RPC URL) whose wallet is the programs' upgrade authority: MEDIA and quote
 * mints, every config with the shortest periods its bounds allow (so unbonding, votes, disputes
 * and auctions run in a test's time), and funded test wallets.
 *
 * Both mints have a fixed supply, as in production: MEDIA's whole supply is minted once into
 * `devGenesisAllocations` ("Staking and Rewards" and a "Faucet" with the rest), the quote
 * stand-in's into its faucet, and both mint authorities are then set to none. Test wallets are
 * funded from the faucets (the payer's associated token accounts) by transfer, never by minting.
 */
import {
  MINT_SIZE,
  TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  createInitializeMint2Instruction,
  createTransferInstruction,
  getAssociatedTokenAddressSync,
} from "@solana/spl-token";
import { Keypair, type PublicKey, SystemProgram, Transaction } from "@solana/web3.js";
import { MEDIA, MEDIA_DECIMALS } from "../constants";
import type { MediaEconomy } from "../economy";
import { programDataPda, upgradeAuthorityOf } from "../loader";
import {
  ECONOMY_DEFAULTS,
  type EconomyParams,
  GENESIS_SUPPLY,
  type GenesisAllocation,
  allocationAccount,
  devGenesisAllocations,
  fundEmissionVaultStep,
  genesisConfigSteps,
  genesisSupplySteps,
  rewardsAllocation,
} from "../genesis";
import { BANDWIDTH_BOUNDS, configPda as bandwidthConfigPda } from "../generated/media_bandwidth";
import { GOVERNANCE_BOUNDS, configPda as governancePda } from "../generated/media_governance";
import {
  STAKING_BOUNDS,
  emissionVaultPda,
  feeShareVaultPda,
  rewardsPoolPda,
  configPda as stakingConfigPda,
  vaultPda as stakingVaultPda,
} from "../generated/media_staking";
import { TREASURY_BOUNDS, configPda as treasuryConfigPda } from "../generated/media_treasury";
import { TREASURY_PRICE_SCALE, treasuryVaultAddress } from "../treasury";
import { type TestBank, type TestBankOptions, startTestBank } from "./bank";
import { TestKitOptionError } from "./runtime";

/** The parameters that are periods, per program: development shortens each to its lower bound. */
const PERIODS = {
  staking: ["unbondingPeriod", "rewardDuration", "commissionNotice"],
  bandwidth: ["quotaWindow", "disputeWindow"],
  treasury: ["auctionInterval", "auctionDuration"],
  governance: ["votingPeriod", "timelock", "executionWindow"],
} as const;

type Periods = typeof PERIODS;
/** The development periods, in seconds. */
export type DevPeriods = { [P in keyof Periods]: Record<Periods[P][number], bigint> };

/** `defaults` with each of `periods` at its lower bound in `bounds` (the program's own, generated). */
function shortened<T extends object>(defaults: T, bounds: object, periods: readonly string[]): T {
  const lower = bounds as Record<string, readonly [unknown, unknown]>;
  return { ...defaults, ...Object.fromEntries(periods.map((name) => [name, lower[name][0]])) };
}

/** The spec's defaults with every period at the shortest its program accepts. */
export const DEV_PARAMS: EconomyParams = {
  staking: shortened(ECONOMY_DEFAULTS.staking, STAKING_BOUNDS, PERIODS.staking),
  bandwidth: shortened(ECONOMY_DEFAULTS.bandwidth, BANDWIDTH_BOUNDS, PERIODS.bandwidth),
  treasury: shortened(ECONOMY_DEFAULTS.treasury, TREASURY_BOUNDS, PERIODS.treasury),
  governance: shortened(ECONOMY_DEFAULTS.governance, GOVERNANCE_BOUNDS, PERIODS.governance),
};

/** The development periods, in seconds (`DEV_PARAMS`' periods). */
export const DEV_PERIODS: DevPeriods = periodsOf(DEV_PARAMS);

/** The development market: one quote unit buys 100 MEDIA. */
export const DEV_INITIAL_PRICE = 100n * TREASURY_PRICE_SCALE;

export interface DevGenesisOptions {
  /** How many funded test wallets (default 3). */
  wallets?: number;
  /** Lamports each wallet gets (default 100 SOL). */
  lamportsPerWallet?: bigint;
  /** MEDIA base units each wallet gets (default 10,000 MEDIA). */
  mediaPerWallet?: bigint;
  /** Quote base units each wallet gets (default 10,000 quote units). */
  quotePerWallet?: bigint;
  /**
   * The fixed supply of each mint, in base units (default `GENESIS_SUPPLY`, 10,000,000 units).
   * MEDIA's faucet holds it less the "Staking and Rewards" allocation (2,000,000 MEDIA); the
   * quote faucet holds all of it. The faucets must cover every wallet's share.
   */
  supply?: bigint;
  /** @deprecated The faucet is now what genesis allocates to it: pass `supply`, the fixed supply (this sets it too). */
  faucetSupply?: bigint;
  /** The buyback auctions' initial reference price (default `DEV_INITIAL_PRICE`). */
  initialPrice?: bigint;
  /** Parameters to set instead of `DEV_PARAMS`, per program (each within its bounds). */
  params?: { [P in keyof EconomyParams]?: Partial<EconomyParams[P]> };
  /** Progress, one line per step. */
  log?: (line: string) => void;
}

/** A funded test wallet: SOL, and MEDIA and quote in its associated token accounts. */
export interface DevWallet {
  keypair: Keypair;
  publicKey: PublicKey;
  mediaAccount: PublicKey;
  quoteAccount: PublicKey;
}

/** What a development genesis set up. */
export interface DevEconomy {
  mediaMint: PublicKey;
  quoteMint: PublicKey;
  /** The payer's token accounts the wallets are funded from (`fundWallet` draws on them too). */
  faucet: { owner: PublicKey; media: PublicKey; quote: PublicKey };
  /** Each mint's fixed supply, in base units: the mints have no authority, so supply + burned = this. */
  genesisSupply: { media: bigint; quote: bigint };
  /** MEDIA's genesis allocations and the token account each was minted into. */
  allocations: (GenesisAllocation & { account: PublicKey })[];
  configs: {
    staking: PublicKey;
    stakingVault: PublicKey;
    rewardsPool: PublicKey;
    /** Holds the Staking and Rewards allocation, which the rewards pool releases. */
    emissionVault: PublicKey;
    feeShareVault: PublicKey;
    bandwidth: PublicKey;
    treasury: PublicKey;
    treasuryMediaVault: PublicKey;
    treasuryQuoteVault: PublicKey;
    governance: PublicKey;
  };
  wallets: DevWallet[];
  /** What each wallet was given: lamports, and MEDIA and quote base units. */
  perWallet: { lamports: bigint; media: bigint; quote: bigint };
  /** The periods the configs were initialized with, in seconds. */
  periods: DevPeriods;
  params: EconomyParams;
  initialPrice: bigint;
}

/** Sends `tx` through the economy's provider (the payer signs, and `signers`). */
function sender(economy: MediaEconomy): (tx: Transaction, signers?: Keypair[]) => Promise<string> {
  const { provider } = economy;
  if (!provider.sendAndConfirm || !provider.publicKey)
    throw new Error("devGenesis needs a provider with a wallet that sends (the programs' upgrade authority)");
  return provider.sendAndConfirm.bind(provider);
}

/**
 * Funds `owner` from the faucet: `lamports` from the payer, and `media` and `quote` into its
 * associated token accounts (created if missing). Returns the wallet's token accounts.
 */
export async function fundWallet(
  economy: MediaEconomy,
  dev: Pick<DevEconomy, "mediaMint" | "quoteMint" | "faucet">,
  owner: PublicKey,
  amounts: { lamports?: bigint; media?: bigint; quote?: bigint },
): Promise<{ mediaAccount: PublicKey; quoteAccount: PublicKey }> {
  const payer = dev.faucet.owner;
  const mediaAccount = getAssociatedTokenAddressSync(dev.mediaMint, owner, true);
  const quoteAccount = getAssociatedTokenAddressSync(dev.quoteMint, owner, true);
  const tx = new Transaction();
  if (amounts.lamports) tx.add(SystemProgram.transfer({ fromPubkey: payer, toPubkey: owner, lamports: amounts.lamports }));
  tx.add(
    createAssociatedTokenAccountIdempotentInstruction(payer, mediaAccount, owner, dev.mediaMint),
    createAssociatedTokenAccountIdempotentInstruction(payer, quoteAccount, owner, dev.quoteMint),
  );
  if (amounts.media) tx.add(createTransferInstruction(dev.faucet.media, mediaAccount, payer, amounts.media));
  if (amounts.quote) tx.add(createTransferInstruction(dev.faucet.quote, quoteAccount, payer, amounts.quote));
  await sender(economy)(tx);
  return { mediaAccount, quoteAccount };
}

/** devGenesis was run by a wallet that is not the programs' upgrade authority, so no config could be created. */
export class NotUpgradeAuthorityError extends Error {
  constructor(
    readonly program: string,
    readonly upgradeAuthority: PublicKey | null,
    readonly wallet: PublicKey,
  ) {
    super(
      `devGenesis must be run by the programs' upgrade authority, the only key that may initialize their configs: ` +
        `${program}'s is ${upgradeAuthority?.toBase58() ?? "none (not deployed, or immutable)"}, the provider's wallet is ${wallet.toBase58()}. ` +
        "On a test bank use its payer (startTestEconomy does); on a localnet start it with `--dev`, or with `--upgrade-authority <your keypair>` and run devGenesis with that keypair",
    );
    this.name = "NotUpgradeAuthorityError";
  }
}

/** Refuses, before anything is sent, a wallet that cannot initialize every program's config. */
async function checkUpgradeAuthority(economy: MediaEconomy, wallet: PublicKey): Promise<void> {
  const programs = Object.entries(economy.programs);
  const programData = await economy.provider.connection.getMultipleAccountsInfo(programs.map(([, program]) => programDataPda(program.programId)));
  programs.forEach(([name], i) => {
    const data = programData[i]?.data;
    const authority = data ? upgradeAuthorityOf(data) : null;
    // The crate's name, as the binaries and IDLs are named (`media_staking`).
    if (!authority?.equals(wallet)) throw new NotUpgradeAuthorityError(`media_${name}`, authority, wallet);
  });
}

/** The development genesis (see the header). The economy's wallet must be the programs' upgrade authority. */
export async function devGenesis(economy: MediaEconomy, options: DevGenesisOptions = {}): Promise<DevEconomy> {
  const log = options.log ?? (() => undefined);
  const send = sender(economy);
  const { connection } = economy.provider;
  const payer = economy.provider.publicKey as PublicKey;
  const walletCount = options.wallets ?? 3;
  const lamportsPerWallet = options.lamportsPerWallet ?? 100n * 1_000_000_000n;
  const mediaPerWallet = options.mediaPerWallet ?? 10_000n * BigInt(MEDIA.toString());
  const quotePerWallet = options.quotePerWallet ?? 10_000n * BigInt(MEDIA.toString());
  if (!Number.isInteger(walletCount) || walletCount < 0) throw new TestKitOptionError("wallets", `must be a whole number of wallets, not ${walletCount}`);
  const { supply, allocations } = devSupply(options, walletCount, mediaPerWallet, quotePerWallet);
  const overrides = options.params ?? {};
  const params: EconomyParams = {
    staking: { ...DEV_PARAMS.staking, ...overrides.staking },
    bandwidth: { ...DEV_PARAMS.bandwidth, ...overrides.bandwidth },
    treasury: { ...DEV_PARAMS.treasury, ...overrides.treasury },
    governance: { ...DEV_PARAMS.governance, ...overrides.governance },
  };
  const initialPrice = options.initialPrice ?? DEV_INITIAL_PRICE;
  await checkUpgradeAuthority(economy, payer);

  // Mints: MEDIA and quote, 6 decimals, the payer their mint authority until their supply is minted.
  const mediaMint = Keypair.generate();
  const quoteMint = Keypair.generate();
  const rent = await connection.getMinimumBalanceForRentExemption(MINT_SIZE);
  const mintTx = new Transaction();
  for (const mint of [mediaMint, quoteMint]) {
    mintTx.add(
      SystemProgram.createAccount({ fromPubkey: payer, newAccountPubkey: mint.publicKey, lamports: rent, space: MINT_SIZE, programId: TOKEN_PROGRAM_ID }),
      createInitializeMint2Instruction(mint.publicKey, MEDIA_DECIMALS, payer, null),
    );
  }
  await send(mintTx, [mediaMint, quoteMint]);
  log(`  + MEDIA mint ${mediaMint.publicKey.toBase58()}, quote mint ${quoteMint.publicKey.toBase58()}`);

  // The fixed supplies: MEDIA into its allocations, the quote stand-in into its faucet; then no mint authority.
  const quoteAllocations: GenesisAllocation[] = [{ name: "Faucet", amount: supply, holder: "faucet" }];
  for (const [mint, mintAllocations] of [
    [mediaMint.publicKey, allocations],
    [quoteMint.publicKey, quoteAllocations],
  ] as const) {
    for (const step of genesisSupplySteps(economy, { mint, allocations: mintAllocations })) await step.send();
  }
  const faucet = {
    owner: payer,
    media: await allocationAccount(payer, mediaMint.publicKey, { name: "Faucet", holder: "faucet" }),
    quote: await allocationAccount(payer, quoteMint.publicKey, { name: "Faucet", holder: "faucet" }),
  };
  log(`  + fixed supply of ${supply} base units per mint, mint authorities none; MEDIA: ${allocations.map((a) => `${a.name} ${a.amount}`).join(", ")}`);

  for (const step of genesisConfigSteps(economy, { mediaMint: mediaMint.publicKey, quoteMint: quoteMint.publicKey, initialPrice, params })) {
    await step.send();
    log(`  + ${step.name}`);
  }
  const funding = fundEmissionVaultStep(economy, { mediaMint: mediaMint.publicKey, allocations });
  await funding.send();
  log(`  + ${funding.name}`);

  const dev: DevEconomy = {
    mediaMint: mediaMint.publicKey,
    quoteMint: quoteMint.publicKey,
    faucet,
    genesisSupply: { media: supply, quote: supply },
    allocations: await Promise.all(
      allocations.map(async (allocation) => ({ ...allocation, account: await allocationAccount(payer, mediaMint.publicKey, allocation) })),
    ),
    configs: configAddresses(economy, mediaMint.publicKey, quoteMint.publicKey),
    wallets: [],
    perWallet: { lamports: lamportsPerWallet, media: mediaPerWallet, quote: quotePerWallet },
    periods: periodsOf(params),
    params,
    initialPrice,
  };
  for (let i = 0; i < walletCount; i++) {
    const keypair = Keypair.generate();
    const accounts = await fundWallet(economy, dev, keypair.publicKey, dev.perWallet);
    dev.wallets.push({ keypair, publicKey: keypair.publicKey, ...accounts });
    log(`  + wallet ${i + 1}/${walletCount} funded: ${keypair.publicKey.toBase58()}`);
  }
  return dev;
}

/**
 * The fixed supply `options` ask for, and MEDIA's allocations of it; refuses (before anything is
 * sent) a supply whose faucets cannot fund the wallets, saying what to pass instead.
 */
function devSupply(
  options: DevGenesisOptions,
  walletCount: number,
  mediaPerWallet: bigint,
  quotePerWallet: bigint,
): { supply: bigint; allocations: GenesisAllocation[] } {
  const { supply: given, faucetSupply } = options;
  if (given !== undefined && faucetSupply !== undefined && given !== faucetSupply) {
    throw new TestKitOptionError(
      "faucetSupply",
      `is the old name of supply (the fixed supply of each mint): pass only supply, not both (${given} and ${faucetSupply})`,
    );
  }
  const option = given === undefined && faucetSupply !== undefined ? "faucetSupply" : "supply";
  const supply = given ?? faucetSupply ?? GENESIS_SUPPLY;
  const rewards = rewardsAllocation(devGenesisAllocations());
  const neededMedia = mediaPerWallet * BigInt(walletCount);
  const neededQuote = quotePerWallet * BigInt(walletCount);
  // MEDIA's faucet is what the rewards allocation leaves; the quote faucet holds the whole supply.
  const least = [rewards + neededMedia, neededQuote].reduce((a, b) => (a > b ? a : b));
  if (supply < least) {
    throw new TestKitOptionError(
      option,
      `a fixed supply of ${supply} base units per mint cannot fund ${walletCount} wallets (${mediaPerWallet} MEDIA and ${quotePerWallet} quote base units each) ` +
        `once MEDIA's Staking and Rewards allocation (${rewards}) is set aside: pass supply of at least ${least}, or fewer wallets or less per wallet`,
    );
  }
  return { supply, allocations: devGenesisAllocations(supply) };
}

/** Every config and vault address of the economy's programs. */
function configAddresses(economy: MediaEconomy, mediaMint: PublicKey, quoteMint: PublicKey): DevEconomy["configs"] {
  const { staking, bandwidth, treasury, governance } = economy.programs;
  return {
    staking: stakingConfigPda(staking.programId),
    stakingVault: stakingVaultPda(staking.programId),
    rewardsPool: rewardsPoolPda(staking.programId),
    emissionVault: emissionVaultPda(staking.programId),
    feeShareVault: feeShareVaultPda(staking.programId),
    bandwidth: bandwidthConfigPda(bandwidth.programId),
    treasury: treasuryConfigPda(treasury.programId),
    treasuryMediaVault: treasuryVaultAddress(mediaMint, treasury.programId),
    treasuryQuoteVault: treasuryVaultAddress(quoteMint, treasury.programId),
    governance: governancePda(governance.programId),
  };
}

/** The period parameters of `params`, in seconds. */
function periodsOf(params: EconomyParams): DevPeriods {
  const periods = {} as Record<string, Record<string, bigint>>;
  for (const program of Object.keys(PERIODS) as (keyof Periods)[]) {
    const values = params[program] as unknown as Record<string, { toString(): string }>;
    periods[program] = Object.fromEntries(PERIODS[program].map((name) => [name, BigInt(values[name].toString())]));
  }
  return periods as DevPeriods;
}

/** A test bank with a development genesis on it: `startTestBank` then `devGenesis`. */
export type TestEconomy = TestBank & DevEconomy;

/** Starts a test bank and runs `devGenesis` on it, its payer the programs' upgrade authority. */
export async function startTestEconomy(options: TestBankOptions & DevGenesisOptions = {}): Promise<TestEconomy> {
  const bank = await startTestBank(options);
  return { ...bank, ...(await devGenesis(bank.economy, options)) };
}
