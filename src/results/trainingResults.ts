import { FEATURE_SETS, type FeatureSetName } from "../core/featureNames.js";
import { termCount } from "../core/polynomialTerms.js";
import type { WindowConfig } from "../core/windowConfig.js";
import type { Comparison, Predictor } from "../evaluation/compareOnWindows.js";
import type { Curve } from "../evaluation/curves.js";
import type { HeldOutEvaluation } from "../evaluation/evaluateHeldOut.js";
import { HELD_OUT_FRACTION, type SplitCounts } from "../evaluation/heldOutSplit.js";
import type { MetricSummary } from "../evaluation/metricSummary.js";
import type { OracleComparison } from "../evaluation/oracleComparison.js";
import type { PermutationImportance } from "../evaluation/permutationImportance.js";
import { CV_TOLERANCE, type CrossValidation, TOLERANCE } from "../training/crossValidate.js";
import type { LogisticFit } from "../training/logisticRegression.js";
import type { PlattCalibration } from "../training/plattCalibration.js";
import type { DomainClamps } from "../evaluation/domainClamps.js";
import type { PathPoint } from "../training/regularisationPath.js";
import { round, roundMs } from "./rounding.js";

/** The comparison metrics of one predictor on one set of windows (see docs/training-results.md). */
export interface MetricRow {
  roc_auc: number;
  pr_auc: number;
  log_loss: number;
  normalized_entropy: number;
  brier: number;
  calibration_ratio: number;
  ece: number;
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

/** One comparison row per predictor, on one set of windows. */
export interface ComparisonResults {
  /** Which windows: the oracle's sample of the held-out windows, or all held-out windows. */
  windows: "oracle_sample" | "held_out";
  n_samples: number;
  n_positive: number;
  /** `degree2_logistic` is the shipped model; `degree2_seed` the seed set's beside an ads model (else null). */
  rows: { heuristic: MetricRow; plain_logistic: MetricRow; degree2_seed: MetricRow | null; degree2_logistic: MetricRow; oracle: MetricRow | null };
  /** ROC (fpr, tpr) and PR (recall, precision) curves of each row, thinned, to 1e-4. */
  curves: { roc: Partial<Record<Predictor, Curve>>; pr: Partial<Record<Predictor, Curve>> };
}

export interface ProfileResult {
  n_samples: number;
  positive_ratio: number;
  /** The shipped model's ROC AUC (null with one class) and mean prediction. */
  roc_auc: number | null;
  mean_predicted: number;
  heuristic_roc_auc: number | null;
  plain_roc_auc: number | null;
  /** The seed set's degree-2 model (the shipped one itself under `--features seed`). */
  seed_model_roc_auc: number | null;
}

/** The degree-2 model of the `seed` set, fitted beside a shipped `ads` model on the same sessions, folds and C. */
export interface SeedModelResults {
  features: "seed";
  terms: number;
  C: number;
  cv_roc_auc_mean: number;
  cv_roc_auc_std: number;
  /** On every held-out window, Platt-calibrated on its own out-of-fold margins. */
  held_out: MetricRow;
  /** The seed set's heuristic on the same windows. */
  heuristic: { roc_auc: number; pr_auc: number };
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
  /** The run id every file of the run carries (docs/training-results.md); set when the files are written. */
  run_id?: string;
  config: {
    /** The feature set of the shipped model (docs/features.md): `ads` (26) or `seed` (20). */
    features: FeatureSetName;
    window: WindowConfig;
    model: {
      degree: 2;
      terms: number;
      C: number;
      class_weight: "balanced";
      solver: string;
      tolerance: number;
      /** Solver tolerance of the cross-validation fits (path, chosen C, side models). */
      cv_tolerance: number;
      /** Each feature clamped to its [q, 1 - q] training quantiles before standardising; null: no domain. */
      domain_quantile: number | null;
      calibration: "platt";
    };
    cv: { folds: number; grouped_by: "session"; stratified: true };
    split: { held_out_fraction: number; rule: string; trained_on: string };
    oracle?: { rollouts: number; max_windows: number };
  };
  split: { train: SplitResults; held_out: SplitResults };
  /** How often the model's domain clamps: held-out windows and (pipeline, when the traces are there) the scripted readers' readings. */
  domain: null | {
    quantile: number;
    held_out: { windows: number; clamped: number; per_feature: Record<string, number> };
    readers: null | { readings: number; clamped: number; per_reader: Record<string, number> };
  };
  /** How C was set: chosen on the path by grouped CV (the default), or fixed with --C. */
  regularisation: {
    selection: "grouped_cv" | "fixed";
    C: number;
    metric: "cv_roc_auc_mean";
    /** Every C tried, ascending, with its fold figures; null when C was fixed. */
    path: Array<{ C: number; roc_auc_mean: number; roc_auc_std: number; pr_auc_mean: number; iterations: number }> | null;
    /** The plain (degree-1, C = 1) model cross-validated on the same folds. */
    plain_cv: { C: number; roc_auc_mean: number; roc_auc_std: number; pr_auc_mean: number };
  };
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
  /** The heuristic of the shipped model's feature set, on every held-out window. */
  heuristic: { roc_auc: number; pr_auc: number };
  /** The seed set's model beside a shipped `ads` model; null when the shipped model is the seed set's. */
  seed_model: SeedModelResults | null;
  comparison: ComparisonResults;
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

export interface SplitResults {
  n_samples: number;
  n_sessions: number;
  n_positive: number;
}

/** What a training run produced, at full precision: the input of {@link buildTrainingResults}. */
export interface TrainingRun {
  seed: number;
  featureSet: FeatureSetName;
  window: WindowConfig;
  dataset: { nSamples: number; nSessions: number; nPositive: number };
  split: { train: SplitCounts; heldOut: SplitCounts };
  folds: number;
  C: number;
  /** The regularisation path, when C was chosen on it (null: fixed). */
  path: readonly PathPoint[] | null;
  /** The plain model's CV on the same folds. */
  plainCv: CrossValidation;
  /** The feature transform's domain quantile (null: no domain). */
  domainQuantile: number | null;
  /** How often the shipped model's domain clamps the held-out windows (null: no domain). */
  heldOutClamps: DomainClamps | null;
  cv: CrossValidation;
  /** Calibrated out-of-fold predictions of the training sessions. */
  outOfFold: MetricSummary;
  finalFit: LogisticFit;
  calibration: PlattCalibration;
  heldOut: HeldOutEvaluation;
  /** Coefficient importance of the shipped fit (top terms by |standardised coefficient|, per-feature shares). */
  coefficientImportance: { topTerms: Array<{ term: string; coefficient: number }>; perFeature: Float64Array };
  permutation: PermutationImportance & { repeats: number };
  /** The seed set's model beside an `ads` model (same training sessions, folds and C); null otherwise. */
  seedModel: null | { C: number; cv: CrossValidation; heldOut: MetricSummary; heuristic: { rocAuc: number; prAuc: number } };
}

/** What only a pipeline run adds: the simulation, the oracle, memory. */
export interface PipelineRun {
  nEvents: number;
  oracleConfig: { rollouts: number; maxWindows: number };
  /** The oracle's stream seed and its comparison with the model; null when it did not run. */
  oracle: { seed: number; result: OracleComparison } | null;
  peakRssMb: number;
  /** The scripted readers' live traces under the shipped model's domain (docs/readers.md); null when not available. */
  readerClamps: null | { readings: number; anyOutside: number; perReader: Record<string, number> };
}

/**
 * The run's outcome and measurements as `training_results.json`, every number rounded here,
 * once. `comparison` is the table to show: on the oracle's windows when it ran, else on every
 * held-out window.
 */
export function buildTrainingResults(run: TrainingRun, comparison: Comparison, timingsMs: Record<string, number>, pipeline?: PipelineRun): TrainingResults {
  const { cv, heldOut, finalFit, calibration } = run;
  const names = FEATURE_SETS[run.featureSet];
  const config: TrainingResults["config"] = {
    features: run.featureSet,
    window: { ...run.window },
    model: { degree: 2, terms: termCount(names.length), C: run.C, class_weight: "balanced", solver: "l-bfgs", tolerance: TOLERANCE, cv_tolerance: CV_TOLERANCE, domain_quantile: run.domainQuantile, calibration: "platt" },
    cv: { folds: run.folds, grouped_by: "session", stratified: true },
    split: {
      held_out_fraction: HELD_OUT_FRACTION,
      rule: "sessions in blocks of 5 by dataset order; in block b the session at position streamSeed(seed, heldOut, b) mod 5 is held out",
      trained_on: "training sessions (80 %); Platt calibration on their out-of-fold margins",
    },
  };
  if (pipeline !== undefined) config.oracle = { rollouts: pipeline.oracleConfig.rollouts, max_windows: pipeline.oracleConfig.maxWindows };
  const oracle = pipeline?.oracle ?? null;
  return {
    n_samples: run.dataset.nSamples,
    ...(pipeline === undefined ? {} : { n_events: pipeline.nEvents }),
    n_sessions: run.dataset.nSessions,
    n_positive: run.dataset.nPositive,
    positive_ratio: round(run.dataset.nPositive / run.dataset.nSamples),
    seed: run.seed,
    config,
    split: { train: splitResults(run.split.train), held_out: splitResults(run.split.heldOut) },
    domain:
      run.heldOutClamps === null || run.domainQuantile === null
        ? null
        : {
            quantile: run.domainQuantile,
            held_out: {
              windows: run.heldOutClamps.rows,
              clamped: round(run.heldOutClamps.anyOutside),
              per_feature: Object.fromEntries(run.heldOutClamps.perFeature.map((f) => [f.name, round(f.outside)])),
            },
            readers:
              pipeline?.readerClamps == null
                ? null
                : {
                    readings: pipeline.readerClamps.readings,
                    clamped: round(pipeline.readerClamps.anyOutside),
                    per_reader: Object.fromEntries(Object.entries(pipeline.readerClamps.perReader).map(([k, v]) => [k, round(v)])),
                  },
          },
    regularisation: {
      selection: run.path === null ? "fixed" : "grouped_cv",
      C: run.C,
      metric: "cv_roc_auc_mean",
      path:
        run.path === null
          ? null
          : run.path.map((p) => ({ C: p.C, roc_auc_mean: round(p.rocAucMean), roc_auc_std: round(p.rocAucStd), pr_auc_mean: round(p.prAucMean), iterations: p.iterations })),
      plain_cv: { C: 1, roc_auc_mean: round(run.plainCv.rocAucMean), roc_auc_std: round(run.plainCv.rocAucStd), pr_auc_mean: round(run.plainCv.prAucMean) },
    },
    cv_results: {
      roc_auc_mean: round(cv.rocAucMean),
      roc_auc_std: round(cv.rocAucStd),
      pr_auc_mean: round(cv.prAucMean),
      folds: cv.folds.map((f) => ({
        fold: f.fold,
        n_train: f.nTrain,
        n_test: f.nTest,
        positives_test: f.positivesTest,
        roc_auc: round(f.rocAuc),
        pr_auc: round(f.prAuc),
        iterations: f.iterations,
      })),
      out_of_fold: metricRow(run.outOfFold),
    },
    held_out: {
      ...metricRow(heldOut.summary),
      n_samples: heldOut.nSamples,
      n_positive: heldOut.nPositive,
      positive_ratio: round(heldOut.nPositive / heldOut.nSamples),
      mean_predicted: round(heldOut.meanPredicted),
      reliability: heldOut.reliability.map((b) => ({
        lower: round(b.lower),
        upper: round(b.upper),
        count: b.count,
        mean_predicted: b.meanPredicted === null ? null : round(b.meanPredicted),
        observed_rate: b.observedRate === null ? null : round(b.observedRate),
      })),
    },
    final_fit: {
      iterations: finalFit.iterations,
      evaluations: finalFit.evaluations,
      objective: round(finalFit.objective),
      gradient_norm: finalFit.gradientNorm,
      converged: finalFit.converged,
    },
    calibration: { method: "platt", slope: calibration.slope, intercept: calibration.intercept, fitted_on: "out_of_fold_margins" },
    heuristic: { roc_auc: round(heldOut.heuristic.rocAuc), pr_auc: round(heldOut.heuristic.prAuc) },
    seed_model:
      run.seedModel === null
        ? null
        : {
            features: "seed",
            terms: termCount(FEATURE_SETS.seed.length),
            C: run.seedModel.C,
            cv_roc_auc_mean: round(run.seedModel.cv.rocAucMean),
            cv_roc_auc_std: round(run.seedModel.cv.rocAucStd),
            held_out: metricRow(run.seedModel.heldOut),
            heuristic: { roc_auc: round(run.seedModel.heuristic.rocAuc), pr_auc: round(run.seedModel.heuristic.prAuc) },
          },
    comparison: comparisonResults(comparison),
    oracle: oracle === null ? null : oracleResults(oracle.result, oracle.seed),
    per_profile: Object.fromEntries(
      heldOut.perProfile.map((p) => [
        p.profile,
        {
          n_samples: p.nSamples,
          positive_ratio: round(p.nPositive / p.nSamples),
          roc_auc: roundOrNull(p.rocAuc.model),
          mean_predicted: round(p.mean.model),
          heuristic_roc_auc: roundOrNull(p.rocAuc.heuristic),
          plain_roc_auc: roundOrNull(p.rocAuc.plain),
          seed_model_roc_auc: roundOrNull(p.rocAuc.seed),
        },
      ]),
    ),
    feature_importance: {
      top_terms: run.coefficientImportance.topTerms.map(({ term, coefficient }) => ({ term, coefficient: round(coefficient) })),
      per_feature: Object.fromEntries(names.map((name, i) => [name, round(run.coefficientImportance.perFeature[i])])),
      permutation: {
        repeats: run.permutation.repeats,
        baseline_roc_auc: round(run.permutation.baseline),
        auc_drop: Object.fromEntries(names.map((name, i) => [name, { mean: round(run.permutation.mean[i]), sd: round(run.permutation.sd[i]) }])),
      },
    },
    timings_ms: Object.fromEntries(Object.entries(timingsMs).map(([phase, ms]) => [phase, roundMs(ms)])),
    ...(pipeline === undefined ? {} : { peak_rss_mb: pipeline.peakRssMb }),
  };
}

function roundOrNull(v: number | null): number | null {
  return v === null ? null : round(v);
}

function splitResults(c: SplitCounts): SplitResults {
  return { n_samples: c.nSamples, n_sessions: c.nSessions, n_positive: c.nPositive };
}

function metricRow(m: MetricSummary): MetricRow {
  return {
    roc_auc: round(m.rocAuc),
    pr_auc: round(m.prAuc),
    log_loss: round(m.logLoss),
    normalized_entropy: round(m.normalizedEntropy),
    brier: round(m.brier),
    calibration_ratio: round(m.calibrationRatio),
    ece: round(m.ece),
  };
}

const roundCurve = (c: Curve): Curve => ({ x: c.x.map((v) => round(v, 4)), y: c.y.map((v) => round(v, 4)) });

function comparisonResults(c: Comparison): ComparisonResults {
  const row = (p: Predictor): MetricRow => {
    const m = c.rows[p];
    if (m === undefined) throw new Error(`internal: no ${p} row in the comparison`);
    return metricRow(m);
  };
  const curves = (all: Comparison["curves"]["roc"]) => Object.fromEntries(Object.entries(all).map(([p, curve]) => [p, roundCurve(curve)]));
  return {
    windows: c.windows,
    n_samples: c.nSamples,
    n_positive: c.nPositive,
    rows: {
      heuristic: row("heuristic"),
      plain_logistic: row("plain_logistic"),
      degree2_seed: c.rows.degree2_seed === undefined ? null : metricRow(c.rows.degree2_seed),
      degree2_logistic: row("degree2_logistic"),
      oracle: c.rows.oracle === undefined ? null : metricRow(c.rows.oracle),
    },
    curves: { roc: curves(c.curves.roc), pr: curves(c.curves.pr) },
  };
}

function oracleResults(o: OracleComparison, seed: number): OracleResults {
  return {
    rollouts: o.rollouts,
    n_samples: o.nSamples,
    n_positive: o.nPositive,
    seed,
    mean_standard_error: round(o.meanStandardError),
    roc_auc: round(o.rocAuc),
    model_roc_auc: round(o.modelRocAuc),
    model_to_oracle: round(o.modelToOracle),
    model_to_oracle_ci95: [round(o.modelToOracleCi95[0]), round(o.modelToOracleCi95[1])],
    per_profile: Object.fromEntries(
      o.perProfile.map((p) => [p.profile, { n_samples: p.nSamples, oracle_roc_auc: roundOrNull(p.rocAuc.oracle), model_roc_auc: roundOrNull(p.rocAuc.model) }]),
    ),
  };
}
