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
  const column = new Float64Array(m);
  for (let j = 0; j < F; j++) {
    for (let k = 0; k < m; k++) column[k] = X[used[k] * F + j];
    column.sort();
    low[j] = orderStatistic(column, domainQuantile);
    high[j] = orderStatistic(column, 1 - domainQuantile);
  }
  const clamped = new Float64Array(m * F);
  for (let k = 0; k < m; k++) {
    const o = used[k] * F;
    for (let j = 0; j < F; j++) clamped[k * F + j] = clampToDomain(X[o + j], low[j], high[j]);
  }
  const { mean, scale } = fitStandardScaler(clamped, m, F);
  return { low, high, mean, scale };
}

/** The `q` quantile of sorted values, by linear interpolation between order statistics (numpy's default). */
function orderStatistic(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}
