import { clampToDomain } from "./featureDomain.js";
import type { InteractionModel } from "./interactionModel.js";
import { expandPolynomial, termCount } from "./polynomialTerms.js";
import { sigmoid } from "./sigmoid.js";
import { boundStandardScore } from "./standardScoreBound.js";

/**
 * The TypeScript reference scorer: every runtime (builtin, onnxruntime) must match it.
 * Returns the uncalibrated margin `intercept + coefficients . phi(z)` for the row at `offset`
 * (the model's F features, contract order), each feature clamped to the model's domain (when
 * it has one) before it is standardised.
 */
export function modelMargin(model: InteractionModel, x: ArrayLike<number>, offset = 0): number {
  const F = model.featureNames.length;
  const { domain } = model;
  const z = new Float64Array(F);
  for (let i = 0; i < F; i++) {
    const xi = domain ? clampToDomain(x[offset + i], domain.low[i], domain.high[i]) : x[offset + i];
    z[i] = boundStandardScore((xi - model.scaler.mean[i]) / model.scaler.scale[i]);
  }
  const T = termCount(F);
  const phi = new Float64Array(T);
  expandPolynomial(z, phi, 0, F);
  let m = model.intercept;
  for (let k = 0; k < T; k++) m += model.coefficients[k] * phi[k];
  return m;
}

/** Calibrated click probability for one raw feature row (the model's features, contract order). */
export function scoreModel(model: InteractionModel, x: ArrayLike<number>, offset = 0): number {
  return sigmoid(model.calibration.slope * modelMargin(model, x, offset) + model.calibration.intercept);
}
