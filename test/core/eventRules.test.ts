import { describe, expect, it } from "vitest";
import { describeValue } from "../../src/core/describeValue.js";
import { depthViolation, eventRuleError, eventViolation, orderViolation, timeViolation, typeViolation } from "../../src/core/eventRules.js";

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
