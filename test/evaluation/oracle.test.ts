import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_WINDOW_CONFIG } from "../../src/core/windowConfig.js";
import { estimateClickProbability, type OracleTask, runOracleTasks } from "../../src/evaluation/oracle.js";
import { startOracle } from "../../src/evaluation/oracleRunner.js";
import type * as OracleRunner from "../../src/evaluation/oracleRunner.js";
import { SeededRandom } from "../../src/random/seededRandom.js";
import { SyntheticGenerator } from "../../src/generator/sessionGenerator.js";
import type { UserParameters } from "../../src/generator/userParameters.js";
import { initialUserState, type UserState } from "../../src/generator/userState.js";
import { advanceUser } from "../../src/generator/userProcess.js";
import { extractSessionWindows } from "../../src/core/sessionWindows.js";
import { SlidingWindowExtractor } from "../../src/core/slidingWindowExtractor.js";

const tmp = mkdtempSync(join(tmpdir(), "privads-oracle-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * A user whose click_ad hazard is constant over the horizon, so P(click in 30 s) has a closed
 * form. actionRate 0 makes the activity 0 (no scroll, click or hover: depth and hover state
 * stay put); pauseProbability -0.075 cancels the blur hazard (0.003 + 0.04 p = 0); a huge
 * target length makes close_tab ~1e-9 per second. Engagement 200 keeps min(engagement / 5, 4)
 * at its cap of 4 for the whole 30 s (200 e^-1.5 = 45 > 20) and adInterest 100 keeps
 * min(adInterest, 3) at 3 (100 e^-0.75 > 3). The click_ad hazard per second is then
 * h = 0.00065 * m * v * (1 + 3) * 4^1.5 with v = 1 when an ad slot is on screen, else 0.3,
 * and per 0.5 s tick the click probability is 1 - exp(-0.5 h) (the only non-negligible
 * hazard), so P = 1 - exp(-30 h).
 */
function constantHazardCase(multiplier: number, depth: number): { params: UserParameters; state: UserState; expected: number } {
  const params: UserParameters = {
    profile: "focused_reader",
    targetSessionSeconds: 1e12,
    actionRate: 0,
    pauseProbability: -0.075,
    clickProbability: 0,
    adClickMultiplier: multiplier,
    scrollPattern: "gradual",
    maxSessionSeconds: 1800,
  };
  const state: UserState = { ...initialUserState(), t: 100, depth, lastActionTime: 99, engagement: 200, adInterest: 100 };
  const visible = depth === 0.45 ? 1 : 0.3;
  const h = 0.00065 * multiplier * visible * 4 * 4 ** 1.5;
  return { params, state, expected: 1 - Math.exp(-30 * h) };
}

describe("oracle: Monte-Carlo click probability", () => {
  it.each([
    [1, 0.45],
    [0.25, 0.45],
    [3, 0.3],
    [4, 0.45],
  ])("matches 1 - exp(-30 h) for a constant hazard (multiplier %s, depth %s)", (multiplier, depth) => {
    const { params, state, expected } = constantHazardCase(multiplier, depth);
    const rollouts = 4000;
    const before = structuredClone(state);
    const p = estimateClickProbability(params, { t: state.t, state }, new SeededRandom(11).fork(Math.round(multiplier * 100)), rollouts, 30);
    const se = Math.sqrt((expected * (1 - expected)) / rollouts);
    expect(Math.abs(p - expected), `p = ${p}, expected ${expected}, se ${se}`).toBeLessThanOrEqual(4 * se + 1e-9);
    expect(state).toEqual(before); // the snapshot is not modified
  });

  it("is exactly 0 for a user whose click_ad hazard is 0 (multiplier 0)", () => {
    const { params, state } = constantHazardCase(0, 0.45);
    expect(estimateClickProbability(params, { t: state.t, state }, new SeededRandom(3), 300, 30)).toBe(0);
  });

  it("equals plain roll-outs of advanceUser from copies of the snapshot, drawn in turn from one stream", () => {
    const generator = new SyntheticGenerator(77, { snapshotEvery: 10 });
    let windows = 0;
    while (windows < 60) {
      const { params, snapshots } = generator.next();
      for (const snapshot of snapshots!.slice(0, 4)) {
        const rollouts = 50;
        const plain = new SeededRandom(windows);
        let hits = 0;
        for (let k = 0; k < rollouts; k++) {
          let hit = false;
          advanceUser(params, structuredClone(snapshot.state), plain, snapshot.t + 30, (e) => {
            if (e.type === "click_ad") hit = true;
          });
          if (hit) hits++;
        }
        const rng = new SeededRandom(windows);
        expect(estimateClickProbability(params, snapshot, rng, rollouts, 30)).toBe(hits / rollouts);
        expect(rng.uniform()).toBe(plain.uniform()); // the same draws, no more, no fewer
        windows++;
      }
    }
  });

  it("rejects a non-positive roll-out count or horizon", () => {
    const { params, state } = constantHazardCase(1, 0.45);
    expect(() => estimateClickProbability(params, { t: 100, state }, new SeededRandom(1), 0, 30)).toThrow(RangeError);
    expect(() => estimateClickProbability(params, { t: 100, state }, new SeededRandom(1), 10, 0)).toThrow(RangeError);
  });

  it("agrees with the labels of simulated windows on average (same horizon, same process)", () => {
    // Independent check of the horizon convention: the mean oracle probability over many
    // windows must match the observed positive rate of their labels.
    const generator = new SyntheticGenerator(2024, { snapshotEvery: 10 });
    const extractor = new SlidingWindowExtractor();
    const tasks: OracleTask[] = [];
    const labels: number[] = [];
    while (tasks.length < 1500) {
      const { session, params, snapshots } = generator.next();
      const windows = extractSessionWindows(session.events, extractor);
      windows.t.forEach((t, k) => {
        tasks.push({ params, snapshot: snapshots![Math.round(t / 10) - 1], streamId: tasks.length });
        labels.push(windows.labels[k]);
      });
    }
    const out = new Float64Array(tasks.length);
    runOracleTasks(tasks, 0, tasks.length, { runSeed: 9, rollouts: 40, horizon: DEFAULT_WINDOW_CONFIG.horizon }, out);
    const meanP = out.reduce((a, b) => a + b, 0) / out.length;
    const rate = labels.reduce((a, b) => a + b, 0) / labels.length;
    // Windows of a session are correlated: allow ~4 standard errors of a 1,500-window rate
    // inflated for clustering (design effect ~3).
    const se = Math.sqrt((rate * (1 - rate) * 3) / labels.length);
    expect(Math.abs(meanP - rate), `mean oracle ${meanP}, label rate ${rate}`).toBeLessThan(4 * se);
  });
});

describe("oracle runner", () => {
  function someTasks(count: number): OracleTask[] {
    const generator = new SyntheticGenerator(5, { snapshotEvery: 10 });
    const tasks: OracleTask[] = [];
    while (tasks.length < count) {
      const { params, snapshots } = generator.next();
      for (const snapshot of snapshots!) if (tasks.length < count) tasks.push({ params, snapshot, streamId: 1000 + tasks.length });
    }
    return tasks;
  }
  const options = { runSeed: 42, rollouts: 20, horizon: 30 };

  it("gives the same values in the calling thread however the tasks are cut", async () => {
    const tasks = someTasks(120);
    const whole = new Float64Array(tasks.length);
    runOracleTasks(tasks, 0, tasks.length, options, whole);
    const pieces = new Float64Array(tasks.length);
    for (let from = 0; from < tasks.length; from += 7) runOracleTasks(tasks, from, Math.min(tasks.length, from + 7), options, pieces);
    expect(pieces).toEqual(whole);
    const job = startOracle(tasks, { ...options, worker: false });
    expect(job.parallel).toBe(false);
    expect(await job.result()).toEqual(whole);
  });

  it("gives the same values with a worker thread (bundled, as in the CLI)", async () => {
    const entry = join(tmp, "entry.ts");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(entry, `export { startOracle } from ${JSON.stringify(fileURLToPath(new URL("../../src/evaluation/oracleRunner.ts", import.meta.url)))};\n`);
    const bundle = join(tmp, "oracle.mjs");
    await build({
      entryPoints: [entry],
      outfile: bundle,
      bundle: true,
      format: "esm",
      platform: "node",
      logLevel: "warning",
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    const bundled = (await import(bundle)) as typeof OracleRunner;
    const tasks = someTasks(300);
    const expected = new Float64Array(tasks.length);
    runOracleTasks(tasks, 0, tasks.length, options, expected);
    const job = bundled.startOracle(tasks, { ...options, worker: true });
    expect(job.parallel).toBe(true);
    expect(await job.result()).toEqual(expected);
  });
});
