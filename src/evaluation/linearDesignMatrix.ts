import { FEATURE_COUNT } from "../core/featureNames.js";
import type { StandardScaler } from "../training/standardScaler.js";

/**
 * The plain baseline's design: the 20 standardised features only (no products), dense
 * row-major `rows.length x 20`, row `k` from raw row `rows[k]`; `out` may be reused.
 */
export function buildLinearDesignMatrix(X: Float64Array, _n: number, scaler: StandardScaler, rows: Int32Array, out?: Float64Array): Float64Array {
  const size = rows.length * FEATURE_COUNT;
  if (out !== undefined && out.length < size) throw new RangeError(`buildLinearDesignMatrix: out holds ${out.length} values, ${size} are needed`);
  const A = out === undefined ? new Float64Array(size) : out.subarray(0, size);
  for (let k = 0; k < rows.length; k++) {
    const o = rows[k] * FEATURE_COUNT;
    for (let j = 0; j < FEATURE_COUNT; j++) A[k * FEATURE_COUNT + j] = (X[o + j] - scaler.mean[j]) / scaler.scale[j];
  }
  return A;
}
