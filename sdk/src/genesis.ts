/**
 * The configuration steps of a MEDIA genesis, written once for every caller: the operations
 * script (`migrations/lib/genesis.ts`, idempotent, over RPC), the testing kit's `devGenesis`
 * (short periods, over a bank or RPC) and the repository's test economy. Each step names the
 * accounts it creates, so an idempotent caller skips a step whose accounts exist.
 */
import { type PublicKey, Transaction } from "@solana/web3.js";
import type { Amount } from "./clients/base";
import type { BandwidthParams } from "./clients/bandwidth";
import type { GovernanceParams } from "./clients/governance";
import type { StakingClient } from "./clients/staking";
import { BANDWIDTH_DEFAULTS, configPda as bandwidthConfigPda } from "./generated/media_bandwidth";
import { GOVERNANCE_DEFAULTS, configPda as governancePda } from "./generated/media_governance";
import { STAKING_DEFAULTS, configPda as stakingConfigPda } from "./generated/media_staking";
import { TREASURY_DEFAULTS, configPda as treasuryConfigPda } from "./generated/media_treasury";
import type { MediaEconomy } from "./economy";
import { type TreasuryAuctionParams, createTreasuryVaultsInstructions, treasuryVaultAddress } from "./treasury";

/** Every program's genesis parameters. */
export interface EconomyParams {
  staking: NonNullable<Parameters<StakingClient["initializeConfig"]>[1]>;
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
  /** Accounts the step creates: done when every one exists. */
  creates: PublicKey[];
  send(): Promise<string>;
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
 * upgrade authority): staking, governance, the treasury's two vaults (the config's associated
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
