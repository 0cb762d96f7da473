import { expNegAbs, sigmoidFromExp, sigmoidSlopeFromExp, softplusFromExp } from "../core/sigmoid.js";
import type { Design } from "./design.js";

// Margins are updated incrementally along each step (m += a q, no pass over A); recompute
// them from scratch this often so rounding cannot drift.
const EXACT_MARGINS_EVERY = 20;

/**
 * The objective `f(beta, b) = sum_k w_k logloss(y_k, b + A_k . beta) + ||beta||^2 / (2C)` of
 * weighted, L2-regularised logistic regression over the rows `rowIndex` of a design `A`
 * (`d` columns, see Design), in the solver's internal coordinates.
 *
 * Internal coordinates: `x = (gamma, c)` with `gamma_j = beta_j * scale_j` and
 * `c = b + beta . mu`, where `mu` are the weighted column means and `scale_j =
 * sqrt(sd_j^2 + 4 / (C sum w))` the square root of the start Hessian's diagonal per unit
 * weight (Jacobi scaling). The problem is the same one, better conditioned; vectors map back
 * with {@link toOriginal}. The penalty stays `||beta||^2 / (2C)` on the original coefficients.
 *
 * Holds the margins at the current point, so that after {@link setDirection} the restriction
 * to the search line, {@link line}, costs O(rows) per evaluation with no pass over `A`.
 * Log loss and residuals use the overflow-free kernel of `core/sigmoid`. @internal
 */
export class LogisticObjective {
  /** Columns of `A`. */
  readonly d: number;
  /** Length of the internal vector: `d` coefficients then the intercept. */
  readonly D: number;
  readonly A: Design;
  readonly rowIndex: Int32Array;
  readonly labels: Uint8Array;
  /** Per-row weights, in `rowIndex` order. */
  readonly weights: Float64Array;
  readonly weightSum: number;
  /** The penalty's weight per coefficient, `1 / C_j` (`1 / C` times its penalty weight). */
  readonly invC: Float64Array;
  /** Weighted column means (the internal coordinates' centring). */
  readonly mu: Float64Array;
  /** Weighted column means and variances of the rows used (independent of C: reusable along a C path). */
  readonly moments: ColumnMoments;
  /** Internal column scales. */
  readonly scale: Float64Array;
  /** `b + A_k . beta` at the current point, per row used. */
  readonly margins: Float64Array;

  private readonly beta: Float64Array; // coefficients of the current point
  private readonly rawGradient: Float64Array; // A^T r at the current point
  private residualSum = 0; // sum r, the intercept's gradient
  private readonly residuals: Float64Array;
  private readonly directionCoefficients: Float64Array;
  private readonly directionMargins: Float64Array; // q = A p (original coordinates, intercept included)
  private bb = 0; // beta . beta, beta . dBeta, dBeta . dBeta: the penalty along the line
  private bd = 0;
  private dd = 0;
  private stepsSinceExact = 0;

  constructor(
    A: Design,
    rowIndex: Int32Array,
    labels: Uint8Array,
    weights: Float64Array,
    C: number,
    moments?: ColumnMoments,
    penaltyWeights?: Float64Array,
  ) {
    const d = A.d;
    this.A = A;
    this.d = d;
    this.D = d + 1;
    this.rowIndex = rowIndex;
    this.labels = labels;
    this.weights = weights;
    let wSum = 0;
    for (let k = 0; k < weights.length; k++) wSum += weights[k];
    this.weightSum = wSum;
    this.invC = new Float64Array(d);
    for (let j = 0; j < d; j++) this.invC[j] = (penaltyWeights === undefined ? 1 : penaltyWeights[j]) / C;
    this.moments = moments ?? weightedColumnMoments(A, rowIndex, weights, wSum);
    this.mu = this.moments.mean;
    const invC = this.invC;
    this.scale = Float64Array.from(this.moments.variance, (v, j) => Math.sqrt(v + (4 * invC[j]) / wSum));
    const m = rowIndex.length;
    this.margins = new Float64Array(m);
    this.residuals = new Float64Array(m);
    this.directionMargins = new Float64Array(m);
    this.beta = new Float64Array(d);
    this.rawGradient = new Float64Array(d);
    this.directionCoefficients = new Float64Array(d);
  }

  /** Maps the internal vector `v` to coefficients (into `out`); returns the intercept. */
  toOriginal(v: Float64Array, out: Float64Array): number {
    const { d, mu, scale } = this;
    let b = v[d];
    for (let j = 0; j < d; j++) {
      out[j] = v[j] / scale[j];
      b -= out[j] * mu[j];
    }
    return b;
  }

  /** Maps coefficients and intercept to the internal vector `out` (length `D`). */
  fromOriginal(coefficients: Float64Array, intercept: number, out: Float64Array): void {
    const { d, mu, scale } = this;
    let c = intercept;
    for (let j = 0; j < d; j++) {
      out[j] = coefficients[j] * scale[j];
      c += coefficients[j] * mu[j];
    }
    out[d] = c;
  }

  /** Whether the margins were computed from scratch since the last step (no drift). */
  get marginsExact(): boolean {
    return this.stepsSinceExact === 0;
  }

  /** Moves to `x` with exact margins: returns `f(x)`, its internal gradient into `gradient`. */
  evaluate(x: Float64Array, gradient: Float64Array): number {
    const b = this.toOriginal(x, this.beta);
    this.A.forward(this.rowIndex, b, this.beta, this.margins);
    this.stepsSinceExact = 0;
    return this.evaluateAtMargins(gradient);
  }

