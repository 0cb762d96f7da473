import { FEATURE_COUNT, FEATURE_NAMES } from "../core/featureNames.js";
import { heuristicFromFeatures } from "../core/heuristicPrediction.js";
import { type InteractionModel, MODEL_FORMAT, MODEL_FORMAT_VERSION } from "../core/interactionModel.js";
import { TERM_COUNT, termNames } from "../core/polynomialTerms.js";
import { PROFILE_NAMES } from "../core/session.js";
import { sigmoid } from "../core/sigmoid.js";
import type { WindowConfig } from "../core/windowConfig.js";
import type { WindowDataset } from "../dataset/windowDataset.js";
import { type Curve, prCurve, rocCurve } from "../evaluation/curves.js";
import { HELD_OUT_FRACTION, type HeldOutSplit, splitHeldOut } from "../evaluation/heldOutSplit.js";
import { type MetricRow, metricRow, round } from "../evaluation/metricRow.js";
import { permutationImportance } from "../evaluation/permutationImportance.js";
import { prAuc, reliabilityCurve, rocAuc } from "../training/classificationMetrics.js";
import { buildDesignMatrix } from "../training/designMatrix.js";
import { perFeatureImportance, standardisedCoefficients, topTerms } from "../training/featureImportance.js";
import { fitLogisticRegression, type LogisticFit } from "../training/logisticRegression.js";
import { fitPlattCalibration, type PlattCalibration } from "../training/plattCalibration.js";
import { fitStandardScaler } from "../training/standardScaler.js";
import { crossValidate, type CrossValidation, type DesignBuilder, designMargins, type FoldResult, foldsOf, TOLERANCE } from "./crossValidate.js";

export type { FoldResult } from "./crossValidate.js";

/** The C grid of `--tune` (ascending; each value warm-starts the next). */
export const TUNING_GRID: readonly number[] = Object.freeze([0.01, 0.1, 1, 10]);

export interface TrainOptions {
  seed: number;
  window: WindowConfig;
  /** The held-out split when the caller already made it (default: `splitHeldOut(sessions, seed)`). */
  split?: HeldOutSplit;
  /** Inverse L2 strength (DESIGN.md: 1). Ignored with `tune`. */
  C?: number;
  /** Pick C from {@link TUNING_GRID} by grouped CV ROC AUC on the training sessions. */
  tune?: boolean;
  folds?: number;
  /** Shuffles per feature of the permutation importance (default 3). */
  permutationRepeats?: number;
  /** Called as each phase starts and ends, for progress bars. */
  onProgress?: (phase: string, done: number, total: number) => void;
}

/** One comparison row per predictor, on one set of windows. */
export interface Comparison {
  /** Which windows: the oracle's sample of the held-out windows, or all held-out windows. */
  windows: "oracle_sample" | "held_out";
  n_samples: number;
  n_positive: number;
  rows: {
    heuristic: MetricRow;
    plain_logistic: MetricRow;
    degree2_logistic: MetricRow;
    oracle: MetricRow | null;
  };
  /** ROC (fpr, tpr) and PR (recall, precision) curves of each row, thinned for plotting. */
  curves: { roc: Record<string, Curve>; pr: Record<string, Curve> };
}

export interface ProfileResult {
  n_samples: number;
  positive_ratio: number;
  roc_auc: number | null;
  mean_predicted: number;
}

export interface OracleResults {
  rollouts: number;
  n_samples: number;
  n_positive: number;
  /** Seed of the oracle's streams (derived from the run seed). */
  seed: number;
  /** Mean of the Monte-Carlo standard errors `sqrt(p (1 - p) / rollouts)`. */
  mean_standard_error: number;
  roc_auc: number;
  /** The shipped model's ROC AUC on the same windows, and its share of the oracle's. */
  model_roc_auc: number;
  model_to_oracle: number;
  /** 95 % interval of `model_to_oracle` from 1,000 session-clustered bootstrap resamples. */
  model_to_oracle_ci95: [number, number];
  per_profile: Record<string, { n_samples: number; oracle_roc_auc: number | null; model_roc_auc: number | null }>;
}

