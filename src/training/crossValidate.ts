import { streamSeed } from "../core/randomStreams.js";
import { prAuc, rocAuc } from "./classificationMetrics.js";
import { type FoldSplit, groupedStratifiedKFold } from "./groupedKFold.js";
import { Degree2Design } from "./degree2Design.js";
import type { Design } from "./design.js";
import type { FeatureTransform } from "./featureTransform.js";
import { fitLogistic, type LogisticFit } from "./logisticRegression.js";
import type { SolverWorkspace } from "./solverWorkspace.js";

/** Solver tolerance of the shipped fit (see fitLogisticRegression): sklearn-level agreement. */
export const TOLERANCE = 1e-8;

/**
 * Solver tolerance of the cross-validation fits (the C path, the CV of the chosen C and of
 * the side models): their out-of-fold margins only rank windows and fit the calibration,
 * and at 1e-5 the fold ROC AUCs agree with 1e-8 fits to about 1e-5 for half the iterations
 * (docs/model.md).
 */
export const CV_TOLERANCE = 1e-5;

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

/** One fold's design (its own transform, fitted on its training rows) and solver workspace. */
export interface FoldDesign {
  design: Design;
  workspace: SolverWorkspace;
}

/**
 * Each fold's design over the raw `n x F` matrix `X` with terms of `degree`, from the fold's
 * transform (domain and scaler fitted on its training rows only, see fitFeatureTransform):
 * made once and reused for every C of a path, with an empty solver workspace each. `stride`:
 * see Degree2Design.
 */
export function foldDesigns(X: Float64Array, n: number, transforms: readonly FeatureTransform[], degree: 1 | 2, stride?: number): FoldDesign[] {
  return transforms.map((t) => ({ design: new Degree2Design(X, n, t, degree, stride), workspace: {} }));
}

/** One fold's fit and its margins on the fold's test rows. */
export interface FoldFit {
  fit: LogisticFit;
  margins: Float64Array;
}

/** Fits fold `fold` at `C` on its training rows of its design and scores its test rows. */
export function fitFold(
  fd: FoldDesign,
  y: Uint8Array,
  fold: FoldSplit,
  options: { C: number; tolerance: number; init?: LogisticFit; penaltyWeights?: Float64Array },
): FoldFit {
  const { design, workspace } = fd;
  const { C, tolerance, init, penaltyWeights } = options;
  const fit = fitLogistic(design, y, { C, tolerance, init, penaltyWeights, rows: fold.train, workspace });
  const margins = new Float64Array(fold.test.length);
  design.forward(fold.test, fit.intercept, fit.coefficients, margins);
  return { fit, margins };
}

/**
 * The cross-validation figures of one fit per fold: out-of-fold margins in the order of
 * `rows`, each fold's ROC and PR AUC on its own margins, their mean and population sd.
 */
export function assembleCrossValidation(foldFits: readonly FoldFit[], y: Uint8Array, rows: Int32Array, folds: readonly FoldSplit[]): CrossValidation {
  // Row -> position in `rows`, as a typed array (a Map of millions of rows costs ~100 bytes each).
  let maxRow = -1;
  for (let i = 0; i < rows.length; i++) if (rows[i] > maxRow) maxRow = rows[i];
  const position = new Int32Array(maxRow + 1);
  rows.forEach((r, i) => (position[r] = i));
  const oof = new Float64Array(rows.length);
  const results: FoldMetrics[] = folds.map(({ train, test }, f) => {
    const { margins, fit } = foldFits[f];
    const testY = Uint8Array.from(test, (r) => y[r]);
    for (let k = 0; k < test.length; k++) oof[position[test[k]]] = margins[k];
    return {
      fold: f + 1,
      nTrain: train.length,
      nTest: test.length,
      positivesTest: testY.reduce((a, b) => a + b, 0),
      rocAuc: rocAuc(margins, testY),
      prAuc: prAuc(margins, testY),
      iterations: fit.iterations,
    };
  });
  const aucs = results.map((r) => r.rocAuc);
  const mean = aucs.reduce((a, b) => a + b, 0) / aucs.length;
  const sd = Math.sqrt(aucs.reduce((a, b) => a + (b - mean) ** 2, 0) / aucs.length);
  const prAucMean = results.reduce((a, r) => a + r.prAuc, 0) / results.length;
  return { oof, folds: results, fits: foldFits.map((f) => f.fit), rocAucMean: mean, rocAucStd: sd, prAucMean };
}

/**
 * k-fold cross-validation of balanced L2 logistic regression at `C` on `rows` (global row
 * indices): fold `f` is fitted on its training rows of `designs[f]` and scored on its test
 * rows. `init` warm-starts every fold (the problem is strictly convex, so a start changes
 * only the time) or, as an array, each fold from its own.
 */
export function crossValidate(
  designs: readonly FoldDesign[],
  y: Uint8Array,
  rows: Int32Array,
  folds: readonly FoldSplit[],
  options: {
    C: number;
    tolerance?: number;
    init?: LogisticFit | readonly LogisticFit[];
    penaltyWeights?: Float64Array;
    onFold?: (done: number) => void;
  },
): CrossValidation {
  const tolerance = options.tolerance ?? CV_TOLERANCE;
  if (designs.length !== folds.length) throw new RangeError(`crossValidate: ${designs.length} designs for ${folds.length} folds`);
  const foldFits = folds.map((fold, f) => {
    const init = Array.isArray(options.init) ? (options.init as LogisticFit[])[f] : (options.init as LogisticFit | undefined);
    const out = fitFold(designs[f], y, fold, { C: options.C, tolerance, init, penaltyWeights: options.penaltyWeights });
    options.onFold?.(f + 1);
    return out;
  });
  return assembleCrossValidation(foldFits, y, rows, folds);
}
