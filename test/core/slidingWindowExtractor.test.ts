import { describe, expect, it } from "vitest";
import { FEATURE_NAMES, type FeatureVector } from "../../src/core/featureNames.js";
import type { InteractionEvent } from "../../src/core/interactionEvent.js";
import { extractSlidingWindowFeatures, SlidingWindowExtractor } from "../../src/core/slidingWindowExtractor.js";

const TOL = 1e-12;
const LOG2_9 = Math.log2(9);

function expectFeatures(actual: FeatureVector, expected: FeatureVector): void {
  for (const name of FEATURE_NAMES) {
    const diff = Math.abs(actual[name] - expected[name]);
    expect(diff, `${name}: got ${actual[name]}, expected ${expected[name]}`).toBeLessThan(TOL);
  }
}

// Every expected value below is worked out by hand from the formulas in docs/features.md (comments show the arithmetic).
describe("extractSlidingWindowFeatures: hand-computed windows", () => {
  it("a short session, window not yet full (t = 30 < W)", () => {
    const events: InteractionEvent[] = [
      { type: "scroll_down", t: 2, depth: 0.2 },
      { type: "hover", t: 4 }, // depth missing: carries 0.2
      { type: "click", t: 5, depth: 0.2 },
      { type: "blur_window", t: 8 },
      { type: "focus_window", t: 14 },
      { type: "scroll_down", t: 15, depth: 0.5 },
      { type: "wait", t: 20 },
      { type: "scroll_up", t: 22, depth: 0.3 },
    ];
    // gaps 2,1,3,6,1,5,2: sum 20, mean 20/7, sum of squares 80 -> population var (80 - 400/7)/7 = 160/49
    const sd = Math.sqrt(160) / 7;
    const mean = 20 / 7;
    expectFeatures(extractSlidingWindowFeatures(events, 30), {
      time_since_last_action: 8, // 30 - 22
      avg_time_between_actions: mean,
      session_duration: 30,
      max_idle_gap: 8, // max(6, lead-in 2 - 0, 8)
      scroll_down_count: 2,
      scroll_up_count: 1,
      click_count: 1,
      hover_count: 1,
      wait_count: 1,
      blur_count: 1,
      focus_count: 1,
      ad_click_count: 0,
      scroll_depth_max: 0.5,
      window_focused: 1,
      interaction_density: 8 / 30,
      attention_score: 24 / 30, // focused 0-8 and 14-30
      action_entropy: (0.5 + 6 * 0.375) / LOG2_9, // p = 1/4 once, 1/8 six times
      burstiness_score: (sd - mean) / (sd + mean),
      engagement_rhythm: 1, // bins (20,30], (10,20], (0,10] all hold events
      scroll_velocity: 0.5 / 30, // 0.2 -> 0.5 -> 0.3
    });
  });

  it("a full window: old events fall out, blur before the window start counts for attention", () => {
    const events: InteractionEvent[] = [
      { type: "blur_window", t: 50 },
      { type: "scroll_down", t: 70, depth: 0.4 },
      { type: "focus_window", t: 90 },
      { type: "click", t: 100 },
      { type: "click_ad", t: 150, depth: 0.9 },
      { type: "hover", t: 150 },
    ];
    // E = events in (80, 200]: focus 90, click 100, click_ad 150, hover 150; gaps 10, 50, 0
    const sd = Math.sqrt((100 + 900 + 400) / 3);
    expectFeatures(extractSlidingWindowFeatures(events, 200), {
      time_since_last_action: 50,
      avg_time_between_actions: 20,
      session_duration: 200,
      max_idle_gap: 50, // max(50, lead-in 90 - 80 = 10, 50)
      scroll_down_count: 0,
      scroll_up_count: 0,
      click_count: 1,
      hover_count: 1,
      wait_count: 0,
      blur_count: 0,
      focus_count: 1,
      ad_click_count: 1,
      scroll_depth_max: 0.9, // 0.4 carried from t=70 (outside the window) into the focus at 90
      window_focused: 1,
      interaction_density: 4 / 120,
      attention_score: 110 / 120, // blurred 80-90 (state from the blur at 50), focused 90-200
      action_entropy: 2 / LOG2_9, // four types, 1/4 each
      burstiness_score: (sd - 20) / (sd + 20),
      engagement_rhythm: 3 / 12, // bins j = 11 (t=90), 10 (t=100), 5 (t=150)
      scroll_velocity: 0.5 / 120, // 0.4 -> 0.4 -> 0.9 -> 0.9
    });
  });

  it("an empty window after the last event", () => {
    const events: InteractionEvent[] = [
      { type: "scroll_down", t: 5, depth: 0.3 },
      { type: "blur_window", t: 10 },
    ];
    expectFeatures(extractSlidingWindowFeatures(events, 200), {
      time_since_last_action: 120,
      avg_time_between_actions: 0,
      session_duration: 200,
      max_idle_gap: 120,
      scroll_down_count: 0,
      scroll_up_count: 0,
      click_count: 0,
      hover_count: 0,
      wait_count: 0,
      blur_count: 0,
      focus_count: 0,
      ad_click_count: 0,
      scroll_depth_max: 0,
      window_focused: 0, // the blur at 10 is still the latest focus change
      interaction_density: 0,
      attention_score: 0, // blurred through the whole window
      action_entropy: 0,
      burstiness_score: 0,
      engagement_rhythm: 0,
      scroll_velocity: 0,
    });
  });

  it("one event without depth, queried at its own time", () => {
    expectFeatures(extractSlidingWindowFeatures([{ type: "click", t: 3 }], 3), {
      time_since_last_action: 0,
      avg_time_between_actions: 0,
      session_duration: 3,
      max_idle_gap: 3, // lead-in 3 - 0
      scroll_down_count: 0,
      scroll_up_count: 0,
      click_count: 1,
      hover_count: 0,
      wait_count: 0,
      blur_count: 0,
      focus_count: 0,
      ad_click_count: 0,
      scroll_depth_max: 0, // no depth known yet
      window_focused: 1,
      interaction_density: 1 / 10, // over the first offline window's 10 s, not 3 s ("Live windows")
      attention_score: 1,
      action_entropy: 0,
      burstiness_score: 0,
      engagement_rhythm: 1, // one bin, (0, 10], partial and held
      scroll_velocity: 0,
    });
  });

  it("equal timestamps: zero gaps give zero burstiness, depth changes still count", () => {
    const events: InteractionEvent[] = [
      { type: "scroll_down", t: 10, depth: 0.5 },
      { type: "scroll_down", t: 10, depth: 1 },
      { type: "hover", t: 10 },
    ];
    const h = -((2 / 3) * Math.log2(2 / 3) + (1 / 3) * Math.log2(1 / 3));
    expectFeatures(extractSlidingWindowFeatures(events, 10), {
      time_since_last_action: 0,
      avg_time_between_actions: 0,
      session_duration: 10,
      max_idle_gap: 10,
      scroll_down_count: 2,
      scroll_up_count: 0,
      click_count: 0,
      hover_count: 1,
      wait_count: 0,
      blur_count: 0,
      focus_count: 0,
      ad_click_count: 0,
      scroll_depth_max: 1,
      window_focused: 1,
      interaction_density: 3 / 10,
      attention_score: 1,
      action_entropy: h / LOG2_9,
      burstiness_score: 0, // sd + mean = 0
      engagement_rhythm: 1,
      scroll_velocity: 0.5 / 10,
    });
  });

  it("t = 0 with no events stays finite", () => {
    const f = extractSlidingWindowFeatures([], 0);
    expect(f.time_since_last_action).toBe(0);
    expect(f.max_idle_gap).toBe(0);
    expect(f.attention_score).toBe(1);
    expect(f.window_focused).toBe(1);
    expect(f.engagement_rhythm).toBe(0);
    for (const name of FEATURE_NAMES) expect(Number.isFinite(f[name]), name).toBe(true);
  });

  it("an event at time 0 is outside every rhythm bin once t is a multiple of 10", () => {
    // t = 20: bins (10,20] and (0,10]; the event at 0 is in neither, the event at 15 in the first.
    const f = extractSlidingWindowFeatures([{ type: "click", t: 0 }, { type: "click", t: 15 }], 20);
    expect(f.engagement_rhythm).toBe(0.5);
  });

  it("duplicate blurs keep the window blurred until the next focus", () => {
    const events: InteractionEvent[] = [
      { type: "blur_window", t: 10 },
      { type: "blur_window", t: 20 },
      { type: "focus_window", t: 40 },
      { type: "blur_window", t: 50 },
    ];
    const f = extractSlidingWindowFeatures(events, 60);
    expect(Math.abs(f.attention_score - 20 / 60)).toBeLessThan(TOL); // focused 0-10 and 40-50
    expect(f.window_focused).toBe(0);
    expect(f.blur_count).toBe(3);
  });

  it("an event exactly at t - W is outside the window", () => {
    const f = extractSlidingWindowFeatures([{ type: "click", t: 10 }, { type: "hover", t: 20 }], 130);
    expect(f.click_count).toBe(0);
    expect(f.hover_count).toBe(1);
    expect(f.max_idle_gap).toBe(110); // lead-in 20 - 10 vs since-last 110
  });

  it("honours a custom window size", () => {
    const f = extractSlidingWindowFeatures([{ type: "click", t: 1 }, { type: "click", t: 50 }], 60, { windowSize: 30 });
    expect(f.click_count).toBe(1);
    expect(Math.abs(f.interaction_density - 1 / 30)).toBeLessThan(TOL);
    expect(f.engagement_rhythm).toBe(1 / 3);
  });
});

