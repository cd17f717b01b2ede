/**
 * `npm run localnet -- --dev`: the localnet with an economy ready to use. A fresh deployer (the
 * preloaded programs' upgrade authority) takes SOL from the faucet and runs the SDK testing
 * kit's `devGenesis` over RPC, as any client would: fixed-supply mints (the whole supply minted
 * once into its allocations, no mint authority after), every config with the shortest periods
 * its bounds allow, and wallets funded from the faucet allocation by transfer, whose keypair
 * files are written for the developer's own clients and wallets.
 */
import { join } from "node:path";
import { AnchorProvider, Wallet } from "@coral-xyz/anchor";
import { Connection, Keypair, LAMPORTS_PER_SOL, type PublicKey } from "@solana/web3.js";
import { MEDIA, MediaEconomy } from "../sdk/src";
import { type DevEconomy, type DevGenesisOptions, devGenesis } from "../sdk/src/testing";
import { writeKeypair } from "../scripts/keys";

/** Where `--dev` writes the deployer's and the wallets' keypair files. */
export const DEV_KEYS_DIR = join(__dirname, "..", ".keys", "dev-wallets");

/** SOL the deployer takes from the faucet: genesis rent, fees and every wallet's SOL. */
const DEPLOYER_AIRDROP = 10_000n * BigInt(LAMPORTS_PER_SOL);

export interface DevLocalnetOptions extends Pick<DevGenesisOptions, "wallets" | "lamportsPerWallet" | "mediaPerWallet" | "quotePerWallet"> {
  /** The localnet's JSON-RPC and websocket URLs. */
  url: string;
  wsUrl?: string;
  /** The preloaded programs' upgrade authority: the only key that may initialize their configs. */
  deployer: Keypair;
  /** Where keypair files are written (default `DEV_KEYS_DIR`). */
  keysDir?: string;
  log?: (line: string) => void;
}

export interface DevLocalnet extends DevEconomy {
  deployer: { publicKey: PublicKey; keypairFile: string };
  /** Each wallet's keypair file, in `wallets` order. */
  walletFiles: string[];
}

/** The deployer `--dev` starts the localnet with (its upgrade authority). */
export function newDevDeployer(): Keypair {
  return Keypair.generate();
}

/**
 * Funds the deployer from the faucet, runs `devGenesis` over RPC and writes the keypair files.
 * `devGenesis` refuses a deployer that is not the programs' upgrade authority (NotUpgradeAuthorityError).
 */
export async function runDevGenesis(options: DevLocalnetOptions): Promise<DevLocalnet> {
  const log = options.log ?? (() => undefined);
  const keysDir = options.keysDir ?? DEV_KEYS_DIR;
  const { deployer } = options;
  const connection = new Connection(options.url, { commitment: "confirmed", wsEndpoint: options.wsUrl });

  log(`Development genesis over ${options.url}`);
  const airdrop = await connection.requestAirdrop(deployer.publicKey, Number(DEPLOYER_AIRDROP));
  await connection.confirmTransaction({ signature: airdrop, ...(await connection.getLatestBlockhash()) }, "confirmed");
  log(`  + deployer ${deployer.publicKey.toBase58()} funded from the faucet`);

  const provider = new AnchorProvider(connection, new Wallet(deployer), { commitment: "confirmed", preflightCommitment: "confirmed" });
  const dev = await devGenesis(new MediaEconomy(provider), { ...options, log });

  const deployerFile = join(keysDir, "deployer.json");
  writeKeypair(deployerFile, deployer);
  const walletFiles = dev.wallets.map((wallet, i) => {
    const file = join(keysDir, `wallet-${i + 1}.json`);
    writeKeypair(file, wallet.keypair);
    return file;
  });
  log(`  + keypair files written to ${keysDir}`);
  return { ...dev, deployer: { publicKey: deployer.publicKey, keypairFile: deployerFile }, walletFiles };
}

/** Base units of a 6-decimal mint as whole units (and a fraction when there is one). */
function mediaUnits(amount: bigint): string {
  const one = BigInt(MEDIA.toString());
  const fraction = amount % one;
  return fraction === 0n ? `${amount / one}` : `${amount / one}.${fraction.toString().padStart(MEDIA.toString().length - 1, "0")}`;
}

/** What `--dev` prints once the economy is ready. */
export function describeDevLocalnet(dev: DevLocalnet): string {
  const seconds = (value: bigint) => (value % 86_400n === 0n ? `${value / 86_400n} d` : value % 3_600n === 0n ? `${value / 3_600n} h` : `${value} s`);
  const lines = [
    "",
    "Development economy (short periods; not for real funds)",
    `  MEDIA mint:   ${dev.mediaMint.toBase58()}`,
    `  quote mint:   ${dev.quoteMint.toBase58()}`,
    `  deployer:     ${dev.deployer.publicKey.toBase58()} (every config's authority; keypair ${dev.deployer.keypairFile})`,
    `  supply:       fixed, ${mediaUnits(dev.genesisSupply.media)} MEDIA and ${mediaUnits(dev.genesisSupply.quote)} quote minted once; both mints have no mint authority`,
    ...dev.allocations.map(
      (allocation) => `    ${allocation.name.padEnd(20)} ${mediaUnits(allocation.amount).padStart(10)} MEDIA  ${allocation.account.toBase58()}`,
    ),
    `  faucet:       MEDIA ${dev.faucet.media.toBase58()}, quote ${dev.faucet.quote.toBase58()} (the deployer's token accounts)`,
    "  configs:",
    ...Object.entries(dev.configs).map(([name, address]) => `    ${name.padEnd(20)} ${address.toBase58()}`),
    "  periods:",
    ...Object.entries(dev.periods).flatMap(([program, periods]) =>
      Object.entries(periods).map(
        ([name, value]) => `    ${`${program}.${name}`.padEnd(28)} ${seconds(value as bigint)}${value < 3_600n ? "" : ` (${value} s)`}`,
      ),
    ),
    "  wallets (SOL, MEDIA and quote in their associated token accounts):",
  ];
  dev.wallets.forEach((wallet, i) => {
    lines.push(`    ${i + 1}. ${wallet.publicKey.toBase58()}  keypair ${dev.walletFiles[i]}`);
    lines.push(`       MEDIA account ${wallet.mediaAccount.toBase58()}, quote account ${wallet.quoteAccount.toBase58()}`);
  });
  const { lamports, media, quote } = dev.perWallet;
  lines.push(
    `  each wallet was given ${lamports / BigInt(LAMPORTS_PER_SOL)} SOL, ${mediaUnits(media)} MEDIA and ${mediaUnits(quote)} quote; ` +
      "the deployer's faucet accounts hold the rest (fund more wallets from them by transfer: nobody can mint)",
    "  the clock follows wall time: jump it past a period with the surfnet_timeTravel RPC method",
  );
  return lines.join("\n");
}
