import { FEATURE_SETS } from "../core/featureNames.js";
import { heuristicFromFeatures } from "../core/heuristicPrediction.js";
import type { InteractionModel } from "../core/interactionModel.js";
import { streamSeed } from "../core/randomStreams.js";
import { termNames } from "../core/polynomialTerms.js";
import type { WindowConfig } from "../core/windowConfig.js";
import { featureCountOf, type WindowDataset } from "../dataset/windowDataset.js";
import { type Comparison, compareOnWindows } from "../evaluation/compareOnWindows.js";
import { domainClamps } from "../evaluation/domainClamps.js";
import { evaluateHeldOut } from "../evaluation/evaluateHeldOut.js";
import { type CalibratedFit, type HeldOutPredictions, predictHeldOut } from "../evaluation/heldOutPredictions.js";
import { type HeldOutSplit, splitCounts, splitHeldOut } from "../evaluation/heldOutSplit.js";
import { metricSummary } from "../evaluation/metricSummary.js";
import { permutationImportance } from "../evaluation/permutationImportance.js";
import type { TrainingRun } from "../results/trainingResults.js";
import { prAuc, rocAuc } from "../training/classificationMetrics.js";
import { type CrossValidation, crossValidate, foldDesigns, foldsOf } from "../training/crossValidate.js";
import { perFeatureImportance, topTerms } from "../training/featureImportance.js";
import { DOMAIN_QUANTILE, type FeatureTransform, fitFeatureTransform, leadingFeatures } from "../training/featureTransform.js";
import { type Degree2Fit, fitDegree2Model } from "../training/fitDegree2Model.js";
import { fitPlainBaseline } from "../training/fitPlainBaseline.js";
import type { FoldSplit } from "../training/groupedKFold.js";
import type { LogisticFit } from "../training/logisticRegression.js";
import { calibrate, fitPlattCalibration } from "../training/plattCalibration.js";
import { TooFewOfAClassError } from "../training/tooFewOfAClass.js";
import { toInteractionModel } from "../training/toInteractionModel.js";
import { hierarchicalPenalty, type RegularisationPath } from "../training/regularisationPath.js";
import { runRegularisationPath } from "./pathRunner.js";

export interface TrainOptions {
  seed: number;
  window: WindowConfig;
  /** The held-out split when the caller already made it (default: `splitHeldOut(sessions, seed)`). */
  split?: HeldOutSplit;
  /** Fix the inverse L2 strength (e.g. 1, the seed's setting) instead of choosing it on the path. */
  C?: number;
  /** The C values tried by grouped CV when C is not fixed (default REGULARISATION_PATH). */
  path?: readonly number[];
  /** Domain quantile of the feature transform (default DOMAIN_QUANTILE; null: no domain). */
  domainQuantile?: number | null;
  folds?: number;
  /** Shuffles per feature of the permutation importance (default 3). */
  permutationRepeats?: number;
  /** Called as each phase starts and ends, for progress bars. */
  onProgress?: (phase: string, done: number, total: number) => void;
}

/** A trained and evaluated model, every stage's output at full precision. */
export interface TrainedModel {
  /** The shipped model, `training` block still empty (see withTrainingBlock). */
  model: InteractionModel;
  run: TrainingRun;
  heldOut: HeldOutPredictions;
  /** The comparison table on every held-out window. */
  comparison: Comparison;
  /** Wall time of each stage, ms (unrounded). */
  timingsMs: Record<string, number>;
}

/**
 * Trains the product model and evaluates it on sessions it never saw, as a sequence of
 * stages. 20 % of the sessions (see isHeldOutSession) are held out. On the other 80 %, with
 * 5 session-grouped folds: the regularisation path (C by mean fold ROC AUC, see
 * regularisationPath) unless C is fixed; each fold clamps to its own domain and standardises
 * with its own scaler (fitFeatureTransform on its training rows). The shipped model is the
 * fit on all training rows at the chosen C, calibrated (Platt) on that C's out-of-fold
 * margins. On the held-out windows: its metrics and reliability curve, per-profile results,
 * permutation importance, and a comparison with the heuristic and a plain (degree-1)
 * logistic regression cross-validated on the same folds. Beside an `ads` model the `seed`
 * set's degree-2 model (its first 20 columns) is fitted, cross-validated and calibrated the
 * same way at the same C, so the comparison shows what the ad features add. See
 * docs/evaluation.md.
 */
