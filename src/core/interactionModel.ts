import type { FeatureDomain } from "./featureDomain.js";
import { type FeatureName, type FeatureSetName, featureSetOf } from "./featureNames.js";
import { checkModelContract, checkModelFormat, MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelContractLabels } from "./modelContract.js";
import { ModelFormatError } from "./modelFormatError.js";
import type { WindowConfig } from "./windowConfig.js";

// Re-exported: callers know the format constants and the error as part of the JSON model.
export { MODEL_FORMAT, MODEL_FORMAT_VERSION } from "./modelContract.js";
export { ModelFormatError } from "./modelFormatError.js";

/**
 * A trained model as saved in `interaction_predictor.json`.
 *
 * Probability of a click_ad within the horizon, for a raw feature row `x` of the model's F
 * features (its feature set: 26 for `ads`, 20 for `seed`): `x` clamped to `domain` when the model
 * has one, then `z = (x - scaler.mean) / scaler.scale` (bounded to +-1e6),
 * `phi` = the degree-2 terms of `z` (377 or 230; order: `polynomialTerms(F)`),
 * `m = intercept + coefficients . phi`, `p = sigmoid(calibration.slope * m + calibration.intercept)`.
 * docs/model.md.
 */
export interface InteractionModel {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_FORMAT_VERSION;
  featureNames: FeatureName[];
  window: WindowConfig;
  /**
   * The raw-feature range of the training rows; each feature is clamped to it before it is
   * standardised. Optional: models without one (older files) score unclamped.
   */
  domain?: FeatureDomain;
  scaler: { mean: number[]; scale: number[] };
  /** The term names (377 or 230), in evaluation order (checked against the fixed order on load). */
  terms: string[];
  coefficients: number[];
  intercept: number;
  /** Maps the balanced-weight margin back to the true base rate (fitted on out-of-fold margins). */
  calibration: { method: "platt"; slope: number; intercept: number };
  /** Training settings and headline metrics, for people reading the file. */
  training: Record<string, unknown>;
}

/** The feature set a (checked) model was trained on, read from its feature names. */
export function modelFeatureSet(model: Pick<InteractionModel, "featureNames">): FeatureSetName {
  const set = featureSetOf(model.featureNames);
  if (set === undefined) throw new ModelFormatError(`model: featureNames match no feature set (${model.featureNames.length} names)`);
  return set;
}

/** Where the JSON model keeps each contract field (error messages name these). */
const JSON_MODEL_LABELS: ModelContractLabels = {
  format: "format",
  version: "version",
  featureNames: "featureNames",
  window: "window",
  mean: "scaler.mean",
  scale: "scaler.scale",
  terms: "terms",
  coefficients: "coefficients",
  intercept: "intercept",
  calibrationSlope: "calibration.slope",
  calibrationIntercept: "calibration.intercept",
  domainLow: "domain.low",
  domainHigh: "domain.high",
};

/** Validates untrusted JSON (e.g. a parsed file) before anything trusts it. */
export function parseInteractionModel(json: unknown, source = "model"): InteractionModel {
  const fail = (field: string, what: string): never => {
    throw new ModelFormatError(`${source}: ${field} ${what}`);
  };
  if (typeof json !== "object" || json === null || Array.isArray(json)) fail("(root)", "must be a JSON object");
  const obj = json as Record<string, unknown>;
  // A foreign file is named as such before its shape is judged.
  checkModelFormat(obj.format, obj.version, JSON_MODEL_LABELS, source);
  // The JSON model's own nesting; the values inside are the contract's to check.
  const scaler = obj.scaler;
  if (typeof scaler !== "object" || scaler === null) fail("scaler", "must be an object with mean and scale");
  const cal = obj.calibration as Record<string, unknown> | undefined;
  if (typeof cal !== "object" || cal === null || cal.method !== "platt") {
    fail("calibration", 'must be an object with method "platt", slope and intercept');
  }
  const { mean, scale } = scaler as Record<string, unknown>;
  // Absent is a model without a domain; present, a missing bound reads as null, which the contract names.
  const domain = obj.domain as { low?: unknown; high?: unknown } | undefined;
  const m = checkModelContract(
    {
      format: obj.format,
      version: obj.version,
      featureNames: obj.featureNames,
      window: obj.window,
      mean,
      scale,
      terms: obj.terms,
      coefficients: obj.coefficients,
      intercept: obj.intercept,
      calibrationSlope: cal!.slope,
      calibrationIntercept: cal!.intercept,
      domainLow: domain && (domain.low ?? null),
      domainHigh: domain && (domain.high ?? null),
    },
    JSON_MODEL_LABELS,
    source,
  );
  const training = typeof obj.training === "object" && obj.training !== null ? (obj.training as Record<string, unknown>) : {};
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    featureNames: m.featureNames,
    window: m.window,
    ...(m.domain && { domain: m.domain }),
    scaler: { mean: m.mean, scale: m.scale },
    terms: m.terms,
    coefficients: m.coefficients,
    intercept: m.intercept,
    calibration: { method: "platt", slope: m.calibrationSlope, intercept: m.calibrationIntercept },
    training,
  };
}
