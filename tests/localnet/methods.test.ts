/**
 * The methods dApps and indexers call beyond sending transactions, driven through web3.js's
 * `Connection` (its response validators reject any shape a validator would not send):
 * signatures per address, blocks, token accounts, parsed transactions, prioritization fees,
 * address lookup tables in v0 transactions, simulation with inner instructions, time travel,
 * and the ledger's memory bound.
 */
import { createAccount, createMint, mintTo, transfer as transferTokens } from "@solana/spl-token";
import {
  AddressLookupTableProgram,
  ComputeBudgetProgram,
  Keypair,
  LAMPORTS_PER_SOL,
  type ParsedInstruction,
  type PartiallyDecodedInstruction,
  type PublicKey,
  SYSVAR_CLOCK_PUBKEY,
  SystemProgram,
  Transaction,
  TransactionMessage,
  VersionedTransaction,
  sendAndConfirmTransaction,
} from "@solana/web3.js";
import { expect } from "chai";
import { runtimeName } from "../utils/bank";
import { type RpcNet, startRpc } from "../utils/rpc";

type Reply = { result?: any; error?: { code: number; message: string } };

async function call(net: RpcNet, method: string, params: unknown[] = []): Promise<Reply> {
  const response = await fetch(net.url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return (await response.json()) as Reply;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function transfer(net: RpcNet, to: PublicKey, lamports = LAMPORTS_PER_SOL, extra: Transaction = new Transaction()): Promise<string> {
  const transaction = new Transaction().add(...extra.instructions, SystemProgram.transfer({ fromPubkey: net.payer.publicKey, toPubkey: to, lamports }));
  return sendAndConfirmTransaction(net.connection, transaction, [net.payer]);
}

describe("localnet: ledger, block, token and parsed-transaction methods", () => {
  let net: RpcNet;

  before(async function () {
    if (runtimeName() !== "litesvm") this.skip();
    net = await startRpc();
  });

  after(async () => {
    await net?.stop();
  });

  it("signatures for address succeed with before, until and limit: newest first, each with its slot, status and block time", async () => {
    const recipient = Keypair.generate().publicKey;
    const sent: string[] = [];
    for (let i = 0; i < 4; i++) sent.push(await transfer(net, recipient, LAMPORTS_PER_SOL + i));
    const newestFirst = [...sent].reverse();
    const all = await net.connection.getSignaturesForAddress(recipient);
    expect(all.map((info) => info.signature)).to.deep.equal(newestFirst);
    for (const info of all) {
      expect(info.err).to.equal(null);
      expect(info.confirmationStatus).to.equal("finalized");
      expect(info.blockTime).to.be.a("number");
      expect(info.memo).to.equal(null);
    }
    expect(all[0].slot).to.be.at.least(all[3].slot);
    expect((await net.connection.getSignaturesForAddress(recipient, { limit: 2 })).map((info) => info.signature)).to.deep.equal(newestFirst.slice(0, 2));
    expect((await net.connection.getSignaturesForAddress(recipient, { before: sent[2] })).map((info) => info.signature)).to.deep.equal([sent[1], sent[0]]);
    expect((await net.connection.getSignaturesForAddress(recipient, { until: sent[1] })).map((info) => info.signature)).to.deep.equal([sent[3], sent[2]]);
    expect(
      (await net.connection.getSignaturesForAddress(recipient, { before: sent[3], until: sent[0], limit: 1 })).map((info) => info.signature),
    ).to.deep.equal([sent[2]]);
    expect((await call(net, "getSignaturesForAddress", [recipient.toBase58(), { limit: 1001 }])).error?.code).to.equal(-32602);
  });

  it("blocks succeed for produced slots: getBlock lists the slot's transactions, getBlocks and getBlockTime agree, a future slot is refused", async () => {
    while ((await net.connection.getSlot()) < 3) await sleep(100); // past the genesis slot, its own parent
    const signature = await transfer(net, Keypair.generate().publicKey);
    const status = (await net.connection.getSignatureStatus(signature)).value;
    const slot = status?.slot ?? -1;
    const block = await net.connection.getBlock(slot, { maxSupportedTransactionVersion: 0 });
    if (!block) throw new Error("no block");
    expect(block.transactions.map((entry) => entry.transaction.signatures[0])).to.include(signature);
    expect(block.parentSlot).to.equal(slot - 1);
    expect(block.previousBlockhash).to.not.equal(block.blockhash);
    const transaction = await net.connection.getTransaction(signature, { maxSupportedTransactionVersion: 0 });
    expect(await net.connection.getBlockTime(slot)).to.equal(transaction?.blockTime);
    expect(block.blockTime).to.equal(transaction?.blockTime);
    const signatures = await net.connection.getBlockSignatures(slot);
    expect(signatures.signatures).to.include(signature);
    const parsed = await net.connection.getParsedBlock(slot, { maxSupportedTransactionVersion: 0 });
    expect(parsed.transactions.length).to.equal(block.transactions.length);
    expect(await net.connection.getBlocks(slot - 2, slot)).to.deep.equal([slot - 2, slot - 1, slot]);
    expect((await call(net, "getBlocksWithLimit", [slot - 1, 2])).result).to.deep.equal([slot - 1, slot]);
    const future = await call(net, "getBlock", [slot + 10_000]);
    expect(future.error?.code).to.equal(-32004);
    expect((await call(net, "getBlock", [slot, { commitment: "processed" }])).error?.code).to.equal(-32602);
  });

  it("token methods succeed: accounts by owner (mint or program filter, base64 and jsonParsed), supply and largest accounts", async () => {
    const owner = Keypair.generate();
    const mint = await createMint(net.connection, net.payer, net.payer.publicKey, null, 6);
    const first = await createAccount(net.connection, net.payer, mint, owner.publicKey, Keypair.generate());
    const second = await createAccount(net.connection, net.payer, mint, owner.publicKey, Keypair.generate());
    await mintTo(net.connection, net.payer, mint, first, net.payer, 2_500_000n);
    await mintTo(net.connection, net.payer, mint, second, net.payer, 7_000_000n);

    const byMint = await net.connection.getTokenAccountsByOwner(owner.publicKey, { mint });
    expect(byMint.value.map((entry) => entry.pubkey.toBase58()).sort()).to.deep.equal([first.toBase58(), second.toBase58()].sort());
    const { TOKEN_PROGRAM_ID } = await import("@solana/spl-token");
    const byProgram = await net.connection.getTokenAccountsByOwner(owner.publicKey, { programId: TOKEN_PROGRAM_ID });
    expect(byProgram.value.length).to.equal(2);
    const parsed = await net.connection.getParsedTokenAccountsByOwner(owner.publicKey, { mint });
    const amounts = parsed.value.map((entry) => entry.account.data.parsed.info.tokenAmount.uiAmountString).sort();
    expect(amounts).to.deep.equal(["2.5", "7"]);
    expect(parsed.value[0].account.data.program).to.equal("spl-token");
    expect(parsed.value[0].account.data.parsed.info.owner).to.equal(owner.publicKey.toBase58());
    expect(parsed.value[0].account.data.parsed.info.state).to.equal("initialized");

    const scanned = await net.connection.getParsedProgramAccounts(TOKEN_PROGRAM_ID, {
      filters: [{ dataSize: 165 }, { memcmp: { offset: 32, bytes: owner.publicKey.toBase58() } }],
    });
    expect(scanned.map((entry) => (entry.account.data as { parsed: { type: string } }).parsed.type)).to.deep.equal(["account", "account"]);

    const supply = await net.connection.getTokenSupply(mint);
    expect(supply.value).to.deep.include({ amount: "9500000", decimals: 6, uiAmountString: "9.5" });
    const largest = await net.connection.getTokenLargestAccounts(mint);
    expect(largest.value.map((entry) => [entry.address.toBase58(), entry.amount])).to.deep.equal([
      [second.toBase58(), "7000000"],
      [first.toBase58(), "2500000"],
    ]);
    const mintInfo = await net.connection.getParsedAccountInfo(mint);
    const mintData = mintInfo.value?.data as { parsed: { type: string; info: { supply: string; mintAuthority: string } } };
    expect(mintData.parsed.type).to.equal("mint");
    expect(mintData.parsed.info).to.deep.include({ supply: "9500000", mintAuthority: net.payer.publicKey.toBase58() });

    expect((await call(net, "getTokenSupply", [owner.publicKey.toBase58()])).error?.code).to.equal(-32602);
    expect((await call(net, "getTokenAccountsByOwner", [owner.publicKey.toBase58(), { programId: SystemProgram.programId.toBase58() }])).error?.code).to.equal(
      -32602,
    );

    // Given a token transfer, when it is read back jsonParsed, then SPL Token's instruction is parsed.
    const destination = await createAccount(net.connection, net.payer, mint, net.payer.publicKey, Keypair.generate());
    const signature = await transferTokens(net.connection, net.payer, second, destination, owner, 1_000_000n);
    const record = await net.connection.getParsedTransaction(signature, { maxSupportedTransactionVersion: 0 });
    const instruction = record?.transaction.message.instructions[0] as ParsedInstruction;
    expect(instruction.program).to.equal("spl-token");
    expect(instruction.parsed).to.deep.equal({
      type: "transfer",
      info: { source: second.toBase58(), destination: destination.toBase58(), amount: "1000000", authority: owner.publicKey.toBase58() },
    });
    expect(record?.meta?.postTokenBalances?.map((balance) => balance.uiTokenAmount.uiAmountString).sort()).to.deep.equal(["1", "6"]);
  });

  it("parsed transaction succeeds for system and unknown programs: System instructions parsed, Compute Budget partially decoded", async () => {
    const recipient = Keypair.generate().publicKey;
    const signature = await transfer(net, recipient, 10_000_000, new Transaction().add(ComputeBudgetProgram.setComputeUnitPrice({ microLamports: 7 })));
    const record = await net.connection.getParsedTransaction(signature, { maxSupportedTransactionVersion: 0 });
    const [budget, system] = record?.transaction.message.instructions ?? [];
    expect((budget as PartiallyDecodedInstruction).data).to.be.a("string");
    expect((budget as PartiallyDecodedInstruction).programId.equals(ComputeBudgetProgram.programId)).to.equal(true);
    expect((system as ParsedInstruction).program).to.equal("system");
    expect((system as ParsedInstruction).parsed).to.deep.equal({
      type: "transfer",
      info: { source: net.payer.publicKey.toBase58(), destination: recipient.toBase58(), lamports: 10_000_000 },
    });
    expect(record?.transaction.message.accountKeys[0].signer).to.equal(true);
  });

  it("recent prioritization fees succeed: the compute-unit price paid by a transaction writing the account, per recent slot", async () => {
    const recipient = Keypair.generate().publicKey;
    const signature = await transfer(
      net,
      recipient,
      LAMPORTS_PER_SOL,
      new Transaction().add(ComputeBudgetProgram.setComputeUnitPrice({ microLamports: 1234 })),
    );
    const slot = (await net.connection.getSignatureStatus(signature)).value?.slot;
    const fees = await net.connection.getRecentPrioritizationFees({ lockedWritableAccounts: [recipient] });
    expect(fees.find((entry) => entry.slot === slot)?.prioritizationFee).to.equal(1234);
    expect(fees.filter((entry) => entry.slot !== slot).every((entry) => entry.prioritizationFee === 0)).to.equal(true);
    expect(fees.length).to.be.at.most(150);
    const untouched = await net.connection.getRecentPrioritizationFees({ lockedWritableAccounts: [Keypair.generate().publicKey] });
    expect(untouched.every((entry) => entry.prioritizationFee === 0)).to.equal(true);
  });

  it("address lookup table succeeds: created at a recent slot, extended, then used by a v0 transfer; simulation reports parsed inner instructions", async () => {
    const recentSlot = await net.connection.getSlot();
    const [create, table] = AddressLookupTableProgram.createLookupTable({ authority: net.payer.publicKey, payer: net.payer.publicKey, recentSlot });
    const createTransaction = new Transaction().add(create);
    createTransaction.feePayer = net.payer.publicKey;
    createTransaction.recentBlockhash = (await net.connection.getLatestBlockhash()).blockhash;
    createTransaction.sign(net.payer);
    const simulated = await net.connection.simulateTransaction(new VersionedTransaction(createTransaction.compileMessage()), {
      innerInstructions: true,
      sigVerify: false,
    });
    expect(simulated.value.err).to.equal(null);
    const inner = simulated.value.innerInstructions?.[0]?.instructions ?? [];
    expect(inner.length).to.be.greaterThan(0);
    expect((inner[0] as ParsedInstruction).program).to.equal("system");

    await sendAndConfirmTransaction(net.connection, new Transaction().add(create), [net.payer]);
    const recipients = [Keypair.generate().publicKey, Keypair.generate().publicKey, Keypair.generate().publicKey];
    const extend = AddressLookupTableProgram.extendLookupTable({
      lookupTable: table,
      authority: net.payer.publicKey,
      payer: net.payer.publicKey,
      addresses: recipients,
    });
    await sendAndConfirmTransaction(net.connection, new Transaction().add(extend), [net.payer]);
    await sleep(500); // addresses become usable in the slot after the one that added them

    const lookupTable = (await net.connection.getAddressLookupTable(table)).value;
    if (!lookupTable) throw new Error("lookup table not found");
    expect(lookupTable.state.addresses.map((key) => key.toBase58())).to.deep.equal(recipients.map((key) => key.toBase58()));
    const { blockhash, lastValidBlockHeight } = await net.connection.getLatestBlockhash();
    const message = new TransactionMessage({
      payerKey: net.payer.publicKey,
      recentBlockhash: blockhash,
      instructions: recipients.map((to) => SystemProgram.transfer({ fromPubkey: net.payer.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL })),
    }).compileToV0Message([lookupTable]);
    const transaction = new VersionedTransaction(message);
    transaction.sign([net.payer]);
    const signature = await net.connection.sendTransaction(transaction);
    await net.connection.confirmTransaction({ signature, blockhash, lastValidBlockHeight });
    const record = await net.connection.getTransaction(signature, { maxSupportedTransactionVersion: 0 });
    expect(record?.meta?.err).to.equal(null);
    expect(record?.meta?.loadedAddresses?.writable.map((key) => key.toBase58())).to.deep.equal(recipients.map((key) => key.toBase58()));
    for (const to of recipients) expect(await net.connection.getBalance(to)).to.equal(LAMPORTS_PER_SOL);
  });
});

describe("localnet: time travel, browser access and the ledger's bound", () => {
  let net: RpcNet;

  before(async function () {
    if (runtimeName() !== "litesvm") this.skip();
    net = await startRpc({ historyCapacity: 3 });
  });

  after(async () => {
    await net?.stop();
  });

  async function clock(): Promise<{ slot: number; unixTimestamp: number }> {
    const account = await net.connection.getAccountInfo(SYSVAR_CLOCK_PUBKEY);
    if (!account) throw new Error("no Clock sysvar");
    return { slot: Number(account.data.readBigUInt64LE(0)), unixTimestamp: Number(account.data.readBigInt64LE(32)) };
  }

  it("time travel succeeds forward: surfnet_timeTravel to a timestamp (ms) moves the Clock sysvar, to a slot moves the slot; transfers still land", async () => {
    const before = await clock();
    const target = (before.unixTimestamp + 3 * 24 * 3600) * 1000;
    const reply = await call(net, "surfnet_timeTravel", [{ absoluteTimestamp: target }]);
    expect(reply.error).to.equal(undefined);
    expect(Object.keys(reply.result).sort()).to.deep.equal(["absoluteSlot", "blockHeight", "epoch", "slotIndex", "slotsInEpoch", "transactionCount"]);
    const after = await clock();
    expect(after.unixTimestamp).to.be.at.least(target / 1000);
    expect(after.unixTimestamp).to.be.below(target / 1000 + 5);
    // Three days of 400 ms slots, less the sub-second part the Clock's whole seconds dropped.
    expect(after.slot).to.be.at.least(before.slot + (3 * 24 * 3600 * 1000) / 400 - 5);
    // The clock keeps running from there: a slot may pass between the two reads.
    expect(after.slot - reply.result.absoluteSlot).to.be.within(0, 2);

    const slotReply = await call(net, "surfnet_timeTravel", [{ absoluteSlot: after.slot + 1000 }]);
    expect(slotReply.result.absoluteSlot).to.equal(after.slot + 1000);
    expect((await clock()).slot - (after.slot + 1000)).to.be.within(0, 2);
    const skipped = await call(net, "getBlock", [after.slot + 500]);
    expect(skipped.error?.code).to.equal(-32007);
    await transfer(net, Keypair.generate().publicKey);
  });

  it("time travel fails when going backwards: -32602 naming the target and the current clock, which stays put", async () => {
    const now = await clock();
    const backwards = await call(net, "surfnet_timeTravel", [{ absoluteTimestamp: (now.unixTimestamp - 60) * 1000 }]);
    expect(backwards.error?.code).to.equal(-32602);
    expect(backwards.error?.message).to.include("cannot travel back in time");
    const seconds = await call(net, "surfnet_timeTravel", [{ absoluteTimestamp: now.unixTimestamp + 60 }]);
    expect(seconds.error?.message).to.include("milliseconds");
    expect((await call(net, "surfnet_timeTravel", [{ absoluteSlot: 1 }])).error?.code).to.equal(-32602);
    expect((await call(net, "surfnet_timeTravel", [{ absoluteSlot: 1, absoluteEpoch: 2 }])).error?.code).to.equal(-32602);
    expect((await clock()).unixTimestamp).to.be.below(now.unixTimestamp + 5);
  });

  it("cors preflight succeeds for solana-client: the requested headers are allowed, and a request carrying it is served", async () => {
    const preflight = await fetch(net.url, {
      method: "OPTIONS",
      headers: { Origin: "http://localhost:5173", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,solana-client" },
    });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get("access-control-allow-origin")).to.equal("*");
    expect(preflight.headers.get("access-control-allow-headers")).to.equal("content-type,solana-client");
    const response = await fetch(net.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "solana-client": "js/1.0.0-maintenance", Origin: "http://localhost:5173" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "getHealth" }),
    });
    expect(await response.json()).to.deep.include({ result: "ok" });
  });

  it("ledger forgets the oldest transactions beyond its capacity: from getTransaction, getSignaturesForAddress and getBlock alike", async function () {
    if (!net.localnet) this.skip(); // the capacity of 3 applies to the in-process localnet only
    const recipient = Keypair.generate().publicKey;
    const sent: string[] = [];
    for (let i = 0; i < 5; i++) sent.push(await transfer(net, recipient, LAMPORTS_PER_SOL + i));
    const kept = (await net.connection.getSignaturesForAddress(recipient)).map((info) => info.signature);
    expect(kept).to.deep.equal([sent[4], sent[3], sent[2]]);
    expect(await net.connection.getTransaction(sent[1], { maxSupportedTransactionVersion: 0 })).to.equal(null);
    expect((await net.connection.getSignatureStatus(sent[0])).value).to.equal(null);
    const firstAvailable = (await call(net, "getFirstAvailableBlock")).result;
    expect((await call(net, "getBlock", [firstAvailable - 1])).error?.code).to.equal(-32001);
    expect(firstAvailable).to.be.greaterThan(0);
  });
});
