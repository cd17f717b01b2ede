/**
 * Genesis of the MEDIA economy on deployed programs, through the SDK over any `Connection`,
 * idempotently: each step first reads the chain and is skipped when its result is there.
 *
 * 1. MEDIA mint: adopted (`mediaMint`), or the one the staking config already names, or
 *    created from `<keys>/media-mint-keypair.json` (6 decimals). Its supply is fixed: the
 *    whole of it (`GENESIS_ALLOCATIONS`, 10,000,000 MEDIA) is minted once into named token
 *    accounts of the wallet, one per allocation, and the mint authority is set to none in the
 *    same transaction. A mint that contradicts this (minted by someone else, or minted already
 *    while the wallet still holds its authority) is refused before anything is sent.
 * 2. Quote mint (what consumers may pay in, USDC on mainnet): adopted, already configured, or
 *    created the same way from `<keys>/quote-mint-keypair.json` as a devnet stand-in.
 * 3. Configs with the spec's defaults: staking, governance, treasury (and its two vaults, the
 *    config's associated token accounts), bandwidth (fees routed to the treasury vaults). The
 *    treasury also needs `initialPrice`, which has no default: the buyback auctions are priced
 *    from it until their own fills take over, so it must be the market's price.
 * 4. Rewards pool: initialized with the spec's defaults (a config step, after staking's), and
 *    the "Staking and Rewards" allocation moved by transfer from its named account into the
 *    pool's emission vault.
 * 5. Hand-over: every config's pause authority to `pauseAuthority` (default: the governance
 *    PDA), staking's governance role and every config authority to the governance PDA.
 *
 * A config that already exists is adopted only if it is one this genesis would have written:
 * the mints it names are the ones genesis uses (given, kept in the keys directory, or minted by
 * this wallet), the treasury vaults are the canonical ones, and its authority is this wallet or
 * the governance PDA. Anything else stops genesis before it sends a transaction.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import { createMint, getMint } from "@solana/spl-token";
import { type Connection, Keypair, type PublicKey } from "@solana/web3.js";
import {
  GENESIS_ALLOCATIONS,
  type GenesisAllocation,
  MEDIA_DECIMALS,
  allocationAccounts,
  allocationsTotal,
  bandwidthConfigPda,
  fundEmissionVaultStep,
  genesisConfigSteps,
  genesisSupplySteps,
  mintState,
  governancePda,
  MediaEconomy,
  TREASURY_MAX_PRICE,
  TREASURY_MIN_PRICE,
  TREASURY_PRICE_SCALE,
  stakingConfigPda,
  stakingVaultPda,
  treasuryConfigPda,
  treasuryVaultAddress,
} from "../../sdk/src";
import { emissionVaultPda, rewardsPoolPda } from "../../sdk/src/generated/media_staking";
import { readKeypair, writeKeypair } from "../../scripts/keys";

export interface GenesisOptions {
  connection: Connection;
  /** The deployer: pays, and holds every authority until the hand-over. */
  payer: Keypair;
  /** Where created mints' keypairs are kept, so that a re-run adopts them. */
  keysDir: string;
  mediaMint?: PublicKey;
  quoteMint?: PublicKey;
  /**
   * The buyback auctions' initial reference price: MEDIA base units per quote base unit, scaled
   * by `TREASURY_PRICE_SCALE` (`parseInitialPrice("20")` if 1 quote unit buys 20 MEDIA).
   * Required when the treasury config does not exist yet.
   */
  initialPrice?: bigint;
  /** Who may pause each program (default: the governance PDA). */
  pauseAuthority?: PublicKey;
  /** Skip the hand-over (the deployer keeps every authority). */
  keepAuthority?: boolean;
  log?: (line: string) => void;
}

export interface GenesisStep {
  step: string;
  /** False when the chain already had it. */
  done: boolean;
  signature?: string;
}

export interface GenesisSummary {
  mediaMint: string;
  /** MEDIA's fixed supply, in base units (decimal string): supply + burned = this, forever. */
  genesisSupply: string;
  /** Where each genesis allocation was minted (amounts in base units, decimal strings). */
  allocations: { name: string; amount: string; holder: GenesisAllocation["holder"]; account: string }[];
  quoteMint: string;
  governance: string;
  pauseAuthority: string;
  staking: { programId: string; config: string; vault: string; rewardsPool: string; emissionVault: string };
  bandwidth: { programId: string; config: string };
  treasury: { programId: string; config: string; mediaVault: string; quoteVault: string };
  governanceProgram: { programId: string; config: string };
  steps: GenesisStep[];
}

