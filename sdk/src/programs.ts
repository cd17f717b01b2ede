import { Program, type Provider } from "@coral-xyz/anchor";
import { MEDIA_BANDWIDTH_IDL, type MediaBandwidth } from "./generated/media_bandwidth";
import { MEDIA_GOVERNANCE_IDL, type MediaGovernance } from "./generated/media_governance";
import { MEDIA_STAKING_IDL, type MediaStaking } from "./generated/media_staking";
import { MEDIA_TREASURY_IDL, type MediaTreasury } from "./generated/media_treasury";

/** Anchor clients of the four programs, over any Anchor `Provider`. */
export interface MediaPrograms {
  staking: Program<MediaStaking>;
  bandwidth: Program<MediaBandwidth>;
  treasury: Program<MediaTreasury>;
  governance: Program<MediaGovernance>;
}

/** Builds the Anchor `Program` of each MEDIA program from its generated IDL. */
export function mediaPrograms(provider: Provider): MediaPrograms {
  return {
    staking: new Program<MediaStaking>(MEDIA_STAKING_IDL, provider),
    bandwidth: new Program<MediaBandwidth>(MEDIA_BANDWIDTH_IDL, provider),
    treasury: new Program<MediaTreasury>(MEDIA_TREASURY_IDL, provider),
    governance: new Program<MediaGovernance>(MEDIA_GOVERNANCE_IDL, provider),
  };
}
