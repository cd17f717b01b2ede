/**
 * The SDK as a dApp developer meets it (issue 16): a consumer whose browser wallet only offers
 * `signMessage`, an Edge operator settling through builders composed with compute-budget
 * instructions, and an attacker whose forgeries come back as named errors with a hint. Amounts,
 * times and events are bigint; listings come from `getProgramAccounts` filters.
 */
import { ed25519 } from "@noble/curves/ed25519";
import { ComputeBudgetProgram, Keypair } from "@solana/web3.js";
import { expect } from "chai";
import {
  BANDWIDTH_DEFAULTS,
  type BandwidthParams,
  DEFAULT_MEDIA_PROGRAM_IDS,
  MEDIA_BANDWIDTH_IDL,
  MEDIA_GOVERNANCE_IDL,
  MEDIA_STAKING_IDL,
  MEDIA_TREASURY_IDL,
  MediaPreconditionError,
  MediaTokenError,
  type MessageReceiptSigner,
  ReceiptSignatureError,
  STAKING_DEFAULTS,
  type StakingParams,
  camelCaseName,
  parseEvents,
} from "../../sdk/src";
import type { Idl } from "@coral-xyz/anchor";
import { given, warpSeconds } from "../utils/bank";
import { GIB, MEDIA, type Operator, newConsumer, newOperator, setUpBandwidth } from "../utils/bandwidth";
import { airdrop, createTokenAccount, tokenBalance, transfer } from "../utils/token";

/**
 * A browser wallet's message signing as a wallet adapter exposes it (`{ publicKey, signMessage }`):
 * the key stays inside. (Its transactions are signed by the same key, standing for the adapter's
 * `signTransaction`, since the bank's provider signs with keypairs.)
 */
function browserWallet(key: Keypair): MessageReceiptSigner & { signed: number } {
  const wallet = {
    publicKey: key.publicKey,
    signed: 0,
    async signMessage(message: Uint8Array): Promise<Uint8Array> {
      wallet.signed++;
      return ed25519.sign(message, key.secretKey.subarray(0, 32));
    },
  };
  return wallet;
}

