/**
 * The testing kit as a dApp's own suite uses it: everything comes from the SDK and its
 * `testing` entry point (`@media-network/sdk` and `@media-network/sdk/testing` once installed),
 * nothing from this repository's test helpers. The programs are the package's own binaries
 * (`sdk/programs`, copied there by `npm run build`).
 */
import { Wallet } from "@coral-xyz/anchor";
import { Keypair } from "@solana/web3.js";
import { expect } from "chai";
import { MediaEconomy, MediaProgramError, STAKING_DEFAULTS, escrowVaultPda, mediaToBaseUnits } from "../../sdk/src";
import {
  DEV_PERIODS,
  NotUpgradeAuthorityError,
  ProgramBinaryMissingError,
  RuntimeProvider,
  RuntimeNotInstalledError,
  TestKitOptionError,
  type TestEconomy,
  devGenesis,
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
    // The faucet keeps what the wallets did not take.
    expect(await chain.tokenBalance(chain.faucet.media)).to.equal(BigInt(mediaToBaseUnits("1000000").toString()) - 3n * funded);
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

  it("dev genesis fails when the faucet cannot fund the wallets: TestKitOptionError says how much is needed, and nothing is sent", async () => {
    const bank = await startTestBank({ runtime });
    const error = await rejection(devGenesis(bank.economy, { wallets: 2, mediaPerWallet: 600n, quotePerWallet: 10n, faucetSupply: 1_000n }));
    expect(error).to.be.instanceOf(TestKitOptionError);
    expect(error.message).to.equal("faucetSupply: 1000 base units cannot fund 2 wallets: pass at least 1200");
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
