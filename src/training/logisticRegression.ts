import { checkMatrix, resolveRows } from "./rowSelection.js";
import { backSolve, centredRowNorms, choleskyInPlace, forwardSolve, importanceSample, sampledHessian } from "./sampledHessian.js";

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
  /** Warm start (e.g. the solution on another fold or at another C). */
  init?: { coefficients: Float64Array; intercept: number };
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

const C1 = 1e-4; // Armijo constant of the strong Wolfe conditions
const C2 = 0.1; // curvature constant: |phi'(a)| <= C2 |phi'(0)|
const REFRESH_EVERY = 20; // recompute margins from scratch this often (they are updated incrementally)
// Rows in the preconditioner's Hessian estimate: about 1/12 of the rows, within [1024, 4096].
// Its cost (sample x d^2) must stay well below the passes it saves.
const HESSIAN_SAMPLE_MIN = 1024;
const HESSIAN_SAMPLE_MAX = 4096;
const HESSIAN_SAMPLE_SHARE = 1 / 12;
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
 */
export function fitLogisticRegression(
  A: Float64Array,
  n: number,
  d: number,
  y: Uint8Array,
  options: LogisticRegressionOptions = {},
): LogisticFit {
  checkMatrix(A, n, d, "fitLogisticRegression");
  if (y.length !== n) throw new RangeError(`fitLogisticRegression: y has ${y.length} labels, expected n = ${n}`);
  const C = options.C ?? 1;
  if (!(C > 0) || !Number.isFinite(C)) throw new RangeError(`fitLogisticRegression: C must be a positive finite number, got ${C}`);
  const tolerance = options.tolerance ?? 1e-8;
  if (!(tolerance > 0)) throw new RangeError(`fitLogisticRegression: tolerance must be > 0, got ${tolerance}`);
  const maxIterations = options.maxIterations ?? 2000;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) {
    throw new RangeError(`fitLogisticRegression: maxIterations must be a non-negative integer, got ${maxIterations}`);
  }
  const memory = options.memory ?? 12;
  if (!Number.isInteger(memory) || memory < 1) throw new RangeError(`fitLogisticRegression: memory must be a positive integer, got ${memory}`);
  const classWeight = options.classWeight === undefined ? "balanced" : options.classWeight;
  const rowIndex = resolveRows(n, options.rows, "fitLogisticRegression");
  const m = rowIndex.length;

  // Labels and weights of the rows used, in row-subset order.
  const labels = new Uint8Array(m);
  let positives = 0;
  for (let k = 0; k < m; k++) {
    const v = y[rowIndex[k]];
    if (v !== 0 && v !== 1) throw new RangeError(`fitLogisticRegression: y[${rowIndex[k]}] = ${v}, labels must be 0 or 1`);
    labels[k] = v;
    positives += v;
  }
  const negatives = m - positives;
  if (positives === 0 || negatives === 0) {
    throw new RangeError(
      `fitLogisticRegression: need both classes in the rows used, got ${positives} positives and ${negatives} negatives`,
    );
  }
  const classW1 = classWeight === "balanced" ? m / (2 * positives) : 1;
  const classW0 = classWeight === "balanced" ? m / (2 * negatives) : 1;
  const sw = options.sampleWeight;
  if (sw !== undefined && sw.length !== n) {
    throw new RangeError(`fitLogisticRegression: sampleWeight has ${sw.length} values, expected n = ${n}`);
  }
  const w = new Float64Array(m);
  let wSum = 0;
  let wPos = 0;
  for (let k = 0; k < m; k++) {
    let wk = labels[k] === 1 ? classW1 : classW0;
    if (sw !== undefined) {
      const s = sw[rowIndex[k]];
      if (!(s >= 0) || !Number.isFinite(s)) throw new RangeError(`fitLogisticRegression: sampleWeight[${rowIndex[k]}] = ${s} must be finite and >= 0`);
      wk *= s;
    }
    w[k] = wk;
    wSum += wk;
    if (labels[k] === 1) wPos += wk;
  }
  if (!(wPos > 0) || !(wSum - wPos > 0)) {
    throw new RangeError("fitLogisticRegression: each class needs positive total sample weight");
  }

  // Internal coordinates: gamma_j = beta_j * scale_j, c = b + beta . mu.
  const { mu, scale } = weightedColumnStats(A, d, rowIndex, w, wSum, C);
  const D = d + 1; // internal vector: d coefficients then the intercept
  const x = new Float64Array(D);
  if (options.init !== undefined) {
    const { coefficients, intercept } = options.init;
    if (coefficients.length !== d) throw new RangeError(`fitLogisticRegression: init.coefficients has ${coefficients.length} values, expected d = ${d}`);
    let c = intercept;
    for (let j = 0; j < d; j++) {
      x[j] = coefficients[j] * scale[j];
      c += coefficients[j] * mu[j];
    }
    x[d] = c;
    if (!x.every(Number.isFinite)) throw new RangeError("fitLogisticRegression: init holds a non-finite value");
  } else {
    x[d] = Math.log(wPos / (wSum - wPos));
  }

  const beta = new Float64Array(d);
  const dBeta = new Float64Array(d);
  const margins = new Float64Array(m);
  const q = new Float64Array(m);
  const resid = new Float64Array(m);
  const rawGrad = new Float64Array(d);
  const G = new Float64Array(D);
  const Gnew = new Float64Array(D);
  const p = new Float64Array(D);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alphaTmp = new Float64Array(memory);
  const line = new Float64Array(3);
  const invC = 1 / C;
  // Preconditioner P = L L^T: a row-sampled Hessian in internal coordinates, the L-BFGS
  // initial inverse Hessian being gamma P^-1. Pairs (s, y) stay valid when P is rebuilt.
  const L = new Float64Array(D * D);
  const solveTmp = new Float64Array(D);
  const applyPreconditioner = (v: Float64Array): void => {
    forwardSolve(L, D, v, solveTmp);
    backSolve(L, D, solveTmp, v);
  };
  const rowNormSq = centredRowNorms(A, d, rowIndex, mu, scale);
  const zBuffer = new Float64Array(4 * D);
  const hessianSample = Math.round(Math.min(HESSIAN_SAMPLE_MAX, Math.max(HESSIAN_SAMPLE_MIN, m * HESSIAN_SAMPLE_SHARE)));
  const refreshPreconditioner = (): void => {
    const { sample, sampleWeight } = importanceSample(margins, w, rowNormSq, hessianSample);
    sampledHessian(A, d, rowIndex, sample, sampleWeight, mu, scale, invC, zBuffer, L);
    choleskyInPlace(L, D);
  };


  /** Maps the internal vector v to (coefficients -> out, return intercept). */
  const toOriginal = (v: Float64Array, out: Float64Array): number => {
    let b = v[d];
    for (let j = 0; j < d; j++) {
      out[j] = v[j] / scale[j];
      b -= out[j] * mu[j];
    }
    return b;
  };
  /** Internal gradient from the raw pass `rawGrad = A^T r`, `R = sum r`. */
  const internalGradient = (R: number, out: Float64Array): void => {
    for (let j = 0; j < d; j++) out[j] = (rawGrad[j] - mu[j] * R + beta[j] * invC) / scale[j];
    out[d] = R;
  };
  const maxAbs = (v: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < v.length; i++) s = Math.max(s, Math.abs(v[i]));
    return s;
  };
  const penalty = (): number => {
    let s = 0;
    for (let j = 0; j < d; j++) s += beta[j] * beta[j];
    return s * invC * 0.5;
  };
  /** Exact margins, residuals and gradient at the current x (one fused pass). */
  const fullEvaluation = (): number => {
    const b = toOriginal(x, beta);
    marginPass(A, d, rowIndex, b, beta, margins);
    const loss = residuals(margins, labels, w, resid);
    const R = gradientPass(A, d, rowIndex, resid, rawGrad);
    internalGradient(R, G);
    return loss + penalty();
  };

  let f = fullEvaluation();
  refreshPreconditioner();
  let lastRefreshGradient = maxAbs(G);
  let refreshes = 1;
  const maxRefreshes = options.init === undefined ? MAX_REFRESHES : MAX_REFRESHES_WARM;
  let evaluations = 1;
  let iterations = 0;
  let sinceRefresh = 0;
  let converged = false;
  const threshold = tolerance * wSum;

  for (;;) {
    if (maxAbs(G) <= threshold) {
      if (sinceRefresh > 0) {
        // Incremental margins may have drifted: confirm on exact ones.
        f = fullEvaluation();
        evaluations++;
        sinceRefresh = 0;
        continue;
      }
      converged = true;
      break;
    }
    if (iterations >= maxIterations) break;
    iterations++;

    if (refreshes < maxRefreshes && maxAbs(G) <= REFRESH_DROP * lastRefreshGradient) {
      refreshPreconditioner();
      refreshes++;
      lastRefreshGradient = maxAbs(G);
    }
    // Search direction p = -H G (two-loop recursion, H0 = gamma P^-1).
    twoLoop(G, S, Y, rho, alphaTmp, p, applyPreconditioner);
    let slope = dot(p, G);
    if (!(slope < 0)) {
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      twoLoop(G, S, Y, rho, alphaTmp, p, applyPreconditioner);
      slope = dot(p, G);
    }
    const db = toOriginal(p, dBeta);
    directionPass(A, d, rowIndex, db, dBeta, q);

    // Line search along a on phi(a) = f(x + a p), all on cached margins.
    let bb = 0;
    let bd = 0;
    let dd = 0;
    for (let j = 0; j < d; j++) {
      bb += beta[j] * beta[j];
      bd += beta[j] * dBeta[j];
      dd += dBeta[j] * dBeta[j];
    }
    const phiAt = (a: number): void => {
      lineValues(a, margins, q, labels, w, line);
      line[0] += (bb + a * (2 * bd + a * dd)) * 0.5 * invC;
      line[1] += (bd + a * dd) * invC;
      line[2] += dd * invC;
    };
    const phi0 = f;
    const dphi0 = slope;
    let lo = 0;
    let hi = Infinity;
    let a = 1;
    let accepted = false;
    for (let trial = 0; trial < 60; trial++) {
      phiAt(a);
      const fa = line[0];
      const da = line[1];
      const armijo = fa <= phi0 + C1 * a * dphi0 || fa <= phi0 + 1e-12 * Math.abs(phi0);
      if (armijo && Math.abs(da) <= C2 * Math.abs(dphi0)) {
        accepted = true;
        break;
      }
      if (!armijo || da > 0) hi = a;
      else lo = a;
      let next = a - da / line[2];
      if (!(next > lo && next < hi) || !Number.isFinite(next)) next = hi === Infinity ? 4 * a : 0.5 * (lo + hi);
      if (hi < Infinity && hi - lo <= 1e-15 * hi) break;
      a = next;
    }
    if (!accepted) {
      // No step met the conditions (rounding at the optimum or a bad direction): restart once
      // from steepest descent, otherwise stop with converged = false.
      if (S.length > 0) {
        S.length = 0;
        Y.length = 0;
        rho.length = 0;
        continue;
      }
      break;
    }

    // Take the step.
    for (let i = 0; i < D; i++) x[i] += a * p[i];
    const b = toOriginal(x, beta);
    sinceRefresh++;
    if (sinceRefresh >= REFRESH_EVERY) {
      marginPass(A, d, rowIndex, b, beta, margins);
      sinceRefresh = 0;
    } else {
      for (let k = 0; k < m; k++) margins[k] += a * q[k];
    }
    const loss = residuals(margins, labels, w, resid);
    const R = gradientPass(A, d, rowIndex, resid, rawGrad);
    evaluations++;
    f = loss + penalty();
    const sVec = new Float64Array(D);
    const yVec = new Float64Array(D);
    internalGradient(R, Gnew);
    let sy = 0;
    for (let i = 0; i < D; i++) {
      sVec[i] = a * p[i];
      yVec[i] = Gnew[i] - G[i];
      sy += sVec[i] * yVec[i];
    }
    G.set(Gnew);
    if (sy > 1e-300) {
      if (S.length === memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(sVec);
      Y.push(yVec);
      rho.push(1 / sy);
    }
  }

  const coefficients = new Float64Array(d);
  const intercept = toOriginal(x, coefficients);
  // Gradient in the caller's coordinates: d/d beta_j = (A^T r)_j + beta_j / C, d/db = sum r.
  let gradientNorm = Math.abs(G[d]);
  for (let j = 0; j < d; j++) gradientNorm = Math.max(gradientNorm, Math.abs(rawGrad[j] + coefficients[j] * invC));
  return { coefficients, intercept, objective: f, gradientNorm, iterations, evaluations, converged };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * L-BFGS two-loop recursion: out = -H g, where H is the limited-memory inverse Hessian
 * built on H0 = gamma P^-1 (`applyH0` applies P^-1 in place) with the usual scaling
 * gamma = s.y / (y P^-1 y) of the newest pair.
 */
function twoLoop(
  g: Float64Array,
  S: Float64Array[],
  Y: Float64Array[],
  rho: number[],
  alpha: Float64Array,
  out: Float64Array,
  applyH0: (v: Float64Array) => void,
): void {
  const D = g.length;
  for (let i = 0; i < D; i++) out[i] = -g[i];
  const k = S.length;
  for (let i = k - 1; i >= 0; i--) {
    const a = rho[i] * dot(S[i], out);
    alpha[i] = a;
    const yi = Y[i];
    for (let t = 0; t < D; t++) out[t] -= a * yi[t];
  }
  applyH0(out);
  if (k > 0) {
    const yk = Y[k - 1];
    const py = Float64Array.from(yk);
    applyH0(py);
    const gamma = 1 / (rho[k - 1] * dot(yk, py));
    for (let t = 0; t < D; t++) out[t] *= gamma;
  }
  for (let i = 0; i < k; i++) {
    const bcoef = rho[i] * dot(Y[i], out);
    const si = S[i];
    const c = alpha[i] - bcoef;
    for (let t = 0; t < D; t++) out[t] += c * si[t];
  }
}

/**
 * Weighted column means and the internal scales `sqrt(sd^2 + 4 / (C sum w))` (the square
 * root of the start Hessian's diagonal, per unit weight), one pass, shifted sums.
 */
function weightedColumnStats(
  A: Float64Array,
  d: number,
  rowIndex: Int32Array,
  w: Float64Array,
  wSum: number,
  C: number,
): { mu: Float64Array; scale: Float64Array } {
  const shift = A.slice(rowIndex[0] * d, rowIndex[0] * d + d);
  const s1 = new Float64Array(d);
  const s2 = new Float64Array(d);
  for (let k = 0; k < rowIndex.length; k++) {
    const o = rowIndex[k] * d;
    const wk = w[k];
    if (wk === 0) continue;
    for (let j = 0; j < d; j++) {
      const v = A[o + j] - shift[j];
      const wv = wk * v;
      s1[j] += wv;
      s2[j] += wv * v;
    }
  }
  const mu = new Float64Array(d);
  const scale = new Float64Array(d);
  const ridge = 4 / (C * wSum);
  for (let j = 0; j < d; j++) {
    const mean = s1[j] / wSum;
    const variance = Math.max(0, s2[j] / wSum - mean * mean);
    mu[j] = shift[j] + mean;
    scale[j] = Math.sqrt(variance + ridge);
  }
  return { mu, scale };
}

/** margins[k] = b + A[rows[k]] . beta. */
function marginPass(A: Float64Array, d: number, rowIndex: Int32Array, b: number, beta: Float64Array, out: Float64Array): void {
  directionPass(A, d, rowIndex, b, beta, out);
}

/** out[k] = c + A[rows[k]] . v, four accumulators to break the add latency chain. */
function directionPass(A: Float64Array, d: number, rowIndex: Int32Array, c: number, v: Float64Array, out: Float64Array): void {
  const m = rowIndex.length;
  const d4 = d - (d % 4);
  for (let k = 0; k < m; k++) {
    const o = rowIndex[k] * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j < d4; j += 4) {
      s0 += A[o + j] * v[j];
      s1 += A[o + j + 1] * v[j + 1];
      s2 += A[o + j + 2] * v[j + 2];
      s3 += A[o + j + 3] * v[j + 3];
    }
    for (; j < d; j++) s0 += A[o + j] * v[j];
    out[k] = c + (s0 + s1 + (s2 + s3));
  }
}

