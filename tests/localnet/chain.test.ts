/**
 * The localnet behaves like a validator where clients can tell: slots and the Clock sysvar
 * follow wall time, blockhashes expire after 150 slots, the faucet pays, simulation changes
 * nothing, and `--no-programs` starts an empty chain for deployments. Driven through
 * web3.js's `Connection` only.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TOKEN_PROGRAM_ID } from "@solana/spl-token";
import {
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  SYSVAR_CLOCK_PUBKEY,
  SYSVAR_RENT_PUBKEY,
  SendTransactionError,
  SystemProgram,
  Transaction,
  TransactionInstruction,
  sendAndConfirmTransaction,
} from "@solana/web3.js";
import { expect } from "chai";
import { MEDIA_STAKING_PROGRAM_ID } from "../../sdk/src";
import { DEPLOY_DIR } from "../../localnet/server";
import { type RpcNet, airdropSol, externalRpcUrl, startRpc } from "../utils/rpc";

const SLOT_MS = 400;
const UPGRADEABLE_LOADER = new PublicKey("BPFLoaderUpgradeab1e11111111111111111111111");

const u32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
};
const u64 = (value: number) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(value));
  return bytes;
};

describe("localnet: a validator's clock, blockhashes and faucet over JSON-RPC", () => {
  let net: RpcNet;

  before(async () => {
    net = await startRpc();
  });

  after(async () => {
    await net?.stop();
  });

  it("localnet clock follows wall time: the slot advances every 400 ms and the Clock sysvar carries the unix time", async () => {
    const first = await net.connection.getSlot();
    await new Promise((resolve) => setTimeout(resolve, SLOT_MS + 50));
    const second = await net.connection.getSlot();
    expect(second).to.be.greaterThan(first);
    expect(await net.connection.getBlockHeight()).to.be.at.least(second);
    const epoch = await net.connection.getEpochInfo();
    expect(epoch.absoluteSlot).to.be.at.least(second);
    expect(epoch.slotsInEpoch).to.equal(432_000);
    // Clock sysvar: slot (u64) at 0, unix_timestamp (i64) at 32
    const clock = await net.connection.getAccountInfo(SYSVAR_CLOCK_PUBKEY);
    if (!clock) throw new Error("no Clock sysvar");
    expect(Number(clock.data.readBigUInt64LE(0))).to.be.at.least(second);
    expect(Math.abs(Number(clock.data.readBigInt64LE(32)) - Date.now() / 1000)).to.be.below(3);
  });

  it("localnet simulate ok: simulateTransaction reports logs, units and post-state, and changes nothing", async () => {
    const recipient = Keypair.generate().publicKey;
    const transaction = new Transaction().add(SystemProgram.transfer({ fromPubkey: net.payer.publicKey, toPubkey: recipient, lamports: LAMPORTS_PER_SOL }));
    transaction.feePayer = net.payer.publicKey;
    transaction.recentBlockhash = (await net.connection.getLatestBlockhash()).blockhash;
    const { value } = await net.connection.simulateTransaction(transaction, undefined, [recipient]);
    expect(value.err).to.equal(null);
    expect(value.logs).to.deep.equal(["Program 11111111111111111111111111111111 invoke [1]", "Program 11111111111111111111111111111111 success"]);
    expect(value.unitsConsumed).to.equal(150);
    expect(value.accounts?.[0]?.lamports).to.equal(LAMPORTS_PER_SOL);
    expect(await net.connection.getAccountInfo(recipient)).to.equal(null);
  });

  it("localnet rent and programs: rent matches the runtime's, SPL Token and the MEDIA programs are deployed", async () => {
    expect(await net.connection.getMinimumBalanceForRentExemption(165)).to.equal(2_039_280);
    expect(await net.connection.getMinimumBalanceForRentExemption(0)).to.equal(890_880);
    expect((await net.connection.getAccountInfo(TOKEN_PROGRAM_ID))?.executable).to.equal(true);
    expect((await net.connection.getAccountInfo(MEDIA_STAKING_PROGRAM_ID))?.executable).to.equal(true);
    expect((await net.connection.getVersion())["solana-core"]).to.match(/^\d+\.\d+\.\d+$/);
  });

  it("localnet deploy ok: a program deployed through the upgradeable loader over RPC runs", async () => {
    // Given a program binary written into a loader buffer, chunk by chunk
    const { connection, payer } = net;
    const elf = readFileSync(join(DEPLOY_DIR, "media_bandwidth.so"));
    const buffer = Keypair.generate();
    const program = Keypair.generate();
    const send = (signers: Keypair[], ...instructions: TransactionInstruction[]) =>
      sendAndConfirmTransaction(connection, new Transaction().add(...instructions), [payer, ...signers]);
    const meta = (pubkey: PublicKey, isSigner: boolean, isWritable: boolean) => ({ pubkey, isSigner, isWritable });
    const loader = (data: Buffer, ...keys: ReturnType<typeof meta>[]) => new TransactionInstruction({ programId: UPGRADEABLE_LOADER, keys, data });
    await send(
      [buffer],
      SystemProgram.createAccount({
        fromPubkey: payer.publicKey,
        newAccountPubkey: buffer.publicKey,
        lamports: await connection.getMinimumBalanceForRentExemption(37 + elf.length),
        space: 37 + elf.length,
        programId: UPGRADEABLE_LOADER,
      }),
      loader(u32(0), meta(buffer.publicKey, false, true), meta(payer.publicKey, false, false)), // InitializeBuffer
    );
    for (let offset = 0; offset < elf.length; offset += 900) {
      const chunk = elf.subarray(offset, offset + 900);
      await send(
        [],
        loader(Buffer.concat([u32(1), u32(offset), u64(chunk.length), chunk]), meta(buffer.publicKey, false, true), meta(payer.publicKey, true, false)), // Write
      );
    }
    // When it is deployed
    const [programData] = PublicKey.findProgramAddressSync([program.publicKey.toBuffer()], UPGRADEABLE_LOADER);
    await send(
      [program],
      SystemProgram.createAccount({
        fromPubkey: payer.publicKey,
        newAccountPubkey: program.publicKey,
        lamports: await connection.getMinimumBalanceForRentExemption(36),
        space: 36,
        programId: UPGRADEABLE_LOADER,
      }),
      loader(
        Buffer.concat([u32(2), u64(2 * elf.length)]), // DeployWithMaxDataLen
        meta(payer.publicKey, true, true),
        meta(programData, false, true),
        meta(program.publicKey, false, true),
        meta(buffer.publicKey, false, true),
        meta(SYSVAR_RENT_PUBKEY, false, false),
        meta(SYSVAR_CLOCK_PUBKEY, false, false),
        meta(SystemProgram.programId, false, false),
        meta(payer.publicKey, true, false),
      ),
    );
    // Then it is executable and answers (an unknown discriminator: its own error 6001, from its own code)
    expect((await connection.getAccountInfo(program.publicKey))?.executable).to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, SLOT_MS)); // a validator runs it from the next slot
    const call = send([], new TransactionInstruction({ programId: program.publicKey, keys: [], data: Buffer.alloc(8) }));
    const error = await expectRejects(call, "Simulation failed");
    // (programs log no error text: the runtime's line carries the code, which the IDL names)
    expect((error as SendTransactionError).logs?.join("\n")).to.include(`Program ${program.publicKey.toBase58()} failed: custom program error: 0x1771`);
    expect((error as SendTransactionError).logs?.join("\n")).to.include(`Program ${program.publicKey.toBase58()} invoke [1]`);
  });
});

describe("localnet: blockhash expiry and an empty chain (in-process only)", () => {
  let net: RpcNet;
  let now = Date.now();

  before(async function () {
    // These move the localnet's clock by hand, which an external localnet does not allow.
    if (externalRpcUrl()) this.skip();
    now = Date.now();
    net = await startRpc({ now: () => now, programs: false });
  });

  after(async () => {
    await net?.stop();
  });

  it("localnet blockhash expires after 150 slots: valid for 150 slots, then BlockhashNotFound", async () => {
    // Given a transfer signed with the current blockhash
    const latest = await net.connection.getLatestBlockhash();
    const height = await net.connection.getBlockHeight();
    expect(latest.lastValidBlockHeight).to.equal(height + 150);
    const transaction = new Transaction({ feePayer: net.payer.publicKey, ...latest }).add(
      SystemProgram.transfer({ fromPubkey: net.payer.publicKey, toPubkey: Keypair.generate().publicKey, lamports: LAMPORTS_PER_SOL }),
    );
    transaction.sign(net.payer);

    // When 150 slots pass it is still valid; one more and it has expired
    now += 150 * SLOT_MS;
    expect((await net.connection.isBlockhashValid(latest.blockhash)).value).to.equal(true);
    expect(await net.connection.getBlockHeight()).to.equal(latest.lastValidBlockHeight);
    now += SLOT_MS;
    expect((await net.connection.isBlockhashValid(latest.blockhash)).value).to.equal(false);

    // Then preflight refuses it, and without preflight it is dropped, never processed
    const error = await expectRejects(net.connection.sendRawTransaction(transaction.serialize()), "Blockhash not found");
    expect(error).to.be.instanceOf(SendTransactionError);
    const signature = await net.connection.sendRawTransaction(transaction.serialize(), { skipPreflight: true });
    expect((await net.connection.getSignatureStatuses([signature])).value).to.deep.equal([null]);
  });

  it("localnet airdrop ok: identical airdrops in one slot (clock frozen) both land, as real transfers from the faucet", async () => {
    const wallet = Keypair.generate().publicKey;
    const signatures = [await airdropSol(net.connection, wallet, 2), await airdropSol(net.connection, wallet, 2)];
    expect(signatures[0]).not.to.equal(signatures[1]);
    expect(await net.connection.getBalance(wallet)).to.equal(4 * LAMPORTS_PER_SOL);
    const transaction = await net.connection.getTransaction(signatures[0], { commitment: "confirmed" });
    const keys = transaction?.transaction.message.accountKeys.map((key) => key.toBase58());
    expect(keys).to.include(wallet.toBase58());
    expect(keys).to.include(SystemProgram.programId.toBase58());
    expect(transaction?.meta?.postBalances[1]).to.equal(2 * LAMPORTS_PER_SOL);
    await expectRejects(net.connection.requestAirdrop(wallet, 0), "lamports must be between");
  });

  it("localnet no programs: started without programs, the MEDIA ids are empty and the runtime's own programs remain", async () => {
    expect(await net.connection.getAccountInfo(MEDIA_STAKING_PROGRAM_ID)).to.equal(null);
    expect((await net.connection.getAccountInfo(TOKEN_PROGRAM_ID))?.executable).to.equal(true);
  });
});

async function expectRejects(promise: Promise<unknown>, text: string): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(String((error as Error).message)).to.include(text);
    return error as Error;
  }
  return expect.fail(`expected a failure containing "${text}"`);
}
