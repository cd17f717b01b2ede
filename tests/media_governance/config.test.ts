/**
 * Governance's own config: bounds, the pause switch, cancel and finalize rules, and
 * governance governing itself once its authority is its own PDA (its setters are the only
 * instructions of its own that a proposal may call).
 */
import { Keypair, PublicKey } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import {
  GOVERNANCE_DEFAULTS,
  MEDIA_GOVERNANCE_IDL,
  MEDIA_STAKING_PROGRAM_ID,
  ProposalState,
  STAKING_DEFAULTS,
  VoteSide,
  mediaToBaseUnits,
  stakingConfigPda,
  isPausedAt,
  voteAuthorityPda,
} from "../../sdk/src";
import { type Bank, startBank, warpSeconds, unixTimestamp } from "../utils/bank";
import { expectProgramError, expectUnchanged, snapshot } from "../utils/assertions";
import { type GovernanceWorld, execute, finalize, handOverStaking, propose, setUpGovernance, stakingSetMinStake, vote } from "../utils/governance";
import { type Staker, newStaker, setUpStaking, stake } from "../utils/staking";
import { airdrop } from "../utils/token";

const MEDIA = 1_000_000n;
const D = GOVERNANCE_DEFAULTS;
const VOTING_PERIOD = D.votingPeriod.toNumber();
const TIMELOCK = D.timelock.toNumber();

