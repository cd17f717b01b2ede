/**
 * Events read with their transaction. The staking program logs what only the program knows (the
 * positions after the call) and leaves to the transaction what it already holds: the staker who
 * signed and the amount asked for. A dApp or an indexer that reads the transaction gets every
 * event whole, and the instruction it came from, through `MediaEconomy.transactionEvents`.
 */
import { Transaction } from "@solana/web3.js";
import { expect } from "chai";
import { EVENT_FIELDS_FROM_INSTRUCTION, MEDIA_IDLS, type MediaTransactionEvent, VoteSide, minimumAmount, signReceipt } from "../../sdk/src";
import { eventsOf } from "../utils/assertions";
import { given, runtimeName, warpSeconds } from "../utils/bank";
import { GIB, MEDIA, newConsumer, newOperator, openEscrow, settle, setUpBandwidth } from "../utils/bandwidth";
import { UNBONDING_PERIOD } from "../utils/constants";
import { propose, setUpGovernedStaking, stakingSetMinStake, vote } from "../utils/governance";
import { newStaker, setUpStaking } from "../utils/staking";

const DAY = 24 * 60 * 60;

/** The fields of `event` as plain values: keys base58, integers bigint. */
function plain(event: MediaTransactionEvent): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(event.data).map(([key, value]) => [key, typeof (value as { toBase58?: unknown })?.toBase58 === "function" ? String(value) : value]),
  );
}

