import { FEATURE_SETS, type FeatureSetName } from "../core/featureNames.js";
import { type InteractionModel, MODEL_FORMAT, MODEL_FORMAT_VERSION } from "../core/interactionModel.js";
import { termNames } from "../core/polynomialTerms.js";
import type { WindowConfig } from "../core/windowConfig.js";
import type { LogisticFit } from "./logisticRegression.js";
import type { PlattCalibration } from "./plattCalibration.js";
import type { FeatureTransform } from "./featureTransform.js";

/**
 * The scoring parameters as an {@link InteractionModel} (the transform's domain, when it has one, included) (full precision) of a model trained on
 * `featureSet` (its names and term names go in the file; the scaler must be that wide). Its `training` block
 * is empty: the run's summary goes there once the results exist (see withTrainingBlock in src/results).
 */
export function toInteractionModel(
  transform: FeatureTransform,
  fit: LogisticFit,
  calibration: PlattCalibration,
  window: WindowConfig,
  featureSet: FeatureSetName,
): InteractionModel {
  const names = FEATURE_SETS[featureSet];
  if (transform.mean.length !== names.length) {
    throw new RangeError(`toInteractionModel: the ${featureSet} set has ${names.length} features, the transform ${transform.mean.length}`);
  }
  const { low, high } = transform;
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    featureNames: [...names],
    window: { ...window },
    ...(low !== null && high !== null && { domain: { low: Array.from(low), high: Array.from(high) } }),
    scaler: { mean: Array.from(transform.mean), scale: Array.from(transform.scale) },
    terms: termNames(names),
    coefficients: Array.from(fit.coefficients),
    intercept: fit.intercept,
    calibration: { method: "platt", slope: calibration.slope, intercept: calibration.intercept },
    training: {},
  };
}
