import { describe, expect, it } from "vitest";
import { LogisticObjective } from "../../src/training/logisticObjective.js";
import { DenseDesign } from "../../src/training/denseDesign.js";
import { logisticRowWeights } from "../../src/training/logisticRowWeights.js";
import { rowDotProducts, transposedProduct } from "../../src/training/rowProducts.js";
import { balancedWeights, makeRandom, plainObjective, plantedProblem } from "./syntheticData.js";

const relDiff = (a: number, b: number): number => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe("LogisticObjective", () => {
  const n = 400;
  const d = 7;
  const C = 0.3;
  const { A, y } = plantedProblem(n, d, 5);
  const w = balancedWeights(y);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const { normal } = makeRandom(23);
  const beta = Float64Array.from({ length: d }, () => 0.3 * normal());
  const b = -0.4;

  it("value and gradient equal the plain computation (mapped through the internal coordinates)", () => {
    const objective = new LogisticObjective(new DenseDesign(A, n, d), all, y, w, C);
    const x = new Float64Array(d + 1);
    objective.fromOriginal(beta, b, x);
    const G = new Float64Array(d + 1);
    const value = objective.evaluate(x, G);
    const plain = plainObjective(A, n, d, y, w, C, beta, b);
    expect(relDiff(value, plain.value)).toBeLessThan(1e-12);
    // Chain rule for beta_j = gamma_j / scale_j, b = c - beta . mu:
    // dF/dgamma_j = (g_j - mu_j g_b) / scale_j, dF/dc = g_b.
    for (let j = 0; j < d; j++) {
      const expected = (plain.gradient[j] - objective.mu[j] * plain.gradient[d]) / objective.scale[j];
      expect(relDiff(G[j], expected)).toBeLessThan(1e-10);
    }
    expect(relDiff(G[d], plain.gradient[d])).toBeLessThan(1e-10);
    expect(relDiff(objective.originalGradientNorm(), Math.max(...Array.from(plain.gradient, Math.abs)))).toBeLessThan(1e-10);
    // And the coordinates round-trip.
    const back = new Float64Array(d);
    expect(Math.abs(objective.toOriginal(x, back) - b)).toBeLessThan(1e-14);
    for (let j = 0; j < d; j++) expect(Math.abs(back[j] - beta[j])).toBeLessThan(1e-14);
  });

  it("the line restriction phi(a) = f(x + a p) matches full evaluations, phi' = G . p, phi'' by differences", () => {
    const objective = new LogisticObjective(new DenseDesign(A, n, d), all, y, w, C);
    const x = new Float64Array(d + 1);
    objective.fromOriginal(beta, b, x);
    const G = new Float64Array(d + 1);
    objective.evaluate(x, G);
    const p = Float64Array.from({ length: d + 1 }, () => normal());
    objective.setDirection(p);
    const values = new Float64Array(3);
    const h = 1e-4;
    for (const a of [0, 0.5, 2]) {
      objective.line(a, values);
      const reference = new LogisticObjective(new DenseDesign(A, n, d), all, y, w, C);
      const xa = Float64Array.from(x, (v, i) => v + a * p[i]);
      const Ga = new Float64Array(d + 1);
      expect(relDiff(values[0], reference.evaluate(xa, Ga))).toBeLessThan(1e-12);
      expect(relDiff(values[1], Ga.reduce((s, v, i) => s + v * p[i], 0))).toBeLessThan(1e-9);
      const plus = new Float64Array(3);
      const minus = new Float64Array(3);
      objective.line(a + h, plus);
      objective.line(a - h, minus);
      expect(relDiff(values[2], (plus[1] - minus[1]) / (2 * h))).toBeLessThan(1e-6);
    }
  });

  it("advance along the direction equals an exact evaluation at the new point", () => {
    const objective = new LogisticObjective(new DenseDesign(A, n, d), all, y, w, C);
    const x = new Float64Array(d + 1);
    objective.fromOriginal(beta, b, x);
    const G = new Float64Array(d + 1);
    objective.evaluate(x, G);
    expect(objective.marginsExact).toBe(true);
    const p = Float64Array.from({ length: d + 1 }, () => normal());
    objective.setDirection(p);
    for (let i = 0; i <= d; i++) x[i] += 0.7 * p[i];
    const value = objective.advance(x, 0.7, G);
    expect(objective.marginsExact).toBe(false);
    const Gx = new Float64Array(d + 1);
    expect(relDiff(value, new LogisticObjective(new DenseDesign(A, n, d), all, y, w, C).evaluate(x, Gx))).toBeLessThan(1e-12);
    for (let i = 0; i <= d; i++) expect(relDiff(G[i], Gx[i])).toBeLessThan(1e-9);
  });

  it("a row subset is the same objective as a copy of those rows", () => {
    const rows = Int32Array.from({ length: 150 }, (_, k) => (k * 7) % n);
    const copyA = new Float64Array(rows.length * d);
    rows.forEach((r, k) => copyA.set(A.subarray(r * d, r * d + d), k * d));
    const labels = Uint8Array.from(rows, (r) => y[r]);
    const weights = Float64Array.from(rows, (r) => w[r]);
    const x = new Float64Array(d + 1);
    const sub = new LogisticObjective(new DenseDesign(A, n, d), rows, labels, weights, C);
    sub.fromOriginal(beta, b, x);
    const copy = new LogisticObjective(new DenseDesign(copyA, rows.length, d), Int32Array.from(rows, (_, k) => k), labels, weights, C);
    expect(copy.evaluate(x, new Float64Array(d + 1))).toBe(sub.evaluate(x, new Float64Array(d + 1)));
  });
});

