/**
 * The contributor economy on the programs, with the reference model beside it
 * (`contributors-model.ts`): a `ContributorWorld` whose every step runs on-chain and in the
 * model, then compares every account the contributor economy keeps (rewards pool, operator
 * pools, delegations, providers' activity, stake positions' bound stake, both vaults) to the
 * base unit. A step the model refuses must be refused on-chain by the same error and leave the
 * accounts it touches byte-identical. The story test and the simulation both act through it.
 */
import type { PublicKey } from "@solana/web3.js";
import { expect } from "chai";
import {
  GENESIS_ALLOCATIONS,
  GIB,
  STAKING_AND_REWARDS,
  delegationPda,
  emissionVaultPda,
  feeShareVaultPda,
  operatorPoolPda,
  rewardsPoolPda,
} from "../../sdk/src";
import { expectProgramError, expectUnchanged, snapshot } from "../utils/assertions";
import { type EscrowHandle, type Operator, PRICES, ensureRewardsPool, settle } from "../utils/bandwidth";
import { type Bank, setUnixTimestamp, unixTimestamp } from "../utils/bank";
import { type Economy, addEscrow, addStaker, addTokenAccount, balanceOf, checkInvariants, fundMedia } from "../utils/economy";
import type { Staker } from "../utils/staking";
import { ContributorModel, type ContributorParams, type Outcome } from "./contributors-model";
import { type ContributorWorld, providerPartOf } from "./simulation-contributors";

const big = (value: { toString(): string }) => BigInt(value.toString());
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Decoded = Record<string, any>;

/** The bytes a receipt of exactly `amount` pays for at `pricePerGib` (rounded down, so the amount meets the price). */
const bytesFor = (amount: bigint, pricePerGib: bigint) => (amount * GIB) / pricePerGib;

/** The contributor-economy parameters in force, read from the staking and bandwidth configs and the rewards pool. */
export async function contributorParams(bank: Bank): Promise<ContributorParams> {
  const staking = await bank.programs.staking.account.stakingConfig.fetch(bank.clients.staking.configAddress());
  const bandwidth = await bank.programs.bandwidth.account.bandwidthConfig.fetch(bank.clients.bandwidth.configAddress());
  const pool = await bank.programs.staking.account.rewardsPool.fetch(rewardsPoolPda());
  return {
    minStake: big(staking.minStake),
    unbondingPeriod: big(staking.unbondingPeriod),
    delegationCap: big(staking.delegationCap),
    commissionNotice: big(staking.commissionNotice),
    activityWindow: big(bandwidth.activityWindow),
    initialRate: big(pool.initialRate),
    halvingPeriod: big(pool.halvingPeriod),
  };
}

/**
 * The rewards pool of `economy`, as genesis makes it: created with the defaults (the bandwidth
 * helpers' `ensureRewardsPool`) and, when this call created it, its emission vault funded with
 * the "Staking and Rewards" allocation from the faucet; both vaults counted in the MEDIA
 * conservation.
 */
export async function ensureFundedRewardsPool(economy: Economy): Promise<void> {
  const staking = economy.bank.clients.staking;
  const existed = (await economy.bank.runtime.getAccount(staking.rewardsPoolAddress())) !== null;
  await ensureRewardsPool(economy.bandwidthWorld);
  if (!existed) {
    const allocation = GENESIS_ALLOCATIONS.find((entry) => entry.name === STAKING_AND_REWARDS);
    if (!allocation) throw new Error(`no ${STAKING_AND_REWARDS} allocation`);
    await fundMedia(economy, staking.emissionVaultAddress(), allocation.amount);
  }
  for (const vault of [staking.emissionVaultAddress(), staking.feeShareVaultAddress()]) economy.mediaAccounts.add(vault.toBase58());
}

