/**
 * The testing kit as a dApp's own suite uses it: everything comes from the SDK and its
 * `testing` entry point (`@media-network/sdk` and `@media-network/sdk/testing` once installed),
 * nothing from this repository's test helpers. The programs are the package's own binaries
 * (`sdk/programs`, copied there by `npm run build`).
 */
import { Wallet } from "@coral-xyz/anchor";
import { Keypair } from "@solana/web3.js";
import { expect } from "chai";
import {
  GENESIS_SUPPLY,
  MediaEconomy,
  MediaProgramError,
  STAKING_AND_REWARDS,
  STAKING_DEFAULTS,
  escrowVaultPda,
  mintState,
  mediaToBaseUnits,
} from "../../sdk/src";
import {
  DEV_PERIODS,
  NotUpgradeAuthorityError,
  ProgramBinaryMissingError,
  RuntimeProvider,
  RuntimeNotInstalledError,
  TestKitOptionError,
  type TestEconomy,
  devGenesis,
  fundWallet,
  startTestBank,
  startTestEconomy,
} from "../../sdk/src/testing";
import { loadPeer } from "../../sdk/src/testing/runtime";

// The repository runs every suite on both runtimes; a dApp would pick one (LiteSVM by default).
const runtime = process.env.MEDIA_RUNTIME === "bankrun" ? "bankrun" : "litesvm";

