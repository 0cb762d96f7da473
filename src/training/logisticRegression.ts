import { DenseDesign } from "./denseDesign.js";
import type { Design } from "./design.js";
import { HessianPreconditioner } from "./hessianPreconditioner.js";
import { LbfgsHistory } from "./lbfgsHistory.js";
import { LogisticObjective } from "./logisticObjective.js";
import { logisticRowWeights } from "./logisticRowWeights.js";
import { resolveRows } from "./rowSelection.js";
import type { SolverWorkspace } from "./solverWorkspace.js";
import { wolfeLineSearch } from "./wolfeLineSearch.js";

/** Options of {@link fitLogisticRegression}; every field has a default. */
export interface LogisticRegressionOptions {
  /** Inverse L2 strength: the penalty is `||beta||^2 / (2C)`. Default 1. */
  C?: number;
  /**
   * `"balanced"` (default) weighs class c by `m / (2 m_c)`, counted on the rows used (`m` rows,
   * `m_c` of class c), as scikit-learn's `compute_class_weight("balanced")`; `null` weighs 1.
   */
  classWeight?: "balanced" | null;
  /** Per-row weights indexed like A's rows (length n), multiplied into the class weights. */
  sampleWeight?: Float64Array;
  /** Fit on this subset of A's rows (indices into 0..n-1) instead of all of them. */
  rows?: Int32Array;
  /**
   * Stop when every component of the gradient, taken with respect to the intercept and to
   * coefficients of centred, unit-curvature columns (see the solver notes), is at most
   * `tolerance * sum(w)`: i.e. the mean per-row gradient is below `tolerance`. This is
   * scale-free (rescaling a column or the weights does not change when it stops). Default
   * 1e-8: coefficients then agree with an exact Newton solution to ~1e-6 or better (the
   * error shrinks in proportion; 1e-12 gives ~1e-10).
   */
  tolerance?: number;
  /** Upper bound on L-BFGS iterations. Default 2000. */
  maxIterations?: number;
  /** L-BFGS memory (pairs kept). Default 12. */
  memory?: number;
  /**
   * Per-coefficient weights of the penalty (length d, each > 0; default all 1): the penalty is
   * `sum_j w_j beta_j^2 / (2C)`, i.e. coefficient j has its own `C / w_j`. (The same optimum as
   * uniform L2 on columns divided by `sqrt(w_j)`, mapped back.)
   */
  penaltyWeights?: Float64Array;
  /** Warm start (e.g. the solution on another fold or at another C). */
  init?: { coefficients: Float64Array; intercept: number };
  /**
   * Shared by successive fits on the same design, rows and weights (a C path): column
   * moments and the Hessian estimate are computed once (see SolverWorkspace).
   */
  workspace?: SolverWorkspace;
}

/** A fitted model and how the solver got there. */
export interface LogisticFit {
  coefficients: Float64Array;
  intercept: number;
  /** `sum_i w_i * logloss_i + ||beta||^2 / (2C)` at the solution. */
  objective: number;
  /** Max-norm of the objective's gradient in the caller's coordinates (intercept included). */
  gradientNorm: number;
  iterations: number;
  /** Full objective-and-gradient passes over the design matrix. */
  evaluations: number;
  converged: boolean;
}

// Preconditioner builds per fit: at the start, then once the gradient fell 100-fold (the first
// was taken far from the optimum). A warm start begins near it, so its first build is enough.
const MAX_REFRESHES = 2;
const MAX_REFRESHES_WARM = 1;
const REFRESH_DROP = 1e-2; // rebuild once the gradient fell by this factor since the last build

/**
 * Fits L2-regularised logistic regression on a dense row-major `n x d` design matrix `A`:
 * minimises `sum_i w_i * logloss(y_i, b + A_i . beta) + ||beta||^2 / (2C)` with the intercept
 * `b` unpenalised. With the defaults this is exactly the problem scikit-learn's
 * `LogisticRegression(C=1, class_weight="balanced")` solves.
 *
 * Solver: preconditioned L-BFGS on an equivalent, better-conditioned problem. Columns are
 * centred on their weighted means and divided by `sqrt(sd^2 + 4 / (C sum w))`, the Jacobi
 * scaling of the Hessian at the start (the penalty is carried over, so the optimum is the same
 * one, mapped back at the end). The L-BFGS initial matrix is the inverse of a Hessian estimated
 * from ~4,096 rows drawn (deterministically) with probability proportional to their share of
 * the Hessian's trace, so rare extreme rows of heavy-tailed squared terms are kept; it is
 * rebuilt once the gradient has fallen 100-fold. The start is the weighted log-odds intercept
 * and zero coefficients (or `init`). Each iteration makes two passes over A: `q = A p` for the
 * search direction `p`, then the gradient `A^T r`. Between them the line search runs on
 * cached margins `m + a q`: `phi(a)`, `phi'(a)` and `phi''(a)` cost O(rows) each, so a
 * safeguarded 1-D Newton search meets the strong Wolfe conditions (c1 = 1e-4, c2 = 0.1)
 * almost for free (with a rounding allowance on the decrease test at the optimum). Log-loss
 * uses the overflow-free `softplus` form. Synchronous and single-threaded. Throws
 * `RangeError` when the rows used hold only one class.
 *
 * This function is the driver; the parts are `LogisticObjective` (internal coordinates,
 * value, gradient, line restriction), `HessianPreconditioner`, `LbfgsHistory` (two-loop
 * recursion) and `wolfeLineSearch`, each in the module of its name.
 */
export function fitLogisticRegression(
  A: Float64Array,
  n: number,
  d: number,
  y: Uint8Array,
  options: LogisticRegressionOptions = {},
): LogisticFit {
  return fitLogistic(new DenseDesign(A, n, d, "fitLogisticRegression"), y, options, "fitLogisticRegression");
}

