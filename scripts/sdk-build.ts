/**
 * The SDK package's build (`npm run build -w sdk`; `npm pack` runs it as `prepack`, and the
 * root `npm run build` ends with it):
 *
 *   sdk/dist/cjs/              CommonJS, one file per module, with the type declarations (tsc)
 *   sdk/dist/esm/*.mjs         ES modules for Node and bundlers: one file per entry point, code the
 *                              entries share in chunks, so `.` and `./testing` share one
 *                              MediaEconomy class (esbuild, dependencies left as imports)
 *   sdk/dist/esm/*.d.mts       the entries' types for `import` (the declarations in dist/cjs)
 *   sdk/idl/<program>.json     the IDL as JSON (`@media-network/sdk/idl/<program>.json`)
 *   sdk/programs/<program>.so  the programs the testing kit loads, from target/deploy
 *
 * `--pack` refuses to go on without the programs (a published kit must carry them).
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { DEPLOY_DIR, PROGRAMS, ROOT, SDK_GENERATED_DIR, SDK_IDL_DIR, kib, run } from "./lib";

const SDK = join(ROOT, "sdk");
const DIST = join(SDK, "dist");
export const SDK_PROGRAMS_DIR = join(SDK, "programs");

/** The package's entry points (`exports` subpaths) that exist in this checkout, by output name. */
function entryPoints(): Record<string, string> {
  const entries: Record<string, string> = { index: join(SDK, "src", "index.ts") };
  // The testing kit is optional here so the package builds while it is being written.
  const testing = join(SDK, "src", "testing", "index.ts");
  if (existsSync(testing)) entries.testing = testing;
  return entries;
}

export async function buildSdk(options: { requirePrograms: boolean }): Promise<void> {
  const started = Date.now();
  rmSync(DIST, { recursive: true, force: true });

  console.log("==> SDK: CommonJS and type declarations (tsc) -> sdk/dist/cjs");
  run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(SDK, "tsconfig.json")], process.env, "Fix the type errors above.");

  console.log("==> SDK: ES modules (esbuild) -> sdk/dist/esm");
  const entries = entryPoints();
  await build({
    entryPoints: entries,
    outdir: join(DIST, "esm"),
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    // Dependencies stay imports: the application's bundler or Node resolves its own copies.
    packages: "external",
    // The testing kit finds the package's files from its own directory; ES modules have no __dirname.
    define: { __dirname: "import.meta.dirname" },
    logLevel: "warning",
  });
  for (const name of Object.keys(entries)) {
    const declarations = name === "index" ? "../cjs/index.js" : `../cjs/${name}/index.js`;
    writeFileSync(join(DIST, "esm", `${name}.d.mts`), `export * from "${declarations}";\n`);
  }

  console.log("==> SDK: IDL JSON -> sdk/idl");
  rmSync(SDK_IDL_DIR, { recursive: true, force: true });
  mkdirSync(SDK_IDL_DIR, { recursive: true });
  for (const program of PROGRAMS) {
    const module = require(join(SDK_GENERATED_DIR, program)) as Record<string, unknown>;
    writeFileSync(join(SDK_IDL_DIR, `${program}.json`), `${JSON.stringify(module[`${program.toUpperCase()}_IDL`], null, 2)}\n`);
  }

  console.log("==> SDK: programs for the testing kit -> sdk/programs");
  const missing = PROGRAMS.filter((program) => !existsSync(join(DEPLOY_DIR, `${program}.so`)));
  if (missing.length > 0) {
    const message = `target/deploy has no ${missing.map((p) => `${p}.so`).join(", ")}: run \`npm run build\` at the repository root first.`;
    if (options.requirePrograms) throw new Error(message);
    console.log(`    skipped (${message})`);
  } else {
    mkdirSync(SDK_PROGRAMS_DIR, { recursive: true });
    for (const program of PROGRAMS) {
      copyFileSync(join(DEPLOY_DIR, `${program}.so`), join(SDK_PROGRAMS_DIR, `${program}.so`));
      console.log(`    ${`${program}.so`.padEnd(22)}${kib(statSync(join(SDK_PROGRAMS_DIR, `${program}.so`)).size).padStart(10)}`);
    }
  }
  console.log(`SDK built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (require.main === module) {
  buildSdk({ requirePrograms: process.argv.includes("--pack") }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
