import { FEATURE_COUNT, FEATURE_NAMES } from "../core/featureNames.js";
import { heuristicFromFeatures } from "../core/heuristicPrediction.js";
import { type InteractionModel, MODEL_FORMAT, MODEL_FORMAT_VERSION } from "../core/interactionModel.js";
import { TERM_COUNT, termNames } from "../core/polynomialTerms.js";
import { PROFILE_NAMES } from "../core/session.js";
import { sigmoid } from "../core/sigmoid.js";
import type { WindowConfig } from "../core/windowConfig.js";
import type { WindowDataset } from "../dataset/windowDataset.js";
import {
  brierScore,
  calibrationRatio,
  expectedCalibrationError,
  logLoss,
  normalizedEntropy,
  prAuc,
  rocAuc,
} from "../training/classificationMetrics.js";
import { buildDesignMatrix } from "../training/designMatrix.js";
import { perFeatureImportance, standardisedCoefficients, topTerms } from "../training/featureImportance.js";
import { groupedStratifiedKFold } from "../training/groupedKFold.js";
import { fitLogisticRegression, type LogisticFit } from "../training/logisticRegression.js";
import { fitPlattCalibration } from "../training/plattCalibration.js";
import { fitStandardScaler } from "../training/standardScaler.js";

export interface TrainOptions {
  seed: number;
  window: WindowConfig;
  /** Inverse L2 strength (DESIGN.md: 1). */
  C?: number;
  folds?: number;
  /** Called as each phase starts and ends, for progress bars. */
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface FoldResult {
  fold: number;
  n_train: number;
  n_test: number;
  positives_test: number;
  roc_auc: number;
  pr_auc: number;
  iterations: number;
}

/** `training_results.json` (snake_case keys, as the original system's). */
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
  };
  cv_results: {
    roc_auc_mean: number;
    roc_auc_std: number;
    pr_auc_mean: number;
    folds: FoldResult[];
    /** Out-of-fold predictions, calibrated (every window scored by the fold model that did not see it). */
    out_of_fold: {
      roc_auc: number;
      pr_auc: number;
      log_loss: number;
      normalized_entropy: number;
      brier: number;
      calibration_ratio: number;
      ece: number;
    };
  };
  final_fit: { iterations: number; evaluations: number; objective: number; gradient_norm: number; converged: boolean };
  calibration: { method: "platt"; slope: number; intercept: number };
  heuristic: { roc_auc: number; pr_auc: number };
  per_profile: Record<string, { n_samples: number; positive_ratio: number; roc_auc: number | null; mean_predicted: number }>;
  feature_importance: {
    top_terms: Array<{ term: string; coefficient: number }>;
    per_feature: Record<string, number>;
  };
  timings_ms: Record<string, number>;
  /** Peak resident memory of the run, MB (pipeline runs only; varies run to run like timings). */
  peak_rss_mb?: number;
}

const TOLERANCE = 1e-8;

function round(value: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function margins(A: Float64Array, rows: number, fit: LogisticFit): Float64Array {
  const out = new Float64Array(rows);
  const beta = fit.coefficients;
  for (let r = 0; r < rows; r++) {
    let m = fit.intercept;
    const o = r * TERM_COUNT;
    for (let k = 0; k < TERM_COUNT; k++) m += A[o + k] * beta[k];
    out[r] = m;
  }
  return out;
}

function pick<T extends Float64Array | Uint8Array>(values: T, rows: Int32Array, make: (n: number) => T): T {
  const out = make(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]];
  return out;
}

/**
 * Trains the product model on labelled windows: standardise, degree-2 terms, balanced L2
 * logistic regression; 5-fold CV grouped by session (each fold with its own scaler,
 * warm-started from the full fit: the problem is strictly convex, so the start changes
 * only the time); Platt calibration fitted on the out-of-fold margins; metrics, heuristic
 * baseline, per-profile results and feature importance.
 */
