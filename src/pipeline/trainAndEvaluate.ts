import { FEATURE_SETS } from "../core/featureNames.js";
import { heuristicFromFeatures } from "../core/heuristicPrediction.js";
import type { InteractionModel } from "../core/interactionModel.js";
import { streamSeed } from "../core/randomStreams.js";
import { termCount, termNames } from "../core/polynomialTerms.js";
import type { WindowConfig } from "../core/windowConfig.js";
import { featureCountOf, seedFeaturesOf, type WindowDataset } from "../dataset/windowDataset.js";
import { type Comparison, compareOnWindows } from "../evaluation/compareOnWindows.js";
import { evaluateHeldOut } from "../evaluation/evaluateHeldOut.js";
import { type HeldOutPredictions, predictHeldOut, type SideModel } from "../evaluation/heldOutPredictions.js";
import { type HeldOutSplit, splitCounts, splitHeldOut } from "../evaluation/heldOutSplit.js";
import { metricSummary } from "../evaluation/metricSummary.js";
import { permutationImportance } from "../evaluation/permutationImportance.js";
import type { TrainingRun } from "../results/trainingResults.js";
import { prAuc, rocAuc } from "../training/classificationMetrics.js";
import { type CrossValidation, crossValidate, foldsOf } from "../training/crossValidate.js";
import { buildDesignMatrix } from "../training/designMatrix.js";
import { perFeatureImportance, topTerms } from "../training/featureImportance.js";
import { fitDegree2Model } from "../training/fitDegree2Model.js";
import { fitPlainBaseline } from "../training/fitPlainBaseline.js";
import type { FoldSplit } from "../training/groupedKFold.js";
import { calibrate, fitPlattCalibration } from "../training/plattCalibration.js";
import { TooFewOfAClassError } from "../training/tooFewOfAClass.js";
import { toInteractionModel } from "../training/toInteractionModel.js";
import { type Tuning, TUNING_GRID, tuneRegularisation } from "../training/tuneRegularisation.js";

export interface TrainOptions {
  seed: number;
  window: WindowConfig;
  /** The held-out split when the caller already made it (default: `splitHeldOut(sessions, seed)`). */
  split?: HeldOutSplit;
  /** Inverse L2 strength (default 1, the seed's setting). Ignored with `tune`. */
  C?: number;
  /** Pick C from TUNING_GRID by grouped CV ROC AUC on the training sessions. */
  tune?: boolean;
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
 * stages. 20 % of the sessions (see isHeldOutSession) are held out; on the other 80 %:
 * standardise, degree-2 terms, balanced L2 logistic regression at C (or C tuned by grouped
 * CV), 5-fold CV grouped by session, Platt calibration fitted on the out-of-fold margins. The
 * shipped model is that 80 % fit with that calibration. On the held-out windows: its metrics
 * and reliability curve, per-profile results, permutation importance, and a comparison with
 * the heuristic and a plain (degree-1) logistic regression trained and calibrated the same way.
 * The model is trained on the dataset's feature set; beside an `ads` model the `seed` set's
 * degree-2 model (its first 20 columns) is fitted, cross-validated and calibrated the same way
 * at the same C, so the comparison shows what the ad features add. See docs/evaluation.md.
 */
export function trainAndEvaluate(data: WindowDataset, options: TrainOptions): TrainedModel {
  const k = options.folds ?? 5;
  const repeats = options.permutationRepeats ?? 3;
  const progress = options.onProgress ?? (() => {});
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
  const degree2 = { features: F, d: termCount(F), build: buildDesignMatrix, buffer: new Float64Array(train.length * termCount(F)) };

  let tuning: Tuning | undefined;
  if (options.tune) {
    progress("tune", 0, TUNING_GRID.length);
    tuning = timed("tune", () => tuneRegularisation(X, n, y, train, folds, degree2, (done, total) => progress("tune", done, total)));
  }
  const C = tuning?.C ?? options.C ?? 1;

  progress("fit", 0, 1);
  const shipped = timed("fit", () => fitDegree2Model(X, n, F, y, train, C, degree2.buffer));
  progress("fit", 1, 1);

  let cv: CrossValidation;
  if (tuning !== undefined) cv = tuning.cv;
  else {
    progress("cross-validate", 0, folds.length);
    // Warm-started from the shipped fit: the problem is strictly convex, so only the time changes.
    cv = timed("cross_validate", () =>
      crossValidate(X, n, y, train, folds, { ...degree2, C, init: shipped.fit, onFold: (f) => progress("cross-validate", f, folds.length) }),
    );
  }

  const plain = timed("plain_logistic", () => fitPlainBaseline(X, n, y, train, folds, shipped.scaler));
  const seedSide = data.featureSet === "ads" ? timed("seed_model", () => fitSeedModel(data, train, folds, C, degree2.buffer, progress)) : undefined;

  const evaluated = timed("evaluate", () => {
    const calibration = fitPlattCalibration(cv.oof, trainY);
    const outOfFold = metricSummary(calibrate(cv.oof, calibration), trainY);
    const heldOut = predictHeldOut(X, n, y, test, shipped.scaler, {
      featureSet: data.featureSet,
      degree2: { fit: shipped.fit, calibration },
      plain,
      seed: seedSide?.model,
    });
    const profileOf = (row: number) => data.sessionProfiles[data.sessionIndex[row]];
    return { calibration, outOfFold, heldOut, evaluation: evaluateHeldOut(heldOut, profileOf), comparison: compareOnWindows(heldOut, null, null) };
  });
  const model = toInteractionModel(shipped.scaler, shipped.fit, evaluated.calibration, options.window, data.featureSet);

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
    tuning: tuning?.curve ?? null,
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
            heuristic: seedHeuristic(seedSide.model.X, test, evaluated.heldOut.labels),
          },
  };
  return { model, run, heldOut: evaluated.heldOut, comparison: evaluated.comparison, timingsMs };
}

/**
 * The `seed` set's degree-2 model beside an `ads` model: the dataset's first 20 columns, the
 * same training rows, folds and C, cross-validated (warm-started from its own fit) and
 * Platt-calibrated on its out-of-fold margins exactly as the shipped model is.
 */
function fitSeedModel(
  data: WindowDataset,
  train: Int32Array,
  folds: readonly FoldSplit[],
  C: number,
  buffer: Float64Array,
  progress: (phase: string, done: number, total: number) => void,
): { model: SideModel; cv: CrossValidation } {
  const seed = seedFeaturesOf(data);
  const F = featureCountOf(seed);
  progress("seed model", 0, folds.length + 1);
  const fitted = fitDegree2Model(seed.features, seed.n, F, seed.labels, train, C, buffer);
  const cv = crossValidate(seed.features, seed.n, seed.labels, train, folds, {
    features: F,
    d: termCount(F),
    build: buildDesignMatrix,
    buffer,
    C,
    init: fitted.fit,
    onFold: (f) => progress("seed model", f + 1, folds.length + 1),
  });
  const calibration = fitPlattCalibration(cv.oof, Uint8Array.from(train, (r) => seed.labels[r]));
  return { model: { X: seed.features, scaler: fitted.scaler, fit: fitted.fit, calibration }, cv };
}

/** The seed set's heuristic on rows of a seed-width matrix. */
function seedHeuristic(X: Float64Array, rows: Int32Array, labels: Uint8Array): { rocAuc: number; prAuc: number } {
  const F = FEATURE_SETS.seed.length;
  const p = Float64Array.from(rows, (r) => heuristicFromFeatures(X, r * F, "seed"));
  return { rocAuc: rocAuc(p, labels), prAuc: prAuc(p, labels) };
}
