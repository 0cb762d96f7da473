import { describe, expect, it } from "vitest";
import { fitLogisticRegression } from "../../src/training/logisticRegression.js";
import { balancedWeights, makeRandom, plainObjective, plantedProblem } from "./syntheticData.js";

const maxAbs = (v: ArrayLike<number>): number => Array.from(v).reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe("fitLogisticRegression: optimality", () => {
  const n = 3000;
  const d = 40;
  const { A, y } = plantedProblem(n, d, 11);
  const w = balancedWeights(y);

  for (const C of [1, 0.05]) {
    it(`C = ${C}: the plainly computed gradient vanishes and random perturbations do worse`, () => {
      const fit = fitLogisticRegression(A, n, d, y, { C });
      expect(fit.converged).toBe(true);
      const at = plainObjective(A, n, d, y, w, C, fit.coefficients, fit.intercept);
      // Mean per-row gradient below 1e-7 (the solver stops at 1e-8 on unit-variance columns).
      expect(maxAbs(at.gradient) / n).toBeLessThan(1e-7);
      expect(Math.abs(at.value - fit.objective)).toBeLessThan(1e-9 * at.value);
      expect(Math.abs(maxAbs(at.gradient) - fit.gradientNorm)).toBeLessThan(1e-6 * n);
      const { normal } = makeRandom(5);
      for (let trial = 0; trial < 20; trial++) {
        const size = 10 ** -(1 + (trial % 4));
        const beta = Float64Array.from(fit.coefficients, (v) => v + size * normal());
        const perturbed = plainObjective(A, n, d, y, w, C, beta, fit.intercept + size * normal());
        expect(perturbed.value).toBeGreaterThan(at.value);
      }
    });
  }

  it("classWeight null and explicit weights: same problem as balanced with sampleWeight", () => {
    const balanced = fitLogisticRegression(A, n, d, y);
    const explicit = fitLogisticRegression(A, n, d, y, { classWeight: null, sampleWeight: w, tolerance: 1e-11 });
    expect(maxAbsDiff(balanced.coefficients, explicit.coefficients)).toBeLessThan(1e-5);
    const unweighted = fitLogisticRegression(A, n, d, y, { classWeight: null });
    const check = plainObjective(A, n, d, y, new Float64Array(n).fill(1), 1, unweighted.coefficients, unweighted.intercept);
    expect(maxAbs(check.gradient) / n).toBeLessThan(1e-7);
  });

  it("sample weight 2 equals the row duplicated", () => {
    const m = 400;
    const dd = 6;
    const { A: B, y: yb } = plantedProblem(m, dd, 3, -1);
    const sw = Float64Array.from({ length: m }, (_, i) => (i % 5 === 0 ? 2 : 1));
    const dupRows: number[] = [];
    for (let i = 0; i < m; i++) {
      dupRows.push(i);
      if (i % 5 === 0) dupRows.push(i);
    }
    const B2 = new Float64Array(dupRows.length * dd);
    dupRows.forEach((r, k) => B2.set(B.subarray(r * dd, r * dd + dd), k * dd));
    const y2 = Uint8Array.from(dupRows, (r) => yb[r]);
    const weighted = fitLogisticRegression(B, m, dd, yb, { classWeight: null, sampleWeight: sw, tolerance: 1e-12 });
    const duplicated = fitLogisticRegression(B2, dupRows.length, dd, y2, { classWeight: null, tolerance: 1e-12 });
    expect(maxAbsDiff(weighted.coefficients, duplicated.coefficients)).toBeLessThan(1e-9);
    expect(Math.abs(weighted.intercept - duplicated.intercept)).toBeLessThan(1e-9);
  });
});

