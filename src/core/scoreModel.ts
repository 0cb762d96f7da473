import { FEATURE_COUNT } from "./featureNames.js";
import type { InteractionModel } from "./interactionModel.js";
import { expandPolynomial, TERM_COUNT } from "./polynomialTerms.js";
import { sigmoid } from "./sigmoid.js";
import { boundStandardScore } from "./standardScoreBound.js";

/**
 * The TypeScript reference scorer: every runtime (builtin, onnxruntime) must match it.
 * Returns the uncalibrated margin `intercept + coefficients . phi(z)` for the row at `offset`.
 */
export function modelMargin(model: InteractionModel, x: ArrayLike<number>, offset = 0): number {
  const z = new Float64Array(FEATURE_COUNT);
  for (let i = 0; i < FEATURE_COUNT; i++) z[i] = boundStandardScore((x[offset + i] - model.scaler.mean[i]) / model.scaler.scale[i]);
  const phi = new Float64Array(TERM_COUNT);
  expandPolynomial(z, phi);
  let m = model.intercept;
  for (let k = 0; k < TERM_COUNT; k++) m += model.coefficients[k] * phi[k];
  return m;
}

/** Calibrated click probability for one raw feature row (contract order). */
export function scoreModel(model: InteractionModel, x: ArrayLike<number>, offset = 0): number {
  return sigmoid(model.calibration.slope * modelMargin(model, x, offset) + model.calibration.intercept);
}