describe("rowProducts", () => {
  it("rowDotProducts and transposedProduct equal the plain loops (sizes off the unroll of 4)", () => {
    const { normal } = makeRandom(4);
    const d = 6;
    const A = Float64Array.from({ length: 9 * d }, normal);
    const rows = Int32Array.of(8, 0, 3, 3, 5, 1, 7);
    const v = Float64Array.from({ length: d }, normal);
    const r = Float64Array.from(rows, normal);
    const out = new Float64Array(rows.length);
    rowDotProducts(A, d, rows, 0.25, v, out);
    rows.forEach((row, k) => {
      let s = 0.25;
      for (let j = 0; j < d; j++) s += A[row * d + j] * v[j];
      expect(Math.abs(out[k] - s)).toBeLessThan(1e-14);
    });
    const g = new Float64Array(d).fill(99); // overwritten, not accumulated into
    const R = transposedProduct(A, d, rows, r, g);
    expect(Math.abs(R - r.reduce((s, x) => s + x, 0))).toBeLessThan(1e-14);
    for (let j = 0; j < d; j++) {
      let s = 0;
      rows.forEach((row, k) => (s += r[k] * A[row * d + j]));
      expect(Math.abs(g[j] - s)).toBeLessThan(1e-14);
    }
  });
});

describe("logisticRowWeights", () => {
  it("balanced weights on the rows used: 1 positive of 4 rows weighs 4/2 = 2, each negative 4/6", () => {
    const y = Uint8Array.of(1, 0, 0, 0, 1, 1);
    const rows = logisticRowWeights(y, Int32Array.of(0, 1, 2, 3), "balanced", undefined, "test");
    expect(Array.from(rows.labels)).toEqual([1, 0, 0, 0]);
    expect(Array.from(rows.weights)).toEqual([2, 4 / 6, 4 / 6, 4 / 6]);
    expect(rows.positiveWeight).toBe(2);
    expect(Math.abs(rows.weightSum - 4)).toBeLessThan(1e-15);
  });

  it("sample weights multiply in; null class weights are 1", () => {
    const y = Uint8Array.of(1, 0, 1);
    const rows = logisticRowWeights(y, Int32Array.of(0, 1, 2), null, Float64Array.of(0.5, 3, 0), "test");
    expect(Array.from(rows.weights)).toEqual([0.5, 3, 0]);
    expect(rows.positiveWeight).toBe(0.5);
    expect(rows.weightSum).toBe(3.5);
  });

  it.each([
    ["a label 2", Uint8Array.of(1, 2), undefined],
    ["one class", Uint8Array.of(1, 1), undefined],
    ["a negative sample weight", Uint8Array.of(1, 0), Float64Array.of(1, -1)],
    ["a class of zero total weight", Uint8Array.of(1, 0), Float64Array.of(0, 1)],
    ["a sample weight of the wrong length", Uint8Array.of(1, 0), Float64Array.of(1)],
  ])("throws RangeError naming the caller: %s", (_, y, sampleWeight) => {
    expect(() => logisticRowWeights(y, Int32Array.of(0, 1), "balanced", sampleWeight, "caller")).toThrow(/^caller: /);
    expect(() => logisticRowWeights(y, Int32Array.of(0, 1), "balanced", sampleWeight, "caller")).toThrow(RangeError);
  });
});
