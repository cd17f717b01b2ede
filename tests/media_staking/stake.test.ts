/**
 * The 25 MEDIA minimum, told as a staker's first steps: stake exactly the minimum, and a
 * second wallet one base unit short of it.
 */
import { createApproveInstruction, getAccount } from "@solana/spl-token";
import { type PublicKey, SystemProgram, Transaction } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import { mediaToBaseUnits } from "../../sdk/src";
import { given } from "../utils/bank";
import { eventsOf, expectProgramError, expectUnchanged, snapshot, expectRefused } from "../utils/assertions";
import { newStaker, setUpStaking } from "../utils/staking";
import { createMint, createTokenAccount, mintTo, tokenBalance } from "../utils/token";
import { MEDIA, MIN_STAKE } from "../utils/constants";

describe("media_staking: stake", () => {
  const cast = given(async (bank) => {
    const world = await setUpStaking(bank);
    return { world };
  });

  it("stake succeeds: stakes exactly 25 MEDIA into the vault and emits Staked, whole with its transaction", async () => {
    // Given a staker holding 100 MEDIA
    const staker = await newStaker(cast.world, 100n * MEDIA);
    // When they stake exactly the minimum
    const signature = await staker.stake(mediaToBaseUnits("25"));
    // Then the vault holds it, the stake account records it, and the event says so
    expect(await tokenBalance(cast.bank, cast.world.vault)).to.equal(MIN_STAKE);
    expect(await tokenBalance(cast.bank, staker.tokenAccount)).to.equal(75n * MEDIA);
    const account = await cast.bank.programs.staking.account.stakeAccount.fetch(staker.stakeAccount);
    expect(account.owner.toBase58()).to.equal(staker.wallet.publicKey.toBase58());
    expect(account.active.toString()).to.equal(MIN_STAKE.toString());
    expect(account.unbonding.toNumber()).to.equal(0);
    const config = await cast.bank.programs.staking.account.stakingConfig.fetch(cast.world.config);
    expect(config.totalActive.toString()).to.equal(MIN_STAKE.toString());

    // The log carries the new positions only: who staked and how much are the instruction's
    const events = eventsOf(cast.bank, signature, cast.bank.programs.staking as never);
    expect(events.map((e) => e.name)).to.deep.equal(["staked"]);
    expect(Object.keys(events[0].data)).to.deep.equal(["active", "totalActive"]);
    expect(events[0].data.active.toString()).to.equal(MIN_STAKE.toString());
    // Read with its transaction, the event is whole
    const [staked] = await cast.bank.clients.transactionEvents(signature);
    expect(staked.name).to.equal("staked");
    expect((staked.data.owner as PublicKey).toBase58()).to.equal(staker.wallet.publicKey.toBase58());
    expect(staked.data).to.deep.include({ amount: MIN_STAKE, active: MIN_STAKE, totalActive: MIN_STAKE });
  });

  it("stake fails when below minimum: 24.999999 MEDIA fails with StakeBelowMinimum and changes nothing", async () => {
    const staker = await newStaker(cast.world, 100n * MEDIA);
    await expectRefused(cast.bank, [staker.tokenAccount, staker.stakeAccount, cast.world.vault, cast.world.config], "StakeBelowMinimum", () =>
      staker.stake(mediaToBaseUnits("24.999999")),
    );
    expect(await tokenBalance(cast.bank, staker.tokenAccount)).to.equal(100n * MEDIA);
  });

  it("stake fails when wrong mint: a token account of another mint fails in the token program with MintMismatch", async () => {
    const staker = await newStaker(cast.world, 0n);
    const fakeMedia = await createMint(cast.bank, 6);
    const fakeAccount = await createTokenAccount(cast.bank, fakeMedia, staker.wallet.publicKey);
    await mintTo(cast.bank, fakeMedia, fakeAccount, 100n * MEDIA);
    const before = await snapshot(cast.bank, [fakeAccount, staker.stakeAccount, cast.world.vault, cast.world.config]);
    await expectProgramError(
      cast.bank.programs.staking.methods
        .stake(new BN((30n * MEDIA).toString()))
        .accounts({ owner: staker.wallet.publicKey, ownerTokenAccount: fakeAccount })
        .signers([staker.wallet])
        .rpc(),
      "SplToken.MintMismatch",
    );
    await expectUnchanged(cast.bank, before);
  });

  it("stake fails when owner did not sign: fails with MissingSigner", async () => {
    const staker = await newStaker(cast.world, 100n * MEDIA);
    // The instruction names the staker as owner but only the fee payer signs.
    const ix = await cast.bank.programs.staking.methods
      .stake(new BN((30n * MEDIA).toString()))
      .accounts({ owner: staker.wallet.publicKey, ownerTokenAccount: staker.tokenAccount })
      .instruction();
    const owner = ix.keys.find((key) => key.pubkey.equals(staker.wallet.publicKey));
    if (!owner) throw new Error("owner missing from the instruction");
    owner.isSigner = false;
    await expectRefused(cast.bank, [staker.tokenAccount, staker.stakeAccount, cast.world.vault, cast.world.config], "MissingSigner", () =>
      cast.bank.provider.sendAndConfirm(new Transaction().add(ix)),
    );
    expect((await getAccount(cast.bank.provider.connection, staker.tokenAccount)).amount).to.equal(100n * MEDIA);
  });

  it("stake fails when token account is someone elses: the token program refuses the thief with OwnerMismatch", async () => {
    // Given a victim's MEDIA account and a thief with SOL of their own
    const victim = await newStaker(cast.world, 100n * MEDIA);
    const thief = await newStaker(cast.world, 0n);
    const before = await snapshot(cast.bank, [victim.tokenAccount, thief.stakeAccount, cast.world.vault, cast.world.config]);
    // When the thief stakes from the victim's account, signing as owner themselves
    await expectProgramError(
      cast.bank.programs.staking.methods
        .stake(new BN((30n * MEDIA).toString()))
        .accounts({ owner: thief.wallet.publicKey, ownerTokenAccount: victim.tokenAccount })
        .signers([thief.wallet])
        .rpc(),
      "SplToken.OwnerMismatch",
    );
    // Then nothing moved
    await expectUnchanged(cast.bank, before);
  });

  it("stake succeeds from an account the staker may spend by approval: the token program moves at most the allowance, and the stake is the signer's", async () => {
    // Given a holder who approves a spender for 30 of their 100 MEDIA (SPL Token's delegate)
    const holder = await newStaker(cast.world, 100n * MEDIA);
    const spender = await newStaker(cast.world, 0n);
    await cast.bank.provider.sendAndConfirm(
      new Transaction().add(createApproveInstruction(holder.tokenAccount, spender.wallet.publicKey, holder.wallet.publicKey, 30n * MEDIA)),
      [holder.wallet],
    );
    const stakeFromHolder = (amount: bigint) =>
      cast.bank.programs.staking.methods
        .stake(new BN(amount.toString()))
        .accounts({ owner: spender.wallet.publicKey, ownerTokenAccount: holder.tokenAccount })
        .signers([spender.wallet])
        .rpc();
    // When the spender stakes more than the allowance, the token program refuses it
    const touched = [holder.tokenAccount, spender.stakeAccount, cast.world.vault, cast.world.config];
    await expectRefused(cast.bank, touched, "SplToken.InsufficientFunds", () => stakeFromHolder(31n * MEDIA));
    // Then the allowance itself moves: the stake is the spender's, and the holder keeps the rest
    await stakeFromHolder(30n * MEDIA);
    const stake = await cast.bank.programs.staking.account.stakeAccount.fetch(spender.stakeAccount);
    expect(stake.owner.toBase58()).to.equal(spender.wallet.publicKey.toBase58());
    expect(stake.active.toString()).to.equal((30n * MEDIA).toString());
    expect(await tokenBalance(cast.bank, holder.tokenAccount)).to.equal(70n * MEDIA);
    expect((await getAccount(cast.bank.provider.connection, holder.tokenAccount)).delegatedAmount).to.equal(0n);
  });

  it("stake succeeds on an address an attacker funded first: the stake account opens all the same", async () => {
    // Creating a PDA must not be blockable by sending lamports to its address beforehand: below
    // the rent the program tops it up, above it the program only allocates and assigns it
    for (const lamports of [890_880, 10_000_000]) {
      const staker = await newStaker(cast.world, 100n * MEDIA);
      await cast.bank.provider.sendAndConfirm(
        new Transaction().add(SystemProgram.transfer({ fromPubkey: cast.bank.payer.publicKey, toPubkey: staker.stakeAccount, lamports })),
      );
      await staker.stake(MIN_STAKE);
      const info = await cast.bank.runtime.getAccount(staker.stakeAccount);
      expect(info?.owner.toBase58(), `${lamports} lamports sent first`).to.equal(cast.bank.programs.staking.programId.toBase58());
      expect(Number(info?.lamports) >= lamports).to.equal(true);
      const account = await cast.bank.programs.staking.account.stakeAccount.fetch(staker.stakeAccount);
      expect(account.owner.toBase58()).to.equal(staker.wallet.publicKey.toBase58());
      expect(account.active.toString()).to.equal(MIN_STAKE.toString());
    }
  });
});
