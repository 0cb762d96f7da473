import { termCount } from "../core/polynomialTerms.js";
import { assembleCrossValidation, CV_TOLERANCE, type CrossValidation, type FoldDesign, type FoldFit, fitFold } from "./crossValidate.js";
import type { FoldSplit } from "./groupedKFold.js";
import type { LogisticFit } from "./logisticRegression.js";

/**
 * The C values tried by default: log-spaced a decade apart over 1e-5..10 (strongest
 * regularisation first; each warm-starts the next). With the hierarchical penalty the small
 * end approaches the plain model; on the simulated data the best C has been near 1e-4 at
 * 50,000 windows, so the path reaches two decades below the 1e-3..10 it must span.
 */
export const REGULARISATION_PATH: readonly number[] = Object.freeze([1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10]);

/** The smallest C the linear terms get on the path (see hierarchicalPenalty). */
export const LINEAR_C_FLOOR = 0.01;

/**
 * Penalty weights (see fitLogisticRegression) of a degree-2 design of F features at the
 * path's C: the products get C; the F linear terms get `max(C, LINEAR_C_FLOOR)` (weight
 * `C / max(C, floor)`). From 0.01 up the penalty is uniform (so `--C 1` is the first model's
 * C = 1); below it only the interactions are shrunk further, and C -> 0 tends to the plain
 * logistic model at C = 0.01. Main effects are penalised less than interactions: the live
 * readers of docs/readers.md showed why the floor is not 1 (linear terms at C = 1 read a
 * steady scroller's activity at the edge of the training range as a click signal).
 */
export function hierarchicalPenalty(F: number, C: number): Float64Array {
  const w = new Float64Array(termCount(F)).fill(1);
  w.fill(C / Math.max(C, LINEAR_C_FLOOR), 0, F);
  return w;
}

/** One point of the path: the grouped CV at that C. */
export interface PathPoint {
  C: number;
  rocAucMean: number;
  rocAucStd: number;
  prAucMean: number;
  /** Solver iterations summed over the folds (warm starts make later points cheap). */
  iterations: number;
}

export interface RegularisationPath {
  /** The C with the best mean fold ROC AUC; ties go to the smaller C (stronger regularisation). */
  C: number;
  points: PathPoint[];
  /** The cross-validation at the chosen C (the shipped model's CV figures and out-of-fold margins). */
  cv: CrossValidation;
}

/** Throws unless `path` is a non-empty ascending list of positive finite values. */
export function checkPath(path: readonly number[]): void {
  if (path.length === 0) throw new RangeError("regularisationPath: the path is empty");
  path.forEach((C, i) => {
    if (!(C > 0) || !Number.isFinite(C)) throw new RangeError(`regularisationPath: path[${i}] = ${C}; every C must be a positive finite number`);
    if (i > 0 && !(C > path[i - 1])) throw new RangeError(`regularisationPath: path must ascend, but path[${i}] = ${C} <= ${path[i - 1]}`);
  });
}

/**
 * One fold's fits along the path (with `F`, the degree-2 design's feature count: the
 * hierarchical penalty, see hierarchicalPenalty): at each C (ascending) from its fit at the previous C and
 * its workspace (column moments, Hessian estimate), so a point costs a few iterations; the
 * optimum at each C is unchanged by the start. Folds are independent: any thread may run any
 * fold and the results are the same.
 */
export function foldPath(fd: FoldDesign, y: Uint8Array, fold: FoldSplit, path: readonly number[], tolerance = CV_TOLERANCE, F?: number): FoldFit[] {
  const out: FoldFit[] = [];
  let init: LogisticFit | undefined;
  for (const C of path) {
    const penaltyWeights = F === undefined ? undefined : hierarchicalPenalty(F, C);
    const step = fitFold(fd, y, fold, { C, tolerance, init, penaltyWeights });
    init = step.fit;
    out.push(step);
  }
  return out;
}

/** The path's figures from every fold's fits (`perFold[f][i]`: fold f at `path[i]`); the best mean fold ROC AUC wins. */
export function assemblePath(perFold: readonly (readonly FoldFit[])[], y: Uint8Array, rows: Int32Array, folds: readonly FoldSplit[], path: readonly number[]): RegularisationPath {
  const sweep = path.map((_, i) => assembleCrossValidation(perFold.map((fits) => fits[i]), y, rows, folds));
  let best = 0;
  sweep.forEach((s, i) => {
    if (s.rocAucMean > sweep[best].rocAucMean) best = i;
  });
  return {
    C: path[best],
    points: sweep.map((s, i) => ({
      C: path[i],
      rocAucMean: s.rocAucMean,
      rocAucStd: s.rocAucStd,
      prAucMean: s.prAucMean,
      iterations: s.fits.reduce((a, f) => a + f.iterations, 0),
    })),
    cv: sweep[best],
  };
}

/**
 * Cross-validates at every C of `path` (ascending) on the same session-grouped folds, each
 * fold warm-started along the path (see foldPath), in this thread; the best mean fold ROC
 * AUC wins, ties to the smaller C. (The CLI runs the folds on two threads: see
 * pipeline/pathRunner.)
 */
export function regularisationPath(
  designs: readonly FoldDesign[],
  y: Uint8Array,
  rows: Int32Array,
  folds: readonly FoldSplit[],
  options: { path?: readonly number[]; tolerance?: number; features?: number; onFold?: (done: number, total: number) => void } = {},
): RegularisationPath {
  const path = options.path ?? REGULARISATION_PATH;
  checkPath(path);
  const perFold = folds.map((fold, f) => {
    const fits = foldPath(designs[f], y, fold, path, options.tolerance, options.features);
    options.onFold?.(f + 1, folds.length);
    return fits;
  });
  return assemblePath(perFold, y, rows, folds, path);
}
