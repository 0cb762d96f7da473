import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Degree2Design } from "../../src/training/degree2Design.js";
import { fitLogistic, fitLogisticRegression } from "../../src/training/logisticRegression.js";
import { fitStandardScaler } from "../../src/training/standardScaler.js";

// Fixtures written by scripts/sklearn-reference.py (scikit-learn 1.2); see its docstring.
interface SolverResult {
  coefficients: number[];
  intercept: number;
  objective: number;
  predictProba?: number[];
  maxAbsFromNewton?: number;
}
interface Fit {
  C: number;
  classWeight: "balanced" | null;
  lbfgs: SolverResult;
  newtonCholesky: SolverResult;
  newton: SolverResult;
}
interface Dataset {
  n: number;
  d: number;
  X: number[];
  y: number[];
  scalerMean?: number[];
  scalerScale?: number[];
  design?: number[];
  fits: Fit[];
}
const load = (name: string): Dataset => JSON.parse(readFileSync(new URL(`../fixtures/sklearn/${name}.json`, import.meta.url), "utf8"));

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Every coefficient within 1e-5 absolute or 1e-4 relative of the reference. */
function expectCoefficientsClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let j = 0; j < actual.length; j++) {
    const err = Math.abs(actual[j] - expected[j]);
    if (err >= 1e-5) expect(err / Math.abs(expected[j])).toBeLessThan(1e-4);
  }
}

function checkAgainstSklearn(A: Float64Array, n: number, d: number, y: Uint8Array, fit: Fit): void {
  const ours = fitLogisticRegression(A, n, d, y, { C: fit.C, classWeight: fit.classWeight });
  expect(ours.converged).toBe(true);
  // scikit-learn's exact solver (newton-cholesky, tol 1e-12), at the default tolerance.
  expectCoefficientsClose(ours.coefficients, fit.newtonCholesky.coefficients);
  expect(Math.abs(ours.intercept - fit.newtonCholesky.intercept)).toBeLessThan(1e-5);
  expect(Math.abs(ours.objective - fit.newton.objective)).toBeLessThan(1e-9 * Math.abs(fit.newton.objective));
  // Asked for more, the solver gets to the numpy-polished optimum itself.
  const tight = fitLogisticRegression(A, n, d, y, { C: fit.C, classWeight: fit.classWeight, tolerance: 1e-12 });
  expect(tight.converged).toBe(true);
  expect(maxAbsDiff(tight.coefficients, fit.newton.coefficients)).toBeLessThan(1e-8);
  expect(Math.abs(tight.intercept - fit.newton.intercept)).toBeLessThan(1e-8);
  // scikit-learn's lbfgs stops early (scipy's ftol): we are never worse, and as close to it
  // as it is to the optimum.
  expect(ours.objective).toBeLessThanOrEqual(fit.lbfgs.objective + 1e-9);
  expect(maxAbsDiff(ours.coefficients, fit.lbfgs.coefficients)).toBeLessThan(fit.lbfgs.maxAbsFromNewton! * 1.01 + 1e-6);
  // Probabilities, as predict_proba.
  const proba = fit.newtonCholesky.predictProba!;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let m = ours.intercept;
    for (let j = 0; j < d; j++) m += A[i * d + j] * ours.coefficients[j];
    worst = Math.max(worst, Math.abs(1 / (1 + Math.exp(-m)) - proba[i]));
  }
  expect(worst).toBeLessThan(1e-6);
}

/** The design written out row by row, as the training design (Degree2Design) computes it. */
function denseDesign(X: Float64Array, n: number, d: number): Float64Array {
  const scaler = fitStandardScaler(X, n, d);
  const design = new Degree2Design(X, n, { low: null, high: null, mean: scaler.mean, scale: scaler.scale });
  const A = new Float64Array(n * design.d);
  for (let r = 0; r < n; r++) design.row(r, A, r * design.d);
  return A;
}

describe("agreement with scikit-learn LogisticRegression", () => {
  const poly = load("poly230");
  const X = Float64Array.from(poly.X);
  const y = Uint8Array.from(poly.y);

  it("StandardScaler: same mean and population sd", () => {
    const scaler = fitStandardScaler(X, poly.n, poly.d);
    expect(maxAbsDiff(scaler.mean, poly.scalerMean!)).toBeLessThan(1e-12);
    expect(maxAbsDiff(scaler.scale, poly.scalerScale!)).toBeLessThan(1e-12);
  });

  it("design matrix: the same 230 terms in the same order", () => {
    const A = denseDesign(X, poly.n, poly.d);
    expect(A.length).toBe(poly.n * 230);
    expect(maxAbsDiff(A.subarray(0, poly.design!.length), poly.design!)).toBeLessThan(1e-11);
  });

  const A = denseDesign(X, poly.n, poly.d);
  for (const fit of poly.fits) {
    it(`poly230 (800 x 230, ${Math.round((100 * poly.y.filter((v) => v === 1).length) / poly.n)} % positives), C = ${fit.C}, ${fit.classWeight}`, () => {
      checkAgainstSklearn(A, poly.n, 230, y, fit);
    });
  }

  const small = load("small5");
  for (const fit of small.fits) {
    it(`small5 (raw columns of very different scales), C = ${fit.C}, ${fit.classWeight}`, () => {
      checkAgainstSklearn(Float64Array.from(small.X), small.n, small.d, Uint8Array.from(small.y), fit);
    });
  }
});

describe("agreement with scikit-learn through the on-the-fly degree-2 design", () => {
  // The same fixture fitted on Degree2Design (terms computed from the raw features while a
  // product runs, no stored matrix): the shipped model's path, at every fixture C.
  const poly = load("poly230");
  const X = Float64Array.from(poly.X);
  const y = Uint8Array.from(poly.y);
  const scaler = fitStandardScaler(X, poly.n, poly.d);
  const design = new Degree2Design(X, poly.n, { low: null, high: null, mean: scaler.mean, scale: scaler.scale });
  for (const fit of poly.fits) {
    it(`poly230, C = ${fit.C}: coefficients within 1e-5 of newton-cholesky`, () => {
      const ours = fitLogistic(design, y, { C: fit.C, classWeight: fit.classWeight });
      expect(ours.converged).toBe(true);
      expectCoefficientsClose(ours.coefficients, fit.newtonCholesky.coefficients);
      expect(Math.abs(ours.intercept - fit.newtonCholesky.intercept)).toBeLessThan(1e-5);
    });
  }
});
