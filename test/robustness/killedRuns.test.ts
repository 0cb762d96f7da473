import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MANIFEST_FILE, recoverOutputFolder, verifyOutputSet } from "../../src/io/atomicFileSet.js";

// Real processes of the built CLI (run `npm run build` first), killed with SIGKILL at seeded
// random moments (uniform over one measured run's duration: most land in the computation, some
// in the writes; test/robustness/outputSets.test.ts crashes at every commit step), or interrupted with SIGINT / SIGTERM while staging.
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(ROOT, "bin/privads.js");
const HOLD = join(ROOT, "test/robustness/holdBeforeRename.mjs");
const tmp = mkdtempSync(join(tmpdir(), "privads-killed-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const KILLS = 30;
const LANES = 3; // parallel lanes, each with its own folders
const PIPELINE = ["pipeline", "--samples", "2000", "--oracle-windows", "0", "--features", "seed"]; // the fastest real run (~1.5 s; 2,000 is the smallest --samples)

/** A small seeded generator for the kill delays (Park-Miller), so a failure replays. */
function delays(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

function run(args: string[], preload?: string): ChildProcess {
  return spawn(process.execPath, [...(preload ? ["--import", preload] : []), CLI, ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal, stderr })));
}

async function runToEnd(args: string[]): Promise<number> {
  const started = performance.now();
  const { code, stderr } = await exited(run(args));
  if (code !== 0) throw new Error(`privads ${args.join(" ")} failed (${code}): ${stderr}`);
  return performance.now() - started;
}

const temporaries = (dir: string) => readdirSync(dir).filter((name) => name.startsWith("."));

/**
 * Checks one folder: with a manifest, exactly its set, every stamped file naming its run id
 * and seed; without one, a transaction must be in progress. Returns the run id, or null.
 */
function checkFolder(dir: string): string | null {
  if (!existsSync(join(dir, MANIFEST_FILE))) {
    expect(temporaries(dir).some((name) => /^\.privads-(staging|commit)\./.test(name)), `${dir}: no manifest and no transaction`).toBe(true);
    return null;
  }
  const manifest = verifyOutputSet(dir);
  const id = manifest.run_id;
  const text = (name: string) => readFileSync(join(dir, name), "utf8");
  for (const { name } of manifest.files) {
    if (name === "interaction_predictor.json") {
      const training = JSON.parse(text(name)).training;
      expect([training.run_id, training.seed], `${dir}/${name}`).toEqual([id, manifest.seed]);
    } else if (name === "training_results.json") {
      const results = JSON.parse(text(name));
      expect([results.run_id, results.seed], `${dir}/${name}`).toEqual([id, manifest.seed]);
    } else if (name.endsWith(".html")) {
      expect(text(name), `${dir}/${name}`).toContain(`<meta name="privads-run" content="${id}" data-seed="${manifest.seed}">`);
    } else if (name.endsWith(".onnx")) {
      expect(readFileSync(join(dir, name)).includes(Buffer.from(id)), `${dir}/${name}`).toBe(true);
    }
  }
  return id;
}

/** After a kill: each folder whole or changing; after the next run's recovery: one run in all, no temporary. */
function checkAfterKill(dirs: string[]): string {
  for (const dir of dirs) checkFolder(dir);
  for (const dir of dirs) recoverOutputFolder(dir);
  const ids = dirs.map(checkFolder);
  for (const dir of dirs) expect(temporaries(dir), dir).toEqual([]);
  expect(new Set(ids).size, `run ids ${ids.join(", ")}`).toBe(1);
  expect(ids[0]).not.toBeNull();
  return ids[0]!;
}

async function killAt(args: string[], ms: number): Promise<"killed" | "finished"> {
  const child = run(args);
  const done = exited(child);
  const timer = setTimeout(() => child.kill("SIGKILL"), ms);
  const { signal, code, stderr } = await done;
  clearTimeout(timer);
  if (signal === "SIGKILL") return "killed";
  if (code !== 0) throw new Error(`privads ${args.join(" ")} failed (${code}): ${stderr}`);
  return "finished";
}

describe("SIGKILL at random moments: the folders hold one run's complete set", () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, "dist/cli.js"))) throw new Error("run `npm run build` first");
  });

  it(`pipeline (model and browser folders), ${KILLS} kills`, async () => {
    const outcomes = await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        const models = join(tmp, `p${lane}-models`);
        const browser = join(tmp, `p${lane}-browser`);
        const duration = await runToEnd([...PIPELINE, "--seed", "1", "--out", models, "--browser-out", browser]);
        const first = checkAfterKill([models, browser]);
        const next = delays(1000 + lane);
        const ids = new Set([first]);
        const seen = { killed: 0, finished: 0 };
        for (let k = 0; k < KILLS / LANES; k++) {
          const seed = String(2 + lane * 100 + k);
          seen[await killAt([...PIPELINE, "--seed", seed, "--out", models, "--browser-out", browser], next() * duration)]++;
          ids.add(checkAfterKill([models, browser]));
        }
        await runToEnd([...PIPELINE, "--seed", "9", "--out", models, "--browser-out", browser]);
        checkAfterKill([models, browser]);
        return { ...seen, runs: ids.size };
      }),
    );
    console.log(`[robustness] pipeline SIGKILL at ${KILLS} random moments: ${JSON.stringify(outcomes)} (runs: distinct complete sets seen)`);
  }, 120_000);

  it(`export (with and without ort/), ${KILLS} kills`, async () => {
    const source = join(tmp, "export-models");
    await runToEnd([...PIPELINE, "--seed", "11", "--out", source, "--no-browser"]);
    const modelA = join(tmp, "model-a.json");
    copyFileSync(join(source, "interaction_predictor.json"), modelA);
    await runToEnd([...PIPELINE, "--seed", "12", "--out", source, "--no-browser"]);
    const modelB = join(tmp, "model-b.json");
    copyFileSync(join(source, "interaction_predictor.json"), modelB);
    const outcomes = await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        const out = join(tmp, `e${lane}-browser`);
        const duration = await runToEnd(["export", "--model", modelA, "--out", out, "--with-onnxruntime-web"]);
        checkAfterKill([out]);
        const next = delays(2000 + lane);
        const seen = { killed: 0, finished: 0 };
        for (let k = 0; k < KILLS / LANES; k++) {
          const args = ["export", "--model", k % 2 === 0 ? modelB : modelA, "--out", out, ...(k % 3 === 0 ? ["--with-onnxruntime-web"] : [])];
          seen[await killAt(args, next() * duration)]++;
          checkAfterKill([out]);
        }
        await runToEnd(["export", "--model", modelA, "--out", out]);
        expect(existsSync(join(out, "ort"))).toBe(false); // the previous set's ort/ went with it
        checkAfterKill([out]);
        return seen;
      }),
    );
    console.log(`[robustness] export SIGKILL at ${KILLS} random moments: ${JSON.stringify(outcomes)}`);
  }, 120_000);
});

