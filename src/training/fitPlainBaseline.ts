import { type CrossValidation, crossValidate, type DesignBuilder, TOLERANCE } from "./crossValidate.js";
import { buildDesignMatrix } from "./designMatrix.js";
import type { FoldSplit } from "./groupedKFold.js";
import { fitLogisticRegression, type LogisticFit } from "./logisticRegression.js";
import { fitPlattCalibration, type PlattCalibration } from "./plattCalibration.js";
import type { StandardScaler } from "./standardScaler.js";

/** The degree-1 design: the standardised features themselves. */
export const buildLinearDesign: DesignBuilder = (X, n, scaler, rows, out) => buildDesignMatrix(X, n, scaler, rows, out, 1);

/** The plain (degree-1) logistic baseline as fitted: on the training rows' standardised features. */
export interface PlainBaseline {
  fit: LogisticFit;
  cv: CrossValidation;
  calibration: PlattCalibration;
}

/**
 * The comparison baseline: balanced L2 logistic regression (C = 1) on the F standardised
 * features of `rows` only (F = the scaler's width, the feature set's), cross-validated on the shipped model's `folds` and calibrated
 * with Platt on its own out-of-fold margins, exactly as the shipped model is.
 */
export function fitPlainBaseline(X: Float64Array, n: number, y: Uint8Array, rows: Int32Array, folds: readonly FoldSplit[], scaler: StandardScaler): PlainBaseline {
  const F = scaler.mean.length;
  const buffer = new Float64Array(rows.length * F);
  const labels = Uint8Array.from(rows, (r) => y[r]);
  const A = buildLinearDesign(X, n, scaler, rows, buffer);
  const fit = fitLogisticRegression(A, rows.length, F, labels, { C: 1, tolerance: TOLERANCE });
  const cv = crossValidate(X, n, y, rows, folds, { features: F, d: F, build: buildLinearDesign, buffer, C: 1, init: fit });
  return { fit, cv, calibration: fitPlattCalibration(cv.oof, labels) };
}
