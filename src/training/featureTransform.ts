import { clampToDomain } from "../core/featureDomain.js";
import { checkMatrix, resolveRows } from "./rowSelection.js";
import { fitStandardScaler } from "./standardScaler.js";

/**
 * The share of training windows left outside the domain at each end: 0.1 %. The default
 * domain of a trained model is `[q(0.001), q(0.999)]` of each feature over its training rows
 * (docs/model.md).
 */
export const DOMAIN_QUANTILE = 0.001;

/**
 * The raw-feature preprocessing of a model, fitted on its training rows: clamp each feature
 * to the domain `[low, high]` (see core/featureDomain), then standardise,
 * `z = (clamp(x) - mean) / scale`. Without a domain, `low`/`high` are null and nothing is
 * clamped.
 */
export interface FeatureTransform {
  low: Float64Array | null;
  high: Float64Array | null;
  mean: Float64Array;
  scale: Float64Array;
}

/**
 * Fits the transform on `rows` of the `n x F` raw matrix `X`: the domain is the
 * `[quantile, 1 - quantile]` range of each feature over those rows (`domainQuantile` null: no
 * domain), and the scaler (population sd, see fitStandardScaler) is fitted on the clamped
 * values, so training sees exactly what scoring will.
 */
export function fitFeatureTransform(X: Float64Array, n: number, F: number, rows: Int32Array, domainQuantile: number | null): FeatureTransform {
  checkMatrix(X, n, F, "fitFeatureTransform");
  const used = resolveRows(n, rows, "fitFeatureTransform");
  if (used.length === 0) throw new RangeError("fitFeatureTransform: no rows to fit on");
  if (domainQuantile === null) {
    const { mean, scale } = fitStandardScaler(X, n, F, used);
    return { low: null, high: null, mean, scale };
  }
  if (!(domainQuantile >= 0 && domainQuantile < 0.5)) throw new RangeError(`fitFeatureTransform: domainQuantile must be in [0, 0.5), got ${domainQuantile}`);
  const m = used.length;
  const low = new Float64Array(F);
  const high = new Float64Array(F);
  const mean = new Float64Array(F);
  const scale = new Float64Array(F);
  // One column at a time in one reused buffer: a clamped copy of the matrix would cost 8 F
  // bytes per row (333 MB for 1.6 M training windows).
  const column = new Float64Array(m);
  for (let j = 0; j < F; j++) {
    for (let k = 0; k < m; k++) column[k] = X[used[k] * F + j];
    low[j] = quantile(column, domainQuantile);
    high[j] = quantile(column, 1 - domainQuantile);
    for (let k = 0; k < m; k++) column[k] = clampToDomain(column[k], low[j], high[j]);
    const scaler = fitStandardScaler(column, m, 1);
    mean[j] = scaler.mean[0];
    scale[j] = scaler.scale[0];
  }
  return { low, high, mean, scale };
}

/**
 * The `q` quantile of `values` by linear interpolation between order statistics (numpy's
 * default), by selection rather than a full sort: `values` is reordered.
 */
export function quantile(values: Float64Array, q: number): number {
  const position = q * (values.length - 1);
  const below = Math.floor(position);
  const lower = select(values, below, 0, values.length - 1);
  if (below + 1 >= values.length || position === below) return lower;
  // After selection everything right of `below` is >= it: the next order statistic is their minimum.
  let upper = Infinity;
  for (let i = below + 1; i < values.length; i++) if (values[i] < upper) upper = values[i];
  return lower + (upper - lower) * (position - below);
}

/** Hoare's quickselect: puts the k-th smallest of `a[lo..hi]` at `k`, smaller ones left of it. */
function select(a: Float64Array, k: number, lo: number, hi: number): number {
  while (hi > lo) {
    // Median of three as pivot: sorted or constant columns stay O(n).
    const mid = (lo + hi) >>> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/**
 * The transform of the first `F` features only: what fitting on those columns alone gives,
 * since every feature's domain and scaler depend on its own column (the `seed` set is the
 * `ads` set's first 20 columns).
 */
export function leadingFeatures(t: FeatureTransform, F: number): FeatureTransform {
  if (!(F >= 1 && F <= t.mean.length)) throw new RangeError(`leadingFeatures: F must be in 1..${t.mean.length}, got ${F}`);
  return { low: t.low?.slice(0, F) ?? null, high: t.high?.slice(0, F) ?? null, mean: t.mean.slice(0, F), scale: t.scale.slice(0, F) };
}
