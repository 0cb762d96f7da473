// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AdSignal } from "../../src/core/adSignal.js";
import { FEATURE_NAMES, FEATURE_SETS, type FeatureSetName, type FeatureVector } from "../../src/core/featureNames.js";
import { heuristicFromFeatures } from "../../src/core/heuristicPrediction.js";
import type { InteractionEvent } from "../../src/core/interactionEvent.js";
import { scoreModel } from "../../src/core/scoreModel.js";
import { extractSlidingWindowFeatures } from "../../src/core/slidingWindowExtractor.js";
import type { WindowConfig } from "../../src/core/windowConfig.js";
import { DEFAULT_WINDOW_CONFIG } from "../../src/core/windowConfig.js";
import { InteractionPredictor } from "../../src/browser/interactionPredictor.js";
import {
  createLivePrediction,
  type ClickPredictionSnapshot,
  type ClickPredictor,
  type EventSource,
  type LivePrediction,
} from "../../src/tracker/liveClickPrediction.js";
import { randomModel } from "../export/testModel.js";
import { buildPage, click, makeScrollable, pointerMove, scrollTo, startTracker, type Harness } from "./trackerHarness.js";

const model = randomModel(7);
const row = (features: FeatureVector, set: FeatureSetName = "seed") => FEATURE_SETS[set].map((name) => features[name] ?? Number.NaN);
/** The tracker's retained events and ad signals as one time-ordered list (what the batch extractor takes). */
const records = (source: Pick<EventSource, "getEvents" | "getAdSignals">): Array<InteractionEvent | AdSignal> =>
  [...source.getEvents(), ...(source.getAdSignals?.() ?? [])].sort((a, b) => a.t - b.t);
/** The `ads` set's features of the window ending at `t`, by the batch extractor. */
const batchAds = (source: Pick<EventSource, "getEvents" | "getAdSignals">, t: number, config: Partial<WindowConfig> = {}) =>
  extractSlidingWindowFeatures(records(source), t, config, "ads");
/** The pointer enters (`to`) or leaves (`from`) an element, as a mouse. */
const pointerTo = (from: Element | null, to: Element | null) => {
  from?.dispatchEvent(new PointerEvent("pointerout", { bubbles: true, relatedTarget: to, pointerType: "mouse" }));
  to?.dispatchEvent(new PointerEvent("pointerover", { bubbles: true, relatedTarget: from, pointerType: "mouse" }));
};
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
    if (i % 5 === 2) {
      // rests on the ad: pointer_on_ad 1, then 0
      pointerTo(page.paragraph, page.adText);
      advance(300 + ((i * 53) % 2000));
      pointerTo(page.adText, page.paragraph);
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
  it("answers with heuristicFromFeatures of the live window on the ads set, whose features equal the batch extractor's", () => {
    const snapshots: ClickPredictionSnapshot[] = [];
    live = createLivePrediction({ tracker: harness.tracker });
    live.subscribe((s) => snapshots.push(s));
    playSession();
    expect(snapshots.length).toBeGreaterThan(100);
    expect(harness.tracker.getAdSignals().length).toBeGreaterThan(4);
    for (const snapshot of snapshots.slice(-40)) {
      expect(snapshot.source).toBe("heuristic");
      expect(snapshot.featureSet).toBe("ads");
      expect(Object.keys(snapshot.features)).toEqual(FEATURE_SETS.ads);
      expect(snapshot.probability).toBe(heuristicFromFeatures(row(snapshot.features, "ads"), 0, "ads"));
      expect(snapshot.adState).toEqual({ adsInView: snapshot.features.ads_in_view, pointerOnAd: snapshot.features.pointer_on_ad === 1 });
    }
    // the pointer rested on the ad: the heuristic saw it
    expect(snapshots.some((s) => s.adState.pointerOnAd)).toBe(true);
    expect(Math.max(...snapshots.map((s) => s.features.pointer_on_ad_seconds!))).toBeGreaterThan(1);
    const latest = live.getSnapshot()!;
    const batch = batchAds(harness.tracker, latest.t);
    for (const name of FEATURE_SETS.ads) expect(Math.abs(latest.features[name]! - batch[name]!), name).toBeLessThanOrEqual(1e-12);
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

  it("live features equal the batch extractor on the tracker's events and ad signals at every snapshot of a long session", () => {
    live = createLivePrediction({ tracker: harness.tracker, intervalMs: 1000 });
    const checked: number[] = [];
    live.subscribe((s) => {
      const batch = batchAds(harness.tracker, s.t);
      for (const name of FEATURE_SETS.ads) {
        if (Math.abs(s.features[name]! - batch[name]!) > 1e-12) throw new Error(`${name} at ${s.t}: ${s.features[name]} vs ${batch[name]}`);
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
