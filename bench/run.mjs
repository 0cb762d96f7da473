// `npm run bench`: prints the project's speed figures. Run on an otherwise idle machine.
import { build } from "esbuild";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const print = (name, value, unit = "") => console.log(`${name.padEnd(46)} ${String(value).padStart(12)} ${unit}`);

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`);
console.log("");

// Core throughput (bundled to plain JS first so nothing transpiles during timing).
const bundle = join(root, "dist/bench/coreBench.mjs");
await build({ absWorkingDir: root, entryPoints: ["bench/coreBench.ts"], outfile: bundle, bundle: true, format: "esm", platform: "node", target: "node20", logLevel: "warning",
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
const { runCoreBench } = await import(bundle);
for (const f of runCoreBench()) print(f.name, f.value, f.unit);
console.log("");

// The pipeline as a user runs it: wall time from process start, phases and peak RSS from its results.
async function pipeline(args) {
  const out = mkdtempSync(join(tmpdir(), "privads-bench-"));
  const started = performance.now();
  const code = await new Promise((resolve) => spawn(process.execPath, [join(root, "bin/privads.js"), "pipeline", ...args, "--out", out, "--browser-out", join(out, "web")], { stdio: ["ignore", "ignore", "inherit"] }).on("exit", resolve));
  const wall = performance.now() - started;
  if (code !== 0) throw new Error(`pipeline ${args.join(" ")} exited with ${code}`);
  const results = JSON.parse(readFileSync(join(out, "training_results.json"), "utf8"));
  rmSync(out, { recursive: true, force: true });
  return { wall, results };
}
for (const args of [["--quick"], ["--samples", "50000"]]) {
  const { wall, results } = await pipeline(args);
  const label = `pipeline ${args.join(" ")}`;
  print(`${label}: wall`, (wall / 1000).toFixed(2), "s");
  for (const [phase, ms] of Object.entries(results.timings_ms)) print(`  ${phase}`, Math.round(ms), "ms");
  print("  peak RSS", results.peak_rss_mb, "MB");
  print("  CV ROC AUC", results.cv_results.roc_auc_mean.toFixed(4));
}

// A big event log through `privads train --events` (bench/eventLog.mjs): 1.1 M events with C by
// CV by default (~70 s); `npm run bench -- --big` trains 7.8 M events (~2 M windows) with --C 1
// instead (~6 min), the bounded-memory check.
console.log("");
const big = process.argv.includes("--big");
await new Promise((resolve, reject) =>
  spawn(process.execPath, [join(root, "bench/eventLog.mjs"), "--events", big ? "7800000" : "1100000", ...(big ? ["--C", "1"] : [])], { cwd: root, stdio: "inherit" })
    .on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`event-log benchmark exited with ${code}`)))),
);

const inference = join(root, "bench/inference.mjs");
if (existsSync(inference)) {
  console.log("");
  await import(inference);
}

// Tracker and live extractor per-event cost in Chromium, and bundle sizes (a vitest run so it
// can reuse the browser test harness; it fails if a target is missed).
console.log("");
await new Promise((resolve, reject) =>
  spawn(process.execPath, [join(root, "node_modules/vitest/vitest.mjs"), "run", "--config", "bench/vitest.config.ts"], { cwd: root, stdio: "inherit" })
    .on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`browser benchmarks exited with ${code}`)))),
);