/** What genesis says when the treasury must be created and no initial price was given. */
export const INITIAL_PRICE_REQUIRED =
  "genesis needs the buyback auctions' initial price, the market price of one quote unit in MEDIA: " +
  "pass --initial-price <MEDIA per quote unit> (e.g. --initial-price 20 if 1 USDC buys 20 MEDIA) or set MEDIA_INITIAL_PRICE";

/**
 * `text` MEDIA per quote unit (a decimal number, e.g. "20" or "0.5") as an auction price: MEDIA
 * base units per quote base unit, scaled by `TREASURY_PRICE_SCALE`. Both mints have
 * `MEDIA_DECIMALS` decimals (genesis checks), so whole units and base units give the same ratio.
 */
export function parseInitialPrice(text: string): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new Error(`initial price "${text}" is not a decimal number of MEDIA per quote unit`);
  const digits = TREASURY_PRICE_SCALE.toString().length - 1;
  const fraction = match[2] ?? "";
  if (fraction.length > digits) throw new Error(`initial price "${text}" has more than ${digits} decimals`);
  const price = BigInt(match[1]) * TREASURY_PRICE_SCALE + BigInt(fraction.padEnd(digits, "0") || "0");
  if (price < TREASURY_MIN_PRICE || price > TREASURY_MAX_PRICE) {
    throw new Error(`initial price "${text}" is outside the treasury's price bounds`);
  }
  return price;
}