describe("SlidingWindowExtractor: input checks and memory", () => {
  // The words of src/core/eventRules.ts, which the session file reader uses too (test/io).
  const T_RULE = "event.t: must be a finite number >= 0 (seconds since page load), got";
  const bad: Array<[string, InteractionEvent, ErrorConstructor, string]> = [
    ["unknown type", { type: "scroll" as never, t: 1 }, TypeError, 'event.type: must be one of scroll_down, scroll_up, click, hover, wait, focus_window, blur_window, close_tab, click_ad, got "scroll"'],
    ["missing type", { t: 1 } as never, TypeError, "event.type: must be one of scroll_down, scroll_up, click, hover, wait, focus_window, blur_window, close_tab, click_ad, got nothing (the field is missing)"],
    ["negative t", { type: "click", t: -1 }, RangeError, `${T_RULE} -1`],
    ["NaN t", { type: "click", t: Number.NaN }, RangeError, `${T_RULE} NaN`],
    ["string t", { type: "click", t: "1" as never }, RangeError, `${T_RULE} "1"`],
    ["depth above 1", { type: "scroll_down", t: 1, depth: 1.5 }, RangeError, "event.depth: must be a number in [0, 1], got 1.5"],
    ["NaN depth", { type: "scroll_down", t: 1, depth: Number.NaN }, RangeError, "event.depth: must be a number in [0, 1], got NaN"],
    ["null depth", { type: "scroll_down", t: 1, depth: null as never }, RangeError, "event.depth: must be a number in [0, 1], got null"],
  ];
  it.each(bad)("rejects %s", (_label, event, kind, message) => {
    const push = () => new SlidingWindowExtractor().push(event);
    expect(push).toThrow(kind);
    expect(push).toThrow(message);
  });

  it("checks the fields in order: the type first, then t, then depth", () => {
    const push = (event: object) => () => new SlidingWindowExtractor().push(event as InteractionEvent);
    expect(push({ type: "x", t: -1, depth: 2 })).toThrow(/^event\.type: /);
    expect(push({ type: "click", t: -1, depth: 2 })).toThrow(/^event\.t: /);
  });

  it("rejects time going backwards and queries before the latest event", () => {
    const extractor = new SlidingWindowExtractor();
    extractor.push({ type: "click", t: 10 });
    expect(() => extractor.push({ type: "click", t: 9 })).toThrow(new RangeError("event.t: must not decrease: 9 after 10"));
    extractor.push({ type: "click", t: 10 }); // equal times are allowed
    expect(() => extractor.featuresAt(5)).toThrow(/must not precede the latest pushed event/);
  });

  it("keeps only the window's events however long the session", () => {
    const extractor = new SlidingWindowExtractor();
    for (let i = 0; i < 100_000; i++) extractor.push({ type: "scroll_down", t: i * 0.5, depth: (i % 100) / 100 });
    // events in (49999.5 - 120, 49999.5] at 0.5 s spacing: 240
    expect(extractor.eventCount).toBe(240);
  });
});