/** `training_results.json` (snake_case keys, as the original system's). See docs/training-results.md. */
export interface TrainingResults {
  n_samples: number;
  /** Events simulated (pipeline runs only). */
  n_events?: number;
  n_sessions: number;
  n_positive: number;
  positive_ratio: number;
  seed: number;
  config: {
    window: WindowConfig;
    model: { degree: 2; terms: number; C: number; class_weight: "balanced"; solver: string; tolerance: number; calibration: "platt" };
    cv: { folds: number; grouped_by: "session"; stratified: true };
    split: { held_out_fraction: number; rule: string; trained_on: string };
    oracle?: { rollouts: number; max_windows: number };
  };
  split: { train: { n_samples: number; n_sessions: number; n_positive: number }; held_out: { n_samples: number; n_sessions: number; n_positive: number } };
  tuning: null | { grid: number[]; metric: "cv_roc_auc_mean"; curve: Array<{ C: number; roc_auc_mean: number; roc_auc_std: number }>; chosen_C: number };
  cv_results: {
    roc_auc_mean: number;
    roc_auc_std: number;
    pr_auc_mean: number;
    folds: FoldResult[];
    /** Out-of-fold predictions on the training sessions, calibrated. */
    out_of_fold: MetricRow;
  };
  /** The shipped model on every held-out window: the headline metrics. */
  held_out: MetricRow & {
    n_samples: number;
    n_positive: number;
    positive_ratio: number;
    mean_predicted: number;
    reliability: Array<{ lower: number; upper: number; count: number; mean_predicted: number | null; observed_rate: number | null }>;
  };
  final_fit: { iterations: number; evaluations: number; objective: number; gradient_norm: number; converged: boolean };
  calibration: { method: "platt"; slope: number; intercept: number; fitted_on: "out_of_fold_margins" };
  heuristic: { roc_auc: number; pr_auc: number };
  comparison: Comparison;
  oracle: OracleResults | null;
  per_profile: Record<string, ProfileResult>;
  feature_importance: {
    top_terms: Array<{ term: string; coefficient: number }>;
    per_feature: Record<string, number>;
    permutation: { repeats: number; baseline_roc_auc: number; auc_drop: Record<string, { mean: number; sd: number }> };
  };
  timings_ms: Record<string, number>;
  /** Peak resident memory of the run, MB (pipeline runs only; varies run to run like timings). */
  peak_rss_mb?: number;
}

/** Held-out predictions of every predictor, for comparisons on subsets (e.g. the oracle's sample). */
export interface HeldOutPredictions {
  /** Global dataset rows, ascending. */
  rows: Int32Array;
  labels: Uint8Array;
  model: Float64Array;
  plain: Float64Array;
  heuristic: Float64Array;
}

/** The plain (degree-1) logistic baseline as fitted: on the training sessions' standardised features. */
export interface PlainBaseline {
  fit: LogisticFit;
  calibration: PlattCalibration;
}

const PERMUTATION_STREAM = 0x7065726d; // "perm"

function calibrate(margins: Float64Array, c: PlattCalibration): Float64Array {
  return margins.map((m) => sigmoid(c.slope * m + c.intercept));
}

function countPositives(y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i];
  return s;
}

/**
 * Trains the product model and evaluates it on sessions it never saw. 20 % of the sessions
 * (see isHeldOutSession) are held out; on the other 80 %: standardise, degree-2 terms,
 * balanced L2 logistic regression at C (or C tuned by grouped CV), 5-fold CV grouped by
 * session, Platt calibration fitted on the out-of-fold margins. The shipped model is that
 * 80 % fit with that calibration. On the held-out windows: its metrics and reliability curve,
 * per-profile results, permutation importance, and a comparison with the heuristic and a
 * plain (degree-1) logistic regression trained and calibrated the same way.
 */
