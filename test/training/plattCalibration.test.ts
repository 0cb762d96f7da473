import { describe, expect, it } from "vitest";
import { fitPlattCalibration } from "../../src/training/plattCalibration.js";
import { makeRandom } from "./syntheticData.js";

describe("fitPlattCalibration", () => {
  it("recovers the slope and intercept of a known logistic", () => {
    const { uniform, normal } = makeRandom(42);
    const n = 40000;
    const margins = Float64Array.from({ length: n }, () => 2 * normal());
    const y = Uint8Array.from(margins, (m) => (uniform() < 1 / (1 + Math.exp(-(0.7 * m - 2.5))) ? 1 : 0));
    const fit = fitPlattCalibration(margins, y);
    // Standard errors here are ~0.01 (slope) and ~0.03 (intercept).
    expect(Math.abs(fit.slope - 0.7)).toBeLessThan(0.05);
    expect(Math.abs(fit.intercept + 2.5)).toBeLessThan(0.12);
    // And it is the exact maximum-likelihood solution: the score equations hold.
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const r = 1 / (1 + Math.exp(-(fit.slope * margins[i] + fit.intercept))) - y[i];
      ga += r * margins[i];
      gb += r;
    }
    expect(Math.abs(ga) / n).toBeLessThan(1e-9);
    expect(Math.abs(gb) / n).toBeLessThan(1e-9);
  });

  it("maps a balanced model's margins back to the base rate (mean p = observed rate)", () => {
    const { uniform, normal } = makeRandom(8);
    const n = 5000;
    const margins = Float64Array.from({ length: n }, () => normal());
    const y = Uint8Array.from(margins, (m) => (uniform() < 1 / (1 + Math.exp(-(m - 3))) ? 1 : 0));
    const fit = fitPlattCalibration(margins, y);
    let meanP = 0;
    for (const m of margins) meanP += 1 / (1 + Math.exp(-(fit.slope * m + fit.intercept)));
    const rate = y.reduce((s, v) => s + v, 0) / n;
    expect(Math.abs(meanP / n - rate)).toBeLessThan(1e-10);
  });

  it("stays finite and increasing on separable margins", () => {
    const margins = Float64Array.of(-3, -2, -1, 1, 2, 3);
    const fit = fitPlattCalibration(margins, Uint8Array.of(0, 0, 0, 1, 1, 1));
    expect(Number.isFinite(fit.slope) && Number.isFinite(fit.intercept)).toBe(true);
    expect(fit.slope).toBeGreaterThan(1);
    expect(Math.abs(fit.intercept)).toBeLessThan(1e-6); // symmetric data
  });

  it("throws RangeError on one class, mismatched lengths or non-finite margins", () => {
    expect(() => fitPlattCalibration(Float64Array.of(1, 2), Uint8Array.of(0, 0))).toThrow(RangeError);
    expect(() => fitPlattCalibration(Float64Array.of(1, 2), Uint8Array.of(0))).toThrow(RangeError);
    expect(() => fitPlattCalibration(Float64Array.of(1, NaN), Uint8Array.of(0, 1))).toThrow(RangeError);
  });
});