describe("media_governance: config, pause, cancel and self-governance", () => {
  let bank: Bank;
  let world: GovernanceWorld;
  let alice: Staker;
  let bob: Staker;
  const emergency = Keypair.generate();

  /** A passed proposal carrying `instructions`, its timelock over. */
  async function passed(instructions: Parameters<typeof propose>[2]): Promise<PublicKey> {
    const proposal = await propose(world, alice, instructions);
    await vote(world, proposal, alice, VoteSide.For);
    await warpSeconds(bank, VOTING_PERIOD);
    await finalize(world, proposal);
    await warpSeconds(bank, TIMELOCK);
    return proposal;
  }

  before(async () => {
    bank = await startBank();
    world = await setUpGovernance(await setUpStaking(bank));
    alice = await newStaker(world, 1_000n * MEDIA);
    bob = await newStaker(world, 1_000n * MEDIA);
    await stake(world, alice, 200n * MEDIA);
    await stake(world, bob, 100n * MEDIA);
    await handOverStaking(world);
    await airdrop(bank, emergency.publicKey);
    await warpSeconds(bank, 60);
  });

  it("test_initialize_config_ok: the defaults, the deployer as authority and pause authority, and the staking config the IDL derives from staking's id", async () => {
    const config = await bank.programs.governance.account.governanceConfig.fetch(world.governance);
    expect(config.votingPeriod.toString()).to.equal(D.votingPeriod.toString());
    expect(config.quorumBps).to.equal(D.quorumBps);
    expect(config.proposalThreshold.toString()).to.equal(D.proposalThreshold.toString());
    expect(config.authority.toBase58()).to.equal(bank.payer.publicKey.toBase58());
    expect(config.pauseAuthority.toBase58()).to.equal(bank.payer.publicKey.toBase58());
    // and the vote authority (staking's only lock_stake signer) with its canonical bump
    const [voteAuthority, bump] = PublicKey.findProgramAddressSync([Buffer.from("vote_authority")], world.bank.programs.governance.programId);
    expect(config.voteAuthority.toBase58()).to.equal(voteAuthority.toBase58());
    expect(config.voteAuthorityBump).to.equal(bump);
    expect(voteAuthorityPda().toBase58()).to.equal(voteAuthority.toBase58());
    // No fixed address: the IDL declares media_staking's ["config"] PDA of the staking program's
    // id, so the address follows any deployment's ids (the IDL constant holds the JSON's
    // snake_case names under the camelCase type).
    type Seed = { kind: string; value?: number[] };
    const idl = MEDIA_GOVERNANCE_IDL as unknown as {
      instructions: { name: string; accounts: { name: string; address?: string; pda?: { seeds: Seed[]; program?: Seed } }[] }[];
    };
    for (const ix of idl.instructions) {
      const staking = ix.accounts.find((a) => a.name === "staking_config");
      if (!staking) continue;
      expect(staking.address, ix.name).to.equal(undefined);
      const seeds = staking.pda?.seeds ?? [];
      expect(
        seeds.map((seed) => Buffer.from(seed.value ?? []).toString()),
        ix.name,
      ).to.deep.equal(["config"]);
      expect(Buffer.from(staking.pda?.program?.value ?? []).equals(MEDIA_STAKING_PROGRAM_ID.toBuffer()), ix.name).to.equal(true);
      const [derived] = PublicKey.findProgramAddressSync(
        seeds.map((seed) => Buffer.from(seed.value ?? [])),
        new PublicKey(staking.pda!.program!.value!),
      );
      expect(derived.equals(stakingConfigPda(MEDIA_STAKING_PROGRAM_ID)), ix.name).to.equal(true);
    }
  });

  it("test_initialize_config_fails_when_already_initialized: AlreadyInitialized", async () => {
    const before = await snapshot(bank, [world.governance]);
    await expectProgramError(
      bank.programs.governance.methods
        .initializeConfig(D.votingPeriod, D.quorumBps, D.proposalThreshold, D.timelock, D.executionWindow)
        .accounts({ authority: bank.payer.publicKey })
        .rpc(),
      "AlreadyInitialized",
    );
    await expectUnchanged(bank, before);
  });

  it("test_set_params_fails_when_out_of_bounds: a 15-day voting period or a 0.5% quorum fails with ParameterOutOfBounds", async () => {
    const before = await snapshot(bank, [world.governance]);
    const setParams = (votingPeriod: BN, quorumBps: number) =>
      bank.programs.governance.methods
        .setParams(votingPeriod, quorumBps, D.proposalThreshold, D.timelock, D.executionWindow)
        .accounts({ authority: bank.payer.publicKey })
        .rpc();
    await expectProgramError(setParams(new BN(15 * 24 * 60 * 60), D.quorumBps), "ParameterOutOfBounds");
    await expectProgramError(setParams(D.votingPeriod, 50), "ParameterOutOfBounds");
    await expectUnchanged(bank, before);
  });

  it("test_set_params_fails_when_the_timelock_is_shorter_than_the_unbonding_period: a 6-day timelock is out of bounds; the default is the unbonding period", async () => {
    // A staker who disagrees must be able to unbond (7 days by default) before a passed proposal executes
    expect(D.timelock.gte(STAKING_DEFAULTS.unbondingPeriod)).to.equal(true);
    const before = await snapshot(bank, [world.governance]);
    await expectProgramError(
      bank.programs.governance.methods
        .setParams(D.votingPeriod, D.quorumBps, D.proposalThreshold, new BN(6 * 24 * 60 * 60), D.executionWindow)
        .accounts({ authority: bank.payer.publicKey })
        .rpc(),
      "ParameterOutOfBounds",
    );
    await expectUnchanged(bank, before);
  });

  it("test_cancel_ok: the proposer cancels before any vote; after a vote, cancelling fails with ProposalHasVotes", async () => {
    const proposal = await propose(world, alice, [await stakingSetMinStake(world, mediaToBaseUnits("25"))]);
    await expectProgramError(
      bank.programs.governance.methods.cancel().accounts({ proposer: bob.wallet.publicKey, proposal }).signers([bob.wallet]).rpc(),
      "NotProposer",
    );
    await bank.programs.governance.methods.cancel().accounts({ proposer: alice.wallet.publicKey, proposal }).signers([alice.wallet]).rpc();
    expect((await bank.programs.governance.account.proposal.fetch(proposal)).state).to.deep.equal(ProposalState.Cancelled);
    await expectProgramError(vote(world, proposal, bob, VoteSide.For), "ProposalNotVoting");

    const voted = await propose(world, alice, [await stakingSetMinStake(world, mediaToBaseUnits("25"))]);
    await vote(world, voted, bob, VoteSide.Against);
    const before = await snapshot(bank, [voted]);
    await expectProgramError(
      bank.programs.governance.methods.cancel().accounts({ proposer: alice.wallet.publicKey, proposal: voted }).signers([alice.wallet]).rpc(),
      "ProposalHasVotes",
    );
    // and it cannot be finalized before voting ends
    await expectProgramError(finalize(world, voted), "VotingNotEnded");
    await expectUnchanged(bank, before);
  });

  it("test_set_authority_ok: after governance hands its own authority to its PDA, only a proposal changes its parameters", async () => {
    // Given the deployer names an emergency key and hands governance's authority to its PDA
    const governance = bank.programs.governance;
    await governance.methods.setPauseAuthority(emergency.publicKey).accounts({ authority: bank.payer.publicKey }).rpc();
    await governance.methods.setAuthority(world.governance).accounts({ authority: bank.payer.publicKey }).rpc();
    // When the deployer tries to change a parameter, it fails
    const before = await snapshot(bank, [world.governance]);
    await expectProgramError(
      governance.methods
        .setParams(new BN(2 * 24 * 60 * 60), D.quorumBps, D.proposalThreshold, D.timelock, D.executionWindow)
        .accounts({ authority: bank.payer.publicKey })
        .rpc(),
      "Unauthorized",
    );
    await expectUnchanged(bank, before);
    // Then a passed proposal calling governance's own set_params changes it
    const setParams = await governance.methods
      .setParams(new BN(2 * 24 * 60 * 60), 2_500, D.proposalThreshold, D.timelock, D.executionWindow)
      .accounts({ authority: world.governance })
      .instruction();
    const proposal = await passed([setParams]);
    await execute(world, proposal);
    const config = await governance.account.governanceConfig.fetch(world.governance);
    expect(config.votingPeriod.toNumber()).to.equal(2 * 24 * 60 * 60);
    expect(config.quorumBps).to.equal(2_500);
    // and the proposals that follow use the new voting period
    const next = await propose(world, alice, [await stakingSetMinStake(world, mediaToBaseUnits("25"))]);
    const state = await governance.account.proposal.fetch(next);
    expect(state.votingEndsAt.sub(state.votingStartsAt).toNumber()).to.equal(2 * 24 * 60 * 60);
  });

  it("test_set_paused_ok: the emergency key pauses execution, cannot unpause, and a proposal voted during the pause unpauses governance", async () => {
    const governance = bank.programs.governance;
    // Given a passed staking proposal waiting for execution (under the 2-day voting period set above)
    const pending = await propose(world, alice, [await stakingSetMinStake(world, mediaToBaseUnits("40"))]);
    await vote(world, pending, alice, VoteSide.For);
    await warpSeconds(bank, 2 * 24 * 60 * 60);
    await finalize(world, pending);
    await warpSeconds(bank, TIMELOCK);

    // When the emergency key pauses governance
    await governance.methods.setPaused(true).accounts({ signer: emergency.publicKey }).signers([emergency]).rpc();
    // Then the staking proposal cannot execute (it lifts no pause), and the key cannot unpause
    const before = await snapshot(bank, [pending, world.governance, world.config]);
    await expectProgramError(execute(world, pending), "OnlyPauseLiftsWhilePaused");
    await expectProgramError(governance.methods.setPaused(false).accounts({ signer: emergency.publicKey }).signers([emergency]).rpc(), "Unauthorized");
    await expectUnchanged(bank, before);
    // But a proposal to unpause governance, voted during the pause, executes as soon as voting
    // ends (it only lifts a pause: no timelock), and then the staking one does
    const unpause = await governance.methods.setPaused(false).accounts({ signer: world.governance }).instruction();
    const unpauseProposal = await propose(world, alice, [unpause]);
    await vote(world, unpauseProposal, alice, VoteSide.For);
    await warpSeconds(bank, 2 * 24 * 60 * 60);
    await finalize(world, unpauseProposal);
    await execute(world, unpauseProposal);
    expect(isPausedAt((await governance.account.governanceConfig.fetch(world.governance)).pause, await unixTimestamp(bank))).to.equal(false);
    await execute(world, pending);
    const stakingConfig = await bank.programs.staking.account.stakingConfig.fetch(world.config);
    expect(stakingConfig.minStake.toString()).to.equal((40n * MEDIA).toString());
  });
});