export function trainInteractionModel(
  data: WindowDataset,
  options: TrainOptions,
): { model: InteractionModel; results: TrainingResults; heldOut: HeldOutPredictions; plain: PlainBaseline } {
  const k = options.folds ?? 5;
  const progress = options.onProgress ?? (() => {});
  const { n, features: X, labels: y } = data;
  const timings: Record<string, number> = {};
  const clock = (name: string, started: number) => (timings[name] = round(performance.now() - started, 1));

  const split = options.split ?? splitHeldOut(data.sessionIndex, options.seed);
  const train = split.train;
  const test = split.test;
  const trainY = Uint8Array.from(train, (r) => y[r]);
  const testY = Uint8Array.from(test, (r) => y[r]);
  const describe = (rows: Int32Array, labels: Uint8Array) => ({
    n_samples: rows.length,
    n_sessions: new Set(Array.from(rows, (r) => data.sessionIndex[r])).size,
    n_positive: countPositives(labels),
  });
  const trainInfo = describe(train, trainY);
  const testInfo = describe(test, testY);
  if (trainInfo.n_positive === 0 || trainInfo.n_positive === train.length) {
    throw new Error(`cannot train: the training sessions hold ${train.length} windows with ${trainInfo.n_positive} positive; both classes are needed`);
  }
  if (testInfo.n_positive === 0 || testInfo.n_positive === test.length) {
    throw new Error(`cannot evaluate: the held-out sessions hold ${test.length} windows with ${testInfo.n_positive} positive; both classes are needed (more data?)`);
  }

  const folds = foldsOf(data.sessionIndex, y, train, k, options.seed);
  const buffer = new Float64Array(train.length * TERM_COUNT);
  const degree2 = { d: TERM_COUNT, build: buildDesignMatrix, buffer };

  // Optional C sweep on the training sessions.
  let started = performance.now();
  let C = options.C ?? 1;
  let tuning: TrainingResults["tuning"] = null;
  let cv: CrossValidation | undefined;
  if (options.tune) {
    progress("tune", 0, TUNING_GRID.length);
    const sweep: CrossValidation[] = [];
    let init: LogisticFit[] | undefined;
    TUNING_GRID.forEach((c, i) => {
      const result = crossValidate(X, n, y, train, folds, { ...degree2, C: c, init });
      init = result.fits;
      sweep.push(result);
      progress("tune", i + 1, TUNING_GRID.length);
    });
    let best = 0;
    sweep.forEach((s, i) => {
      if (round(s.rocAucMean) > round(sweep[best].rocAucMean)) best = i;
    });
    C = TUNING_GRID[best];
    cv = sweep[best];
    tuning = {
      grid: [...TUNING_GRID],
      metric: "cv_roc_auc_mean",
      curve: sweep.map((s, i) => ({ C: TUNING_GRID[i], roc_auc_mean: round(s.rocAucMean), roc_auc_std: round(s.rocAucStd) })),
      chosen_C: C,
    };
    clock("tune", started);
  }

  // The shipped fit: every training session.
  started = performance.now();
  progress("fit", 0, 1);
  const scaler = fitStandardScaler(X, n, FEATURE_COUNT, train);
  const A = buildDesignMatrix(X, n, scaler, train, buffer);
  const full = fitLogisticRegression(A, train.length, TERM_COUNT, trainY, { C, tolerance: TOLERANCE });
  if (!full.converged) throw new Error(`the solver did not converge (gradient ${full.gradientNorm} after ${full.iterations} iterations)`);
  const importanceValues = standardisedCoefficients(full.coefficients, A, train.length);
  progress("fit", 1, 1);
  clock("fit", started);

  if (cv === undefined) {
    started = performance.now();
    progress("cross-validate", 0, folds.length);
    cv = crossValidate(X, n, y, train, folds, { ...degree2, C, init: full, onFold: (f) => progress("cross-validate", f, folds.length) });
    clock("cross_validate", started);
  }

  started = performance.now();
  const calibration = fitPlattCalibration(cv.oof, trainY);
  const oofP = calibrate(cv.oof, calibration);
  const names = termNames(FEATURE_NAMES);
  const model: InteractionModel = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    featureNames: [...FEATURE_NAMES],
    window: { ...options.window },
    scaler: { mean: Array.from(scaler.mean), scale: Array.from(scaler.scale) },
    terms: names,
    coefficients: Array.from(full.coefficients),
    intercept: full.intercept,
    calibration: { method: "platt", slope: calibration.slope, intercept: calibration.intercept },
    training: {},
  };

  // Held-out predictions: the shipped model, the plain baseline, the heuristic.
  const testA = buildDesignMatrix(X, n, scaler, test, buffer);
  const testMargins = designMargins(testA, test.length, TERM_COUNT, full);
  const modelP = calibrate(testMargins, calibration);
  clock("evaluate", started);
  started = performance.now();
  const plainBuffer = new Float64Array(train.length * FEATURE_COUNT);
  const buildLinear: DesignBuilder = (x, rowsInX, sc, rows, out) => buildDesignMatrix(x, rowsInX, sc, rows, out, 1);
  const linear = { d: FEATURE_COUNT, build: buildLinear, buffer: plainBuffer };
  const plainA = buildLinear(X, n, scaler, train, plainBuffer);
  const plainFit = fitLogisticRegression(plainA, train.length, FEATURE_COUNT, trainY, { C: 1, tolerance: TOLERANCE });
  const plainCv = crossValidate(X, n, y, train, folds, { ...linear, C: 1, init: plainFit });
  const plainCalibration = fitPlattCalibration(plainCv.oof, trainY);
  const plainTestA = buildLinear(X, n, scaler, test, plainBuffer);
  const plainP = calibrate(designMargins(plainTestA, test.length, FEATURE_COUNT, plainFit), plainCalibration);
  const heuristicP = Float64Array.from(test, (r) => heuristicFromFeatures(X, r * FEATURE_COUNT));
  const heldOut: HeldOutPredictions = { rows: test, labels: testY, model: modelP, plain: plainP, heuristic: heuristicP };
  clock("plain_logistic", started);

  started = performance.now();
  const permutation = permutationImportance(model, X, test, testY, {
    seed: (options.seed ^ PERMUTATION_STREAM) >>> 0,
    repeats: options.permutationRepeats ?? 3,
    margins: testMargins,
  });
  clock("permutation_importance", started);

  const perProfile: Record<string, ProfileResult> = {};
  for (const profile of PROFILE_NAMES) {
    const idx: number[] = [];
    test.forEach((r, i) => {
      if (data.sessionProfiles[data.sessionIndex[r]] === profile) idx.push(i);
    });
    if (idx.length === 0) continue;
    const py = Uint8Array.from(idx, (i) => testY[i]);
    const pp = Float64Array.from(idx, (i) => modelP[i]);
    const positives = countPositives(py);
    perProfile[profile] = {
      n_samples: idx.length,
      positive_ratio: round(positives / idx.length),
      roc_auc: positives > 0 && positives < idx.length ? round(rocAuc(pp, py)) : null,
      mean_predicted: round(pp.reduce((a, b) => a + b, 0) / idx.length),
    };
  }

  const positives = countPositives(y);
  const perFeature = perFeatureImportance(importanceValues);
  const results: TrainingResults = {
    n_samples: n,
    n_sessions: data.sessionIds.length,
    n_positive: positives,
    positive_ratio: round(positives / n),
    seed: options.seed,
    config: {
      window: { ...options.window },
      model: { degree: 2, terms: TERM_COUNT, C, class_weight: "balanced", solver: "l-bfgs", tolerance: TOLERANCE, calibration: "platt" },
      cv: { folds: k, grouped_by: "session", stratified: true },
      split: {
        held_out_fraction: HELD_OUT_FRACTION,
        rule: "sessions in blocks of 5 by dataset order; a seeded hash of (seed, block) holds out one per block",
        trained_on: "training sessions (80 %); Platt calibration on their out-of-fold margins",
      },
    },
    split: { train: trainInfo, held_out: testInfo },
    tuning,
    cv_results: {
      roc_auc_mean: round(cv.rocAucMean),
      roc_auc_std: round(cv.rocAucStd),
      pr_auc_mean: round(cv.folds.reduce((a, f) => a + f.pr_auc, 0) / cv.folds.length),
      folds: cv.folds,
      out_of_fold: metricRow(oofP, trainY),
    },
    held_out: {
      ...metricRow(modelP, testY),
      n_samples: test.length,
      n_positive: testInfo.n_positive,
      positive_ratio: round(testInfo.n_positive / test.length),
      mean_predicted: round(modelP.reduce((a, b) => a + b, 0) / test.length),
      reliability: reliabilityCurve(modelP, testY, 10).map((b) => ({
        lower: round(b.lower),
        upper: round(b.upper),
        count: b.count,
        mean_predicted: b.meanPredicted === null ? null : round(b.meanPredicted),
        observed_rate: b.observedRate === null ? null : round(b.observedRate),
      })),
    },
    final_fit: {
      iterations: full.iterations,
      evaluations: full.evaluations,
      objective: round(full.objective),
      gradient_norm: full.gradientNorm,
      converged: full.converged,
    },
    calibration: { method: "platt", slope: calibration.slope, intercept: calibration.intercept, fitted_on: "out_of_fold_margins" },
    heuristic: { roc_auc: round(rocAuc(heuristicP, testY)), pr_auc: round(prAuc(heuristicP, testY)) },
    comparison: compareOnWindows(heldOut, null, null),
    oracle: null,
    per_profile: perProfile,
    feature_importance: {
      top_terms: topTerms(importanceValues, names, 15).map(({ term, coefficient }) => ({ term, coefficient: round(coefficient) })),
      per_feature: Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, round(perFeature[i])])),
      permutation: {
        repeats: options.permutationRepeats ?? 3,
        baseline_roc_auc: round(permutation.baseline),
        auc_drop: Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, { mean: round(permutation.mean[i]), sd: round(permutation.sd[i]) }])),
      },
    },
    timings_ms: timings,
  };
  model.training = {
    seed: options.seed,
    n_samples: train.length,
    positive_ratio: round(trainInfo.n_positive / train.length),
    C,
    class_weight: "balanced",
    cv_roc_auc_mean: results.cv_results.roc_auc_mean,
    held_out_roc_auc: results.held_out.roc_auc,
  };
  return { model, results, heldOut, plain: { fit: plainFit, calibration: plainCalibration } };
}

