import { expandPolynomial, termCount } from "../core/polynomialTerms.js";
import { checkMatrix, resolveRows } from "./rowSelection.js";
import type { StandardScaler } from "./standardScaler.js";

/**
 * The model's design matrix: each raw feature row (F values in contract order, F = the
 * scaler's width: 26 for the `ads` set, 20 for `seed`) is standardised with `scaler` and
 * expanded to the `termCount(F)` degree-2 terms (377 or 230) by the same `expandPolynomial`
 * the scorer uses, so training and serving cannot disagree. Returns a dense row-major
 * `rows.length x termCount(F)` matrix (all `n` rows when `rows` is omitted), row `k` coming
 * from raw row `rows[k]`.
 *
 * `out` lets callers reuse one buffer (e.g. across CV folds): the result is then a view of
 * its first values. Worth it: the first write to each page of a fresh 90 MB array costs more
 * here than filling it. `degree` 1 gives the F standardised features only (the plain
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
  const F = scaler.mean.length;
  if (scaler.scale.length !== F) {
    throw new RangeError(`buildDesignMatrix: scaler has ${F} means but ${scaler.scale.length} scales`);
  }
  checkMatrix(X, n, F, "buildDesignMatrix");
  if (n > 0 && X.length !== n * F) {
    throw new RangeError(`buildDesignMatrix: matrix has ${X.length} values, not n * F = ${n} * ${F} (scaler width F): scaler and features disagree`);
  }
  const used = resolveRows(n, rows, "buildDesignMatrix");
  const width = degree === 2 ? termCount(F) : F;
  const size = used.length * width;
  if (out !== undefined && out.length < size) {
    throw new RangeError(`buildDesignMatrix: out holds ${out.length} values, ${size} are needed`);
  }
  const A = out === undefined ? new Float64Array(size) : out.subarray(0, size);
  const z = new Float64Array(F);
  for (let k = 0; k < used.length; k++) {
    const o = used[k] * F;
    for (let j = 0; j < F; j++) z[j] = (X[o + j] - scaler.mean[j]) / scaler.scale[j];
    if (degree === 2) expandPolynomial(z, A, k * width, F);
    else A.set(z, k * F);
  }
  return A;
}
