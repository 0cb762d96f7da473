import { describe, expect, it } from "vitest";
import { boundStandardScore, MAX_STANDARD_SCORE } from "../../src/core/standardScoreBound.js";

describe("standard-score bound", () => {
  it("clamps standardised values to +/- 1e6 and leaves ordinary ones alone", () => {
    expect(MAX_STANDARD_SCORE).toBe(1e6);
    expect(boundStandardScore(1e200)).toBe(1e6);
    expect(boundStandardScore(-Infinity)).toBe(-1e6);
    expect(boundStandardScore(-3.5)).toBe(-3.5);
  });
});