/** Runs every genesis step that is not done yet; returns the addresses and what it did. */
export async function runGenesis(options: GenesisOptions): Promise<GenesisSummary> {
  const { connection, payer } = options;
  const log = options.log ?? (() => undefined);
  const provider = new AnchorProvider(connection, new Wallet(payer), { commitment: "confirmed", preflightCommitment: "confirmed" });
  const economy = new MediaEconomy(provider);
  const { staking, bandwidth, treasury, governance } = economy.programs;
  const wallet = payer.publicKey;
  const governanceAddress = governancePda(governance.programId);
  const pauseAuthority = options.pauseAuthority ?? governanceAddress;
  const steps: GenesisStep[] = [];
  const step = async (name: string, needed: boolean, action: () => Promise<string | undefined>) => {
    if (!needed) {
      steps.push({ step: name, done: false });
      log(`  = ${name}: already done`);
      return;
    }
    const signature = await action();
    steps.push({ step: name, done: true, signature });
    log(`  + ${name}${signature ? ` (${signature})` : ""}`);
  };

  const stakingConfig = stakingConfigPda(staking.programId);
  const bandwidthConfig = bandwidthConfigPda(bandwidth.programId);
  const treasuryConfig = treasuryConfigPda(treasury.programId);
  const existingStaking = await staking.account.stakingConfig.fetchNullable(stakingConfig);
  const existingTreasury = await treasury.account.treasuryConfig.fetchNullable(treasuryConfig);
  const existingBandwidth = await bandwidth.account.bandwidthConfig.fetchNullable(bandwidthConfig);
  const initialPrice = options.initialPrice;
  if (!existingTreasury && initialPrice === undefined) throw new Error(INITIAL_PRICE_REQUIRED);

  // 1-2. Mints
  const mint = async (label: string, configured: PublicKey | undefined, flag: PublicKey | undefined, file: string) => {
    if (configured) {
      if (flag && !flag.equals(configured)) throw new Error(`the configs already use ${label} mint ${configured.toBase58()}, not ${flag.toBase58()}`);
      const keptPath = join(options.keysDir, file);
      const kept = existsSync(keptPath) ? readKeypair(keptPath).publicKey : undefined;
      if (!flag && kept && !kept.equals(configured)) {
        throw new Error(
          `the configs use ${label} mint ${configured.toBase58()}, but this deployment's mint is ${kept.toBase58()} (${keptPath}): they were not written by this genesis`,
        );
      }
      if (!flag && !kept) {
        const info = await getMint(connection, configured);
        // A MEDIA mint this wallet created has handed its authority to none, into this wallet's allocations.
        const ours = info.mintAuthority ? info.mintAuthority.equals(wallet) : label === "MEDIA" && (await holdsAllocations(connection, wallet, configured));
        if (!ours) {
          throw new Error(
            `the configs use ${label} mint ${configured.toBase58()}, which this wallet did not create: pass --${label === "MEDIA" ? "media" : "quote"}-mint to adopt it deliberately`,
          );
        }
      }
      await step(`create ${label} mint`, false, async () => undefined);
      return configured;
    }
    if (flag) {
      const info = await getMint(connection, flag);
      if (info.decimals !== MEDIA_DECIMALS) throw new Error(`${label} mint ${flag.toBase58()} has ${info.decimals} decimals, expected ${MEDIA_DECIMALS}`);
      await step(`adopt ${label} mint`, false, async () => undefined);
      return flag;
    }
    const path = join(options.keysDir, file);
    if (!existsSync(path)) writeKeypair(path, Keypair.generate());
    const keypair = readKeypair(path);
    await step(`create ${label} mint`, !(await connection.getAccountInfo(keypair.publicKey)), async () => {
      await createMint(connection, payer, wallet, null, MEDIA_DECIMALS, keypair, { commitment: "confirmed" });
      return undefined;
    });
    return keypair.publicKey;
  };
  const mediaMint = await mint(
    "MEDIA",
    existingStaking?.mediaMint ?? existingTreasury?.mediaMint ?? existingBandwidth?.mediaMint,
    options.mediaMint,
    "media-mint-keypair.json",
  );
  const burned = existingTreasury ? BigInt(existingTreasury.totalBurned.toString()) : 0n;
  await checkFixedSupplyMint(connection, wallet, mediaMint, burned);
  const quoteMint = await mint("quote", existingTreasury?.quoteMint ?? existingBandwidth?.quoteMint, options.quoteMint, "quote-mint-keypair.json");

  // A config someone else wrote is never adopted (see the header).
  const governanceConfig = await governance.account.governanceConfig.fetchNullable(governanceAddress);
  const foreign = foreignConfigFields({
    wallet,
    governance: governanceAddress,
    mints: { media: mediaMint, quote: quoteMint },
    vaults: { media: treasuryVaultAddress(mediaMint, treasury.programId), quote: treasuryVaultAddress(quoteMint, treasury.programId) },
    staking: existingStaking,
    treasury: existingTreasury,
    bandwidth: existingBandwidth,
    governanceConfig,
  });
  if (foreign.length > 0) {
    throw new Error(`existing configs differ from what this genesis writes, so it stops without sending anything:\n  ${foreign.join("\n  ")}`);
  }

  // MEDIA's fixed supply: the allocations' accounts, then the whole supply and no mint authority.
  for (const supplyStep of genesisSupplySteps(economy, { mint: mediaMint, allocations: GENESIS_ALLOCATIONS })) {
    const done = supplyStep.done ? await supplyStep.done() : (await connection.getMultipleAccountsInfo(supplyStep.creates)).every(Boolean);
    await step(supplyStep.name, !done, () => supplyStep.send());
  }

  // 3. Configs
  // The steps every genesis runs (the SDK's), each skipped when the accounts it creates exist.
  // `initialPrice` was checked above for the one step that reads it (the treasury config's).
  for (const config of genesisConfigSteps(economy, { mediaMint, quoteMint, initialPrice: initialPrice ?? 0n })) {
    const existing = await connection.getMultipleAccountsInfo(config.creates);
    await step(
      config.name,
      existing.some((account) => !account),
      () => config.send(),
    );
  }
  // 4. The rewards pool (initialized with the configs above) receives the Staking and Rewards allocation.
  const funding = fundEmissionVaultStep(economy, { mediaMint, allocations: GENESIS_ALLOCATIONS });
  await step(funding.name, !(await funding.done?.()), () => funding.send());
  const mediaVault = existingTreasury?.mediaVault ?? treasuryVaultAddress(mediaMint, treasury.programId);
  const quoteVault = existingTreasury?.quoteVault ?? treasuryVaultAddress(quoteMint, treasury.programId);

  // 5. Hand-over. Each program: pause authority, then authority. (Staking's vote-lock signer is
  // derived from governance's program id when its config is created: nothing to hand over.)
  if (!options.keepAuthority) {
    type Roles = { authority: PublicKey; pauseAuthority: PublicKey };
    const programs: { label: string; fetch: () => Promise<Roles>; program: typeof staking | typeof bandwidth | typeof treasury | typeof governance }[] = [
      { label: "staking", fetch: () => staking.account.stakingConfig.fetch(stakingConfig), program: staking },
      { label: "bandwidth", fetch: () => bandwidth.account.bandwidthConfig.fetch(bandwidthConfig), program: bandwidth },
      { label: "treasury", fetch: () => treasury.account.treasuryConfig.fetch(treasuryConfig), program: treasury },
      { label: "governance", fetch: () => governance.account.governanceConfig.fetch(governanceAddress), program: governance },
    ];
    for (const { label, fetch, program } of programs) {
      const roles = await fetch();
      const ours = roles.authority.equals(wallet);
      if (!ours && !roles.authority.equals(governanceAddress)) {
        throw new Error(`${label} config authority is ${roles.authority.toBase58()}: neither this wallet nor the governance PDA`);
      }
      // The methods share names and accounts across the four programs; Anchor's types do not unify them.
      const methods = program.methods as unknown as Record<string, (key: PublicKey) => { accounts(a: object): { rpc(): Promise<string> } }>;
      const pauseNeeded = !roles.pauseAuthority.equals(pauseAuthority);
      if (pauseNeeded && !ours) log(`  ! ${label} pause authority is ${roles.pauseAuthority.toBase58()}; only a governance proposal can change it now`);
      await step(`${label}: pause authority → ${pauseAuthority.toBase58()}`, pauseNeeded && ours, () =>
        methods.setPauseAuthority(pauseAuthority).accounts({ authority: wallet }).rpc(),
      );
      await step(`${label}: authority → governance PDA`, ours, () => methods.setAuthority(governanceAddress).accounts({ authority: wallet }).rpc());
    }
  }

  const allocationAddresses = await allocationAccounts(wallet, mediaMint, GENESIS_ALLOCATIONS);
  return {
    mediaMint: mediaMint.toBase58(),
    genesisSupply: allocationsTotal(GENESIS_ALLOCATIONS).toString(),
    allocations: GENESIS_ALLOCATIONS.map((allocation, i) => ({
      name: allocation.name,
      amount: allocation.amount.toString(),
      holder: allocation.holder,
      account: allocationAddresses[i].toBase58(),
    })),
    quoteMint: quoteMint.toBase58(),
    governance: governanceAddress.toBase58(),
    pauseAuthority: (options.keepAuthority ? wallet : pauseAuthority).toBase58(),
    staking: {
      programId: staking.programId.toBase58(),
      config: stakingConfig.toBase58(),
      vault: stakingVaultPda(staking.programId).toBase58(),
      rewardsPool: rewardsPoolPda(staking.programId).toBase58(),
      emissionVault: emissionVaultPda(staking.programId).toBase58(),
    },
    bandwidth: { programId: bandwidth.programId.toBase58(), config: bandwidthConfig.toBase58() },
    treasury: {
      programId: treasury.programId.toBase58(),
      config: treasuryConfig.toBase58(),
      mediaVault: mediaVault.toBase58(),
      quoteVault: quoteVault.toBase58(),
    },
    governanceProgram: { programId: governance.programId.toBase58(), config: governanceAddress.toBase58() },
    steps,
  };
}