/**
 * The comparison table on a subset of the held-out windows (`positions` into `heldOut`, or
 * all of them when null), with the oracle's probabilities for those windows when given.
 */
export function compareOnWindows(heldOut: HeldOutPredictions, positions: Int32Array | null, oracle: Float64Array | null): Comparison {
  const idx = positions ?? Int32Array.from(heldOut.rows, (_, i) => i);
  const labels = Uint8Array.from(idx, (i) => heldOut.labels[i]);
  const pick = (values: Float64Array) => Float64Array.from(idx, (i) => values[i]);
  const series: Record<string, Float64Array> = {
    heuristic: pick(heldOut.heuristic),
    plain_logistic: pick(heldOut.plain),
    degree2_logistic: pick(heldOut.model),
  };
  if (oracle !== null) {
    if (oracle.length !== idx.length) throw new RangeError(`compareOnWindows: ${oracle.length} oracle values for ${idx.length} windows`);
    series.oracle = oracle;
  }
  const roc: Record<string, Curve> = {};
  const pr: Record<string, Curve> = {};
  const rows: Record<string, MetricRow> = {};
  for (const [name, p] of Object.entries(series)) {
    rows[name] = metricRow(p, labels);
    roc[name] = rocCurve(p, labels);
    pr[name] = prCurve(p, labels);
  }
  return {
    windows: positions === null ? "held_out" : "oracle_sample",
    n_samples: idx.length,
    n_positive: countPositives(labels),
    rows: { heuristic: rows.heuristic, plain_logistic: rows.plain_logistic, degree2_logistic: rows.degree2_logistic, oracle: rows.oracle ?? null },
    curves: { roc, pr },
  };
}
