import type { Provider } from "@coral-xyz/anchor";
import { StakingClient } from "./clients/staking";
import { mediaPrograms, type MediaPrograms } from "./programs";

/**
 * One entry point to the whole MEDIA economy over any Anchor `Provider`: an
 * `AnchorProvider` over RPC (devnet, mainnet, the project's localnet) or an in-process bank.
 *
 * ```ts
 * const economy = new MediaEconomy(provider);
 * await economy.staking.stake(mediaToBaseUnits("25"));
 * ```
 */
export class MediaEconomy {
  /** The Anchor `Program` of each MEDIA program, for anything the clients do not cover. */
  readonly programs: MediaPrograms;
  /** Staking: stake, unbond, withdraw, rewards, positions. */
  readonly staking: StakingClient;

  constructor(readonly provider: Provider) {
    this.programs = mediaPrograms(provider);
    this.staking = new StakingClient(this.programs.staking);
  }
}
