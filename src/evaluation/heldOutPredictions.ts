import { FEATURE_COUNT } from "../core/featureNames.js";
import { heuristicFromFeatures } from "../core/heuristicPrediction.js";
import { TERM_COUNT } from "../core/polynomialTerms.js";
import { sigmoid } from "../core/sigmoid.js";
import { designMargins } from "../training/crossValidate.js";
import { buildDesignMatrix } from "../training/designMatrix.js";
import { buildLinearDesign } from "../training/fitPlainBaseline.js";
import type { LogisticFit } from "../training/logisticRegression.js";
import type { PlattCalibration } from "../training/plattCalibration.js";
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
  heuristic: Float64Array;
}

/** A fitted logistic model with its calibration. */
export interface CalibratedFit {
  fit: LogisticFit;
  calibration: PlattCalibration;
}

function calibrate(margins: Float64Array, c: PlattCalibration): Float64Array {
  return margins.map((m) => sigmoid(c.slope * m + c.intercept));
}

/**
 * Scores the held-out `rows` of the raw feature matrix `X` (n x 20) with the shipped degree-2
 * model, the plain baseline (both standardised with the training `scaler`) and the heuristic.
 */
export function predictHeldOut(
  X: Float64Array,
  n: number,
  y: Uint8Array,
  rows: Int32Array,
  scaler: StandardScaler,
  degree2: CalibratedFit,
  plain: CalibratedFit,
): HeldOutPredictions {
  const buffer = new Float64Array(rows.length * TERM_COUNT);
  const margins = designMargins(buildDesignMatrix(X, n, scaler, rows, buffer), rows.length, TERM_COUNT, degree2.fit);
  const plainMargins = designMargins(buildLinearDesign(X, n, scaler, rows, buffer), rows.length, FEATURE_COUNT, plain.fit);
  return {
    rows,
    labels: Uint8Array.from(rows, (r) => y[r]),
    margins,
    model: calibrate(margins, degree2.calibration),
    plain: calibrate(plainMargins, plain.calibration),
    heuristic: Float64Array.from(rows, (r) => heuristicFromFeatures(X, r * FEATURE_COUNT)),
  };
}
