import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AdSignal } from "../../src/core/adSignal.js";
import { AD_FEATURE_COUNT, AdSignalWindow } from "../../src/core/adSignalWindow.js";
import type { InteractionEvent } from "../../src/core/interactionEvent.js";
import { extractSessionWindows } from "../../src/core/sessionWindows.js";
import { extractSlidingWindowFeatures, SlidingWindowExtractor, windowFeatureRow } from "../../src/core/slidingWindowExtractor.js";
import { referenceAdFeatures } from "./referenceAdFeatures.js";

const view = (t: number, value: number): AdSignal => ({ type: "ads_in_view", t, value });
const pointer = (t: number, value: number): AdSignal => ({ type: "pointer_on_ad", t, value });

/** Pushes the records at or before t, then asks at t. */
function featuresAt(records: readonly AdSignal[], t: number, W = 120): number[] {
  const w = new AdSignalWindow(W);
  for (const r of records) if (r.t <= t) w.push(r);
  const out = new Float64Array(AD_FEATURE_COUNT);
  w.featuresAt(t, out, 0);
  return Array.from(out);
}

// Columns: ads_in_view, ad_view_seconds, time_since_ad_view, ad_views_started, pointer_on_ad, pointer_on_ad_seconds
describe("AdSignalWindow (hand-computed)", () => {
  it("a view that started, grew and ended; a pointer rest", () => {
    const records = [view(5, 1), pointer(6, 1), view(8, 2), pointer(9, 0), view(20, 0)];
    // view on [5, 20): 15 s; ended at 20 -> 10 s ago; one start; pointer on [6, 9): 3 s
    expect(featuresAt(records, 30)).toEqual([0, 15, 10, 1, 0, 3]);
    // mid-view at t = 12: 2 ads, on for 7 s, 0 since, pointer rested 3 s
    expect(featuresAt(records, 12)).toEqual([2, 7, 0, 1, 0, 3]);
  });

  it("records at equal t apply in order, the last one holds; each 0 -> >0 counts as a start", () => {
    const records = [view(10, 1), view(10, 0), view(10, 1), pointer(10, 1), pointer(10, 0)];
    expect(featuresAt(records, 15)).toEqual([1, 5, 0, 2, 0, 0]);
  });

  it("an empty adSignals array: nothing in view, time since a view = Weff", () => {
    expect(featuresAt([], 50)).toEqual([0, 0, 50, 0, 0, 0]);
    expect(featuresAt([], 200)).toEqual([0, 0, 120, 0, 0, 0]);
  });

  it("a view that ends exactly at t - W is outside the window", () => {
    const records = [view(10, 1), view(30, 0)];
    expect(featuresAt(records, 150)).toEqual([0, 0, 120, 0, 0, 0]);
    // half a second earlier the end is inside: (29.5, 149.5]
    expect(featuresAt(records, 149.5)).toEqual([0, 0.5, 119.5, 0, 0, 0]);
  });

  it("a start exactly at t - W is not counted, but the view time is", () => {
    expect(featuresAt([view(30, 1)], 150)).toEqual([1, 120, 0, 0, 0, 0]);
    expect(featuresAt([view(30, 1)], 149)).toEqual([1, 119, 0, 1, 0, 0]);
  });

  it("a record repeating the current value changes nothing", () => {
    const records = [view(5, 2), view(6, 2), view(7, 3), pointer(8, 0), pointer(9, 1), pointer(10, 1)];
    expect(featuresAt(records, 12)).toEqual([3, 7, 0, 1, 1, 3]);
  });

  it("the window boundary at t < W counts from page load", () => {
    expect(featuresAt([view(0, 1), pointer(0, 1)], 4)).toEqual([1, 4, 0, 1, 1, 4]);
  });

  it("rejects records that break the contract, naming the field", () => {
    const w = new AdSignalWindow(120);
    w.push(view(5, 1));
    expect(() => w.push(view(4, 0))).toThrow(new RangeError("adSignal.t: must not decrease: 4 after 5"));
    expect(() => w.push(view(6, 1.5))).toThrow(new RangeError("adSignal.value: must be an integer in [0, 1000] for ads_in_view, got 1.5"));
    expect(() => w.push(view(6, 1001))).toThrow("must be an integer in [0, 1000]");
    expect(() => w.push(pointer(6, 2))).toThrow(new RangeError("adSignal.value: must be 0 or 1 for pointer_on_ad, got 2"));
    expect(() => w.push({ type: "ad_seen" as AdSignal["type"], t: 6, value: 1 })).toThrow(new TypeError('adSignal.type: must be one of ads_in_view, pointer_on_ad, got "ad_seen"'));
    expect(() => w.push(view(Number.NaN, 1))).toThrow("adSignal.t: must be a finite number >= 0");
    const out = new Float64Array(6);
    expect(() => w.featuresAt(4, out, 0)).toThrow("t (4) must not precede the latest ad signal (5)");
  });
});

