import { polynomialTerms, termCount } from "../core/polynomialTerms.js";
import { checkMatrix, resolveRows } from "./rowSelection.js";

/**
 * Coefficients times the population sd of their design column (over all rows, or `rows`):
 * the change in margin for a one-sd change of the term, comparable across terms whose
 * spreads differ (a product of two standardised features does not have unit variance).
 * `A` is the dense row-major `n x coefficients.length` design matrix.
 */
export function standardisedCoefficients(coefficients: Float64Array, A: Float64Array, n: number, rows?: Int32Array): Float64Array {
  const d = coefficients.length;
  checkMatrix(A, n, d, "standardisedCoefficients");
  const used = resolveRows(n, rows, "standardisedCoefficients");
  if (used.length === 0) throw new RangeError("standardisedCoefficients: no rows");
  const shift = A.slice(used[0] * d, used[0] * d + d);
  const s1 = new Float64Array(d);
  const s2 = new Float64Array(d);
  for (let k = 0; k < used.length; k++) {
    const o = used[k] * d;
    for (let j = 0; j < d; j++) {
      const v = A[o + j] - shift[j];
      s1[j] += v;
      s2[j] += v * v;
    }
  }
  const out = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const mean = s1[j] / used.length;
    out[j] = coefficients[j] * Math.sqrt(Math.max(0, s2[j] / used.length - mean * mean));
  }
  return out;
}

/** The `k` terms with the largest |standardised coefficient|, largest first (ties: term order). */
export function topTerms(stdCoef: ArrayLike<number>, names: readonly string[], k = 15): Array<{ term: string; coefficient: number }> {
  if (names.length !== stdCoef.length) throw new RangeError(`topTerms: ${stdCoef.length} coefficients but ${names.length} names`);
  const order = Array.from({ length: stdCoef.length }, (_, i) => i);
  order.sort((a, b) => Math.abs(stdCoef[b]) - Math.abs(stdCoef[a]) || a - b);
  return order.slice(0, Math.max(0, k)).map((i) => ({ term: names[i], coefficient: stdCoef[i] }));
}

/**
 * Importance of each of the `features` raw features (contract order; the degree-2 model of F
 * features has termCount(F) coefficients): the sum of |standardised
 * coefficient| over every term that involves it (z_i, each z_i * z_j, and z_i^2 once; a
 * product z_i * z_j counts fully for both i and j), normalised to sum 1. With interactions
 * a feature's effect cannot be split exactly, so this is a ranking aid, not a decomposition.
 * All-zero coefficients give all zeros.
 */
export function perFeatureImportance(stdCoef: ArrayLike<number>, features: number): Float64Array {
  if (stdCoef.length !== termCount(features)) {
    throw new RangeError(`perFeatureImportance: ${features} features need ${termCount(features)} coefficients, got ${stdCoef.length}`);
  }
  const out = new Float64Array(features);
  polynomialTerms(features).forEach(([i, j], t) => {
    const v = Math.abs(stdCoef[t]);
    out[i] += v;
    if (j >= 0 && j !== i) out[j] += v;
  });
  let total = 0;
  for (let i = 0; i < features; i++) total += out[i];
  if (total > 0) for (let i = 0; i < features; i++) out[i] /= total;
  return out;
}
