/**
 * `npm run build`: compiles every program to an SBPF v0 shared object with upstream Rust and
 * sbpf-linker, writes the Anchor IDLs and their TypeScript types. Cargo and idl-gen skip what
 * is up to date, and outputs are only rewritten when their content changes.
 *
 *   target/deploy/<program>.so   the programs
 *   target/idl/<program>.json    Anchor IDL, spec 0.1.0
 *   target/types/<program>.ts    the IDL's camelCase TypeScript type
 *   sdk/dist, sdk/idl, sdk/programs   the SDK package's builds and files (scripts/sdk-build.ts)
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { programProblems } from "./elf.cjs";
import { DEPLOY_DIR, IDL_DIR, PROGRAMS, ROOT, TYPES_DIR, kib, renderIdlType, requireToolchain, run } from "./lib";
import { buildSdk } from "./sdk-build";

function writeIfChanged(path: string, content: string | Buffer): boolean {
  if (existsSync(path) && readFileSync(path).equals(Buffer.from(content))) return false;
  writeFileSync(path, content);
  return true;
}

const pins = requireToolchain();
const rustEnv = { ...process.env, RUSTC: "/usr/bin/rustc", RUSTDOC: "/usr/bin/rustdoc" };

console.log("==> Programs: rustc (bpfel-unknown-none, -Z build-std) -> sbpf-linker -> SBPF v0");
run(
  "/usr/bin/cargo",
  ["build", "--release", "--target", "bpfel-unknown-none", "-Z", "build-std=core,alloc", ...PROGRAMS.flatMap((p) => ["-p", p])],
  { ...rustEnv, RUSTC_BOOTSTRAP: "1", PATH: `${join(pins.TOOLCHAIN_DIR, "bin")}:${process.env.PATH}` },
  "Fix the compile error above, or run `bash scripts/setup.sh` if the toolchain is missing.",
);
mkdirSync(DEPLOY_DIR, { recursive: true });
const problems: string[] = [];
for (const program of PROGRAMS) {
  const built = join(ROOT, "target", "bpfel-unknown-none", "release", `lib${program}.so`);
  problems.push(...programProblems(readFileSync(built)).map((problem) => `${built}: ${problem}`));
  const deployed = join(DEPLOY_DIR, `${program}.so`);
  const changed = writeIfChanged(deployed, readFileSync(built));
  console.log(`    ${`${program}.so`.padEnd(22)}${kib(statSync(deployed).size).padStart(10)}  ${changed ? "updated" : "up to date"}`);
}
if (problems.length > 0) {
  console.error(`\nThe linked programs are not loadable:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}

console.log("==> IDLs (from the interface crates) and TypeScript types");
run("/usr/bin/cargo", ["run", "--quiet", "-p", "idl-gen", "--", IDL_DIR], rustEnv, "idl-gen failed; see the error above.");
mkdirSync(TYPES_DIR, { recursive: true });
for (const program of PROGRAMS) {
  const types = renderIdlType(readFileSync(join(IDL_DIR, `${program}.json`), "utf8"));
  const changed = writeIfChanged(join(TYPES_DIR, `${program}.ts`), types);
  console.log(`${changed ? "wrote" : "up to date"} target/types/${program}.ts`);
}

buildSdk({ requirePrograms: true }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