export function trainInteractionModel(data: WindowDataset, options: TrainOptions): { model: InteractionModel; results: TrainingResults } {
  const C = options.C ?? 1;
  const k = options.folds ?? 5;
  const progress = options.onProgress ?? (() => {});
  const { n, features: X, labels: y } = data;
  const timings: Record<string, number> = {};
  const clock = (name: string, started: number) => (timings[name] = round(performance.now() - started, 1));

  let started = performance.now();
  progress("fit", 0, 1);
  const scaler = fitStandardScaler(X, n, FEATURE_COUNT);
  const A = buildDesignMatrix(X, n, scaler);
  const full = fitLogisticRegression(A, n, TERM_COUNT, y, { C, tolerance: TOLERANCE });
  if (!full.converged) throw new Error(`the solver did not converge (gradient ${full.gradientNorm} after ${full.iterations} iterations)`);
  const importanceValues = standardisedCoefficients(full.coefficients, A, n);
  progress("fit", 1, 1);
  clock("fit", started);

  started = performance.now();
  const folds = groupedStratifiedKFold(data.sessionIndex, y, k, options.seed);
  const oof = new Float64Array(n);
  const foldResults: FoldResult[] = [];
  progress("cross-validate", 0, folds.length);
  // The full design matrix is no longer needed: each fold's train and test rows reuse its buffer.
  const trainBuffer = A.subarray(0, n * TERM_COUNT);
  folds.forEach(({ train, test }, f) => {
    const foldScaler = fitStandardScaler(X, n, FEATURE_COUNT, train);
    const trainA = buildDesignMatrix(X, n, foldScaler, train, trainBuffer);
    const fit = fitLogisticRegression(trainA, train.length, TERM_COUNT, pick(y, train, (m) => new Uint8Array(m)), {
      C,
      tolerance: TOLERANCE,
      init: full,
    });
    const testA = buildDesignMatrix(X, n, foldScaler, test, trainBuffer.subarray(train.length * TERM_COUNT));
    const testMargins = margins(testA, test.length, fit);
    const testY = pick(y, test, (m) => new Uint8Array(m));
    for (let r = 0; r < test.length; r++) oof[test[r]] = testMargins[r];
    foldResults.push({
      fold: f + 1,
      n_train: train.length,
      n_test: test.length,
      positives_test: testY.reduce((a, b) => a + b, 0),
      roc_auc: round(rocAuc(testMargins, testY)),
      pr_auc: round(prAuc(testMargins, testY)),
      iterations: fit.iterations,
    });
    progress("cross-validate", f + 1, folds.length);
  });
  clock("cross_validate", started);

  started = performance.now();
  const calibration = fitPlattCalibration(oof, y);
  const oofP = oof.map((m) => sigmoid(calibration.slope * m + calibration.intercept));
  const heuristic = new Float64Array(n);
  for (let r = 0; r < n; r++) heuristic[r] = heuristicFromFeatures(X, r * FEATURE_COUNT);
  const perProfile: TrainingResults["per_profile"] = {};
  for (const profile of PROFILE_NAMES) {
    const rows: number[] = [];
    for (let r = 0; r < n; r++) if (data.sessionProfiles[data.sessionIndex[r]] === profile) rows.push(r);
    if (rows.length === 0) continue;
    const py = Uint8Array.from(rows, (r) => y[r]);
    const pp = Float64Array.from(rows, (r) => oofP[r]);
    const positives = py.reduce((a, b) => a + b, 0);
    perProfile[profile] = {
      n_samples: rows.length,
      positive_ratio: round(positives / rows.length),
      roc_auc: positives > 0 && positives < rows.length ? round(rocAuc(pp, py)) : null,
      mean_predicted: round(pp.reduce((a, b) => a + b, 0) / rows.length),
    };
  }
  clock("evaluate", started);

  const aucs = foldResults.map((f) => f.roc_auc);
  const mean = aucs.reduce((a, b) => a + b, 0) / aucs.length;
  const sd = Math.sqrt(aucs.reduce((a, b) => a + (b - mean) ** 2, 0) / aucs.length);
  const positives = y.reduce((a, b) => a + b, 0);
  const names = termNames(FEATURE_NAMES);
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
    },
    cv_results: {
      roc_auc_mean: round(mean),
      roc_auc_std: round(sd),
      pr_auc_mean: round(foldResults.reduce((a, f) => a + f.pr_auc, 0) / foldResults.length),
      folds: foldResults,
      out_of_fold: {
        roc_auc: round(rocAuc(oof, y)),
        pr_auc: round(prAuc(oof, y)),
        log_loss: round(logLoss(oofP, y)),
        normalized_entropy: round(normalizedEntropy(oofP, y)),
        brier: round(brierScore(oofP, y)),
        calibration_ratio: round(calibrationRatio(oofP, y)),
        ece: round(expectedCalibrationError(oofP, y)),
      },
    },
    final_fit: {
      iterations: full.iterations,
      evaluations: full.evaluations,
      objective: round(full.objective),
      gradient_norm: full.gradientNorm,
      converged: full.converged,
    },
    calibration: { method: "platt", slope: calibration.slope, intercept: calibration.intercept },
    heuristic: { roc_auc: round(rocAuc(heuristic, y)), pr_auc: round(prAuc(heuristic, y)) },
    per_profile: perProfile,
    feature_importance: {
      top_terms: topTerms(importanceValues, names, 15).map(({ term, coefficient }) => ({ term, coefficient: round(coefficient) })),
      per_feature: Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, round(perFeature[i])])),
    },
    timings_ms: timings,
  };

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
    training: {
      seed: options.seed,
      n_samples: n,
      positive_ratio: results.positive_ratio,
      C,
      class_weight: "balanced",
      cv_roc_auc_mean: results.cv_results.roc_auc_mean,
    },
  };
  return { model, results };
}
