import { checkMatrix, resolveRows } from "./rowSelection.js";

/** Per-column centre and scale: `z = (x - mean) / scale`. */
export interface StandardScaler {
  mean: Float64Array;
  scale: Float64Array;
}

/**
 * Fits a standardiser on the rows used (all rows, or `rows`) of a dense row-major `n x d`
 * matrix, as scikit-learn's `StandardScaler` does: population sd (divide by the row count,
 * not count - 1), and a column with sd 0 gets scale 1 so constant features stay finite.
 * Sums are shifted by the first used row's values, so a large mean does not swamp a small
 * spread.
 */
export function fitStandardScaler(X: Float64Array, n: number, d: number, rows?: Int32Array): StandardScaler {
  checkMatrix(X, n, d, "fitStandardScaler");
  const used = resolveRows(n, rows, "fitStandardScaler");
  const m = used.length;
  if (m === 0) throw new RangeError("fitStandardScaler: no rows to fit on (n = 0 or rows is empty)");
  const shift = X.slice(used[0] * d, used[0] * d + d);
  const sum = new Float64Array(d);
  const sumSq = new Float64Array(d);
  for (let k = 0; k < m; k++) {
    const o = used[k] * d;
    for (let j = 0; j < d; j++) {
      const v = X[o + j] - shift[j];
      sum[j] += v;
      sumSq[j] += v * v;
    }
  }
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const mu = sum[j] / m;
    const variance = Math.max(0, sumSq[j] / m - mu * mu);
    mean[j] = shift[j] + mu;
    const sd = Math.sqrt(variance);
    scale[j] = sd > 0 ? sd : 1;
  }
  return { mean, scale };
}
