/**
 * The contributor economy's cast for tests that need it ready-made (the hostile matrices): a
 * funded rewards pool and an Edge operator serving bandwidth with stake bound to it.
 */
import { Keypair } from "@solana/web3.js";
import {
  type BandwidthWorld,
  GIB,
  MEDIA,
  type Operator,
  PRICES,
  ensureRewardsPool,
  newConsumer,
  newOperator,
  openEscrow,
  registerProvider,
  settle,
} from "./bandwidth";
import type { Staker } from "./staking";
import { mintTo } from "./token";

/** The terms the cast's operators open with: 10% commission on emissions, 20% of MEDIA fees to delegators. */
export const TERMS = { commissionBps: 1_000, feeShareBps: 2_000 } as const;

/**
 * The rewards pool with `amount` MEDIA to emit: created here unless genesis did, its emission
 * vault topped up from the faucet (what the vault holds beyond what it owes is what it may
 * release, so a transfer is all funding takes).
 */
export async function fundRewardsPool(world: BandwidthWorld, amount = 10_000n * MEDIA): Promise<void> {
  await ensureRewardsPool(world);
  await mintTo(world.bank, world.mediaMint, world.bank.clients.staking.emissionVaultAddress(), amount);
}

/**
 * An Edge operator staking `stake` with its pool open on `TERMS`, its provider registered, its
 * own stake self-bonded and `delegators` (already staked) bound to it; then a first MEDIA
 * receipt settled, so its activity run starts and its delegators' fee share arrives.
 */
export async function servingOperator(world: BandwidthWorld, delegators: Staker[], stake = 1_000n * MEDIA, wallet = Keypair.generate()): Promise<Operator> {
  const staking = world.bank.clients.staking;
  const operator = await newOperator(world, stake, { register: false, wallet });
  await staking.openOperator(TERMS.commissionBps, TERMS.feeShareBps, { signer: operator.wallet });
  await registerProvider(world, operator, PRICES);
  for (const owner of [operator, ...delegators]) await staking.delegate(operator.wallet.publicKey, { signer: owner.wallet });
  const consumer = await newConsumer(world, 100n * MEDIA, 0n);
  const served = await openEscrow(world, consumer, operator, world.mediaMint, 10n * MEDIA);
  await settle(world, served, served.channel.pay(GIB, 100_000n));
  return operator;
}
