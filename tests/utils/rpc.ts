/**
 * The RPC-path harness: tests reach the ledger only through web3.js's `Connection` and
 * Anchor's `AnchorProvider` over real HTTP (and the websocket `confirmTransaction` uses).
 *
 * By default every test file starts its own localnet in process, on a free loopback port.
 * With `MEDIA_RPC_URL` set (e.g. `MEDIA_RPC_URL=http://127.0.0.1:8899 npx mocha tests/localnet`)
 * the same tests run against that endpoint instead, typically `npm run localnet` in another
 * terminal; `MEDIA_RPC_WS_URL` overrides the websocket address (default: port + 1).
 */
import { createHash } from "node:crypto";
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import { createAccount, createMint, getAccount, mintTo } from "@solana/spl-token";
import { Connection, Keypair, LAMPORTS_PER_SOL, type PublicKey } from "@solana/web3.js";
import { bn } from "./constants";
import { MEDIA_DECIMALS, STAKING_DEFAULTS, mediaPrograms, stakeAccountPda, stakingConfigPda, stakingVaultPda } from "../../sdk/src";
import type { MediaPrograms } from "../../sdk/src";
import { type Localnet, type LocalnetOptions, startLocalnet } from "../../localnet/server";

export const RPC_URL_ENV = "MEDIA_RPC_URL";
export const RPC_WS_URL_ENV = "MEDIA_RPC_WS_URL";

/** A connection to a localnet, a funded wallet, and the Anchor clients over it. */
export interface RpcNet {
  url: string;
  connection: Connection;
  provider: AnchorProvider;
  payer: Keypair;
  programs: MediaPrograms;
  /** The in-process localnet, or undefined when the tests target `MEDIA_RPC_URL`. */
  localnet?: Localnet;
  stop(): Promise<void>;
}

/** Whether the tests target an external endpoint (`MEDIA_RPC_URL`). */
export function externalRpcUrl(): string | undefined {
  return process.env[RPC_URL_ENV] || undefined;
}

/**
 * Connects to `MEDIA_RPC_URL` or starts an in-process localnet (`options` apply to that one
 * only), and funds a fresh payer from the faucet.
 */
export async function startRpc(options: LocalnetOptions = {}): Promise<RpcNet> {
  const external = externalRpcUrl();
  let localnet: Localnet | undefined;
  let url: string;
  let wsEndpoint: string | undefined;
  if (external) {
    url = external;
    wsEndpoint = process.env[RPC_WS_URL_ENV] || undefined;
  } else {
    // The tests' fixed authority deploys the preloaded programs, so it may initialize their configs.
    localnet = await startLocalnet({ port: 0, upgradeAuthority: testKeypair("authority").publicKey, ...options });
    url = localnet.url;
    wsEndpoint = localnet.wsUrl;
  }
  const connection = new Connection(url, { commitment: "confirmed", wsEndpoint });
  const payer = Keypair.generate();
  try {
    await airdropSol(connection, payer.publicKey, 1_000);
  } catch (error) {
    await localnet?.close();
    throw new Error(`no localnet answers at ${url} (start one with \`npm run localnet\`): ${(error as Error).message}`);
  }
  const provider = new AnchorProvider(connection, new Wallet(payer), {
    commitment: "confirmed",
    preflightCommitment: "confirmed",
  });
  return {
    url,
    connection,
    provider,
    payer,
    programs: mediaPrograms(provider),
    localnet,
    stop: async () => {
      await localnet?.close();
    },
  };
}

/** Requests `sol` SOL from the faucet and waits for it to be confirmed. */
export async function airdropSol(connection: Connection, to: PublicKey, sol = 10): Promise<string> {
  const signature = await connection.requestAirdrop(to, sol * LAMPORTS_PER_SOL);
  const latest = await connection.getLatestBlockhash();
  const { value } = await connection.confirmTransaction({ signature, ...latest });
  if (value.err) throw new Error(`airdrop failed: ${JSON.stringify(value.err)}`);
  return signature;
}

/**
 * A keypair derived from `label`: the staking config is a singleton, so tests that run again
 * against the same long-lived localnet must find the authority and mint of the first run.
 */
export function testKeypair(label: string): Keypair {
  return Keypair.fromSeed(createHash("sha256").update(`media-localnet-tests/${label}`).digest());
}

export interface RpcStakingWorld {
  net: RpcNet;
  authority: Keypair;
  mediaMint: PublicKey;
  config: PublicKey;
  vault: PublicKey;
  /** The initialize_config signature, or null if an earlier run on this localnet did it. */
  initializeSignature: string | null;
}

/** The MEDIA mint and the staking config (created unless an earlier run created them). */
export async function setUpStakingOverRpc(net: RpcNet): Promise<RpcStakingWorld> {
  const authority = testKeypair("authority");
  const mintKeypair = testKeypair("media-mint");
  await airdropSol(net.connection, authority.publicKey, 100);
  if (!(await net.connection.getAccountInfo(mintKeypair.publicKey))) {
    await createMint(net.connection, net.payer, authority.publicKey, null, MEDIA_DECIMALS, mintKeypair);
  }
  const config = stakingConfigPda();
  let initializeSignature: string | null = null;
  const existing = await net.programs.staking.account.stakingConfig.fetchNullable(config);
  if (!existing) {
    initializeSignature = await net.programs.staking.methods
      .initializeConfig(
        bn(STAKING_DEFAULTS.minStake),
        bn(STAKING_DEFAULTS.unbondingPeriod),
        bn(STAKING_DEFAULTS.quotaBytesPerMedia),
        bn(STAKING_DEFAULTS.rewardDuration),
      )
      .accounts({ authority: authority.publicKey, mediaMint: mintKeypair.publicKey })
      .signers([authority])
      .rpc();
  } else if (!existing.mediaMint.equals(mintKeypair.publicKey)) {
    throw new Error(`the staking config at ${net.url} uses another MEDIA mint: restart the localnet`);
  }
  return { net, authority, mediaMint: mintKeypair.publicKey, config, vault: stakingVaultPda(), initializeSignature };
}

export interface RpcStaker {
  wallet: Keypair;
  tokenAccount: PublicKey;
  stakeAccount: PublicKey;
}

/** A wallet funded by the faucet, with `media` base units in its own MEDIA token account. */
export async function newRpcStaker(world: RpcStakingWorld, media: bigint): Promise<RpcStaker> {
  const { connection } = world.net;
  const wallet = Keypair.generate();
  await airdropSol(connection, wallet.publicKey, 10);
  const tokenAccount = await createAccount(connection, wallet, world.mediaMint, wallet.publicKey, Keypair.generate());
  if (media > 0n) await mintTo(connection, world.net.payer, world.mediaMint, tokenAccount, world.authority, media);
  return { wallet, tokenAccount, stakeAccount: stakeAccountPda(wallet.publicKey) };
}

/** A token account's balance in base units, read over RPC. */
export async function rpcTokenBalance(connection: Connection, account: PublicKey): Promise<bigint> {
  return (await getAccount(connection, account)).amount;
}

/** Raw state (lamports, owner, data) of accounts, read in one getMultipleAccounts call. */
export async function rpcSnapshot(connection: Connection, addresses: PublicKey[]): Promise<string[]> {
  const accounts = await connection.getMultipleAccountsInfo(addresses);
  return accounts.map((account) => (account ? `${account.lamports}|${account.owner.toBase58()}|${account.data.toString("hex")}` : "absent"));
}
