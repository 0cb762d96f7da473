// `node bench/eventLog.mjs [--events N] [--C VALUE] [--keep]`: a generated log of >= N events
// (default 1,000,000; 7,800,000 make about 2 M windows) trained through `privads train --events`, reporting wall time and peak RSS of each
// step. Needs `npm run build`. Peak RSS comes from /usr/bin/time when installed (GNU time,
// "%e %M") and, always, from the child's own process.resourceUsage() at exit (a preload), so the
// figure does not depend on one tool.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const root = new URL("..", import.meta.url).pathname;
const cli = join(root, "bin/privads.js");
if (!existsSync(join(root, "dist/cli.js"))) throw new Error("run `npm run build` first");

const { values } = parseArgs({ options: { events: { type: "string", default: "1000000" }, keep: { type: "boolean", default: false }, C: { type: "string" } } });
const target = Number(values.events);
const work = mkdtempSync(join(tmpdir(), "privads-eventlog-"));
const log = join(work, "events.jsonl");
const out = join(work, "model");

// Written by the child at exit: its peak RSS (KiB on Linux) and CPU time.
const usageFile = join(work, "usage.json");
const preload = join(work, "usage-preload.mjs");
writeFileSync(
  preload,
  `import { writeFileSync } from "node:fs";
process.on("exit", () => {
  const u = process.resourceUsage();
  writeFileSync(${JSON.stringify(usageFile)}, JSON.stringify({ maxRssKiB: u.maxRSS, userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000 }));
});
`,
);
const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Runs the CLI; resolves to wall seconds, peak RSS (MiB) from both sources, and the output. */
function run(args) {
  const nodeArgs = ["--import", preload, cli, ...args];
  const [command, argv] = gnuTime ? [gnuTime, ["-f", "GNU_TIME %e %M", process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("exit", (code) => {
      const wall = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`privads ${args.join(" ")} exited with ${code}\n${stderr}`));
      const usage = JSON.parse(readFileSync(usageFile, "utf8"));
      const time = /GNU_TIME ([\d.]+) (\d+)/.exec(stderr);
      resolve({ wall, rssMiB: usage.maxRssKiB / 1024, gnuTime: time ? { wall: Number(time[1]), rssMiB: Number(time[2]) / 1024 } : undefined, cpuS: (usage.userMs + usage.systemMs) / 1000, stdout });
    });
    child.on("error", reject);
  });
}

const print = (name, value, unit = "") => console.log(`${name.padEnd(40)} ${String(value).padStart(14)} ${unit}`);
const report = (label, r) => {
  print(`${label}: wall`, r.wall.toFixed(2), "s");
  print(`${label}: CPU (user + system)`, r.cpuS.toFixed(2), "s");
  print(`${label}: peak RSS (resourceUsage)`, r.rssMiB.toFixed(0), "MiB");
  if (r.gnuTime) print(`${label}: /usr/bin/time %e / %M`, `${r.gnuTime.wall.toFixed(2)} s / ${r.gnuTime.rssMiB.toFixed(0)}`, "MiB");
};

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`);
try {
  // The generator averages ~88 events per session: aim 10 % over, then top up if short.
  let sessions = Math.ceil((target / 88) * 1.1);
  let generated;
  for (;;) {
    generated = await run(["generate", "--sessions", String(sessions), "--seed", "7", "--out", log]);
    const events = Number(/\(([\d,]+) events\)/.exec(generated.stdout)[1].replace(/,/g, ""));
    if (events >= target) {
      print("sessions", sessions.toLocaleString("en-US"));
      print("events", events.toLocaleString("en-US"));
      print("log size", (statSync(log).size / 2 ** 20).toFixed(1), "MiB");
      break;
    }
    sessions = Math.ceil(sessions * (target / events) * 1.02);
  }
  report("generate", generated);
  const trained = await run(["train", "--events", log, "--out", out, ...(values.C === undefined ? [] : ["--C", values.C])]);
  report("train --events", trained);
  const results = JSON.parse(readFileSync(join(out, "training_results.json"), "utf8"));
  print("windows (n_samples)", results.n_samples.toLocaleString("en-US"));
  print("positive rate", (100 * results.positive_ratio).toFixed(2), "%");
  print("C", `${results.regularisation.C} (${results.regularisation.selection})`);
  print("peak RSS per window", Math.round((trained.rssMiB * 2 ** 20) / results.n_samples), "bytes");
  print("CV ROC AUC", results.cv_results.roc_auc_mean.toFixed(4));
  if (results.timings_ms) for (const [phase, ms] of Object.entries(results.timings_ms)) print(`  ${phase}`, Math.round(ms), "ms");
} finally {
  if (values.keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