describe("SIGINT / SIGTERM while staging: no temporary, the old set intact, the process ends by the signal", () => {
  const models = join(tmp, "sig-models");
  const browser = join(tmp, "sig-browser");
  beforeAll(() => runToEnd([...PIPELINE, "--seed", "21", "--out", models, "--browser-out", browser]), 30_000);

  it.each([
    ["SIGINT", "pipeline"],
    ["SIGTERM", "export"],
  ] as const)("%s during %s", async (signal, command) => {
    const before = checkAfterKill([models, browser]);
    const args =
      command === "pipeline"
        ? [...PIPELINE, "--seed", "22", "--out", models, "--browser-out", browser]
        : ["export", "--model", join(models, "interaction_predictor.json"), "--out", browser, "--with-onnxruntime-web"];
    const child = run(args, HOLD);
    const done = exited(child);
    await new Promise<void>((resolve) => {
      let text = "";
      child.stderr!.on("data", (c: Buffer) => {
        text += c.toString();
        if (text.includes("PRIVADS_TEST_HOLDING_BEFORE_RENAME")) resolve();
      });
    });
    expect(temporaries(models).length + temporaries(browser).length).toBeGreaterThan(0); // staging in progress
    child.kill(signal);
    expect((await done).signal).toBe(signal);
    expect(temporaries(models)).toEqual([]);
    expect(temporaries(browser)).toEqual([]);
    expect(checkAfterKill([models, browser])).toBe(before);
  }, 30_000);
});
