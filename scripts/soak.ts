/**
 * `npm run soak -- --ops N --seed S [--runtime litesvm|bankrun] [--check-every K] [--shrink-budget R]`: the
 * model-checked random run of tests/economy/model.test.ts for as long as you like. Prints
 * progress (operations per second); on a disagreement prints the seed and the failing step,
 * shrinks the recorded operations by delta debugging (each candidate replayed from genesis,
 * at most R replays: a failure deep in a long run shrinks slowly, every replay restarting)
 * and writes the minimal sequence to tests/economy/regressions/, which model.test.ts replays
 * on both runtimes from then on.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runSeed, shrink } from "../tests/economy/engine";
import { random } from "../tests/economy/model";

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

async function main() {
  const ops = Number(option("ops", "100000"));
  const seed = Number(option("seed", String(Date.now() % 1_000_000)));
  const runtime = option("runtime", process.env.MEDIA_RUNTIME ?? "litesvm") as "litesvm" | "bankrun";
  const fullCheckEvery = Number(option("check-every", "500"));
  const every = Number(option("progress", "5000"));
  process.env.MEDIA_RUNTIME = runtime;
  console.log(`soak: ${ops} operations, seed ${seed}, ${runtime}, full check every ${fullCheckEvery}`);
  const started = Date.now();
  let window = { at: started, done: 0 };
  const result = await runSeed(seed, ops, {
    rng: random,
    runtime,
    fullCheckEvery,
    onProgress(done, engine) {
      if (done < window.done + every) return;
      const now = Date.now();
      const rate = ((done - window.done) * 1000) / (now - window.at);
      window = { at: now, done };
      console.log(`  ${done} operations (${engine.refusals} refused as predicted), ${rate.toFixed(0)} ops/s, ${((now - started) / 1000).toFixed(0)} s`);
    },
  });
  const seconds = (Date.now() - started) / 1000;
  if (result.failedAt === undefined) {
    console.log(`soak: ${ops} operations agreed with the model (seed ${seed}) in ${seconds.toFixed(0)} s: ${(ops / seconds).toFixed(0)} ops/s`);
    console.log(`  outcomes: ${JSON.stringify(result.engine.outcomes)}`);
    return;
  }
  console.log(`soak: FAILED at seed ${seed} step ${result.failedAt}: ${JSON.stringify(result.ops[result.failedAt])}`);
  console.log(String(result.error));
  console.log(`shrinking ${result.ops.length} operations (each candidate replayed from genesis)...`);
  const budget = Number(option("shrink-budget", "200"));
  const minimal = await shrink(result.ops, { runtime, fullCheckEvery, budget, log: console.log });
  const dir = join(__dirname, "..", "tests", "economy", "regressions");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `seed-${seed}-step-${result.failedAt}.json`);
  const note = String(result.error).split("\n")[0];
  writeFileSync(file, `${JSON.stringify({ seed, step: result.failedAt, runtime, note, ops: minimal }, null, 2)}\n`);
  console.log(`minimal reproducing sequence (${minimal.length} operations), written to ${file}:`);
  for (const op of minimal) console.log(`  ${JSON.stringify(op)}`);
  process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
