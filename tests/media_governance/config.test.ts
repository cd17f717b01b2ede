/**
 * Governance's own config: bounds, the pause switch, cancel and finalize rules, and
 * governance governing itself once its authority is its own PDA (its setters are the only
 * instructions of its own that a proposal may call).
 */
import { bn } from "../utils/constants";
import { Keypair, PublicKey } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import {
  GOVERNANCE_DEFAULTS,
  GOVERNANCE_SEEDS,
  STAKING_SEEDS,
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
import { warpSeconds, unixTimestamp, given } from "../utils/bank";
import { expectProgramError, expectUnchanged, snapshot } from "../utils/assertions";
import { execute, finalize, propose, setUpGovernedStaking, stakingSetMinStake, vote } from "../utils/governance";
import { airdrop } from "../utils/token";
import { MEDIA } from "../utils/constants";

const D = GOVERNANCE_DEFAULTS;
const VOTING_PERIOD = Number(D.votingPeriod);
const TIMELOCK = Number(D.timelock);

describe("media_governance: config, pause, cancel and self-governance", () => {
  const emergency = Keypair.generate();

  /** A passed proposal carrying `instructions`, its timelock over. */
  async function passed(instructions: Parameters<typeof propose>[2]): Promise<PublicKey> {
    const proposal = await propose(cast.world, cast.alice, instructions);
    await vote(cast.world, proposal, cast.alice, VoteSide.For);
    await warpSeconds(cast.bank, VOTING_PERIOD);
    await finalize(cast.world, proposal);
    await warpSeconds(cast.bank, TIMELOCK);
    return proposal;
  }

  const cast = given(async (bank) => {
    await airdrop(bank, emergency.publicKey);
    const { world, stakers } = await setUpGovernedStaking(bank, [
      [1_000n * MEDIA, 200n * MEDIA],
      [1_000n * MEDIA, 100n * MEDIA],
    ]);
    const [alice, bob] = stakers;
    return { world, alice, bob };
  });

  it("initialize_config succeeds: the defaults, the deployer as authority and pause authority, and the staking config the IDL derives from staking's id", async () => {
    const config = await cast.bank.programs.governance.account.governanceConfig.fetch(cast.world.governance);
    expect(config.votingPeriod.toString()).to.equal(D.votingPeriod.toString());
    expect(config.quorumBps).to.equal(D.quorumBps);
    expect(config.proposalThreshold.toString()).to.equal(D.proposalThreshold.toString());
    expect(config.authority.toBase58()).to.equal(cast.bank.payer.publicKey.toBase58());
    expect(config.pauseAuthority.toBase58()).to.equal(cast.bank.payer.publicKey.toBase58());
    // and the vote authority (staking's only lock_stake signer) with its canonical bump
    const [voteAuthority, bump] = PublicKey.findProgramAddressSync([GOVERNANCE_SEEDS.voteAuthority], cast.world.bank.programs.governance.programId);
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
      ).to.deep.equal([STAKING_SEEDS.config.toString()]);
      expect(Buffer.from(staking.pda?.program?.value ?? []).equals(MEDIA_STAKING_PROGRAM_ID.toBuffer()), ix.name).to.equal(true);
      const [derived] = PublicKey.findProgramAddressSync(
        seeds.map((seed) => Buffer.from(seed.value ?? [])),
        new PublicKey(staking.pda!.program!.value!),
      );
      expect(derived.equals(stakingConfigPda(MEDIA_STAKING_PROGRAM_ID)), ix.name).to.equal(true);
    }
  });

  it("initialize_config fails when already initialized: AlreadyInitialized", async () => {
    const before = await snapshot(cast.bank, [cast.world.governance]);
    await expectProgramError(
      cast.bank.programs.governance.methods
        .initializeConfig(bn(D.votingPeriod), D.quorumBps, bn(D.proposalThreshold), bn(D.timelock), bn(D.executionWindow))
        .accounts({ authority: cast.bank.payer.publicKey })
        .rpc(),
      "AlreadyInitialized",
    );
    await expectUnchanged(cast.bank, before);
  });

  it("set_params fails when out of bounds: a 15-day voting period or a 0.5% quorum fails with ParameterOutOfBounds", async () => {
    const before = await snapshot(cast.bank, [cast.world.governance]);
    const setParams = (votingPeriod: BN, quorumBps: number) =>
      cast.bank.programs.governance.methods
        .setParams(votingPeriod, quorumBps, bn(D.proposalThreshold), bn(D.timelock), bn(D.executionWindow))
        .accounts({ authority: cast.bank.payer.publicKey })
        .rpc();
    await expectProgramError(setParams(new BN(15 * 24 * 60 * 60), D.quorumBps), "ParameterOutOfBounds");
    await expectProgramError(setParams(bn(D.votingPeriod), 50), "ParameterOutOfBounds");
    await expectUnchanged(cast.bank, before);
  });

  it("set_params fails when the timelock is shorter than the unbonding period: a 6-day timelock is out of bounds; the default is the unbonding period", async () => {
    // A staker who disagrees must be able to unbond (7 days by default) before a passed proposal executes
    expect(D.timelock >= STAKING_DEFAULTS.unbondingPeriod).to.equal(true);
    const before = await snapshot(cast.bank, [cast.world.governance]);
    await expectProgramError(
      cast.bank.programs.governance.methods
        .setParams(bn(D.votingPeriod), D.quorumBps, bn(D.proposalThreshold), new BN(6 * 24 * 60 * 60), bn(D.executionWindow))
        .accounts({ authority: cast.bank.payer.publicKey })
        .rpc(),
      "ParameterOutOfBounds",
    );
    await expectUnchanged(cast.bank, before);
  });

  it("cancel succeeds: the proposer cancels before any vote; after a vote, cancelling fails with ProposalHasVotes", async () => {
    const proposal = await propose(cast.world, cast.alice, [await stakingSetMinStake(cast.world, mediaToBaseUnits("25"))]);
    await expectProgramError(
      cast.bank.programs.governance.methods.cancel().accounts({ proposer: cast.bob.wallet.publicKey, proposal }).signers([cast.bob.wallet]).rpc(),
      "NotProposer",
    );
    await cast.bank.programs.governance.methods.cancel().accounts({ proposer: cast.alice.wallet.publicKey, proposal }).signers([cast.alice.wallet]).rpc();
    expect((await cast.bank.programs.governance.account.proposal.fetch(proposal)).state).to.deep.equal(ProposalState.Cancelled);
    await expectProgramError(vote(cast.world, proposal, cast.bob, VoteSide.For), "ProposalNotVoting");

    const voted = await propose(cast.world, cast.alice, [await stakingSetMinStake(cast.world, mediaToBaseUnits("25"))]);
    await vote(cast.world, voted, cast.bob, VoteSide.Against);
    const before = await snapshot(cast.bank, [voted]);
    await expectProgramError(
      cast.bank.programs.governance.methods.cancel().accounts({ proposer: cast.alice.wallet.publicKey, proposal: voted }).signers([cast.alice.wallet]).rpc(),
      "ProposalHasVotes",
    );
    // and it cannot be finalized before voting ends
    await expectProgramError(finalize(cast.world, voted), "VotingNotEnded");
    await expectUnchanged(cast.bank, before);
  });

  it("set_authority succeeds: after governance hands its own authority to its PDA, only a proposal changes its parameters", async () => {
    // Given the deployer names an emergency key and hands governance's authority to its PDA
    const governance = cast.bank.programs.governance;
    await governance.methods.setPauseAuthority(emergency.publicKey).accounts({ authority: cast.bank.payer.publicKey }).rpc();
    await governance.methods.setAuthority(cast.world.governance).accounts({ authority: cast.bank.payer.publicKey }).rpc();
    // When the deployer tries to change a parameter, it fails
    const before = await snapshot(cast.bank, [cast.world.governance]);
    await expectProgramError(
      governance.methods
        .setParams(new BN(2 * 24 * 60 * 60), D.quorumBps, bn(D.proposalThreshold), bn(D.timelock), bn(D.executionWindow))
        .accounts({ authority: cast.bank.payer.publicKey })
        .rpc(),
      "Unauthorized",
    );
    await expectUnchanged(cast.bank, before);
    // Then a passed proposal calling governance's own set_params changes it
    const setParams = await governance.methods
      .setParams(new BN(2 * 24 * 60 * 60), 2_500, bn(D.proposalThreshold), bn(D.timelock), bn(D.executionWindow))
      .accounts({ authority: cast.world.governance })
      .instruction();
    const proposal = await passed([setParams]);
    await execute(cast.world, proposal);
    const config = await governance.account.governanceConfig.fetch(cast.world.governance);
    expect(config.votingPeriod.toNumber()).to.equal(2 * 24 * 60 * 60);
    expect(config.quorumBps).to.equal(2_500);
    // and the proposals that follow use the new voting period
    const next = await propose(cast.world, cast.alice, [await stakingSetMinStake(cast.world, mediaToBaseUnits("25"))]);
    const state = await governance.account.proposal.fetch(next);
    expect(state.votingEndsAt.sub(state.votingStartsAt).toNumber()).to.equal(2 * 24 * 60 * 60);
  });

  it("set_paused succeeds: the emergency key pauses execution, cannot unpause, and a proposal voted during the pause unpauses governance", async () => {
    const governance = cast.bank.programs.governance;
    // Given a passed staking proposal waiting for execution (under the 2-day voting period set above)
    const pending = await propose(cast.world, cast.alice, [await stakingSetMinStake(cast.world, mediaToBaseUnits("40"))]);
    await vote(cast.world, pending, cast.alice, VoteSide.For);
    await warpSeconds(cast.bank, 2 * 24 * 60 * 60);
    await finalize(cast.world, pending);
    await warpSeconds(cast.bank, TIMELOCK);

    // When the emergency key pauses governance
    await governance.methods.setPaused(true).accounts({ signer: emergency.publicKey }).signers([emergency]).rpc();
    // Then the staking proposal cannot execute (it lifts no pause), and the key cannot unpause
    const before = await snapshot(cast.bank, [pending, cast.world.governance, cast.world.config]);
    await expectProgramError(execute(cast.world, pending), "OnlyPauseLiftsWhilePaused");
    await expectProgramError(governance.methods.setPaused(false).accounts({ signer: emergency.publicKey }).signers([emergency]).rpc(), "Unauthorized");
    await expectUnchanged(cast.bank, before);
    // But a proposal to unpause governance, voted during the pause, executes as soon as voting
    // ends (it only lifts a pause: no timelock), and then the staking one does
    const unpause = await governance.methods.setPaused(false).accounts({ signer: cast.world.governance }).instruction();
    const unpauseProposal = await propose(cast.world, cast.alice, [unpause]);
    await vote(cast.world, unpauseProposal, cast.alice, VoteSide.For);
    await warpSeconds(cast.bank, 2 * 24 * 60 * 60);
    await finalize(cast.world, unpauseProposal);
    await execute(cast.world, unpauseProposal);
    expect(isPausedAt((await governance.account.governanceConfig.fetch(cast.world.governance)).pause, await unixTimestamp(cast.bank))).to.equal(false);
    await execute(cast.world, pending);
    const stakingConfig = await cast.bank.programs.staking.account.stakingConfig.fetch(cast.world.config);
    expect(stakingConfig.minStake.toString()).to.equal((40n * MEDIA).toString());
  });
});
