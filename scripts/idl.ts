/**
 * `npm run idl:sync` copies the built IDLs into the SDK (`sdk/idl/`, `sdk/src/generated/`);
 * `npm run idl:check` fails when those committed copies differ from what the build wrote,
 * i.e. when an interface crate changed and the SDK was not regenerated.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { IDL_DIR, PROGRAMS, SDK_GENERATED_DIR, SDK_IDL_DIR, renderSdkModule } from "./lib";

const mode = process.argv[2];
if (mode !== "sync" && mode !== "check") {
  console.error("usage: tsx scripts/idl.ts sync|check");
  process.exit(2);
}
const drift: string[] = [];
for (const program of PROGRAMS) {
  const built = join(IDL_DIR, `${program}.json`);
  if (!existsSync(built)) {
    console.error(`${built} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
  const idl = readFileSync(built, "utf8");
  const outputs: [string, string][] = [
    [join(SDK_IDL_DIR, `${program}.json`), idl],
    [join(SDK_GENERATED_DIR, `${program}.ts`), renderSdkModule(program, idl)],
  ];
  for (const [path, content] of outputs) {
    const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    if (current === content) continue;
    if (mode === "check") {
      drift.push(path);
    } else {
      mkdirSync(join(path, ".."), { recursive: true });
      writeFileSync(path, content);
      console.log(`wrote ${path}`);
    }
  }
}
if (drift.length > 0) {
  console.error(`The SDK's IDLs differ from the build's:\n  ${drift.join("\n  ")}\nRun \`npm run idl:sync\` and commit the result.`);
  process.exit(1);
}
if (mode === "check") console.log(`IDLs in sync for ${PROGRAMS.length} programs.`);
