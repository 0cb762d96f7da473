import type { Design } from "./design.js";
import { expNegAbs, sigmoidSlopeFromExp } from "../core/sigmoid.js";

// The preconditioner of the logistic-regression solver: a Hessian estimated on a
// deterministic importance sample of rows, factorised by Cholesky. @internal

/** Squared norms of the centred, scaled rows (the intercept's 1 included). */
export function centredRowNorms(A: Design, rowIndex: Int32Array, mu: Float64Array, scale: Float64Array): Float64Array {
  const d = A.d;
  const out = new Float64Array(rowIndex.length);
  const inv = Float64Array.from(scale, (v) => 1 / v);
  const row = new Float64Array(d);
  for (let k = 0; k < rowIndex.length; k++) {
    A.row(rowIndex[k], row, 0);
    let s = 1;
    for (let j = 0; j < d; j++) {
      const v = (row[j] - mu[j]) * inv[j];
      s += v * v;
    }
    out[k] = s;
  }
  return out;
}

/**
 * Picks about `count` rows for the Hessian estimate, each with probability proportional to
 * its share of the Hessian's trace (`w h ||row||^2`, capped at 1), by systematic sampling
 * (deterministic). Weights 1/probability make the estimate unbiased. Uniform sampling misses
 * the few extreme rows that dominate the curvature of heavy-tailed polynomial terms; this
 * keeps them with certainty.
 */
export function importanceSample(
  margins: Float64Array,
  w: Float64Array,
  rowNormSq: Float64Array,
  count: number,
): { sample: Int32Array; sampleWeight: Float64Array } {
  const m = margins.length;
  const h = new Float64Array(m); // w * sigmoid'(margin) per row
  const v = new Float64Array(m);
  let total = 0;
  for (let k = 0; k < m; k++) {
    h[k] = sigmoidSlopeFromExp(expNegAbs(margins[k]), w[k]);
    v[k] = h[k] * rowNormSq[k];
    total += v[k];
  }
  if (m <= count || !(total > 0)) {
    return { sample: Int32Array.from({ length: m }, (_, k) => k), sampleWeight: h };
  }
  // Scale c with sum_k min(1, c v_k) = count: rows with c v_k >= 1 are taken for sure.
  let c = count / total;
  for (let iter = 0; iter < 50; iter++) {
    let certain = 0;
    let rest = 0;
    for (let k = 0; k < m; k++) {
      if (c * v[k] >= 1) certain++;
      else rest += v[k];
    }
    const next = rest > 0 ? (count - certain) / rest : c;
    if (!(next > c * (1 + 1e-12))) break;
    c = next;
  }
  const picked: number[] = [];
  const weights: number[] = [];
  let cumulative = 0;
  let threshold = 0.5;
  for (let k = 0; k < m; k++) {
    const pi = Math.min(1, c * v[k]);
    if (pi <= 0) continue;
    cumulative += pi;
    if (pi >= 1 || cumulative >= threshold) {
      picked.push(k);
      weights.push(h[k] / pi);
      while (threshold <= cumulative) threshold += 1;
    }
  }
  return { sample: Int32Array.from(picked), sampleWeight: Float64Array.from(weights) };
}

/**
 * Lower triangle of the data part of the Hessian in centred coordinates,
 * `G = sum_s weight_s c_s c_s^T` over the sampled rows `c = (row - mu, 1)` (the intercept's 1
 * last), into `G` (D x D, D = d + 1). Unscaled, so it serves any C along a path
 * (see {@link internalHessian}). Rows are taken four at a time so each sweep of the triangle
 * does four multiply-adds per entry.
 */
export function sampledGram(
  A: Design,
  rowIndex: Int32Array,
  sample: Int32Array,
  sampleWeight: Float64Array,
  mu: Float64Array,
  z: Float64Array,
  G: Float64Array,
): void {
  if (A.sampledGram !== undefined) {
    A.sampledGram(rowIndex, sample, sampleWeight, mu, G);
    return;
  }
  const d = A.d;
  const D = d + 1;
  G.fill(0);
  const h = new Float64Array(4);
  for (let start = 0; start < sample.length; start += 4) {
    const count = Math.min(4, sample.length - start);
    for (let b = 0; b < 4; b++) {
      const zo = b * D;
      if (b >= count) {
        h[b] = 0;
        z.fill(0, zo, zo + D);
        continue;
      }
      A.row(rowIndex[sample[start + b]], z, zo);
      for (let j = 0; j < d; j++) z[zo + j] -= mu[j];
      z[zo + d] = 1;
      h[b] = sampleWeight[start + b];
    }
    const h0 = h[0];
    const h1 = h[1];
    const h2 = h[2];
    const h3 = h[3];
    for (let j = 0; j < D; j++) {
      const t0 = h0 * z[j];
      const t1 = h1 * z[D + j];
      const t2 = h2 * z[2 * D + j];
      const t3 = h3 * z[3 * D + j];
      const row = j * D;
      for (let c = 0; c <= j; c++) G[row + c] += t0 * z[c] + t1 * z[D + c] + t2 * z[2 * D + c] + t3 * z[3 * D + c];
    }
  }
}

