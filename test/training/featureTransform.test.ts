import { describe, expect, it } from "vitest";
import { fitFeatureTransform, quantile } from "../../src/training/featureTransform.js";
import { makeRandom } from "./syntheticData.js";

describe("fitFeatureTransform", () => {
  // Column 0: 0, 1, ..., 1000 (shuffled); column 1: constant 5.
  const m = 1001;
  const X = new Float64Array(m * 2);
  for (let k = 0; k < m; k++) {
    X[k * 2] = (k * 389) % m;
    X[k * 2 + 1] = 5;
  }
  const all = Int32Array.from({ length: m }, (_, i) => i);

  it("takes the [q, 1 - q] quantiles by linear interpolation and fits the scaler on the clamped values", () => {
    // q = 0.0015: position 1.5 -> 1.5; 1 - q: position 998.5 -> 998.5.
    const t = fitFeatureTransform(X, m, 2, all, 0.0015);
    expect(t.low![0]).toBeCloseTo(1.5, 12);
    expect(t.high![0]).toBeCloseTo(998.5, 12);
    expect([t.low![1], t.high![1]]).toEqual([5, 5]);
    // Clamped column: 1.5, 1.5, 2, ..., 998, 998.5, 998.5; symmetric about 500.
    expect(t.mean[0]).toBeCloseTo(500, 9);
    let ss = 0;
    for (let v = 0; v <= 1000; v++) ss += (Math.min(998.5, Math.max(1.5, v)) - 500) ** 2;
    expect(t.scale[0]).toBeCloseTo(Math.sqrt(ss / m), 9);
    expect(t.scale[1]).toBe(1); // sd 0 -> 1, as the scaler does
  });

  it("uses only the rows given", () => {
    const evens = Int32Array.from({ length: 501 }, (_, i) => X.findIndex((v, k) => k % 2 === 0 && v === 2 * i) / 2);
    const t = fitFeatureTransform(X, m, 2, evens, 0);
    expect([t.low![0], t.high![0]]).toEqual([0, 1000]);
    expect(t.mean[0]).toBeCloseTo(500, 9);
  });

  it("has no domain with quantile null, and refuses a quantile outside [0, 0.5)", () => {
    const t = fitFeatureTransform(X, m, 2, all, null);
    expect(t.low).toBeNull();
    expect(t.high).toBeNull();
    expect(t.mean[0]).toBeCloseTo(500, 9);
    for (const q of [-0.1, 0.5, Number.NaN]) expect(() => fitFeatureTransform(X, m, 2, all, q)).toThrow(`domainQuantile must be in [0, 0.5), got ${q}`);
    expect(() => fitFeatureTransform(X, m, 2, new Int32Array(0), 0)).toThrow("no rows");
  });
});

describe("quantile", () => {
  it("equals sorting and interpolating, on ties, sorted, reversed and random columns", () => {
    const { uniform } = makeRandom(5);
    const columns = [
      Float64Array.from({ length: 1000 }, () => Math.floor(uniform() * 7)), // many ties
      Float64Array.from({ length: 513 }, (_, i) => i),
      Float64Array.from({ length: 513 }, (_, i) => -i),
      Float64Array.from({ length: 999 }, () => uniform() * 100 - 50),
      Float64Array.of(3),
      new Float64Array(40).fill(2),
    ];
    for (const column of columns) {
      const sorted = Array.from(column).sort((a, b) => a - b);
      for (const q of [0, 0.001, 0.1, 0.5, 0.77, 0.999, 1]) {
        const at = q * (sorted.length - 1);
        const lo = Math.floor(at);
        const expected = sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (at - lo);
        expect(quantile(column.slice(), q)).toBeCloseTo(expected, 12);
      }
    }
  });
});