describe("sdk: events read with their transaction", () => {
  describe("a staker's own instructions", () => {
    const cast = given(async (bank) => {
      const world = await setUpStaking(bank);
      const funder = await newStaker(world, 1_000n * MEDIA);
      const alice = await newStaker(world, 500n * MEDIA);
      const bob = await newStaker(world, 500n * MEDIA);
      return { world, funder, alice, bob };
    });

    it("stake, unbond, rebond, withdraw and claim: each event is whole, with the staker and the amount the instruction holds", async () => {
      const { bank } = cast;
      const alice = cast.alice.wallet.publicKey.toBase58();
      const events = async (signature: string) => (await bank.clients.transactionEvents(signature)).map((event) => ({ name: event.name, data: plain(event) }));

      // When Alice stakes 100 MEDIA, the log holds her new position only
      const stakeSignature = await cast.alice.stake(100n * MEDIA);
      const logged = eventsOf(bank, stakeSignature, bank.programs.staking as never);
      expect(logged.map((event) => Object.keys(event.data))).to.deep.equal([["active", "totalActive"]]);
      // Then read with its transaction, the event names her and the amount
      expect(await events(stakeSignature)).to.deep.equal([
        { name: "staked", data: { owner: alice, amount: 100n * MEDIA, active: 100n * MEDIA, totalActive: 100n * MEDIA } },
      ]);

      // When she unbonds 40 and rebonds it
      const requested = await events(await cast.alice.requestUnstake(40n * MEDIA));
      expect(requested).to.have.length(1);
      expect(requested[0].name).to.equal("unstakeRequested");
      expect(requested[0].data).to.deep.include({ owner: alice, amount: 40n * MEDIA, active: 60n * MEDIA, unbonding: 40n * MEDIA });
      expect(await events(await cast.alice.cancelUnstake())).to.deep.equal([
        { name: "unstakeCancelled", data: { owner: alice, amount: 40n * MEDIA, active: 100n * MEDIA } },
      ]);

      // When she unbonds 30 and withdraws it after the unbonding period
      await cast.alice.requestUnstake(30n * MEDIA);
      await warpSeconds(bank, UNBONDING_PERIOD + 1);
      expect(await events(await cast.alice.withdraw())).to.deep.equal([{ name: "withdrawn", data: { owner: alice, amount: 30n * MEDIA } }]);

      // When rewards stream for a day and she claims them
      await cast.funder.fundRewards(700n * MEDIA);
      await warpSeconds(bank, DAY);
      const position = await bank.clients.staking.position(cast.alice.wallet.publicKey);
      const claimed = await events(await cast.alice.claimRewards());
      expect(claimed).to.deep.equal([{ name: "rewardsClaimed", data: { owner: alice, amount: position?.claimable } }]);
      expect((position?.claimable ?? 0n) > 0n, "a day of rewards").to.equal(true);
    });

    it("two stakers in one transaction: each Staked is made whole from its own instruction", async () => {
      const { bank } = cast;
      const staking = bank.clients.staking;
      const transaction = new Transaction().add(
        await staking.stakeInstruction(25n * MEDIA, cast.alice.wallet.publicKey, cast.alice.tokenAccount),
        await staking.stakeInstruction(70n * MEDIA, cast.bob.wallet.publicKey, cast.bob.tokenAccount),
      );
      const signature = await bank.provider.sendAndConfirm(transaction, [cast.alice.wallet, cast.bob.wallet]);
      const staked = await bank.clients.transactionEvents(signature);
      expect(staked.map((event) => [event.name, event.instructionIndex, String(event.data.owner), event.data.amount])).to.deep.equal([
        ["staked", 0, cast.alice.wallet.publicKey.toBase58(), 25n * MEDIA],
        ["staked", 1, cast.bob.wallet.publicKey.toBase58(), 70n * MEDIA],
      ]);
      // and each names the instruction it came from, with its accounts and arguments
      expect(staked.map((event) => [event.instruction?.name, String(event.instruction?.accounts.owner), event.instruction?.args.amount])).to.deep.equal([
        ["stake", cast.alice.wallet.publicKey.toBase58(), 25n * MEDIA],
        ["stake", cast.bob.wallet.publicKey.toBase58(), 70n * MEDIA],
      ]);
    });
  });

  describe("a receipt settled after its Ed25519 check", () => {
    const cast = given(async (bank) => {
      const world = await setUpBandwidth(bank);
      const operator = await newOperator(world, 100n * MEDIA);
      const consumer = await newConsumer(world);
      const escrow = await openEscrow(world, consumer, operator, world.mediaMint, 100n * MEDIA);
      return { world, consumer, escrow };
    });

    it("ReceiptSettled comes with settle_receipt at its real index, though the precompile before it logs nothing", async () => {
      const { bank, world, consumer, escrow } = cast;
      const receipt = await signReceipt(consumer.wallet, escrow.escrow, escrow.nonce, GIB, minimumAmount(GIB, escrow.pricePerGib));
      const events = await bank.clients.transactionEvents(await settle(world, escrow, receipt));
      expect(events.map((event) => [event.program, event.name, event.instructionIndex, event.instruction?.name])).to.deep.equal([
        ["bandwidth", "receiptSettled", 1, "settleReceipt"],
      ]);
      expect(String(events[0].instruction?.accounts.escrow)).to.equal(escrow.escrow.toBase58());
      expect(String(events[0].data.escrow)).to.equal(escrow.escrow.toBase58());
    });
  });

  describe("a vote, which locks the voter's stake through staking", () => {
    const cast = given(async (bank) => {
      const { world, stakers } = await setUpGovernedStaking(bank, [[300n * MEDIA, 200n * MEDIA]]);
      return { world, carol: stakers[0] };
    });

    it("StakeLocked comes with lock_stake where the runtime reports inner instructions, and with none where it does not", async () => {
      const { bank, world, carol } = cast;
      const proposal = await propose(world, carol, [await stakingSetMinStake(world, 50n * MEDIA)]);
      const events = await bank.clients.transactionEvents(await vote(world, proposal, carol, VoteSide.For));
      expect(events.map((event) => [event.program, event.name])).to.deep.equal([
        ["staking", "stakeLocked"],
        ["governance", "voteCast"],
      ]);
      expect(events[1].instruction?.name).to.equal("castVote");
      if (runtimeName() === "litesvm") {
        // LiteSVM reports the cross-program call, as an RPC node does
        expect(events[0].instruction?.name).to.equal("lockStake");
        expect(events[0].instruction?.args.until).to.equal(events[0].data.until);
      } else {
        // solana-bankrun keeps no inner instructions: the event is as logged, and nothing is guessed
        expect(events[0].instruction).to.equal(undefined);
      }
    });
  });

  it("every field an event leaves to its instruction is an account or argument of that instruction, and not logged", () => {
    let checked = 0;
    for (const [program, instructions] of Object.entries(EVENT_FIELDS_FROM_INSTRUCTION)) {
      const idl = MEDIA_IDLS[program as keyof typeof MEDIA_IDLS];
      for (const [instruction, events] of Object.entries(instructions)) {
        const definition = idl.instructions.find((candidate) => candidate.name === instruction);
        expect(definition, `${program}.${instruction} in the IDL`).to.not.equal(undefined);
        const shown = [...(definition?.accounts ?? []).map((account) => account.name), ...(definition?.args ?? []).map((arg) => arg.name)];
        for (const [event, fields] of Object.entries(events)) {
          expect(
            idl.events?.map((candidate) => candidate.name),
            `${program} emits ${event}`,
          ).to.include(event);
          const type = idl.types?.find((candidate) => candidate.name === event)?.type;
          const logged = type?.kind === "struct" ? (type.fields ?? []).map((field) => (field as { name: string }).name) : [];
          for (const [field, source] of Object.entries(fields)) {
            expect(shown, `${program}.${event}.${field} is ${instruction}'s ${source}`).to.include(source);
            expect(logged, `${program}.${event}.${field} is not logged`).to.not.include(field);
            checked += 1;
          }
        }
      }
    }
    expect(checked, "fields left to instructions").to.equal(79);
  });
});
