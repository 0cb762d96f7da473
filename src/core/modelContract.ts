import type { FeatureDomain } from "./featureDomain.js";
import { FEATURE_SETS, featureSetOf, type FeatureName, type FeatureSetName } from "./featureNames.js";
import { ModelFormatError } from "./modelFormatError.js";
import { termCount, termNames } from "./polynomialTerms.js";
import { MAX_STANDARD_SCORE } from "./standardScoreBound.js";
import { resolveWindowConfig, type WindowConfig } from "./windowConfig.js";

export const MODEL_FORMAT = "privads.interaction-model";
export const MODEL_FORMAT_VERSION = 1;

/**
 * The largest model file (`.onnx` or JSON) any loader reads: 1 MiB. Ours are about 22 KB
 * (`ads`) and 15 KB (`seed`); the bound is checked before a file is read or decoded, so a
 * hostile file costs no memory (docs/robustness.md, "Limits: serve and model files").
 */
export const MAX_MODEL_BYTES = 1024 * 1024;

/** The size check every loader makes first: throws `ModelFormatError` naming `source`. */
export function checkModelSize(bytes: number, source: string): void {
  if (bytes > MAX_MODEL_BYTES) {
    throw new ModelFormatError(`${source}: ${bytes} bytes, over the ${MAX_MODEL_BYTES}-byte (1 MiB) limit of a PrivAds model`);
  }
}

/**
 * What a saved model must hold whatever its file format (the JSON model, or the ONNX file's
 * metadata and constants). Values are as read from the file, not yet trusted. The domain is
 * optional: both bounds absent (`undefined`) means a model without one (older files).
 */
export interface UncheckedModelContract {
  readonly format: unknown;
  readonly version: unknown;
  readonly featureNames: unknown;
  readonly window: unknown;
  readonly mean: unknown;
  readonly scale: unknown;
  readonly terms: unknown;
  readonly coefficients: unknown;
  readonly intercept: unknown;
  readonly calibrationSlope: unknown;
  readonly calibrationIntercept: unknown;
  readonly domainLow?: unknown;
  readonly domainHigh?: unknown;
}

/** Where each contract field lives in one file format, as error messages name it (e.g. `scaler.mean`). */
export type ModelContractLabels = { readonly [K in keyof UncheckedModelContract]-?: string };

/** The contract's fields once checked (fresh arrays, safe to keep). */
export interface ModelContract {
  /** The feature set the names spell out (`ads`: 26, `seed`: 20; older files are `seed`). */
  readonly featureSet: FeatureSetName;
  readonly featureNames: FeatureName[];
  readonly window: WindowConfig;
  readonly mean: number[];
  readonly scale: number[];
  readonly terms: string[];
  readonly coefficients: number[];
  readonly intercept: number;
  readonly calibrationSlope: number;
  readonly calibrationIntercept: number;
  /** The raw-feature range every runtime clamps to before standardising; absent in older models. */
  readonly domain?: FeatureDomain;
}

/**
 * Checks the format name and version alone. `checkModelContract` starts with it; a reader calls
 * it first when it wants to tell a foreign file apart before looking at anything else.
 */
export function checkModelFormat(format: unknown, version: unknown, labels: Pick<ModelContractLabels, "format" | "version">, source: string): void {
  if (format !== MODEL_FORMAT) {
    failField(source, labels.format, `must be "${MODEL_FORMAT}", got ${shown(format)} (not a PrivAds model file?)`);
  }
  if (version !== MODEL_FORMAT_VERSION) failField(source, labels.version, `must be ${MODEL_FORMAT_VERSION}, got ${shown(version)}`);
}

/** A found value as JSON writes it, but numbers as they are: JSON.stringify prints NaN and Infinity (`1e999` in a file) as null. */
function shown(value: unknown): string {
  return typeof value === "number" ? String(value) : JSON.stringify(value);
}

/**
 * The one check of the model contract, for every file format: format name and version, the
 * feature names of one feature set (docs/model.md: the 26 of `ads` or the 20 of `seed`) and its
 * degree-2 term names (377 or 230) in their fixed order, a valid window config, F finite means,
 * F finite scales > 0, one finite coefficient per term, finite intercept and calibration, and
 * the optional domain: F finite lows and F finite highs, `low[i] <= high[i]`.
 * Throws `ModelFormatError` as `${source}: ${label} ${what is wrong}`, `label` taken from `labels`.
 * Numeric lists may be arrays or typed arrays (the ONNX constants).
 */