const recordsArb = fc
  .array(
    fc.record({
      pointerRecord: fc.boolean(),
      gap: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 4000 }).map((ms) => ms / 1000), fc.double({ min: 0, max: 300, noNaN: true })),
      value: fc.integer({ min: 0, max: 3 }),
    }),
    { maxLength: 60 },
  )
  .map((steps) => {
    let t = 0;
    return steps.map(({ pointerRecord, gap, value }): AdSignal => {
      t += gap;
      return pointerRecord ? pointer(t, value > 1 ? 1 : value) : view(t, value);
    });
  });

describe("AdSignalWindow properties", () => {
  it("live (push one at a time, ask at arbitrary later times) equals the naive reference", () => {
    fc.assert(
      fc.property(recordsArb, fc.array(fc.double({ min: 0, max: 90, noNaN: true }), { minLength: 1, maxLength: 12 }), fc.constantFrom(30, 120), (records, gaps, W) => {
        const w = new AdSignalWindow(W);
        const out = new Float64Array(AD_FEATURE_COUNT);
        let next = 0;
        let t = 0;
        for (const gap of gaps) {
          t += gap;
          while (next < records.length && records[next].t <= t) w.push(records[next++]);
          w.featuresAt(t, out, 0);
          const expected = referenceAdFeatures(records, t, W);
          for (let i = 0; i < AD_FEATURE_COUNT; i++) expect(out[i]).toBeCloseTo(expected[i], 9);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("a long session of 100,000 switches: the last window only", () => {
    const w = new AdSignalWindow(120);
    const out = new Float64Array(AD_FEATURE_COUNT);
    for (let k = 0; k < 100_000; k++) w.push(view(k, k % 2));
    w.featuresAt(100_000, out, 0);
    // the last 120 s hold 60 starts (odd seconds) and 60 on-seconds
    expect(Array.from(out)).toEqual([1, 60, 0, 60, 0, 0]);
  });
});

describe("the ads feature set in the extractor", () => {
  const events: InteractionEvent[] = [
    { type: "scroll_down", t: 2, depth: 0.2 },
    { type: "hover", t: 4 },
    { type: "click", t: 7 },
    { type: "wait", t: 12 },
    { type: "scroll_down", t: 14, depth: 0.4 },
    { type: "wait", t: 19 },
    { type: "close_tab", t: 25 },
  ];
  const adSignals = [view(3, 1), pointer(5, 1), pointer(8, 0), view(15, 0)];

  it("appends the six ad features after the 20 of the seed set, batch and live alike", () => {
    const seed = extractSessionWindows(events, new SlidingWindowExtractor({ minActions: 1 }));
    const ads = extractSessionWindows(events, new SlidingWindowExtractor({ minActions: 1 }, "ads"), adSignals);
    expect(ads.t).toEqual([10, 20]);
    expect(seed.t).toEqual([10, 20]);
    // t = 10: view on since 3 (7 s), pointer 5..8 (3 s); t = 20: ended at 15 (5 s ago), 12 s of view
    const expectedAds = [
      [1, 7, 0, 1, 0, 3],
      [0, 12, 5, 1, 0, 3],
    ];
    for (let r = 0; r < 2; r++) {
      expect(Array.from(ads.features.subarray(r * 26, r * 26 + 20))).toEqual(Array.from(seed.features.subarray(r * 20, r * 20 + 20)));
      expect(Array.from(ads.features.subarray(r * 26 + 20, r * 26 + 26))).toEqual(expectedAds[r]);
    }
    const mixed = [...events.slice(0, 2), adSignals[0], adSignals[1], ...events.slice(2, 3), adSignals[2], ...events.slice(3, 5), adSignals[3], ...events.slice(5)];
    mixed.sort((a, b) => a.t - b.t);
    expect(Array.from(windowFeatureRow(mixed, 20, { minActions: 1 }, "ads"))).toEqual(Array.from(ads.features.subarray(26, 52)));
    expect(extractSlidingWindowFeatures(mixed, 10, {}, "ads").pointer_on_ad_seconds).toBe(3);
  });

  it("the ads set without adSignals is an error naming the field; an empty list means no ad seen", () => {
    expect(() => extractSessionWindows(events, new SlidingWindowExtractor({}, "ads"))).toThrow(/^adSignals: missing/);
    const none = extractSessionWindows(events, new SlidingWindowExtractor({ minActions: 1 }, "ads"), []);
    expect(Array.from(none.features.subarray(20, 26))).toEqual([0, 0, 10, 0, 0, 0]);
  });
});
