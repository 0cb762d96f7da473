import { describe, expect, it } from "vitest";
import { boundRawFeatures, boundStandardScore, MAX_STANDARD_SCORE } from "../../src/core/standardScoreBound.js";

describe("standard-score bound", () => {
  it("clamps standardised values to +/- 1e6 and leaves ordinary ones alone", () => {
    expect(MAX_STANDARD_SCORE).toBe(1e6);
    expect(boundStandardScore(1e200)).toBe(1e6);
    expect(boundStandardScore(-Infinity)).toBe(-1e6);
    expect(boundStandardScore(-3.5)).toBe(-3.5);
  });

  it("clamps raw rows so (x - mean) / scale stays within the bound", () => {
    // mean 10, scale 2: raw bounds 10 -/+ 2e6
    const rows = Float64Array.of(1e300, 12, -1e300, 9);
    expect(boundRawFeatures(rows, [10, 0], [2, 1])).toBe(true);
    expect(Array.from(rows)).toEqual([10 + 2e6, 12, 10 - 2e6, 9]);
    expect(boundRawFeatures(Float64Array.of(11, 5), [10, 0], [2, 1])).toBe(false);
  });
});
