import { termCount } from "../core/polynomialTerms.js";
import { TOLERANCE } from "./crossValidate.js";
import { buildDesignMatrix } from "./designMatrix.js";
import { standardisedCoefficients } from "./featureImportance.js";
import { fitLogisticRegression, type LogisticFit } from "./logisticRegression.js";
import { fitStandardScaler, type StandardScaler } from "./standardScaler.js";

/** The shipped fit: scaler, solver result, and the coefficients in standard-deviation units. */
export interface Degree2Fit {
  scaler: StandardScaler;
  fit: LogisticFit;
  /** Coefficient x sd of its term over the fitted rows (see standardisedCoefficients). */
  standardisedCoefficients: Float64Array;
}

/**
 * Standardises the raw features of `rows` of the `n x features` matrix `X` (scaler fitted on
 * them), expands the degree-2 terms and fits balanced L2 logistic regression at `C`. `buffer`
 * (>= rows x termCount(features) values) holds the design and may be reused by the caller
 * afterwards. Throws if the solver does not converge.
 */
export function fitDegree2Model(
  X: Float64Array,
  n: number,
  features: number,
  y: Uint8Array,
  rows: Int32Array,
  C: number,
  buffer?: Float64Array,
): Degree2Fit {
  const scaler = fitStandardScaler(X, n, features, rows);
  const A = buildDesignMatrix(X, n, scaler, rows, buffer);
  const labels = Uint8Array.from(rows, (r) => y[r]);
  const fit = fitLogisticRegression(A, rows.length, termCount(features), labels, { C, tolerance: TOLERANCE });
  if (!fit.converged) throw new Error(`the solver did not converge (gradient ${fit.gradientNorm} after ${fit.iterations} iterations)`);
  return { scaler, fit, standardisedCoefficients: standardisedCoefficients(fit.coefficients, A, rows.length) };
}
