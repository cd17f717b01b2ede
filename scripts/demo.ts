/**
 * `npm run demo`: the whole MEDIA economy on an in-process bank (LiteSVM, the current Agave
 * runtime, with the real SBF programs), through the SDK's `MediaEconomy` only: a fixed-supply
 * genesis (the whole MEDIA supply minted once, the mint authority then none, every wallet
 * funded from the faucet allocation by transfer), stakers, Edge operators, consumers paying by signed receipts, the fee split, a burn, a
 * buyback auction and a governance vote that changes a parameter. It ends with a Media Scan
 * report and checks every figure of it against the chain.
 */
import { createAssociatedTokenAccountIdempotentInstruction, createTransferInstruction, getAssociatedTokenAddressSync, getMint } from "@solana/spl-token";
import { Keypair, type PublicKey, Transaction } from "@solana/web3.js";
import BN from "bn.js";
import {
  GENESIS_SUPPLY,
  type GenesisAllocation,
  MediaEconomy,
  type MediaProgramError,
  allocationAccount,
  devGenesisAllocations,
  fundEmissionVaultStep,
  genesisConfigSteps,
  genesisSupplySteps,
  TREASURY_PRICE_SCALE,
  VoteSide,
  auctionPriceAt,
  buybackSplit,
  feeSplit,
  mediaForQuote,
  treasuryPrice,
  GIB,
  MEDIA as MEDIA_BN,
  STAKING_DEFAULTS,
  bigintOf,
} from "../sdk/src";
import { startBank } from "../tests/utils/bank";
import { airdrop, createGenesisMint, tokenBalance } from "../tests/utils/token";

process.env.MEDIA_RUNTIME ??= "litesvm";

const MEDIA = bigintOf(MEDIA_BN);
const MIN_STAKE = bigintOf(STAKING_DEFAULTS.minStake);
// The demo's market: Edge operators price a GiB at 2 MEDIA or 1 USDC, so 2 MEDIA buy 1 USDC.
const PRICES = { media: 2n * MEDIA, usdc: 1n * MEDIA };
const MARKET_PRICE = treasuryPrice(PRICES.media, PRICES.usdc);
const fmt = (units: bigint) => (Number(units) / Number(MEDIA)).toLocaleString("en-US", { maximumFractionDigits: 6 });
let stepNumber = 0;
const step = (title: string) => console.log(`\n[${++stepNumber}] ${title}`);

interface Wallet {
  name: string;
  key: Keypair;
  media: PublicKey;
  usdc: PublicKey;
}

