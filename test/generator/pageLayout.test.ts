import { describe, expect, it } from "vitest";
import {
  AD_SLOT_COUNT_WEIGHTS,
  AD_SLOT_MIN_SPACING,
  AD_SLOT_RANGE,
  AD_VISIBLE_RADIUS,
  adSlotOnScreen,
  drawAdSlotDepths,
  isAdVisible,
} from "../../src/generator/pageLayout.js";
import { SeededRandom } from "../../src/random/seededRandom.js";
import { SyntheticGenerator } from "../../src/generator/sessionGenerator.js";

describe("adSlotOnScreen", () => {
  it.each([
    // [slots, depth, expected index]: on screen iff |depth - slot| <= 0.08
    [[0.2, 0.5], 0.27, 0],
    [[0.2, 0.5], 0.13, 0],
    [[0.2, 0.5], 0.29, -1],
    [[0.2, 0.5], 0.5, 1],
    [[0.2, 0.5], 0.57, 1],
    [[0.2, 0.5], 0, -1],
    [[], 0.5, -1],
  ])("slots %j at depth %s -> %s", (slots, depth, expected) => {
    expect(adSlotOnScreen(slots, depth)).toBe(expected);
    expect(isAdVisible(slots, depth)).toBe(expected >= 0);
  });
});

describe("drawAdSlotDepths", () => {
  const layouts = Array.from({ length: 8000 }, (_, i) => drawAdSlotDepths(new SeededRandom(9).fork(i)));

  it("draws 1-5 ascending slots inside the range, at least the minimum spacing apart (up to the 1e-4 rounding)", () => {
    const bad = layouts.filter(
      (slots) =>
        slots.length < 1 ||
        slots.length > 5 ||
        slots[0] < AD_SLOT_RANGE[0] ||
        slots[slots.length - 1] > AD_SLOT_RANGE[1] ||
        slots.some((d, i) => Math.round(d * 10000) / 10000 !== d || (i > 0 && d - slots[i - 1] < AD_SLOT_MIN_SPACING - 1e-4)),
    );
    expect(bad).toEqual([]);
  });

  it("never puts two slots on screen at once, nor one at the very top or bottom", () => {
    expect(AD_SLOT_MIN_SPACING - 1e-4).toBeGreaterThan(2 * AD_VISIBLE_RADIUS);
    expect(AD_SLOT_RANGE[0]).toBeGreaterThan(AD_VISIBLE_RADIUS);
    expect(1 - AD_SLOT_RANGE[1]).toBeGreaterThan(AD_VISIBLE_RADIUS);
  });

  it("draws the slot count with the documented weights (within 4 standard errors)", () => {
    const n = layouts.length;
    AD_SLOT_COUNT_WEIGHTS.forEach((p, i) => {
      const share = layouts.filter((s) => s.length === i + 1).length / n;
      expect(Math.abs(share - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    });
  });

  it("places a lone slot uniformly over the range (deciles within 4 standard errors)", () => {
    const lone = layouts.filter((s) => s.length === 1).map((s) => s[0]);
    expect(lone.length).toBeGreaterThan(600);
    const [lo, hi] = AD_SLOT_RANGE;
    for (let k = 1; k < 10; k++) {
      const q = lo + ((hi - lo) * k) / 10;
      const below = lone.filter((d) => d <= q).length / lone.length;
      expect(Math.abs(below - k / 10)).toBeLessThan(4 * Math.sqrt((0.1 * k * (1 - 0.1 * k)) / lone.length));
    }
  });

  it("is a function of the stream", () => {
    expect(drawAdSlotDepths(new SeededRandom(4))).toEqual(drawAdSlotDepths(new SeededRandom(4)));
  });
});

describe("layouts of generated sessions", () => {
  it("differ between sessions, travel in the parameters, and repeat with the seed", () => {
    const a = new SyntheticGenerator(11);
    const layoutsA = Array.from({ length: 200 }, () => JSON.stringify(a.next({ maxSessionSeconds: 20 }).params.adSlotDepths));
    const b = new SyntheticGenerator(11);
    const layoutsB = Array.from({ length: 200 }, () => JSON.stringify(b.next({ maxSessionSeconds: 20 }).params.adSlotDepths));
    expect(layoutsB).toEqual(layoutsA);
    expect(new Set(layoutsA).size).toBeGreaterThan(190);
  });
});
