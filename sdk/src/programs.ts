import { type Idl, Program, type Provider } from "@coral-xyz/anchor";
import { PublicKey } from "@solana/web3.js";
import { MEDIA_BANDWIDTH_IDL, MEDIA_BANDWIDTH_PROGRAM_ID, type MediaBandwidth } from "./generated/media_bandwidth";
import { MEDIA_GOVERNANCE_IDL, MEDIA_GOVERNANCE_PROGRAM_ID, type MediaGovernance } from "./generated/media_governance";
import { MEDIA_STAKING_IDL, MEDIA_STAKING_PROGRAM_ID, type MediaStaking } from "./generated/media_staking";
import { MEDIA_TREASURY_IDL, MEDIA_TREASURY_PROGRAM_ID, type MediaTreasury } from "./generated/media_treasury";

/** Anchor clients of the four programs, over any Anchor `Provider`. */
export interface MediaPrograms {
  staking: Program<MediaStaking>;
  bandwidth: Program<MediaBandwidth>;
  treasury: Program<MediaTreasury>;
  governance: Program<MediaGovernance>;
}

/** The four programs' ids: one deployment of the economy. */
export interface MediaProgramIds {
  staking: PublicKey;
  bandwidth: PublicKey;
  treasury: PublicKey;
  governance: PublicKey;
}

/** Each program's crate name (as in `MEDIA_PROGRAMS` and its `.so`) and its key in `MediaProgramIds`. */
export const MEDIA_PROGRAM_KEYS: Readonly<Record<string, keyof MediaProgramIds>> = Object.freeze({
  media_staking: "staking",
  media_bandwidth: "bandwidth",
  media_treasury: "treasury",
  media_governance: "governance",
});

/** The clusters the SDK knows a deployment on. */
export type MediaCluster = "localnet" | "devnet" | "mainnet-beta";

/** The ids the IDLs declare (the programs' `declare_id!`): the build this SDK was generated from. */
export const DEFAULT_MEDIA_PROGRAM_IDS: Readonly<MediaProgramIds> = Object.freeze({
  staking: MEDIA_STAKING_PROGRAM_ID,
  bandwidth: MEDIA_BANDWIDTH_PROGRAM_ID,
  treasury: MEDIA_TREASURY_PROGRAM_ID,
  governance: MEDIA_GOVERNANCE_PROGRAM_ID,
});

/**
 * The deployment of each cluster. Every cluster runs the build the IDLs come from (the same
 * `declare_id!`s); a deployment of your own (`npm run keys:sync`) passes its ids explicitly.
 */
export const MEDIA_PROGRAM_IDS_BY_CLUSTER: Readonly<Record<MediaCluster, Readonly<MediaProgramIds>>> = Object.freeze({
  localnet: DEFAULT_MEDIA_PROGRAM_IDS,
  devnet: DEFAULT_MEDIA_PROGRAM_IDS,
  "mainnet-beta": DEFAULT_MEDIA_PROGRAM_IDS,
});

/** Which deployment to talk to: a cluster's ids, overridden program by program by `programIds`. */
export interface MediaProgramIdsOptions {
  /** Ids of a custom deployment; programs not named keep the cluster's. */
  programIds?: Partial<MediaProgramIds>;
  /** The cluster whose deployment to start from (`localnet` by default; all share the IDL's ids today). */
  cluster?: MediaCluster;
}

/** The full set of program ids `options` select. */
export function resolveProgramIds(options: MediaProgramIdsOptions = {}): MediaProgramIds {
  const cluster = options.cluster ?? "localnet";
  const base = MEDIA_PROGRAM_IDS_BY_CLUSTER[cluster];
  if (!base) throw new Error(`unknown cluster "${cluster}": use one of ${Object.keys(MEDIA_PROGRAM_IDS_BY_CLUSTER).join(", ")}, or pass programIds`);
  const ids = { ...base };
  for (const [name, id] of Object.entries(options.programIds ?? {}) as [keyof MediaProgramIds, PublicKey | undefined][]) {
    if (!(name in ids)) throw new Error(`programIds.${name}: not a MEDIA program (staking, bandwidth, treasury, governance)`);
    if (id) ids[name] = new PublicKey(id);
  }
  return ids;
}

/**
 * `idl` as deployed at `ids`: its `address`, and every program id it names (the cross-program
 * PDAs' `program`, the ProgramData seed, fixed `address`es), moved from the IDL's ids to
 * `ids`. Anchor then resolves every account, its own and the other programs', for that
 * deployment.
 */
export function retargetIdl<T extends Idl>(idl: T, ids: MediaProgramIds): T {
  const moves = new Map<string, PublicKey>();
  for (const name of Object.keys(ids) as (keyof MediaProgramIds)[]) moves.set(DEFAULT_MEDIA_PROGRAM_IDS[name].toBase58(), ids[name]);
  const moveBytes = new Map<string, number[]>();
  for (const [from, to] of moves) moveBytes.set(new PublicKey(from).toBytes().join(","), Array.from(to.toBytes()));
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return moves.get(value)?.toBase58() ?? value;
    if (Array.isArray(value)) {
      if (value.length === 32 && value.every((byte) => typeof byte === "number")) return moveBytes.get(value.join(",")) ?? value;
      return value.map(walk);
    }
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
    return value;
  };
  return walk(idl) as T;
}

/**
 * Builds the Anchor `Program` of each MEDIA program from its generated IDL, at `programIds`
 * (by default the IDLs' own ids; a partial set overrides program by program).
 */
export function mediaPrograms(provider: Provider, programIds: Partial<MediaProgramIds> = {}): MediaPrograms {
  const ids = resolveProgramIds({ programIds });
  return {
    staking: new Program<MediaStaking>(retargetIdl(MEDIA_STAKING_IDL, ids), provider),
    bandwidth: new Program<MediaBandwidth>(retargetIdl(MEDIA_BANDWIDTH_IDL, ids), provider),
    treasury: new Program<MediaTreasury>(retargetIdl(MEDIA_TREASURY_IDL, ids), provider),
    governance: new Program<MediaGovernance>(retargetIdl(MEDIA_GOVERNANCE_IDL, ids), provider),
  };
}

/** The program ids of `programs`. */
export function programIdsOf(programs: MediaPrograms): MediaProgramIds {
  return {
    staking: programs.staking.programId,
    bandwidth: programs.bandwidth.programId,
    treasury: programs.treasury.programId,
    governance: programs.governance.programId,
  };
}
