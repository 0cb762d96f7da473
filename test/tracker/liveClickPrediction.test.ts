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
import { brief, buildPage, click, makeScrollable, pointerMove, scrollTo, startTracker, type Harness } from "./trackerHarness.js";

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
/**
 * Animation frames under the test's hand (live prediction's snapshot after records waits for
 * the next frame): `run()` is that frame; the clock does not move.
 */
function manualFrames() {
  let queue = new Map<number, (time: number) => void>();
  let id = 0;
  return {
    timers: {
      requestAnimationFrame: (callback: (time: number) => void) => (queue.set(++id, callback), id),
      cancelAnimationFrame: (frame: unknown) => void queue.delete(frame as number),
    },
    run() {
      const due = queue;
      queue = new Map();
      for (const callback of due.values()) callback(0);
    },
    get requested() {
      return queue.size;
    },
  };
}
let frames: ReturnType<typeof manualFrames>;

/** Lets pending promise callbacks run (fake timers do not drive microtasks). */
const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

let harness: Harness;
let live: LivePrediction | undefined;

beforeEach(() => {
  frames = manualFrames();
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

  it("publishes one snapshot at the next frame after any number of actions, and on the timer", () => {
    const page = buildPage();
    const snapshots: ClickPredictionSnapshot[] = [];
    live = createLivePrediction({ tracker: harness.tracker, intervalMs: 1000, timers: frames.timers });
    live.subscribe((s) => snapshots.push(s));
    expect(snapshots).toHaveLength(1); // the current one, at once
    harness.advance(3000);
    expect(snapshots.map((s) => s.t)).toEqual([0, 1, 2, 3]);
    click(page.paragraph);
    click(page.ad);
    expect(snapshots).toHaveLength(4); // nothing yet: the frame computes once for both
    expect(frames.requested).toBe(1);
    frames.run();
    expect(snapshots.slice(-2).map((s) => [s.t, s.eventCount, s.features.ad_click_count])).toEqual([
      [3, 0, 0],
      [3, 2, 1],
    ]);
    frames.run();
    expect(snapshots).toHaveLength(5);
    // A reader that cannot wait for the frame gets the window now.
    click(page.paragraph);
    expect(live.getSnapshot()).toMatchObject({ t: 3, eventCount: 3 });
    expect(frames.requested).toBe(0);
    expect(snapshots).toHaveLength(6);
  });

  it("a hidden tab (no frames) still gets its snapshot, from the fallback timer", () => {
    const snapshots: ClickPredictionSnapshot[] = [];
    live = createLivePrediction({ tracker: harness.tracker, intervalMs: 0, timers: frames.timers });
    live.subscribe((s) => snapshots.push(s));
    click(buildPage().paragraph);
    harness.advance(99);
    expect(snapshots).toHaveLength(1);
    harness.advance(1);
    expect(snapshots.map((s) => [s.t, s.eventCount])).toEqual([
      [0, 0],
      [0.1, 1],
    ]);
    expect(frames.requested).toBe(0); // the frame request was withdrawn
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

  it("a window ending now counts the waits due by now, however late the wait timer (a throttled background tab)", () => {
    harness.tracker.stop();
    harness = startTracker({ timers: { setTimeout: () => 0, clearTimeout: () => {} } }); // the tracker's timers never fire
    live = createLivePrediction({ tracker: harness.tracker, intervalMs: 0, timers: frames.timers });
    click(buildPage().paragraph); // t = 0
    harness.advance(12_000);
    expect(brief(harness.events)).toEqual([["click", 0]]); // no wait timer has fired
    live.refresh();
    // docs/events.md: waits at 0 + 5 and 0 + 10, as an offline window ending at 12 s counts them
    expect(brief(harness.events)).toEqual([["click", 0], ["wait", 5], ["wait", 10]]);
    expect(live.getSnapshot()!.t).toBe(12);
    expect(live.getSnapshot()!.features).toMatchObject({ wait_count: 2, click_count: 1, time_since_last_action: 2 });
    expect(frames.requested).toBe(0); // the waits' own records asked for no second snapshot
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
    live = createLivePrediction({ tracker: harness.tracker, predictor, timers: frames.timers });
    live.subscribe((s) => snapshots.push(s));
    await settle();
    expect(live.modelReady).toBe(true);
    const page = buildPage();
    for (let i = 0; i < 4; i++) click(page.paragraph);
    frames.run();
    await settle();
    expect(snapshots[snapshots.length - 1]).toMatchObject({ source: "heuristic", eventCount: 4 });
    click(page.ad);
    frames.run();
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
    // After a failure the heuristic reads the fallback set (ads), which holds the ad state.
    expect(snapshot.featureSet).toBe("ads");
    expect(snapshot.probability).toBe(heuristicFromFeatures(row(snapshot.features, "ads"), 0, "ads"));
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
    live = createLivePrediction({ tracker: harness.tracker, predictor, timers: frames.timers });
    await settle();
    click(page.ad);
    frames.run();
    await settle();
    const snapshot = live.getSnapshot()!;
    expect(snapshot.source).toBe("model");
    const batch = extractSlidingWindowFeatures(harness.tracker.getEvents(), snapshot.t, { windowSize: 60 });
    expect(snapshot.features).toEqual(batch);
    expect(snapshot.eventCount).toBe(harness.tracker.getEvents().filter((e) => e.t > snapshot.t - 60).length);
  });
});

/** An event source under the test's hand: records are emitted when the test says, at the clock it sets. */
function fakeSource() {
  const events: InteractionEvent[] = [];
  const signals: AdSignal[] = [];
  const eventListeners = new Set<(event: InteractionEvent) => void>();
  const signalListeners = new Set<(signal: AdSignal) => void>();
  let now = 0;
  const source: Required<Omit<EventSource, "onReset" | "catchUpWaits">> = {
    onEvent: (listener) => (eventListeners.add(listener), () => eventListeners.delete(listener)),
    onAdSignal: (listener) => (signalListeners.add(listener), () => signalListeners.delete(listener)),
    getEvents: () => events.slice(),
    getAdSignals: () => signals.slice(),
    currentTime: () => now,
  };
  return {
    source,
    at(t: number) {
      now = t;
      return this;
    },
    event(type: InteractionEvent["type"]) {
      const event = { type, t: now };
      events.push(event);
      for (const listener of eventListeners) listener(event);
    },
    signal(type: AdSignal["type"], value: number) {
      const signal = { type, t: now, value };
      signals.push(signal);
      for (const listener of signalListeners) listener(signal);
    },
  };
}

/** A predictor object (not InteractionPredictor) that reports a feature set and records what it is asked. */
function fakePredictor(featureSet: FeatureSetName | undefined, windowConfig: WindowConfig = DEFAULT_WINDOW_CONFIG) {
  let resolve = () => {};
  const asked: Array<Partial<FeatureVector>> = [];
  let ready = false;
  const predictor: ClickPredictor & { featureSet?: FeatureSetName } = {
    initialize: () =>
      new Promise<void>((done) => {
        resolve = () => {
          ready = true;
          done();
        };
      }),
    predictClickProbability: async (features) => {
      asked.push(features);
      // a stand-in model that reads the ad state when it has it
      return 0.01 + 0.2 * (features.ads_in_view ?? 0) + 0.3 * (features.pointer_on_ad ?? 0);
    },
    get ready() {
      return ready;
    },
    windowConfig,
    featureSet,
  };
  return { predictor, asked, load: () => resolve() };
}

describe("createLivePrediction and the ad signals", () => {
  it("publishes a snapshot at the next frame after each ad signal (no timer), with the ad state and the heuristic of the ads set", () => {
    const page = fakeSource();
    const snapshots: ClickPredictionSnapshot[] = [];
    live = createLivePrediction({ tracker: page.source, intervalMs: 0, timers: frames.timers });
    live.subscribe((s) => snapshots.push(s));
    page.at(2).event("click");
    frames.run();
    page.at(3).event("scroll_down");
    frames.run();
    const before = live.getSnapshot()!;
    expect(before.adState).toEqual({ adsInView: 0, pointerOnAd: false });

    page.at(4.5).signal("ads_in_view", 1);
    frames.run();
    const inView = live.getSnapshot()!;
    expect(snapshots).toHaveLength(4); // the first, two actions, the signal: nothing waited for a timer
    expect(inView).toMatchObject({ t: 4.5, source: "heuristic", featureSet: "ads", adState: { adsInView: 1, pointerOnAd: false } });
    expect(inView.features).toMatchObject({ ads_in_view: 1, ad_view_seconds: 0, ad_views_started: 1, pointer_on_ad: 0 });
    expect(inView.probability).toBe(heuristicFromFeatures(row(inView.features, "ads"), 0, "ads"));

    page.at(6).signal("pointer_on_ad", 1);
    frames.run();
    const onAd = live.getSnapshot()!;
    expect(onAd).toMatchObject({ t: 6, adState: { adsInView: 1, pointerOnAd: true } });
    expect(onAd.features).toMatchObject({ ad_view_seconds: 1.5, pointer_on_ad: 1 });
    expect(onAd.probability).toBe(heuristicFromFeatures(row(onAd.features, "ads"), 0, "ads"));
    expect(onAd.probability).toBeGreaterThan(inView.probability);
    expect(inView.probability).toBeGreaterThan(before.probability);

    page.at(8).signal("ads_in_view", 0);
    page.at(8).signal("pointer_on_ad", 0);
    frames.run();
    expect(live.getSnapshot()!).toMatchObject({ t: 8, adState: { adsInView: 0, pointerOnAd: false } });
    expect(live.getSnapshot()!.features).toMatchObject({ ads_in_view: 0, ad_view_seconds: 3.5, time_since_ad_view: 0, pointer_on_ad_seconds: 2 });
    expect(snapshots).toHaveLength(6); // both records of t = 8 in one frame
  });

  it("uses the ads set until the model is ready, then the model's set; the model gets that set's named features", async () => {
    for (const set of ["seed", "ads"] as const) {
      const page = fakeSource();
      const { predictor, asked, load } = fakePredictor(set);
      live = createLivePrediction({ tracker: page.source, predictor, intervalMs: 0, timers: frames.timers });
      for (let k = 1; k <= 5; k++) page.at(k).event("click");
      page.at(5.5).signal("ads_in_view", 2);
      frames.run();
      await settle();
      const loading = live.getSnapshot()!;
      expect(loading).toMatchObject({ source: "heuristic", featureSet: "ads", adState: { adsInView: 2 } });
      expect(asked).toHaveLength(0);

      load();
      await settle();
      expect(live.modelReady).toBe(true);
      const ready = live.getSnapshot()!;
      expect(ready).toMatchObject({ source: "model", featureSet: set, eventCount: 5, adState: { adsInView: 2, pointerOnAd: false } });
      expect(Object.keys(ready.features)).toEqual(FEATURE_SETS[set]);
      expect(Object.keys(asked[asked.length - 1])).toEqual(FEATURE_SETS[set]);
      // the rebuilt extractor equals the batch extractor on the same records
      expect(ready.features).toEqual(extractSlidingWindowFeatures(records(page.source), ready.t, {}, set));

      page.at(7).signal("pointer_on_ad", 1);
      frames.run();
      await settle();
      const onAd = live.getSnapshot()!;
      expect(onAd).toMatchObject({ t: 7, source: "model", adState: { adsInView: 2, pointerOnAd: true } });
      // an ads model sees the pointer (0.01 + 0.2 * 2 + 0.3); a seed model cannot, but the state is still reported
      expect(Math.abs(onAd.probability - (set === "ads" ? 0.71 : 0.01))).toBeLessThanOrEqual(1e-12);
      live.dispose();
    }
  });

  it("a ready predictor that names no feature set is scored with the 20 features (the seed contract)", async () => {
    const page = fakeSource();
    const { predictor, asked, load } = fakePredictor(undefined);
    live = createLivePrediction({ tracker: page.source, predictor, intervalMs: 0 });
    load();
    for (let k = 1; k <= 6; k++) page.at(k).event("hover");
    await settle();
    expect(live.getSnapshot()).toMatchObject({ source: "model", featureSet: "seed" });
    expect(Object.keys(asked[asked.length - 1])).toEqual(FEATURE_NAMES);
  });

  it("goes back to the ads set for the heuristic when the model fails", async () => {
    const page = fakeSource();
    const { predictor, load } = fakePredictor("seed");
    const logger = { warn: vi.fn() };
    predictor.predictClickProbability = async () => {
      throw new Error("scoring failed");
    };
    live = createLivePrediction({ tracker: page.source, predictor, intervalMs: 0, logger, timers: frames.timers });
    load();
    await settle();
    expect(live.getSnapshot()!.featureSet).toBe("seed");
    page.at(1).signal("pointer_on_ad", 1);
    for (let k = 2; k <= 6; k++) page.at(k).event("click");
    frames.run();
    await settle();
    const snapshot = live.getSnapshot()!;
    expect(live.modelError?.message).toBe("scoring failed");
    expect(snapshot).toMatchObject({ source: "heuristic", featureSet: "ads", adState: { pointerOnAd: true } });
    expect(snapshot.features.pointer_on_ad_seconds).toBe(5);
    expect(snapshot.probability).toBe(heuristicFromFeatures(row(snapshot.features, "ads"), 0, "ads"));
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it("rebuilds from the tracker's retained events and signals on readiness: equal to a fresh batch extractor with the model's window", async () => {
    playSession(80); // ~6 minutes: the tracker has evicted old records
    const { predictor, load } = fakePredictor("ads", { ...DEFAULT_WINDOW_CONFIG, windowSize: 60, minActions: 3 });
    live = createLivePrediction({ tracker: harness.tracker, predictor });
    const before = live.getSnapshot()!;
    expect(before.features).toEqual(batchAds(harness.tracker, before.t));
    load();
    await settle();
    const after = live.getSnapshot()!;
    expect(after).toMatchObject({ source: "model", featureSet: "ads" });
    const batch = batchAds(harness.tracker, after.t, { windowSize: 60 });
    for (const name of FEATURE_SETS.ads) expect(Math.abs(after.features[name]! - batch[name]!), name).toBeLessThanOrEqual(1e-12);
    expect(after.eventCount).toBe(harness.tracker.getEvents().filter((e) => e.t > after.t - 60).length);
    // and it keeps in step afterwards, signals included
    const page = buildPage();
    pointerTo(page.paragraph, page.ad);
    harness.advance(1500);
    await settle();
    const resting = live.getSnapshot()!;
    expect(resting.adState.pointerOnAd).toBe(true);
    expect(resting.features.pointer_on_ad).toBe(1);
    expect(resting.features).toEqual(batchAds(harness.tracker, resting.t, { windowSize: 60 }));
  });
});