/** Whether every genesis allocation account of `wallet` for `mint` exists: this wallet's genesis minted it. */
async function holdsAllocations(connection: Connection, wallet: PublicKey, mint: PublicKey): Promise<boolean> {
  const accounts = await connection.getMultipleAccountsInfo(await allocationAccounts(wallet, mint, GENESIS_ALLOCATIONS));
  return accounts.every(Boolean);
}

/**
 * Refuses a MEDIA mint whose supply or authority contradicts a fixed-supply genesis by this
 * wallet, saying what to do: genesis either mints the whole supply of a fresh mint it holds the
 * authority of (supply 0), or finds that done (no authority, this wallet's allocation accounts,
 * and supply + burned = the genesis supply).
 */
export async function checkFixedSupplyMint(connection: Connection, wallet: PublicKey, mint: PublicKey, burned: bigint): Promise<void> {
  if (!(await connection.getAccountInfo(mint))) return; // created by this run
  const state = await mintState(connection, mint);
  const total = allocationsTotal(GENESIS_ALLOCATIONS);
  const where = `MEDIA mint ${mint.toBase58()}`;
  const fresh = "omit --mint (and remove .keys/media-mint-keypair.json if it is this mint) so that genesis creates a fresh mint and mints its whole supply";
  if (state.mintAuthority?.equals(wallet)) {
    if (state.supply === 0n) return;
    throw new Error(
      `${where} has ${state.supply} base units minted already while this wallet still holds its mint authority: a fixed-supply genesis mints the ` +
        `whole supply (${total}) at once into its allocations and then revokes the authority, so it will not mint on top. ${fresh}`,
    );
  }
  if (state.mintAuthority) {
    throw new Error(
      `${where}'s mint authority is ${state.mintAuthority.toBase58()}, not this wallet: genesis must mint the whole supply itself and set the authority to none. ` +
        `Have that authority hand it to ${wallet.toBase58()} before any supply exists, or ${fresh}`,
    );
  }
  if (!(await holdsAllocations(connection, wallet, mint))) {
    throw new Error(
      `${where}'s supply is fixed already (${state.supply} base units, no mint authority), but not by this wallet's genesis: its allocation accounts are missing, ` +
        `so the Staking and Rewards allocation could not fund the rewards pool. ${fresh}`,
    );
  }
  if (state.supply + burned !== total) {
    throw new Error(`${where}'s supply (${state.supply}) + burned (${burned}) is not the genesis supply (${total}): it was not minted by this genesis`);
  }
}

