/**
 * Hostile input against the contributor economy: every delegation and emission instruction of
 * media_staking, and bandwidth's `set_activity_window`, attacked class by class (missing signer,
 * a stranger on a setter, wrong owner, an address that is not the PDA, another account type,
 * the same account twice, a wrong vault, a wrong mint, a fake token program, the pause where it
 * refuses, parameters out of bounds, another operator's accounts). Each attack must be refused
 * with the error its class names and leave every account of its transaction byte-identical;
 * under the pause, the way out (releases, syncs, claims, undelegating) stays open.
 * (The economy's matrix, tests/economy/hostile.test.ts, runs every class mechanically over
 * every instruction and accepts any named refusal; here each name is pinned.)
 */
import { type Keypair, Keypair as Wallet, type PublicKey, type TransactionInstruction } from "@solana/web3.js";
import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import {
  BANDWIDTH_BOUNDS,
  BANDWIDTH_DEFAULTS,
  MEDIA_BANDWIDTH_PROGRAM_ID,
  MEDIA_STAKING_PROGRAM_ID,
  STAKING_BOUNDS,
  STAKING_DEFAULTS,
  stakingVaultPda,
} from "../../sdk/src";
import { expectRefused } from "../utils/assertions";
import { type Operator, newOperator, setUpBandwidth } from "../utils/bandwidth";
import { type Bank, given, startBank, warpSeconds } from "../utils/bank";
import { DAY, MEDIA, bn } from "../utils/constants";
import { TERMS, fundRewardsPool, servingOperator } from "../utils/delegation";
import { type Staker, newStaker, setUpStaking } from "../utils/staking";
import { sendInstruction, unsigned, withAccount } from "../utils/tamper";
import { airdrop, createMint, createTokenAccount } from "../utils/token";