describe("sdk: the dApp developer's API", () => {
  const walletKey = Keypair.generate();
  const wallet = browserWallet(walletKey);
  const walletSigner = () => walletKey;
  const cast = given(async (bank) => {
    const world = await setUpBandwidth(bank);
    const operator: Operator = await newOperator(world, 100n * MEDIA);
    const consumer = await newConsumer(world, 50n * MEDIA, 0n);
    // The browser wallet holds 20 MEDIA in an account of its own.
    await airdrop(bank, wallet.publicKey);
    const walletMedia = await createTokenAccount(bank, world.mediaMint, wallet.publicKey);
    await transfer(bank, { wallet: consumer.wallet, tokenAccount: consumer.mediaAccount }, walletMedia, 20n * MEDIA);
    return { world, operator, consumer, walletMedia };
  });

  it("every instruction of the four IDLs has a builder on its client: nothing is sent raw", () => {
    const clients = cast.bank.clients as unknown as Record<string, Record<string, unknown>>;
    const idls: [string, Idl][] = [
      ["staking", MEDIA_STAKING_IDL as unknown as Idl],
      ["bandwidth", MEDIA_BANDWIDTH_IDL as unknown as Idl],
      ["treasury", MEDIA_TREASURY_IDL as unknown as Idl],
      ["governance", MEDIA_GOVERNANCE_IDL as unknown as Idl],
    ];
    const missing = idls.flatMap(([client, idl]) =>
      idl.instructions
        .map((ix) => camelCaseName(ix.name))
        .filter((name) => typeof clients[client][`${name}Instruction`] !== "function" && typeof clients[client][`${name}Instructions`] !== "function")
        .map((name) => `${client}.${name}Instruction`),
    );
    expect(missing).to.deep.equal([]);
  });

  it("config parameters succeed with any value in bounds: defaults spread and overridden type-check", () => {
    const bandwidth: BandwidthParams = { ...BANDWIDTH_DEFAULTS, protocolFeeBps: 500, quotaWindow: 7_200n };
    const staking: StakingParams = { ...STAKING_DEFAULTS, minStake: 10n * MEDIA };
    expect(bandwidth.protocolFeeBps).to.equal(500);
    expect(typeof STAKING_DEFAULTS.minStake).to.equal("bigint");
    expect(staking.minStake).to.equal(10_000_000n);
    expect(Object.isFrozen(BANDWIDTH_DEFAULTS)).to.equal(true);
  });

  it("a browser wallet consumer's receipts settle: signMessage signs, the Edge operator is paid", async () => {
    const { bandwidth } = cast.bank.clients;
    // Given the wallet's escrow with the operator, funded
    const escrow = await bandwidth.openEscrow(cast.operator.wallet.publicKey, cast.world.mediaMint, { signer: walletSigner() });
    await bandwidth.deposit(escrow, 10n * MEDIA, cast.walletMedia, { signer: walletSigner() });
    // When the dApp pays for two GiB through the wallet
    const channel = await bandwidth.receiptChannel(escrow, wallet);
    const first = await channel.pay(GIB);
    const second = await channel.pay(GIB);
    expect(wallet.signed).to.equal(2);
    expect(second.cumulativeBytes).to.equal(2n * GIB);
    // Then the operator settles the newest receipt and is paid for both, less the protocol fee
    const before = await tokenBalance(cast.bank, cast.operator.mediaAccount);
    const settled = await bandwidth.settleChannel(
      channel,
      { providerTokenAccount: cast.operator.mediaAccount, treasuryVault: cast.world.treasuryMediaVault },
      { signer: cast.operator.wallet },
    );
    expect(settled?.cumulativeAmount).to.equal(second.cumulativeAmount);
    const fee = (second.cumulativeAmount * BigInt(BANDWIDTH_DEFAULTS.protocolFeeBps)) / 10_000n;
    expect((await tokenBalance(cast.bank, cast.operator.mediaAccount)) - before).to.equal(second.cumulativeAmount - fee);
    expect(first.cumulativeAmount < second.cumulativeAmount).to.equal(true);
    const state = await bandwidth.fetchEscrow(escrow);
    expect(typeof state?.settledAmount).to.equal("bigint");
    expect(state?.settledAmount).to.equal(second.cumulativeAmount);
  });

  it("signReceipt fails when the wallet signs another message: ReceiptSignatureError, the channel unchanged", async () => {
    const { bandwidth } = cast.bank.clients;
    const [escrow] = (await bandwidth.listEscrows({ consumer: wallet.publicKey })).map((e) => e.address);
    const wrapping: MessageReceiptSigner = {
      publicKey: wallet.publicKey,
      // A wallet that signs a prefixed message (as some hardware wallets do): its receipts would never settle.
      signMessage: async (message) => wallet.signMessage(Uint8Array.from([0xff, ...message])),
    };
    const channel = await bandwidth.receiptChannel(escrow, wrapping);
    const figures = [channel.cumulativeBytes, channel.cumulativeAmount];
    let caught: unknown;
    await channel.pay(GIB).catch((error: unknown) => {
      caught = error;
    });
    expect(caught).to.be.instanceOf(ReceiptSignatureError);
    expect((caught as ReceiptSignatureError).hint).to.match(/sign it again/);
    expect([channel.cumulativeBytes, channel.cumulativeAmount]).to.deep.equal(figures);
    expect(channel.pending).to.have.length(0);
  });

  it("request_close and close_escrow builders succeed composed with compute-budget instructions: the consumer is refunded", async () => {
    const { bandwidth } = cast.bank.clients;
    const [{ address: escrow, account }] = await bandwidth.listEscrows({ consumer: wallet.publicKey, mint: cast.world.mediaMint });
    const budget = [ComputeBudgetProgram.setComputeUnitLimit({ units: 200_000 }), ComputeBudgetProgram.setComputeUnitPrice({ microLamports: 1 })];
    await bandwidth.send([...budget, await bandwidth.requestCloseInstruction(escrow, wallet.publicKey)], { signer: walletSigner() });
    await warpSeconds(cast.bank, BANDWIDTH_DEFAULTS.disputeWindow + 1n);
    const before = await tokenBalance(cast.bank, cast.walletMedia);
    await bandwidth.send([...budget, await bandwidth.closeEscrowInstruction(escrow, cast.walletMedia, wallet.publicKey)], { signer: walletSigner() });
    expect((await tokenBalance(cast.bank, cast.walletMedia)) - before).to.equal(account.deposited - account.settledAmount);
    expect(await bandwidth.fetchEscrow(escrow)).to.equal(null);
  });

  it("listing succeeds: a consumer's escrows, the active providers, by getProgramAccounts filters", async () => {
    const { bandwidth } = cast.bank.clients;
    const escrow = await bandwidth.openEscrow(cast.operator.wallet.publicKey, cast.world.quoteMint, { signer: cast.consumer.wallet });
    const mine = await bandwidth.listEscrows({ consumer: cast.consumer.wallet.publicKey });
    expect(mine.map((e) => e.address.toBase58())).to.deep.equal([escrow.toBase58()]);
    expect(await bandwidth.listEscrows({ consumer: Keypair.generate().publicKey })).to.deep.equal([]);
    const providers = await bandwidth.listProviders({ active: true });
    expect(providers.map((p) => p.account.operator.toBase58())).to.deep.equal([cast.operator.wallet.publicKey.toBase58()]);
    expect(typeof providers[0].account.mediaPricePerGib).to.equal("bigint");
    await bandwidth.deactivateProvider({ signer: cast.operator.wallet });
    expect(await bandwidth.listProviders({ active: true })).to.deep.equal([]);
    expect(await bandwidth.listProviders({ active: false })).to.have.length(1);
  });

  it("stake fails when the balance is short: MediaPreconditionError says how much to add, nothing sent", async () => {
    const attacker = await newConsumer(cast.world, 5n * MEDIA, 0n);
    let caught: unknown;
    await cast.bank.clients.staking.stake(30n * MEDIA, { signer: attacker.wallet, tokenAccount: attacker.mediaAccount }).catch((error: unknown) => {
      caught = error;
    });
    expect(caught).to.be.instanceOf(MediaPreconditionError);
    expect((caught as MediaPreconditionError).check).to.equal("InsufficientBalance");
    expect((caught as MediaPreconditionError).hint).to.include(`${25n * MEDIA} more`);
    expect(await cast.bank.clients.staking.fetchStakeAccount(attacker.wallet.publicKey)).to.equal(null);
  });

  it("stake fails when the token account does not exist: MediaPreconditionError names it", async () => {
    const stranger = Keypair.generate();
    await airdrop(cast.bank, stranger.publicKey);
    let caught: unknown;
    await cast.bank.clients.staking.stake(30n * MEDIA, { signer: stranger }).catch((error: unknown) => {
      caught = error;
    });
    expect(caught).to.be.instanceOf(MediaPreconditionError);
    expect((caught as MediaPreconditionError).check).to.equal("TokenAccountMissing");
    expect((caught as Error).message).to.match(/createAssociatedTokenAccountIdempotentInstruction/);
  });

  it("a stake built past the balance fails in the token program: MediaTokenError InsufficientFunds with a hint", async () => {
    const attacker = await newConsumer(cast.world, 5n * MEDIA, 0n);
    const { staking } = cast.bank.clients;
    let caught: unknown;
    await staking
      .send([await staking.stakeInstruction(30n * MEDIA, attacker.wallet.publicKey, attacker.mediaAccount)], { signer: attacker.wallet })
      .catch((error: unknown) => {
        caught = error;
      });
    expect(caught).to.be.instanceOf(MediaTokenError);
    expect((caught as MediaTokenError).errorName).to.equal("InsufficientFunds");
    expect((caught as MediaTokenError).code).to.equal(1);
    expect((caught as MediaTokenError).hint).to.match(/top it up/);
  });

  it("an attacker's forged receipt fails: ReceiptSignatureError names the Ed25519 precompile's refusal", async function () {
    // solana-bankrun's 1.18 runtime does not run precompiles (see settle_receipt_signature.test.ts).
    if (cast.bank.runtime.name !== "litesvm") this.skip();
    const { bandwidth } = cast.bank.clients;
    const victim = await newConsumer(cast.world, 20n * MEDIA, 0n);
    const operator = await newOperator(cast.world, 100n * MEDIA);
    const escrow = await bandwidth.openEscrow(operator.wallet.publicKey, cast.world.mediaMint, { signer: victim.wallet });
    await bandwidth.deposit(escrow, 10n * MEDIA, victim.mediaAccount, { signer: victim.wallet });
    const channel = await bandwidth.receiptChannel(escrow, victim.wallet);
    const receipt = channel.pay(GIB);
    // The attacker presents the genuine signature for a larger amount.
    const forged = { ...receipt, cumulativeAmount: 9n * MEDIA };
    const instructions = await bandwidth.settleReceiptInstructions(
      forged,
      { providerTokenAccount: operator.mediaAccount, treasuryVault: cast.world.treasuryMediaVault },
      operator.wallet.publicKey,
    );
    let caught: unknown;
    await bandwidth.send(instructions, { signer: operator.wallet }).catch((error: unknown) => {
      caught = error;
    });
    expect(caught).to.be.instanceOf(ReceiptSignatureError);
    expect((caught as ReceiptSignatureError).reason).to.equal("InvalidSignature");
    expect((caught as ReceiptSignatureError).instruction).to.equal(0);
    expect((await bandwidth.fetchEscrow(escrow))?.settledAmount).to.equal(0n);
  });

  it("events succeed in camelCase with bigint fields, whichever IDL form decodes them", async () => {
    const { staking } = cast.bank.clients;
    const signature = await staking.requestUnstake(MEDIA, { signer: cast.operator.wallet });
    const logs = cast.bank.provider.record(signature).logs;
    const raw = parseEvents(staking.programId, MEDIA_STAKING_IDL as unknown as Idl, logs);
    const camel = parseEvents(staking.programId, cast.bank.programs.staking.idl as unknown as Idl, logs);
    expect(raw).to.deep.equal(camel);
    expect(raw[0].name).to.equal("unstakeRequested");
    expect(raw[0].data.unbonding).to.equal(MEDIA);
    expect(typeof raw[0].data.unbondingEnd).to.equal("bigint");
    expect(String(raw[0].data.unbonding)).to.equal("1000000");
    const all = cast.bank.clients.parseEvents(logs, { signature });
    expect(all.map((e) => `${e.program}:${e.name}`)).to.deep.equal(["staking:unstakeRequested"]);
    // Read with the transaction, the amount asked for is the instruction's, in the same form
    const [whole] = await cast.bank.clients.transactionEvents(signature);
    expect(whole.data.amount).to.equal(MEDIA);
    expect(String(whole.data.owner)).to.equal(cast.operator.wallet.publicKey.toBase58());
  });

  it("onEvent fails over a provider without a logs subscription: a named hint, no silent no-op", function () {
    const connection = cast.bank.provider.connection as unknown as { onLogs?: unknown };
    if (typeof connection.onLogs === "function") this.skip(); // covered against the localnet (tests/localnet)
    expect(() => cast.bank.clients.onEvent("receiptSettled", () => undefined)).to.throw(/no logs subscription/);
  });

  it("onEvent fails for an event no program emits: the error lists the names", () => {
    // TypeScript refuses the typo at compile time; a JavaScript caller gets the names at run time.
    const typo = "receiptSetled" as Parameters<typeof cast.bank.clients.onEvent>[0];
    expect(() => cast.bank.clients.onEvent(typo, () => undefined)).to.throw(/receiptSettled/);
  });

  it("programIds default to the IDLs' ids", () => {
    expect(cast.bank.clients.programIds).to.deep.equal({ ...DEFAULT_MEDIA_PROGRAM_IDS });
  });
});