/** A chain world over `economy`, its rewards pool made as genesis does (`ensureFundedRewardsPool`). */
export async function chainWorld(economy: Economy, options: { checkEconomy?: boolean } = {}): Promise<ContributorWorld & ChainWorldExtras> {
  const { bank } = economy;
  await ensureFundedRewardsPool(economy);
  const staking = bank.clients.staking;
  const params = await contributorParams(bank);
  const poolState: Decoded = await bank.programs.staking.account.rewardsPool.fetch(rewardsPoolPda());
  const now = await unixTimestamp(bank);
  const model = new ContributorModel(params, now, await balanceOf(bank, emissionVaultPda()));
  for (const field of Object.keys(model.pool) as (keyof typeof model.pool)[]) model.pool[field] = big(poolState[field]);
  model.funded += model.pool.claimed;

  const stakers: Staker[] = [];
  const operators: Operator[] = [];
  /** One MEDIA escrow per (payer, operator). */
  const escrows = new Map<string, EscrowHandle>();
  let steps = 0;

  const actor = (i: number) => ({ signer: stakers[i].wallet, tokenAccount: stakers[i].tokenAccount });
  const operatorKey = (k: number) => stakers[model.operators[k].position].wallet.publicKey;

  /** Every account the contributor economy keeps, as the model must see them. */
  async function compare(where: string) {
    const at = ` (${where})`;
    const pool: Decoded = await bank.programs.staking.account.rewardsPool.fetch(rewardsPoolPda());
    for (const [field, value] of Object.entries(model.pool)) expect(big(pool[field]), `rewardsPool.${field}${at}`).to.equal(big(value));
    expect(await balanceOf(bank, emissionVaultPda()), `emission vault${at}`).to.equal(model.emissionVault);
    expect(await balanceOf(bank, feeShareVaultPda()), `fee-share vault${at}`).to.equal(model.feeShareVault);
    for (const [k, operator] of model.operators.entries()) {
      // Before its registration the provider has no account and the model's activity is all zero.
      const provider: Decoded = (await bank.programs.bandwidth.account.provider.fetchNullable(operators[k].provider)) ?? {
        activeSince: 0,
        activeUntil: 0,
        feeSharePaid: 0,
        settledPausedSeconds: 0,
      };
      for (const [field, value] of Object.entries(operator.provider)) expect(big(provider[field]), `provider ${k}.${field}${at}`).to.equal(big(value));
      if (!operator.pool) continue;
      const chainPool: Decoded = await bank.programs.staking.account.operatorPool.fetch(operators[k].operatorPool);
      for (const [field, value] of Object.entries(operator.pool)) expect(big(chainPool[field]), `operatorPool ${k}.${field}${at}`).to.equal(big(value));
    }
    for (const [i, delegation] of model.delegations.entries()) {
      // A wallet that never staked has no stake account: nothing active, nothing bound.
      const stake: Decoded = (await bank.programs.staking.account.stakeAccount.fetchNullable(stakers[i].stakeAccount)) ?? { active: 0, delegated: 0 };
      expect(big(stake.delegated), `stake ${i}.delegated${at}`).to.equal(model.positions[i].delegated);
      expect(big(stake.active), `stake ${i}.active${at}`).to.equal(model.positions[i].active);
      if (!delegation) continue;
      const chain: Decoded = await bank.programs.staking.account.delegation.fetch(delegationPda(stakers[i].wallet.publicKey));
      const { owner, operator, ...fields } = delegation;
      expect((chain.owner as PublicKey).toBase58(), `delegation ${i}.owner${at}`).to.equal(stakers[i].wallet.publicKey.toBase58());
      expect((chain.operator as PublicKey).toBase58(), `delegation ${i}.operator${at}`).to.equal(operatorKey(model.operatorIndex(delegation)).toBase58());
      void owner;
      void operator;
      for (const [field, value] of Object.entries(fields)) expect(big(chain[field]), `delegation ${i}.${field}${at}`).to.equal(big(value));
    }
  }

  /** Accounts a contributor instruction of position `i` (and operator `k`) may touch. */
  function touched(i?: number, k?: number): PublicKey[] {
    const accounts = [rewardsPoolPda(), emissionVaultPda(), feeShareVaultPda()];
    if (i !== undefined) accounts.push(stakers[i].stakeAccount, stakers[i].tokenAccount, delegationPda(stakers[i].wallet.publicKey));
    if (k !== undefined) accounts.push(operators[k].operatorPool, operators[k].provider);
    return accounts;
  }

  /**
   * The step `inModel` in the model, and `onChain` on the programs at the same clock: both
   * accept, or both refuse by the same error with nothing changed on-chain.
   */
  async function both(what: string, inModel: () => Outcome, onChain: () => Promise<unknown>, accounts: PublicKey[]): Promise<Outcome> {
    steps++;
    model.now = await unixTimestamp(bank);
    const outcome = inModel();
    if (outcome) {
      const before = await snapshot(bank, accounts);
      await expectProgramError(onChain(), outcome);
      await expectUnchanged(bank, before);
    } else await onChain();
    await compare(`${what} #${steps}`);
    return outcome;
  }

  const world: ContributorWorld & ChainWorldExtras = {
    model,
    bank,
    economy,
    stakers,
    operators,
    goTo: async (time) => {
      if (time > (await unixTimestamp(bank))) await setUnixTimestamp(bank, time);
      model.now = await unixTimestamp(bank);
    },
    addWallet: async (media) => {
      stakers.push(await addStaker(economy, media));
      return model.addPosition();
    },
    stake: async (i, amount) => {
      const outcome = await both(
        "stake",
        () => model.stake(i, amount),
        () => stakers[i].stake(amount),
        touched(i),
      );
      if (outcome) throw new Error(`stake refused: ${outcome}`);
    },
    addOperator: async (i, commissionBps, feeShareBps) => {
      const staker = stakers[i];
      const operator: Operator = {
        ...staker,
        provider: bank.clients.bandwidth.providerAddress(staker.wallet.publicKey),
        operatorPool: operatorPoolPda(staker.wallet.publicKey),
        mediaAccount: staker.tokenAccount,
        quoteAccount: await addTokenAccount(economy, economy.quoteMint, staker.wallet.publicKey),
      };
      const k = model.addOperator(i);
      operators.push(operator);
      const outcome = await both(
        "open_operator",
        () => model.openOperator(k, commissionBps, feeShareBps),
        () => staking.openOperator(commissionBps, feeShareBps, actor(i)),
        touched(i),
      );
      if (outcome) throw new Error(`open_operator refused: ${outcome}`);
      await bank.clients.bandwidth.registerProvider(PRICES, { signer: staker.wallet });
      economy.providers.push(operator);
      await compare("register_provider");
      return k;
    },
    serve: async (k, payer, amount) => {
      steps++;
      const key = `${payer}:${k}`;
      let handle = escrows.get(key);
      const operator = operators[k];
      if (!handle) {
        // MEDIA escrows only: the payer's quote account is never read
        const consumer = { wallet: stakers[payer].wallet, mediaAccount: stakers[payer].tokenAccount, quoteAccount: stakers[payer].tokenAccount };
        handle = await addEscrow(economy, consumer, operator, economy.mediaMint, 0n);
        escrows.set(key, handle);
      }
      await bank.clients.bandwidth.deposit(handle.escrow, amount, handle.consumerAccount, { signer: stakers[payer].wallet });
      const receipt = handle.channel.pay(bytesFor(amount, handle.pricePerGib), amount);
      model.now = await unixTimestamp(bank);
      const before = await balanceOf(bank, feeShareVaultPda());
      await settle(economy.bandwidthWorld, handle, receipt);
      const fee = model.settleReceipt(k, providerPartOf(amount), true);
      expect((await balanceOf(bank, feeShareVaultPda())) - before, `fee share of a ${amount} receipt`).to.equal(fee);
      await compare(`settle #${steps}`);
    },
    delegate: (i, k) =>
      both(
        "delegate",
        () => model.delegate(i, k),
        () => staking.delegate(operatorKey(k), actor(i)),
        [...touched(i, k), stakers[model.operators[k].position].stakeAccount],
      ),
    undelegate: (i) => {
      const delegation = model.delegations[i];
      const k = delegation ? model.operatorIndex(delegation) : undefined;
      return both(
        "undelegate",
        () => model.undelegate(i),
        () => staking.undelegate(actor(i)),
        touched(i, k),
      );
    },
    setCommission: (k, commissionBps, feeShareBps) =>
      both(
        "set_commission",
        () => model.setCommission(k, commissionBps, feeShareBps),
        () => staking.setCommission(commissionBps, feeShareBps, actor(model.operators[k].position)),
        touched(undefined, k),
      ),
    claimDelegationRewards: (i) => {
      const delegation = model.delegations[i];
      const k = delegation ? model.operatorIndex(delegation) : undefined;
      return both(
        "claim_delegation_rewards",
        () => model.claimDelegationRewards(i),
        () => staking.claimDelegationRewards(actor(i)),
        touched(i, k),
      );
    },
    claimCommission: (k) => {
      const i = model.operators[k].position;
      return both(
        "claim_commission",
        () => model.claimCommission(k),
        () => staking.claimCommission(actor(i)),
        touched(i, k),
      );
    },
    releaseEmissions: async () => {
      await both(
        "release_emissions",
        () => model.releaseEmissions(),
        () => staking.releaseEmissions(),
        touched(),
      );
    },
    setBandwidthPaused: async (paused) => {
      await bank.clients.bandwidth.setPaused(paused);
      model.now = await unixTimestamp(bank);
      model.setBandwidthPaused(paused);
      await compare(paused ? "bandwidth paused" : "bandwidth unpaused");
    },
    syncOperator: async (k) => {
      await both(
        "sync_operator",
        () => model.syncOperatorPool(k),
        () => staking.syncOperator(operatorKey(k)),
        touched(undefined, k),
      );
    },
    requestUnstake: (i, amount) =>
      both(
        "request_unstake",
        () => model.requestUnstake(i, amount),
        () => stakers[i].requestUnstake(amount),
        [stakers[i].stakeAccount, economy.stakingConfig],
      ),
    wallet: (i) => balanceOf(bank, stakers[i].tokenAccount),
    check: async (where) => {
      await compare(where);
      model.checkBooks(where);
      if (options.checkEconomy ?? true) await checkInvariants(economy, where);
    },
  };
  return world;
}

/** What a chain world exposes beyond `ContributorWorld`, for the story's own assertions. */
export interface ChainWorldExtras {
  bank: Bank;
  economy: Economy;
  /** Every position's wallet and stake account, by position index. */
  stakers: Staker[];
  /** Every operator, by operator index. */
  operators: Operator[];
  /** `request_unstake` of position `i` (refused below what it has bound). */
  requestUnstake(i: number, amount: bigint): Promise<Outcome>;
}
