/**
 * The SDK over JSON-RPC (the localnet, or `MEDIA_RPC_URL`), where a dApp meets it: a
 * transaction sent with `skipPreflight` confirms and fails, and its error reaches the client
 * only as a status; the SDK reads the logs back and names it. Events arrive through
 * `economy.onEvent` over `logsSubscribe` where the endpoint offers it.
 *
 * It needs no runtime of its own, so it runs once (with MEDIA_RUNTIME=litesvm).
 */
import { expect } from "chai";
import WebSocket from "ws";
import { MediaEconomy, type MediaEventInContext, MediaProgramError, MediaTokenError, type SubscribeOptions } from "../../sdk/src";
import { runtimeName } from "../utils/bank";
import { MEDIA } from "../utils/constants";
import { type RpcNet, type RpcStaker, type RpcStakingWorld, newRpcStaker, setUpStakingOverRpc, startRpc } from "../utils/rpc";

/** Whether the endpoint at `wsUrl` answers `logsSubscribe` (the subscription is dropped at once). */
async function offersLogsSubscribe(wsUrl: string | undefined, mention: string): Promise<boolean> {
  if (!wsUrl) return false;
  return new Promise((resolve) => {
    const socket = new WebSocket(wsUrl);
    const done = (answer: boolean) => {
      socket.close();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), 5_000);
    socket.on("error", () => done(false));
    socket.on("open", () => socket.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "logsSubscribe", params: [{ mentions: [mention] }] })));
    socket.on("message", (data) => {
      clearTimeout(timer);
      done(typeof (JSON.parse(String(data)) as { result?: unknown }).result === "number");
    });
  });
}

describe("sdk: named errors and events over JSON-RPC", () => {
  let net: RpcNet;
  let world: RpcStakingWorld;
  let economy: MediaEconomy;
  let staker: RpcStaker;

  before(async function () {
    if (runtimeName() !== "litesvm") this.skip();
    net = await startRpc();
    world = await setUpStakingOverRpc(net);
    economy = new MediaEconomy(net.provider);
    staker = await newRpcStaker(world, 100n * MEDIA);
  });

  after(async () => {
    await net?.stop();
  });

  it("stake succeeds over RPC with the SDK's balance check: the position reads back in bigint", async () => {
    await economy.staking.stake(40n * MEDIA, { signer: staker.wallet, tokenAccount: staker.tokenAccount });
    const position = await economy.staking.position(staker.wallet.publicKey);
    expect(position?.active).to.equal(40n * MEDIA);
  });

  it("request_unstake with skipPreflight fails on-chain: MediaProgramError named from the confirmed transaction's logs", async () => {
    const { staking } = economy;
    let caught: unknown;
    await staking
      .send(
        [await staking.requestUnstakeInstruction(1_000n * MEDIA, staker.wallet.publicKey)],
        { signer: staker.wallet },
        { skipPreflight: true, commitment: "confirmed" },
      )
      .catch((error: unknown) => {
        caught = error;
      });
    expect(caught, String(caught)).to.be.instanceOf(MediaProgramError);
    expect((caught as MediaProgramError).errorName).to.equal("InsufficientActiveStake");
    expect((caught as MediaProgramError).logs.length).to.be.greaterThan(0);
  });

  it("stake past the balance with skipPreflight fails in the token program: MediaTokenError InsufficientFunds", async () => {
    const { staking } = economy;
    let caught: unknown;
    await staking
      .send(
        [await staking.stakeInstruction(1_000n * MEDIA, staker.wallet.publicKey, staker.tokenAccount)],
        { signer: staker.wallet },
        { skipPreflight: true, commitment: "confirmed" },
      )
      .catch((error: unknown) => {
        caught = error;
      });
    expect(caught, String(caught)).to.be.instanceOf(MediaTokenError);
    expect((caught as MediaTokenError).errorName).to.equal("InsufficientFunds");
  });

  /**
   * The first `staked` event `onEvent` delivers (with `options`) for a stake of `amount`, and the
   * stake's signature. Each caller stakes its own amount: an identical transaction within one
   * blockhash would be refused as already processed.
   */
  async function firstStaked(amount: bigint, options: SubscribeOptions): Promise<{ seen: MediaEventInContext[]; signature: string }> {
    const seen: MediaEventInContext[] = [];
    const arrived = new Promise<void>((resolve) => {
      const stop = economy.onEvent(
        "staked",
        (event) => {
          seen.push(event);
          void stop().then(() => resolve());
        },
        options,
      );
    });
    const signature = await economy.staking.stake(amount, { signer: staker.wallet, tokenAccount: staker.tokenAccount });
    await Promise.race([arrived, new Promise((_, reject) => setTimeout(() => reject(new Error("no staked event within 15 s")), 15_000))]);
    return { seen, signature };
  }

  it("onEvent succeeds over logsSubscribe: the staked event arrives decoded as logged, then unsubscribes", async function () {
    const wsUrl = net.localnet?.wsUrl ?? process.env.MEDIA_RPC_WS_URL;
    if (!(await offersLogsSubscribe(wsUrl, economy.programIds.staking.toBase58()))) this.skip(); // an endpoint without logsSubscribe
    const { seen, signature } = await firstStaked(5n * MEDIA, {});
    expect(seen).to.have.length(1);
    expect(seen[0].program).to.equal("staking");
    expect(seen[0].signature).to.equal(signature);
    // As logged: the position after the stake; who staked and how much are the instruction's
    const position = await economy.staking.position(staker.wallet.publicKey);
    expect(seen[0].data).to.deep.equal({ active: position?.active, totalActive: (await economy.staking.fetchConfig()).totalActive });
  });

  it("onEvent with whole succeeds: the staked event arrives with the staker and the amount read from its transaction", async function () {
    const wsUrl = net.localnet?.wsUrl ?? process.env.MEDIA_RPC_WS_URL;
    if (!(await offersLogsSubscribe(wsUrl, economy.programIds.staking.toBase58()))) this.skip(); // an endpoint without logsSubscribe
    const { seen, signature } = await firstStaked(6n * MEDIA, { whole: true });
    expect(seen).to.have.length(1);
    expect(seen[0].signature).to.equal(signature);
    expect(String(seen[0].data.owner)).to.equal(staker.wallet.publicKey.toBase58());
    expect(seen[0].data.amount).to.equal(6n * MEDIA);
  });
});
