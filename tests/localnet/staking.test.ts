/**
 * The staking story told over JSON-RPC: the SDK's Anchor clients on an `AnchorProvider` whose
 * `Connection` talks HTTP (and the confirmation websocket) to the localnet, events read back
 * from `getTransaction`, failures as a validator reports them, and `getProgramAccounts` filters.
 */
import { BorshCoder, EventParser, type Idl } from "@coral-xyz/anchor";
import { type Connection, Keypair, type PublicKey, TransactionMessage, VersionedTransaction } from "@solana/web3.js";
import BN from "bn.js";
import { expect } from "chai";
import {
  DEFAULT_MEDIA_PROGRAM_IDS,
  MEDIA_STAKING_IDL,
  MEDIA_STAKING_PROGRAM_ID,
  STAKING_DEFAULTS,
  mediaToBaseUnits,
  parseTransactionEvents,
  quotaBytes,
} from "../../sdk/src";
import { expectProgramError } from "../utils/assertions";
import { type RpcNet, type RpcStaker, type RpcStakingWorld, newRpcStaker, rpcSnapshot, rpcTokenBalance, setUpStakingOverRpc, startRpc } from "../utils/rpc";
import { MEDIA, MIN_STAKE, stakingErrorCode } from "../utils/constants";

const STAKE_BELOW_MINIMUM = stakingErrorCode("StakeBelowMinimum");

/**
 * The events a transaction logged, decoded from the logs `getTransaction` returns, and made
 * whole from the same answer by the SDK (`parseTransactionEvents`).
 */
async function eventsOverRpc(connection: Connection, signature: string) {
  const transaction = await connection.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
  if (!transaction?.meta?.logMessages) throw new Error(`getTransaction returned no logs for ${signature}`);
  const parser = new EventParser(MEDIA_STAKING_PROGRAM_ID, new BorshCoder(MEDIA_STAKING_IDL as Idl));
  return { logged: [...parser.parseLogs(transaction.meta.logMessages)], whole: parseTransactionEvents(DEFAULT_MEDIA_PROGRAM_IDS, transaction) };
}

function stakeIx(world: RpcStakingWorld, staker: RpcStaker, amount: bigint) {
  return world.net.programs.staking.methods
    .stake(new BN(amount.toString()))
    .accounts({ owner: staker.wallet.publicKey, ownerTokenAccount: staker.tokenAccount })
    .signers([staker.wallet]);
}

