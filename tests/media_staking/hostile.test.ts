/**
 * Hostile input against media_staking, per the spec's list: each attack must fail with its
 * named error and leave every account it touched byte-identical.
 */
import { Keypair, type PublicKey, type Signer, type TransactionInstruction } from "@solana/web3.js";
import BN from "bn.js";
import { MEDIA_BANDWIDTH_PROGRAM_ID, STAKING_DEFAULTS, stakingConfigPda, stakingVaultPda } from "../../sdk/src";
import { type Bank, startBank, given } from "../utils/bank";
import { expectProgramError, expectUnchanged, snapshot, expectRefused } from "../utils/assertions";
import { type Staker, newStaker, setUpStaking } from "../utils/staking";
import { sendInstruction, unsigned, withAccount, withData } from "../utils/tamper";
import { createMint, createTokenAccount, mintTo } from "../utils/token";
import { MEDIA } from "../utils/constants";

const bn = (value: bigint) => new BN(value.toString());
const U64_MAX = (1n << 64n) - 1n;

describe("media_staking: hostile input", () => {
  const cast = given(async (bank) => {
    const world = await setUpStaking(bank);
    const alice = await newStaker(world, 1_000n * MEDIA);
    const mallory = await newStaker(world, 1_000n * MEDIA);
    await alice.stake(100n * MEDIA);
    await mallory.stake(100n * MEDIA);
    return { world, alice, mallory };
  });

  const refused = (touched: PublicKey[], error: string, attack: () => Promise<unknown>) => expectRefused(cast.bank, touched, error, attack);

  const stakeIx = (staker: Staker, amount: bigint) =>
    cast.bank.programs.staking.methods.stake(bn(amount)).accounts({ owner: staker.wallet.publicKey, ownerTokenAccount: staker.tokenAccount }).instruction();
  const withdrawIx = (staker: Staker) =>
    cast.bank.programs.staking.methods.withdraw().accounts({ owner: staker.wallet.publicKey, ownerTokenAccount: staker.tokenAccount }).instruction();
  const send = (ix: TransactionInstruction, signers: Signer[]) => sendInstruction(cast.bank, ix, signers);
  const everything = () => [
    cast.alice.tokenAccount,
    cast.alice.stakeAccount,
    cast.mallory.tokenAccount,
    cast.mallory.stakeAccount,
    cast.world.vault,
    cast.world.config,
  ];

  describe("initialize_config", () => {
    it("fails when re-initialized: AlreadyInitialized", async () => {
      await refused(everything(), "AlreadyInitialized", () =>
        cast.bank.programs.staking.methods
          .initializeConfig(
            bn(STAKING_DEFAULTS.minStake),
            bn(STAKING_DEFAULTS.unbondingPeriod),
            bn(STAKING_DEFAULTS.quotaBytesPerMedia),
            bn(STAKING_DEFAULTS.rewardDuration),
          )
          .accounts({ authority: cast.bank.payer.publicKey, mediaMint: cast.world.mediaMint })
          .rpc(),
      );
    });

    describe("on a fresh program", () => {
      let fresh: Bank;
      let mint: PublicKey;
      const init = (params = STAKING_DEFAULTS) =>
        fresh.programs.staking.methods
          .initializeConfig(bn(params.minStake), bn(params.unbondingPeriod), bn(params.quotaBytesPerMedia), bn(params.rewardDuration))
          .accounts({ authority: fresh.payer.publicKey, mediaMint: mint })
          .instruction();
      const untouched = () => [stakingConfigPda(), stakingVaultPda()];
      before(async () => {
        fresh = await startBank();
        mint = await createMint(fresh, 6);
      });
      const refusedHere = async (error: string, ix: () => Promise<TransactionInstruction>, signers: Signer[] = []) => {
        const before = await snapshot(fresh, untouched());
        await expectProgramError(sendInstruction(fresh, await ix(), signers), error);
        await expectUnchanged(fresh, before);
      };

      it("fails with a config address that is not the PDA: InvalidPda", async () => {
        const fake = Keypair.generate();
        await refusedHere("InvalidPda", async () => withAccount(await init(), 1, fake.publicKey));
      });
      it("fails with a fake token program: InvalidTokenProgram", async () => {
        await refusedHere("InvalidTokenProgram", async () => withAccount(await init(), 4, MEDIA_BANDWIDTH_PROGRAM_ID));
      });
      it("fails when the mint is not a mint: InvalidMint", async () => {
        const notAMint = await createTokenAccount(fresh, mint, fresh.payer.publicKey);
        await refusedHere("InvalidMint", async () => withAccount(await init(), 3, notAMint));
      });
      it("fails with a minimum stake outside its bounds: ParameterOutOfBounds", async () => {
        await refusedHere("ParameterOutOfBounds", () => init({ ...STAKING_DEFAULTS, minStake: 0n }));
        await refusedHere("ParameterOutOfBounds", () => init({ ...STAKING_DEFAULTS, unbondingPeriod: 1n }));
        await refusedHere("ParameterOutOfBounds", () => init({ ...STAKING_DEFAULTS, rewardDuration: 3_600n }));
      });
      it("fails with truncated or oversized instruction data: InvalidInstructionData", async () => {
        await refusedHere("InvalidInstructionData", async () => {
          const ix = await init();
          return withData(ix, ix.data.subarray(8, 20));
        });
        await refusedHere("InvalidInstructionData", async () => {
          const ix = await init();
          return withData(ix, Buffer.concat([ix.data.subarray(8), Buffer.from([0])]));
        });
      });
      it("fails with an unknown or short discriminator", async () => {
        await refusedHere("UnknownInstruction", async () => withData(await init(), Buffer.alloc(32, 7), false));
        await refusedHere("InvalidInstructionData", async () => withData(await init(), Buffer.from([1, 2, 3]), false));
      });
    });
  });

  describe("stake", () => {
    /** A stake of 30 MEDIA by `staker` with account `slot` (in the IDL's order) swapped for `account`. */
    const stakeWith = async (staker: Staker, slot: number, account: PublicKey) =>
      send(withAccount(await stakeIx(staker, 30n * MEDIA), slot, account), [staker.wallet]);
    // What the attacker passes, the error, who stakes, the slot, the account, and whether that account is a new one to watch too
    const swaps: [string, string, () => Staker, number, () => Promise<PublicKey>, boolean][] = [
      ["a fake token program", "InvalidTokenProgram", () => cast.alice, 5, async () => MEDIA_BANDWIDTH_PROGRAM_ID, false],
      [
        "a vault that is not the staking vault",
        "InvalidVault",
        () => cast.alice,
        4,
        () => createTokenAccount(cast.bank, cast.world.mediaMint, cast.mallory.wallet.publicKey),
        true,
      ],
      [
        "the vault passed as the owner's token account too (the staker does not own it)",
        "SplToken.OwnerMismatch",
        () => cast.alice,
        1,
        async () => cast.world.vault,
        false,
      ],
      ["another wallet's stake account", "StakeOwnerMismatch", () => cast.mallory, 3, async () => cast.alice.stakeAccount, false],
      ["a stake account address that is not the PDA", "InvalidPda", () => cast.mallory, 3, async () => Keypair.generate().publicKey, true],
      ["the config where the stake account goes (type confusion)", "InvalidDiscriminator", () => cast.mallory, 3, async () => cast.world.config, false],
      ["a stake account where the config goes (type confusion)", "InvalidDiscriminator", () => cast.mallory, 2, async () => cast.alice.stakeAccount, false],
      ["a config not owned by the program", "InvalidAccountOwner", () => cast.mallory, 2, async () => cast.mallory.wallet.publicKey, false],
    ];
    for (const [what, error, staker, slot, account, watched] of swaps) {
      it(`fails with ${what}: ${error}`, async () => {
        const swapped = await account();
        await refused(watched ? [...everything(), swapped] : everything(), error, () => stakeWith(staker(), slot, swapped));
      });
    }
    it("fails when the new active stake overflows u64: ArithmeticOverflow", async () => {
      await refused(everything(), "ArithmeticOverflow", async () => send(await stakeIx(cast.alice, U64_MAX - 1n), [cast.alice.wallet]));
    });
    it("fails with a zero amount: ZeroAmount", async () => {
      await refused(everything(), "ZeroAmount", async () => send(await stakeIx(cast.alice, 0n), [cast.alice.wallet]));
    });
    it("fails with truncated or oversized arguments: InvalidInstructionData", async () => {
      await refused(everything(), "InvalidInstructionData", async () => {
        const ix = await stakeIx(cast.alice, 30n * MEDIA);
        return send(withData(ix, ix.data.subarray(8, 12)), [cast.alice.wallet]);
      });
      await refused(everything(), "InvalidInstructionData", async () => {
        const ix = await stakeIx(cast.alice, 30n * MEDIA);
        return send(withData(ix, Buffer.concat([ix.data.subarray(8), Buffer.alloc(1)])), [cast.alice.wallet]);
      });
    });
    it("fails when fewer accounts are passed than it needs: NotEnoughAccounts", async () => {
      await refused(everything(), "NotEnoughAccounts", async () => {
        const ix = await stakeIx(cast.alice, 30n * MEDIA);
        ix.keys = ix.keys.slice(0, 4);
        return send(ix, [cast.alice.wallet]);
      });
    });
  });

  describe("request_unstake, cancel_unstake, withdraw", () => {
    it("request_unstake fails without the owner's signature: MissingSigner", async () => {
      await refused(everything(), "MissingSigner", async () =>
        send(unsigned(await cast.bank.clients.staking.requestUnstakeInstruction(10n * MEDIA, cast.alice.wallet.publicKey), cast.alice.wallet), []),
      );
    });
    it("request_unstake fails on another wallet's stake account: StakeOwnerMismatch", async () => {
      await refused(everything(), "StakeOwnerMismatch", async () => {
        const ix = await cast.bank.clients.staking.requestUnstakeInstruction(10n * MEDIA, cast.mallory.wallet.publicKey);
        return send(withAccount(ix, 2, cast.alice.stakeAccount), [cast.mallory.wallet]);
      });
    });
    it("request_unstake fails for more than the active stake: InsufficientActiveStake", async () => {
      await refused(everything(), "InsufficientActiveStake", () => cast.bank.clients.staking.requestUnstake(101n * MEDIA, { signer: cast.alice.wallet }));
    });
    it("cancel_unstake fails with nothing unbonding: NothingUnbonding", async () => {
      await refused(everything(), "NothingUnbonding", () => cast.bank.clients.staking.cancelUnstake({ signer: cast.alice.wallet }));
    });
    it("withdraw fails with a fake vault: InvalidVault", async () => {
      const fakeVault = await createTokenAccount(cast.bank, cast.world.mediaMint, cast.mallory.wallet.publicKey);
      await refused([...everything(), fakeVault], "InvalidVault", async () =>
        send(withAccount(await withdrawIx(cast.alice), 4, fakeVault), [cast.alice.wallet]),
      );
    });
    it("withdraw fails with the vault as destination: DuplicateAccount", async () => {
      await refused(everything(), "DuplicateAccount", async () => send(withAccount(await withdrawIx(cast.alice), 1, cast.world.vault), [cast.alice.wallet]));
    });
    it("withdraw fails with a fake token program: InvalidTokenProgram", async () => {
      await refused(everything(), "InvalidTokenProgram", async () =>
        send(withAccount(await withdrawIx(cast.alice), 5, MEDIA_BANDWIDTH_PROGRAM_ID), [cast.alice.wallet]),
      );
    });
  });

  describe("fund_rewards and claim_rewards", () => {
    it("fund_rewards fails with tokens of another mint: the token program refuses them with MintMismatch", async () => {
      const otherMint = await createMint(cast.bank, 6);
      const otherAccount = await createTokenAccount(cast.bank, otherMint, cast.mallory.wallet.publicKey);
      // Funded, so that the mint is what the token program refuses, not the balance
      await mintTo(cast.bank, otherMint, otherAccount, MEDIA);
      await refused([...everything(), otherAccount], "SplToken.MintMismatch", () =>
        cast.bank.programs.staking.methods
          .fundRewards(bn(MEDIA))
          .accounts({ funder: cast.mallory.wallet.publicKey, funderTokenAccount: otherAccount })
          .signers([cast.mallory.wallet])
          .rpc(),
      );
    });
    it("claim_rewards fails on another wallet's stake account: StakeOwnerMismatch", async () => {
      await refused(everything(), "StakeOwnerMismatch", async () => {
        const ix = await cast.bank.programs.staking.methods
          .claimRewards()
          .accounts({ owner: cast.mallory.wallet.publicKey, ownerTokenAccount: cast.mallory.tokenAccount })
          .instruction();
        return send(withAccount(ix, 3, cast.alice.stakeAccount), [cast.mallory.wallet]);
      });
    });
  });
});