async function main() {
  console.log("MEDIA economy demo: an in-process bank with the four programs, driven by @media-network/sdk");
  const bank = await startBank();
  const economy = new MediaEconomy(bank.provider);
  const now = () => bank.runtime.unixTimestamp();
  const warp = async (seconds: bigint) => bank.runtime.setUnixTimestamp((await now()) + seconds);

  step("Genesis: MEDIA's fixed supply into its allocations (no mint authority left), a USDC stand-in, every program's config");
  const mediaMint = await createGenesisMint(bank);
  const usdcMint = await createGenesisMint(bank);
  // The demo's USDC stand-in is fixed too: all of it in the faucet.
  const usdcAllocations: GenesisAllocation[] = [{ name: "Faucet", amount: GENESIS_SUPPLY, holder: "faucet" }];
  for (const [mint, allocations] of [
    [mediaMint, devGenesisAllocations()],
    [usdcMint, usdcAllocations],
  ] as const) {
    for (const supplyStep of genesisSupplySteps(economy, { mint, allocations })) await supplyStep.send();
  }
  const faucets = {
    media: await allocationAccount(bank.payer.publicKey, mediaMint, { name: "Faucet", holder: "faucet" }),
    usdc: await allocationAccount(bank.payer.publicKey, usdcMint, { name: "Faucet", holder: "faucet" }),
  };
  for (const allocation of devGenesisAllocations()) console.log(`    ${allocation.name}: ${fmt(allocation.amount)} MEDIA`);
  // Every config with the spec's defaults (the rewards pool too); the buyback's reference price
  // starts at the demo's own market price. Then Staking and Rewards moves into the emission vault.
  for (const configStep of genesisConfigSteps(economy, { mediaMint, quoteMint: usdcMint, initialPrice: MARKET_PRICE })) await configStep.send();
  await fundEmissionVaultStep(economy, { mediaMint, allocations: devGenesisAllocations() }).send();
  console.log(`    MEDIA ${mediaMint.toBase58()}, USDC ${usdcMint.toBase58()}`);

  const wallets: Wallet[] = [];
  const wallet = async (name: string, media: bigint, usdc = 0n): Promise<Wallet> => {
    const key = Keypair.generate();
    await airdrop(bank, key.publicKey);
    const accounts = [mediaMint, usdcMint].map((mint) => getAssociatedTokenAddressSync(mint, key.publicKey));
    await bank.provider.sendAndConfirm(
      new Transaction().add(
        ...[mediaMint, usdcMint].map((mint, i) => createAssociatedTokenAccountIdempotentInstruction(bank.payer.publicKey, accounts[i], key.publicKey, mint)),
      ),
    );
    const funding = new Transaction();
    if (media > 0n) funding.add(createTransferInstruction(faucets.media, accounts[0], bank.payer.publicKey, media));
    if (usdc > 0n) funding.add(createTransferInstruction(faucets.usdc, accounts[1], bank.payer.publicKey, usdc));
    if (funding.instructions.length > 0) await bank.provider.sendAndConfirm(funding);
    const created = { name, key, media: accounts[0], usdc: accounts[1] };
    wallets.push(created);
    return created;
  };
  const as = (w: Wallet) => ({ signer: w.key, tokenAccount: w.media });

  step(`Stakers stake; the ${fmt(MIN_STAKE)} MEDIA minimum holds`);
  const stakers = await Promise.all(["Ada", "Ben", "Cleo", "Dev", "Eve"].map((name) => wallet(name, 5_000n * MEDIA)));
  const amounts = [...[1_200n, 800n, 500n, 300n].map((m) => m * MEDIA), MIN_STAKE];
  for (const [i, staker] of stakers.entries()) {
    await economy.staking.stake(amounts[i], as(staker));
    console.log(`    ${staker.name} staked ${fmt(amounts[i])} MEDIA`);
  }
  const shortOne = await wallet("Finn", 100n * MEDIA);
  try {
    await economy.staking.stake(MIN_STAKE - 1n, as(shortOne));
  } catch (error) {
    console.log(`    Finn's ${fmt(MIN_STAKE - 1n)} MEDIA refused: ${(error as MediaProgramError).errorName}`);
  }

  step("Edge operators stake and register prices per GiB");
  const operators = [await wallet("edge-eu", 2_000n * MEDIA), await wallet("edge-us", 2_000n * MEDIA)];
  for (const operator of operators) {
    await economy.staking.stake(1_000n * MEDIA, as(operator));
    await economy.bandwidth.registerProvider({ media: PRICES.media, quote: PRICES.usdc }, { signer: operator.key });
    const position = await economy.staking.position(operator.key.publicKey);
    console.log(`    ${operator.name}: 1,000 MEDIA staked, quota ${(position?.quotaBytes ?? 0n) / GIB} GiB per day`);
  }

  step("Consumers open escrows (one in MEDIA, one in USDC) and pay by signed receipts");
  const streamer = await wallet("streamer", 2_000n * MEDIA);
  const dapp = await wallet("dapp", 0n, 2_000n * MEDIA);
  const mediaEscrow = await economy.bandwidth.openEscrow(operators[0].key.publicKey, mediaMint, { signer: streamer.key });
  await economy.bandwidth.deposit(mediaEscrow, 500n * MEDIA, streamer.media, { signer: streamer.key });
  const usdcEscrow = await economy.bandwidth.openEscrow(operators[1].key.publicKey, usdcMint, { signer: dapp.key });
  await economy.bandwidth.deposit(usdcEscrow, 500n * MEDIA, dapp.usdc, { signer: dapp.key });
  const channels = [
    { channel: await economy.bandwidth.receiptChannel(mediaEscrow, streamer.key), operator: operators[0], mint: mediaMint, price: PRICES.media, isMedia: true },
    { channel: await economy.bandwidth.receiptChannel(usdcEscrow, dapp.key), operator: operators[1], mint: usdcMint, price: PRICES.usdc, isMedia: false },
  ];
  const config = await economy.bandwidth.fetchConfig();
  let expectedStakerShare = 0n;
  const feesPaid = { media: 0n, usdc: 0n };
  for (const { channel, operator, mint, price, isMedia } of channels) {
    for (const gib of [40n, 25n, 60n]) {
      const receipt = channel.payAtPrice(gib * GIB, price);
      await economy.bandwidth.settleReceipt(
        receipt,
        {
          providerTokenAccount: isMedia ? operator.media : operator.usdc,
          treasuryVault: economy.treasury.vaultAddress(mint),
        },
        { signer: operator.key },
      );
      const split = feeSplit(gib * price, config.protocolFeeBps, config.stakerShareBps, isMedia);
      if (isMedia) expectedStakerShare += split.stakers;
      feesPaid[isMedia ? "media" : "usdc"] += gib * price;
      console.log(
        `    ${operator.name} settled ${gib} GiB for ${fmt(gib * price)} ${isMedia ? "MEDIA" : "USDC"}: ` +
          `provider ${fmt(split.provider)}, stakers ${fmt(split.stakers)}, treasury ${fmt(split.treasury)}`,
      );
    }
  }

  step("The stakers' share streams out over the reward period; a day later stakers claim");
  await economy.staking.syncRewards();
  const stream = await economy.staking.rewardStream();
  console.log(`    ${fmt(expectedStakerShare)} MEDIA of fees folded into the stream, until ${new Date(Number(stream.periodEnd) * 1000).toISOString()}`);
  await warp(24n * 60n * 60n);
  for (const staker of stakers.slice(0, 2)) {
    const claimable = (await economy.staking.position(staker.key.publicKey))?.claimable ?? 0n;
    await economy.staking.claimRewards(as(staker));
    console.log(`    ${staker.name} claimed ${fmt(claimable)} MEDIA`);
  }

  step("Treasury: burn MEDIA fees, then a buyback auction sells USDC revenue for MEDIA");
  const feesToBurn = await tokenBalance(bank, economy.treasury.vaultAddress(mediaMint));
  await economy.treasury.burnFees();
  console.log(`    burned ${fmt(feesToBurn)} MEDIA of fees`);
  await economy.treasury.startAuction();
  const auction = await economy.treasury.fetchConfig();
  const price = (scaled: bigint) => (Number(scaled) / Number(TREASURY_PRICE_SCALE)).toFixed(3);
  console.log(
    `    the auction starts at ${price(BigInt(auction.startPrice.toString()))} MEDIA per USDC and falls to ${price(BigInt(auction.floorPrice.toString()))}; ` +
      `the market pays ${price(MARKET_PRICE)}`,
  );
  // A rational taker waits until the auction sells USDC below the market price.
  let at = await now();
  while (auctionPriceAt(await economy.treasury.fetchConfig(), at) >= MARKET_PRICE) {
    await warp(15n * 60n);
    at = await now();
  }
  const taker = await wallet("arbitrageur", 5_000n * MEDIA);
  const lot = BigInt((await economy.treasury.fetchConfig()).lotRemaining.toString());
  const quote = lot / 2n;
  const auctionPrice = auctionPriceAt(await economy.treasury.fetchConfig(), at);
  const cost = mediaForQuote(quote, auctionPrice);
  await economy.treasury.take(quote, cost, { takerMediaAccount: taker.media, takerQuoteAccount: taker.usdc }, { signer: taker.key });
  const buyback = buybackSplit(cost, config.stakerShareBps);
  console.log(
    `    ${taker.name} waited until ${price(auctionPrice)} MEDIA per USDC (market ${price(MARKET_PRICE)}), bought ${fmt(quote)} USDC of the ${fmt(lot)} USDC lot ` +
      `for ${fmt(cost)} MEDIA (at market ${fmt(mediaForQuote(quote, MARKET_PRICE))}): ${fmt(buyback.burned)} burned, ${fmt(buyback.toStakers)} to stakers`,
  );

  step("Governance: hand staking to the governance PDA, then vote the minimum up to 50 MEDIA");
  const governancePda = economy.governance.address();
  await economy.programs.staking.methods.setAuthority(governancePda).accounts({ authority: bank.payer.publicKey }).rpc();
  const raise = await economy.programs.staking.methods
    .setMinStake(new BN((50n * MEDIA).toString()))
    .accounts({ authority: governancePda })
    .instruction();
  const proposal = await economy.governance.propose(
    [raise],
    { uri: "ipfs://media/raise-minimum-to-50", hash: new Array(32).fill(1) },
    { signer: stakers[0].key },
  );
  for (const [i, voter] of stakers.slice(0, 4).entries()) {
    await economy.governance.castVote(proposal, i === 3 ? VoteSide.Against : VoteSide.For, { signer: voter.key });
  }
  const governanceConfig = await economy.governance.fetchConfig();
  await warp(BigInt(governanceConfig.votingPeriod.toString()) + 1n);
  await economy.governance.finalize(proposal);
  await warp(BigInt(governanceConfig.timelock.toString()));
  await economy.governance.execute(proposal);
  const minStake = BigInt((await economy.staking.fetchConfig()).minStake.toString());
  console.log(`    proposal ${proposal.toBase58()} passed and executed: min stake is now ${fmt(minStake)} MEDIA`);

  step("Media Scan");
  await economy.staking.syncRewards();
  const report = await economy.scan(await now());
  const { supply, mintAuthority } = await getMint(bank.provider.connection, mediaMint);
  const lines: [string, string][] = [
    ["staked (active)", `${fmt(report.staking.totalActive)} MEDIA by ${report.staking.stakers} stakers`],
    ["unbonding", `${fmt(report.staking.totalUnbonding)} MEDIA`],
    [
      "staking rewards by source",
      `fees ${fmt(report.rewardsBySource.fees)}, buybacks ${fmt(report.rewardsBySource.buybacks)}, grants ${fmt(report.rewardsBySource.funded)} MEDIA`,
    ],
    ["staking APR (this period)", `${((report.staking.apr ?? 0) * 100).toFixed(2)}%`],
    ["active Edge providers", `${report.bandwidth.activeProviders}`],
    ["quota used (rolling)", `${report.bandwidth.quotaUsedNow / GIB} GiB`],
    ["bytes served", `${report.bandwidth.bytesServed / GIB} GiB`],
    ["fees paid (lifetime)", `${fmt(report.bandwidth.feesPaid.media)} MEDIA, ${fmt(report.bandwidth.feesPaid.quote)} USDC`],
    ["protocol revenue", `${fmt(report.bandwidth.protocolRevenue.media)} MEDIA, ${fmt(report.bandwidth.protocolRevenue.quote)} USDC`],
    ["MEDIA burned", `${fmt(report.treasury.totalBurned)} (fees ${fmt(report.treasury.feesBurned)}, buybacks ${fmt(report.treasury.buybackBurned)})`],
    ["buyback reference price", `${price(report.treasury.referencePrice)} MEDIA per USDC`],
    ["proposals (open)", `${report.governance.proposals} (${report.governance.openProposals})`],
    ["MEDIA supply", `${fmt(supply)}`],
  ];
  for (const [label, value] of lines) console.log(`    ${label.padEnd(26)} ${value}`);

  // The report must agree with the chain.
  const checks: [string, boolean][] = [
    ["total active = sum of stakes", report.staking.totalActive === amounts.reduce((a, b) => a + b, 0n) + 2_000n * MEDIA],
    ["stakers counted", report.staking.stakers === stakers.length + operators.length],
    ["rewards from fees = stakers' share of MEDIA fees", report.rewardsBySource.fees === expectedStakerShare],
    ["rewards from buybacks = stakers' share of the buyback", report.rewardsBySource.buybacks === buyback.toStakers],
    ["rewards received = fees + buybacks", report.staking.rewardsReceived === expectedStakerShare + buyback.toStakers],
    ["fees paid = receipts settled", report.bandwidth.feesPaid.media === feesPaid.media && report.bandwidth.feesPaid.quote === feesPaid.usdc],
    ["bytes served = receipts settled", report.bandwidth.bytesServed === 2n * 125n * GIB],
    ["supply + burned = genesis supply", supply + report.treasury.totalBurned === GENESIS_SUPPLY],
    ["no mint authority: nobody can mint MEDIA", mintAuthority === null],
    ["burned = fees + burned part of buybacks", report.treasury.totalBurned === feesToBurn + buyback.burned],
    ["the taker paid less than market for USDC", cost < mediaForQuote(quote, MARKET_PRICE)],
    ["min stake changed by governance", minStake === 50n * MEDIA],
  ];
  console.log("");
  for (const [name, ok] of checks) console.log(`    ${ok ? "ok  " : "FAIL"} ${name}`);
  if (checks.some(([, ok]) => !ok)) throw new Error("the Media Scan report disagrees with on-chain state");
  console.log(`\nDone: ${wallets.length} wallets, every figure checked against the chain.`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
