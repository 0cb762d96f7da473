import { describe, expect, it } from "vitest";
import { bootstrapAucRatio, weightedRocAuc } from "../../src/evaluation/bootstrapRatio.js";
import { prCurve, rocCurve } from "../../src/evaluation/curves.js";
import { samplePositions } from "../../src/evaluation/oracleSample.js";
import { rocAuc } from "../../src/training/classificationMetrics.js";
import { makeRandom } from "../training/syntheticData.js";

function data(n: number, seed: number, levels: number) {
  const { uniform } = makeRandom(seed);
  const y = Uint8Array.from({ length: n }, () => (uniform() < 0.2 ? 1 : 0));
  // Coarse scores (many ties) that lean towards positives.
  const s = Float64Array.from(y, (v) => Math.floor((uniform() + 0.3 * v) * levels) / levels);
  return { y, s };
}

/** Mann-Whitney by brute force over every (positive, negative) pair: the independent check. */
function pairwiseAuc(s: ArrayLike<number>, y: Uint8Array): number {
  let pairs = 0;
  let count = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] !== 0) continue;
      pairs += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
      count++;
    }
  }
  return pairs / count;
}

describe("AUC variants agree with classificationMetrics.rocAuc", () => {
  it.each([
    [50, 1, 3],
    [1000, 2, 10],
    [5000, 3, 1000],
  ])("rocAuc equals the pairwise count (n %s, seed %s, %s score levels: many ties)", (n, seed, levels) => {
    const { y, s } = data(n, seed, levels);
    expect(Math.abs(rocAuc(s, y) - pairwiseAuc(s, y))).toBeLessThan(1e-12);
  });

  it("weightedRocAuc with integer weights equals rocAuc on the replicated rows", () => {
    const { y, s } = data(300, 4, 20);
    const { uniform } = makeRandom(99);
    const w = Float64Array.from(y, () => Math.floor(uniform() * 3));
    const order = Int32Array.from({ length: s.length }, (_, i) => i).sort((a, b) => s[b] - s[a] || a - b);
    const ry: number[] = [];
    const rs: number[] = [];
    w.forEach((k, i) => {
      for (let c = 0; c < k; c++) {
        ry.push(y[i]);
        rs.push(s[i]);
      }
    });
    expect(Math.abs(weightedRocAuc(order, s, y, w) - rocAuc(rs, Uint8Array.from(ry)))).toBeLessThan(1e-12);
    expect(Math.abs(weightedRocAuc(order, s, y, new Float64Array(y.length).fill(1)) - rocAuc(s, y))).toBeLessThan(1e-12);
  });

  it("bootstrapAucRatio brackets the point ratio and is reproducible", () => {
    const { y, s } = data(2000, 5, 1000);
    const { uniform } = makeRandom(6);
    const other = Float64Array.from(s, (v) => v + 0.3 * uniform());
    const groups = Int32Array.from({ length: y.length }, (_, i) => Math.floor(i / 4));
    const ratio = rocAuc(s, y) / rocAuc(other, y);
    const ci = bootstrapAucRatio(s, other, y, groups, { seed: 1, resamples: 300 });
    expect(ci[0]).toBeLessThan(ratio);
    expect(ci[1]).toBeGreaterThan(ratio);
    expect(bootstrapAucRatio(s, other, y, groups, { seed: 1, resamples: 300 })).toEqual(ci);
  });
});

describe("curves", () => {
  it("ROC runs from (0,0) to (1,1) and its trapezoid area is the AUC (ties: diagonal segments)", () => {
    const { y, s } = data(400, 7, 15);
    const curve = rocCurve(s, y, 10_000);
    expect([curve.x[0], curve.y[0]]).toEqual([0, 0]);
    expect([curve.x.at(-1), curve.y.at(-1)]).toEqual([1, 1]);
    let area = 0;
    for (let i = 1; i < curve.x.length; i++) area += ((curve.x[i] - curve.x[i - 1]) * (curve.y[i] + curve.y[i - 1])) / 2;
    expect(Math.abs(area - rocAuc(s, y))).toBeLessThan(2e-3); // points are rounded to 1e-4
  });

  it("PR ends at recall 1 with precision = base rate; thinning keeps the ends", () => {
    const { y, s } = data(1000, 8, 1000);
    const curve = prCurve(s, y, 50);
    expect(curve.x).toHaveLength(50);
    expect(curve.x.at(-1)).toBe(1);
    const rate = y.reduce((a, b) => a + b, 0) / y.length;
    expect(Math.abs(curve.y.at(-1)! - rate)).toBeLessThan(1e-4);
  });
});

describe("samplePositions", () => {
  it("is a sorted, duplicate-free, seeded sample", () => {
    const a = samplePositions(10_000, 2000, 5);
    expect(a).toHaveLength(2000);
    expect(new Set(a).size).toBe(2000);
    for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThan(a[i - 1]);
    expect(samplePositions(10_000, 2000, 5)).toEqual(a);
    expect(samplePositions(10_000, 2000, 6)).not.toEqual(a);
    expect(samplePositions(30, 2000, 5)).toEqual(Int32Array.from({ length: 30 }, (_, i) => i));
    // Uniform: about a fifth of the sample below 2,000.
    const low = a.filter((p) => p < 2000).length;
    expect(Math.abs(low - 400)).toBeLessThan(80);
  });
});