export function trainAndEvaluate(data: WindowDataset, options: TrainOptions): TrainedModel {
  const k = options.folds ?? 5;
  const repeats = options.permutationRepeats ?? 3;
  const progress = options.onProgress ?? (() => {});
  const domainQuantile = options.domainQuantile === undefined ? DOMAIN_QUANTILE : options.domainQuantile;
  const { n, features: X, labels: y } = data;
  const timingsMs: Record<string, number> = {};
  const timed = <T>(name: string, stage: () => T): T => {
    const started = performance.now();
    const out = stage();
    timingsMs[name] = performance.now() - started;
    return out;
  };

  const split = options.split ?? splitHeldOut(data.sessionIndex, options.seed);
  const { train, test } = split;
  const trainCounts = splitCounts(train, data.sessionIndex, y);
  const testCounts = splitCounts(test, data.sessionIndex, y);
  if (trainCounts.nPositive === 0 || trainCounts.nPositive === train.length) {
    throw new TooFewOfAClassError(`cannot train: the training sessions hold ${train.length} windows with ${trainCounts.nPositive} positive; both classes are needed`);
  }
  if (testCounts.nPositive === 0 || testCounts.nPositive === test.length) {
    throw new TooFewOfAClassError(`cannot evaluate: the held-out sessions hold ${test.length} windows with ${testCounts.nPositive} positive; both classes are needed (more data?)`);
  }
  const trainY = Uint8Array.from(train, (r) => y[r]);
  const folds = foldsOf(data.sessionIndex, y, train, k, options.seed);
  const F = featureCountOf(data);
  // One transform per fold and one for all training rows, shared by every model fitted on
  // those rows (each feature's domain and scaler depend only on its own column).
  const foldTransforms = folds.map((f) => fitFeatureTransform(X, n, F, f.train, domainQuantile));
  const transform = fitFeatureTransform(X, n, F, train, domainQuantile);

  let path: RegularisationPath | undefined;
  let cv: CrossValidation;
  let shipped: Degree2Fit;
  if (options.C === undefined) {
    progress("regularisation path", 0, folds.length);
    path = timed("regularisation_path", () =>
      runRegularisationPath(X, n, y, train, folds, foldTransforms, { path: options.path, onFold: (done, total) => progress("regularisation path", done, total) }),
    );
    cv = path.cv;
    const C = path.C;
    progress("fit", 0, 1);
    shipped = timed("fit", () => fitDegree2Model(X, n, transform, y, train, C, { init: meanFit(cv.fits), penaltyWeights: hierarchicalPenalty(F, C) }));
    progress("fit", 1, 1);
  } else {
    const C = options.C;
    progress("fit", 0, 1);
    const penaltyWeights = hierarchicalPenalty(F, C);
    shipped = timed("fit", () => fitDegree2Model(X, n, transform, y, train, C, { penaltyWeights }));
    progress("fit", 1, 1);
    progress("cross-validate", 0, folds.length);
    cv = timed("cross_validate", () => crossValidate(foldDesigns(X, n, foldTransforms, 2), y, train, folds, { C, init: shipped.fit, penaltyWeights, onFold: (f) => progress("cross-validate", f, folds.length) }));
  }
  const C = path?.C ?? options.C!;

  const plain = timed("plain_logistic", () => fitPlainBaseline(X, n, transform, y, train, folds, foldDesigns(X, n, foldTransforms, 1)));
  const seedSide = data.featureSet === "ads" ? timed("seed_model", () => fitSeedModel(data, train, folds, C, transform, foldTransforms, progress)) : undefined;

  const evaluated = timed("evaluate", () => {
    const calibration = fitPlattCalibration(cv.oof, trainY);
    const outOfFold = metricSummary(calibrate(cv.oof, calibration), trainY);
    const heldOut = predictHeldOut(X, y, test, {
      featureSet: data.featureSet,
      degree2: { design: shipped.design, fit: shipped.fit, calibration },
      plain: { design: plain.fitted.design, fit: plain.fitted.fit, calibration: plain.calibration },
      seed: seedSide?.model,
    });
    const profileOf = (row: number) => data.sessionProfiles[data.sessionIndex[row]];
    return { calibration, outOfFold, heldOut, evaluation: evaluateHeldOut(heldOut, profileOf), comparison: compareOnWindows(heldOut, null, null) };
  });
  const model = toInteractionModel(shipped.transform, shipped.fit, evaluated.calibration, options.window, data.featureSet);

  const permutation = timed("permutation_importance", () =>
    permutationImportance(model, X, test, evaluated.heldOut.labels, {
      seed: streamSeed(options.seed, "permutation"),
      repeats,
      margins: evaluated.heldOut.margins,
    }),
  );

  const run: TrainingRun = {
    seed: options.seed,
    featureSet: data.featureSet,
    window: { ...options.window },
    dataset: { nSamples: n, nSessions: data.sessionIds.length, nPositive: y.reduce((a, b) => a + b, 0) },
    split: { train: trainCounts, heldOut: testCounts },
    folds: k,
    C,
    path: path?.points ?? null,
    plainCv: plain.cv,
    domainQuantile,
    heldOutClamps: model.domain === undefined ? null : domainClamps(X, test, model.domain, data.featureSet),
    cv,
    outOfFold: evaluated.outOfFold,
    finalFit: shipped.fit,
    calibration: evaluated.calibration,
    heldOut: evaluated.evaluation,
    coefficientImportance: {
      topTerms: topTerms(shipped.standardisedCoefficients, termNames(FEATURE_SETS[data.featureSet]), 15),
      perFeature: perFeatureImportance(shipped.standardisedCoefficients, F),
    },
    permutation: { ...permutation, repeats },
    seedModel:
      seedSide === undefined || evaluated.heldOut.seedModel === null
        ? null
        : {
            C,
            cv: seedSide.cv,
            // The full held-out comparison already scored it on these windows.
            heldOut: evaluated.comparison.rows.degree2_seed!,
            heuristic: seedHeuristic(X, F, test, evaluated.heldOut.labels),
          },
  };
  return { model, run, heldOut: evaluated.heldOut, comparison: evaluated.comparison, timingsMs };
}