export function checkModelContract(fields: UncheckedModelContract, labels: ModelContractLabels, source: string): ModelContract {
  const fail = (label: string, what: string): never => failField(source, label, what);
  checkModelFormat(fields.format, fields.version, labels, source);
  const names = fields.featureNames;
  const featureSet = Array.isArray(names) && names.every((n) => typeof n === "string") ? featureSetOf(names as string[]) : undefined;
  if (featureSet === undefined) {
    const sets = Object.entries(FEATURE_SETS).map(([set, list]) => `${set}: the ${list.length} features ${list.join(", ")}`);
    return fail(labels.featureNames, `must list the features of one feature set in contract order (${sets.join("; or ")})`);
  }
  const featureNames = [...FEATURE_SETS[featureSet]];
  const F = featureNames.length;
  const T = termCount(F);
  let window: WindowConfig;
  try {
    if (typeof fields.window !== "object" || fields.window === null || Array.isArray(fields.window)) throw new RangeError("must be an object");
    window = resolveWindowConfig(fields.window as Partial<WindowConfig>);
  } catch (error) {
    return fail(labels.window, `is invalid: ${(error as Error).message}`);
  }
  const mean = finiteList(fields.mean, F, labels.mean, fail);
  const scale = finiteList(fields.scale, F, labels.scale, fail);
  scale.forEach((s, i) => {
    if (s <= 0) fail(`${labels.scale}[${i}]`, `must be > 0, got ${s}`);
  });
  const expectedTerms = termNames(featureNames);
  const terms = fields.terms;
  if (!Array.isArray(terms) || terms.length !== T || terms.some((n, i) => n !== expectedTerms[i])) {
    fail(labels.terms, `must be the ${T} degree-2 terms of the ${featureSet} set in the fixed order`);
  }
  const coefficients = finiteList(fields.coefficients, T, labels.coefficients, fail);
  // Both bounds absent: a model without a domain. The bounds' order is checked with their range below.
  const domain: FeatureDomain | undefined =
    fields.domainLow === undefined && fields.domainHigh === undefined
      ? undefined
      : { low: finiteList(fields.domainLow, F, labels.domainLow, fail), high: finiteList(fields.domainHigh, F, labels.domainHigh, fail) };
  const contract: ModelContract = {
    featureSet,
    featureNames,
    window,
    mean,
    scale,
    terms: expectedTerms,
    coefficients,
    intercept: finite(fields.intercept, labels.intercept, fail),
    calibrationSlope: finite(fields.calibrationSlope, labels.calibrationSlope, fail),
    calibrationIntercept: finite(fields.calibrationIntercept, labels.calibrationIntercept, fail),
    domain,
  };
  checkFiniteScores(contract, labels, fail);
  return contract;
}

/** Largest finite float32: the ONNX graph and the builtin runtime hold the constants as float32. */
const FLOAT32_MAX = 3.4028234663852886e38;
/** Smallest normal float32: a smaller scale rounds to 0 (or a denormal) in the .onnx file. */
const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;
/** Bound on |margin|: a quarter of float32's range, so no partial sum, in any order, overflows. */
const MAX_MARGIN = FLOAT32_MAX / 4;

/**
 * A model that passes must give a finite probability for every finite input, in float64 (the
 * reference) and float32 (the ONNX graph). Standardised features are clipped to
 * +-MAX_STANDARD_SCORE (1e6), so a linear term is at most 1e6 and a product 1e12 in magnitude;
 * with means and scales inside float32's normal range, `intercept + sum |c_k| x bound_k` bounds
 * every partial sum of the margin, and keeping it under a quarter of float32's maximum leaves no
 * way to reach Infinity - Infinity. The domain's bounds must be float32 numbers too (the graph's
 * Max and Min hold them), and ordered. The calibration then maps a finite margin to a finite logit
 * or an infinite one, and the sigmoid of either is a number in [0, 1]. docs/model.md.
 */
function checkFiniteScores(m: ModelContract, labels: ModelContractLabels, fail: Fail): void {
  const within = (label: string, v: number, lo: number) => {
    if (!(Math.abs(v) >= lo && Math.abs(v) <= FLOAT32_MAX)) fail(label, `must be within ${lo ? `[${lo}, ${FLOAT32_MAX}]` : `+-${FLOAT32_MAX}`} (float32), got ${v}`);
  };
  m.mean.forEach((v, i) => within(`${labels.mean}[${i}]`, v, 0));
  m.scale.forEach((v, i) => within(`${labels.scale}[${i}]`, v, FLOAT32_MIN_NORMAL));
  m.domain?.low.forEach((low, i) => {
    const high = m.domain!.high[i];
    within(`${labels.domainLow}[${i}]`, low, 0);
    within(`${labels.domainHigh}[${i}]`, high, 0);
    if (low > high) fail(`${labels.domainLow}[${i}]`, `must be <= ${labels.domainHigh}[${i}] (${high}), got ${low}`);
  });
  within(labels.calibrationSlope, m.calibrationSlope, 0);
  within(labels.calibrationIntercept, m.calibrationIntercept, 0);
  const F = m.featureNames.length;
  let bound = Math.abs(m.intercept);
  let label = labels.intercept;
  let value = m.intercept;
  let largest = bound;
  m.coefficients.forEach((c, k) => {
    const size = Math.abs(c) * (k < F ? MAX_STANDARD_SCORE : MAX_STANDARD_SCORE * MAX_STANDARD_SCORE);
    bound += size;
    if (size > largest) [label, value, largest] = [`${labels.coefficients}[${k}]`, c, size];
  });
  if (!(bound <= MAX_MARGIN)) {
    fail(label, `is ${value}: |intercept| + the sum of |coefficient| x its term's bound (1e6 linear, 1e12 product) must stay under ${MAX_MARGIN}, or a finite input can overflow the margin`);
  }
}

function failField(source: string, label: string, what: string): never {
  throw new ModelFormatError(`${source}: ${label} ${what}`);
}

type Fail = (label: string, what: string) => never;

function finite(value: unknown, label: string, fail: Fail): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return fail(label, `must be a finite number, got ${shown(value)}`);
}

function finiteList(value: unknown, length: number, label: string, fail: Fail): number[] {
  const list = Array.isArray(value) ? value : value instanceof Float64Array || value instanceof Float32Array ? Array.from(value) : undefined;
  if (list === undefined || list.length !== length) return fail(label, `must be an array of ${length} numbers`);
  return list.map((v: unknown, i) => finite(v, `${label}[${i}]`, fail));
}