/** out = A[rows]^T r; returns sum r. Four rows per sweep of `out` to cut its loads/stores. */
function gradientPass(A: Float64Array, d: number, rowIndex: Int32Array, r: Float64Array, out: Float64Array): number {
  out.fill(0);
  const m = rowIndex.length;
  let R = 0;
  let k = 0;
  for (; k + 3 < m; k += 4) {
    const r0 = r[k];
    const r1 = r[k + 1];
    const r2 = r[k + 2];
    const r3 = r[k + 3];
    R += r0 + r1 + r2 + r3;
    const o0 = rowIndex[k] * d;
    const o1 = rowIndex[k + 1] * d;
    const o2 = rowIndex[k + 2] * d;
    const o3 = rowIndex[k + 3] * d;
    for (let j = 0; j < d; j++) out[j] += r0 * A[o0 + j] + r1 * A[o1 + j] + r2 * A[o2 + j] + r3 * A[o3 + j];
  }
  for (; k < m; k++) {
    const rk = r[k];
    R += rk;
    const o = rowIndex[k] * d;
    for (let j = 0; j < d; j++) out[j] += rk * A[o + j];
  }
  return R;
}

/** resid[k] = w_k (sigmoid(m_k) - y_k); returns sum_k w_k logloss_k (softplus form, no overflow). */
function residuals(margins: Float64Array, labels: Uint8Array, w: Float64Array, resid: Float64Array): number {
  let loss = 0;
  for (let k = 0; k < margins.length; k++) {
    const t = margins[k];
    const u = labels[k] === 1 ? -t : t; // loss = softplus(u)
    const e = Math.exp(-Math.abs(u));
    const s = u >= 0 ? 1 / (1 + e) : e / (1 + e); // sigmoid(u)
    const wk = w[k];
    loss += wk * ((u > 0 ? u : 0) + Math.log1p(e));
    resid[k] = wk * (labels[k] === 1 ? -s : s);
  }
  return loss;
}

/** out = [sum w logloss(m + a q), its derivative in a, its second derivative], no penalty. */
function lineValues(a: number, margins: Float64Array, q: Float64Array, labels: Uint8Array, w: Float64Array, out: Float64Array): void {
  let f = 0;
  let g = 0;
  let h = 0;
  for (let k = 0; k < margins.length; k++) {
    const qk = q[k];
    const t = margins[k] + a * qk;
    const u = labels[k] === 1 ? -t : t;
    const e = Math.exp(-Math.abs(u));
    const inv = 1 / (1 + e);
    const s = u >= 0 ? inv : e * inv;
    const wk = w[k];
    f += wk * ((u > 0 ? u : 0) + Math.log1p(e));
    g += wk * (labels[k] === 1 ? -s : s) * qk;
    h += wk * e * inv * inv * qk * qk;
  }
  out[0] = f;
  out[1] = g;
  out[2] = h;
}