/** The mean of fold fits: a start near the full fit (any start gives the same optimum). */
function meanFit(fits: readonly LogisticFit[]): { coefficients: Float64Array; intercept: number } {
  const coefficients = new Float64Array(fits[0].coefficients.length);
  let intercept = 0;
  for (const f of fits) {
    for (let j = 0; j < coefficients.length; j++) coefficients[j] += f.coefficients[j] / fits.length;
    intercept += f.intercept / fits.length;
  }
  return { coefficients, intercept };
}

/**
 * The `seed` set's degree-2 model beside an `ads` model: the dataset's first 20 columns, the
 * same training rows, folds, C and transforms (their first 20 features), cross-validated (warm-started from its own
 * fit) and Platt-calibrated on its out-of-fold margins exactly as the shipped model is.
 */
function fitSeedModel(
  data: WindowDataset,
  train: Int32Array,
  folds: readonly FoldSplit[],
  C: number,
  transform: FeatureTransform,
  foldTransforms: readonly FeatureTransform[],
  progress: (phase: string, done: number, total: number) => void,
): { model: CalibratedFit; cv: CrossValidation } {
  // The seed set is the leading 20 columns: its designs read the ads matrix with its stride.
  const { n, features: X, labels: y } = data;
  const F = FEATURE_SETS.seed.length;
  const stride = featureCountOf(data);
  progress("seed model", 0, folds.length + 1);
  const penaltyWeights = hierarchicalPenalty(F, C);
  const fitted = fitDegree2Model(X, n, leadingFeatures(transform, F), y, train, C, { stride, penaltyWeights });
  const seedTransforms = foldTransforms.map((t) => leadingFeatures(t, F));
  const cv = crossValidate(foldDesigns(X, n, seedTransforms, 2, stride), y, train, folds, {
    C,
    init: fitted.fit,
    penaltyWeights,
    onFold: (f) => progress("seed model", f + 1, folds.length + 1),
  });
  const calibration = fitPlattCalibration(cv.oof, Uint8Array.from(train, (r) => y[r]));
  return { model: { design: fitted.design, fit: fitted.fit, calibration }, cv };
}

/** The seed set's heuristic on rows of the ads matrix (its leading 20 columns are the seed set's). */
function seedHeuristic(X: Float64Array, stride: number, rows: Int32Array, labels: Uint8Array): { rocAuc: number; prAuc: number } {
  const p = Float64Array.from(rows, (r) => heuristicFromFeatures(X, r * stride, "seed"));
  return { rocAuc: rocAuc(p, labels), prAuc: prAuc(p, labels) };
}
