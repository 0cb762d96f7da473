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
 *
 * `out` lets callers reuse one buffer (e.g. across CV folds): the result is then a view of
 * its first values. Worth it: the first write to each page of a fresh 90 MB array costs more
 * here than filling it. `degree` 1 gives the 20 standardised features only (the plain
 * logistic baseline of the evaluation).
 */
export function buildDesignMatrix(
  X: Float64Array,
  n: number,
  scaler: StandardScaler,
  rows?: Int32Array,
  out?: Float64Array,
  degree: 1 | 2 = 2,
): Float64Array {
  checkMatrix(X, n, FEATURE_COUNT, "buildDesignMatrix");
  if (scaler.mean.length !== FEATURE_COUNT || scaler.scale.length !== FEATURE_COUNT) {
    throw new RangeError(
      `buildDesignMatrix: scaler must have ${FEATURE_COUNT} means and scales, got ${scaler.mean.length} and ${scaler.scale.length}`,
    );
  }
  const used = resolveRows(n, rows, "buildDesignMatrix");
  const width = degree === 2 ? TERM_COUNT : FEATURE_COUNT;
  const size = used.length * width;
  if (out !== undefined && out.length < size) {
    throw new RangeError(`buildDesignMatrix: out holds ${out.length} values, ${size} are needed`);
  }
  const A = out === undefined ? new Float64Array(size) : out.subarray(0, size);
  const z = new Float64Array(FEATURE_COUNT);
  for (let k = 0; k < used.length; k++) {
    const o = used[k] * FEATURE_COUNT;
    for (let j = 0; j < FEATURE_COUNT; j++) z[j] = (X[o + j] - scaler.mean[j]) / scaler.scale[j];
    if (degree === 2) expandPolynomial(z, A, k * TERM_COUNT);
    else A.set(z, k * FEATURE_COUNT);
  }
  return A;
}
