import { describe, expect, it } from "vitest";
import { Degree2Design } from "../../src/training/degree2Design.js";
import { DenseDesign } from "../../src/training/denseDesign.js";
import type { Design } from "../../src/training/design.js";
import { sampledGram } from "../../src/training/sampledHessian.js";
import type { FeatureTransform } from "../../src/training/featureTransform.js";
import { makeRandom } from "./syntheticData.js";

// The design is checked against terms written out by hand from the contract's order
// (z_0..z_{F-1}, then z_i z_j for i <= j), not against expandPolynomial.
function handTerms(x: number[], t: FeatureTransform, degree: 1 | 2): number[] {
  const z = x.map((v, i) => {
    const c = t.low === null ? v : Math.min(t.high![i], Math.max(t.low[i], v));
    return (c - t.mean[i]) / t.scale[i];
  });
  if (degree === 1) return z;
  const out = [...z];
  for (let i = 0; i < z.length; i++) for (let j = i; j < z.length; j++) out.push(z[i] * z[j]);
  return out;
}

describe("Degree2Design", () => {
  const F = 5;
  const n = 11; // not a multiple of four: the blocked loops' remainders run too
  const { normal } = makeRandom(7);
  const X = Float64Array.from({ length: n * F }, () => normal() * 3);
  const transform: FeatureTransform = {
    low: Float64Array.of(-2, -1, -5, -0.5, -3),
    high: Float64Array.of(2, 4, 5, 0.5, 3),
    mean: Float64Array.of(0.1, -0.2, 0.3, 0, 1),
    scale: Float64Array.of(1.5, 0.5, 2, 0.25, 1),
  };
  const rows = Int32Array.of(10, 3, 3, 0, 7, 1, 9, 2, 5);
  const raw = (r: number) => Array.from(X.subarray(r * F, r * F + F));

  for (const degree of [1, 2] as const) {
    for (const withDomain of [true, false]) {
      const t: FeatureTransform = withDomain ? transform : { ...transform, low: null, high: null };
      it(`degree ${degree}, ${withDomain ? "with" : "without"} a domain: row, forward and transpose equal the hand-written terms`, () => {
        const design = new Degree2Design(X, n, t, degree);
        const d = degree === 2 ? F + (F * (F + 1)) / 2 : F;
        expect(design.d).toBe(d);
        const expected = Array.from(rows, (r) => handTerms(raw(r), t, degree));
        const row = new Float64Array(d + 2);
        design.row(rows[0], row, 2);
        expected[0].forEach((v, j) => expect(row[2 + j]).toBeCloseTo(v, 12));

        const v = Float64Array.from({ length: d }, (_, j) => Math.sin(j + 1));
        const out = new Float64Array(rows.length);
        design.forward(rows, 0.75, v, out);
        expected.forEach((terms, k) => expect(out[k]).toBeCloseTo(0.75 + terms.reduce((a, x, j) => a + x * v[j], 0), 10));

        const r = Float64Array.from(rows, (_, k) => Math.cos(k) - 0.2);
        const g = new Float64Array(d).fill(99); // overwritten, not accumulated into
        const R = design.transpose(rows, r, g);
        expect(R).toBeCloseTo(r.reduce((a, b) => a + b, 0), 12);
        for (let j = 0; j < d; j++) expect(g[j]).toBeCloseTo(expected.reduce((a, terms, k) => a + r[k] * terms[j], 0), 10);
      });
    }
  }

  it("clamps before standardising: a row far outside the domain reads as the bound", () => {
    const far = Float64Array.of(1e9, -1e9, 1e9, -1e9, 1e9);
    const design = new Degree2Design(far, 1, transform);
    const row = new Float64Array(design.d);
    design.row(0, row, 0);
    expect(Array.from(row.subarray(0, F))).toEqual([(2 - 0.1) / 1.5, (-1 + 0.2) / 0.5, (5 - 0.3) / 2, (-0.5 - 0) / 0.25, (3 - 1) / 1]);
  });

  it("reads the leading F columns of wider rows with a stride, as the same columns copied out", () => {
    const wide = 7;
    const W = Float64Array.from({ length: n * wide }, (_, i) => (i % wide < F ? X[Math.floor(i / wide) * F + (i % wide)] : 1e9));
    const strided = new Degree2Design(W, n, transform, 2, wide);
    const plain = new Degree2Design(X, n, transform);
    const v = Float64Array.from({ length: plain.d }, (_, j) => Math.cos(j));
    const [a, b] = [new Float64Array(rows.length), new Float64Array(rows.length)];
    strided.forward(rows, 0.5, v, a);
    plain.forward(rows, 0.5, v, b);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it("refuses a matrix that is not n x stride, and a stride below F", () => {
    expect(() => new Degree2Design(new Float64Array(12), 2, transform)).toThrow("Degree2Design: matrix has 12 values, not n * stride = 2 * 5");
    expect(() => new Degree2Design(new Float64Array(8), 2, transform, 2, 4)).toThrow("stride must be an integer >= F = 5, got 4");
  });
});

describe("Degree2Design.sampledGram (from monomial sums)", () => {
  it("equals the generic row-by-row Gram of the same rows (written out through DenseDesign)", () => {
    const F = 6;
    const n = 50;
    const { normal, uniform } = makeRandom(17);
    const X = Float64Array.from({ length: n * F }, () => normal() * 2);
    const t: FeatureTransform = {
      low: new Float64Array(F).fill(-2.5),
      high: new Float64Array(F).fill(3),
      mean: Float64Array.from({ length: F }, () => normal() * 0.2),
      scale: Float64Array.from({ length: F }, () => 0.5 + uniform()),
    };
    const design = new Degree2Design(X, n, t);
    const d = design.d;
    const A = new Float64Array(n * d);
    for (let r = 0; r < n; r++) design.row(r, A, r * d);
    const dense = new DenseDesign(A, n, d);
    const rows = Int32Array.from({ length: 40 }, (_, k) => (k * 7) % n);
    const sample = Int32Array.of(0, 3, 3, 9, 14, 21, 39, 5, 6);
    const weights = Float64Array.from(sample, () => 0.1 + uniform());
    const mu = Float64Array.from({ length: d }, () => normal() * 0.3);
    const D = d + 1;
    const [fast, generic] = [new Float64Array(D * D), new Float64Array(D * D)];
    sampledGram(design, rows, sample, weights, mu, new Float64Array(4 * D), fast);
    sampledGram(dense, rows, sample, weights, mu, new Float64Array(4 * D), generic);
    for (let a = 0; a < D; a++) for (let b = 0; b <= a; b++) expect(fast[a * D + b]).toBeCloseTo(generic[a * D + b], 9);
    expect((dense as Design).sampledGram).toBeUndefined();
    expect(new Degree2Design(X, n, t, 1).sampledGram).toBeUndefined(); // degree 1 uses the generic one
  });
});
