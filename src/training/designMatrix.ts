import { FEATURE_COUNT } from "../core/featureNames.js";
import { expandPolynomial, TERM_COUNT } from "../core/polynomialTerms.js";
import { checkMatrix, resolveRows } from "./rowSelection.js";
import type { StandardScaler } from "./standardScaler.js";

/**
 * The model's design matrix: each raw feature row (20 values, contract order) is
 * standardised with `scaler` and expanded to the 230 degree-2 terms by the same
 * `expandPolynomial` the scorer uses, so training and serving cannot disagree.
 * Returns a dense row-major `rows.length x 230` matrix (all `n` rows when `rows` is omitted),
 * row `k` coming from raw row `rows[k]`.
 */
export function buildDesignMatrix(X: Float64Array, n: number, scaler: StandardScaler, rows?: Int32Array): Float64Array {
  checkMatrix(X, n, FEATURE_COUNT, "buildDesignMatrix");
  if (scaler.mean.length !== FEATURE_COUNT || scaler.scale.length !== FEATURE_COUNT) {
    throw new RangeError(
      `buildDesignMatrix: scaler must have ${FEATURE_COUNT} means and scales, got ${scaler.mean.length} and ${scaler.scale.length}`,
    );
  }
  const used = resolveRows(n, rows, "buildDesignMatrix");
  const out = new Float64Array(used.length * TERM_COUNT);
  const z = new Float64Array(FEATURE_COUNT);
  for (let k = 0; k < used.length; k++) {
    const o = used[k] * FEATURE_COUNT;
    for (let j = 0; j < FEATURE_COUNT; j++) z[j] = (X[o + j] - scaler.mean[j]) / scaler.scale[j];
    expandPolynomial(z, out, k * TERM_COUNT);
  }
  return out;
}
