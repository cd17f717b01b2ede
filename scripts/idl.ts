/**
 * `npm run idl:sync` writes the SDK's generated module of every program
 * (`sdk/src/generated/<program>.ts`) from the IDL the build wrote (`target/idl/`);
 * `npm run idl:check` fails when a committed module differs from what the build's IDL
 * gives (an interface crate changed and the SDK was not regenerated) or when the generated
 * directory holds anything else. The published package's IDL JSON files are written by the SDK's
 * build (scripts/sdk-build.ts).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { IDL_DIR, PROGRAMS, SDK_GENERATED_DIR } from "./lib";
import { renderSdkModule } from "./sdk-codegen";

const mode = process.argv[2];
if (mode !== "sync" && mode !== "check") {
  console.error("usage: tsx scripts/idl.ts sync|check");
  process.exit(2);
}

const drift: string[] = [];
const expected = new Set<string>();
for (const program of PROGRAMS) {
  const built = join(IDL_DIR, `${program}.json`);
  if (!existsSync(built)) {
    console.error(`${built} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
  const path = join(SDK_GENERATED_DIR, `${program}.ts`);
  expected.add(`${program}.ts`);
  const content = renderSdkModule(program, readFileSync(built, "utf8"));
  const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
  if (current === content) continue;
  if (mode === "check") {
    drift.push(path);
  } else {
    mkdirSync(SDK_GENERATED_DIR, { recursive: true });
    writeFileSync(path, content);
    console.log(`wrote ${path}`);
  }
}
for (const file of readdirSync(SDK_GENERATED_DIR)) {
  if (expected.has(file)) continue;
  if (mode === "check") drift.push(`${join(SDK_GENERATED_DIR, file)} (not generated)`);
  else {
    rmSync(join(SDK_GENERATED_DIR, file));
    console.log(`removed ${join(SDK_GENERATED_DIR, file)}`);
  }
}
if (drift.length > 0) {
  console.error(`The SDK's generated modules differ from the build's IDLs:\n  ${drift.join("\n  ")}\nRun \`npm run idl:sync\` and commit the result.`);
  process.exit(1);
}
if (mode === "check") console.log(`Generated SDK modules in sync for ${PROGRAMS.length} programs.`);
