import { polynomialTerms, termCount } from "../core/polynomialTerms.js";
import type { Design } from "./design.js";
import { weightedColumnMoments } from "./logisticObjective.js";

/**
 * Coefficients times the population sd of their design column over `rows`: the change in
 * margin for a one-sd change of the term, comparable across terms whose spreads differ (a
 * product of two standardised features does not have unit variance).
 */
export function standardisedCoefficients(coefficients: Float64Array, A: Design, rows: Int32Array): Float64Array {
  const d = coefficients.length;
  if (A.d !== d) throw new RangeError(`standardisedCoefficients: ${d} coefficients for a design of ${A.d} columns`);
  if (rows.length === 0) throw new RangeError("standardisedCoefficients: no rows");
  const { variance } = weightedColumnMoments(A, rows, new Float64Array(rows.length).fill(1), rows.length);
  return Float64Array.from(coefficients, (c, j) => c * Math.sqrt(variance[j]));
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