  /**
   * Prepares the search line from the current point along the internal direction `p`: one
   * pass over `A` for `q = A p`. {@link line} and {@link advance} then refer to it.
   */
  setDirection(p: Float64Array): void {
    const { d, beta, invC } = this;
    const dBeta = this.directionCoefficients;
    const db = this.toOriginal(p, dBeta);
    this.A.forward(this.rowIndex, db, dBeta, this.directionMargins);
    let bb = 0;
    let bd = 0;
    let dd = 0;
    for (let j = 0; j < d; j++) {
      const w = invC[j];
      bb += w * beta[j] * beta[j];
      bd += w * beta[j] * dBeta[j];
      dd += w * dBeta[j] * dBeta[j];
    }
    this.bb = bb;
    this.bd = bd;
    this.dd = dd;
  }

  /** `[phi(a), phi'(a), phi''(a)]` of `phi(a) = f(x + a p)` into `out`, on cached margins. */
  readonly line = (a: number, out: Float64Array): void => {
    const { margins, labels, weights } = this;
    const q = this.directionMargins;
    let f = 0;
    let g = 0;
    let h = 0;
    for (let k = 0; k < margins.length; k++) {
      const qk = q[k];
      const t = margins[k] + a * qk;
      const u = labels[k] === 1 ? -t : t; // loss = softplus(u), d loss / dt = +-sigmoid(u)
      const e = expNegAbs(u);
      const wk = weights[k];
      const s = sigmoidFromExp(u, e);
      f += wk * softplusFromExp(u, e);
      g += wk * (labels[k] === 1 ? -s : s) * qk;
      h += sigmoidSlopeFromExp(e, wk) * qk * qk;
    }
    const { bb, bd, dd } = this; // already weighted by 1 / C_j
    out[0] = f + (bb + a * (2 * bd + a * dd)) * 0.5;
    out[1] = g + (bd + a * dd);
    out[2] = h + dd;
  };

  /**
   * Moves to `x`, which the caller has set to the current point plus `a p` (the direction of
   * {@link setDirection}): margins follow incrementally (from scratch every 20th step).
   * Returns `f(x)`, its internal gradient into `gradient`.
   */
  advance(x: Float64Array, a: number, gradient: Float64Array): number {
    const b = this.toOriginal(x, this.beta);
    const margins = this.margins;
    this.stepsSinceExact++;
    if (this.stepsSinceExact >= EXACT_MARGINS_EVERY) {
      this.A.forward(this.rowIndex, b, this.beta, margins);
      this.stepsSinceExact = 0;
    } else {
      const q = this.directionMargins;
      for (let k = 0; k < margins.length; k++) margins[k] += a * q[k];
    }
    return this.evaluateAtMargins(gradient);
  }

  /**
   * Max-norm of the gradient at the current point in the caller's coordinates:
   * `d/d beta_j = (A^T r)_j + beta_j / C`, `d/db = sum r`.
   */
  originalGradientNorm(): number {
    const { beta, rawGradient, invC } = this;
    let norm = Math.abs(this.residualSum);
    for (let j = 0; j < this.d; j++) norm = Math.max(norm, Math.abs(rawGradient[j] + beta[j] * invC[j]));
    return norm;
  }

  /** Loss, residuals and the gradient pass at the current margins and coefficients. */
  private evaluateAtMargins(gradient: Float64Array): number {
    const { margins, labels, weights, residuals, beta, d, mu, scale, invC } = this;
    let loss = 0;
    for (let k = 0; k < margins.length; k++) {
      const t = margins[k];
      const u = labels[k] === 1 ? -t : t;
      const e = expNegAbs(u);
      const s = sigmoidFromExp(u, e);
      const wk = weights[k];
      loss += wk * softplusFromExp(u, e);
      residuals[k] = wk * (labels[k] === 1 ? -s : s);
    }
    const rawGradient = this.rawGradient;
    const R = this.A.transpose(this.rowIndex, residuals, rawGradient);
    this.residualSum = R;
    for (let j = 0; j < d; j++) gradient[j] = (rawGradient[j] - mu[j] * R + beta[j] * invC[j]) / scale[j];
    gradient[d] = R;
    let penalty = 0;
    for (let j = 0; j < d; j++) penalty += invC[j] * beta[j] * beta[j];
    return loss + penalty * 0.5;
  }
}

/** Weighted means and (population) variances of a design's columns over some rows. */
export interface ColumnMoments {
  mean: Float64Array;
  variance: Float64Array;
}

/**
 * Weighted column means and variances over `rowIndex`, one pass, sums shifted by the first
 * row (so large column offsets cost no precision).
 */
export function weightedColumnMoments(A: Design, rowIndex: Int32Array, w: Float64Array, wSum: number): ColumnMoments {
  const d = A.d;
  const shift = new Float64Array(d);
  A.row(rowIndex[0], shift, 0);
  const row = new Float64Array(d);
  const s1 = new Float64Array(d);
  const s2 = new Float64Array(d);
  for (let k = 0; k < rowIndex.length; k++) {
    const wk = w[k];
    if (wk === 0) continue;
    A.row(rowIndex[k], row, 0);
    for (let j = 0; j < d; j++) {
      const v = row[j] - shift[j];
      const wv = wk * v;
      s1[j] += wv;
      s2[j] += wv * v;
    }
  }
  const mean = new Float64Array(d);
  const variance = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const m = s1[j] / wSum;
    variance[j] = Math.max(0, s2[j] / wSum - m * m);
    mean[j] = shift[j] + m;
  }
  return { mean, variance };
}
