/**
 * The SDK as a dApp developer meets it: one `MediaEconomy` over a provider, typed errors with
 * the program's names, positions with claimable rewards and quota computed.
 */
import { createAssociatedTokenAccountIdempotentInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { Keypair, Transaction } from "@solana/web3.js";
import { expect } from "chai";
import { MediaEconomy, MediaProgramError, mediaToBaseUnits, parseEvents, MEDIA_STAKING_IDL, REWARD_SCALE, stakingApr } from "../../sdk/src";
import type { Idl } from "@coral-xyz/anchor";
import { warpSeconds, given } from "../utils/bank";
import { airdrop, createMint, mintTo } from "../utils/token";
import { GIB, stakingErrorCode } from "../utils/constants";

const WEEK = 7n * 24n * 60n * 60n;

describe("sdk: the MediaEconomy staking client", () => {
  const staker = Keypair.generate();

  const cast = given(async (bank) => {
    const economy = new MediaEconomy(bank.provider);
    const mint = await createMint(bank, 6);
    await economy.staking.initializeConfig(mint);
    await airdrop(bank, staker.publicKey);
    const ata = getAssociatedTokenAddressSync(mint, staker.publicKey);
    await bank.provider.sendAndConfirm(
      new Transaction().add(createAssociatedTokenAccountIdempotentInstruction(bank.payer.publicKey, ata, staker.publicKey, mint)),
    );
    await mintTo(bank, mint, ata, BigInt(mediaToBaseUnits("1000").toString()));
    return { economy };
  });

  it("stakes from the owner's associated token account and reports the position", async () => {
    await cast.economy.staking.stake(mediaToBaseUnits("40"), { signer: staker });
    const position = await cast.economy.staking.position(staker.publicKey);
    expect(position?.active).to.equal(40_000_000n);
    expect(position?.quotaBytes).to.equal(40n * GIB);
    expect(position?.claimable).to.equal(0n);
  });

  it("computes claimable rewards as they stream, before they are settled on-chain", async () => {
    await cast.economy.staking.fundRewards(mediaToBaseUnits("4"), { signer: staker });
    const start = await cast.economy.staking.unixTimestamp();
    const stream = await cast.economy.staking.rewardStream();
    expect(stream.periodEnd).to.equal(start + WEEK);
    expect(stream.rewardRate).to.equal((4_000_000n * REWARD_SCALE) / WEEK);
    // 4 MEDIA over a week for the only 40 MEDIA staked: 4/40 a week, about 521% a year
    expect(stakingApr(await cast.economy.staking.fetchConfig(), start)).to.be.closeTo((4 / 40) * (365 / 7), 1e-6);
    expect((await cast.economy.staking.position(staker.publicKey))?.claimable).to.equal(0n);
    expect((await cast.economy.staking.position(staker.publicKey, start + WEEK / 4n))?.claimable).to.equal(1_000_000n);
    await warpSeconds(cast.bank, WEEK);
    expect((await cast.economy.staking.position(staker.publicKey))?.claimable).to.equal(4_000_000n);
    expect((await cast.economy.staking.rewardStream()).rewardRate).to.equal(0n);
  });

  it("raises MediaProgramError with the program's error name", async () => {
    let caught: unknown;
    try {
      await cast.economy.staking.requestUnstake(mediaToBaseUnits("20"), { signer: staker });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(MediaProgramError);
    const error = caught as MediaProgramError;
    expect(error.program).to.equal("media_staking");
    expect(error.errorName).to.equal("StakeBelowMinimum");
    expect(error.code).to.equal(stakingErrorCode("StakeBelowMinimum"));
  });

  it("parses events from a transaction's logs", async () => {
    const signature = await cast.economy.staking.claimRewards({ signer: staker });
    const events = parseEvents(cast.economy.staking.programId, MEDIA_STAKING_IDL as unknown as Idl, cast.bank.provider.record(signature).logs);
    expect(events.map((e) => e.name)).to.deep.equal(["rewardsClaimed"]);
    expect(String(events[0].data.amount)).to.equal("4000000");
  });

  it("converts decimal MEDIA amounts exactly", () => {
    expect(mediaToBaseUnits("24.999999").toString()).to.equal("24999999");
    expect(mediaToBaseUnits("25").toString()).to.equal("25000000");
    expect(() => mediaToBaseUnits("1.0000001")).to.throw(/at most 6 decimals/);
  });
});
