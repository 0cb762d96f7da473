import { streamSeed } from "../core/randomStreams.js";
import { prAuc, rocAuc } from "./classificationMetrics.js";
import { type FoldSplit, groupedStratifiedKFold } from "./groupedKFold.js";
import { fitLogisticRegression, type LogisticFit } from "./logisticRegression.js";
import { fitStandardScaler, type StandardScaler } from "./standardScaler.js";

/** Solver tolerance of every fit (see fitLogisticRegression). */
export const TOLERANCE = 1e-8;

/** Builds a design matrix from raw rows (global indices) with a scaler; `out` may be reused. */
export type DesignBuilder = (X: Float64Array, n: number, scaler: StandardScaler, rows: Int32Array, out?: Float64Array) => Float64Array;

/** One fold's held-out figures (the fold's own margins; AUCs are rank-based). */
export interface FoldMetrics {
  /** 1-based. */
  fold: number;
  nTrain: number;
  nTest: number;
  positivesTest: number;
  rocAuc: number;
  prAuc: number;
  iterations: number;
}

export interface CrossValidation {
  /** Out-of-fold margins, one per row of `rows`, in the same order. */
  oof: Float64Array;
  folds: FoldMetrics[];
  fits: LogisticFit[];
  /** Mean and population sd of the fold ROC AUCs; mean fold PR AUC. */
  rocAucMean: number;
  rocAucStd: number;
  prAucMean: number;
}


/** Margins `b + A_r . beta` of the first `rows` rows of a dense design matrix. */
export function designMargins(A: Float64Array, rows: number, d: number, fit: { coefficients: Float64Array; intercept: number }): Float64Array {
  const out = new Float64Array(rows);
  const beta = fit.coefficients;
  for (let r = 0; r < rows; r++) {
    let m = fit.intercept;
    const o = r * d;
    for (let k = 0; k < d; k++) m += A[o + k] * beta[k];
    out[r] = m;
  }
  return out;
}

/**
 * The folds of `rows` (global row indices, ascending), grouped by session and stratified
 * (groupedStratifiedKFold on those rows, shuffled by the run's `folds` stream); returned as
 * global row indices.
 */
export function foldsOf(sessionIndex: Int32Array, y: Uint8Array, rows: Int32Array, k: number, runSeed: number): FoldSplit[] {
  const groups = Int32Array.from(rows, (r) => sessionIndex[r]);
  const labels = Uint8Array.from(rows, (r) => y[r]);
  return groupedStratifiedKFold(groups, labels, k, streamSeed(runSeed, "folds")).map(({ train, test }) => ({
    train: Int32Array.from(train, (i) => rows[i]),
    test: Int32Array.from(test, (i) => rows[i]),
  }));
}

/**
 * k-fold cross-validation of balanced L2 logistic regression at `C` on `rows` of the
 * `n x features` raw matrix `X`: each fold gets its own scaler (fitted on its training rows)
 * and design of `d` columns; `init` warm-starts every fold
 * (the problem is strictly convex, so a start changes only the time) or, as an array, each
 * fold from its own. `buffer` (at least `rows.length x d` values) is reused for the designs.
 */
export function crossValidate(
  X: Float64Array,
  n: number,
  y: Uint8Array,
  rows: Int32Array,
  folds: readonly FoldSplit[],
  options: {
    C: number;
    /** Raw features per row (the feature set's width). */
    features: number;
    d: number;
    build: DesignBuilder;
    buffer: Float64Array;
    init?: LogisticFit | readonly LogisticFit[];
    onFold?: (done: number) => void;
  },
): CrossValidation {
  const { C, d, build, buffer } = options;
  const position = new Map<number, number>();
  rows.forEach((r, i) => position.set(r, i));
  const oof = new Float64Array(rows.length);
  const results: FoldMetrics[] = [];
  const fits: LogisticFit[] = [];
  folds.forEach(({ train, test }, f) => {
    const scaler = fitStandardScaler(X, n, options.features, train);
    const trainA = build(X, n, scaler, train, buffer);
    const init = Array.isArray(options.init) ? (options.init as LogisticFit[])[f] : (options.init as LogisticFit | undefined);
    const fit = fitLogisticRegression(trainA, train.length, d, Uint8Array.from(train, (r) => y[r]), { C, tolerance: TOLERANCE, init });
    const testA = build(X, n, scaler, test, buffer.subarray(train.length * d));
    const margins = designMargins(testA, test.length, d, fit);
    const testY = Uint8Array.from(test, (r) => y[r]);
    for (let k = 0; k < test.length; k++) oof[position.get(test[k])!] = margins[k];
    fits.push(fit);
    results.push({
      fold: f + 1,
      nTrain: train.length,
      nTest: test.length,
      positivesTest: testY.reduce((a, b) => a + b, 0),
      rocAuc: rocAuc(margins, testY),
      prAuc: prAuc(margins, testY),
      iterations: fit.iterations,
    });
    options.onFold?.(f + 1);
  });
  const aucs = results.map((r) => r.rocAuc);
  const mean = aucs.reduce((a, b) => a + b, 0) / aucs.length;
  const sd = Math.sqrt(aucs.reduce((a, b) => a + (b - mean) ** 2, 0) / aucs.length);
  const prAucMean = results.reduce((a, r) => a + r.prAuc, 0) / results.length;
  return { oof, folds: results, fits, rocAucMean: mean, rocAucStd: sd, prAucMean };
}
