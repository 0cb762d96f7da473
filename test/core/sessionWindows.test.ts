import { describe, expect, it } from "vitest";
import { FEATURE_COUNT, FEATURE_INDEX } from "../../src/core/featureNames.js";
import type { AdSignal } from "../../src/core/adSignal.js";
import type { InteractionEvent } from "../../src/core/interactionEvent.js";
import { extractSessionWindows, sessionEnd } from "../../src/core/sessionWindows.js";
import { SlidingWindowExtractor } from "../../src/core/slidingWindowExtractor.js";

/** One scroll a second from t = 1 to `until`, then whatever `tail` adds. */
function busySession(until: number, tail: InteractionEvent[]): InteractionEvent[] {
  const events: InteractionEvent[] = [];
  for (let t = 1; t <= until; t++) events.push({ type: "scroll_down", t, depth: t / 1000 });
  return [...events, ...tail].sort((a, b) => a.t - b.t);
}

describe("extractSessionWindows (batch mode)", () => {
  it("labels a window by the click_ad in (t, t + 30] only: never one inside the window", () => {
    const events = busySession(60, [
      { type: "click_ad", t: 35.5 },
      { type: "close_tab", t: 61 },
    ]);
    const w = extractSessionWindows(events);
    // ends 10..60 (< 61): click at 35.5 is in (10,40], (20,50], (30,60]; not in (40,70], (50,80], (60,90]
    expect(w.t).toEqual([10, 20, 30, 40, 50, 60]);
    expect(Array.from(w.labels)).toEqual([1, 1, 1, 0, 0, 0]);
    // the window at 40 sees the click as history
    expect(w.features[3 * FEATURE_COUNT + FEATURE_INDEX.ad_click_count]).toBe(1);
    expect(w.features[2 * FEATURE_COUNT + FEATURE_INDEX.ad_click_count]).toBe(0);
  });

  it("counts a click exactly at t + horizon and not one exactly at t", () => {
    const events = busySession(30, [
      { type: "click_ad", t: 20 },
      { type: "click_ad", t: 50 },
      { type: "close_tab", t: 55 },
    ]);
    const w = extractSessionWindows(events);
    expect(w.t).toEqual([10, 20, 30, 40, 50]);
    // t=10: (10,40] has 20; t=20: (20,50] has 50; t=30: 50; t=40: 50; t=50: (50,80] none
    expect(Array.from(w.labels)).toEqual([1, 1, 1, 1, 0]);
  });

  it("skips windows with fewer than minActions events and stops before the session end", () => {
    const events: InteractionEvent[] = [
      { type: "click", t: 1 },
      { type: "click", t: 2 },
      { type: "click", t: 3 },
      { type: "click", t: 4 },
      { type: "click", t: 15 },
      { type: "close_tab", t: 30 },
    ];
    const w = extractSessionWindows(events);
    // t=10 holds 4 events (< 5); t=20 holds 5; t=30 is the session end, not before it
    expect(w.t).toEqual([20]);
    expect(sessionEnd(events)).toBe(30);
  });

  it("uses the last event as the end when there is no close_tab, and honours the config", () => {
    const events = busySession(40, []);
    const w = extractSessionWindows(events, new SlidingWindowExtractor({ windowStep: 15, minActions: 1 }));
    expect(w.t).toEqual([15, 30]);
  });

  it("gives the same rows as asking the extractor at each window end", () => {
    const events = busySession(200, [{ type: "hover", t: 77.7 }, { type: "blur_window", t: 120 }, { type: "close_tab", t: 201 }]);
    const w = extractSessionWindows(events);
    w.t.forEach((t, r) => {
      const live = new SlidingWindowExtractor();
      for (const e of events) if (e.t <= t) live.push(e);
      expect(Array.from(live.featuresAt(t))).toEqual(Array.from(w.features.subarray(r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT)));
    });
  });

  it("ads set: 26 columns, the ad features from the session's signals (values by hand)", () => {
    const events = busySession(60, [{ type: "close_tab", t: 61 }]);
    const signals: AdSignal[] = [
      { type: "ads_in_view", t: 12, value: 1 },
      { type: "ads_in_view", t: 25, value: 0 },
      { type: "pointer_on_ad", t: 33, value: 1 },
      { type: "pointer_on_ad", t: 36, value: 0 },
    ];
    const w = extractSessionWindows(events, new SlidingWindowExtractor({}, "ads"), signals);
    expect(w.t).toEqual([10, 20, 30, 40, 50, 60]);
    expect(w.features.length).toBe(6 * 26);
    const ads = (r: number) => Array.from(w.features.subarray(r * 26 + 20, r * 26 + 26));
    // [ads_in_view, ad_view_seconds, time_since_ad_view, ad_views_started, pointer_on_ad, pointer_on_ad_seconds]
    expect(ads(0)).toEqual([0, 0, 10, 0, 0, 0]); // nothing yet: time since = Weff = 10
    expect(ads(1)).toEqual([1, 8, 0, 1, 0, 0]); // viewable since 12
    expect(ads(2)).toEqual([0, 13, 5, 1, 0, 0]); // viewable 12..25, gone 5 s ago
    expect(ads(3)).toEqual([0, 13, 15, 1, 0, 3]); // pointer on the ad 33..36
    // The 20 interaction features are the seed set's rows.
    const seed = extractSessionWindows(events, new SlidingWindowExtractor({}, "seed"));
    for (let r = 0; r < 6; r++) expect(Array.from(w.features.subarray(r * 26, r * 26 + 20))).toEqual(Array.from(seed.features.subarray(r * 20, (r + 1) * 20)));
  });

  it("ads set without signals is an error naming the field; an empty array means no ad was seen", () => {
    const events = busySession(30, [{ type: "close_tab", t: 31 }]);
    expect(() => extractSessionWindows(events, new SlidingWindowExtractor({}, "ads"))).toThrow(/^adSignals: missing; /);
    const w = extractSessionWindows(events, new SlidingWindowExtractor({}, "ads"), []);
    expect(Array.from(w.features.subarray(20, 26))).toEqual([0, 0, 10, 0, 0, 0]);
  });
});
