/**
 * Shared by the scripts, migrations, localnet and tests: paths, the program list, the pinned
 * toolchain, and the renderers of the IDL's TypeScript forms.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(__dirname, "..");
export const PROGRAMS = ["media_staking", "media_bandwidth", "media_treasury", "media_governance"] as const;
export type ProgramName = (typeof PROGRAMS)[number];

export const DEPLOY_DIR = join(ROOT, "target", "deploy");
export const IDL_DIR = join(ROOT, "target", "idl");
export const TYPES_DIR = join(ROOT, "target", "types");
export const SDK_IDL_DIR = join(ROOT, "sdk", "idl");
export const SDK_GENERATED_DIR = join(ROOT, "sdk", "src", "generated");

/** `scripts/toolchain.env`, the pinned toolchain shared with `scripts/setup.sh`. */
export function toolchain(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(join(ROOT, "scripts", "toolchain.env"), "utf8").split("\n")) {
    const match = /^([A-Z0-9_]+)=("?)(.*)\2$/.exec(line.trim());
    if (match) env[match[1]] = match[3];
  }
  env.TOOLCHAIN_DIR = process.env.MEDIA_TOOLCHAIN_DIR ?? join(homedir(), ".cache", "media-network", "toolchain");
  return env;
}

/** Runs a command with inherited output; exits the script with a hint if it fails. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, hint: string): void {
  const result = spawnSync(command, args, { cwd: ROOT, env, stdio: "inherit" });
  if (result.error || result.status !== 0) {
    console.error(`\n${command} ${args.join(" ")} failed${result.error ? `: ${result.error.message}` : ""}.\n${hint}`);
    process.exit(result.status ?? 1);
  }
}

/** Fails with a hint when the pinned program toolchain is not installed. */
export function requireToolchain(): Record<string, string> {
  const pins = toolchain();
  const linker = join(pins.TOOLCHAIN_DIR, "bin", "sbpf-linker");
  if (!existsSync("/usr/bin/rustc") || !existsSync(linker)) {
    console.error(`The program toolchain is not installed (need /usr/bin/rustc from rustc-web and ${linker}).\nRun the set-up first: bash scripts/setup.sh`);
    process.exit(1);
  }
  return pins;
}

export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** `media_staking` → `MediaStaking` */
export function pascal(name: string): string {
  return name.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

/**
 * The TypeScript type of an IDL, as `anchor build` writes it to `target/types/`: the IDL in
 * camelCase, converted by the Anchor client's own function so the two always agree.
 */
export function renderIdlType(idlJson: string): string {
  const { convertIdlToCamelCase } = require("@coral-xyz/anchor/dist/cjs/idl") as {
    convertIdlToCamelCase: (idl: unknown) => { metadata: { name: string } };
  };
  const camel = convertIdlToCamelCase(JSON.parse(idlJson));
  const typeName = pascal(JSON.parse(idlJson).metadata.name);
  return (
    `/**\n * Program IDL in camelCase format in order to be used in JS/TS.\n *\n` +
    ` * Note that this is only a type helper and is not the actual IDL. The original\n` +
    ` * IDL can be found at \`target/idl/${JSON.parse(idlJson).metadata.name}.json\`.\n */\n` +
    `export type ${typeName} = ${JSON.stringify(camel, null, 2)};\n`
  );
}