describe("live windows between offline ends (docs/features.md, \"Live windows\")", () => {
  const at = (events: InteractionEvent[], t: number, config = {}) => extractSlidingWindowFeatures(events, t, config);
  const clicks = (...times: number[]): InteractionEvent[] => times.map((t) => ({ type: "click", t }));

  it("engagement_rhythm, t < W: the newest bin, not yet complete, counts only once it holds an event", () => {
    const events = clicks(3, 7);
    expect(at(events, 10).engagement_rhythm).toBe(1); // offline end: (0, 10] held, 1 / 1
    // 10.5: (10, 20] is partial and empty, so it does not count: still 1 / 1 (the table's t-anchored bins gave 1 / 2)
    expect(at(events, 10.5).engagement_rhythm).toBe(1);
    expect(at(events, 19.9).engagement_rhythm).toBe(1);
    expect(at(events, 20).engagement_rhythm).toBe(0.5); // offline end: (10, 20] complete and empty, 1 / 2
    // an event at 12 moves it at once: (10, 20] held, 2 / 2; at 25 with nothing since, 2 / 2 ((20, 30] partial, empty)
    expect(at(clicks(3, 7, 12), 12).engagement_rhythm).toBe(1);
    expect(at(clicks(3, 7, 12), 25).engagement_rhythm).toBe(1);
    expect(at(clicks(3, 7, 12), 30).engagement_rhythm).toBe(2 / 3);
  });

  it("engagement_rhythm, t >= W: the oldest bin counts while it still holds a window event", () => {
    const events = clicks(5, 25, 118);
    expect(at(events, 120).engagement_rhythm).toBe(3 / 12); // offline end: (0,10], (20,30], (110,120] of 12
    // 124: window (4, 124]; (0, 10] partial, still holds 5; (120, 130] partial, empty: 11 complete + 1, 3 held
    expect(at(events, 124).engagement_rhythm).toBe(3 / 12);
    // 126: 5 has left; (0, 10] partial and empty drops out: 11 complete bins, 25 and 118 held
    expect(at(events, 126).engagement_rhythm).toBe(2 / 11);
    // an event at 127 moves it at once: (120, 130] held, 12 slots, 3 held
    expect(at(clicks(5, 25, 118, 127), 127).engagement_rhythm).toBe(3 / 12);
    expect(at(events, 130).engagement_rhythm).toBe(2 / 12); // offline end: (10, 130], 25 and 118
  });

  it("engagement_rhythm keeps the table's t-anchored bins when offline ends are off the 10 s grid (windowStep 15)", () => {
    // ceil(10.5 / 10) = 2 bins: (0.5, 10.5] holds 3 and 7, (-9.5, 0.5] none
    expect(at(clicks(3, 7), 10.5, { windowStep: 15 }).engagement_rhythm).toBe(0.5);
  });

  it("rates before the first offline end divide by its span (10 s), not by the few seconds elapsed", () => {
    const events: InteractionEvent[] = [
      { type: "scroll_down", t: 1, depth: 0.2 },
      { type: "scroll_down", t: 2, depth: 0.5 },
    ];
    for (const t of [2, 5, 10]) {
      const f = at(events, t);
      expect(f.interaction_density).toBe(2 / 10);
      expect(Math.abs(f.scroll_velocity! - 0.3 / 10)).toBeLessThanOrEqual(1e-15); // |0.5 - 0.2| / 10
    }
    expect(at(events, 12).interaction_density).toBe(2 / 12); // past it: n / Weff, as the table says
    expect(at(events, 0.5, { windowStep: 0.5 }).interaction_density).toBe(0); // no event yet at 0.5
    expect(at(events, 2, { windowStep: 0.5 }).interaction_density).toBe(1); // 2 / max(2, 0.5, 1)
  });
});
