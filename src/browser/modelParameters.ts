import type { FeatureDomain } from "../core/featureDomain.js";
import type { FeatureSetName } from "../core/featureNames.js";
import { modelFeatureSet, parseInteractionModel, type InteractionModel } from "../core/interactionModel.js";
import type { WindowConfig } from "../core/windowConfig.js";

/**
 * The numbers a runtime needs, whatever file they came from (`.onnx` constants or the JSON
 * model): the feature set, the domain when the model has one, scaler (F values), the coefficients in `polynomialTerms(F)` order,
 * intercept, calibration, plus the window config and the exact training means used to impute
 * missing features. F = `mean.length` (26 for `ads`, 20 for `seed`).
 */
export interface ModelParameters {
  readonly featureSet: FeatureSetName;
  /** Raw-feature bounds clamped to before standardising (float32 values from `.onnx`); absent in older models. */
  readonly domain?: FeatureDomain;
  readonly mean: Float64Array;
  readonly scale: Float64Array;
  readonly coefficients: Float64Array;
  readonly intercept: number;
  readonly calibrationSlope: number;
  readonly calibrationIntercept: number;
  readonly window: WindowConfig;
  /** Training means at full precision (the graph holds float32 copies). */
  readonly imputationMean: Float64Array;
}

/** Validates a JSON model and takes its parameters (exact float64). */
export function modelParametersFromJson(model: unknown, source = "model"): ModelParameters {
  const m: InteractionModel = parseInteractionModel(model, source);
  const mean = Float64Array.from(m.scaler.mean);
  return {
    featureSet: modelFeatureSet(m),
    domain: m.domain,
    mean,
    scale: Float64Array.from(m.scaler.scale),
    coefficients: Float64Array.from(m.coefficients),
    intercept: m.intercept,
    calibrationSlope: m.calibration.slope,
    calibrationIntercept: m.calibration.intercept,
    window: m.window,
    imputationMean: Float64Array.from(mean),
  };
}
