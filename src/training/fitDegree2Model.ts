import { TOLERANCE } from "./crossValidate.js";
import { Degree2Design } from "./degree2Design.js";
import { standardisedCoefficients } from "./featureImportance.js";
import type { FeatureTransform } from "./featureTransform.js";
import { fitLogistic, type LogisticFit } from "./logisticRegression.js";

/** A shipped-style fit: transform, solver result, and the coefficients in standard-deviation units. */
export interface Degree2Fit {
  transform: FeatureTransform;
  design: Degree2Design;
  fit: LogisticFit;
  /** Coefficient x sd of its term over the fitted rows (see standardisedCoefficients). */
  standardisedCoefficients: Float64Array;
}

/**
 * Fits balanced L2 logistic regression at `C` on `rows` of the raw `n x F` matrix `X`,
 * transformed by `transform` (fitted on those rows, see fitFeatureTransform) and expanded to
 * the terms of `degree` on the fly (see Degree2Design), to tolerance 1e-8. `init` only
 * changes the time. Throws if the solver does not converge.
 */
export function fitDegree2Model(
  X: Float64Array,
  n: number,
  transform: FeatureTransform,
  y: Uint8Array,
  rows: Int32Array,
  C: number,
  options: { degree?: 1 | 2; init?: { coefficients: Float64Array; intercept: number }; stride?: number; penaltyWeights?: Float64Array } = {},
): Degree2Fit {
  const design = new Degree2Design(X, n, transform, options.degree ?? 2, options.stride);
  const fit = fitLogistic(design, y, { C, tolerance: TOLERANCE, rows, init: options.init, penaltyWeights: options.penaltyWeights });
  if (!fit.converged) throw new Error(`the solver did not converge (gradient ${fit.gradientNorm} after ${fit.iterations} iterations)`);
  return { transform, design, fit, standardisedCoefficients: standardisedCoefficients(fit.coefficients, design, rows) };
}