/** What `promise` was rejected with (fails the test if it resolved). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => null,
    (error: Error) => error,
  );
  if (!outcome) throw new Error("expected a rejection, but it resolved");
  return outcome;
}

describe("sdk: the testing kit, from a dApp's suite", () => {
  let chain: TestEconomy;
  const stake = BigInt(mediaToBaseUnits("25").toString());
  // What devGenesis gives each wallet by default: 10,000 MEDIA and 10,000 quote units.
  const funded = BigInt(mediaToBaseUnits("10000").toString());

  before(async () => {
    chain = await startTestEconomy({ runtime });
  });

  it("dev genesis succeeds when started: configs hold the shortest periods and every wallet its MEDIA and quote", async () => {
    const { economy, wallets, periods } = chain;
    expect(periods).to.deep.equal(DEV_PERIODS);
    const configs = {
      staking: await economy.programs.staking.account.stakingConfig.fetch(chain.configs.staking),
      bandwidth: await economy.programs.bandwidth.account.bandwidthConfig.fetch(chain.configs.bandwidth),
      treasury: await economy.programs.treasury.account.treasuryConfig.fetch(chain.configs.treasury),
      governance: await economy.programs.governance.account.governanceConfig.fetch(chain.configs.governance),
    };
    for (const [program, expected] of Object.entries(DEV_PERIODS)) {
      const config = configs[program as keyof typeof configs] as unknown as Record<string, { toString(): string }>;
      for (const [name, seconds] of Object.entries(expected)) expect(BigInt(config[name].toString()), `${program}.${name}`).to.equal(seconds);
    }
    expect(DEV_PERIODS.staking.unbondingPeriod < BigInt(STAKING_DEFAULTS.unbondingPeriod.toString())).to.equal(true);
    expect(wallets).to.have.length(3);
    for (const wallet of wallets) {
      expect(await chain.tokenBalance(wallet.mediaAccount)).to.equal(funded);
      expect(await chain.tokenBalance(wallet.quoteAccount)).to.equal(funded);
      expect(await chain.lamports(wallet.publicKey)).to.equal(100_000_000_000n);
    }
    // The faucet keeps what the wallets did not take: the genesis supply less Staking and Rewards,
    // which funds the rewards pool's emission vault
    const rewards = BigInt(mediaToBaseUnits("2000000").toString());
    expect(await chain.tokenBalance(chain.configs.emissionVault)).to.equal(rewards);
    expect(await chain.tokenBalance(chain.allocations[0].account)).to.equal(0n);
    const pool = await economy.programs.staking.account.rewardsPool.fetch(chain.configs.rewardsPool);
    expect(pool.emissionVault.toBase58()).to.equal(chain.configs.emissionVault.toBase58());
    expect(BigInt(pool.initialRate.toString())).to.equal(STAKING_DEFAULTS.initialRate);
    expect(await chain.tokenBalance(chain.faucet.media)).to.equal(GENESIS_SUPPLY - rewards - 3n * funded);
    expect(await chain.tokenBalance(chain.faucet.quote)).to.equal(GENESIS_SUPPLY - 3n * funded);
  });

  it("dev genesis fixes both supplies: no mint authority, MEDIA's whole supply in its allocations, so funding a wallet is a transfer", async () => {
    const { economy } = chain;
    for (const mint of [chain.mediaMint, chain.quoteMint]) {
      const state = await mintState(economy.provider.connection, mint);
      expect(state.mintAuthority).to.equal(null);
      expect(state.supply).to.equal(GENESIS_SUPPLY);
    }
    expect(chain.genesisSupply).to.deep.equal({ media: GENESIS_SUPPLY, quote: GENESIS_SUPPLY });
    expect(chain.allocations.map((a) => [a.name, a.holder])).to.deep.equal([
      [STAKING_AND_REWARDS, "emission vault"],
      ["Faucet", "faucet"],
    ]);
    expect(chain.allocations[1].account.equals(chain.faucet.media)).to.equal(true);
    // A late wallet is funded from the faucet; the supply does not move
    const late = Keypair.generate();
    const before = await chain.tokenBalance(chain.faucet.media);
    const { mediaAccount } = await fundWallet(economy, chain, late.publicKey, { media: stake });
    expect(await chain.tokenBalance(mediaAccount)).to.equal(stake);
    expect(await chain.tokenBalance(chain.faucet.media)).to.equal(before - stake);
    expect((await mintState(economy.provider.connection, chain.mediaMint)).supply).to.equal(GENESIS_SUPPLY);
  });

  it("stake succeeds when warped past the dev unbonding period: 25 MEDIA staked, unbonded and withdrawn", async () => {
    const { economy, wallets, periods } = chain;
    const [alice] = wallets;
    const signer = { signer: alice.keypair };
    const before = await chain.tokenBalance(alice.mediaAccount);

    await economy.staking.stake(stake, signer);
    expect(await chain.tokenBalance(alice.mediaAccount)).to.equal(before - stake);
    expect(await chain.tokenBalance(chain.configs.stakingVault)).to.equal(stake);

    await economy.staking.requestUnstake(stake, signer);
    await chain.warp(periods.staking.unbondingPeriod - 1n);
    const early = await rejection(economy.staking.withdraw(signer));
    expect(early).to.be.instanceOf(MediaProgramError);
    expect((early as MediaProgramError).errorName).to.equal("UnbondingNotFinished");
    await chain.warp(1n);
    await economy.staking.withdraw(signer);
    expect(await chain.tokenBalance(alice.mediaAccount)).to.equal(before);
    expect(await chain.tokenBalance(chain.configs.stakingVault)).to.equal(0n);
  });

  it("escrow succeeds when a consumer opens one with a registered provider: the deposit moves into the escrow's vault", async () => {
    const { economy, wallets, quoteMint } = chain;
    const [, operator, consumer] = wallets;
    await economy.staking.stake(stake, { signer: operator.keypair });
    await economy.bandwidth.registerProvider({ media: 100_000n, quote: 50_000n }, { signer: operator.keypair });

    const deposit = 250_000_000n;
    const escrow = await economy.bandwidth.openEscrow(operator.publicKey, quoteMint, { signer: consumer.keypair });
    await economy.bandwidth.deposit(escrow, deposit, consumer.quoteAccount, { signer: consumer.keypair });
    expect(await chain.tokenBalance(escrowVaultPda(escrow))).to.equal(deposit);
    expect(await chain.tokenBalance(consumer.quoteAccount)).to.equal(funded - deposit);
    expect(await chain.tokenBalance(operator.mediaAccount)).to.equal(funded - stake);
  });

  it("start fails when the programs directory has no binaries: ProgramBinaryMissingError says where it looked", async () => {
    const missing = await rejection(startTestBank({ runtime, programsDir: "/nonexistent/programs" }));
    expect(missing).to.be.instanceOf(ProgramBinaryMissingError);
    expect(missing.message).to.match(/media_staking\.so is not in \/nonexistent\/programs/);
  });
});

describe("sdk: the testing kit refuses what it cannot do", () => {
  it("start fails when the runtime is unknown: TestKitOptionError names the option", async () => {
    const error = await rejection(startTestBank({ runtime: "solana-test-validator" as "litesvm" }));
    expect(error).to.be.instanceOf(TestKitOptionError);
    expect(error.message).to.equal('runtime: must be "litesvm" or "bankrun", not "solana-test-validator"');
  });

  it("start fails when the runtime package is not installed: RuntimeNotInstalledError says what to install", async () => {
    const error = await rejection(loadPeer("litesvm", "litesvm-not-installed", () => import("litesvm-not-installed" as string)));
    expect(error).to.be.instanceOf(RuntimeNotInstalledError);
    expect(error.message).to.include("npm install --save-dev litesvm-not-installed");
  });

  it("dev genesis fails when the faucet cannot fund the wallets: TestKitOptionError says what supply to pass, and nothing is sent", async () => {
    const bank = await startTestBank({ runtime });
    const rewards = BigInt(mediaToBaseUnits("2000000").toString());
    const tooMany = await rejection(devGenesis(bank.economy, { wallets: 2, mediaPerWallet: GENESIS_SUPPLY, quotePerWallet: 10n }));
    expect(tooMany).to.be.instanceOf(TestKitOptionError);
    expect(tooMany.message).to.match(
      new RegExp(
        `^supply: a fixed supply of ${GENESIS_SUPPLY} base units per mint cannot fund 2 wallets .*pass supply of at least ${rewards + 2n * GENESIS_SUPPLY}, or fewer wallets`,
      ),
    );
    // The old option, faucetSupply, is the fixed supply now, and is named in the refusal
    const old = await rejection(devGenesis(bank.economy, { wallets: 2, mediaPerWallet: 600n, quotePerWallet: 10n, faucetSupply: 1_000n }));
    expect(old.message).to.match(new RegExp(`^faucetSupply: a fixed supply of 1000 base units per mint .*pass supply of at least ${rewards + 1200n}`));
    const both = await rejection(devGenesis(bank.economy, { supply: GENESIS_SUPPLY, faucetSupply: 1_000n }));
    expect(both.message).to.match(/^faucetSupply: is the old name of supply/);
    expect(bank.provider.transactions.size).to.equal(0);
  });

  it("dev genesis fails when the wallet is not the upgrade authority: NotUpgradeAuthorityError, and nothing is sent", async () => {
    const bank = await startTestBank({ runtime });
    const stranger = new RuntimeProvider(bank.runtime, new Wallet(Keypair.generate()));
    const error = await rejection(devGenesis(new MediaEconomy(stranger), { wallets: 1 }));
    expect(error).to.be.instanceOf(NotUpgradeAuthorityError);
    expect((error as NotUpgradeAuthorityError).upgradeAuthority?.toBase58()).to.equal(bank.payer.publicKey.toBase58());
    expect(stranger.transactions.size).to.equal(0);
  });
});
