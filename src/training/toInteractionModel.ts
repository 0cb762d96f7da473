import { FEATURE_SETS, type FeatureSetName } from "../core/featureNames.js";
import { type InteractionModel, MODEL_FORMAT, MODEL_FORMAT_VERSION } from "../core/interactionModel.js";
import { termNames } from "../core/polynomialTerms.js";
import type { WindowConfig } from "../core/windowConfig.js";
import type { LogisticFit } from "./logisticRegression.js";
import type { PlattCalibration } from "./plattCalibration.js";
import type { StandardScaler } from "./standardScaler.js";

/**
 * The scoring parameters as an {@link InteractionModel} (full precision) of a model trained on
 * `featureSet` (its names and term names go in the file; the scaler must be that wide). Its `training` block
 * is empty: the run's summary goes there once the results exist (see withTrainingBlock in src/results).
 */
export function toInteractionModel(
  scaler: StandardScaler,
  fit: LogisticFit,
  calibration: PlattCalibration,
  window: WindowConfig,
  featureSet: FeatureSetName,
): InteractionModel {
  const names = FEATURE_SETS[featureSet];
  if (scaler.mean.length !== names.length) {
    throw new RangeError(`toInteractionModel: the ${featureSet} set has ${names.length} features, the scaler ${scaler.mean.length}`);
  }
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    featureNames: [...names],
    window: { ...window },
    scaler: { mean: Array.from(scaler.mean), scale: Array.from(scaler.scale) },
    terms: termNames(names),
    coefficients: Array.from(fit.coefficients),
    intercept: fit.intercept,
    calibration: { method: "platt", slope: calibration.slope, intercept: calibration.intercept },
    training: {},
  };
}
