import type { ColumnMoments } from "./logisticObjective.js";

/**
 * What successive fits on the same design, rows and row weights can share, e.g. the fits of
 * one fold along a C path: none of it depends on C or on the point. Pass the same (initially
 * empty) object to each fit; the solver fills it on first use. Reusing it changes only the
 * time: the column moments are the same numbers, and the Gram only seeds the preconditioner.
 */
export interface SolverWorkspace {
  /** Weighted column means and variances of the rows used. */
  moments?: ColumnMoments;
  /** Squared norms of the centred, scaled rows (importance sampling of the Hessian estimate). */
  rowNormSq?: Float64Array;
  /** The last sampled Hessian Gram, centred at `moments.mean`, unscaled (see sampledGram). */
  gram?: Float64Array;
}
