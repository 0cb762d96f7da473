import { describe, expect, it } from "vitest";
import { waitTimes, withWaits } from "../../src/core/waitRule.js";

describe("the wait rule", () => {
  it.each([
    [0, 17, [5, 10, 15]], // docs/events.md: a 17 s pause yields waits at +5, +10, +15
    [0, 10, [5]], // a pause of exactly 10 s yields one
    [3, 8, []], // exactly 5 s: the wait would coincide with the next action
    [3, 8.001, [8]],
    [2.5, 4, []],
  ])("after an action at %d, before %d: %j", (a, before, expected) => {
    expect(waitTimes(a, before)).toEqual(expected);
  });

  it("returns only waits after `after`, so live callers never repeat one", () => {
    expect(waitTimes(1, 30, 11)).toEqual([16, 21, 26]);
    expect(waitTimes(1, 30, 16)).toEqual([21, 26]);
  });

  it("computes times as a + 5k, without drift over long idles", () => {
    const waits = waitTimes(0.1, 100_000);
    expect(waits.length).toBe(19_999);
    expect(waits[waits.length - 1]).toBe(0.1 + 5 * 19_999);
  });

  it("inserts waits between observed actions and stops at close_tab", () => {
    const events = withWaits([
      { type: "click", t: 1 },
      { type: "scroll_down", t: 13, depth: 0.2 },
      { type: "close_tab", t: 14 },
      { type: "click", t: 40 },
    ]);
    expect(events.map((e) => `${e.type}@${e.t}`)).toEqual(["click@1", "wait@6", "wait@11", "scroll_down@13", "close_tab@14"]);
  });

  it("runs waits up to `end` after the last action when asked", () => {
    expect(withWaits([{ type: "hover", t: 0 }], 12).map((e) => e.t)).toEqual([0, 5, 10]);
  });

  it("refuses streams that already hold waits", () => {
    expect(() => withWaits([{ type: "wait", t: 5 }])).toThrow(/event 0 is a wait/);
  });
});
