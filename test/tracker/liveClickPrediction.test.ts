// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FEATURE_NAMES } from "../../src/core/featureNames.js";
import { heuristicFromFeatures } from "../../src/core/heuristicPrediction.js";
import { scoreModel } from "../../src/core/scoreModel.js";
import { extractSlidingWindowFeatures } from "../../src/core/slidingWindowExtractor.js";
import { InteractionPredictor } from "../../src/browser/interactionPredictor.js";
import { createLivePrediction, type ClickPredictionSnapshot, type ClickPredictor, type LivePrediction } from "../../src/tracker/liveClickPrediction.js";
import { randomModel } from "../export/testModel.js";
import { buildPage, click, makeScrollable, pointerMove, scrollTo, startTracker, type Harness } from "./trackerHarness.js";

const model = randomModel(7);
const row = (features: Record<string, number>) => FEATURE_NAMES.map((name) => features[name]);
/** Lets pending promise callbacks run (fake timers do not drive microtasks). */
const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

let harness: Harness;
let live: LivePrediction | undefined;

beforeEach(() => {
  makeScrollable();
  harness = startTracker();
});

afterEach(() => {
  live?.dispose();
  live = undefined;
  harness.tracker.stop();
  vi.useRealTimers();
  document.body.innerHTML = "";
});

/** A varied session: scrolls, clicks, hovers, a blur/focus and pauses long enough for waits. */
function playSession(steps = 40): void {
  const page = buildPage();
  const { advance } = harness;
  for (let i = 0; i < steps; i++) {
    scrollTo(((i * 137) % 900) + 50);
    advance(250);
    if (i % 3 === 0) click(page.paragraph);
    if (i % 7 === 0) {
      pointerMove(null, page.link);
      advance(600);
      pointerMove(page.link, null);
    }
    if (i % 11 === 5) click(page.adButton);
    if (i % 13 === 4) {
      window.dispatchEvent(new Event("blur"));
      advance(12_000);
      window.dispatchEvent(new Event("focus"));
    }
    advance(900 + ((i * 311) % 7000));
  }
}

describe("createLivePrediction without a model", () => {
  it("answers with heuristicFromFeatures of the live window, whose features equal the batch extractor's", () => {
    const snapshots: ClickPredictionSnapshot[] = [];
    live = createLivePrediction({ tracker: harness.tracker });
    live.subscribe((s) => snapshots.push(s));
    playSession();
    expect(snapshots.length).toBeGreaterThan(100);
    for (const snapshot of snapshots.slice(-40)) {
      expect(snapshot.source).toBe("heuristic");
      expect(snapshot.probability).toBe(heuristicFromFeatures(row(snapshot.features)));
    }
    const latest = live.getSnapshot()!;
    const batch = extractSlidingWindowFeatures(harness.tracker.getEvents(), latest.t);
    for (const name of FEATURE_NAMES) expect(Math.abs(latest.features[name] - batch[name]), name).toBeLessThanOrEqual(1e-12);
    // the latest snapshot is at most one interval old
    expect(latest.t).toBeLessThanOrEqual(harness.elapsed() / 1000);
    expect(latest.t).toBeGreaterThan(harness.elapsed() / 1000 - 1);
  });

  it("publishes on every action and on the timer", () => {
    const page = buildPage();
    const snapshots: ClickPredictionSnapshot[] = [];
    live = createLivePrediction({ tracker: harness.tracker, intervalMs: 1000 });
    live.subscribe((s) => snapshots.push(s));
    expect(snapshots).toHaveLength(1); // the current one, at once
    harness.advance(3000);
    expect(snapshots.map((s) => s.t)).toEqual([0, 1, 2, 3]);
    click(page.paragraph);
    click(page.ad);
    expect(snapshots.slice(-2).map((s) => [s.t, s.eventCount, s.features.ad_click_count])).toEqual([
      [3, 1, 0],
      [3, 2, 1],
    ]);
  });

  it("live features equal the batch extractor on the tracker's events at every snapshot of a long session", () => {
    live = createLivePrediction({ tracker: harness.tracker, intervalMs: 1000 });
    const checked: number[] = [];
    live.subscribe((s) => {
      const batch = extractSlidingWindowFeatures(harness.tracker.getEvents(), s.t);
      for (const name of FEATURE_NAMES) {
        if (Math.abs(s.features[name] - batch[name]) > 1e-12) throw new Error(`${name} at ${s.t}: ${s.features[name]} vs ${batch[name]}`);
      }
      checked.push(s.t);
    });
    playSession(80); // ~6 minutes: the tracker has evicted old events long ago
    expect(checked.length).toBeGreaterThan(300);
    expect(checked[checked.length - 1]).toBeGreaterThan(300);
  });

  it("dispose() stops the timer and the subscription", () => {
    const seen: ClickPredictionSnapshot[] = [];
    live = createLivePrediction({ tracker: harness.tracker });
    live.subscribe((s) => seen.push(s));
    const timers = vi.getTimerCount();
    live.dispose();
    expect(vi.getTimerCount()).toBe(timers - 1);
    click(buildPage().paragraph);
    harness.advance(5000);
    expect(seen).toHaveLength(1);
  });
});

