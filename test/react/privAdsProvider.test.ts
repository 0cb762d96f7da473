// @vitest-environment happy-dom
import { act, createElement, StrictMode, type ReactNode } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FEATURE_SETS, type FeatureSetName, type FeatureVector } from "../../src/core/featureNames.js";
import { heuristicFromFeatures } from "../../src/core/heuristicPrediction.js";
import { extractSlidingWindowFeatures } from "../../src/core/slidingWindowExtractor.js";
import { InteractionPredictor } from "../../src/browser/interactionPredictor.js";
import { buildOnnxModel } from "../../src/export/onnxExporter.js";
import { InteractionTracker } from "../../src/tracker/interactionTracker.js";
import { PrivAdsProvider, useClickPrediction, usePrivAds, type ClickPredictionState, type PrivAdsHandle, type PrivAdsProviderProps } from "../../src/react/index.js";
import { randomModel } from "../export/testModel.js";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const model = randomModel(7);
const onnxBytes = buildOnnxModel(model);
const row = (features: FeatureVector, set: FeatureSetName) => FEATURE_SETS[set].map((name) => features[name] ?? Number.NaN);

/** Serves the model at /models/interaction_predictor.onnx; everything else is a 404. Counts requests. */
function modelFetch(available: boolean) {
  const calls: string[] = [];
  const fetchImpl = (async (input: RequestInfo | URL) => {
    calls.push(String(input));
    return available && String(input) === "/models/interaction_predictor.onnx" ? new Response(onnxBytes.slice()) : new Response("not found", { status: 404 });
  }) as typeof fetch;
  return { fetchImpl, calls };
}

let root: Root | undefined;
let container: HTMLElement;
let latest: { prediction?: ClickPredictionState; handle?: PrivAdsHandle } = {};
let origin = 0;

function Probe(): ReactNode {
  const prediction = useClickPrediction();
  latest = { prediction, handle: usePrivAds() };
  const p = prediction.probability;
  return createElement(
    "output",
    { id: "probe", "data-source": prediction.source ?? "", "data-ads-in-view": prediction.adsInView, "data-pointer-on-ad": String(prediction.pointerOnAd) },
    p === null ? "-" : p.toFixed(6),
  );
}

async function mount(props: Omit<PrivAdsProviderProps, "children">, strict = false): Promise<void> {
  const tree = createElement(PrivAdsProvider, { trackerOptions: { now: () => Date.now() - origin }, ...props }, createElement(Probe));
  await act(async () => {
    root = createRoot(container);
    root.render(strict ? createElement(StrictMode, null, tree) : tree);
  });
  await settle();
}

/** Lets fetch/initialise promise chains finish inside act. */
async function settle(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 30; i++) await Promise.resolve();
  });
}

async function clickOn(element: Element, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    await act(async () => {
      vi.advanceTimersByTime(700);
      element.dispatchEvent(new MouseEvent("click", { bubbles: true, detail: 1 }));
      vi.advanceTimersToNextFrame(); // the snapshot after an action comes with the next frame
    });
  }
  await settle();
}

beforeEach(() => {
  vi.useFakeTimers();
  origin = Date.now();
  document.body.innerHTML = `<p id="text">text</p><aside data-privads-ad><button id="ad">ad</button></aside><div id="app"></div>`;
  container = document.getElementById("app")!;
});

