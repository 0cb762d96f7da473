import { FEATURE_COUNT, FEATURE_NAMES, type FeatureName } from "./featureNames.js";
import { TERM_COUNT, termNames } from "./polynomialTerms.js";
import { resolveWindowConfig, type WindowConfig } from "./windowConfig.js";

export const MODEL_FORMAT = "privads.interaction-model";
export const MODEL_FORMAT_VERSION = 1;

/**
 * A trained model as saved in `interaction_predictor.json`.
 *
 * Probability of a click_ad within the horizon, for a raw feature row `x`:
 * `z = (x - scaler.mean) / scaler.scale`, `phi` = the 230 degree-2 terms of `z`
 * (order: `POLYNOMIAL_TERMS`), `m = intercept + coefficients . phi`,
 * `p = sigmoid(calibration.slope * m + calibration.intercept)`.
 */
export interface InteractionModel {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_FORMAT_VERSION;
  featureNames: FeatureName[];
  window: WindowConfig;
  scaler: { mean: number[]; scale: number[] };
  /** The 230 term names, in evaluation order (checked against the fixed order on load). */
  terms: string[];
  coefficients: number[];
  intercept: number;
  /** Maps the balanced-weight margin back to the true base rate (fitted on out-of-fold margins). */
  calibration: { method: "platt"; slope: number; intercept: number };
  /** Training settings and headline metrics, for people reading the file. */
  training: Record<string, unknown>;
}

/** Raised when a model file is not a valid model; the message names the source and field. */
export class ModelFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelFormatError";
  }
}

/** Validates untrusted JSON (e.g. a parsed file) before anything trusts it. */
export function parseInteractionModel(json: unknown, source = "model"): InteractionModel {
  const fail = (field: string, what: string): never => {
    throw new ModelFormatError(`${source}: ${field} ${what}`);
  };
  if (typeof json !== "object" || json === null || Array.isArray(json)) fail("(root)", "must be a JSON object");
  const obj = json as Record<string, unknown>;
  if (obj.format !== MODEL_FORMAT) {
    fail("format", `must be "${MODEL_FORMAT}", got ${JSON.stringify(obj.format)} (not a PrivAds model file?)`);
  }
  if (obj.version !== MODEL_FORMAT_VERSION) {
    fail("version", `must be ${MODEL_FORMAT_VERSION}, got ${JSON.stringify(obj.version)}`);
  }
  const numbers = (field: string, value: unknown, length: number): number[] => {
    if (!Array.isArray(value) || value.length !== length) return fail(field, `must be an array of ${length} numbers`);
    value.forEach((v, i) => {
      if (typeof v !== "number" || !Number.isFinite(v)) fail(`${field}[${i}]`, `must be a finite number, got ${JSON.stringify(v)}`);
    });
    return value as number[];
  };
  const finite = (field: string, value: unknown): number =>
    typeof value === "number" && Number.isFinite(value) ? value : fail(field, `must be a finite number, got ${JSON.stringify(value)}`);

  const names = obj.featureNames;
  if (!Array.isArray(names) || names.length !== FEATURE_COUNT || names.some((n, i) => n !== FEATURE_NAMES[i])) {
    fail("featureNames", `must list the ${FEATURE_COUNT} features in contract order (${FEATURE_NAMES.join(", ")})`);
  }
  let window: WindowConfig;
  try {
    if (typeof obj.window !== "object" || obj.window === null) throw new RangeError("missing");
    window = resolveWindowConfig(obj.window as Partial<WindowConfig>);
  } catch (error) {
    return fail("window", `is invalid: ${(error as Error).message}`);
  }
  const scaler = obj.scaler as Record<string, unknown> | undefined;
  if (typeof scaler !== "object" || scaler === null) fail("scaler", "must be an object with mean and scale");
  const mean = numbers("scaler.mean", scaler!.mean, FEATURE_COUNT);
  const scale = numbers("scaler.scale", scaler!.scale, FEATURE_COUNT);
  scale.forEach((s, i) => {
    if (s <= 0) fail(`scaler.scale[${i}]`, `must be > 0, got ${s}`);
  });
  const expectedTerms = termNames(FEATURE_NAMES);
  const terms = obj.terms;
  if (!Array.isArray(terms) || terms.length !== TERM_COUNT || terms.some((n, i) => n !== expectedTerms[i])) {
    fail("terms", `must be the ${TERM_COUNT} degree-2 terms in the fixed order`);
  }
  const coefficients = numbers("coefficients", obj.coefficients, TERM_COUNT);
  const intercept = finite("intercept", obj.intercept);
  const cal = obj.calibration as Record<string, unknown> | undefined;
  if (typeof cal !== "object" || cal === null || cal.method !== "platt") {
    fail("calibration", 'must be an object with method "platt", slope and intercept');
  }
  const calibration = {
    method: "platt" as const,
    slope: finite("calibration.slope", cal!.slope),
    intercept: finite("calibration.intercept", cal!.intercept),
  };
  const training = typeof obj.training === "object" && obj.training !== null ? (obj.training as Record<string, unknown>) : {};
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    featureNames: [...FEATURE_NAMES],
    window,
    scaler: { mean: [...mean], scale: [...scale] },
    terms: expectedTerms,
    coefficients: [...coefficients],
    intercept,
    calibration,
    training,
  };
}