/**
 * The Hessian estimate in internal coordinates from a centred Gram `G` (lower triangle):
 * `H_ij = G_ij / (scale_i scale_j)` (the intercept's scale is 1) plus the penalty's diagonal
 * `invC_j / scale_j^2`, into `H`.
 */
export function internalHessian(G: Float64Array, scale: Float64Array, invC: Float64Array, H: Float64Array): void {
  const d = scale.length;
  const D = d + 1;
  const inv = new Float64Array(D);
  for (let j = 0; j < d; j++) inv[j] = 1 / scale[j];
  inv[d] = 1;
  for (let i = 0; i < D; i++) {
    const row = i * D;
    const si = inv[i];
    for (let j = 0; j <= i; j++) H[row + j] = G[row + j] * si * inv[j];
  }
  for (let j = 0; j < d; j++) H[j * D + j] += invC[j] * inv[j] * inv[j];
}

/**
 * In-place Cholesky factorisation H = L L^T of the lower triangle (upper part ignored and
 * zeroed). A sampled Hessian can be singular in the intercept-only corner of a tiny sample,
 * so a failing pivot gets a small diagonal jitter and the factorisation restarts.
 */
export function choleskyInPlace(H: Float64Array, D: number): void {
  const original = H.slice();
  let trace = 0;
  for (let i = 0; i < D; i++) trace += original[i * D + i];
  let jitter = 0;
  for (let attempt = 0; attempt < 30; attempt++) {
    let ok = true;
    H.set(original);
    for (let i = 0; i < D; i++) H[i * D + i] += jitter;
    for (let j = 0; j < D && ok; j++) {
      const rj = j * D;
      let diag = H[rj + j];
      for (let t = 0; t < j; t++) diag -= H[rj + t] * H[rj + t];
      if (!(diag > 1e-14 * (trace / D))) {
        ok = false;
        break;
      }
      const ljj = Math.sqrt(diag);
      H[rj + j] = ljj;
      // Rows below j, four at a time: each value of row j is loaded once for four rows, and
      // the four sums are independent (no add-latency chain).
      let i = j + 1;
      for (; i + 3 < D; i += 4) {
        const r0 = i * D;
        const r1 = r0 + D;
        const r2 = r1 + D;
        const r3 = r2 + D;
        let v0 = H[r0 + j];
        let v1 = H[r1 + j];
        let v2 = H[r2 + j];
        let v3 = H[r3 + j];
        for (let t = 0; t < j; t++) {
          const l = H[rj + t];
          v0 -= H[r0 + t] * l;
          v1 -= H[r1 + t] * l;
          v2 -= H[r2 + t] * l;
          v3 -= H[r3 + t] * l;
        }
        H[r0 + j] = v0 / ljj;
        H[r1 + j] = v1 / ljj;
        H[r2 + j] = v2 / ljj;
        H[r3 + j] = v3 / ljj;
      }
      for (; i < D; i++) {
        const ri = i * D;
        let v = H[ri + j];
        for (let t = 0; t < j; t++) v -= H[ri + t] * H[rj + t];
        H[ri + j] = v / ljj;
      }
    }
    if (ok) {
      for (let i = 0; i < D; i++) for (let j = i + 1; j < D; j++) H[i * D + j] = 0;
      return;
    }
    jitter = jitter === 0 ? 1e-10 * (trace / D) : jitter * 10;
  }
  throw new RangeError("fitLogisticRegression: could not factor the Hessian estimate (non-finite data?)");
}

/** Solves L out = g (L lower triangular, row-major D x D). */
export function forwardSolve(L: Float64Array, D: number, g: Float64Array, out: Float64Array): void {
  for (let i = 0; i < D; i++) {
    const ri = i * D;
    let v = g[i];
    for (let t = 0; t < i; t++) v -= L[ri + t] * out[t];
    out[i] = v / L[ri + i];
  }
}

/** Solves L^T out = v. */
export function backSolve(L: Float64Array, D: number, v: Float64Array, out: Float64Array): void {
  for (let i = D - 1; i >= 0; i--) {
    let s = v[i];
    for (let t = i + 1; t < D; t++) s -= L[t * D + i] * out[t];
    out[i] = s / L[i * D + i];
  }
}