afterEach(async () => {
  await act(async () => root?.unmount());
  root = undefined;
  latest = {};
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("<PrivAdsProvider> and useClickPrediction", () => {
  it("renders the live heuristic prediction when run without a model", async () => {
    await mount({ predictor: null });
    const text = document.getElementById("text")!;
    await clickOn(text, 3);
    const state = latest.prediction!;
    expect(state).toMatchObject({ source: "heuristic", featureSet: "ads", ready: false, error: null, eventCount: 3, adsInView: 0, pointerOnAd: false });
    expect(state.features!.click_count).toBe(3);
    expect(state.probability).toBe(heuristicFromFeatures(row(state.features!, "ads"), 0, "ads"));
    const events = latest.handle!.tracker!.getEvents();
    expect(state.features).toEqual(extractSlidingWindowFeatures(events, state.t, {}, "ads"));
    expect(container.textContent).toBe(state.probability!.toFixed(6));
  });

  it("loads the model and uses it once the window holds enough events", async () => {
    const { fetchImpl, calls } = modelFetch(true);
    await mount({ fetch: fetchImpl, intervalMs: 500 });
    expect(calls).toEqual(["/models/interaction_predictor.onnx"]);
    expect(latest.prediction).toMatchObject({ ready: true, source: "heuristic" });
    await clickOn(document.getElementById("text")!, 3);
    await clickOn(document.getElementById("ad")!, 2);
    const state = latest.prediction!;
    expect(state).toMatchObject({ ready: true, source: "model", eventCount: 5, error: null });
    const reference = await new InteractionPredictor({ model: onnxBytes }).predictClickProbability(state.features!);
    expect(state.probability).toBe(reference);
    expect(container.querySelector("#probe")!.getAttribute("data-source")).toBe("model");
  });

  it("falls back to the heuristic when the model URL is a 404", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { fetchImpl, calls } = modelFetch(false);
    await mount({ fetch: fetchImpl, modelUrl: "/models/nope.onnx" });
    await clickOn(document.getElementById("text")!, 6);
    const state = latest.prediction!;
    expect(calls[0]).toBe("/models/nope.onnx");
    expect(state.source).toBe("heuristic");
    expect(state.ready).toBe(false);
    expect(state.error?.message).toMatch(/404/);
    expect(state.featureSet).toBe("ads");
    expect(state.probability).toBe(heuristicFromFeatures(row(state.features!, "ads"), 0, "ads"));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/^\[privads\]/);
  });

  it("StrictMode mounts exactly one set of listeners and loads the model once; unmount removes them all", async () => {
    // One started tracker's listeners (the nine actions' and the two ad observers'), counted without the spies.
    const one = new Map<string, number>();
    const counting = new InteractionTracker({ window });
    const spies = ([window, document] as EventTarget[]).map((target) =>
      vi.spyOn(target, "addEventListener").mockImplementation((type: string) => void one.set(type, (one.get(type) ?? 0) + 1)),
    );
    counting.start();
    counting.stop();
    for (const spy of spies) spy.mockRestore();
    const active = new Map<string, number>();
    for (const target of [window, document] as EventTarget[]) {
      const add = target.addEventListener.bind(target);
      const remove = target.removeEventListener.bind(target);
      vi.spyOn(target, "addEventListener").mockImplementation((...args: Parameters<EventTarget["addEventListener"]>) => {
        active.set(args[0], (active.get(args[0]) ?? 0) + 1);
        add(...args);
      });
      vi.spyOn(target, "removeEventListener").mockImplementation((...args: Parameters<EventTarget["removeEventListener"]>) => {
        active.set(args[0], (active.get(args[0]) ?? 0) - 1);
        remove(...args);
      });
    }
    const { fetchImpl, calls } = modelFetch(true);
    await mount({ fetch: fetchImpl }, true);
    const tracked = [...one.keys()];
    expect(tracked).toEqual(expect.arrayContaining(["scroll", "focus", "blur", "pagehide", "visibilitychange", "click", "mouseover", "mouseout", "pointerover", "pointerout"]));
    expect(Object.fromEntries(tracked.map((type) => [type, active.get(type)]))).toEqual(Object.fromEntries(one));
    expect(calls).toHaveLength(1);
    await clickOn(document.getElementById("text")!);
    expect(latest.handle!.tracker!.getEvents()).toHaveLength(1); // one click, recorded once
    await act(async () => root!.unmount());
    root = undefined;
    for (const type of tracked) expect(active.get(type), type).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("usePrivAds exports the session as a JSON Lines Session line", async () => {
    await mount({ predictor: null });
    expect(latest.handle!.tracker!.isRunning).toBe(true);
    await clickOn(document.getElementById("ad")!);
    const line = latest.handle!.exportSession("demo")!;
    // adSignals: [] = the ads were observed and none was in view (happy-dom has no layout)
    expect(JSON.parse(line)).toEqual({ id: "demo", events: [{ type: "click_ad", t: 0.7 }], adSignals: [] });
  });

  it("exposes the ad state: the pointer entering an ad re-renders at the next frame, with no timer", async () => {
    await mount({ predictor: null, intervalMs: 0 });
    const ad = document.querySelector("[data-privads-ad]")!;
    const text = document.getElementById("text")!;
    const probe = () => container.querySelector("#probe")!;
    const before = latest.prediction!;
    expect(before).toMatchObject({ pointerOnAd: false, adsInView: 0 });
    await act(async () => {
      vi.advanceTimersByTime(400);
      ad.dispatchEvent(new PointerEvent("pointerover", { bubbles: true, relatedTarget: text, pointerType: "mouse" }));
      vi.advanceTimersToNextFrame();
    });
    const onAd = latest.prediction!;
    expect(onAd).toMatchObject({ pointerOnAd: true, adsInView: 0, source: "heuristic" });
    const frame = onAd.t - 0.4; // the snapshot is taken at the frame, one frame (<= 16 ms) after the pointer entered
    expect(frame).toBeGreaterThanOrEqual(0);
    expect(frame).toBeLessThanOrEqual(0.016);
    expect(onAd.features!.pointer_on_ad).toBe(1);
    expect(onAd.probability).toBeGreaterThan(before.probability!);
    expect(probe().getAttribute("data-pointer-on-ad")).toBe("true");
    expect(probe().textContent).toBe(onAd.probability!.toFixed(6));
    await act(async () => {
      vi.advanceTimersByTime(300);
      ad.dispatchEvent(new PointerEvent("pointerout", { bubbles: true, relatedTarget: text, pointerType: "mouse" }));
      vi.advanceTimersToNextFrame();
    });
    expect(latest.prediction).toMatchObject({ pointerOnAd: false });
    // The pointer was on the ad from 0.4 s to 0.4 + 0.3 s + the first frame's delay.
    expect(Math.abs(latest.prediction!.features!.pointer_on_ad_seconds! - (0.3 + frame))).toBeLessThanOrEqual(1e-12);
    expect(probe().getAttribute("data-pointer-on-ad")).toBe("false");
  });

  it("hooks outside a provider return the initial state instead of throwing", async () => {
    await act(async () => {
      root = createRoot(container);
      root.render(createElement(Probe));
    });
    expect(latest.prediction).toMatchObject({ probability: null, source: null, featureSet: null, ready: false, adsInView: 0, pointerOnAd: false });
    expect(latest.handle!.tracker).toBeNull();
    expect(latest.handle!.exportSession()).toBeNull();
    expect(container.textContent).toBe("-");
  });

  it("the consent prop: pending attaches nothing, granted starts tracking, denied drops everything and the snapshot resets", async () => {
    const added = vi.spyOn(document, "addEventListener");
    const rerender = (consent: PrivAdsProviderProps["consent"]) =>
      act(async () => {
        root!.render(createElement(PrivAdsProvider, { trackerOptions: { now: () => Date.now() - origin }, predictor: null, consent }, createElement(Probe)));
      });
    await mount({ predictor: null, consent: "pending" });
    const text = document.getElementById("text")!;
    await clickOn(text, 2);
    const tracker = latest.handle!.tracker!;
    expect(tracker.consent).toBe("pending");
    expect(tracker.isRunning).toBe(false);
    expect(added.mock.calls.map(([type]) => type).filter((type) => type !== "selectionchange")).toEqual([]); // React's own listener aside
    expect(tracker.getEvents()).toEqual([]);

    await rerender("granted");
    expect(tracker.isRunning).toBe(true);
    await clickOn(text, 2);
    expect(tracker.getEvents().map((e) => e.type)).toEqual(["click", "click"]);
    expect(latest.prediction!.eventCount).toBe(2);

    await rerender("denied");
    await settle();
    expect(tracker.isRunning).toBe(false);
    expect(tracker.getEvents()).toEqual([]);
    expect(JSON.parse(tracker.exportSession("s"))).toEqual({ id: "s", events: [] });
    expect(latest.prediction).toMatchObject({ eventCount: 0, adsInView: 0, pointerOnAd: false });
    expect(latest.prediction!.features!.click_count).toBe(0);
  });
});