describe("localnet: the staking story over JSON-RPC", () => {
  let net: RpcNet;
  let world: RpcStakingWorld;

  before(async () => {
    net = await startRpc();
    world = await setUpStakingOverRpc(net);
  });

  after(async () => {
    await net?.stop();
  });

  it("localnet initialize config ok: the config holds the spec's defaults and ConfigInitialized parses from getTransaction", async () => {
    const config = await net.programs.staking.account.stakingConfig.fetch(world.config);
    expect(config.authority.toBase58()).to.equal(world.authority.publicKey.toBase58());
    expect(config.mediaMint.toBase58()).to.equal(world.mediaMint.toBase58());
    expect(config.minStake.toString()).to.equal(STAKING_DEFAULTS.minStake.toString());
    expect(config.unbondingPeriod.toString()).to.equal(STAKING_DEFAULTS.unbondingPeriod.toString());
    // Against a long-lived localnet an earlier run may have initialized it: then there is no event to read.
    if (world.initializeSignature === null) return;
    // Every field of ConfigInitialized is the instruction's: the log holds none, the SDK reads them all
    const { logged, whole } = await eventsOverRpc(net.connection, world.initializeSignature);
    expect(logged.map((e) => [e.name, Object.keys(e.data)])).to.deep.equal([["ConfigInitialized", []]]);
    const initialized = whole.find((e) => e.name === "configInitialized");
    expect(String(initialized?.data.mediaMint)).to.equal(world.mediaMint.toBase58());
    expect(initialized?.data.minStake).to.equal(MIN_STAKE);
  });

  it("localnet stake story: stake 25 then 15 MEDIA, request an unstake timed by the real clock, withdraw too early, cancel", async () => {
    // Given a staker with 100 MEDIA, funded by the faucet
    const staker = await newRpcStaker(world, 100n * MEDIA);
    const vaultBefore = await rpcTokenBalance(net.connection, world.vault);
    const totalBefore = BigInt((await net.programs.staking.account.stakingConfig.fetch(world.config)).totalActive.toString());

    // When they stake exactly the minimum through the SDK's Anchor client
    const stakeSignature = await stakeIx(world, staker, BigInt(mediaToBaseUnits("25").toString())).rpc();

    // Then the balances moved, the position records it, and Staked is in the transaction's logs
    expect(await rpcTokenBalance(net.connection, world.vault)).to.equal(vaultBefore + MIN_STAKE);
    const balance = await net.connection.getTokenAccountBalance(staker.tokenAccount);
    expect(balance.value.amount).to.equal((75n * MEDIA).toString());
    expect(balance.value.uiAmountString).to.equal("75");
    const position = await net.programs.staking.account.stakeAccount.fetch(staker.stakeAccount);
    expect(position.active.toString()).to.equal(MIN_STAKE.toString());
    expect(quotaBytes(25n * MEDIA, BigInt(STAKING_DEFAULTS.quotaBytesPerMedia.toString()))).to.equal(25n << 30n);
    const staked = await eventsOverRpc(net.connection, stakeSignature);
    expect(staked.logged.map((e) => e.name)).to.deep.equal(["Staked"]);
    expect(staked.logged[0].data.total_active.toString()).to.equal((totalBefore + MIN_STAKE).toString());
    // The staker and the amount are the instruction's: the SDK reads them from the same answer
    expect(staked.whole.map((e) => [e.name, String(e.data.owner), e.data.amount, e.data.totalActive])).to.deep.equal([
      ["staked", staker.wallet.publicKey.toBase58(), MIN_STAKE, totalBefore + MIN_STAKE],
    ]);
    const status = (await net.connection.getSignatureStatuses([stakeSignature])).value[0];
    expect(status?.err).to.equal(null);
    expect(status?.confirmationStatus).to.equal("finalized");

    // When they add 15 MEDIA, they hold 40 MEDIA active
    await stakeIx(world, staker, 15n * MEDIA).rpc();
    expect((await net.programs.staking.account.stakeAccount.fetch(staker.stakeAccount)).active.toString()).to.equal((40n * MEDIA).toString());

    // When they request to unstake 10 MEDIA
    const requestSignature = await net.programs.staking.methods
      .requestUnstake(new BN((10n * MEDIA).toString()))
      .accounts({ owner: staker.wallet.publicKey })
      .signers([staker.wallet])
      .rpc();
    // Then the unbonding ends one period after the block time, which follows the wall clock
    const transaction = await net.connection.getTransaction(requestSignature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    const blockTime = transaction?.blockTime ?? 0;
    expect(Math.abs(blockTime - Date.now() / 1000)).to.be.below(5);
    const requested = (await eventsOverRpc(net.connection, requestSignature)).whole;
    expect(requested.map((e) => [e.name, String(e.data.owner), e.data.amount, e.data.unbonding])).to.deep.equal([
      ["unstakeRequested", staker.wallet.publicKey.toBase58(), 10n * MEDIA, 10n * MEDIA],
    ]);
    expect(requested[0].data.unbondingEnd).to.equal(BigInt(blockTime) + BigInt(STAKING_DEFAULTS.unbondingPeriod.toString()));

    // When they try to withdraw before the week is over, it fails with the program's error
    const before = await rpcSnapshot(net.connection, [staker.tokenAccount, staker.stakeAccount, world.vault, world.config]);
    await expectProgramError(
      net.programs.staking.methods
        .withdraw()
        .accounts({ owner: staker.wallet.publicKey, ownerTokenAccount: staker.tokenAccount })
        .signers([staker.wallet])
        .rpc(),
      "UnbondingNotFinished",
    );
    expect(await rpcSnapshot(net.connection, [staker.tokenAccount, staker.stakeAccount, world.vault, world.config])).to.deep.equal(before);

    // When they cancel, the 10 MEDIA are active again
    const cancelSignature = await net.programs.staking.methods.cancelUnstake().accounts({ owner: staker.wallet.publicKey }).signers([staker.wallet]).rpc();
    const cancelled = (await eventsOverRpc(net.connection, cancelSignature)).whole;
    expect(cancelled.map((e) => [e.name, String(e.data.owner), e.data.amount])).to.deep.equal([
      ["unstakeCancelled", staker.wallet.publicKey.toBase58(), 10n * MEDIA],
    ]);
    const after = await net.programs.staking.account.stakeAccount.fetch(staker.stakeAccount);
    expect(after.active.toString()).to.equal((40n * MEDIA).toString());
    expect(after.unbonding.toNumber()).to.equal(0);
  });

  it("localnet stake fails when below minimum: preflight refuses with -32002 and logs, so Anchor names StakeBelowMinimum", async () => {
    const staker = await newRpcStaker(world, 100n * MEDIA);
    const accounts = [staker.tokenAccount, staker.stakeAccount, world.vault, world.config];
    const before = await rpcSnapshot(net.connection, accounts);
    const lamportsBefore = await net.connection.getBalance(staker.wallet.publicKey);
    const error = await expectProgramError(stakeIx(world, staker, MIN_STAKE - 1n).rpc(), "StakeBelowMinimum");
    expect(error.code).to.equal(STAKE_BELOW_MINIMUM);
    // A failed preflight never reaches the ledger: no fee, nothing changed
    expect(await rpcSnapshot(net.connection, accounts)).to.deep.equal(before);
    expect(await net.connection.getBalance(staker.wallet.publicKey)).to.equal(lamportsBefore);
  });

  it("localnet failed transaction lands with skip preflight: meta.err is InstructionError Custom StakeBelowMinimum and the fee is charged", async () => {
    // Given a transaction that fails on chain, sent without preflight
    const staker = await newRpcStaker(world, 100n * MEDIA);
    const transaction = await stakeIx(world, staker, 1n).transaction();
    transaction.feePayer = staker.wallet.publicKey;
    const latest = await net.connection.getLatestBlockhash();
    transaction.recentBlockhash = latest.blockhash;
    transaction.sign(staker.wallet);
    const signature = await net.connection.sendRawTransaction(transaction.serialize(), { skipPreflight: true });

    // Then confirmation, the signature status and getTransaction all report the validator's shape
    const expected = { InstructionError: [0, { Custom: STAKE_BELOW_MINIMUM }] };
    const confirmation = await net.connection.confirmTransaction({ signature, ...latest });
    expect(confirmation.value.err).to.deep.equal(expected);
    const status = (await net.connection.getSignatureStatuses([signature])).value[0];
    expect(status?.err).to.deep.equal(expected);
    const landed = await net.connection.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
    expect(landed?.meta?.err).to.deep.equal(expected);
    expect(landed?.meta?.logMessages?.join("\n")).to.include(`custom program error: 0x${STAKE_BELOW_MINIMUM.toString(16)}`);
    expect(landed?.meta?.fee).to.equal(5000);
    expect((landed?.meta?.preBalances[0] ?? 0) - (landed?.meta?.postBalances[0] ?? 0)).to.equal(5000);
    expect(await rpcTokenBalance(net.connection, staker.tokenAccount)).to.equal(100n * MEDIA);
  });

  it("localnet v0 transaction ok: Anchor's simulate, getFeeForMessage, a v0 stake and its parsed record with token balances", async () => {
    const staker = await newRpcStaker(world, 100n * MEDIA);
    // Anchor's simulate (no signatures checked) decodes the event without landing anything
    const simulated = await net.programs.staking.methods
      .stake(new BN((30n * MEDIA).toString()))
      .accounts({ owner: staker.wallet.publicKey, ownerTokenAccount: staker.tokenAccount })
      .simulate();
    expect(simulated.events.map((e) => e.name)).to.deep.equal(["staked"]);
    expect(await net.connection.getAccountInfo(staker.stakeAccount)).to.equal(null);

    // A version-0 transaction paid by the staker
    const instruction = await stakeIx(world, staker, 30n * MEDIA).instruction();
    const latest = await net.connection.getLatestBlockhash();
    const message = new TransactionMessage({
      payerKey: staker.wallet.publicKey,
      recentBlockhash: latest.blockhash,
      instructions: [instruction],
    }).compileToV0Message();
    expect((await net.connection.getFeeForMessage(message)).value).to.equal(5000);
    const transaction = new VersionedTransaction(message);
    transaction.sign([staker.wallet]);
    const signature = await net.connection.sendTransaction(transaction);
    expect((await net.connection.confirmTransaction({ signature, ...latest })).value.err).to.equal(null);

    // Its record needs maxSupportedTransactionVersion, and carries the token balances
    await expectRejects(net.connection.getTransaction(signature, { commitment: "confirmed" }), "maxSupportedTransactionVersion");
    const parsed = await net.connection.getParsedTransaction(signature, { maxSupportedTransactionVersion: 0 });
    expect(parsed?.version).to.equal(0);
    expect(parsed?.transaction.message.accountKeys[0].pubkey.toBase58()).to.equal(staker.wallet.publicKey.toBase58());
    expect(parsed?.transaction.message.accountKeys[0].signer).to.equal(true);
    const after = parsed?.meta?.postTokenBalances?.find((b) => b.owner === staker.wallet.publicKey.toBase58());
    const before = parsed?.meta?.preTokenBalances?.find((b) => b.owner === staker.wallet.publicKey.toBase58());
    expect(before?.uiTokenAmount.uiAmountString).to.equal("100");
    expect(after?.uiTokenAmount.uiAmountString).to.equal("70");
    expect(after?.mint).to.equal(world.mediaMint.toBase58());
  });

  it("localnet get program accounts filters: memcmp and dataSize return exactly the matching accounts", async () => {
    // Given three stakers with positions
    const stakers: RpcStaker[] = [];
    for (const amount of [25n, 30n, 40n]) {
      const staker = await newRpcStaker(world, 100n * MEDIA);
      await stakeIx(world, staker, amount * MEDIA).rpc();
      stakers.push(staker);
    }
    const all = await net.connection.getProgramAccounts(MEDIA_STAKING_PROGRAM_ID);
    const stakeSize = (await net.connection.getAccountInfo(stakers[0].stakeAccount))?.data.length ?? 0;
    const keys = (accounts: readonly { pubkey: PublicKey }[]) => accounts.map((a) => a.pubkey.toBase58()).sort();

    // memcmp on the owner field (after the 8-byte discriminator): exactly that staker's position
    const byOwner = await net.connection.getProgramAccounts(MEDIA_STAKING_PROGRAM_ID, {
      filters: [{ dataSize: stakeSize }, { memcmp: { offset: 8, bytes: stakers[1].wallet.publicKey.toBase58() } }],
    });
    expect(keys(byOwner)).to.deep.equal([stakers[1].stakeAccount.toBase58()]);

    // dataSize alone: every stake account and nothing else, as filtering the full list says
    const bySize = await net.connection.getProgramAccounts(MEDIA_STAKING_PROGRAM_ID, { filters: [{ dataSize: stakeSize }] });
    expect(keys(bySize)).to.deep.equal(keys(all.filter((a) => a.account.data.length === stakeSize)));
    for (const staker of stakers) expect(keys(bySize)).to.include(staker.stakeAccount.toBase58());
    expect(keys(bySize)).not.to.include(world.config.toBase58());

    // Anchor's `all()` (discriminator memcmp) agrees, and a filter nothing matches returns nothing
    const positions = await net.programs.staking.account.stakeAccount.all();
    expect(keys(positions.map((p) => ({ pubkey: p.publicKey })))).to.deep.equal(keys(bySize));
    const nobody = await net.connection.getProgramAccounts(MEDIA_STAKING_PROGRAM_ID, {
      filters: [{ memcmp: { offset: 8, bytes: Keypair.generate().publicKey.toBase58() } }],
    });
    expect(nobody).to.deep.equal([]);
  });
});

async function expectRejects(promise: Promise<unknown>, text: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(String((error as Error).message)).to.include(text);
    return;
  }
  expect.fail(`expected a failure containing "${text}"`);
}