describe("createLivePrediction with a model", () => {
  it("uses the model once ready and the window holds >= minActions events; its probability equals the predictor on the same features", async () => {
    const predictor = new InteractionPredictor({ model });
    const snapshots: ClickPredictionSnapshot[] = [];
    live = createLivePrediction({ tracker: harness.tracker, predictor });
    live.subscribe((s) => snapshots.push(s));
    await settle();
    expect(live.modelReady).toBe(true);
    const page = buildPage();
    for (let i = 0; i < 4; i++) click(page.paragraph);
    await settle();
    expect(snapshots[snapshots.length - 1]).toMatchObject({ source: "heuristic", eventCount: 4 });
    click(page.ad);
    await settle();
    const last = snapshots[snapshots.length - 1];
    expect(last).toMatchObject({ source: "model", eventCount: 5 });
    expect(Math.abs(last.probability - scoreModel(model, row(last.features)))).toBeLessThanOrEqual(1e-12);
    expect(last.probability).toBe(await predictor.predictClickProbability(last.features));

    playSession(20);
    await settle();
    const final = live.getSnapshot()!;
    expect(final.source).toBe("model");
    const reference = scoreModel(model, row(extractSlidingWindowFeatures(harness.tracker.getEvents(), final.t)));
    expect(Math.abs(final.probability - reference)).toBeLessThanOrEqual(1e-12);
  });

  it("falls back to the heuristic (and says so) when the model cannot load, logging once", async () => {
    const logger = { warn: vi.fn() };
    const fetch404 = (async () => new Response("missing", { status: 404 })) as typeof fetch;
    const predictor = new InteractionPredictor({ modelUrl: "/models/missing.onnx", fetch: fetch404 });
    live = createLivePrediction({ tracker: harness.tracker, predictor, logger });
    playSession(5);
    await settle();
    harness.advance(2000);
    await settle();
    const snapshot = live.getSnapshot()!;
    expect(snapshot.source).toBe("heuristic");
    expect(snapshot.eventCount).toBeGreaterThanOrEqual(5);
    expect(snapshot.probability).toBe(heuristicFromFeatures(row(snapshot.features)));
    expect(live.modelReady).toBe(false);
    expect(live.modelError?.message).toMatch(/HTTP 404/);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(String(logger.warn.mock.calls[0][0])).toMatch(/^\[privads\]/);
  });

  it("a predictor that rejects or returns garbage is dropped for the heuristic; nothing throws", async () => {
    const bad: ClickPredictor = {
      initialize: async () => {},
      predictClickProbability: async () => Number.NaN,
    };
    const logger = { warn: vi.fn() };
    live = createLivePrediction({ tracker: harness.tracker, predictor: bad, logger });
    await settle();
    playSession(4);
    await settle();
    expect(live.getSnapshot()!.source).toBe("heuristic");
    expect(live.modelError).toBeInstanceOf(TypeError);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it("adopts the model's window config (rebuilding the live extractor from the tracker's events)", async () => {
    const page = buildPage();
    for (let i = 0; i < 30; i++) {
      click(page.paragraph);
      harness.advance(4000);
    }
    const small = randomModel(3);
    small.window = { ...small.window, windowSize: 60, minActions: 3 };
    const predictor = new InteractionPredictor({ model: small });
    live = createLivePrediction({ tracker: harness.tracker, predictor });
    await settle();
    click(page.ad);
    await settle();
    const snapshot = live.getSnapshot()!;
    expect(snapshot.source).toBe("model");
    const batch = extractSlidingWindowFeatures(harness.tracker.getEvents(), snapshot.t, { windowSize: 60 });
    expect(snapshot.features).toEqual(batch);
    expect(snapshot.eventCount).toBe(harness.tracker.getEvents().filter((e) => e.t > snapshot.t - 60).length);
  });
});