/**
 * {@link fitLogisticRegression} on any {@link Design} (e.g. the degree-2 terms computed on the
 * fly from raw features): `y` holds one label per design row.
 */
export function fitLogistic(A: Design, y: Uint8Array, options: LogisticRegressionOptions = {}, where = "fitLogistic"): LogisticFit {
  const { n, d } = A;
  if (y.length !== n) throw new RangeError(`${where}: y has ${y.length} labels, expected n = ${n}`);
  const C = options.C ?? 1;
  if (!(C > 0) || !Number.isFinite(C)) throw new RangeError(`${where}: C must be a positive finite number, got ${C}`);
  const tolerance = options.tolerance ?? 1e-8;
  if (!(tolerance > 0)) throw new RangeError(`${where}: tolerance must be > 0, got ${tolerance}`);
  const maxIterations = options.maxIterations ?? 2000;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) {
    throw new RangeError(`${where}: maxIterations must be a non-negative integer, got ${maxIterations}`);
  }
  const memory = options.memory ?? 12;
  if (!Number.isInteger(memory) || memory < 1) throw new RangeError(`${where}: memory must be a positive integer, got ${memory}`);
  const classWeight = options.classWeight === undefined ? "balanced" : options.classWeight;
  const rowIndex = resolveRows(n, options.rows, where);
  const rows = logisticRowWeights(y, rowIndex, classWeight, options.sampleWeight, where);

  const workspace = options.workspace ?? {};
  const penaltyWeights = options.penaltyWeights;
  if (penaltyWeights !== undefined) {
    if (penaltyWeights.length !== d) throw new RangeError(`${where}: penaltyWeights has ${penaltyWeights.length} values, expected d = ${d}`);
    const bad = penaltyWeights.findIndex((w) => !(w > 0) || !Number.isFinite(w));
    if (bad >= 0) throw new RangeError(`${where}: penaltyWeights[${bad}] must be a positive finite number, got ${penaltyWeights[bad]}`);
  }
  const objective = new LogisticObjective(A, rowIndex, rows.labels, rows.weights, C, workspace.moments, penaltyWeights);
  workspace.moments = objective.moments;
  const D = objective.D;
  const x = new Float64Array(D);
  if (options.init !== undefined) {
    const { coefficients, intercept } = options.init;
    if (coefficients.length !== d) throw new RangeError(`${where}: init.coefficients has ${coefficients.length} values, expected d = ${d}`);
    objective.fromOriginal(coefficients, intercept, x);
    if (!x.every(Number.isFinite)) throw new RangeError(`${where}: init holds a non-finite value`);
  } else {
    x[d] = Math.log(rows.positiveWeight / (rows.weightSum - rows.positiveWeight)); // weighted log-odds
  }

  const G = new Float64Array(D);
  const Gnew = new Float64Array(D);
  const p = new Float64Array(D);
  const s = new Float64Array(D);
  const gradientChange = new Float64Array(D);
  const lineValues = new Float64Array(3);
  const history = new LbfgsHistory(D, memory);
  const preconditioner = new HessianPreconditioner(objective, workspace);

  let f = objective.evaluate(x, G);
  // A warm start on a path starts from the previous fit's Hessian estimate: only refactored.
  let refreshes = 0;
  if (options.init !== undefined && preconditioner.reusable) preconditioner.reuse();
  else {
    preconditioner.refresh();
    refreshes = 1;
  }
  let lastRefreshGradient = maxAbs(G);
  const maxRefreshes = options.init === undefined ? MAX_REFRESHES : MAX_REFRESHES_WARM;
  let evaluations = 1;
  let iterations = 0;
  let converged = false;
  const threshold = tolerance * rows.weightSum;

  for (;;) {
    if (maxAbs(G) <= threshold) {
      if (!objective.marginsExact) {
        // Incremental margins may have drifted: confirm on exact ones.
        f = objective.evaluate(x, G);
        evaluations++;
        continue;
      }
      converged = true;
      break;
    }
    if (iterations >= maxIterations) break;
    iterations++;

    if (refreshes < maxRefreshes && maxAbs(G) <= REFRESH_DROP * lastRefreshGradient) {
      preconditioner.refresh();
      refreshes++;
      lastRefreshGradient = maxAbs(G);
    }
    history.direction(G, p, preconditioner.apply);
    let slope = dot(p, G);
    if (!(slope < 0)) {
      // Not a descent direction (stale pairs): fall back to preconditioned steepest descent.
      history.clear();
      history.direction(G, p, preconditioner.apply);
      slope = dot(p, G);
    }
    objective.setDirection(p);
    const search = wolfeLineSearch(objective.line, f, slope, lineValues);
    if (!search.accepted) {
      // No step met the conditions (rounding at the optimum or a bad direction): restart once
      // from steepest descent, otherwise stop with converged = false.
      if (history.size > 0) {
        history.clear();
        continue;
      }
      break;
    }

    const a = search.step;
    for (let i = 0; i < D; i++) x[i] += a * p[i];
    f = objective.advance(x, a, Gnew);
    evaluations++;
    for (let i = 0; i < D; i++) {
      s[i] = a * p[i];
      gradientChange[i] = Gnew[i] - G[i];
    }
    G.set(Gnew);
    history.push(s, gradientChange);
  }

  const coefficients = new Float64Array(d);
  const intercept = objective.toOriginal(x, coefficients);
  const gradientNorm = objective.originalGradientNorm();
  return { coefficients, intercept, objective: f, gradientNorm, iterations, evaluations, converged };
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function maxAbs(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s = Math.max(s, Math.abs(v[i]));
  return s;
}
