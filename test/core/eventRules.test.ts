import { describe, expect, it } from "vitest";
import { describeValue } from "../../src/core/describeValue.js";
import { depthViolation, eventRuleError, eventViolation, MAX_EVENT_SECONDS, orderViolation, signalViolation, timeViolation, typeViolation } from "../../src/core/eventRules.js";
import { extractSessionWindows } from "../../src/core/sessionWindows.js";
import { SlidingWindowExtractor } from "../../src/core/slidingWindowExtractor.js";

describe("describeValue", () => {
  const cases: Array<[unknown, string]> = [
    [undefined, "nothing (the field is missing)"],
    [Number.NaN, "NaN"],
    [-Infinity, "-Infinity"],
    [-1e-9, "-1e-9"],
    [3n, "3"],
    ["NaN", '"NaN"'],
    ["x".repeat(70), `"${"x".repeat(56)}...`],
    [null, "null"],
    [true, "true"],
    [[1, 2], "an array"],
    [{ secret: "value" }, "an object"],
    [() => 1, "a function"],
  ];
  it.each(cases)("describes %s", (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});

describe("event rules", () => {
  it("accept every sound field, -0 and the bounds included", () => {
    expect(typeViolation("click_ad")).toBeUndefined();
    expect(timeViolation(-0)).toBeUndefined();
    expect(timeViolation(0)).toBeUndefined();
    expect(timeViolation(MAX_EVENT_SECONDS)).toBeUndefined();
    expect(depthViolation(undefined)).toBeUndefined();
    expect(depthViolation(0)).toBeUndefined();
    expect(depthViolation(1)).toBeUndefined();
    expect(orderViolation(5, 5)).toBeUndefined();
  });

  const kinds: Array<[string, ReturnType<typeof eventViolation>, string]> = [
    ["a type of another case", typeViolation("Click"), "badType"],
    ["a prototype key as type", typeViolation("toString"), "badType"],
    ["a negative t", timeViolation(-1e-9), "negativeTime"],
    ["-Infinity", timeViolation(-Infinity), "badTime"],
    ["Infinity", timeViolation(Infinity), "badTime"],
    ["a t beyond the maximum", timeViolation(MAX_EVENT_SECONDS * (1 + 2 ** -52)), "lateTime"],
    ["a t of 1e12", timeViolation(1e12), "lateTime"],
    ["a t of 1e308", timeViolation(1e308), "lateTime"],
    ["an ad signal t of 1e308", signalViolation({ type: "ads_in_view", t: 1e308, value: 1 }), "lateTime"],
    ["NaN", timeViolation(Number.NaN), "badTime"],
    ["a numeric string", timeViolation("1"), "badTime"],
    ["a null depth", depthViolation(null), "badDepth"],
    ["a depth above 1", depthViolation(1.0001), "badDepth"],
    ["a decreasing t", orderViolation(4.999, 5), "decreasingTime"],
  ];
  it.each(kinds)("tell %s by its kind", (_label, violation, kind) => {
    expect(violation?.kind).toBe(kind);
  });

  it("check an event's fields in reading order, the order rule right after t", () => {
    expect(eventViolation({ type: "x", t: -1, depth: 2 })?.field).toBe("type");
    expect(eventViolation({ type: "click", t: 4, depth: 2 }, 5)?.kind).toBe("decreasingTime");
    expect(eventViolation({ type: "click", t: 5, depth: 2 }, 5)?.kind).toBe("badDepth");
    expect(eventViolation({ type: "click", t: 5 }, 5)).toBeUndefined();
  });

  it("become a TypeError for the type and a RangeError otherwise, named after the field", () => {
    const typeError = eventRuleError(typeViolation(7)!);
    expect(typeError).toBeInstanceOf(TypeError);
    expect(typeError.message).toBe("event.type: must be one of scroll_down, scroll_up, click, hover, wait, focus_window, blur_window, close_tab, click_ad, got 7");
    const rangeError = eventRuleError(orderViolation(2, 3)!, "events[3]");
    expect(rangeError).toBeInstanceOf(RangeError);
    expect(rangeError.message).toBe("events[3].t: must not decrease: 2 after 3");
  });
});

describe("the timestamp bound (MAX_EVENT_SECONDS)", () => {
  it("words the rule with the bound and the bad value", () => {
    expect(eventRuleError(timeViolation(1e12)!).message).toBe("event.t: must be at most 100000000 (seconds since page load, about 3.2 years), got 1000000000000");
  });

  it("stops the extractor at once on an event or ad signal beyond it", () => {
    const extractor = new SlidingWindowExtractor({}, "ads");
    expect(() => extractor.push({ type: "click", t: 1e308 })).toThrow(RangeError);
    expect(() => extractor.pushAdSignal({ type: "ads_in_view", t: 1e308, value: 1 })).toThrow(/must be at most 100000000/);
  });

  it("bounds the loop over windows: a session ending at 1e308 is refused before the loop, not after hours", () => {
    const events = [0, 1, 2, 3, 4].map((t) => ({ type: "click" as const, t }));
    const started = performance.now();
    for (const end of [1e12, 1e308]) {
      expect(() => extractSessionWindows([...events, { type: "close_tab", t: end }], new SlidingWindowExtractor({}, "seed"))).toThrow(
        `session end.t: must be at most 100000000 (seconds since page load, about 3.2 years), got ${end}`,
      );
    }
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("still extracts a long legal session (a gap of 115 days: 1 million windows looked at, 0.12 s)", () => {
    const events = [0, 1, 2, 3, 4].map((t) => ({ type: "click" as const, t }));
    const windows = extractSessionWindows([...events, { type: "close_tab", t: 1e7 }], new SlidingWindowExtractor({}, "seed"));
    expect(windows.t).toHaveLength(11); // ends 10..110 s hold the five events; later windows are empty
  });
});
