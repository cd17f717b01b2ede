/**
 * `npm run build`: compiles every program to an SBPF v0 shared object with upstream Rust and
 * sbpf-linker, writes the Anchor IDLs and their TypeScript types. Cargo and idl-gen skip what
 * is up to date, and outputs are only rewritten when their content changes.
 *
 *   target/deploy/<program>.so   the programs
 *   target/bpfel-unknown-none/profiling/lib<program>.so   the same code with line tables (DWARF),
 *                                for `npm run profile`
 *   target/release/media-profile the CU profiler (tools/profile, a host binary)
 *   target/idl/<program>.json    Anchor IDL, spec 0.1.0
 *   target/types/<program>.ts    the IDL's camelCase TypeScript type
 *   sdk/dist, sdk/idl, sdk/programs   the SDK package's builds and files (scripts/sdk-build.ts)
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { programProblems, readElf } from "./elf.cjs";
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

console.log("==> Programs with line tables for `npm run profile` (cargo profile `profiling`)");
// bpf-linker keeps debug info only when it emits BTF; the variant otherwise shares the
// release profile, so its code is the deployed code (functions may sit in another order).
run(
  "/usr/bin/cargo",
  [
    "build",
    "--profile",
    "profiling",
    "--target",
    "bpfel-unknown-none",
    "-Z",
    "build-std=core,alloc",
    "--config",
    'target.bpfel-unknown-none.rustflags=["-C","link-arg=--btf"]',
    ...PROGRAMS.flatMap((p) => ["-p", p]),
  ],
  { ...rustEnv, RUSTC_BOOTSTRAP: "1", PATH: `${join(pins.TOOLCHAIN_DIR, "bin")}:${process.env.PATH}` },
  "Fix the error above; the release build succeeded, so this is specific to the debug-info variant.",
);
for (const program of PROGRAMS) {
  const variant = join(ROOT, "target", "bpfel-unknown-none", "profiling", `lib${program}.so`);
  const section = (bytes: Buffer, name: string) => {
    const found = readElf(bytes).sections.find((s) => s.name === name);
    return found ? bytes.subarray(found.offset, found.offset + found.size) : Buffer.alloc(0);
  };
  const [debug, deployed] = [readFileSync(variant), readFileSync(join(DEPLOY_DIR, `${program}.so`))];
  // Same code size and the same read-only data; `npm run profile` then proves per scenario
  // that both execute the same instructions for the same CU.
  if (section(debug, ".text").length !== section(deployed, ".text").length || !section(debug, ".rodata").equals(section(deployed, ".rodata"))) {
    console.error(`${variant}: its code differs from target/deploy/${program}.so; profiles of it would not describe the deployed program.`);
    process.exit(1);
  }
  console.log(
    `    lib${program}.so  ${section(debug, ".debug_line").length > 0 ? "line tables" : "NO line tables"}, same code size and data as the deployed program`,
  );
}

console.log("==> The CU profiler (tools/profile: Solana 1.18's interpreter on the host)");
run("/usr/bin/cargo", ["build", "--release", "-p", "media-profile"], rustEnv, "media-profile failed to build; see the error above.");

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