interface ExistingConfigs {
  wallet: PublicKey;
  governance: PublicKey;
  mints: { media: PublicKey; quote: PublicKey };
  vaults: { media: PublicKey; quote: PublicKey };
  staking: { authority: PublicKey; mediaMint: PublicKey } | null;
  treasury: { authority: PublicKey; mediaMint: PublicKey; quoteMint: PublicKey; mediaVault: PublicKey; quoteVault: PublicKey } | null;
  bandwidth: { authority: PublicKey; mediaMint: PublicKey; quoteMint: PublicKey } | null;
  governanceConfig: { authority: PublicKey } | null;
}

/** Every field of an existing config that this genesis would not have written. */
export function foreignConfigFields(existing: ExistingConfigs): string[] {
  const problems: string[] = [];
  const expect = (label: string, actual: PublicKey, expected: PublicKey) => {
    if (!actual.equals(expected)) problems.push(`${label} is ${actual.toBase58()}, genesis writes ${expected.toBase58()}`);
  };
  const authority = (label: string, actual: PublicKey) => {
    if (!actual.equals(existing.wallet) && !actual.equals(existing.governance)) {
      problems.push(`${label} authority is ${actual.toBase58()}: neither this wallet nor the governance PDA`);
    }
  };
  if (existing.staking) {
    authority("staking", existing.staking.authority);
    expect("staking MEDIA mint", existing.staking.mediaMint, existing.mints.media);
  }
  if (existing.treasury) {
    authority("treasury", existing.treasury.authority);
    expect("treasury MEDIA mint", existing.treasury.mediaMint, existing.mints.media);
    expect("treasury quote mint", existing.treasury.quoteMint, existing.mints.quote);
    expect("treasury MEDIA vault", existing.treasury.mediaVault, existing.vaults.media);
    expect("treasury quote vault", existing.treasury.quoteVault, existing.vaults.quote);
  }
  if (existing.bandwidth) {
    authority("bandwidth", existing.bandwidth.authority);
    expect("bandwidth MEDIA mint", existing.bandwidth.mediaMint, existing.mints.media);
    expect("bandwidth quote mint", existing.bandwidth.quoteMint, existing.mints.quote);
  }
  if (existing.governanceConfig) authority("governance", existing.governanceConfig.authority);
  return problems;
}
