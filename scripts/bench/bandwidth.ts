/** media_bandwidth scenarios for `npm run bench`. */
import { Keypair } from "@solana/web3.js";
import BN from "bn.js";
import { bn } from "../../tests/utils/constants";
import { BANDWIDTH_DEFAULTS, MEDIA_BANDWIDTH_PROGRAM_ID, OPEN_OPERATOR_TERMS } from "../../sdk/src";
import { startBank, warpSeconds } from "../../tests/utils/bank";
import {
  GIB,
  MEDIA,
  depositInto,
  ensureRewardsPool,
  escrowOf,
  newConsumer,
  newOperator,
  openEscrow,
  registerProvider,
  settle,
  setUpBandwidth,
} from "../../tests/utils/bandwidth";
import type { Meter } from "./meter";

const PROGRAM = { name: "media_bandwidth", id: MEDIA_BANDWIDTH_PROGRAM_ID };

export async function benchBandwidth(meter: Meter): Promise<void> {
  const bank = await startBank();
  const last = () => [...bank.provider.transactions.keys()].at(-1) as string;
  let world!: Awaited<ReturnType<typeof setUpBandwidth>>;
  await meter.measure(bank, PROGRAM, "initialize_config", "config created", async () => {
    world = await setUpBandwidth(bank);
    return last();
  });
  const program = bank.programs.bandwidth;
  // Fixed wallets: PDA bump searches (provider, escrow) depend on the addresses.
  const operator = await newOperator(world, 100n * MEDIA, { register: false, wallet: Keypair.fromSeed(Buffer.alloc(32, 3)) });
  // Its staking side first (rewards pool, operator pool), so register_provider is measured alone in its transaction.
  await ensureRewardsPool(world);
  await bank.clients.staking.openOperator(OPEN_OPERATOR_TERMS.commissionBps, OPEN_OPERATOR_TERMS.feeShareBps, { signer: operator.wallet });
  await meter.measure(bank, PROGRAM, "register_provider", "provider account created", () => registerProvider(world, operator));
  const wallet = operator.wallet.publicKey;
  await meter.measure(bank, PROGRAM, "update_provider", "new prices", () =>
    program.methods.updateProvider(new BN(200_000), new BN(100_000)).accounts({ operator: wallet }).signers([operator.wallet]).rpc(),
  );
  const consumer = await newConsumer(world, undefined, undefined, Keypair.fromSeed(Buffer.alloc(32, 4)));
  // The operator's first escrow: lifetime (nonce) 0.
  const handle = escrowOf(world, consumer, operator, world.mediaMint, 0n);
  await meter.measure(bank, PROGRAM, "open_escrow", "escrow and vault created", async () => {
    await openEscrow(world, consumer, operator, world.mediaMint);
    return last();
  });
  await meter.measure(bank, PROGRAM, "deposit", "MEDIA deposit", () => depositInto(world, handle, 100n * MEDIA));
  await meter.measure(bank, PROGRAM, "settle_receipt", "MEDIA: provider, stakers (into the staking vault), treasury", () =>
    settle(world, handle, handle.channel.pay(GIB, 1_234_567n)),
  );
  const quote = await openEscrow(world, consumer, operator, world.quoteMint, 100n * MEDIA);
  await meter.measure(bank, PROGRAM, "settle_receipt", "quote: provider, treasury", () => settle(world, quote, quote.channel.pay(GIB, 777_777n)));
  await meter.measure(bank, PROGRAM, "request_close", "dispute window starts", () =>
    program.methods.requestClose().accounts({ consumer: consumer.wallet.publicKey, escrow: handle.escrow }).signers([consumer.wallet]).rpc(),
  );
  await warpSeconds(bank, 86_400);
  await meter.measure(bank, PROGRAM, "close_escrow", "refund, vault and escrow closed", () =>
    program.methods
      .closeEscrow()
      .accounts({ consumer: consumer.wallet.publicKey, consumerTokenAccount: consumer.mediaAccount, escrow: handle.escrow })
      .signers([consumer.wallet])
      .rpc(),
  );
  await meter.measure(bank, PROGRAM, "deactivate_provider", "provider stops", () =>
    program.methods.deactivateProvider().accounts({ operator: wallet }).signers([operator.wallet]).rpc(),
  );
  const authority = bank.payer.publicKey;
  await meter.measure(bank, PROGRAM, "set_parameters", "fee split and windows", () =>
    program.methods
      .setParameters(
        BANDWIDTH_DEFAULTS.protocolFeeBps,
        BANDWIDTH_DEFAULTS.stakerShareBps,
        bn(BANDWIDTH_DEFAULTS.quotaWindow),
        bn(BANDWIDTH_DEFAULTS.disputeWindow),
      )
      .accounts({ authority })
      .rpc(),
  );
  await meter.measure(bank, PROGRAM, "set_pause_authority", "new pause key", () => program.methods.setPauseAuthority(authority).accounts({ authority }).rpc());
  await meter.measure(bank, PROGRAM, "set_paused", "pause", () => program.methods.setPaused(true).accounts({ signer: authority }).rpc());
  await meter.measure(bank, PROGRAM, "set_authority", "hand-over to itself", () => program.methods.setAuthority(authority).accounts({ authority }).rpc());
}
