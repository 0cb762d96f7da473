import type { FeatureSetName } from "../core/featureNames.js";
import { heuristicFromFeatures } from "../core/heuristicPrediction.js";
import { termCount } from "../core/polynomialTerms.js";
import { designMargins } from "../training/crossValidate.js";
import { buildDesignMatrix } from "../training/designMatrix.js";
import { buildLinearDesign } from "../training/fitPlainBaseline.js";
import type { LogisticFit } from "../training/logisticRegression.js";
import { calibrate, type PlattCalibration } from "../training/plattCalibration.js";
import type { StandardScaler } from "../training/standardScaler.js";

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

/** A fitted logistic model with its calibration. */
export interface CalibratedFit {
  fit: LogisticFit;
  calibration: PlattCalibration;
}

/** A degree-2 model fitted on its own feature matrix (the seed model beside the ads model). */
export interface SideModel extends CalibratedFit {
  /** Its raw `n x F` feature matrix, rows aligned with the shipped model's. */
  X: Float64Array;
  scaler: StandardScaler;
}

function degree2Margins(X: Float64Array, n: number, scaler: StandardScaler, rows: Int32Array, fit: LogisticFit): Float64Array {
  const d = termCount(scaler.mean.length);
  return designMargins(buildDesignMatrix(X, n, scaler, rows), rows.length, d, fit);
}

/**
 * Scores the held-out `rows` of the raw feature matrix `X` (n x F, the `featureSet`'s width)
 * with the shipped degree-2 model, the plain baseline (both standardised with the training
 * `scaler`), the set's heuristic and, when given, the `seed` set's degree-2 model on its own matrix.
 */
export function predictHeldOut(
  X: Float64Array,
  n: number,
  y: Uint8Array,
  rows: Int32Array,
  scaler: StandardScaler,
  models: { featureSet: FeatureSetName; degree2: CalibratedFit; plain: CalibratedFit; seed?: SideModel },
): HeldOutPredictions {
  const F = scaler.mean.length;
  const margins = degree2Margins(X, n, scaler, rows, models.degree2.fit);
  const plainMargins = designMargins(buildLinearDesign(X, n, scaler, rows), rows.length, F, models.plain.fit);
  const seed = models.seed;
  return {
    rows,
    labels: Uint8Array.from(rows, (r) => y[r]),
    margins,
    model: calibrate(margins, models.degree2.calibration),
    plain: calibrate(plainMargins, models.plain.calibration),
    heuristic: Float64Array.from(rows, (r) => heuristicFromFeatures(X, r * F, models.featureSet)),
    seedModel: seed === undefined ? null : calibrate(degree2Margins(seed.X, n, seed.scaler, rows, seed.fit), seed.calibration),
  };
}
