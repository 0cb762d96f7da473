import { describe, expect, it } from "vitest";
import { labelledWindows } from "./windowLabels.js";

describe("labelledWindows (test helper)", () => {
  it("follows the window rule on a hand-made session", () => {
    const events = [
      ...[1, 2, 3, 4].map((t) => ({ type: "scroll_down" as const, t })),
      { type: "click" as const, t: 15 }, // 5th event: windows from t = 20 are eligible
      { type: "click_ad" as const, t: 40 }, // in (t, t + 30] for t = 10 (ineligible), 20, 30
      { type: "scroll_down" as const, t: 125 },
      { type: "close_tab" as const, t: 130 }, // the session end: the last window is t = 120
    ];
    expect(labelledWindows({ id: "x", events })).toEqual([
      { t: 20, label: 1 },
      { t: 30, label: 1 },
      { t: 40, label: 0 },
      ...[50, 60, 70, 80, 90, 100, 110, 120].map((t) => ({ t, label: 0 })),
    ]);
  });
});