describe("fitLogisticRegression: warm starts and row subsets", () => {
  const n = 4000;
  const d = 60;
  const { A, y } = plantedProblem(n, d, 21);
  const cold = fitLogisticRegression(A, n, d, y, { tolerance: 1e-11 });

  it("a warm start reaches the same optimum", () => {
    const { normal } = makeRandom(9);
    const init = { coefficients: Float64Array.from(cold.coefficients, (v) => v * 1.3 + 0.1 * normal()), intercept: cold.intercept + 0.5 };
    const warm = fitLogisticRegression(A, n, d, y, { init, tolerance: 1e-11 });
    expect(warm.converged).toBe(true);
    expect(maxAbsDiff(warm.coefficients, cold.coefficients)).toBeLessThan(1e-8);
    expect(Math.abs(warm.intercept - cold.intercept)).toBeLessThan(1e-8);
  });

  it("warm-started at the optimum, it stops at once", () => {
    const again = fitLogisticRegression(A, n, d, y, { init: { coefficients: cold.coefficients, intercept: cold.intercept }, tolerance: 1e-10 });
    expect(again.iterations).toBe(0);
    expect(again.evaluations).toBe(1);
  });

  it("fitting on rows equals fitting on a copy of those rows", () => {
    const rows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 1 && i % 7 !== 0);
    const copy = new Float64Array(rows.length * d);
    rows.forEach((r, k) => copy.set(A.subarray(r * d, r * d + d), k * d));
    const yCopy = Uint8Array.from(rows, (r) => y[r]);
    const subset = fitLogisticRegression(A, n, d, y, { rows });
    const copied = fitLogisticRegression(copy, rows.length, d, yCopy);
    expect(maxAbsDiff(subset.coefficients, copied.coefficients)).toBeLessThan(1e-12);
    expect(Math.abs(subset.intercept - copied.intercept)).toBeLessThan(1e-12);
    expect(subset.iterations).toBe(copied.iterations);
    // ... and balanced weights are counted on the subset, not on all rows.
    const w = balancedWeights(yCopy);
    const g = plainObjective(copy, rows.length, d, yCopy, w, 1, subset.coefficients, subset.intercept).gradient;
    expect(maxAbs(g) / rows.length).toBeLessThan(1e-7);
  });
});

describe("fitLogisticRegression: per-coefficient penalty weights", () => {
  const n = 1500;
  const d = 8;
  const { A, y } = plantedProblem(n, d, 33);
  const w = Float64Array.of(1e-4, 1e-4, 1e-4, 1, 1, 1, 20, 0.5);

  it("equal uniform L2 on columns divided by sqrt(w), mapped back (an independent route to the same optimum)", () => {
    const weighted = fitLogisticRegression(A, n, d, y, { C: 0.05, penaltyWeights: w, tolerance: 1e-12 });
    const scaled = Float64Array.from(A, (v, i) => v / Math.sqrt(w[i % d]));
    const uniform = fitLogisticRegression(scaled, n, d, y, { C: 0.05, tolerance: 1e-12 });
    expect(weighted.converged && uniform.converged).toBe(true);
    for (let j = 0; j < d; j++) expect(weighted.coefficients[j]).toBeCloseTo(uniform.coefficients[j] / Math.sqrt(w[j]), 8);
    expect(weighted.intercept).toBeCloseTo(uniform.intercept, 8);
    // Its own objective: the penalty weighted per coefficient, at a zero gradient.
    const { gradient } = plainObjective(A, n, d, y, balancedWeights(y), 1e300, weighted.coefficients, weighted.intercept);
    for (let j = 0; j < d; j++) expect(Math.abs(gradient[j] + (w[j] * weighted.coefficients[j]) / 0.05) / n).toBeLessThan(1e-9);
  });

  it("all ones is the uniform penalty, and bad weights are refused", () => {
    const ones = fitLogisticRegression(A, n, d, y, { C: 0.3, penaltyWeights: new Float64Array(d).fill(1) });
    const plain = fitLogisticRegression(A, n, d, y, { C: 0.3 });
    expect(maxAbsDiff(ones.coefficients, plain.coefficients)).toBe(0);
    expect(() => fitLogisticRegression(A, n, d, y, { penaltyWeights: new Float64Array(3) })).toThrow("penaltyWeights has 3 values, expected d = 8");
    expect(() => fitLogisticRegression(A, n, d, y, { penaltyWeights: Float64Array.of(1, 1, 0, 1, 1, 1, 1, 1) })).toThrow(
      "penaltyWeights[2] must be a positive finite number, got 0",
    );
  });
});