describe("media_staking: hostile input against delegation and emissions", () => {
  const cast = given(async (bank) => {
    const world = await setUpBandwidth(bank);
    await fundRewardsPool(world);
    const stakers: Staker[] = [];
    for (let i = 0; i < 4; i++) {
      const staker = await newStaker(world.staking, 1_000n * MEDIA);
      await staker.stake(200n * MEDIA);
      stakers.push(staker);
    }
    const [dora, uma, cleo, mallory] = stakers;
    // olivia serves with uma and cleo bound; otto serves alone (his accounts are the wrong ones for olivia's)
    const olivia = await servingOperator(world, [uma, cleo]);
    const otto = await servingOperator(world, []);
    // A staked operator whose pool is not open yet
    const newcomer = await newOperator(world, 100n * MEDIA, { register: false });
    const quoteOfCleo = await createTokenAccount(bank, world.quoteMint, cleo.wallet.publicKey);
    await warpSeconds(bank, DAY);
    return { world, olivia, otto, newcomer, dora, uma, cleo, mallory, quoteOfCleo };
  });

  const staking = () => cast.bank.clients.staking;
  const key = (actor: { wallet: Keypair }) => actor.wallet.publicKey;

  /** The position of `account` (snake_case, as in the IDL) among `instruction`'s accounts. */
  const slot = (bank: Bank, program: "staking" | "bandwidth", instruction: string, account: string): number => {
    const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const ix = bank.programs[program].idl.instructions.find((i) => i.name === camel(instruction));
    const index = ix?.accounts.findIndex((a) => a.name === camel(account)) ?? -1;
    if (index < 0) throw new Error(`${program}.${instruction} has no account ${account}`);
    return index;
  };
  /** `ix` of `instruction` with its `account` swapped for `address`. */
  const swap = (instruction: string, ix: TransactionInstruction, account: string, address: PublicKey, program: "staking" | "bandwidth" = "staking") =>
    withAccount(ix, slot(cast.bank, program, instruction, account), address);

  /** Sends `ix` signed by `signers` in `bank`: it must fail with `error`, every account of it unchanged. */
  const refusedIn = (bank: Bank, error: string, ix: TransactionInstruction, signers: Keypair[] = []) =>
    expectRefused(
      bank,
      ix.keys.map((k) => k.pubkey).filter((k) => !k.equals(bank.payer.publicKey)),
      error,
      () => sendInstruction(bank, ix, signers),
    );
  const refused = (error: string, ix: TransactionInstruction, signers: Keypair[] = []) => refusedIn(cast.bank, error, ix, signers);

  /** A copy of the account at `address` at a fresh address, owned by `owner`. */
  const forged = async (address: PublicKey, owner: PublicKey): Promise<PublicKey> => {
    const account = await cast.bank.runtime.getAccount(address);
    if (!account) throw new Error(`nothing at ${address.toBase58()} to copy`);
    const copy = Wallet.generate().publicKey;
    await cast.bank.runtime.setAccount(copy, { ...account, owner });
    return copy;
  };

  // The untouched instructions, each built by the SDK
  const build = {
    release: () => staking().releaseEmissionsInstruction(),
    open: () => staking().openOperatorInstruction(TERMS.commissionBps, TERMS.feeShareBps, key(cast.newcomer)),
    setCommission: (commissionBps: number = TERMS.commissionBps + 500, feeShareBps: number = TERMS.feeShareBps) =>
      staking().setCommissionInstruction(commissionBps, feeShareBps, key(cast.olivia)),
    delegate: (owner: Staker = cast.dora, operator: Operator = cast.olivia) => staking().delegateInstruction(key(operator), key(owner)),
    undelegate: () => staking().undelegateInstruction(key(cast.uma)),
    sync: () => staking().syncOperatorInstruction(key(cast.olivia)),
    claim: () => staking().claimDelegationRewardsInstruction(key(cast.cleo), cast.cleo.tokenAccount),
    claimCommission: () => staking().claimCommissionInstruction(key(cast.olivia), cast.olivia.tokenAccount),
    schedule: (rate: bigint = STAKING_DEFAULTS.initialRate, halving: bigint = STAKING_DEFAULTS.halvingPeriod, authority?: PublicKey) =>
      staking().setEmissionScheduleInstruction(rate, halving, authority),
    params: (cap: number = STAKING_DEFAULTS.delegationCap, notice: bigint = STAKING_DEFAULTS.commissionNotice, authority?: PublicKey) =>
      staking().setDelegationParamsInstruction(cap, notice, authority),
    window: (seconds: bigint, authority: PublicKey = cast.bank.payer.publicKey) =>
      cast.bank.programs.bandwidth.methods.setActivityWindow(bn(seconds)).accountsPartial({ authority }).instruction(),
  };

  describe("missing signer", () => {
    it("every signed instruction fails when its signer has not signed: MissingSigner", async () => {
      await refused("MissingSigner", unsigned(await build.open(), cast.newcomer.wallet));
      await refused("MissingSigner", unsigned(await build.setCommission(), cast.olivia.wallet));
      await refused("MissingSigner", unsigned(await build.delegate(), cast.dora.wallet));
      await refused("MissingSigner", unsigned(await build.undelegate(), cast.uma.wallet));
      await refused("MissingSigner", unsigned(await build.claim(), cast.cleo.wallet));
      await refused("MissingSigner", unsigned(await build.claimCommission(), cast.olivia.wallet));
    });
  });

  describe("a stranger on a setter", () => {
    it("set_emission_schedule, set_delegation_params and set_activity_window fail when signed by anyone but the authority: Unauthorized", async () => {
      const stranger = cast.mallory.wallet;
      await refused("Unauthorized", await build.schedule(undefined, undefined, stranger.publicKey), [stranger]);
      await refused("Unauthorized", await build.params(undefined, undefined, stranger.publicKey), [stranger]);
      await refused("Unauthorized", await build.window(7n * BigInt(DAY), stranger.publicKey), [stranger]);
    });
    it("set_commission fails when a stranger signs for another operator's pool: Unauthorized", async () => {
      const ix = await staking().setCommissionInstruction(TERMS.commissionBps, TERMS.feeShareBps, key(cast.mallory));
      swap("set_commission", ix, "operator_pool", staking().operatorPoolAddress(key(cast.olivia)));
      swap("set_commission", ix, "provider", cast.olivia.provider);
      await refused("Unauthorized", ix, [cast.mallory.wallet]);
    });
  });

  describe("wrong owner, fake PDA, another account type", () => {
    it("an operator pool owned by another program fails: InvalidAccountOwner", async () => {
      const pool = await forged(staking().operatorPoolAddress(key(cast.olivia)), TOKEN_PROGRAM_ID);
      await refused("InvalidAccountOwner", swap("sync_operator", await build.sync(), "operator_pool", pool));
      await refused("InvalidAccountOwner", swap("delegate", await build.delegate(), "operator_pool", pool), [cast.dora.wallet]);
    });
    it("a provider owned by another program than media_bandwidth fails: InvalidAccountOwner", async () => {
      const provider = await forged(cast.olivia.provider, MEDIA_STAKING_PROGRAM_ID);
      await refused("InvalidAccountOwner", swap("sync_operator", await build.sync(), "provider", provider));
    });
    it("a bandwidth config owned by another program than media_bandwidth fails: InvalidAccountOwner", async () => {
      // A forged config could claim a pause that keeps an idle operator's run alive
      const config = await forged(cast.world.config, MEDIA_STAKING_PROGRAM_ID);
      await refused("InvalidAccountOwner", swap("sync_operator", await build.sync(), "bandwidth_config", config));
      await refused("InvalidAccountOwner", swap("claim_commission", await build.claimCommission(), "bandwidth_config", config), [cast.olivia.wallet]);
    });
    it("a pool or delegation created at an address that is not its PDA fails: InvalidPda", async () => {
      await refused("InvalidPda", swap("open_operator", await build.open(), "operator_pool", Wallet.generate().publicKey), [cast.newcomer.wallet]);
      await refused("InvalidPda", swap("delegate", await build.delegate(), "delegation", Wallet.generate().publicKey), [cast.dora.wallet]);
    });
    it("an empty address where the rewards pool, an operator pool or a delegation goes fails: InvalidAccountOwner", async () => {
      await refused("InvalidAccountOwner", swap("release_emissions", await build.release(), "rewards_pool", Wallet.generate().publicKey));
      await refused("InvalidAccountOwner", swap("sync_operator", await build.sync(), "operator_pool", Wallet.generate().publicKey));
      await refused("InvalidAccountOwner", swap("claim_delegation_rewards", await build.claim(), "delegation", Wallet.generate().publicKey), [
        cast.cleo.wallet,
      ]);
    });
    it("another account type where a pool or delegation goes fails: InvalidDiscriminator", async () => {
      await refused("InvalidDiscriminator", swap("sync_operator", await build.sync(), "operator_pool", staking().rewardsPoolAddress()));
      await refused("InvalidDiscriminator", swap("release_emissions", await build.release(), "rewards_pool", staking().operatorPoolAddress(key(cast.olivia))));
      await refused("InvalidDiscriminator", swap("sync_operator", await build.sync(), "provider", cast.world.config));
      await refused("InvalidDiscriminator", swap("sync_operator", await build.sync(), "bandwidth_config", cast.olivia.provider));
      await refused("InvalidDiscriminator", swap("undelegate", await build.undelegate(), "bandwidth_config", cast.otto.provider), [cast.uma.wallet]);
    });
  });

  describe("another operator's accounts", () => {
    it("a pool synced with another operator's provider fails: ProviderMismatch", async () => {
      await refused("ProviderMismatch", swap("sync_operator", await build.sync(), "provider", cast.otto.provider));
      await refused("ProviderMismatch", swap("delegate", await build.delegate(), "provider", cast.otto.provider), [cast.dora.wallet]);
      await refused("ProviderMismatch", swap("claim_delegation_rewards", await build.claim(), "provider", cast.otto.provider), [cast.cleo.wallet]);
    });
    it("a delegation bound to one operator fails to bind to another: AlreadyDelegated", async () => {
      await refused("AlreadyDelegated", await build.delegate(cast.cleo, cast.otto), [cast.cleo.wallet]);
    });
    it("another wallet's stake account or delegation fails: StakeOwnerMismatch", async () => {
      await refused("StakeOwnerMismatch", swap("delegate", await build.delegate(), "stake_account", cast.mallory.stakeAccount), [cast.dora.wallet]);
      await refused("StakeOwnerMismatch", swap("claim_delegation_rewards", await build.claim(), "delegation", staking().delegationAddress(key(cast.uma))), [
        cast.cleo.wallet,
      ]);
      await refused("StakeOwnerMismatch", swap("undelegate", await build.undelegate(), "delegation", staking().delegationAddress(key(cast.cleo))), [
        cast.uma.wallet,
      ]);
    });
    it("a delegation settled against another operator's pool fails: InvalidPda", async () => {
      const ix = await build.claim();
      swap("claim_delegation_rewards", ix, "operator_pool", staking().operatorPoolAddress(key(cast.otto)));
      swap("claim_delegation_rewards", ix, "provider", cast.otto.provider);
      await refused("InvalidPda", ix, [cast.cleo.wallet]);
    });
  });

  describe("same account twice, wrong vault, wrong mint, fake token program", () => {
    it("the two vaults swapped or doubled fails: InvalidRewardsPoolVault", async () => {
      const emission = staking().emissionVaultAddress();
      const feeShare = staking().feeShareVaultAddress();
      await refused("InvalidRewardsPoolVault", swap("claim_delegation_rewards", await build.claim(), "fee_share_vault", emission), [cast.cleo.wallet]);
      await refused("InvalidRewardsPoolVault", swap("claim_commission", await build.claimCommission(), "emission_vault", feeShare), [cast.olivia.wallet]);
      const swapped = await build.claim();
      swap("claim_delegation_rewards", swapped, "emission_vault", feeShare);
      swap("claim_delegation_rewards", swapped, "fee_share_vault", emission);
      await refused("InvalidRewardsPoolVault", swapped, [cast.cleo.wallet]);
    });
    it("a vault as the claimant's token account fails: DuplicateAccount", async () => {
      await refused("DuplicateAccount", swap("claim_delegation_rewards", await build.claim(), "owner_token_account", staking().emissionVaultAddress()), [
        cast.cleo.wallet,
      ]);
    });
    it("the staking vault (or any token account) as the emission or fee-share vault fails: InvalidRewardsPoolVault", async () => {
      const stakeVault = stakingVaultPda();
      await refused("InvalidRewardsPoolVault", swap("release_emissions", await build.release(), "emission_vault", stakeVault));
      await refused("InvalidRewardsPoolVault", swap("sync_operator", await build.sync(), "emission_vault", stakeVault));
      await refused("InvalidRewardsPoolVault", swap("delegate", await build.delegate(), "emission_vault", stakeVault), [cast.dora.wallet]);
      await refused("InvalidRewardsPoolVault", swap("undelegate", await build.undelegate(), "emission_vault", stakeVault), [cast.uma.wallet]);
      await refused("InvalidRewardsPoolVault", swap("set_commission", await build.setCommission(), "emission_vault", stakeVault), [cast.olivia.wallet]);
      await refused("InvalidRewardsPoolVault", swap("set_emission_schedule", await build.schedule(), "emission_vault", stakeVault));
      await refused("InvalidRewardsPoolVault", swap("claim_delegation_rewards", await build.claim(), "emission_vault", stakeVault), [cast.cleo.wallet]);
      await refused("InvalidRewardsPoolVault", swap("claim_delegation_rewards", await build.claim(), "fee_share_vault", stakeVault), [cast.cleo.wallet]);
      await refused("InvalidRewardsPoolVault", swap("claim_commission", await build.claimCommission(), "fee_share_vault", stakeVault), [cast.olivia.wallet]);
    });
    it("a claim paid to a token account of another mint fails in the token program: MintMismatch", async () => {
      await refused("SplToken.MintMismatch", swap("claim_delegation_rewards", await build.claim(), "owner_token_account", cast.quoteOfCleo), [
        cast.cleo.wallet,
      ]);
    });
    it("a claim through a fake token program fails: InvalidTokenProgram", async () => {
      await refused("InvalidTokenProgram", swap("claim_delegation_rewards", await build.claim(), "token_program", MEDIA_BANDWIDTH_PROGRAM_ID), [
        cast.cleo.wallet,
      ]);
      await refused("InvalidTokenProgram", swap("claim_commission", await build.claimCommission(), "token_program", MEDIA_BANDWIDTH_PROGRAM_ID), [
        cast.olivia.wallet,
      ]);
    });
  });

  describe("parameters out of bounds", () => {
    it("commission or fee share above 10,000 bps fails: InvalidCommission", async () => {
      await refused("InvalidCommission", await staking().openOperatorInstruction(10_001, 0, key(cast.newcomer)), [cast.newcomer.wallet]);
      await refused("InvalidCommission", await staking().openOperatorInstruction(0, 10_001, key(cast.newcomer)), [cast.newcomer.wallet]);
      await refused("InvalidCommission", await build.setCommission(10_001, 0), [cast.olivia.wallet]);
      await refused("InvalidCommission", await build.setCommission(0, 10_001), [cast.olivia.wallet]);
    });
    it("an emission rate or halving period outside its bounds fails: ParameterOutOfBounds", async () => {
      const [, maxRate] = STAKING_BOUNDS.initialRate;
      const [minHalving, maxHalving] = STAKING_BOUNDS.halvingPeriod;
      await refused("ParameterOutOfBounds", await build.schedule(maxRate + 1n));
      await refused("ParameterOutOfBounds", await build.schedule(undefined, minHalving - 1n));
      await refused("ParameterOutOfBounds", await build.schedule(undefined, maxHalving + 1n));
    });
    it("a delegation cap or commission notice outside its bounds fails: ParameterOutOfBounds", async () => {
      const [minCap, maxCap] = STAKING_BOUNDS.delegationCap;
      const [minNotice, maxNotice] = STAKING_BOUNDS.commissionNotice;
      await refused("ParameterOutOfBounds", await build.params(Number(minCap) - 1));
      await refused("ParameterOutOfBounds", await build.params(Number(maxCap) + 1));
      await refused("ParameterOutOfBounds", await build.params(undefined, minNotice - 1n));
      await refused("ParameterOutOfBounds", await build.params(undefined, maxNotice + 1n));
    });
    it("an activity window outside its bounds fails: ParameterOutOfBounds", async () => {
      const [minWindow, maxWindow] = BANDWIDTH_BOUNDS.activityWindow;
      await refused("ParameterOutOfBounds", await build.window(minWindow - 1n));
      await refused("ParameterOutOfBounds", await build.window(maxWindow + 1n));
    });
  });

  describe("paused", () => {
    it("new operators, bindings, terms and parameters fail while staking is paused: ProgramPaused", async () => {
      await staking().setPaused(true);
      try {
        await refused("ProgramPaused", await build.open(), [cast.newcomer.wallet]);
        await refused("ProgramPaused", await build.setCommission(), [cast.olivia.wallet]);
        await refused("ProgramPaused", await build.delegate(), [cast.dora.wallet]);
        await refused("ProgramPaused", await build.schedule());
        await refused("ProgramPaused", await build.params());
      } finally {
        await staking().setPaused(false);
      }
    });
    it("the way out stays open while staking is paused: releases, syncs, claims and undelegating succeed", async () => {
      await staking().setPaused(true);
      try {
        for (const [ix, signers] of [
          [await build.release(), []],
          [await build.sync(), []],
          [await build.claim(), [cast.cleo.wallet]],
          [await build.claimCommission(), [cast.olivia.wallet]],
          [await build.undelegate(), [cast.uma.wallet]],
        ] as const) {
          await sendInstruction(cast.bank, ix, [...signers]);
        }
      } finally {
        await staking().setPaused(false);
      }
    });
    it("set_activity_window fails while bandwidth is paused: ProgramPaused", async () => {
      await cast.bank.clients.bandwidth.setPaused(true);
      try {
        await refused("ProgramPaused", await build.window(BANDWIDTH_DEFAULTS.activityWindow));
      } finally {
        await cast.bank.clients.bandwidth.setPaused(false);
      }
    });
  });

  describe("initialize_rewards_pool, on a staking config without a pool", () => {
    let fresh: Bank;
    let mediaMint: PublicKey;
    const stranger = Wallet.generate();
    const init = (params: typeof STAKING_DEFAULTS = STAKING_DEFAULTS, authority?: PublicKey, mint?: PublicKey) =>
      fresh.clients.staking.initializeRewardsPoolInstruction(params, authority ?? fresh.payer.publicKey, mint ?? mediaMint);
    const slotOf = (account: string) => slot(fresh, "staking", "initialize_rewards_pool", account);
    before(async () => {
      fresh = await startBank();
      mediaMint = (await setUpStaking(fresh)).mediaMint;
      await airdrop(fresh, stranger.publicKey);
    });

    it("fails when anyone but the upgrade authority signs: NotUpgradeAuthority", async () => {
      await refusedIn(fresh, "NotUpgradeAuthority", await init(STAKING_DEFAULTS, stranger.publicKey), [stranger]);
    });
    it("fails with a mint that is not the config's: InvalidMint", async () => {
      await refusedIn(fresh, "InvalidMint", await init(STAKING_DEFAULTS, undefined, await createMint(fresh, 6)));
    });
    it("fails with a fake token program: InvalidTokenProgram", async () => {
      await refusedIn(fresh, "InvalidTokenProgram", withAccount(await init(), slotOf("token_program"), MEDIA_BANDWIDTH_PROGRAM_ID));
    });
    it("fails with a pool or vault address that is not its PDA: InvalidPda", async () => {
      for (const account of ["rewards_pool", "emission_vault", "fee_share_vault"]) {
        await refusedIn(fresh, "InvalidPda", withAccount(await init(), slotOf(account), Wallet.generate().publicKey));
      }
    });
    it("fails with a parameter outside its bounds: ParameterOutOfBounds", async () => {
      const d = STAKING_DEFAULTS;
      const b = STAKING_BOUNDS;
      for (const params of [
        { ...d, initialRate: b.initialRate[1] + 1n },
        { ...d, halvingPeriod: b.halvingPeriod[0] - 1n },
        { ...d, delegationCap: b.delegationCap[0] - 1 },
        { ...d, commissionNotice: b.commissionNotice[1] + 1n },
      ]) {
        await refusedIn(fresh, "ParameterOutOfBounds", await init(params));
      }
    });
    it("succeeds once, then fails: AlreadyInitialized", async () => {
      await sendInstruction(fresh, await init());
      await refusedIn(fresh, "AlreadyInitialized", await init());
    });
  });
});
