import { FEATURE_SETS, type FeatureSetName } from "../core/featureNames.js";
import { heuristicFromFeatures } from "../core/heuristicPrediction.js";
import type { Design } from "../training/design.js";
import type { LogisticFit } from "../training/logisticRegression.js";
import { calibrate, type PlattCalibration } from "../training/plattCalibration.js";

/** Held-out predictions of every predictor, for comparisons on subsets (e.g. the oracle's sample). */
export interface HeldOutPredictions {
  /** Global dataset rows, ascending. */
  rows: Int32Array;
  labels: Uint8Array;
  /** The shipped model: its margins and calibrated probabilities. */
  margins: Float64Array;
  model: Float64Array;
  plain: Float64Array;
  /** The heuristic of the shipped model's feature set. */
  heuristic: Float64Array;
  /** The degree-2 model of the `seed` set, beside a shipped `ads` model; null when the shipped model is the seed set's. */
  seedModel: Float64Array | null;
}

/** A fitted logistic model on its design (raw matrix, transform, terms), with its calibration. */
export interface CalibratedFit {
  design: Design;
  fit: LogisticFit;
  calibration: PlattCalibration;
}

function margins(model: CalibratedFit, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  model.design.forward(rows, model.fit.intercept, model.fit.coefficients, out);
  return out;
}

/**
 * Scores the held-out `rows` of the raw feature matrix `X` (n x F, the `featureSet`'s width)
 * with the shipped degree-2 model, the plain baseline, the set's heuristic and, when given,
 * the `seed` set's degree-2 model (each on its own design, transformed as it was trained).
 */
export function predictHeldOut(
  X: Float64Array,
  y: Uint8Array,
  rows: Int32Array,
  models: { featureSet: FeatureSetName; degree2: CalibratedFit; plain: CalibratedFit; seed?: CalibratedFit },
): HeldOutPredictions {
  const F = FEATURE_SETS[models.featureSet].length;
  const shipped = margins(models.degree2, rows);
  const seed = models.seed;
  return {
    rows,
    labels: Uint8Array.from(rows, (r) => y[r]),
    margins: shipped,
    model: calibrate(shipped, models.degree2.calibration),
    plain: calibrate(margins(models.plain, rows), models.plain.calibration),
    heuristic: Float64Array.from(rows, (r) => heuristicFromFeatures(X, r * F, models.featureSet)),
    seedModel: seed === undefined ? null : calibrate(margins(seed, rows), seed.calibration),
  };
}
