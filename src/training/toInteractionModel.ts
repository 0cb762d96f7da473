import { FEATURE_NAMES } from "../core/featureNames.js";
import { type InteractionModel, MODEL_FORMAT, MODEL_FORMAT_VERSION } from "../core/interactionModel.js";
import { termNames } from "../core/polynomialTerms.js";
import type { WindowConfig } from "../core/windowConfig.js";
import type { LogisticFit } from "./logisticRegression.js";
import type { PlattCalibration } from "./plattCalibration.js";
import type { StandardScaler } from "./standardScaler.js";

/**
 * The scoring parameters as an {@link InteractionModel} (full precision). Its `training` block
 * is empty: the run's summary goes there once the results exist (see withTrainingBlock in src/results).
 */
export function toInteractionModel(scaler: StandardScaler, fit: LogisticFit, calibration: PlattCalibration, window: WindowConfig): InteractionModel {
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    featureNames: [...FEATURE_NAMES],
    window: { ...window },
    scaler: { mean: Array.from(scaler.mean), scale: Array.from(scaler.scale) },
    terms: termNames(FEATURE_NAMES),
    coefficients: Array.from(fit.coefficients),
    intercept: fit.intercept,
    calibration: { method: "platt", slope: calibration.slope, intercept: calibration.intercept },
    training: {},
  };
}
