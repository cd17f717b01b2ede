/**
 * Anyone deploying their own copy runs `npm run keys:sync`, which gives the four programs fresh
 * ids. Every cross-program address (the staking config governance reads, the governance
 * program staking trusts for vote locks, each program's ProgramData) must follow from those ids:
 * nothing may still name the committed ones. This test does what such an operator does, in a
 * temporary copy of the repository: keys:sync with fresh keypairs (which rebuilds and
 * regenerates the IDLs), keys:check, then the deployment suite (deploy to an empty localnet,
 * genesis, an economy with a vote over RPC) and the governance story (a proposal passed and
 * executed) against the programs built under the new ids.
 *
 * It builds the programs once more, so it runs on one runtime only.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { expect } from "chai";
import { MEDIA_PROGRAMS } from "../../sdk/src";
import { runtimeName } from "../utils/bank";

const ROOT = join(__dirname, "..", "..");

/** Runs `command` in `cwd`, echoing a one-line summary; returns its output and status. */
function step(label: string, cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  process.stdout.write(`      ${label}: exit ${result.status} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  return { status: result.status, output };
}

/** A working copy of the repository (tracked and untracked, not ignored files) with the build cache and dependencies. */
function copyRepository(): string {
  const copy = mkdtempSync(join(tmpdir(), "media-fresh-ids-"));
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    mkdirSync(join(copy, dirname(file)), { recursive: true });
    try {
      cpSync(join(ROOT, file), join(copy, file));
    } catch {
      // A file deleted in the working tree but still tracked: nothing to copy.
    }
  }
  // The compiled core library is reused (its sources are the same files); the workspace crates rebuild.
  cpSync(join(ROOT, "target", "bpfel-unknown-none"), join(copy, "target", "bpfel-unknown-none"), { recursive: true });
  // Dependencies by link, except the SDK workspace package, which must be the copy's own.
  mkdirSync(join(copy, "node_modules", "@media-network"), { recursive: true });
  for (const entry of readdirSync(join(ROOT, "node_modules"))) {
    if (entry !== "@media-network") symlinkSync(join(ROOT, "node_modules", entry), join(copy, "node_modules", entry));
  }
  symlinkSync(join("..", "..", "sdk"), join(copy, "node_modules", "@media-network", "sdk"));
  return copy;
}

describe("deploy: the whole suite's deployment path under fresh program ids (keys:sync)", function () {
  this.timeout(1_800_000);
  let copy: string | undefined;

  before(function () {
    if (runtimeName() !== "litesvm") this.skip();
  });

  after(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it("keys sync ok: fresh ids build, deploy to an empty localnet, run genesis, and pass and execute a proposal", () => {
    copy = copyRepository();
    const tsx = join(copy, "node_modules", ".bin", "tsx");

    const sync = step("keys:sync (fresh keypairs, build, idl:sync)", copy, tsx, ["scripts/keys.ts", "sync", "--keys-dir", join(copy, ".keys")]);
    expect(sync.status, sync.output.slice(-4000)).to.equal(0);
    const declared = readFileSync(join(copy, "crates", "media-core", "src", "program_ids.rs"), "utf8");
    for (const { name, programId } of MEDIA_PROGRAMS) {
      expect(declared.includes(programId.toBase58()), `${name} still has the committed id`).to.equal(false);
      const idl = JSON.parse(readFileSync(join(copy, "target", "idl", `${name}.json`), "utf8")) as { address: string };
      expect(idl.address, `${name}'s IDL address`).to.not.equal(programId.toBase58());
      const generated = readFileSync(join(copy, "sdk", "src", "generated", `${name}.ts`), "utf8");
      expect(generated.includes(idl.address) && !generated.includes(programId.toBase58()), `${name}'s SDK module`).to.equal(true);
    }

    const check = step("keys:check", copy, tsx, ["scripts/keys.ts", "check", "--keys-dir", join(copy, ".keys")]);
    expect(check.status, check.output).to.equal(0);

    const suites = step(
      "deployment suite and governance story under the new ids",
      copy,
      join(copy, "node_modules", ".bin", "mocha"),
      ["--no-config", "-r", "tsx/cjs", "-t", "600000", "tests/deploy/deploy.test.ts", "tests/media_governance/story.test.ts"],
      { ...process.env, MEDIA_RUNTIME: "litesvm", MEDIA_TEST_STATS: "" },
    );
    expect(suites.status, suites.output.slice(-6000)).to.equal(0);
    expect(suites.output).to.match(/\d+ passing/);
    expect(suites.output).to.not.match(/\d+ failing/);
  });
});
