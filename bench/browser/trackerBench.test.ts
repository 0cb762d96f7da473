import { build } from "esbuild";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";
import { startStaticServer, type StaticServer } from "../../src/node/staticServer.js";
import type * as FullBundle from "./benchEntryFull.js";
import { BROWSER_BUNDLE, esbuildOptions } from "../../scripts/buildOptions.mjs";
import { demoModel } from "../../test/e2e/browserHarness.js";
import { launchChromium, type LaunchedChromium } from "../../test/support/chromium.js";

/** `entry` bundled exactly as the package's browser bundle is (scripts/buildOptions.mjs), in memory. */
async function bundle(entry: string): Promise<Uint8Array> {
  const result = await build({ ...esbuildOptions({ ...BROWSER_BUNDLE, entry }), outfile: undefined, write: false, logLevel: "silent" });
  return result.outputFiles![0].contents;
}

const gzipKb = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length / 1024;

let dir: string;
let server: StaticServer;
let browser: LaunchedChromium;
const sizes: Record<string, { raw: number; gzip: number }> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "privads-bench-"));
  for (const [name, entry] of [
    ["minimal", "bench/browser/benchEntry.ts"],
    ["full", "bench/browser/benchEntryFull.ts"],
  ] as const) {
    const code = await bundle(entry);
    await writeFile(join(dir, `${name}.js`), code);
    sizes[name] = { raw: code.length / 1024, gzip: gzipKb(code) };
  }
  await writeFile(join(dir, "model.onnx"), buildOnnxModel(demoModel()));
  await writeFile(
    join(dir, "index.html"),
    `<!doctype html><meta charset="utf-8"><title>bench</title><main><p id="p">text <span id="s">inner</span></p></main>
<script type="module">import * as minimal from "./minimal.js"; import * as full from "./full.js"; window.__bench = { minimal, full };</script>`,
  );
  server = await startStaticServer({ root: dir, host: "127.0.0.1" });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("browser cost", () => {
  it("live prediction (tracker + extractor + builtin model) per event in Chromium: a 1 kHz focus/blur storm for 10 s, and single clicks", async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => "__bench" in window);
    const result = await page.evaluate(async () => {
      type Mod = typeof FullBundle;
      const { full } = (window as unknown as { __bench: { full: Mod } }).__bench;
      const target = document.getElementById("s")!;
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const predictor = new full.InteractionPredictor({ modelUrl: "./model.onnx" });
      await predictor.initialize();
      // The page's frames, under the bench's hand: `frame()` runs what was requested, as the
      // browser does before a paint. Timed with everything else.
      let frames: Array<(ms: number) => void> = [];
      const requestAnimationFrame = (cb: (ms: number) => void) => frames.push(cb);
      const cancelAnimationFrame = () => {};
      let ms = 0;
      const frame = () => {
        const due = frames;
        frames = [];
        for (const cb of due) cb(ms);
      };
      const blur = new FocusEvent("blur");
      const focus = new FocusEvent("focus");
      const clickEvent = () => new MouseEvent("click", { bubbles: true });
      /**
       * One run: a tracker and live prediction; `events` events, `perFrame` of them between two
       * frames, each `stepMs` apart; after each frame, the snapshot it produced is awaited
       * (the model scores asynchronously). Returns us per event, by batch of `batch` events.
       */
      const run = async (withLive: boolean, events: number, perFrame: number, stepMs: number, fire: (i: number) => void, batch: number) => {
        ms = 0;
        frames = [];
        // The baseline: the same events dispatched to a page without the SDK.
        const tracker = withLive ? new full.InteractionTracker({ now: () => ms }) : undefined;
        tracker?.start();
        let published = 0;
        let seen = 0;
        let wake = () => {};
        const live = tracker
          ? full.createLivePrediction({ tracker, predictor, intervalMs: 0, timers: { requestAnimationFrame, cancelAnimationFrame } as never })
          : undefined;
        live?.subscribe(() => {
          published++;
          wake();
        });
        const perEvent: number[] = [];
        let t0 = performance.now();
        for (let i = 0; i < events; ) {
          const end = Math.min(events, i + perFrame);
          for (; i < end; i++) {
            ms += stepMs;
            fire(i);
          }
          frame();
          if (live) {
            // The snapshot of this frame (the model answers in a microtask or two).
            if (published === seen) await new Promise<void>((resolve) => (wake = resolve));
            seen = published;
          }
          if (i % batch === 0) {
            perEvent.push(((performance.now() - t0) * 1000) / batch);
            t0 = performance.now();
          }
        }
        const snapshot = live?.getSnapshot();
        live?.dispose();
        tracker?.stop();
        return { perEvent, snapshot, errors: tracker?.getStats().errors };
      };
      const toggle = (i: number) => window.dispatchEvent(i % 2 === 0 ? blur : focus);
      const click = () => target.dispatchEvent(clickEvent());
      const storms: number[] = [];
      const stormBaselines: number[] = [];
      const clicks: number[] = [];
      const clickBaselines: number[] = [];
      let last: Awaited<ReturnType<typeof run>> | undefined;
      // Interleaved rounds; the storm's figure is its mean per event over the whole 10 s (the
      // window grows to 10,000 events), a click's the median batch of 100 clicks 1 s apart.
      for (let round = 0; round < 5; round++) {
        const storm = await run(true, 10_000, 17, 1, toggle, 10_000); // 17 toggles per 60 Hz frame
        storms.push(storm.perEvent[0]);
        last = storm;
        stormBaselines.push((await run(false, 10_000, 17, 1, toggle, 10_000)).perEvent[0]);
        clicks.push(median((await run(true, 1000, 1, 1000, click, 100)).perEvent.slice(2)));
        clickBaselines.push(median((await run(false, 1000, 1, 1000, click, 100)).perEvent.slice(2)));
      }
      return {
        stormPerEvent: median(storms),
        stormBaseline: median(stormBaselines),
        clickPerEvent: median(clicks),
        clickBaseline: median(clickBaselines),
        stormSnapshot: { source: last?.snapshot?.source, eventCount: last?.snapshot?.eventCount, t: last?.snapshot?.t },
        errors: last?.errors,
      };
    });
    const round2 = (v: number) => Math.round(v * 100) / 100;
    const storm = result.stormPerEvent - result.stormBaseline;
    const click = result.clickPerEvent - result.clickBaseline;
    console.log(
      `[bench] live prediction in Chromium (tracker + extractor + builtin model, us per event, medians of 5 interleaved runs): ` +
        `1 kHz focus/blur storm for 10 s ${round2(storm)} (mean over the 10,000 events; the bare dispatch, ${round2(result.stormBaseline)}, excluded); ` +
        `a click ${round2(click)} (the bare dispatch, ${round2(result.clickBaseline)}, excluded); ` +
        `issue targets: storm <= 10 ${storm <= 10 ? "met" : "missed"}, click <= 5 ${click <= 5 ? "met" : "missed"}`,
    );
    expect(result.errors).toBe(0);
    expect(result.stormSnapshot).toEqual({ source: "model", eventCount: 10_000, t: 10 });
    await page.close();
  });


  it("bundle of tracker + extractor + builtin runtime is <= 15 KB gzipped", () => {
    console.log(`[bench] bundle sizes (KB): ${JSON.stringify(sizes)}`);
    expect(sizes.minimal.gzip).toBeLessThanOrEqual(15);
  });

  it("per-event tracker + live extractor cost in Chromium (best of 3 interleaved medians of 15 batches of 1000 events)", async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => "__bench" in window);
    const result = await page.evaluate(async () => {
      type Mod = typeof FullBundle;
      const { full } = (window as unknown as { __bench: { full: Mod } }).__bench;
      const target = document.getElementById("s")!;
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const BATCH = 1000;
      const BATCHES = 15;
      let ms = 0; // the tracker's clock: one event per second, so the 120 s window holds ~120 events
      const measure = (setup: () => () => void, fire: () => void): number => {
        const teardown = setup();
        const perEvent: number[] = [];
        for (let b = 0; b < BATCHES + 3; b++) {
          const t0 = performance.now();
          for (let i = 0; i < BATCH; i++) {
            ms += 1000;
            fire();
          }
          if (b >= 3) perEvent.push(((performance.now() - t0) * 1000) / BATCH); // the first batches warm the JIT up
        }
        teardown();
        return median(perEvent);
      };
      const click = () => target.dispatchEvent(new MouseEvent("click", { bubbles: true }));
      const scroll = () => window.dispatchEvent(new Event("scroll"));
      const tracked = (extra: (tracker: InstanceType<Mod["InteractionTracker"]>) => () => void) => () => {
        const tracker = new full.InteractionTracker({ now: () => ms });
        tracker.start();
        const undo = extra(tracker);
        return () => {
          undo();
          tracker.stop();
        };
      };
      const scenarios = {
        baselineClick: [() => () => {}, click],
        trackerExtractorClick: [
          tracked((tracker) => {
            const extractor = new full.SlidingWindowExtractor();
            return tracker.onEvent((event) => extractor.push(event));
          }),
          click,
        ],
        liveHeuristicClick: [
          tracked((tracker) => {
            const live = full.createLivePrediction({ tracker, intervalMs: 0 });
            return () => live.dispose();
          }),
          click,
        ],
        baselineScroll: [() => () => {}, scroll],
        trackerScroll: [tracked(() => () => {}), scroll],
      } as const;
      // Interleaved rounds; each scenario keeps its best median (the least disturbed run).
      const best: Record<string, number> = {};
      for (let round = 0; round < 3; round++) {
        for (const [name, [setup, fire]] of Object.entries(scenarios)) best[name] = Math.min(best[name] ?? Infinity, measure(setup, fire));
      }
      // One live snapshot: features of a 120-event window + the builtin model.
      const predictor = new full.InteractionPredictor({ modelUrl: "./model.onnx" });
      await predictor.initialize();
      const extractor = new full.SlidingWindowExtractor();
      for (let i = 0; i < 120; i++) extractor.push({ type: i % 7 === 0 ? "hover" : "click", t: i });
      const row = new Float64Array(20);
      const featureTimes: number[] = [];
      const scoreTimes: number[] = [];
      for (let b = 0; b < 21; b++) {
        let t0 = performance.now();
        for (let i = 0; i < 200; i++) extractor.featuresAt(120 + b, row);
        featureTimes.push(((performance.now() - t0) * 1000) / 200);
        const features = Object.fromEntries(["time_since_last_action", "hover_count"].map((name, k) => [name, row[k]]));
        t0 = performance.now();
        for (let i = 0; i < 200; i++) await predictor.predictClickProbability(features);
        scoreTimes.push(((performance.now() - t0) * 1000) / 200);
      }
      return {
        ...best,
        trackerOverheadClick: best.trackerExtractorClick - best.baselineClick,
        liveOverheadClick: best.liveHeuristicClick - best.baselineClick,
        trackerOverheadScroll: best.trackerScroll - best.baselineScroll,
        featuresAt120: median(featureTimes),
        modelScore: median(scoreTimes),
      };
    });
    console.log(`[bench] Chromium per-event medians (us): ${JSON.stringify(result, (_, v) => (typeof v === "number" ? Math.round(v * 100) / 100 : v))}`);
    // Target: <= 10 us per event for tracker + live extractor, on top of the browser's own dispatch.
    expect(result.trackerOverheadClick).toBeLessThanOrEqual(10);
    expect(result.trackerOverheadScroll).toBeLessThanOrEqual(10);
    await page.close();
  });
});