describe("fitLogisticRegression: solver behaviour", () => {
  it("a 20,000 x 230 problem with correlated, heavy-tailed columns converges in few iterations", () => {
    const n = 20000;
    const d = 230;
    const { uniform, normal } = makeRandom(77);
    const A = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const shared = normal();
      for (let j = 0; j < d; j++) {
        const v = 0.8 * shared + 0.6 * normal();
        A[i * d + j] = j % 3 === 0 ? Math.exp(v) : j % 3 === 1 ? v * v : v;
      }
    }
    const y = Uint8Array.from({ length: n }, (_, i) => (uniform() < 1 / (1 + Math.exp(3 - 0.3 * A[i * d] + 0.2 * A[i * d + 4])) ? 1 : 0));
    const fit = fitLogisticRegression(A, n, d, y);
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(80);
    expect(fit.evaluations).toBeLessThanOrEqual(fit.iterations + 3);
    const g = plainObjective(A, n, d, y, balancedWeights(y), 1, fit.coefficients, fit.intercept).gradient;
    expect(maxAbs(g) / n).toBeLessThan(1e-6);
  });

  it("stays finite on separable data (the penalty keeps the optimum finite)", () => {
    const n = 200;
    const A = Float64Array.from({ length: n }, (_, i) => (i < 100 ? -1 - i / 100 : 1 + i / 100));
    const y = Uint8Array.from({ length: n }, (_, i) => (i < 100 ? 0 : 1));
    const fit = fitLogisticRegression(A, n, 1, y, { C: 1 });
    expect(fit.converged).toBe(true);
    expect(Number.isFinite(fit.coefficients[0])).toBe(true);
    expect(fit.coefficients[0]).toBeGreaterThan(1);
  });

  it("a constant column gets coefficient 0 (the intercept absorbs it)", () => {
    const n = 500;
    const { A: base, y } = plantedProblem(n, 3, 4, -1);
    const A = new Float64Array(n * 4);
    for (let i = 0; i < n; i++) {
      A.set(base.subarray(i * 3, i * 3 + 3), i * 4);
      A[i * 4 + 3] = 7;
    }
    const fit = fitLogisticRegression(A, n, 4, y, { tolerance: 1e-12 });
    expect(Math.abs(fit.coefficients[3])).toBeLessThan(1e-10);
  });

  const { A, y } = plantedProblem(50, 2, 1, 0);
  const bad: Array<[string, () => unknown]> = [
    ["no positives", () => fitLogisticRegression(A, 50, 2, new Uint8Array(50))],
    ["no negatives", () => fitLogisticRegression(A, 50, 2, new Uint8Array(50).fill(1))],
    ["one class in the rows used", () => fitLogisticRegression(A, 50, 2, y, { rows: Int32Array.from(y.map((v, i) => (v ? i : -1)).filter((i) => i >= 0)) })],
    ["labels length", () => fitLogisticRegression(A, 50, 2, y.subarray(1))],
    ["matrix too short", () => fitLogisticRegression(A, 51, 2, new Uint8Array(51))],
    ["label 2", () => fitLogisticRegression(A, 50, 2, Uint8Array.from(y, (v, i) => (i === 3 ? 2 : v)))],
    ["C = 0", () => fitLogisticRegression(A, 50, 2, y, { C: 0 })],
    ["row out of range", () => fitLogisticRegression(A, 50, 2, y, { rows: Int32Array.of(0, 50) })],
    ["sampleWeight length", () => fitLogisticRegression(A, 50, 2, y, { sampleWeight: new Float64Array(3) })],
    ["init length", () => fitLogisticRegression(A, 50, 2, y, { init: { coefficients: new Float64Array(3), intercept: 0 } })],
  ];
  for (const [name, call] of bad) {
    it(`throws RangeError: ${name}`, () => {
      expect(call).toThrow(RangeError);
    });
  }
});
